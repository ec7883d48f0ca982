// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// priorState is a prior state of cloudelements_instance: none at all
// (create), one without an event_notification block, or one with a block.
func priorState(t *testing.T, kind string) tfsdk.State {
	t.Helper()
	ctx := context.Background()
	var sresp resource.SchemaResponse
	(&instanceResource{}).Schema(ctx, resource.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx)
	st := tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, nil)}
	if kind == "none" {
		return st
	}
	// Every attribute null, then the block (or an empty list of blocks).
	blocks := types.ListValueMust(eventNotificationObjectType, nil)
	if kind == "block" {
		ev := eventsFromKeys(eventKeys{CallbackURL: types.StringValue("https://a.example.com/e"), Objects: types.SetNull(types.StringType)})
		var diags diag.Diagnostics
		blocks, diags = types.ListValueFrom(ctx, eventNotificationObjectType, []eventNotificationModel{*ev})
		if diags.HasError() {
			t.Fatal(diags)
		}
	}
	if d := st.SetAttribute(ctx, path.Root("event_notification"), blocks); d.HasError() {
		t.Fatal(d)
	}
	return st
}

func TestJSONKeepsStateWhenEquivalent(t *testing.T) {
	ctx := context.Background()
	const prior = `{"contacts":{"url":"/c","idField":"id"}}`
	for _, c := range []struct {
		name          string
		config, state types.String
		block         string
		want          types.String
	}{
		{"reformatted keeps the state's text", types.StringValue("{ \"contacts\": { \"idField\": \"id\", \"url\": \"/c\" } }"),
			types.StringValue(prior), "block", types.StringValue(prior)},
		{"a different document plans it", types.StringValue(`{"deals":{}}`), types.StringValue(prior), "block", types.StringValue(`{"deals":{}}`)},
		{"unset in an existing block keeps the element's value", types.StringNull(), types.StringValue(prior), "block", types.StringValue(prior)},
		{"unset keeps the element's null too", types.StringNull(), types.StringNull(), "block", types.StringNull()},
		{"unset in a new block stays unknown", types.StringNull(), types.StringNull(), "empty", types.StringUnknown()},
		{"unknown config stays unknown", types.StringUnknown(), types.StringValue(prior), "block", types.StringUnknown()},
		{"not JSON is left to the type's validation", types.StringValue("{"), types.StringValue(prior), "block", types.StringValue("{")},
	} {
		t.Run(c.name, func(t *testing.T) {
			planned := c.config
			if c.config.IsNull() {
				planned = types.StringUnknown() // the framework's plan of an unset Optional+Computed
			}
			req := planmodifier.StringRequest{ConfigValue: c.config, StateValue: c.state, PlanValue: planned, State: priorState(t, c.block)}
			resp := planmodifier.StringResponse{PlanValue: planned}
			jsonKeepsStateWhenEquivalent{}.PlanModifyString(ctx, req, &resp)
			if !resp.PlanValue.Equal(c.want) || resp.Diagnostics.HasError() {
				t.Errorf("planned %s (%v), want %s", resp.PlanValue, resp.Diagnostics, c.want)
			}
		})
	}
}

func TestElementDecides(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		config types.Int64
		state  types.Int64
		block  string
		want   types.Int64
	}{
		{"unset in an existing block keeps the element's value", types.Int64Null(), types.Int64Value(15), "block", types.Int64Value(15)},
		{"unset in an existing block keeps null", types.Int64Null(), types.Int64Null(), "block", types.Int64Null()},
		{"unset in a new block stays unknown", types.Int64Null(), types.Int64Null(), "empty", types.Int64Unknown()},
		{"unset on create stays unknown", types.Int64Null(), types.Int64Null(), "none", types.Int64Unknown()},
		{"configured is the configuration's", types.Int64Value(5), types.Int64Value(15), "block", types.Int64Value(5)},
	} {
		t.Run(c.name, func(t *testing.T) {
			planned := c.config
			if c.config.IsNull() {
				planned = types.Int64Unknown()
			}
			req := planmodifier.Int64Request{ConfigValue: c.config, StateValue: c.state, PlanValue: planned, State: priorState(t, c.block)}
			resp := planmodifier.Int64Response{PlanValue: planned}
			elementDecides{}.PlanModifyInt64(ctx, req, &resp)
			if !resp.PlanValue.Equal(c.want) {
				t.Errorf("planned %s, want %s", resp.PlanValue, c.want)
			}
		})
	}
}
