// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/formuladef"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var (
	_ basetypes.StringTypable                    = formulaDefinitionType{}
	_ basetypes.StringValuableWithSemanticEquals = formulaDefinition{}
	_ xattr.ValidateableAttribute                = formulaDefinition{}
)

// formulaDefinitionType is the type of a formula `definition`: a JSON
// string whose semantic equality is definitionsEquivalent, so the server's
// answer and reformatted or reordered JSON are no change.
type formulaDefinitionType struct {
	basetypes.StringType
}

func (t formulaDefinitionType) String() string { return "formulaDefinitionType" }

func (t formulaDefinitionType) ValueType(context.Context) attr.Value { return formulaDefinition{} }

func (t formulaDefinitionType) Equal(o attr.Type) bool {
	_, ok := o.(formulaDefinitionType)
	return ok
}

func (t formulaDefinitionType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return formulaDefinition{StringValue: in}, nil
}

func (t formulaDefinitionType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return formulaDefinition{StringValue: s}, nil
}

// formulaDefinition is a value of formulaDefinitionType.
type formulaDefinition struct {
	basetypes.StringValue
}

func newFormulaDefinition(s string) formulaDefinition {
	return formulaDefinition{StringValue: basetypes.NewStringValue(s)}
}

func (v formulaDefinition) Type(context.Context) attr.Type { return formulaDefinitionType{} }

func (v formulaDefinition) Equal(o attr.Value) bool {
	other, ok := o.(formulaDefinition)
	return ok && v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals keeps the prior value (the user's text) when the new
// one (the server's answer) describes the same formula.
func (v formulaDefinition) StringSemanticEquals(_ context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	n, ok := newValuable.(formulaDefinition)
	if !ok {
		diags.AddError("Semantic Equality Check Error",
			fmt.Sprintf("Expected a formula definition, got %T. This is a bug in the provider; please report it.", newValuable))
		return false, diags
	}
	return formuladef.Equivalent(v.ValueString(), n.ValueString()), diags
}

// ValidateAttribute refuses text that is not a JSON object.
func (v formulaDefinition) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	if v.IsNull() || v.IsUnknown() {
		return
	}
	if _, err := formuladef.Parse(v.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Formula Definition",
			fmt.Sprintf("The definition must be the formula's JSON (as the console or doctor exports it): %s.", err))
	}
}

// keepEquivalentDefinition plans the prior definition when the configured
// one describes the same formula: reformatting or reordering the JSON, or
// pasting an export with server fields, is then no change. Terraform accepts
// a planned value equal to the prior state in place of the configuration
// when both are set (the provider declares them equivalent).
type keepEquivalentDefinition struct{}

func (keepEquivalentDefinition) Description(context.Context) string {
	return "Keeps the prior definition when the configured one describes the same formula."
}

func (m keepEquivalentDefinition) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepEquivalentDefinition) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if req.ConfigValue.ValueString() != req.StateValue.ValueString() &&
		formuladef.Equivalent(req.StateValue.ValueString(), req.ConfigValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}
