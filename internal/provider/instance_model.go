// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

type instanceResourceModel struct {
	ID                     types.String   `tfsdk:"id"`
	ElementKey             types.String   `tfsdk:"element_key"`
	Name                   types.String   `tfsdk:"name"`
	ProviderData           types.Map      `tfsdk:"provider_data"`
	ProviderDataWO         types.Map      `tfsdk:"provider_data_wo"`
	ProviderDataWOVersion  types.Int64    `tfsdk:"provider_data_wo_version"`
	Configuration          types.Map      `tfsdk:"configuration"`
	SensitiveConfiguration types.Map      `tfsdk:"sensitive_configuration"`
	SensitiveConfigWO      types.Map      `tfsdk:"sensitive_configuration_wo"`
	SensitiveConfigWOVer   types.Int64    `tfsdk:"sensitive_configuration_wo_version"`
	Tags                   types.Set      `tfsdk:"tags"`
	TagsAll                types.Set      `tfsdk:"tags_all"`
	Disabled               types.Bool     `tfsdk:"disabled"`
	EventNotification      types.List     `tfsdk:"event_notification"`
	Token                  types.String   `tfsdk:"token"`
	ElementID              types.Int64    `tfsdk:"element_id"`
	Valid                  types.Bool     `tfsdk:"valid"`
	CreatedDate            types.String   `tfsdk:"created_date"`
	Timeouts               timeouts.Value `tfsdk:"timeouts"`

	// defaultTags are the provider's default_tags (not in the schema).
	defaultTags []string `tfsdk:"-"`
}

// refreshMode says where an API answer is being written into the model.
// The rules of each mode, in one place (refresh dispatches to one function
// per mode; tags and events follow the same split):
//
//	                    apply (model = plan)         read (model = prior state)       import (model = id only)
//	id                  answer                       answer                           answer
//	name, element_key   planned; unknown: answer     answer                           answer
//	token, element_id,  planned when known (the      answer (token: kept when the     as read
//	valid, created_date plan promised it); unknown:  answer has none)
//	                    answer
//	disabled            planned                      answer                           answer
//	configuration,      planned                      managed keys from the answer     keys a user could write;
//	sensitive_config.                                (masked: configured value kept)  secrets and provider_data null
//	tags, tags_all      planned; tags_all unknown:   managed: the answer, tags less   the answer less the name tag
//	                    null                         the default tags                 and the default tags
//	event_notification  planned, the element's       the state's block from the       a block when events are on or
//	                    unknowns from the answer;    answer (drift); without one, a   a callback is set
//	                    no block: null               block only when events are on
//
// An answer without a configuration object says nothing about it: read and
// import then keep what the model holds.
type refreshMode int

const (
	refreshApply refreshMode = iota
	refreshRead
	refreshImport
)

// eventBlock returns the event_notification block, or nil when the block is
// absent or not yet known.
func (m *instanceResourceModel) eventBlock() (*eventNotificationModel, diag.Diagnostics) {
	if m.EventNotification.IsNull() || m.EventNotification.IsUnknown() || len(m.EventNotification.Elements()) == 0 {
		return nil, nil
	}
	obj, ok := m.EventNotification.Elements()[0].(types.Object)
	if !ok {
		var diags diag.Diagnostics
		diags.AddAttributeError(path.Root("event_notification").AtListIndex(0), "Unexpected Value Type",
			fmt.Sprintf("The provider expected an object and found %T. This is a bug in the provider; please report it.", m.EventNotification.Elements()[0]))
		return nil, diags
	}
	ev, diags := eventNotificationFromObject(obj)
	if diags.HasError() {
		return nil, diags
	}
	return &ev, diags
}

// wantedConfiguration is the configuration the model asks the API to hold:
// `configuration`, `sensitive_configuration` and the keys the
// event_notification block sets. Without a block it asks nothing of the
// event keys (events stay at the element's default: off).
func (m *instanceResourceModel) wantedConfiguration(ctx context.Context) (map[string]string, diag.Diagnostics) {
	out := map[string]string{}
	diags := mergeStringMap(ctx, m.Configuration, out)
	diags.Append(mergeStringMap(ctx, m.SensitiveConfiguration, out)...)
	ev, d := m.eventBlock()
	diags.Append(d...)
	if ev != nil {
		diags.Append(ev.eventConfiguration(ctx, out)...)
	}
	return out, diags
}

// tagList returns the tags the instance should carry (tags_all: the
// resource's tags and the provider's default tags), sorted; nil when
// Terraform manages no tags (tags_all null).
func (m *instanceResourceModel) tagList(ctx context.Context) ([]string, diag.Diagnostics) {
	set := m.TagsAll
	if set.IsNull() || set.IsUnknown() {
		return nil, nil
	}
	tags := []string{}
	diags := set.ElementsAs(ctx, &tags, false)
	sort.Strings(tags)
	return tags, diags
}

// mergeTags is tags_all: the resource's tags plus the default tags. A
// default tag "key:value" gives way to a resource tag with the same "key:";
// a tag in both lists appears once. nil when both are empty.
func mergeTags(own, defaults []string) []string {
	if len(own) == 0 && len(defaults) == 0 {
		return nil
	}
	out := append([]string{}, own...)
	have := map[string]bool{}
	prefixes := map[string]bool{}
	for _, t := range own {
		have[t] = true
		if k, _, ok := strings.Cut(t, ":"); ok {
			prefixes[k] = true
		}
	}
	for _, d := range defaults {
		if k, _, ok := strings.Cut(d, ":"); (ok && prefixes[k]) || have[d] {
			continue
		}
		have[d] = true
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// writeOnlyValues are the write-only arguments. Only the configuration
// holds them: never the plan or the state.
type writeOnlyValues struct {
	ProviderData  map[string]string // provider_data_wo
	Configuration map[string]string // sensitive_configuration_wo
	SignatureKey  *string           // event_notification.signature_key_wo
}

// readWriteOnly reads the write-only arguments from the configuration.
func readWriteOnly(ctx context.Context, cfg tfsdk.Config) (writeOnlyValues, diag.Diagnostics) {
	var pd, sc types.Map
	var diags diag.Diagnostics
	diags.Append(cfg.GetAttribute(ctx, path.Root("provider_data_wo"), &pd)...)
	diags.Append(cfg.GetAttribute(ctx, path.Root("sensitive_configuration_wo"), &sc)...)
	wo := writeOnlyValues{ProviderData: map[string]string{}, Configuration: map[string]string{}}
	diags.Append(mergeStringMap(ctx, pd, wo.ProviderData)...)
	diags.Append(mergeStringMap(ctx, sc, wo.Configuration)...)
	var blocks types.List
	diags.Append(cfg.GetAttribute(ctx, path.Root("event_notification"), &blocks)...)
	if !blocks.IsNull() && !blocks.IsUnknown() && len(blocks.Elements()) > 0 {
		var key types.String
		diags.Append(cfg.GetAttribute(ctx, eventPath("signature_key_wo"), &key)...)
		if !key.IsNull() && !key.IsUnknown() {
			v := key.ValueString()
			wo.SignatureKey = &v
		}
	}
	return wo, diags
}

// versionBumped reports whether a *_wo_version asks to send its write-only
// value again; at plan, a version not yet known may.
func versionBumped(planned, prior types.Int64) bool {
	return !planned.IsNull() && !planned.Equal(prior)
}

// createRequest is the POST /instances body for the plan and the write-only
// values. Without tags the field is left out, as the API documents it: the
// instance is then tagged with its name, which Terraform does not manage.
func (m *instanceResourceModel) createRequest(ctx context.Context, wo writeOnlyValues) (cloudelements.CreateInstanceRequest, diag.Diagnostics) {
	cfg, diags := m.wantedConfiguration(ctx)
	for k, v := range wo.Configuration {
		cfg[k] = v
	}
	if wo.SignatureKey != nil {
		cfg[configkeys.SignatureKey] = *wo.SignatureKey
	}
	tags, d := m.tagList(ctx)
	diags.Append(d...)
	providerData := map[string]string{}
	diags.Append(mergeStringMap(ctx, m.ProviderData, providerData)...)
	for k, v := range wo.ProviderData {
		providerData[k] = v
	}
	req := cloudelements.CreateInstanceRequest{
		Element:       cloudelements.Element{Key: m.ElementKey.ValueString()},
		Name:          m.Name.ValueString(),
		ProviderData:  providerData,
		Configuration: cfg,
	}
	if tags != nil {
		req.Tags = &tags
	}
	return req, diags
}

// configChanges is what turns the state's configuration into the plan's:
// set values, and nil (JSON null) for keys to remove. A key that leaves the
// configuration is removed only when Terraform had set it (managed); one
// the API or someone else set is only no longer managed. Removing the
// event_notification block turns events off.
func configChanges(want, have map[string]string, managed managedKeys) map[string]*string {
	changes := map[string]*string{}
	for k, v := range want {
		if old, found := have[k]; !found || old != v {
			changes[k] = &v
		}
	}
	for k := range have {
		if _, found := want[k]; found {
			continue
		}
		switch {
		case k == configkeys.EventsEnabled:
			off := "false"
			changes[k] = &off
		case managed.has(k):
			changes[k] = nil
		}
	}
	return changes
}

// updateRequest is the PATCH that turns state into plan, holding only what
// changed; ok is false when nothing needs patching.
func updateRequest(ctx context.Context, plan, state *instanceResourceModel, managed managedKeys) (req cloudelements.UpdateInstanceRequest, ok bool, diags diag.Diagnostics) {
	if !plan.Name.Equal(state.Name) {
		name := plan.Name.ValueString()
		req.Name, ok = &name, true
	}
	planTags, d := plan.tagList(ctx)
	diags.Append(d...)
	stateTags, d := state.tagList(ctx)
	diags.Append(d...)
	switch {
	case planTags == nil && stateTags != nil && managed.Tags:
		empty := []string{}
		req.Tags, ok = &empty, true
	case planTags != nil && strings.Join(planTags, "\x00") != strings.Join(stateTags, "\x00"):
		req.Tags, ok = &planTags, true
	case planTags != nil && stateTags == nil:
		req.Tags, ok = &planTags, true
	}
	want, d := plan.wantedConfiguration(ctx)
	diags.Append(d...)
	have, d := state.wantedConfiguration(ctx)
	diags.Append(d...)
	if changes := configChanges(want, have, managed); len(changes) > 0 {
		req.Configuration, ok = changes, true
	}
	return req, ok, diags
}

// recordWrites updates managed with what a create or update sent.
func recordWrites(managed *managedKeys, cfg map[string]*string, tags *[]string) {
	for k, v := range cfg {
		if v == nil {
			managed.remove(k)
		} else {
			managed.add(k)
		}
	}
	if tags != nil {
		managed.Tags = len(*tags) > 0
	}
}

// reauthRequest builds the PUT ?reAuthenticate=true body the vendor's
// procedure describes: the instance's configuration as just read, without
// the OAuth tokens the exchange replaces, with the plan's changes and new
// providerData on top. Masked values the plan knows are filled in; the
// others go back masked, as read. Tags Terraform does not manage stay.
func (m *instanceResourceModel) reauthRequest(ctx context.Context, current *cloudelements.Instance, changes map[string]*string, wo writeOnlyValues) (cloudelements.ReplaceInstanceRequest, diag.Diagnostics) {
	cfg := make(map[string]*string, len(current.Configuration)+len(changes))
	for k, v := range current.Configuration {
		if k == configkeys.UserToken || k == configkeys.UserRefreshToken {
			continue
		}
		cfg[k] = v
	}
	want, diags := m.wantedConfiguration(ctx)
	for k, v := range wo.Configuration {
		want[k] = v
	}
	if wo.SignatureKey != nil {
		want[configkeys.SignatureKey] = *wo.SignatureKey
	}
	for k, v := range want {
		if cur := cfg[k]; cur != nil && *cur == cloudelements.MaskedValue {
			cfg[k] = &v
		}
	}
	for k, v := range changes {
		cfg[k] = v
	}
	tags, d := m.tagList(ctx)
	diags.Append(d...)
	if tags == nil {
		tags = append([]string{}, current.Tags...)
	}
	providerData := map[string]string{}
	diags.Append(mergeStringMap(ctx, m.ProviderData, providerData)...)
	for k, v := range wo.ProviderData {
		providerData[k] = v
	}
	return cloudelements.ReplaceInstanceRequest{
		Element:       cloudelements.Element{Key: m.ElementKey.ValueString()},
		Name:          m.Name.ValueString(),
		ProviderData:  providerData,
		Configuration: cfg,
		Tags:          tags,
	}, diags
}

// refresh writes an API answer into the model by the rules of mode (see
// refreshMode). defs are the element's configuration definitions (nil if
// unknown); they tell an import which keys are the API's own.
func (m *instanceResourceModel) refresh(ctx context.Context, in *cloudelements.Instance, mode refreshMode, defs map[string]*cloudelements.ConfigDefinition) diag.Diagnostics {
	switch mode {
	case refreshApply:
		return m.afterApply(ctx, in)
	case refreshRead:
		return m.afterRead(ctx, in)
	default:
		return m.imported(ctx, in, defs)
	}
}

func (m *instanceResourceModel) afterApply(ctx context.Context, in *cloudelements.Instance) diag.Diagnostics {
	m.ID = types.StringValue(in.ID.String())
	if m.Name.IsUnknown() || m.Name.IsNull() {
		m.Name = types.StringValue(in.Name)
	}
	if in.Element.Key != "" && (m.ElementKey.IsUnknown() || m.ElementKey.IsNull()) {
		m.ElementKey = types.StringValue(in.Element.Key)
	}
	if m.Token.IsUnknown() || m.Token.IsNull() {
		m.Token = types.StringValue(in.Token)
	}
	if m.ElementID.IsUnknown() {
		m.ElementID = types.Int64Value(elementIDOf(in))
	}
	if m.Valid.IsUnknown() {
		m.Valid = types.BoolValue(in.Valid)
	}
	if m.Disabled.IsUnknown() || m.Disabled.IsNull() {
		m.Disabled = types.BoolValue(in.Disabled)
	}
	if m.CreatedDate.IsUnknown() {
		m.CreatedDate = types.StringValue(in.CreatedDate)
	}
	if m.TagsAll.IsUnknown() {
		m.TagsAll = types.SetNull(types.StringType)
	}
	prior, diags := m.eventBlock()
	list, d := eventsRefresh(ctx, prior, in.Configuration, refreshApply)
	diags.Append(d...)
	m.EventNotification = list
	return diags
}

// answered sets what read and import take from the answer alone.
func (m *instanceResourceModel) answered(in *cloudelements.Instance) {
	m.ID = types.StringValue(in.ID.String())
	m.Name = types.StringValue(in.Name)
	if in.Element.Key != "" {
		m.ElementKey = types.StringValue(in.Element.Key)
	}
	if in.Token != "" || m.Token.IsUnknown() || m.Token.IsNull() {
		m.Token = types.StringValue(in.Token)
	}
	m.ElementID = types.Int64Value(elementIDOf(in))
	m.Valid = types.BoolValue(in.Valid)
	m.Disabled = types.BoolValue(in.Disabled)
	m.CreatedDate = types.StringValue(in.CreatedDate)
}

func (m *instanceResourceModel) afterRead(ctx context.Context, in *cloudelements.Instance) diag.Diagnostics {
	m.answered(in)
	diags := m.tagsAfterRead(ctx, uniqueStrings(in.Tags))
	if in.Configuration == nil {
		return diags
	}
	m.Configuration = refreshManagedMap(m.Configuration, in.Configuration, false)
	m.SensitiveConfiguration = refreshManagedMap(m.SensitiveConfiguration, in.Configuration, true)
	prior, d := m.eventBlock()
	diags.Append(d...)
	list, d := eventsRefresh(ctx, prior, in.Configuration, refreshRead)
	diags.Append(d...)
	m.EventNotification = list
	return diags
}

func (m *instanceResourceModel) imported(ctx context.Context, in *cloudelements.Instance, defs map[string]*cloudelements.ConfigDefinition) diag.Diagnostics {
	m.answered(in)
	diags := m.tagsImported(ctx, uniqueStrings(in.Tags), in.Name)
	if in.Configuration == nil {
		return diags
	}
	m.Configuration = importedConfiguration(in.Configuration, defs)
	m.SensitiveConfiguration = types.MapNull(types.StringType)
	m.ProviderData = types.MapNull(types.StringType)
	list, d := eventsRefresh(ctx, nil, in.Configuration, refreshImport)
	diags.Append(d...)
	m.EventNotification = list
	return diags
}

// tagsAfterRead: tags Terraform does not manage (tags_all null) stay null,
// so the tag the API adds by itself (the instance's name, on a create
// without tags) is not drift.
func (m *instanceResourceModel) tagsAfterRead(ctx context.Context, got []string) diag.Diagnostics {
	if m.TagsAll.IsNull() && m.Tags.IsNull() {
		return nil
	}
	return m.setTags(ctx, got, false)
}

// tagsImported: an instance carrying no tags, or only the tag the API adds
// by itself (its name), imports with tags unmanaged.
func (m *instanceResourceModel) tagsImported(ctx context.Context, got []string, name string) diag.Diagnostics {
	if len(got) == 0 || len(got) == 1 && got[0] == name {
		m.Tags, m.TagsAll = types.SetNull(types.StringType), types.SetNull(types.StringType)
		return nil
	}
	return m.setTags(ctx, got, true)
}

// setTags sets tags_all to what the API holds, and the resource's own tags
// (when managed, or on import) to that less the default tags the
// configuration does not list itself.
func (m *instanceResourceModel) setTags(ctx context.Context, got []string, importing bool) diag.Diagnostics {
	var prior []string
	var diags diag.Diagnostics
	if !m.Tags.IsNull() && !m.Tags.IsUnknown() {
		diags.Append(m.Tags.ElementsAs(ctx, &prior, false)...)
	}
	defaults := map[string]bool{}
	for _, d := range m.defaultTags {
		defaults[d] = true
	}
	for _, p := range prior {
		delete(defaults, p)
	}
	own := []string{}
	for _, t := range got {
		if !defaults[t] {
			own = append(own, t)
		}
	}
	all, d := types.SetValueFrom(ctx, types.StringType, got)
	diags.Append(d...)
	m.TagsAll = all
	switch {
	case importing && len(own) == 0:
		m.Tags = types.SetNull(types.StringType)
	case importing || !m.Tags.IsNull():
		tags, d := types.SetValueFrom(ctx, types.StringType, own)
		diags.Append(d...)
		m.Tags = tags
	}
	return diags
}

// refreshManagedMap refreshes the keys a prior map manages from the API's
// configuration: a changed value is drift, a missing key is dropped (so the
// next plan adds it back), and a masked value keeps what was configured.
// In the non-sensitive map, a key that names a secret keeps its prior
// value: what the API holds for a secret is never copied where a plan
// would print it.
func refreshManagedMap(prior types.Map, cfg map[string]*string, sensitive bool) types.Map {
	if prior.IsNull() || prior.IsUnknown() {
		return prior
	}
	out := map[string]attr.Value{}
	for k, v := range prior.Elements() {
		got, ok := cfg[k]
		switch {
		case !ok || got == nil:
			continue
		case *got == cloudelements.MaskedValue, !sensitive && configkeys.Secret(k):
			out[k] = v
		default:
			out[k] = types.StringValue(*got)
		}
	}
	return types.MapValueMust(types.StringType, out)
}

// importedConfiguration is what an import brings into `configuration`:
// the keys a user could have written. Left out: null, empty and masked
// values, event.* keys (the block's, or written by the API such as
// event.notification.subscription.id; event.notification.type, which the
// block does not model, is imported), keys the API owns (its URLs, paging
// and bulk settings, the OAuth credentials it obtained: by the element's
// definitions when known, else by name), values equal to the API's
// documented defaults, and every secret, even one the API shows in clear:
// secrets are the user's to supply (in sensitive_configuration or its
// write-only twin), so a generated configuration plans no change for
// them and no secret reaches a plan.
func importedConfiguration(cfg map[string]*string, defs map[string]*cloudelements.ConfigDefinition) types.Map {
	out := map[string]attr.Value{}
	for k, v := range cfg {
		if v == nil || *v == "" || *v == cloudelements.MaskedValue || configkeys.NotImportedEventKey(k) {
			continue
		}
		if def, ok := configkeys.ServerDefaults[k]; ok && def == *v {
			continue
		}
		if c := configkeys.Classify(k, defs); !c.ServerOwned && !c.Secret {
			out[k] = types.StringValue(*v)
		}
	}
	return mapOrNull(out)
}

func mapOrNull(m map[string]attr.Value) types.Map {
	if len(m) == 0 {
		return types.MapNull(types.StringType)
	}
	return types.MapValueMust(types.StringType, m)
}

// disagreements lists the keys whose value in an API answer differs from
// what was just written: the API may normalise or refuse silently, and
// the user should hear of it at apply rather than as drift later.
func disagreements(sent map[string]*string, got map[string]*string) []string {
	if got == nil {
		return nil
	}
	var out []string
	for k, want := range sent {
		have, present := got[k]
		switch {
		case want == nil:
			if present && have != nil {
				out = append(out, fmt.Sprintf("%s is still set after Terraform removed it", k))
			}
		case !present || have == nil:
			out = append(out, fmt.Sprintf("%s is missing from the answer", k))
		case *have == cloudelements.MaskedValue || sameValue(k, *want, *have):
		default:
			if configkeys.Secret(k) {
				out = append(out, fmt.Sprintf("%s holds another value than the one sent", k))
			} else {
				out = append(out, fmt.Sprintf("%s is %q, not %q", k, *have, *want))
			}
		}
	}
	sort.Strings(out)
	return out
}

// sameValue compares a sent value with the API's, as the API writes them:
// booleans in any case, "webhooks" for "webhook", JSON by meaning.
func sameValue(key, sent, got string) bool {
	if sent == got || strings.EqualFold(sent, got) && (strings.EqualFold(sent, "true") || strings.EqualFold(sent, "false")) {
		return true
	}
	switch key {
	case configkeys.VendorType:
		return strings.TrimSuffix(strings.ToLower(got), "s") == strings.ToLower(sent)
	case configkeys.PollerConfig, configkeys.EventMetadata:
		eq, d := jsontypes.NewNormalizedValue(sent).StringSemanticEquals(context.Background(), jsontypes.NewNormalizedValue(got))
		return !d.HasError() && eq
	case configkeys.EventObjects:
		return strings.Join(splitObjects(sent), ",") == strings.Join(sortedCopyStrings(splitObjects(got)), ",")
	}
	return false
}

func sortedCopyStrings(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}

// elementIDOf reads the element id from elementId, or from element.id when
// the top-level field is absent.
func elementIDOf(in *cloudelements.Instance) int64 {
	if in.ElementID != 0 {
		return int64(in.ElementID)
	}
	return int64(in.Element.ID)
}
