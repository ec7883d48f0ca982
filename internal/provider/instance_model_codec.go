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
)

// The instance resource's model and its event_notification block are read
// from and written to Terraform's values field by field here, instead of
// through the framework's struct reflection (Get and Set with a struct,
// ElementsAs, ListValueFrom): the reflection compiles a regular expression
// for every field of every struct it converts, on every call, and was about
// a tenth of the provider's CPU in a plan of many instances. The values are
// the same (TestInstanceModelCodec_matchesReflection keeps them so).

// instanceAttrTypes are the resource schema's attribute types, built once.
var instanceAttrTypes = sync.OnceValue(func() map[string]attr.Type {
	var resp resource.SchemaResponse
	(&instanceResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if t, ok := resp.Schema.Type().(types.ObjectType); ok {
		return t.AttrTypes
	}
	return nil
})

// modelGetter and modelSetter are the parts of tfsdk.Plan, tfsdk.State and
// tfsdk.Config that read and write a whole value.
type modelGetter interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

type modelSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// getInstanceModel reads a whole plan or state into the model.
func getInstanceModel(ctx context.Context, from modelGetter) (instanceResourceModel, diag.Diagnostics) {
	var obj types.Object
	diags := from.Get(ctx, &obj)
	if diags.HasError() {
		return instanceResourceModel{}, diags
	}
	m, d := instanceModelFromObject(obj)
	diags.Append(d...)
	return m, diags
}

// setInstanceModel writes the model as the whole state.
func setInstanceModel(ctx context.Context, to modelSetter, m *instanceResourceModel) diag.Diagnostics {
	obj, diags := m.object()
	if diags.HasError() {
		return diags
	}
	diags.Append(to.Set(ctx, obj)...)
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
	return types.ObjectValue(instanceAttrTypes(), map[string]attr.Value{
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
