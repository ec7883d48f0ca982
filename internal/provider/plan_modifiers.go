package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
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
	if req.ConfigValue.IsUnknown() || req.StateValue.IsNull() || req.StateValue.IsUnknown() {
		return
	}
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.StateValue
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
