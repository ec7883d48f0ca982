// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package provider is the Terraform-facing side of the Cloud Elements
// provider: the provider, its resources, data sources, list, ephemeral
// resources and function, with their schemas, plans, state and
// diagnostics. HTTP lives in internal/cloudelements; what needs no
// framework (definition comparison, key rules, the read batcher, the element
// catalog) lives in packages beside it.
//
// Configure builds one providerData per provider process and hands it to
// every resource and data source. It holds, besides the API client:
//
//   - the element catalog (internal/elementcatalog): each element's
//     configuration definitions, read once per process for the instance's
//     plan-time checks and imports; custom elements planned in the same
//     run are served from their plan;
//   - planned sets (planned_sets.go): what a common resource's fields and a
//     formula's variables are planned to be, recorded by their ModifyPlan,
//     so the transformations and formula instances planned after them
//     check against the plan rather than only against the API;
//   - the read batcher (internal/readbatch): a refresh of many instances
//     reads them from the listing, under rules that keep each read exact.
//
// Private state holds what the API cannot say: which configuration keys
// Terraform wrote to an instance (managed_keys.go: only those are ever
// removed), and a transformation's script engine. The style every resource
// follows, and the shared helpers (helpers.go), are in DESIGN.md.
package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/elementcatalog"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/readbatch"
)

// Environment variables read when the matching provider attribute is not set.
const (
	envBaseURL            = "CLOUDELEMENTS_BASE_URL"
	envUserSecret         = "CLOUDELEMENTS_USER_SECRET"
	envOrganizationSecret = "CLOUDELEMENTS_ORGANIZATION_SECRET"

	defaultMaxRetries = 4
)

var (
	_ provider.Provider              = &cloudElementsProvider{}
	_ provider.ProviderWithFunctions = &cloudElementsProvider{}

	_ provider.ProviderWithEphemeralResources = &cloudElementsProvider{}
	_ provider.ProviderWithListResources      = &cloudElementsProvider{}
)

// New returns a constructor for the provider at the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &cloudElementsProvider{version: version}
	}
}

type cloudElementsProvider struct {
	version string
	// retryWaitMin and retryWaitMax bound the API client's backoff; zero
	// keeps the client's defaults (1s and 30s). Deliberately not in the
	// schema: only tests set them, to keep fault tests fast.
	retryWaitMin, retryWaitMax time.Duration
	// batchWindow, when non-zero, replaces how long a listing serves batched
	// reads (readbatch's default). Only tests set it.
	batchWindow time.Duration
}

type providerModel struct {
	BaseURL            types.String `tfsdk:"base_url"`
	UserSecret         types.String `tfsdk:"user_secret"`
	OrganizationSecret types.String `tfsdk:"organization_secret"`
	MaxRetries         types.Int64  `tfsdk:"max_retries"`
	AllowInsecureHTTP  types.Bool   `tfsdk:"allow_insecure_http"`
	SkipCredentials    types.Bool   `tfsdk:"skip_credentials_validation"`
	DefaultTags        types.Set    `tfsdk:"default_tags"`
	BatchReads         types.Bool   `tfsdk:"batch_reads"`
}

func (p *cloudElementsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "cloudelements"
	resp.Version = p.version
}

func (p *cloudElementsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages [Cloud Elements](https://cloud-elements.com) (SAP Open Connectors) assets: element instances, custom elements and extensions of catalog elements, formulas and formula instances, common resources and their transformations.",
		Attributes: map[string]schema.Attribute{
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Cloud Elements API, including `/elements/api-v2`. " +
					"Defaults to `" + cloudelements.DefaultBaseURL + "`; may also be set with `" + envBaseURL + "`. " +
					"SAP Open Connectors regions use their own host with the same path. " +
					"Plain `http` is accepted only for loopback hosts unless `allow_insecure_http` is set.",
				Optional: true,
			},
			"user_secret": schema.StringAttribute{
				MarkdownDescription: "User secret (the `User` part of the `Authorization` header). May also be set with `" + envUserSecret + "`.",
				Optional:            true,
				Sensitive:           true,
			},
			"organization_secret": schema.StringAttribute{
				MarkdownDescription: "Organization secret (the `Organization` part of the `Authorization` header). May also be set with `" + envOrganizationSecret + "`.",
				Optional:            true,
				Sensitive:           true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a rate limit (429), "+
					"a gateway error (502, 503, 504) or a connection error, with exponential backoff that honours `Retry-After`. "+
					"Defaults to `%d`; `0` disables retries. A create (POST) is only retried when the API certainly did not act on it.", defaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"allow_insecure_http": schema.BoolAttribute{
				MarkdownDescription: "Allow a plain `http://` `base_url` on a host that is not loopback. " +
					"Secrets would cross the network unencrypted: only for isolated test networks. Defaults to `false`.",
				Optional: true,
			},
			"skip_credentials_validation": schema.BoolAttribute{
				MarkdownDescription: "Skip the check of the secrets when the provider is configured. By default the provider " +
					"makes one small request (`GET /instances?pageSize=1`) per run, so wrong secrets, or a `base_url` that " +
					"nothing answers on or that is not the API, fail the plan instead of the apply. Defaults to `false`.",
				Optional: true,
			},
			"default_tags": schema.SetAttribute{
				MarkdownDescription: "Tags added to every `cloudelements_instance` (shown in its `tags_all`). A tag of the form " +
					"`key:value` gives way to a resource tag with the same `key:`; other tags are merged. The data sources' " +
					"filters are not affected.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1), noMarkup())},
			},
			"batch_reads": schema.BoolAttribute{
				MarkdownDescription: "Serve the refresh of many `cloudelements_instance` resources from the instance listing " +
					"(`GET /instances`, 200 per page, filtered by `default_tags` when set) instead of one `GET /instances/{id}` each. " +
					"The first reads of a run go by id; a listing serves only the same run, while its reads keep coming, for at most a minute; an instance " +
					"missing from it or written by the provider is read by id, and an element's entries are used only once one matches a read by id. " +
					"Defaults to `true`; `false` reads every instance by id.",
				Optional: true,
			},
		},
	}
}

func (p *cloudElementsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	unknown := func(v interface{ IsUnknown() bool }, attr, env string) {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(attr),
				"Unknown Cloud Elements "+humanName(attr),
				fmt.Sprintf("The provider cannot create the Cloud Elements API client because %q is unknown until apply. "+
					"Set it to a value known at plan time, or leave it unset and use the %s environment variable.", attr, env))
		}
	}
	unknown(cfg.BaseURL, "base_url", envBaseURL)
	unknown(cfg.UserSecret, "user_secret", envUserSecret)
	unknown(cfg.OrganizationSecret, "organization_secret", envOrganizationSecret)
	unknown(cfg.MaxRetries, "max_retries", "")
	unknown(cfg.AllowInsecureHTTP, "allow_insecure_http", "")
	unknown(cfg.SkipCredentials, "skip_credentials_validation", "")
	unknown(cfg.DefaultTags, "default_tags", "")
	unknown(cfg.BatchReads, "batch_reads", "")
	if resp.Diagnostics.HasError() {
		return
	}

	baseURL := stringOrEnv(cfg.BaseURL, envBaseURL, cloudelements.DefaultBaseURL)
	userSecret := stringOrEnv(cfg.UserSecret, envUserSecret, "")
	orgSecret := stringOrEnv(cfg.OrganizationSecret, envOrganizationSecret, "")
	ctx = tflog.MaskMessageStrings(ctx, nonEmpty(userSecret, orgSecret)...)

	if msg := checkBaseURL(baseURL, cfg.AllowInsecureHTTP.ValueBool()); msg != "" {
		shown := strconv.Quote(baseURL)
		if u, err := url.Parse(baseURL); err != nil || u.User != nil {
			shown = "(not shown: it may hold credentials)"
		}
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid Cloud Elements Base URL",
			fmt.Sprintf("The base URL %s (from the provider's \"base_url\" or %s) %s.", shown, envBaseURL, msg))
	} else if !strings.HasSuffix(strings.TrimRight(baseURL, "/"), apiPath) {
		resp.Diagnostics.AddAttributeWarning(path.Root("base_url"), "Unexpected Cloud Elements Base URL",
			fmt.Sprintf("The base URL %q does not end in %s, where the API lives on every Cloud Elements and SAP Open Connectors host "+
				"(for example %s or https://api.openconnectors.us2.ext.hana.ondemand.com%s); requests will likely answer 404.",
				baseURL, apiPath, cloudelements.DefaultBaseURL, apiPath))
	}
	missing := func(v, attr, env string) {
		if v == "" {
			resp.Diagnostics.AddAttributeError(path.Root(attr),
				"Missing Cloud Elements "+humanName(attr),
				fmt.Sprintf("The provider needs an %s to authenticate with the Cloud Elements API. "+
					"Set the %q attribute in the provider block or the %s environment variable. "+
					"If either is already set, make sure the value is not empty.", humanName(attr), attr, env))
		}
	}
	missing(userSecret, "user_secret", envUserSecret)
	missing(orgSecret, "organization_secret", envOrganizationSecret)
	if resp.Diagnostics.HasError() {
		return
	}

	maxRetries := int64(defaultMaxRetries)
	if !cfg.MaxRetries.IsNull() {
		maxRetries = cfg.MaxRetries.ValueInt64()
	}

	client, err := cloudelements.NewClient(cloudelements.Config{
		BaseURL:            baseURL,
		UserSecret:         userSecret,
		OrganizationSecret: orgSecret,
		MaxRetries:         int(maxRetries),
		RetryWaitMin:       p.retryWaitMin,
		RetryWaitMax:       p.retryWaitMax,
		UserAgent:          userAgent(p.version, req.TerraformVersion),
		Logf:               clientLogger(userSecret, orgSecret),
	})
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Unable to Create Cloud Elements API Client", err.Error())
		return
	}
	tflog.Debug(ctx, "configured Cloud Elements API client", map[string]any{"base_url": baseURL, "max_retries": maxRetries})

	if !cfg.SkipCredentials.ValueBool() {
		checkCredentials(ctx, client, baseURL, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	var defaultTags []string
	if !cfg.DefaultTags.IsNull() {
		resp.Diagnostics.Append(cfg.DefaultTags.ElementsAs(ctx, &defaultTags, false)...)
	}
	reads := readbatch.New(client, readbatch.Options{
		Tags:   defaultTags,
		Off:    !cfg.BatchReads.IsNull() && !cfg.BatchReads.ValueBool(),
		Window: p.batchWindow,
		Logf:   clientLogger(userSecret, orgSecret),
	})
	data := &providerData{client: client, catalog: elementcatalog.New(client), defaultTags: defaultTags, reads: reads}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
	resp.ListResourceData = data
}

func (p *cloudElementsProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewInstanceResource,
		NewFormulaResource, NewFormulaInstanceResource,
		NewCommonResourceResource, NewTransformationResource,
		NewElementResource, NewElementExtensionResource}
}

func (p *cloudElementsProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewInstanceDataSource, NewInstancesDataSource, NewElementDataSource, NewOAuthURLDataSource,
		NewFormulaDataSource, NewCommonResourceDataSource}
}

func (p *cloudElementsProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{NewInstanceTokenEphemeralResource, NewOAuthURLEphemeralResource}
}

func (p *cloudElementsProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewInstanceListResource, NewFormulaListResource, NewElementListResource,
		NewFormulaInstanceListResource, NewCommonResourceListResource, NewTransformationListResource}
}

func (p *cloudElementsProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{NewWebhookSignatureFunction}
}

// providerData is what Configure hands to resources and data sources.
type providerData struct {
	client      *cloudelements.Client
	catalog     *elementcatalog.Catalog
	defaultTags []string
	planned     plannedSets        // common resources' fields as planned, by name (planned_sets.go)
	plannedVars plannedSets        // formulas' variables as planned, by formula id
	reads       *readbatch.Batcher // the instance resource's reads
}

// apiPath is the path of the API on every host.
const apiPath = "/elements/api-v2"

// credentialsTimeout bounds the configure-time check of the secrets.
const credentialsTimeout = 30 * time.Second

// checkCredentials makes one small request, as the AWS provider does, so
// wrong secrets or a wrong base URL fail the plan rather than the apply:
// 401 and 403 are errors naming the secrets; an answer that is not the
// API's, or no answer at all (the client does not retry a refused
// connection here), is an error naming base_url. Other API errors (429,
// 5xx) are a warning: the API is there, and the requests that need it
// report it.
func checkCredentials(ctx context.Context, c *cloudelements.Client, baseURL string, diags *diag.Diagnostics) {
	ctx, cancel := context.WithTimeout(ctx, credentialsTimeout)
	defer cancel()
	err := c.CheckCredentials(ctx)
	skip := "; set skip_credentials_validation = true to plan without this check."
	var apiErr *cloudelements.APIError
	switch {
	case err == nil:
	case errors.Is(err, cloudelements.ErrNotTheAPI):
		diags.AddAttributeError(path.Root("base_url"), "Cloud Elements Base URL Is Not the API",
			fmt.Sprintf("%s does not answer as the Cloud Elements API (%s). Check \"base_url\" (or %s): it must include "+
				"the API path %s, for example %s"+skip, baseURL, err, envBaseURL, apiPath, cloudelements.DefaultBaseURL))
	case errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden):
		diags.AddAttributeError(path.Root("user_secret"), "Invalid Cloud Elements Credentials",
			fmt.Sprintf("%s rejected the user and organization secrets: %s. Check \"user_secret\" and \"organization_secret\" "+
				"(or %s and %s)"+skip, baseURL, err, envUserSecret, envOrganizationSecret))
	case errors.As(err, &apiErr):
		diags.AddWarning("Cloud Elements Credentials Not Checked",
			fmt.Sprintf("The provider could not check its secrets against %s: %s", baseURL, err))
	default:
		diags.AddAttributeError(path.Root("base_url"), "Cloud Elements API Unreachable",
			fmt.Sprintf("Nothing answered at %s: %s. Check \"base_url\" (or %s) and the network"+skip,
				baseURL, err, envBaseURL))
	}
}

func stringOrEnv(v types.String, env, def string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	if e, ok := os.LookupEnv(env); ok {
		return e
	}
	return def
}

func nonEmpty(values ...string) []string {
	out := values[:0:0]
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func humanName(attr string) string {
	switch attr {
	case "base_url":
		return "Base URL"
	case "user_secret":
		return "User Secret"
	case "organization_secret":
		return "Organization Secret"
	case "max_retries":
		return "Max Retries"
	default:
		return strings.ReplaceAll(attr, "_", " ")
	}
}

// checkBaseURL returns why raw is not usable as the API base URL, or "".
func checkBaseURL(raw string, allowInsecure bool) string {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return "is not an absolute URL such as " + cloudelements.DefaultBaseURL
	}
	if u.User != nil {
		return "carries a user name or password, which would show in logs; remove them: the API is authenticated with " +
			"user_secret and organization_secret"
	}
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		if allowInsecure || isLoopback(u.Hostname()) {
			return ""
		}
		return "uses plain http on a host that is not loopback; use https, or set allow_insecure_http = true if you really mean it"
	default:
		return "must use the https scheme"
	}
}

func userAgent(providerVersion, terraformVersion string) string {
	if terraformVersion == "" {
		terraformVersion = "unknown"
	}
	return fmt.Sprintf("terraform-provider-cloudelements/%s (+https://registry.terraform.io/providers/cloudelements/cloudelements) Terraform/%s",
		providerVersion, terraformVersion)
}

// clientLogger forwards the API client's per-request lines to tflog, with
// the provider secrets masked should one ever reach a message or field.
func clientLogger(secrets ...string) func(context.Context, string, map[string]any) {
	secrets = nonEmpty(secrets...)
	return func(ctx context.Context, msg string, fields map[string]any) {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
		ctx = tflog.MaskMessageStrings(ctx, secrets...)
		tflog.Debug(ctx, msg, fields)
	}
}
