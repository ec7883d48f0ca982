// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The instance resource's model and its event_notification block are read
// from and written to Terraform's values field by field here, instead of
// through the framework's struct reflection (Get and Set with a struct,
// ElementsAs, ListValueFrom): the reflection compiles a regular expression
// for every field of every struct it converts, on every call, and was about
// a tenth of the provider's CPU in a plan of many instances. The values are
// the same (TestInstanceModelCodec_matchesReflection keeps them so).

// instanceType is the resource schema's type, built once: the framework
// builds it again from the schema on every Get and Set.
var instanceType = sync.OnceValue(func() types.ObjectType {
	var resp resource.SchemaResponse
	(&instanceResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	t, _ := resp.Schema.Type().(types.ObjectType)
	return t
})

// getInstanceModel reads a whole plan or state (its Raw value) into the
// model.
func getInstanceModel(ctx context.Context, raw tftypes.Value) (instanceResourceModel, diag.Diagnostics) {
	v, err := instanceType().ValueFromTerraform(ctx, raw)
	obj, ok := v.(types.Object)
	if err != nil || !ok {
		var diags diag.Diagnostics
		diags.AddError("Unexpected Value", fmt.Sprintf("The provider could not read Terraform's value of the instance (%v). "+
			"This is a bug in the provider; please report it.", err))
		return instanceResourceModel{}, diags
	}
	return instanceModelFromObject(obj)
}

// setInstanceModel writes the model as a whole state (its Raw value).
func setInstanceModel(ctx context.Context, raw *tftypes.Value, m *instanceResourceModel) diag.Diagnostics {
	obj, diags := m.object()
	if diags.HasError() {
		return diags
	}
	v, err := obj.ToTerraformValue(ctx)
	if err != nil {
		diags.AddError("Unexpected Value", fmt.Sprintf("The provider could not write the instance's state (%v). "+
			"This is a bug in the provider; please report it.", err))
		return diags
	}
	*raw = v
	return diags
}

func instanceModelFromObject(obj types.Object) (instanceResourceModel, diag.Diagnostics) {
	var m instanceResourceModel
	var diags diag.Diagnostics
	a := objectAttributes{values: obj.Attributes(), at: path.Empty()}
	attrAs(a, "id", &m.ID, &diags)
	attrAs(a, "element_key", &m.ElementKey, &diags)
	attrAs(a, "name", &m.Name, &diags)
	attrAs(a, "provider_data", &m.ProviderData, &diags)
	attrAs(a, "provider_data_wo", &m.ProviderDataWO, &diags)
	attrAs(a, "provider_data_wo_version", &m.ProviderDataWOVersion, &diags)
	attrAs(a, "configuration", &m.Configuration, &diags)
	attrAs(a, "sensitive_configuration", &m.SensitiveConfiguration, &diags)
	attrAs(a, "sensitive_configuration_wo", &m.SensitiveConfigWO, &diags)
	attrAs(a, "sensitive_configuration_wo_version", &m.SensitiveConfigWOVer, &diags)
	attrAs(a, "tags", &m.Tags, &diags)
	attrAs(a, "tags_all", &m.TagsAll, &diags)
	attrAs(a, "disabled", &m.Disabled, &diags)
	attrAs(a, "event_notification", &m.EventNotification, &diags)
	attrAs(a, "token", &m.Token, &diags)
	attrAs(a, "element_id", &m.ElementID, &diags)
	attrAs(a, "valid", &m.Valid, &diags)
	attrAs(a, "created_date", &m.CreatedDate, &diags)
	attrAs(a, "timeouts", &m.Timeouts, &diags)
	return m, diags
}

func (m *instanceResourceModel) object() (types.Object, diag.Diagnostics) {
	return types.ObjectValue(instanceType().AttrTypes, map[string]attr.Value{
		"id":                                 m.ID,
		"element_key":                        m.ElementKey,
		"name":                               m.Name,
		"provider_data":                      m.ProviderData,
		"provider_data_wo":                   m.ProviderDataWO,
		"provider_data_wo_version":           m.ProviderDataWOVersion,
		"configuration":                      m.Configuration,
		"sensitive_configuration":            m.SensitiveConfiguration,
		"sensitive_configuration_wo":         m.SensitiveConfigWO,
		"sensitive_configuration_wo_version": m.SensitiveConfigWOVer,
		"tags":                               m.Tags,
		"tags_all":                           m.TagsAll,
		"disabled":                           m.Disabled,
		"event_notification":                 m.EventNotification,
		"token":                              m.Token,
		"element_id":                         m.ElementID,
		"valid":                              m.Valid,
		"created_date":                       m.CreatedDate,
		"timeouts":                           m.Timeouts,
	})
}

func eventNotificationFromObject(obj types.Object) (eventNotificationModel, diag.Diagnostics) {
	var ev eventNotificationModel
	var diags diag.Diagnostics
	a := objectAttributes{values: obj.Attributes(), at: path.Root("event_notification").AtListIndex(0)}
	attrAs(a, "enabled", &ev.Enabled, &diags)
	attrAs(a, "callback_url", &ev.CallbackURL, &diags)
	attrAs(a, "signature_key", &ev.SignatureKey, &diags)
	attrAs(a, "signature_key_wo", &ev.SignatureKeyWO, &diags)
	attrAs(a, "signature_key_wo_version", &ev.SignatureKeyWOVersion, &diags)
	attrAs(a, "vendor_type", &ev.VendorType, &diags)
	attrAs(a, "poller_refresh_interval", &ev.PollerRefreshInterval, &diags)
	attrAs(a, "poller_configuration", &ev.PollerConfiguration, &diags)
	attrAs(a, "objects", &ev.Objects, &diags)
	attrAs(a, "instance_finder", &ev.InstanceFinder, &diags)
	attrAs(a, "poller_urls", &ev.PollerURLs, &diags)
	attrAs(a, "metadata", &ev.Metadata, &diags)
	return ev, diags
}

func (ev *eventNotificationModel) object() (types.Object, diag.Diagnostics) {
	return types.ObjectValue(eventNotificationAttrTypes, map[string]attr.Value{
		"enabled":                  ev.Enabled,
		"callback_url":             ev.CallbackURL,
		"signature_key":            ev.SignatureKey,
		"signature_key_wo":         ev.SignatureKeyWO,
		"signature_key_wo_version": ev.SignatureKeyWOVersion,
		"vendor_type":              ev.VendorType,
		"poller_refresh_interval":  ev.PollerRefreshInterval,
		"poller_configuration":     ev.PollerConfiguration,
		"objects":                  ev.Objects,
		"instance_finder":          ev.InstanceFinder,
		"poller_urls":              ev.PollerURLs,
		"metadata":                 ev.Metadata,
	})
}

// eventBlockList is the event_notification value holding one block.
func eventBlockList(ev *eventNotificationModel) (types.List, diag.Diagnostics) {
	obj, diags := ev.object()
	if diags.HasError() {
		return types.ListNull(eventNotificationObjectType), diags
	}
	list, d := types.ListValue(eventNotificationObjectType, []attr.Value{obj})
	diags.Append(d...)
	return list, diags
}

// objectAttributes are the attributes of an object value at a path.
type objectAttributes struct {
	values map[string]attr.Value
	at     path.Path
}

// attrAs sets into to the attribute name of an object, which the schema
// types as T.
func attrAs[T attr.Value](a objectAttributes, name string, into *T, diags *diag.Diagnostics) {
	v, ok := a.values[name].(T)
	if !ok {
		diags.AddAttributeError(a.at.AtName(name), "Unexpected Value Type",
			fmt.Sprintf("The provider expected %T and found %T. This is a bug in the provider; please report it.", *into, a.values[name]))
		return
	}
	*into = v
}
