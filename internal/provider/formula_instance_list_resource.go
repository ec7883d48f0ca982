// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ list.ListResource              = &formulaInstanceListResource{}
	_ list.ListResourceWithConfigure = &formulaInstanceListResource{}
)

// NewFormulaInstanceListResource is the constructor for list
// "cloudelements_formula_instance" (terraform query, Terraform 1.14 and later).
func NewFormulaInstanceListResource() list.ListResource { return &formulaInstanceListResource{} }

// formulaInstanceListResource finds existing formula instances for
// `terraform query`, so they can be adopted.
type formulaInstanceListResource struct {
	data *providerData
}

type formulaInstanceListModel struct {
	FormulaID         types.String `tfsdk:"formula_id"`
	ElementInstanceID types.String `tfsdk:"element_instance_id"`
}

func (r *formulaInstanceListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formula_instance"
}

func (r *formulaInstanceListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	idValidators := []validator.String{stringvalidator.RegexMatches(positiveIDPattern, "must be a positive whole number")}
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds existing formula instances for `terraform query` (Terraform 1.14 and later), to adopt them. " +
			"Each result is identified by the formula's and the instance's ids (`formula_id` and `id`, its resource identity) " +
			"and named by the instance's name. `terraform query -generate-config-out=FILE` writes a " +
			"`cloudelements_formula_instance` block and an `import` block for each, with `formula_id` as a literal id: refer " +
			"to the formula's resource instead (`cloudelements_formula.<label>.id`) once it is adopted too, so the instance " +
			"is planned with it. Variables whose names say they are secret (`apiKey`, `password`, `token`, ...) are left out, " +
			"with a warning naming them: the instance keeps them until you set them in `sensitive_configuration` or " +
			"`sensitive_configuration_wo`. Without `config`, every formula instance of the account is listed " +
			"(`GET /formulas/instances`).",
		Attributes: map[string]listschema.Attribute{
			"formula_id": listschema.StringAttribute{
				MarkdownDescription: "Only the instances of this formula (`GET /formulas/{id}/instances`).",
				Optional:            true,
				Validators:          idValidators,
			},
			"element_instance_id": listschema.StringAttribute{
				MarkdownDescription: "Only the instances one of whose variables is bound to this element instance " +
					"(`GET /formulas/instances?elementInstanceId=`), such as `cloudelements_instance.crm.id`.",
				Optional:   true,
				Validators: idValidators,
			},
		},
	}
}

func (r *formulaInstanceListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *formulaInstanceListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m formulaInstanceListModel
	if !listConfig(ctx, req, stream, r.data, "Listing formula instances", &m) {
		return
	}
	formulaID, _ := parseInt(m.FormulaID.ValueString())
	bound := m.ElementInstanceID.ValueString()
	find := func(ctx context.Context) (found []cloudelements.FormulaInstance, err error) {
		if formulaID != 0 {
			found, err = r.data.client.ListFormulaInstances(ctx, formulaID)
		} else {
			elementInstanceID, _ := parseInt(bound)
			found, err = r.data.client.ListAllFormulaInstances(ctx, elementInstanceID)
		}
		sort.Slice(found, func(i, j int) bool { return found[i].ID < found[j].ID })
		return found, err
	}
	stream.Results = listResults(ctx, req, "Formula Instances", find, func(ctx context.Context, in *cloudelements.FormulaInstance) (list.ListResult, bool) {
		in, res, ok := r.complete(ctx, in, req.IncludeResource || bound != "")
		if !ok {
			return res, true
		}
		// Whatever the API did with the filter, keep only what it asks for.
		if bound != "" && !slices.Contains(slices.Collect(maps.Values(in.Configuration)), bound) {
			return list.ListResult{}, false
		}
		return r.result(ctx, req, in), true
	})
}

// complete reads an instance by id when a list entry leaves its values out
// and they are needed (not documented either way); ok is false, with a
// result holding the error, when the read fails.
func (r *formulaInstanceListResource) complete(ctx context.Context, in *cloudelements.FormulaInstance, need bool) (*cloudelements.FormulaInstance, list.ListResult, bool) {
	if !need || in.Configuration != nil {
		return in, list.ListResult{}, true
	}
	got, err := r.data.client.GetFormulaInstance(ctx, in.FormulaID, in.ID)
	if err != nil {
		var d diag.Diagnostics
		d.AddError("Error Reading Cloud Elements Formula Instance",
			fmt.Sprintf("Could not read instance %d of formula %d: %s", in.ID, in.FormulaID, err))
		return nil, list.ListResult{Diagnostics: d}, false
	}
	return got, list.ListResult{}, true
}

// result is one formula instance as a list result: its name, its identity
// and, when Terraform asks for it, the resource object an import would give,
// without secrets.
func (r *formulaInstanceListResource) result(ctx context.Context, req list.ListRequest, in *cloudelements.FormulaInstance) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = in.Name
	id := formulaInstanceIdentity{
		FormulaID: types.StringValue(strconv.FormatInt(in.FormulaID, 10)),
		ID:        types.StringValue(strconv.FormatInt(in.ID, 10)),
	}
	res.Diagnostics.Append(res.Identity.Set(ctx, id)...)
	if !req.IncludeResource || res.Diagnostics.HasError() {
		return res
	}
	m := formulaInstanceResourceModel{
		Configuration:          types.MapNull(types.StringType),
		SensitiveConfiguration: types.MapNull(types.StringType),
		SensitiveConfigWO:      types.MapNull(types.StringType),
		SensitiveConfigWOVer:   types.Int64Null(),
		Timeouts:               nullTimeouts(),
	}
	if unmanaged := m.refresh(in, hiddenKeys{}); len(unmanaged) > 0 {
		res.Diagnostics.AddWarning("Secret Formula Variables Not Imported", secretsNotImported(in, unmanaged))
	}
	res.Diagnostics.Append(res.Resource.Set(ctx, &m)...)
	return res
}
