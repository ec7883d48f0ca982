// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ resource.Resource                   = &instanceResource{}
	_ resource.ResourceWithConfigure      = &instanceResource{}
	_ resource.ResourceWithImportState    = &instanceResource{}
	_ resource.ResourceWithValidateConfig = &instanceResource{}
	_ resource.ResourceWithModifyPlan     = &instanceResource{}
	_ resource.ResourceWithIdentity       = &instanceResource{}
)

// NewInstanceResource is the constructor for cloudelements_instance.
func NewInstanceResource() resource.Resource { return &instanceResource{} }

type instanceResource struct {
	data *providerData
}

func (r *instanceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance"
}

// instanceIdentity is the resource identity: the instance's numeric id.
type instanceIdentity struct {
	ID types.String `tfsdk:"id"`
}

func (i instanceIdentity) complete() bool { return !i.ID.IsUnknown() && !i.ID.IsNull() }

func (r *instanceResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{
		"id": "The instance's numeric id, as a string.",
	})
}

func (r *instanceResource) defaultTags() []string {
	if r.data == nil {
		return nil
	}
	return r.data.defaultTags
}

func (r *instanceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *instanceResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	// Read only the attributes checked here: this runs for every instance
	// in every plan.
	var m instanceResourceModel
	for name, into := range map[string]any{
		"configuration":           &m.Configuration,
		"sensitive_configuration": &m.SensitiveConfiguration,
		"event_notification":      &m.EventNotification,
	} {
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(name), into)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	validateConfigurationKeys(m.Configuration, m.SensitiveConfiguration, &resp.Diagnostics)
	if !m.EventNotification.IsUnknown() && len(m.EventNotification.Elements()) > 1 {
		resp.Diagnostics.AddAttributeError(path.Root("event_notification").AtListIndex(1), "Too Many event_notification Blocks",
			"An instance has one set of event settings: merge the event_notification blocks into one.")
	}

	ev, diags := m.eventBlock()
	resp.Diagnostics.Append(diags...)
	// Polling settings need polling, but only an explicit webhook says they
	// cannot apply: unset, the element decides and may well poll.
	if ev == nil || ev.VendorType.ValueString() != configkeys.VendorWebhook {
		return
	}
	for attrName, set := range map[string]bool{
		"poller_refresh_interval": !ev.PollerRefreshInterval.IsNull(),
		"poller_configuration":    !ev.PollerConfiguration.IsNull(),
		"poller_urls":             !ev.PollerURLs.IsNull(),
	} {
		if set {
			resp.Diagnostics.AddAttributeError(eventPath(attrName), "Polling Setting Without Polling",
				fmt.Sprintf("%q only applies when vendor_type = %q, but vendor_type is %q. Set vendor_type = %q, or remove %q.",
					attrName, configkeys.VendorPolling, configkeys.VendorWebhook, configkeys.VendorPolling, attrName))
		}
	}
}

// ModifyPlan marks unknown the computed values the update may change, plans
// tags_all, and checks the configuration against the element's definitions.
func (r *instanceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	if !req.State.Raw.IsNull() && req.Plan.Raw.Equal(req.State.Raw) {
		// Every plan of an unchanged instance: an update would send
		// nothing, so it has no effects and nothing new to check against
		// the catalog. Only a change of default_tags can change tags_all.
		r.planTagsAll(ctx, resp)
		return
	}
	if !req.State.Raw.IsNull() {
		planUpdateEffects(ctx, req, resp)
	}
	r.planTagsAll(ctx, resp)
	r.checkAgainstCatalog(ctx, req, resp)
}

// updateInputs are the attributes that decide what an update may change
// besides what the configuration says: read alone, not the whole objects
// (this runs for every instance in every plan).
type updateInputs struct {
	ProviderData          types.Map
	ProviderDataWOVersion types.Int64
	Configuration         types.Map
	SensitiveConfig       types.Map
	SensitiveConfigWOVer  types.Int64
}

// attributeGetter is the part of tfsdk.Plan, tfsdk.State and tfsdk.Config
// that reads one attribute.
type attributeGetter interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

// updateInputs are the model's update inputs (the plan's or the state's, at
// apply).
func (m *instanceResourceModel) updateInputs() updateInputs {
	return updateInputs{
		ProviderData: m.ProviderData, ProviderDataWOVersion: m.ProviderDataWOVersion,
		Configuration: m.Configuration, SensitiveConfig: m.SensitiveConfiguration, SensitiveConfigWOVer: m.SensitiveConfigWOVer,
	}
}

func readUpdateInputs(ctx context.Context, from attributeGetter, diags *diag.Diagnostics) updateInputs {
	var in updateInputs
	for name, into := range map[string]any{
		"provider_data":                      &in.ProviderData,
		"provider_data_wo_version":           &in.ProviderDataWOVersion,
		"configuration":                      &in.Configuration,
		"sensitive_configuration":            &in.SensitiveConfig,
		"sensitive_configuration_wo_version": &in.SensitiveConfigWOVer,
	} {
		diags.Append(from.GetAttribute(ctx, path.Root(name), into)...)
	}
	return in
}

// planUpdateEffects plans token and valid unknown when the update may
// re-authenticate (a value unknown at plan may), and valid unknown when the
// credentials may change: the vendor checks them again.
func planUpdateEffects(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	planned := readUpdateInputs(ctx, req.Plan, &resp.Diagnostics)
	prior := readUpdateInputs(ctx, req.State, &resp.Diagnostics)
	managed, diags := loadManaged(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	reauth := reauthenticating(planned, prior, managed)
	if reauth {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("token"), types.StringUnknown())...)
	}
	if reauth || credentialsChange(planned, prior) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("valid"), types.BoolUnknown())...)
	}
}

// credentialsChange reports whether the update may send new element
// configuration (the event settings aside), after which the vendor decides
// again whether the instance is valid.
func credentialsChange(planned, prior updateInputs) bool {
	return !planned.Configuration.Equal(prior.Configuration) || !planned.SensitiveConfig.Equal(prior.SensitiveConfig) ||
		versionBumped(planned.SensitiveConfigWOVer, prior.SensitiveConfigWOVer)
}

// planTagsAll plans tags_all: the resource's tags and the provider's
// default_tags; null when there are none (tags are then not managed).
func (r *instanceResource) planTagsAll(ctx context.Context, resp *resource.ModifyPlanResponse) {
	var tags, planned types.Set
	resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("tags"), &tags)...)
	resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("tags_all"), &planned)...)
	if resp.Diagnostics.HasError() {
		return
	}
	all, diags := tagsAll(ctx, tags, r.defaultTags())
	resp.Diagnostics.Append(diags...)
	// Setting an attribute rewrites the whole plan value: skip it when the
	// plan already holds this value (every plan of an unchanged instance).
	if resp.Diagnostics.HasError() || planned.Equal(all) {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("tags_all"), all)...)
}

func (r *instanceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, diags := getInstanceModel(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	wo, diags := readWriteOnly(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	body, diags := plan.createRequest(ctx, wo)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	in, err := r.data.client.CreateInstance(ctx, body)
	if errors.Is(err, cloudelements.ErrOutcomeUnknown) {
		in, err = r.lostCreate(plan).adopt(ctx, err, &resp.Diagnostics)
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Creating Cloud Elements Instance",
			fmt.Sprintf("Could not create the %q instance %q: %s", plan.ElementKey.ValueString(), plan.Name.ValueString(), err))
		return
	}
	tflog.Trace(ctx, "created Cloud Elements instance", map[string]any{"id": in.ID.String()})
	defer r.data.reads.Invalidate(int64(in.ID))

	sent := make(map[string]*string, len(body.Configuration))
	for k, v := range body.Configuration {
		sent[k] = &v
	}
	// Terraform created it: it knows what it was authenticated with.
	managed := managedKeys{ProviderDataKnown: true}
	recordWrites(&managed, sent, body.Tags)
	resp.Diagnostics.Append(saveManaged(ctx, resp.Private, managed)...)

	wantDisabled := plan.Disabled.ValueBool()
	resp.Diagnostics.Append(plan.refresh(ctx, in, refreshApply, nil)...)
	warnDisagreements(&resp.Diagnostics, in.ID.String(), sent, in.Configuration)
	plan.Disabled = types.BoolValue(in.Disabled)
	// Save the id before any further call, so a failure below cannot orphan
	// the instance: Terraform then marks it tainted instead.
	resp.Diagnostics.Append(setInstanceModel(ctx, &resp.State.Raw, &plan)...)
	setIdentity(ctx, resp.Identity, instanceIdentity{ID: plan.ID}, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || wantDisabled == in.Disabled {
		return
	}
	if err := r.data.client.SetInstanceEnabled(ctx, int64(in.ID), in.Token, !wantDisabled); err != nil {
		resp.Diagnostics.AddError("Error Disabling Cloud Elements Instance",
			fmt.Sprintf("Instance %s was created but could not be %s: %s. It is saved in state as tainted; the next apply replaces it.",
				in.ID, enabledWord(!wantDisabled), err))
		return
	}
	plan.Disabled = types.BoolValue(wantDisabled)
	resp.Diagnostics.Append(setInstanceModel(ctx, &resp.State.Raw, &plan)...)
}

// lostCreate finds the instance a create whose answer was lost may have
// made: the same name and element, created in the last adoptWindow.
func (r *instanceResource) lostCreate(plan instanceResourceModel) lostCreate[*cloudelements.Instance] {
	name, key := plan.Name.ValueString(), plan.ElementKey.ValueString()
	return lostCreate[*cloudelements.Instance]{
		kind: "Instance",
		one:  fmt.Sprintf("%q instance named %q", key, name),
		many: fmt.Sprintf("%q instances named %q", key, name),
		find: func(ctx context.Context) ([]*cloudelements.Instance, error) {
			found, err := r.data.client.ListInstances(ctx, cloudelements.ListInstancesOptions{SearchText: name})
			var out []*cloudelements.Instance
			now := time.Now()
			for i := range found {
				if in := &found[i]; in.Name == name && in.Element.Key == key && createdRecently(in.CreatedDate, now, adoptWindow) {
					out = append(out, in)
				}
			}
			return out, err
		},
		id:      func(in *cloudelements.Instance) string { return in.ID.String() },
		created: func(in *cloudelements.Instance) string { return in.CreatedDate },
	}
}

func (r *instanceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, id, ok := stateAndID(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	// The framework wants an identity even when the resource is gone.
	setIdentity(ctx, resp.Identity, instanceIdentity{ID: state.ID}, &resp.Diagnostics)
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	in, err := r.data.reads.Read(ctx, id)
	if errors.Is(err, cloudelements.ErrNotFound) {
		tflog.Warn(ctx, "Cloud Elements instance not found; removing it from state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Cloud Elements Instance",
			fmt.Sprintf("Could not read instance %d: %s", id, err))
		return
	}
	state.defaultTags = r.defaultTags()
	mode, defs := refreshRead, map[string]*cloudelements.ConfigDefinition(nil)
	if state.ElementKey.IsNull() {
		// Import: the element's definitions tell the keys a user wrote
		// from the ones the API added.
		mode = refreshImport
		defs = r.importDefinitions(ctx, in.Element.Key, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(state.refresh(ctx, in, mode, defs)...)
	resp.Diagnostics.Append(setInstanceModel(ctx, &resp.State.Raw, &state)...)
}

// importDefinitions returns the element's definitions for an import, or
// nil (with a warning, once per process) when the catalog cannot be read:
// the name rules then decide alone.
func (r *instanceResource) importDefinitions(ctx context.Context, key string, diags *diag.Diagnostics) map[string]*cloudelements.ConfigDefinition {
	if key == "" {
		return nil
	}
	e, err := r.data.catalog.Lookup(ctx, key)
	if err != nil {
		if r.data.catalog.FirstWarning() {
			diags.AddWarning("Element Catalog Unavailable",
				fmt.Sprintf("The definitions of element %q could not be read (%s), so the import tells the keys the API added "+
					"from the ones a user set by their names only. Check configuration after the import.", key, err))
		}
		return nil
	}
	return e.Defs
}

// Update sends what the plan changes (write), records what Terraform has
// written (private state), sets the state from the answer, or from the
// prior state when nothing was sent, and enables or disables the instance
// when the plan says so.
func (r *instanceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := getInstanceModel(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	state, id, ok := stateAndID(ctx, req.State, &resp.Diagnostics)
	if !ok || resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	managed, diags := loadManaged(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	wo, diags := readWriteOnly(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	defer r.data.reads.Invalidate(id)
	in, sent, err := r.write(ctx, id, &plan, &state, &managed, wo, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Updating Cloud Elements Instance",
			fmt.Sprintf("Could not update instance %d: %s", id, err))
		return
	}
	if !plan.ProviderData.IsNull() {
		managed.ProviderDataKnown = true // sent, or recorded
	}
	resp.Diagnostics.Append(saveManaged(ctx, resp.Private, managed)...)

	disabled := state.Disabled.ValueBool()
	if in != nil {
		resp.Diagnostics.Append(plan.refresh(ctx, in, refreshApply, nil)...)
		warnDisagreements(&resp.Diagnostics, in.ID.String(), sent, in.Configuration)
		disabled = in.Disabled
	} else {
		resp.Diagnostics.Append(plan.keepComputed(&state)...)
	}
	if want := plan.Disabled.ValueBool(); want != disabled {
		if err := r.data.client.SetInstanceEnabled(ctx, id, plan.Token.ValueString(), !want); err != nil {
			plan.Disabled = types.BoolValue(disabled)
			resp.Diagnostics.Append(setInstanceModel(ctx, &resp.State.Raw, &plan)...)
			resp.Diagnostics.AddError("Error Updating Cloud Elements Instance",
				fmt.Sprintf("Could not %s instance %d: %s", map[bool]string{true: "disable", false: "enable"}[want], id, err))
			return
		}
	}
	resp.Diagnostics.Append(setInstanceModel(ctx, &resp.State.Raw, &plan)...)
	setIdentity(ctx, resp.Identity, instanceIdentity{ID: plan.ID}, &resp.Diagnostics)
}

// write sends the update: a re-authentication (PUT) when provider_data or
// its write-only twin asks for one, else a PATCH of what changed and of the
// write-only values whose version changed, else nothing (in is nil). It
// records in managed what it wrote, and returns the configuration it sent.
func (r *instanceResource) write(ctx context.Context, id int64, plan, state *instanceResourceModel, managed *managedKeys,
	wo writeOnlyValues, diags *diag.Diagnostics,
) (in *cloudelements.Instance, sent map[string]*string, err error) {
	resend := plan.writeOnlyToResend(state, wo)
	if reauthenticating(plan.updateInputs(), state.updateInputs(), *managed) {
		return r.reauthenticate(ctx, id, plan, state, managed, wo, resend, diags)
	}
	patch, changed, d := updateRequest(ctx, plan, state, *managed)
	diags.Append(d...)
	if diags.HasError() {
		return nil, nil, nil
	}
	for k, v := range resend {
		if patch.Configuration == nil {
			patch.Configuration = map[string]*string{}
		}
		patch.Configuration[k] = v
		changed = true
	}
	if !changed {
		return nil, nil, nil
	}
	in, err = r.data.client.UpdateInstance(ctx, id, patch)
	if err != nil {
		return nil, nil, err
	}
	recordWrites(managed, patch.Configuration, patch.Tags)
	return in, patch.Configuration, nil
}

// reauthenticate runs the vendor's re-authentication procedure: read the
// instance, then PUT it back with ?reAuthenticate=true, without the OAuth
// tokens the exchange replaces and with the new providerData and the
// plan's changes. Whatever else the instance holds (keys the API added,
// keys set in the console) goes back unchanged.
func (r *instanceResource) reauthenticate(ctx context.Context, id int64, plan, state *instanceResourceModel, managed *managedKeys,
	wo writeOnlyValues, resend map[string]*string, diags *diag.Diagnostics,
) (*cloudelements.Instance, map[string]*string, error) {
	current, err := r.data.client.GetInstance(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("reading it before re-authenticating: %w", err)
	}
	want, d := plan.wantedConfiguration(ctx)
	diags.Append(d...)
	have, d := state.wantedConfiguration(ctx)
	diags.Append(d...)
	changes := configChanges(want, have, *managed)
	for k, v := range resend {
		changes[k] = v
	}
	body, d := plan.reauthRequest(ctx, current, changes, wo)
	diags.Append(d...)
	if diags.HasError() {
		return nil, nil, nil
	}
	in, err := r.data.client.ReplaceInstance(ctx, id, body, true)
	if err != nil {
		return nil, nil, err
	}
	var tags *[]string
	if !plan.TagsAll.IsNull() {
		tags = &body.Tags
	}
	recordWrites(managed, changes, tags)
	return in, changes, nil
}

// writeOnlyToResend is the configuration whose write-only values must be
// sent again because their *_wo_version changed.
func (m *instanceResourceModel) writeOnlyToResend(state *instanceResourceModel, wo writeOnlyValues) map[string]*string {
	out := map[string]*string{}
	if versionBumped(m.SensitiveConfigWOVer, state.SensitiveConfigWOVer) {
		for k, v := range wo.Configuration {
			out[k] = &v
		}
	}
	if wo.SignatureKey != nil {
		var planned, prior types.Int64
		if ev, _ := m.eventBlock(); ev != nil {
			planned = ev.SignatureKeyWOVersion
		}
		if ev, _ := state.eventBlock(); ev != nil {
			prior = ev.SignatureKeyWOVersion
		}
		if versionBumped(planned, prior) {
			out[configkeys.SignatureKey] = wo.SignatureKey
		}
	}
	return out
}

// tagsAll is tags_all for the resource's tags and the provider's default
// tags (mergeTags): unknown while tags are, null when tags are unset and
// there are no default tags (tags are then not managed).
// Terraform plans again at apply with every value known, so the plan an
// apply gets always has tags_all known.
func tagsAll(ctx context.Context, tags types.Set, defaults []string) (types.Set, diag.Diagnostics) {
	if tags.IsUnknown() {
		return types.SetUnknown(types.StringType), nil
	}
	var own []string
	var diags diag.Diagnostics
	if !tags.IsNull() {
		diags.Append(tags.ElementsAs(ctx, &own, false)...)
	}
	if tags.IsNull() && len(defaults) == 0 {
		return types.SetNull(types.StringType), diags
	}
	// tags = [] manages the tags as none: an empty tags_all, not null.
	all, d := types.SetValueFrom(ctx, types.StringType, append([]string{}, mergeTags(own, defaults)...))
	diags.Append(d...)
	return all, diags
}

// keepComputed carries the state's computed values over when an update
// made no request, the event settings left to the element included.
func (m *instanceResourceModel) keepComputed(state *instanceResourceModel) diag.Diagnostics {
	if m.Token.IsUnknown() {
		m.Token = state.Token
	}
	if m.Valid.IsUnknown() {
		m.Valid = state.Valid
	}
	if m.ElementID.IsUnknown() {
		m.ElementID = state.ElementID
	}
	if m.CreatedDate.IsUnknown() {
		m.CreatedDate = state.CreatedDate
	}
	planned, diags := m.eventBlock()
	if planned == nil {
		return diags
	}
	prior, d := state.eventBlock()
	diags.Append(d...)
	if prior == nil {
		prior = &eventNotificationModel{}
	}
	planned.resolveUnknowns(prior.VendorType, prior.PollerRefreshInterval, prior.PollerConfiguration)
	list, d := eventBlockList(planned)
	diags.Append(d...)
	m.EventNotification = list
	return diags
}

func (r *instanceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, id, ok := stateAndID(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	defer r.data.reads.Invalidate(id)
	if err := r.data.client.DeleteInstance(ctx, id); err != nil { // 404, already gone, is success
		resp.Diagnostics.AddError("Error Deleting Cloud Elements Instance",
			fmt.Sprintf("Could not delete instance %d: %s", id, err))
	}
}

// ImportState takes an instance id ("12345"), "name=<exact name>", or a
// resource identity ({ id = "12345" }).
func (r *instanceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, ok := importTarget(ctx, req, func(raw string, diags *diag.Diagnostics) (instanceIdentity, bool) {
		if name, byName := strings.CutPrefix(raw, "name="); byName {
			if raw = r.importIDByName(ctx, name, diags); diags.HasError() {
				return instanceIdentity{}, false
			}
		}
		_, ok := parseID(raw, "Instance", path.Root("id"), diags)
		return instanceIdentity{ID: types.StringValue(raw)}, ok
	}, func(i instanceIdentity) string { return i.ID.ValueString() }, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id.ID)...)
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
	// Terraform has written nothing to an imported instance yet, and does
	// not know the provider_data it was authenticated with.
	resp.Diagnostics.Append(saveManaged(ctx, resp.Private, managedKeys{})...)
}

// importIDByName finds the one instance named exactly name; an unknown or
// ambiguous name is an error listing the candidates.
func (r *instanceResource) importIDByName(ctx context.Context, name string, diags *diag.Diagnostics) string {
	if r.data == nil {
		addNotConfigured(diags, "Importing by name needs the provider's credentials")
		return ""
	}
	in, err := findInstanceByName(ctx, r.data.client, name)
	if err != nil {
		diags.AddError("Cannot Import Cloud Elements Instance by Name", err.Error())
		return ""
	}
	return in.ID.String()
}

// reauthenticating reports whether an update re-runs the element's
// authentication (at plan: may re-run it): provider_data asks for it
// (reauthenticates), or provider_data_wo_version changed, which sends
// provider_data_wo again. Plan and apply both decide with it.
func reauthenticating(planned, prior updateInputs, managed managedKeys) bool {
	return reauthenticates(planned.ProviderData, prior.ProviderData, managed) ||
		versionBumped(planned.ProviderDataWOVersion, prior.ProviderDataWOVersion)
}

// reauthenticates reports whether a change of provider_data may re-run
// the element's authentication: a new value (or one unknown at plan), when
// Terraform knows the value the instance was authenticated with. After an
// import it does not (the API never returns provider_data): the configured
// value is then only recorded, so an OAuth code the console already used
// is not sent again. Removing provider_data never re-authenticates (an
// OAuth code works once; removing a spent one only stops managing it); a
// code added after such a removal does.
func reauthenticates(planned, prior types.Map, managed managedKeys) bool {
	if planned.IsNull() || planned.Equal(prior) {
		return false
	}
	return managed.ProviderDataKnown || !prior.IsNull()
}

// stateAndID reads the prior state and the instance id it holds.
func stateAndID(ctx context.Context, st tfsdk.State, diags *diag.Diagnostics) (instanceResourceModel, int64, bool) {
	m, d := getInstanceModel(ctx, st.Raw)
	diags.Append(d...)
	if diags.HasError() {
		return m, 0, false
	}
	id, ok := parseID(m.ID.ValueString(), "Instance", path.Root("id"), diags)
	return m, id, ok
}

// warnDisagreements turns disagreements into one warning.
func warnDisagreements(diags *diag.Diagnostics, id string, sent, got map[string]*string) {
	if d := disagreements(sent, got); len(d) > 0 {
		diags.AddWarning("Cloud Elements Kept Other Values",
			fmt.Sprintf("After the change, the API's answer for instance %s differs from what was sent: %s. "+
				"The next plan shows the difference if it persists.", id, strings.Join(d, "; ")))
	}
}

func enabledWord(enabled bool) string {
	if enabled {
		return "enabled"
	}
	return "disabled"
}
