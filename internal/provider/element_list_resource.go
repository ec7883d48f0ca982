// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ list.ListResource              = &elementListResource{}
	_ list.ListResourceWithConfigure = &elementListResource{}
)

// NewElementListResource is the constructor for list "cloudelements_element"
// (terraform query, Terraform 1.14 and later).
func NewElementListResource() list.ListResource { return &elementListResource{} }

// elementListResource finds the account's custom elements for
// `terraform query`, so elements built in the console can be adopted.
type elementListResource struct {
	data *providerData
}

func (r *elementListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_element"
}

func (r *elementListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds every custom (private) element of the account for `terraform query` (Terraform 1.14 " +
			"and later), to adopt them (`GET /elements?where=private='true'`). Catalog elements are not listed. Each result " +
			"is identified by the element's `key` (its resource identity) and named by its name. " +
			"`terraform query -generate-config-out=FILE` writes a `cloudelements_element` block and an `import` block for " +
			"each, with the definition in the form doctor exports it (no ids or dates, no secret values); the " +
			"configuration plans with no change. Secret default values are not read: set them in `sensitive_defaults` " +
			"before the first change. Move the definition to a file afterwards if you like: the same JSON in another " +
			"layout is no change.",
	}
}

func (r *elementListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *elementListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	if r.data == nil {
		addNotConfigured(&diags, "Listing custom elements needs the provider's credentials")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	find := func(ctx context.Context) ([]cloudelements.CustomElement, error) {
		found, err := r.data.client.ListPrivateElements(ctx, "")
		sort.Slice(found, func(i, j int) bool { return found[i].Key < found[j].Key })
		return found, err
	}
	stream.Results = listResults(ctx, req, "Custom Elements", find, func(ctx context.Context, e *cloudelements.CustomElement) (list.ListResult, bool) {
		return r.result(ctx, req, e), true
	})
}

// result is one custom element as a list result: its name, its identity
// and, when Terraform asks for it, the resource object an import would give.
func (r *elementListResource) result(ctx context.Context, req list.ListRequest, e *cloudelements.CustomElement) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = e.Name
	res.Diagnostics.Append(res.Identity.Set(ctx, elementIdentity{Key: types.StringValue(e.Key)})...)
	if !req.IncludeResource || res.Diagnostics.HasError() {
		return res
	}
	// A list answer may be abridged: read the element, as an import does.
	got, err := r.data.client.GetElementByID(ctx, e.ID)
	if err != nil {
		res.Diagnostics.AddError("Error Reading Cloud Elements Element", fmt.Sprintf("Could not read element %d: %s", e.ID, err))
		return res
	}
	m := elementResourceModel{Definition: elementDefinition{StringValue: types.StringNull()},
		SensitiveDefaults: types.MapNull(types.StringType), Timeouts: nullTimeouts()}
	if err := m.refresh(ctx, got, &res.Diagnostics); err != nil {
		res.Diagnostics.AddError("Error Reading Cloud Elements Element", err.Error())
		return res
	}
	res.Diagnostics.Append(res.Resource.Set(ctx, &m)...)
	return res
}
