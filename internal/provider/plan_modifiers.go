// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// jsonKeepsStateWhenEquivalent plans the prior state's JSON text when the
// configured JSON means the same (whitespace and key order aside), so that
// reformatting a JSON document in the configuration plans no change. It
// needs the attribute to be Optional+Computed. A null configuration means
// "the element decides": the prior value is kept (as UseStateForUnknown
// does), and a new block's value stays unknown until the API answers.
type jsonKeepsStateWhenEquivalent struct{}

var _ planmodifier.String = jsonKeepsStateWhenEquivalent{}

func (jsonKeepsStateWhenEquivalent) Description(context.Context) string {
	return "Keeps the prior JSON text when the configured JSON is semantically equal."
}

func (m jsonKeepsStateWhenEquivalent) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (jsonKeepsStateWhenEquivalent) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.ConfigValue.IsNull() {
		elementDecides{}.PlanModifyString(ctx, req, resp)
		return
	}
	if req.ConfigValue.IsUnknown() || req.StateValue.IsNull() || req.StateValue.IsUnknown() {
		return
	}
	cfg := jsontypes.NewNormalizedValue(req.ConfigValue.ValueString())
	prior := jsontypes.NewNormalizedValue(req.StateValue.ValueString())
	equal, diags := cfg.StringSemanticEquals(ctx, prior)
	if diags.HasError() || !equal {
		return
	}
	resp.PlanValue = req.StateValue
}

// priorBlockExists reports whether the prior state holds an
// event_notification block (so a null there is the element's answer, not
// "never read"). It looks at Terraform's value directly: this runs for two
// attributes of every instance in every plan, and a framework lookup by
// path costs as much as the rest of the check many times over.
func priorBlockExists(st tfsdk.State) bool {
	if st.Raw.IsNull() || !st.Raw.IsKnown() {
		return false
	}
	got, _, err := tftypes.WalkAttributePath(st.Raw, tftypes.NewAttributePath().WithAttributeName("event_notification"))
	blocks, ok := got.(tftypes.Value)
	if err != nil || !ok || blocks.IsNull() || !blocks.IsKnown() {
		return false
	}
	var elems []tftypes.Value
	return blocks.As(&elems) == nil && len(elems) > 0
}

// elementDecides plans, for an event setting left unset, the value the
// prior state holds, null included, when the block already existed: the
// element's answer does not change because something else in the
// instance does. In a new block the value stays unknown until the API
// answers. (UseStateForUnknown does the same only for non-null values.)
type elementDecides struct{}

var (
	_ planmodifier.String = elementDecides{}
	_ planmodifier.Int64  = elementDecides{}
)

func (elementDecides) Description(context.Context) string {
	return "Unset, keeps the value the element chose."
}

func (m elementDecides) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (elementDecides) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.ConfigValue.IsNull() && !req.StateValue.IsUnknown() && priorBlockExists(req.State) {
		resp.PlanValue = req.StateValue
	}
}

func (elementDecides) PlanModifyInt64(ctx context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	if req.ConfigValue.IsNull() && !req.StateValue.IsUnknown() && priorBlockExists(req.State) {
		resp.PlanValue = req.StateValue
	}
}
