package provider

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// Configuration keys behind the event_notification block.
const (
	keyEventsEnabled  = "event.notification.enabled"
	keyCallbackURL    = "event.notification.callback.url"
	keySignatureKey   = "event.notification.signature.key"
	keyVendorType     = "event.vendor.type"
	keyPollerInterval = "event.poller.refresh_interval"
	keyPollerConfig   = "event.poller.configuration"
	keyEventObjects   = "event.objects"

	eventKeyPrefix = "event."

	vendorWebhook = "webhook"
	vendorPolling = "polling"
)

// eventKeyAttribute names the block attribute that owns each event key, for
// diagnostics that tell users where a key belongs.
var eventKeyAttribute = map[string]string{
	keyEventsEnabled:  "enabled",
	keyCallbackURL:    "callback_url",
	keySignatureKey:   "signature_key",
	keyVendorType:     "vendor_type",
	keyPollerInterval: "poller_refresh_interval",
	keyPollerConfig:   "poller_configuration",
	keyEventObjects:   "objects",
}

// serverDefaults are configuration values the API adds on its own; after an
// import they are not pulled into `configuration`, so they never show as drift.
var serverDefaults = map[string]string{
	"filter.response.nulls": "true",
	keyEventsEnabled:        "false",
}

type instanceResourceModel struct {
	ID                     types.String   `tfsdk:"id"`
	ElementKey             types.String   `tfsdk:"element_key"`
	Name                   types.String   `tfsdk:"name"`
	ProviderData           types.Map      `tfsdk:"provider_data"`
	Configuration          types.Map      `tfsdk:"configuration"`
	SensitiveConfiguration types.Map      `tfsdk:"sensitive_configuration"`
	Tags                   types.Set      `tfsdk:"tags"`
	Disabled               types.Bool     `tfsdk:"disabled"`
	EventNotification      types.List     `tfsdk:"event_notification"`
	Token                  types.String   `tfsdk:"token"`
	ElementID              types.Int64    `tfsdk:"element_id"`
	Valid                  types.Bool     `tfsdk:"valid"`
	CreatedDate            types.String   `tfsdk:"created_date"`
	Timeouts               timeouts.Value `tfsdk:"timeouts"`
}

type eventNotificationModel struct {
	Enabled               types.Bool           `tfsdk:"enabled"`
	CallbackURL           types.String         `tfsdk:"callback_url"`
	SignatureKey          types.String         `tfsdk:"signature_key"`
	VendorType            types.String         `tfsdk:"vendor_type"`
	PollerRefreshInterval types.Int64          `tfsdk:"poller_refresh_interval"`
	PollerConfiguration   jsontypes.Normalized `tfsdk:"poller_configuration"`
	Objects               types.Set            `tfsdk:"objects"`
}

var eventNotificationAttrTypes = map[string]attr.Type{
	"enabled":                 types.BoolType,
	"callback_url":            types.StringType,
	"signature_key":           types.StringType,
	"vendor_type":             types.StringType,
	"poller_refresh_interval": types.Int64Type,
	"poller_configuration":    jsontypes.NormalizedType{},
	"objects":                 types.SetType{ElemType: types.StringType},
}

var eventNotificationObjectType = types.ObjectType{AttrTypes: eventNotificationAttrTypes}

// eventBlock returns the configured event_notification block, or nil when
// the block is absent or not yet known.
func (m *instanceResourceModel) eventBlock(ctx context.Context) (*eventNotificationModel, diag.Diagnostics) {
	if m.EventNotification.IsNull() || m.EventNotification.IsUnknown() || len(m.EventNotification.Elements()) == 0 {
		return nil, nil
	}
	var blocks []eventNotificationModel
	diags := m.EventNotification.ElementsAs(ctx, &blocks, false)
	if diags.HasError() || len(blocks) == 0 {
		return nil, diags
	}
	return &blocks[0], diags
}

// wantedConfiguration is the full configuration map the model asks the API
// to hold: `configuration`, `sensitive_configuration` and the event keys.
// Without a block, events are explicitly off.
func (m *instanceResourceModel) wantedConfiguration(ctx context.Context) (map[string]string, diag.Diagnostics) {
	out := map[string]string{}
	diags := mergeStringMap(ctx, m.Configuration, out)
	diags.Append(mergeStringMap(ctx, m.SensitiveConfiguration, out)...)

	ev, d := m.eventBlock(ctx)
	diags.Append(d...)
	if ev == nil {
		out[keyEventsEnabled] = "false"
		return out, diags
	}
	out[keyEventsEnabled] = strconv.FormatBool(ev.Enabled.IsNull() || ev.Enabled.ValueBool())
	setIfKnown(out, keyCallbackURL, ev.CallbackURL)
	setIfKnown(out, keySignatureKey, ev.SignatureKey)
	vendor := vendorWebhook
	if !ev.VendorType.IsNull() && !ev.VendorType.IsUnknown() {
		vendor = ev.VendorType.ValueString()
	}
	out[keyVendorType] = vendor
	if !ev.PollerRefreshInterval.IsNull() && !ev.PollerRefreshInterval.IsUnknown() {
		out[keyPollerInterval] = strconv.FormatInt(ev.PollerRefreshInterval.ValueInt64(), 10)
	}
	if !ev.PollerConfiguration.IsNull() && !ev.PollerConfiguration.IsUnknown() {
		out[keyPollerConfig] = ev.PollerConfiguration.ValueString()
	}
	if !ev.Objects.IsNull() && !ev.Objects.IsUnknown() {
		var objects []string
		diags.Append(ev.Objects.ElementsAs(ctx, &objects, false)...)
		sort.Strings(objects)
		out[keyEventObjects] = strings.Join(objects, ",")
	}
	return out, diags
}

func (m *instanceResourceModel) tagList(ctx context.Context) ([]string, diag.Diagnostics) {
	tags := []string{}
	if m.Tags.IsNull() || m.Tags.IsUnknown() {
		return tags, nil
	}
	diags := m.Tags.ElementsAs(ctx, &tags, false)
	sort.Strings(tags)
	return tags, diags
}

func (m *instanceResourceModel) createRequest(ctx context.Context) (cloudelements.CreateInstanceRequest, diag.Diagnostics) {
	cfg, diags := m.wantedConfiguration(ctx)
	tags, d := m.tagList(ctx)
	diags.Append(d...)
	providerData := map[string]string{}
	diags.Append(mergeStringMap(ctx, m.ProviderData, providerData)...)
	return cloudelements.CreateInstanceRequest{
		Element:       cloudelements.Element{Key: m.ElementKey.ValueString()},
		Name:          m.Name.ValueString(),
		ProviderData:  providerData,
		Configuration: cfg,
		Tags:          tags,
	}, diags
}

// updateRequest is the PATCH that turns state into plan, holding only what
// changed; ok is false when nothing needs patching.
func updateRequest(ctx context.Context, plan, state *instanceResourceModel) (req cloudelements.UpdateInstanceRequest, ok bool, diags diag.Diagnostics) {
	if !plan.Name.Equal(state.Name) {
		name := plan.Name.ValueString()
		req.Name, ok = &name, true
	}
	planTags, d := plan.tagList(ctx)
	diags.Append(d...)
	stateTags, d := state.tagList(ctx)
	diags.Append(d...)
	if strings.Join(planTags, "\x00") != strings.Join(stateTags, "\x00") {
		req.Tags, ok = &planTags, true
	}
	want, d := plan.wantedConfiguration(ctx)
	diags.Append(d...)
	have, d := state.wantedConfiguration(ctx)
	diags.Append(d...)
	changes := map[string]*string{}
	for k, v := range want {
		if old, found := have[k]; !found || old != v {
			changes[k] = &v
		}
	}
	for k := range have {
		if _, found := want[k]; !found {
			changes[k] = nil
		}
	}
	if len(changes) > 0 {
		req.Configuration, ok = changes, true
	}
	return req, ok, diags
}

// refresh writes what the API returned into the model. The model holds the
// prior values (state on Read, plan on Create/Update): they decide which
// configuration keys Terraform manages and stand in for masked secrets.
// importing pulls every readable key in, as there is no prior to go by.
func (m *instanceResourceModel) refresh(ctx context.Context, in *cloudelements.Instance, importing bool) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(in.ID.String())
	m.Name = types.StringValue(in.Name)
	if in.Element.Key != "" {
		m.ElementKey = types.StringValue(in.Element.Key)
	}
	m.ElementID = types.Int64Value(elementIDOf(in))
	if in.Token != "" || m.Token.IsUnknown() || m.Token.IsNull() {
		m.Token = types.StringValue(in.Token)
	}
	m.Valid = types.BoolValue(in.Valid)
	m.Disabled = types.BoolValue(in.Disabled)
	m.CreatedDate = types.StringValue(in.CreatedDate)

	// The API answers [] for "no tags": keep null when none were configured.
	if len(in.Tags) > 0 || !m.Tags.IsNull() {
		tags, d := types.SetValueFrom(ctx, types.StringType, uniqueStrings(in.Tags))
		diags.Append(d...)
		m.Tags = tags
	}

	if importing {
		m.Configuration = importedConfiguration(in.Configuration)
		m.SensitiveConfiguration = types.MapNull(types.StringType)
		m.ProviderData = types.MapNull(types.StringType)
	} else {
		m.Configuration = refreshManagedMap(m.Configuration, in.Configuration)
		m.SensitiveConfiguration = refreshManagedMap(m.SensitiveConfiguration, in.Configuration)
	}
	diags.Append(m.refreshEventNotification(ctx, in.Configuration)...)
	return diags
}

func (m *instanceResourceModel) refreshEventNotification(ctx context.Context, cfg map[string]*string) diag.Diagnostics {
	prior, diags := m.eventBlock(ctx)
	enabled := configValue(cfg, keyEventsEnabled) == "true"
	// Without a prior block, the block exists when the API holds event
	// settings: events on, or a callback URL kept while they are off.
	if prior == nil && !enabled && cfg[keyCallbackURL] == nil {
		m.EventNotification = types.ListNull(eventNotificationObjectType)
		return diags
	}
	keys, d := readEventKeys(ctx, cfg, eventPath)
	diags.Append(d...)
	ev := eventNotificationModel(keys) // same fields; the compiler keeps them in step
	if ev.SignatureKey.ValueString() == cloudelements.MaskedValue {
		ev.SignatureKey = types.StringNull()
		if prior != nil {
			ev.SignatureKey = prior.SignatureKey
		}
	}
	list, d := types.ListValueFrom(ctx, eventNotificationObjectType, []eventNotificationModel{ev})
	diags.Append(d...)
	m.EventNotification = list
	return diags
}

// eventKeys is what the API's event.* configuration keys say, typed; the
// resource's block and the data source's nested attribute are both read
// from it.
type eventKeys struct {
	Enabled               types.Bool
	CallbackURL           types.String
	SignatureKey          types.String // as the API answers it: usually masked
	VendorType            types.String
	PollerRefreshInterval types.Int64
	PollerConfiguration   jsontypes.Normalized
	Objects               types.Set
}

// readEventKeys reads the event.* keys of an API configuration. Values it
// cannot use read as unset, with a warning at the attribute at(name).
func readEventKeys(ctx context.Context, cfg map[string]*string, at func(name string) path.Path) (eventKeys, diag.Diagnostics) {
	var diags diag.Diagnostics
	k := eventKeys{
		Enabled:               types.BoolValue(configValue(cfg, keyEventsEnabled) == "true"),
		CallbackURL:           optionalString(cfg, keyCallbackURL),
		SignatureKey:          optionalString(cfg, keySignatureKey),
		VendorType:            types.StringValue(normalizeVendorType(configValue(cfg, keyVendorType))),
		PollerRefreshInterval: types.Int64Null(),
		PollerConfiguration:   pollerConfiguration(cfg, at("poller_configuration"), &diags),
		Objects:               types.SetNull(types.StringType),
	}
	if v := configValue(cfg, keyPollerInterval); v != "" {
		if n, ok := parseInt(v); ok {
			k.PollerRefreshInterval = types.Int64Value(n)
		} else {
			diags.AddAttributeWarning(at("poller_refresh_interval"), "Unreadable Poller Refresh Interval",
				"The API returned "+strconv.Quote(v)+" for "+keyPollerInterval+", which is not a whole number; it is treated as unset.")
		}
	}
	if v := cfg[keyEventObjects]; v != nil {
		set, d := types.SetValueFrom(ctx, types.StringType, splitObjects(*v))
		diags.Append(d...)
		k.Objects = set
	}
	return k, diags
}

// refreshManagedMap refreshes the keys a prior map manages from the API's
// configuration: a changed value is drift, a missing key is dropped (so the
// next plan adds it back), and a masked value keeps what was configured.
func refreshManagedMap(prior types.Map, cfg map[string]*string) types.Map {
	if prior.IsNull() || prior.IsUnknown() {
		return prior
	}
	out := map[string]attr.Value{}
	for k, v := range prior.Elements() {
		got, ok := cfg[k]
		switch {
		case !ok || got == nil:
			continue
		case *got == cloudelements.MaskedValue:
			out[k] = v
		default:
			out[k] = types.StringValue(*got)
		}
	}
	return types.MapValueMust(types.StringType, out)
}

// importedConfiguration is every readable, non-event key that is not a server
// default: the best guess at what the user manages when there is no prior.
func importedConfiguration(cfg map[string]*string) types.Map {
	out := map[string]attr.Value{}
	for k, v := range cfg {
		if v == nil || *v == cloudelements.MaskedValue || strings.HasPrefix(k, eventKeyPrefix) {
			continue
		}
		if def, ok := serverDefaults[k]; ok && def == *v {
			continue
		}
		out[k] = types.StringValue(*v)
	}
	if len(out) == 0 {
		return types.MapNull(types.StringType)
	}
	return types.MapValueMust(types.StringType, out)
}

// pollerConfiguration reads event.poller.configuration. The attribute holds
// JSON only (a non-JSON value fails the whole read), so a value that is not
// JSON reads as unset, with a warning: the plan then sets it again.
func pollerConfiguration(cfg map[string]*string, p path.Path, diags *diag.Diagnostics) jsontypes.Normalized {
	v := configValue(cfg, keyPollerConfig)
	if v == "" {
		return jsontypes.NewNormalizedNull()
	}
	if !json.Valid([]byte(v)) {
		diags.AddAttributeWarning(p, "Unreadable Poller Configuration",
			"The API returned a value for "+keyPollerConfig+" that is not valid JSON; it is treated as unset.")
		return jsontypes.NewNormalizedNull()
	}
	return jsontypes.NewNormalizedValue(v)
}

func normalizeVendorType(v string) string {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "webhook", "webhooks":
		return vendorWebhook
	default:
		return strings.ToLower(strings.TrimSpace(v))
	}
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

// elementIDOf reads the element id from elementId, or from element.id when
// the top-level field is absent.
func elementIDOf(in *cloudelements.Instance) int64 {
	if in.ElementID != 0 {
		return int64(in.ElementID)
	}
	return int64(in.Element.ID)
}
