// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/formuladef"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/jsonvalue"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ datasource.DataSource                     = &formulaDataSource{}
	_ datasource.DataSourceWithConfigure        = &formulaDataSource{}
	_ datasource.DataSourceWithConfigValidators = &formulaDataSource{}
)

// NewFormulaDataSource is the constructor for data "cloudelements_formula".
func NewFormulaDataSource() datasource.DataSource { return &formulaDataSource{} }

type formulaDataSource struct {
	data *providerData
}

type formulaDataSourceModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	Active      types.Bool   `tfsdk:"active"`
	Definition  types.String `tfsdk:"definition"`
	Variables   types.List   `tfsdk:"variables"`
}

// formulaVariableModel is one configuration entry of a formula.
type formulaVariableModel struct {
	Key         types.String `tfsdk:"key"`
	Name        types.String `tfsdk:"name"`
	Type        types.String `tfsdk:"type"`
	Description types.String `tfsdk:"description"`
	Required    types.Bool   `tfsdk:"required"`
}

var formulaVariableObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"key": types.StringType, "name": types.StringType, "type": types.StringType,
	"description": types.StringType, "required": types.BoolType,
}}

func (d *formulaDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formula"
}

func (d *formulaDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one formula by `id` or by exact `name`: its definition and its variables, for example " +
			"to bind a formula managed elsewhere with `cloudelements_formula_instance`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The formula's numeric id (`id`). Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(positiveIDPattern, "must be a formula id, a positive whole number")},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The formula's exact name (`name`). It is an error when no formula, or more than one, has this name.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description": schema.StringAttribute{MarkdownDescription: "Description of the formula (`description`).", Computed: true},
			"active":      schema.BoolAttribute{MarkdownDescription: "Whether the formula runs (`active`).", Computed: true},
			"definition": schema.StringAttribute{
				MarkdownDescription: "The formula as JSON, without the fields the server assigns and the defaults it fills in: " +
					"what `cloudelements_formula`'s `definition` takes.",
				Computed: true,
			},
			"variables": schema.ListNestedAttribute{
				MarkdownDescription: "The formula's variables (`configuration`), the keys a formula instance's `configuration` takes.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"key":         schema.StringAttribute{MarkdownDescription: "The variable's key (`key`).", Computed: true},
					"name":        schema.StringAttribute{MarkdownDescription: "The variable's name (`name`).", Computed: true},
					"type":        schema.StringAttribute{MarkdownDescription: "`elementInstance` or `value` (`type`).", Computed: true},
					"description": schema.StringAttribute{MarkdownDescription: "The variable's description (`description`).", Computed: true},
					"required":    schema.BoolAttribute{MarkdownDescription: "Whether an instance must set it (`required`).", Computed: true},
				}},
			},
		},
	}
}

func (d *formulaDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *formulaDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *formulaDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	// Every API call runs under a deadline (data sources have no timeouts block).
	ctx, cancel := context.WithTimeout(ctx, defaultTimeout)
	defer cancel()
	var m formulaDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var f *cloudelements.Formula
	if !m.ID.IsNull() {
		id, ok := parseID(m.ID.ValueString(), "Formula", path.Root("id"), &resp.Diagnostics)
		if !ok {
			return
		}
		var err error
		f, err = d.data.client.GetFormula(ctx, id)
		if errors.Is(err, cloudelements.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Cloud Elements Formula Not Found", fmt.Sprintf("No formula has id %d.", id))
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Error Reading Cloud Elements Formula", fmt.Sprintf("Could not read formula %d: %s", id, err))
			return
		}
	} else {
		var err error
		f, err = findFormulaByName(ctx, d.data.client, m.Name.ValueString())
		var nf *nameLookupError
		if errors.As(err, &nf) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), nf.summary, nf.detail)
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Error Reading Cloud Elements Formula", err.Error())
			return
		}
	}
	resp.Diagnostics.Append(m.fill(ctx, f)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// findFormulaByName returns the one formula named exactly name, reading it
// whole (a list answer may leave the steps out:
// churros:src/test/platform/formulas/formulas.js#L23-48). No formula, or
// several, is a *nameLookupError.
func findFormulaByName(ctx context.Context, c *cloudelements.Client, name string) (*cloudelements.Formula, error) {
	found, err := c.ListFormulas(ctx, cloudelements.ListFormulasOptions{Name: name})
	if err != nil {
		return nil, fmt.Errorf("could not search for formulas named %q: %w", name, err)
	}
	var ids []string
	var match *cloudelements.Formula
	for i := range found {
		if found[i].Name == name {
			ids = append(ids, strconv.FormatInt(found[i].ID, 10))
			match = &found[i]
		}
	}
	switch len(ids) {
	case 0:
		return nil, &nameLookupError{"Cloud Elements Formula Not Found", fmt.Sprintf("no formula is named exactly %q", name)}
	case 1:
		return c.GetFormula(ctx, match.ID)
	default:
		return nil, &nameLookupError{"Several Cloud Elements Formulas Found",
			fmt.Sprintf("%d formulas are named %q (ids %s): look one up by id", len(ids), name, strings.Join(ids, ", "))}
	}
}

func (m *formulaDataSourceModel) fill(ctx context.Context, f *cloudelements.Formula) diag.Diagnostics {
	var diags diag.Diagnostics
	var r formulaResourceModel
	if err := r.refresh(f); err != nil {
		diags.AddError("Error Reading Cloud Elements Formula", err.Error())
		return diags
	}
	m.ID, m.Name, m.Description, m.Active = r.ID, r.Name, r.Description, r.Active
	m.Definition = r.Definition.StringValue
	def, err := formuladef.Parse(string(f.Body))
	if err != nil {
		diags.AddError("Error Reading Cloud Elements Formula", err.Error())
		return diags
	}
	vars := []formulaVariableModel{}
	for _, c := range jsonvalue.Objects(def["configuration"]) {
		v := formulaVariableModel{
			Key: stringField(c, "key"), Name: stringField(c, "name"), Type: stringField(c, "type"),
			Description: stringField(c, "description"), Required: types.BoolNull(),
		}
		if b, ok := c["required"].(bool); ok {
			v.Required = types.BoolValue(b)
		}
		vars = append(vars, v)
	}
	list, d := types.ListValueFrom(ctx, formulaVariableObjectType, vars)
	diags.Append(d...)
	m.Variables = list
	return diags
}

// stringField is a string field of a JSON object, null when absent.
func stringField(o map[string]any, key string) types.String {
	if s, ok := o[key].(string); ok {
		return types.StringValue(s)
	}
	return types.StringNull()
}
