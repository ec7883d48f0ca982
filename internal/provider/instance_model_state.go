// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The instance resource's model and its event_notification block are read
// from and written to Terraform's values with the framework's struct
// reflection, as every other resource's. (A hand-written conversion saved
// about a tenth of the provider's CPU in an apply of 1000 instances and
// nothing measurable in a plan or destroy: DESIGN.md, "Workarounds"; it
// was removed.)

// instanceSchema is the resource schema, built once.
var instanceSchema = sync.OnceValue(func() schema.Schema {
	var resp resource.SchemaResponse
	(&instanceResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return resp.Schema
})

// getInstanceModel reads a whole plan or state (its Raw value) into the
// model.
func getInstanceModel(ctx context.Context, raw tftypes.Value) (instanceResourceModel, diag.Diagnostics) {
	var m instanceResourceModel
	diags := tfsdk.State{Raw: raw, Schema: instanceSchema()}.Get(ctx, &m)
	return m, diags
}

// setInstanceModel writes the model as a whole state (its Raw value).
func setInstanceModel(ctx context.Context, raw *tftypes.Value, m *instanceResourceModel) diag.Diagnostics {
	st := tfsdk.State{Raw: *raw, Schema: instanceSchema()}
	diags := st.Set(ctx, m)
	*raw = st.Raw
	return diags
}

func eventNotificationFromObject(obj types.Object) (eventNotificationModel, diag.Diagnostics) {
	var ev eventNotificationModel
	diags := obj.As(context.Background(), &ev, basetypes.ObjectAsOptions{})
	return ev, diags
}

// eventBlockList is the event_notification value holding one block.
func eventBlockList(ev *eventNotificationModel) (types.List, diag.Diagnostics) {
	return types.ListValueFrom(context.Background(), eventNotificationObjectType, []eventNotificationModel{*ev})
}
