// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ list.ListResource              = &instanceListResource{}
	_ list.ListResourceWithConfigure = &instanceListResource{}
)

// NewInstanceListResource is the constructor for list "cloudelements_instance"
// (terraform query, Terraform 1.14 and later).
func NewInstanceListResource() list.ListResource { return &instanceListResource{} }

// instanceListResource finds existing instances for `terraform query`, so
// they can be adopted: each result carries the resource identity and, when
// asked for, the resource object an import of that instance would produce.
type instanceListResource struct {
	data *providerData
}

// instanceListModel is the list block's config: the filters of data
// source cloudelements_instances.
type instanceListModel struct {
	Tags         types.List   `tfsdk:"tags"`
	ElementKey   types.String `tfsdk:"element_key"`
	NameContains types.String `tfsdk:"name_contains"`
}

func (r *instanceListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance"
}

func (r *instanceListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds existing element instances for `terraform query` (Terraform 1.14 and later), to adopt them. " +
			"Each result is identified by the instance's `id` (its resource identity) and named by the instance's name. " +
			"`terraform query -generate-config-out=FILE` writes a `cloudelements_instance` block and an `import` block for each: " +
			"the configuration keys a user could have written, tags and event settings. Never written there: the credentials " +
			"the API obtained itself (`oauth.user.*`, session ids), the keys it adds (`base.url`, `pagination.*`, ...), " +
			"the instance token, and secrets (Terraform writes sensitive arguments as `null`): they stay on the instance, " +
			"unmanaged, until you set `sensitive_configuration` and `event_notification.signature_key`. Nor the settings the API " +
			"masks although they are not secrets (the client id `oauth.api.key` of `sfdc`): the import cannot read them, and a " +
			"warning names them, since generated configuration cannot carry a comment. Results carry no secrets, since `terraform query -json` " +
			"prints them. Filters work as in data source `cloudelements_instances`; every page of the API's list is read.",
		Attributes: map[string]listschema.Attribute{
			// A list: list blocks have no set attributes. Order and
			// repeats do not matter.
			"tags": listschema.ListAttribute{
				MarkdownDescription: "Only instances that carry all of these tags (in any order).",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.List{listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"element_key": listschema.StringAttribute{
				MarkdownDescription: "Only instances of this element (`element.key`), such as `campaignmonitor`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"name_contains": listschema.StringAttribute{
				MarkdownDescription: "Only instances whose name contains this text, case-sensitively.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (r *instanceListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *instanceListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m instanceListModel
	diags := req.Config.Get(ctx, &m)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if r.data == nil {
		addNotConfigured(&diags, "Listing instances needs the provider's credentials")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	opts := cloudelements.ListInstancesOptions{
		SearchText: m.NameContains.ValueString(),
		PageSize:   cloudelements.DefaultPageSize, // the largest the API serves
	}
	if !m.Tags.IsNull() {
		diags.Append(m.Tags.ElementsAs(ctx, &opts.Tags, false)...)
		sort.Strings(opts.Tags)
		opts.Tags = uniqueStrings(opts.Tags)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}

	find := func(ctx context.Context) ([]cloudelements.Instance, error) {
		found, err := r.data.client.ListInstances(ctx, opts)
		sort.Slice(found, func(i, j int) bool { return found[i].ID < found[j].ID })
		return found, err
	}
	stream.Results = listResults(ctx, req, "Instances", find, func(ctx context.Context, in *cloudelements.Instance) (list.ListResult, bool) {
		// As in the data source: whatever the API did with the filters, keep
		// only what they ask for.
		if !matchesFilters(in, m.ElementKey.ValueString(), opts.SearchText, opts.Tags) {
			return list.ListResult{}, false
		}
		return r.result(ctx, req, in), true
	})
}

// result is one instance as a list result: its name, its identity, and,
// when Terraform asks for it, the resource object an import would give.
func (r *instanceListResource) result(ctx context.Context, req list.ListRequest, in *cloudelements.Instance) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = in.Name
	id := types.StringValue(in.ID.String())
	res.Diagnostics.Append(res.Identity.Set(ctx, instanceIdentity{ID: id})...)
	if !req.IncludeResource || res.Diagnostics.HasError() {
		return res
	}

	// The list's answer may leave the configuration out; an import reads
	// the instance itself.
	if in.Configuration == nil {
		got, err := r.data.client.GetInstance(ctx, int64(in.ID))
		if err != nil {
			res.Diagnostics.AddError("Error Reading Cloud Elements Instance",
				fmt.Sprintf("Could not read instance %s: %s", in.ID, err))
			return res
		}
		in = got
	}

	// What an import does: state holding only the id (ImportState), then
	// Read in refreshImport mode with the element's definitions.
	res.Diagnostics.Append(res.Resource.SetAttribute(ctx, path.Root("id"), id)...)
	m, diags := getInstanceModel(ctx, res.Resource.Raw)
	res.Diagnostics.Append(diags...)
	if res.Diagnostics.HasError() {
		return res
	}
	defs := (&instanceResource{data: r.data}).importDefinitions(ctx, in.Element.Key, &res.Diagnostics)
	// As Read does: tags the provider's default_tags supply are not the
	// resource's own, so the generated configuration plans no tags change.
	m.defaultTags = r.data.defaultTags
	res.Diagnostics.Append(m.refresh(ctx, in, refreshImport, defs)...)
	if masked := maskedSettings(in.Configuration, defs); len(masked) > 0 {
		it, itIs := "it", "it is"
		if len(masked) > 1 {
			it, itIs = "them", "they are"
		}
		res.Diagnostics.AddWarning("Configuration the Import Cannot Read",
			fmt.Sprintf("The API masks %s of instance %s %q (%s), so the generated configuration leaves %s out: "+
				"the instance keeps %s, unmanaged. To manage %s, add %s to the block's \"configuration\" (%s not "+
				"a secret to Terraform; the next apply writes the value you give).",
				quoteList(masked), in.ID, in.Name, in.Element.Key, it, it, it, it, itIs))
	}
	res.Diagnostics.Append(m.dropSecrets()...)
	res.Diagnostics.Append(setInstanceModel(ctx, &res.Resource.Raw, &m)...)
	return res
}

// maskedSettings are the keys an import leaves out only because the API
// answered them masked although they are not secrets: settings a user
// writes (for sfdc, oauth.api.key, the client id). Secrets and the keys the
// API writes itself are left out anyway, and said so in the docs.
func maskedSettings(cfg map[string]*string, defs map[string]*cloudelements.ConfigDefinition) []string {
	var out []string
	for k, v := range cfg {
		if v == nil || *v != cloudelements.MaskedValue || strings.HasPrefix(k, configkeys.EventPrefix) {
			continue
		}
		if c := configkeys.Classify(k, defs); !c.Secret && !c.ServerOwned {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func quoteList(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = strconv.Quote(k)
	}
	return strings.Join(q, ", ")
}

// dropSecrets nulls the secrets an import would hold: the instance token
// and the readable secrets (sensitive_configuration, the signature key).
// A list result is no state: Terraform 1.14 prints its object, sensitive
// values in clear, in `terraform query -json`, and writes sensitive
// arguments as null into generated configuration anyway. The import that
// follows reads them into state, where they are sensitive.
func (m *instanceResourceModel) dropSecrets() diag.Diagnostics {
	m.Token = types.StringNull()
	m.SensitiveConfiguration = types.MapNull(types.StringType)
	ev, diags := m.eventBlock()
	if ev == nil || ev.SignatureKey.IsNull() {
		return diags
	}
	ev.SignatureKey = types.StringNull()
	blocks, d := eventBlockList(ev)
	diags.Append(d...)
	m.EventNotification = blocks
	return diags
}
