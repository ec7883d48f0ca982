// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// eventKeyAttribute names the block attribute that owns each event key.
var eventKeyAttribute = map[string]string{
	configkeys.EventsEnabled:  "enabled",
	configkeys.CallbackURL:    "callback_url",
	configkeys.SignatureKey:   "signature_key",
	configkeys.VendorType:     "vendor_type",
	configkeys.PollerInterval: "poller_refresh_interval",
	configkeys.PollerConfig:   "poller_configuration",
	configkeys.EventObjects:   "objects",
	configkeys.InstanceFinder: "instance_finder",
	configkeys.PollerURLs:     "poller_urls",
	configkeys.EventMetadata:  "metadata",
}

// eventNotificationModel is the event_notification block.
type eventNotificationModel struct {
	Enabled               types.Bool           `tfsdk:"enabled"`
	CallbackURL           types.String         `tfsdk:"callback_url"`
	SignatureKey          types.String         `tfsdk:"signature_key"`
	SignatureKeyWO        types.String         `tfsdk:"signature_key_wo"`
	SignatureKeyWOVersion types.Int64          `tfsdk:"signature_key_wo_version"`
	VendorType            types.String         `tfsdk:"vendor_type"`
	PollerRefreshInterval types.Int64          `tfsdk:"poller_refresh_interval"`
	PollerConfiguration   jsontypes.Normalized `tfsdk:"poller_configuration"`
	Objects               types.Set            `tfsdk:"objects"`
	InstanceFinder        types.String         `tfsdk:"instance_finder"`
	PollerURLs            types.String         `tfsdk:"poller_urls"`
	Metadata              jsontypes.Normalized `tfsdk:"metadata"`
}

// eventSettingTypes are the attribute types the resource's block and the
// data sources' event_notification share; each adds its own.
func eventSettingTypes(extra map[string]attr.Type) map[string]attr.Type {
	out := map[string]attr.Type{
		"enabled":                 types.BoolType,
		"callback_url":            types.StringType,
		"vendor_type":             types.StringType,
		"poller_refresh_interval": types.Int64Type,
		"poller_configuration":    jsontypes.NormalizedType{},
		"objects":                 types.SetType{ElemType: types.StringType},
		"instance_finder":         types.StringType,
		"poller_urls":             types.StringType,
		"metadata":                jsontypes.NormalizedType{},
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

var eventNotificationAttrTypes = eventSettingTypes(map[string]attr.Type{
	"signature_key":            types.StringType,
	"signature_key_wo":         types.StringType,
	"signature_key_wo_version": types.Int64Type,
})

var eventNotificationObjectType = types.ObjectType{AttrTypes: eventNotificationAttrTypes}

// eventKeys is what the API's event.* configuration keys say, typed; the
// resource's block and the data sources are all read from it. Keys the
// API does not hold read as null.
type eventKeys struct {
	Enabled               bool
	CallbackURL           types.String // null for null, "" and "false": the API's "no callback"
	SignatureKey          types.String // as answered: often masked
	VendorType            types.String // "webhook" or "polling" ("webhooks" reads as "webhook")
	PollerRefreshInterval types.Int64
	PollerConfiguration   jsontypes.Normalized
	Objects               types.Set
	InstanceFinder        types.String
	PollerURLs            types.String
	NotificationType      types.String
	Metadata              jsontypes.Normalized
}

// readEventKeys reads the event.* keys of an API configuration. Values it
// cannot use read as null, with a warning at the attribute at(name).
func readEventKeys(ctx context.Context, cfg map[string]*string, at func(name string) path.Path) (eventKeys, diag.Diagnostics) {
	var diags diag.Diagnostics
	k := eventKeys{
		Enabled:               strings.EqualFold(configValue(cfg, configkeys.EventsEnabled), "true"),
		SignatureKey:          nonEmptyString(cfg, configkeys.SignatureKey),
		VendorType:            types.StringNull(),
		PollerRefreshInterval: types.Int64Null(),
		PollerConfiguration:   jsonValue(cfg, configkeys.PollerConfig, at("poller_configuration"), &diags),
		Objects:               types.SetNull(types.StringType),
		InstanceFinder:        nonEmptyString(cfg, configkeys.InstanceFinder),
		PollerURLs:            nonEmptyString(cfg, configkeys.PollerURLs),
		NotificationType:      nonEmptyString(cfg, configkeys.NotificationType),
		Metadata:              jsonValue(cfg, configkeys.EventMetadata, at("metadata"), &diags),
	}
	k.CallbackURL = callbackURLOf(cfg)
	if v := strings.ToLower(strings.TrimSpace(configValue(cfg, configkeys.VendorType))); v != "" {
		if v == "webhooks" {
			v = configkeys.VendorWebhook
		}
		k.VendorType = types.StringValue(v)
	}
	if v := strings.TrimSpace(configValue(cfg, configkeys.PollerInterval)); v != "" {
		if n, ok := parseInt(v); ok {
			k.PollerRefreshInterval = types.Int64Value(n)
		} else {
			diags.AddAttributeWarning(at("poller_refresh_interval"), "Unreadable Poller Refresh Interval",
				"The API returned "+strconv.Quote(v)+" for "+configkeys.PollerInterval+", which is not a whole number; it is treated as unset.")
		}
	}
	if v := cfg[configkeys.EventObjects]; v != nil && strings.TrimSpace(*v) != "" {
		set, d := types.SetValueFrom(ctx, types.StringType, splitObjects(*v))
		diags.Append(d...)
		k.Objects = set
	}
	return k, diags
}

// jsonValue reads a key that holds a JSON document. A value that is not
// JSON reads as null, with a warning: the attribute can only hold JSON.
func jsonValue(cfg map[string]*string, key string, p path.Path, diags *diag.Diagnostics) jsontypes.Normalized {
	v := strings.TrimSpace(configValue(cfg, key))
	if v == "" {
		return jsontypes.NewNormalizedNull()
	}
	if !json.Valid([]byte(v)) {
		diags.AddAttributeWarning(p, "Unreadable "+key,
			"The API returned a value for "+key+" that is not valid JSON; it is treated as unset.")
		return jsontypes.NewNormalizedNull()
	}
	return jsontypes.NewNormalizedValue(v)
}

// eventConfiguration adds the keys a planned block asks for to out. Only
// known, non-null values are written: unset settings are the element's.
func (ev *eventNotificationModel) eventConfiguration(ctx context.Context, out map[string]string) diag.Diagnostics {
	var diags diag.Diagnostics
	if !ev.Enabled.IsUnknown() {
		out[configkeys.EventsEnabled] = strconv.FormatBool(ev.Enabled.IsNull() || ev.Enabled.ValueBool())
	}
	setIfKnown(out, configkeys.CallbackURL, ev.CallbackURL)
	setIfKnown(out, configkeys.SignatureKey, ev.SignatureKey)
	setIfKnown(out, configkeys.VendorType, ev.VendorType)
	if !ev.PollerRefreshInterval.IsNull() && !ev.PollerRefreshInterval.IsUnknown() {
		out[configkeys.PollerInterval] = strconv.FormatInt(ev.PollerRefreshInterval.ValueInt64(), 10)
	}
	setIfKnown(out, configkeys.PollerConfig, ev.PollerConfiguration.StringValue)
	setIfKnown(out, configkeys.InstanceFinder, ev.InstanceFinder)
	setIfKnown(out, configkeys.PollerURLs, ev.PollerURLs)
	setIfKnown(out, configkeys.EventMetadata, ev.Metadata.StringValue)
	if !ev.Objects.IsNull() && !ev.Objects.IsUnknown() {
		var objects []string
		diags.Append(ev.Objects.ElementsAs(ctx, &objects, false)...)
		sort.Strings(objects)
		out[configkeys.EventObjects] = strings.Join(objects, ",")
	}
	return diags
}

// eventsRefresh rebuilds the event_notification block after an API answer
// by the rules of mode (see refreshMode). prior is the planned block
// (apply) or the prior state's (read); nil when there is none.
func eventsRefresh(ctx context.Context, prior *eventNotificationModel, cfg map[string]*string, mode refreshMode) (types.List, diag.Diagnostics) {
	k, diags := readEventKeys(ctx, cfg, eventPath)
	var ev *eventNotificationModel
	switch mode {
	case refreshApply:
		ev = eventsAfterApply(prior, k)
	case refreshRead:
		ev = eventsAfterRead(prior, cfg, k)
	default:
		ev = eventsImported(k)
	}
	if ev == nil {
		return types.ListNull(eventNotificationObjectType), diags
	}
	list, d := eventBlockList(ev)
	diags.Append(d...)
	return list, diags
}

// eventsAfterApply: configured values are what was asked for; settings
// left to the element (unknown in the plan) are what it answered.
func eventsAfterApply(planned *eventNotificationModel, k eventKeys) *eventNotificationModel {
	if planned == nil {
		return nil
	}
	ev := *planned
	ev.resolveUnknowns(k.VendorType, k.PollerRefreshInterval, k.PollerConfiguration)
	if ev.Enabled.IsUnknown() {
		ev.Enabled = types.BoolValue(k.Enabled)
	}
	return &ev
}

// eventsAfterRead: with a block in state, what the API holds is the truth
// for what the block manages (drift); settings the block leaves to the
// element keep their last known value when the API is silent. Without one,
// server-side event defaults (events off, callback "false" or null, a
// vendor type, an interval) are not a block, but events turned on in the
// console are.
func eventsAfterRead(prior *eventNotificationModel, cfg map[string]*string, k eventKeys) *eventNotificationModel {
	if prior == nil {
		if !k.Enabled {
			return nil
		}
		return eventsFromKeys(k)
	}
	ev := *prior
	ev.Enabled = types.BoolValue(k.Enabled)
	ev.CallbackURL = k.CallbackURL
	// A value the API holds but that cannot be read (not JSON, not a
	// number) reads as null: drift, so the plan sets it again.
	if cfg[configkeys.VendorType] != nil {
		ev.VendorType = k.VendorType
	}
	if cfg[configkeys.PollerInterval] != nil {
		ev.PollerRefreshInterval = k.PollerRefreshInterval
	}
	if cfg[configkeys.PollerConfig] != nil {
		ev.PollerConfiguration = keepEquivalentJSON(prior.PollerConfiguration, k.PollerConfiguration)
	}
	if !prior.SignatureKey.IsNull() && k.SignatureKey.ValueString() != cloudelements.MaskedValue {
		ev.SignatureKey = k.SignatureKey
	}
	ev.Objects = managedOnly(prior.Objects, k.Objects)
	ev.InstanceFinder = managedString(prior.InstanceFinder, k.InstanceFinder)
	ev.PollerURLs = managedString(prior.PollerURLs, k.PollerURLs)
	if !prior.Metadata.IsNull() {
		ev.Metadata = keepEquivalentJSON(prior.Metadata, k.Metadata)
	}
	return &ev
}

// eventsImported: an instance with events on, or with a callback set,
// imports with a block holding everything the API holds.
func eventsImported(k eventKeys) *eventNotificationModel {
	if !k.Enabled && k.CallbackURL.IsNull() {
		return nil
	}
	return eventsFromKeys(k)
}

// eventsFromKeys is a block holding everything the API holds, the
// signature key aside: a secret is never imported.
func eventsFromKeys(k eventKeys) *eventNotificationModel {
	return &eventNotificationModel{
		Enabled:               types.BoolValue(k.Enabled),
		CallbackURL:           k.CallbackURL,
		SignatureKey:          types.StringNull(),
		SignatureKeyWO:        types.StringNull(),
		SignatureKeyWOVersion: types.Int64Null(),
		VendorType:            k.VendorType,
		PollerRefreshInterval: k.PollerRefreshInterval,
		PollerConfiguration:   k.PollerConfiguration,
		Objects:               k.Objects,
		InstanceFinder:        k.InstanceFinder,
		PollerURLs:            k.PollerURLs,
		Metadata:              k.Metadata,
	}
}

// resolveUnknowns gives the settings the element decides, where the plan
// left them unknown, the values known now (null when unknown there too).
func (ev *eventNotificationModel) resolveUnknowns(vendor types.String, interval types.Int64, poller jsontypes.Normalized) {
	if ev.VendorType.IsUnknown() {
		ev.VendorType = types.StringNull()
		if !vendor.IsUnknown() {
			ev.VendorType = vendor
		}
	}
	if ev.PollerRefreshInterval.IsUnknown() {
		ev.PollerRefreshInterval = types.Int64Null()
		if !interval.IsUnknown() {
			ev.PollerRefreshInterval = interval
		}
	}
	if ev.PollerConfiguration.IsUnknown() {
		ev.PollerConfiguration = jsontypes.NewNormalizedNull()
		if !poller.IsUnknown() {
			ev.PollerConfiguration = poller
		}
	}
}

// managedString refreshes an optional attribute the user may leave unset:
// null in the prior state stays null (the element's value is not managed).
func managedString(prior, got types.String) types.String {
	if prior.IsNull() {
		return prior
	}
	return got
}

func managedOnly(prior, got types.Set) types.Set {
	if prior.IsNull() {
		return prior
	}
	return got
}

// keepEquivalentJSON keeps the prior text when the API's JSON means the
// same, so a reformatting server never shows as drift.
func keepEquivalentJSON(prior, got jsontypes.Normalized) jsontypes.Normalized {
	if prior.IsNull() || prior.IsUnknown() || got.IsNull() {
		return got
	}
	if eq, d := prior.StringSemanticEquals(context.Background(), got); !d.HasError() && eq {
		return prior
	}
	return got
}

func splitObjects(v string) []string {
	out := []string{}
	for _, o := range strings.Split(v, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return uniqueStrings(out)
}

func nonEmptyString(cfg map[string]*string, key string) types.String {
	if v := cfg[key]; v != nil && strings.TrimSpace(*v) != "" {
		return types.StringValue(*v)
	}
	return types.StringNull()
}
