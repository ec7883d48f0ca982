// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/formuladef"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ list.ListResource              = &formulaListResource{}
	_ list.ListResourceWithConfigure = &formulaListResource{}
)

// NewFormulaListResource is the constructor for list "cloudelements_formula"
// (terraform query, Terraform 1.14 and later).
func NewFormulaListResource() list.ListResource { return &formulaListResource{} }

// formulaListResource finds existing formulas for `terraform query`, so
// formulas kept as console or doctor JSON can be adopted.
type formulaListResource struct {
	data *providerData
}

type formulaListModel struct {
	NameContains types.String `tfsdk:"name_contains"`
}

func (r *formulaListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formula"
}

func (r *formulaListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds existing formulas for `terraform query` (Terraform 1.14 and later), to adopt them. Each " +
			"result is identified by the formula's `id` (its resource identity) and named by the formula's name. " +
			"`terraform query -generate-config-out=FILE` writes a `cloudelements_formula` block and an `import` block for " +
			"each, with the definition as the server holds it, without the fields it assigns and the defaults it fills in; " +
			"the configuration plans with no change. Move the definition to a file (`file(\"formulas/<name>.json\")`) " +
			"afterwards if you like: the same JSON in another layout is no change.",
		Attributes: map[string]listschema.Attribute{
			"name_contains": listschema.StringAttribute{
				MarkdownDescription: "Only formulas whose name contains this text, case-sensitively.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (r *formulaListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *formulaListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m formulaListModel
	if !listConfig(ctx, req, stream, r.data, "Listing formulas", &m) {
		return
	}
	find := func(ctx context.Context) ([]cloudelements.Formula, error) {
		found, err := r.data.client.ListFormulas(ctx, cloudelements.ListFormulasOptions{})
		sort.Slice(found, func(i, j int) bool { return found[i].ID < found[j].ID })
		return found, err
	}
	stream.Results = listResults(ctx, req, "Formulas", find, func(ctx context.Context, f *cloudelements.Formula) (list.ListResult, bool) {
		if !strings.Contains(f.Name, m.NameContains.ValueString()) {
			return list.ListResult{}, false
		}
		return r.result(ctx, req, f), true
	})
}

// result is one formula as a list result: its name, its identity and, when
// Terraform asks for it, the resource object an import would give.
func (r *formulaListResource) result(ctx context.Context, req list.ListRequest, f *cloudelements.Formula) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = f.Name
	id := types.StringValue(strconv.FormatInt(f.ID, 10))
	res.Diagnostics.Append(res.Identity.Set(ctx, formulaIdentity{ID: id})...)
	if !req.IncludeResource || res.Diagnostics.HasError() {
		return res
	}
	// A list answer may be abridged (no steps): read the formula, as an
	// import does.
	if !formuladef.HasSteps(f.Body) {
		got, err := r.data.client.GetFormula(ctx, f.ID)
		if err != nil {
			res.Diagnostics.AddError("Error Reading Cloud Elements Formula", fmt.Sprintf("Could not read formula %d: %s", f.ID, err))
			return res
		}
		f = got
	}
	m := formulaResourceModel{Definition: formulaDefinition{StringValue: types.StringNull()}, Timeouts: nullTimeouts()}
	if err := m.refresh(f); err != nil {
		res.Diagnostics.AddError("Error Reading Cloud Elements Formula", err.Error())
		return res
	}
	res.Diagnostics.Append(res.Resource.Set(ctx, &m)...)
	return res
}
