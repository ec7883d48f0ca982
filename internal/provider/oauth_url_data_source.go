// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ datasource.DataSource              = &oauthURLDataSource{}
	_ datasource.DataSourceWithConfigure = &oauthURLDataSource{}
)

// NewOAuthURLDataSource is the constructor for data "cloudelements_oauth_url".
func NewOAuthURLDataSource() datasource.DataSource { return &oauthURLDataSource{} }

type oauthURLDataSource struct {
	data *providerData
}

type oauthURLDataSourceModel struct {
	ElementKey  types.String `tfsdk:"element_key"`
	APIKey      types.String `tfsdk:"api_key"`
	APISecret   types.String `tfsdk:"api_secret"`
	CallbackURL types.String `tfsdk:"callback_url"`
	State       types.String `tfsdk:"state"`
	Scope       types.String `tfsdk:"scope"`
	URL         types.String `tfsdk:"url"`
}

func (d *oauthURLDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oauth_url"
}

func (d *oauthURLDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{}
	for _, a := range oauthURLAttributes("Like every argument of a data source, it is stored in the state: the ephemeral resource " +
		"`cloudelements_oauth_url` (Terraform 1.10 or later) stores nothing.") {
		attrs[a.name] = schema.StringAttribute{
			MarkdownDescription: a.description, Required: a.required, Optional: a.optional, Computed: a.computed,
			Sensitive: a.sensitive, Validators: a.validators,
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The consent link of an OAuth element (`GET /elements/{key}/oauth/url`): open it, allow access, and " +
			"the vendor redirects to `callback_url` with a `code` query parameter. That code goes into the instance's " +
			"`provider_data`; it works once. See the *Onboarding an OAuth element* guide. Its `api_secret` is stored in the state, " +
			"as every data source argument is; on Terraform 1.10 or later (OpenTofu 1.11) prefer the ephemeral resource " +
			"`cloudelements_oauth_url`, which stores nothing.",
		Attributes: attrs,
	}
}

// oauthAttribute is one string attribute of the OAuth URL data source and
// ephemeral resource, which take the same arguments (their schema packages
// differ, so each builds its own attributes from this list).
type oauthAttribute struct {
	name, description            string
	required, optional, computed bool
	sensitive                    bool
	validators                   []validator.String
}

// oauthURLAttributes lists the arguments and the result; secretNote ends
// the description of api_secret, where the two differ.
func oauthURLAttributes(secretNote string) []oauthAttribute {
	required := []validator.String{stringvalidator.LengthAtLeast(1)}
	return []oauthAttribute{
		{name: "element_key", description: "Key of the OAuth element, such as `sfdc`.", required: true, validators: required},
		{name: "api_key", description: "Your OAuth app's client id (the instance's `oauth.api.key`).", required: true, validators: required},
		{
			name: "api_secret", required: true, sensitive: true, validators: required,
			description: "Your OAuth app's client secret (the instance's `oauth.api.secret`). Sent to the API only; never in the link. " + secretNote,
		},
		{
			name: "callback_url", description: "Your OAuth app's redirect URL (the instance's `oauth.callback.url`).",
			required: true, validators: []validator.String{oauthCallbackURL},
		},
		{name: "state", description: "Opaque value the vendor passes back to `callback_url`.", optional: true},
		{name: "scope", description: "OAuth scopes to ask for, where the element supports it.", optional: true},
		{name: "url", description: "The consent link.", computed: true},
	}
}

func (d *oauthURLDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *oauthURLDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	// Every API call runs under a deadline (data sources have no timeouts block).
	ctx, cancel := context.WithTimeout(ctx, defaultTimeout)
	defer cancel()
	var m oauthURLDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !m.fetch(ctx, d.data.client, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// fetch asks the API for the consent link of the model's arguments and sets
// URL; on failure it adds an error on element_key and returns false. The
// ephemeral resource of the same name shares it.
func (m *oauthURLDataSourceModel) fetch(ctx context.Context, c *cloudelements.Client, diags *diag.Diagnostics) bool {
	u, err := c.OAuthURL(ctx, m.request())
	if err != nil {
		diags.AddAttributeError(path.Root("element_key"), "Error Reading OAuth URL",
			fmt.Sprintf("Could not get the OAuth consent link of element %q: %s", m.ElementKey.ValueString(), err))
		return false
	}
	m.URL = types.StringValue(u)
	return true
}

// request is the API call for the model's arguments; the ephemeral
// resource of the same name shares the model.
func (m *oauthURLDataSourceModel) request() cloudelements.OAuthURLRequest {
	return cloudelements.OAuthURLRequest{
		ElementKey: m.ElementKey.ValueString(), APIKey: m.APIKey.ValueString(), APISecret: m.APISecret.ValueString(),
		CallbackURL: m.CallbackURL.ValueString(), State: m.State.ValueString(), Scope: m.Scope.ValueString(),
	}
}
