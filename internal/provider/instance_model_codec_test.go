// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// codecModels are models that exercise every kind of value the resource
// holds: known, null and unknown, with and without an event block.
func codecModels() map[string]instanceResourceModel {
	full := fuzzPriorModel(false)
	full.Timeouts = timeouts.Value{Object: types.ObjectValueMust(map[string]attr.Type{
		"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
	}, map[string]attr.Value{
		"create": types.StringValue("5m"), "read": types.StringNull(), "update": types.StringNull(), "delete": types.StringValue("1m"),
	})}
	full.ProviderDataWOVersion = types.Int64Value(2)
	full.SensitiveConfigWOVer = types.Int64Value(3)

	planned := full
	planned.ID = types.StringUnknown()
	planned.Token = types.StringUnknown()
	planned.Valid = types.BoolUnknown()
	ev := eventNotificationModel{
		Enabled: types.BoolValue(true), CallbackURL: types.StringValue("https://a.example.com/e"),
		SignatureKey: types.StringNull(), SignatureKeyWO: types.StringNull(), SignatureKeyWOVersion: types.Int64Null(),
		VendorType: types.StringUnknown(), PollerRefreshInterval: types.Int64Unknown(),
		PollerConfiguration: jsontypes.NewNormalizedUnknown(), Objects: types.SetNull(types.StringType),
		InstanceFinder: types.StringValue("site.id"), PollerURLs: types.StringNull(), Metadata: jsontypes.NewNormalizedValue(`{"a":1}`),
	}
	evObj, diags := ev.object()
	if diags.HasError() {
		panic(diags)
	}
	planned.EventNotification = types.ListValueMust(eventNotificationObjectType, []attr.Value{evObj})

	noBlock := full
	noBlock.EventNotification = types.ListValueMust(eventNotificationObjectType, nil)

	return map[string]instanceResourceModel{
		"full": full, "planned": planned, "no block": noBlock, "import": fuzzPriorModel(true),
	}
}

func instanceSchemaForTest(t *testing.T) tfsdk.State {
	t.Helper()
	var resp resource.SchemaResponse
	(&instanceResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(context.Background()), nil)}
}

// TestInstanceModelCodec_matchesReflection: the hand-written conversion
// writes and reads exactly what the framework's struct reflection does.
func TestInstanceModelCodec_matchesReflection(t *testing.T) {
	ctx := context.Background()
	for name, m := range codecModels() {
		t.Run(name, func(t *testing.T) {
			byReflection := instanceSchemaForTest(t)
			if d := byReflection.Set(ctx, &m); d.HasError() {
				t.Fatalf("reflection Set: %v", d)
			}
			byCodec := instanceSchemaForTest(t)
			if d := setInstanceModel(ctx, &byCodec.Raw, &m); d.HasError() {
				t.Fatalf("setInstanceModel: %v", d)
			}
			if !byCodec.Raw.Equal(byReflection.Raw) {
				t.Fatalf("written values differ:\ncodec:      %s\nreflection: %s", byCodec.Raw, byReflection.Raw)
			}

			var viaReflection instanceResourceModel
			if d := byReflection.Get(ctx, &viaReflection); d.HasError() {
				t.Fatalf("reflection Get: %v", d)
			}
			viaCodec, d := getInstanceModel(ctx, byReflection.Raw)
			if d.HasError() {
				t.Fatalf("getInstanceModel: %v", d)
			}
			a, _ := viaCodec.object()
			b, _ := viaReflection.object()
			if !a.Equal(b) {
				t.Fatalf("read models differ:\ncodec:      %s\nreflection: %s", a, b)
			}

			ev, d := viaCodec.eventBlock()
			if d.HasError() {
				t.Fatal(d)
			}
			var blocks []eventNotificationModel
			if d := m.EventNotification.ElementsAs(ctx, &blocks, false); d.HasError() {
				t.Fatal(d)
			}
			if (ev == nil) != (len(blocks) == 0) {
				t.Fatalf("eventBlock = %v, reflection found %d blocks", ev, len(blocks))
			}
			if ev == nil {
				return
			}
			got, d := eventBlockList(ev)
			if d.HasError() {
				t.Fatal(d)
			}
			want, d := types.ListValueFrom(ctx, eventNotificationObjectType, blocks)
			if d.HasError() {
				t.Fatal(d)
			}
			if !got.Equal(want) {
				t.Fatalf("event block differs:\ncodec:      %s\nreflection: %s", got, want)
			}
		})
	}
}

// TestInstanceModelCodec_wrongType: a value of another type than the
// schema's is an error naming the attribute, not a panic.
func TestInstanceModelCodec_wrongType(t *testing.T) {
	m := codecModels()["full"]
	obj, d := m.object()
	if d.HasError() {
		t.Fatal(d)
	}
	attrs := obj.Attributes()
	attrs["name"] = types.Int64Value(1)
	_, diags := instanceModelFromObject(types.ObjectValueMust(map[string]attr.Type{"name": types.Int64Type}, map[string]attr.Value{"name": attrs["name"]}))
	if !diags.HasError() {
		t.Fatal("no error for a mistyped attribute")
	}
	for _, d := range diags {
		if dp, ok := d.(diag.DiagnosticWithPath); ok && dp.Path().Equal(path.Root("name")) {
			return
		}
	}
	t.Fatalf("no error names the attribute name: %v", diags)
}
