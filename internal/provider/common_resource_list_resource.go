// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ list.ListResource              = &commonResourceListResource{}
	_ list.ListResourceWithConfigure = &commonResourceListResource{}
)

// NewCommonResourceListResource is the constructor for list
// "cloudelements_common_resource" (terraform query, Terraform 1.14 and later).
func NewCommonResourceListResource() list.ListResource { return &commonResourceListResource{} }

// commonResourceListResource finds the organization's common resources for
// `terraform query`, so they can be adopted.
type commonResourceListResource struct {
	data *providerData
}

type commonResourceListModel struct {
	NameContains types.String `tfsdk:"name_contains"`
}

func (r *commonResourceListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_common_resource"
}

func (r *commonResourceListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the organization's common resources for `terraform query` (Terraform 1.14 and later), to " +
			"adopt them. Each result is identified and named by the common resource's `name` (its resource identity). " +
			"`terraform query -generate-config-out=FILE` writes a `cloudelements_common_resource` block and an `import` block " +
			"for each, with its organization-level fields. Without `config`, every common resource of the organization is " +
			"listed (`GET /organizations/objects/definitions`); one with no organization-level field (only account- or " +
			"instance-level ones) is not, as the resource manages the organization level only.",
		Attributes: map[string]listschema.Attribute{
			"name_contains": listschema.StringAttribute{
				MarkdownDescription: "Only common resources whose name contains this text, case-sensitively.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (r *commonResourceListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *commonResourceListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m commonResourceListModel
	if !listConfig(ctx, req, stream, r.data, "Listing common resources", &m) {
		return
	}
	type named struct {
		name string
		def  *cloudelements.ObjectDefinition
	}
	find := func(ctx context.Context) ([]named, error) {
		defs, err := r.data.client.ListObjectDefinitions(ctx)
		var found []named
		for _, name := range slices.Sorted(maps.Keys(defs)) {
			found = append(found, named{name, defs[name]})
		}
		return found, err
	}
	stream.Results = listResults(ctx, req, "Common Resources", find, func(ctx context.Context, n *named) (list.ListResult, bool) {
		if !strings.Contains(n.name, m.NameContains.ValueString()) || len(fieldTypes(n.def)) == 0 || !vdrNamePattern.MatchString(n.name) {
			return list.ListResult{}, false
		}
		res := req.NewListResult(ctx)
		res.DisplayName = n.name
		res.Diagnostics.Append(res.Identity.Set(ctx, commonResourceIdentity{Name: types.StringValue(n.name)})...)
		if req.IncludeResource && !res.Diagnostics.HasError() {
			cr := commonResourceModel{Name: types.StringValue(n.name), Timeouts: nullTimeouts()}
			res.Diagnostics.Append(cr.refresh(ctx, n.def)...)
			res.Diagnostics.Append(res.Resource.Set(ctx, &cr)...)
		}
		return res, true
	})
}
