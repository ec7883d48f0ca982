// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/elementdef"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/formuladef"
)

// Definitions compared as documents (DESIGN.md, "House style"): a JSON
// string attribute whose semantic equality is the document comparison of
// its kind (formuladef, elementdef), so the server's answer and
// reformatted or reordered JSON are no change, plus a plan modifier that
// keeps the prior text when the configured one means the same.

// definitionKind says how one kind of definition is compared and checked.
type definitionKind interface {
	// what names the document for messages: "formula", "element".
	what() string
	equivalent(a, b string) bool
	parse(s string) error
	// hint says what the text should be, after "The definition must be ".
	hint() string
}

type formulaKind struct{}

func (formulaKind) what() string                { return "formula" }
func (formulaKind) equivalent(a, b string) bool { return formuladef.Equivalent(a, b) }
func (formulaKind) parse(s string) error        { _, err := formuladef.Parse(s); return err }
func (formulaKind) hint() string                { return "the formula's JSON (as the console or doctor exports it)" }

type elementKind struct{}

func (elementKind) what() string                { return "element" }
func (elementKind) equivalent(a, b string) bool { return elementdef.Equivalent(a, b) }
func (elementKind) parse(s string) error        { _, err := elementdef.Parse(s); return err }
func (elementKind) hint() string {
	return "the element's JSON (as the Element Builder or a doctor export writes it)"
}

// elementResourcesKind is an extension's resources: a JSON list.
type elementResourcesKind struct{}

func (elementResourcesKind) what() string { return "list of resources" }
func (elementResourcesKind) equivalent(a, b string) bool {
	return elementdef.ResourcesEquivalent(a, b)
}
func (elementResourcesKind) parse(s string) error { _, err := elementdef.ParseResources(s); return err }
func (elementResourcesKind) hint() string {
	return "a JSON list of resources (as an extended element's export lists them)"
}

type (
	formulaDefinitionType    = definitionType[formulaKind]
	formulaDefinition        = definitionValue[formulaKind]
	keepEquivalentDefinition = keepEquivalent[formulaKind]
	elementDefinitionType    = definitionType[elementKind]
	elementDefinition        = definitionValue[elementKind]
	elementResourcesType     = definitionType[elementResourcesKind]
	elementResources         = definitionValue[elementResourcesKind]
	keepEquivalentElement    = keepEquivalent[elementKind]
	keepEquivalentResources  = keepEquivalent[elementResourcesKind]
)

var (
	_ basetypes.StringTypable                    = formulaDefinitionType{}
	_ basetypes.StringValuableWithSemanticEquals = formulaDefinition{}
	_ xattr.ValidateableAttribute                = formulaDefinition{}
	_ basetypes.StringValuableWithSemanticEquals = elementDefinition{}
	_ basetypes.StringValuableWithSemanticEquals = elementResources{}
)

// definitionType is the type of a definition of kind K.
type definitionType[K definitionKind] struct {
	basetypes.StringType
}

func (t definitionType[K]) String() string {
	var k K
	return k.what() + "DefinitionType"
}

func (t definitionType[K]) ValueType(context.Context) attr.Value { return definitionValue[K]{} }

func (t definitionType[K]) Equal(o attr.Type) bool {
	_, ok := o.(definitionType[K])
	return ok
}

func (t definitionType[K]) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return definitionValue[K]{StringValue: in}, nil
}

func (t definitionType[K]) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return definitionValue[K]{StringValue: s}, nil
}

// definitionValue is a value of definitionType[K].
type definitionValue[K definitionKind] struct {
	basetypes.StringValue
}

func newDefinition[K definitionKind](s string) definitionValue[K] {
	return definitionValue[K]{StringValue: basetypes.NewStringValue(s)}
}

func newFormulaDefinition(s string) formulaDefinition { return newDefinition[formulaKind](s) }

func (v definitionValue[K]) Type(context.Context) attr.Type { return definitionType[K]{} }

func (v definitionValue[K]) Equal(o attr.Value) bool {
	other, ok := o.(definitionValue[K])
	return ok && v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals keeps the prior value (the user's text) when the new
// one (the server's answer) describes the same document.
func (v definitionValue[K]) StringSemanticEquals(_ context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	var k K
	n, ok := newValuable.(definitionValue[K])
	if !ok {
		diags.AddError("Semantic Equality Check Error",
			fmt.Sprintf("Expected a %s definition, got %T. This is a bug in the provider; please report it.", k.what(), newValuable))
		return false, diags
	}
	return k.equivalent(v.ValueString(), n.ValueString()), diags
}

// ValidateAttribute refuses text that is not the document's JSON.
func (v definitionValue[K]) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	if v.IsNull() || v.IsUnknown() {
		return
	}
	var k K
	if err := k.parse(v.ValueString()); err != nil {
		title := "Invalid Formula Definition"
		if k.what() != "formula" {
			title = "Invalid Element Definition"
		}
		resp.Diagnostics.AddAttributeError(req.Path, title, fmt.Sprintf("The definition must be %s: %s.", k.hint(), err))
	}
}

// keepEquivalent plans the prior definition when the configured one
// describes the same document: reformatting or reordering the JSON, or
// pasting an export with server fields, is then no change. Terraform accepts
// a planned value equal to the prior state in place of the configuration
// when both are set (the provider declares them equivalent).
type keepEquivalent[K definitionKind] struct{}

func (keepEquivalent[K]) Description(context.Context) string {
	var k K
	return "Keeps the prior definition when the configured one describes the same " + k.what() + "."
}

func (m keepEquivalent[K]) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepEquivalent[K]) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var k K
	if req.ConfigValue.ValueString() != req.StateValue.ValueString() &&
		k.equivalent(req.StateValue.ValueString(), req.ConfigValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}
