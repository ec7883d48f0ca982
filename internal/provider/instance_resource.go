package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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
)

// defaultTimeout bounds each operation unless a timeouts block says
// otherwise: enough for max_retries backoffs at their longest.
const defaultTimeout = 10 * time.Minute

// adoptWindow is how recently an instance must have been created to be
// adopted after a create whose response was lost.
const adoptWindow = 15 * time.Minute

// NewInstanceResource is the constructor for cloudelements_instance.
func NewInstanceResource() resource.Resource { return &instanceResource{} }

type instanceResource struct {
	client *cloudelements.Client
}

func (r *instanceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance"
}

func (r *instanceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An element instance: an authenticated connection to a SaaS API (for example Campaign Monitor) " +
			"through Cloud Elements, with its configuration, tags and event notifications.\n\n" +
			"A create is never retried once the API may have acted on it. If its response is lost (dropped connection, " +
			fmt.Sprintf("unreadable answer), the instance with the same `name` and `element_key` created in the last %d minutes ", int(adoptWindow/time.Minute)) +
			"is adopted, with a warning; if there are several, the apply fails listing their ids: import the right one and delete the others.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The instance's numeric id (`id`), as a string.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"element_key": schema.StringAttribute{
				MarkdownDescription: "Key of the element (connector) to authenticate, such as `campaignmonitor` (`element.key`). Changing it replaces the instance.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the instance (`name`).",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"provider_data": schema.MapAttribute{
				MarkdownDescription: "Data for the element's authentication flow (`providerData`), such as the OAuth authorization grant `code`. " +
					"Sent on create; changing it re-authenticates the instance in place (`PUT /instances/{id}?reAuthenticate=true`). " +
					"The API never returns it, so it is not read back or imported; the first apply after an import records it " +
					"without re-authenticating.",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
			},
			"configuration": schema.MapAttribute{
				MarkdownDescription: "Element configuration (`configuration`), such as `oauth.callback.url` and `oauth.api.key`. " +
					"Only the keys set here are managed; keys the API adds are left alone. `event.*` keys belong in `event_notification`. " +
					"Values the API masks keep what is configured here.",
				ElementType: types.StringType,
				Optional:    true,
			},
			"sensitive_configuration": schema.MapAttribute{
				MarkdownDescription: "Secret element configuration (`configuration`), such as `oauth.api.secret`: merged into `configuration` " +
					"when sent, hidden from plan output. The API masks most secrets, so changes made outside Terraform to masked values " +
					"cannot be detected.",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
			},
			"tags": schema.SetAttribute{
				MarkdownDescription: "Tags on the instance (`tags`).",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"disabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the instance is disabled (`disabled`; `PUT`/`DELETE /instances/{id}/enabled`). Defaults to `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "The instance token (`token`) for `Element` authorization. Changes when `provider_data` re-authenticates.",
				Computed:            true,
				Sensitive:           true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"element_id": schema.Int64Attribute{
				MarkdownDescription: "Numeric id of the element (`elementId`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"valid": schema.BoolAttribute{
				MarkdownDescription: "Whether the instance's authentication is valid (`valid`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"created_date": schema.StringAttribute{
				MarkdownDescription: "When the instance was created (`createdDate`, RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
			"event_notification": schema.ListNestedBlock{
				MarkdownDescription: "Event notifications (the `event.*` configuration keys). Without this block events are off " +
					"(`event.notification.enabled = false`). At most one block.",
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"enabled": schema.BoolAttribute{
							MarkdownDescription: "Whether events are delivered (`event.notification.enabled`). Defaults to `true`.",
							Optional:            true,
							Computed:            true,
							Default:             booldefault.StaticBool(true),
						},
						"callback_url": schema.StringAttribute{
							MarkdownDescription: "Where Cloud Elements POSTs event notifications (`event.notification.callback.url`). " +
								"An absolute `https` URL; `http` only for `localhost` and loopback addresses.",
							Required:   true,
							Validators: []validator.String{callbackURLValidator{}},
						},
						"signature_key": schema.StringAttribute{
							MarkdownDescription: "Key for the `Elements-Webhook-Signature` HMAC-SHA256 header (`event.notification.signature.key`). " +
								"The API masks it, so it is not imported and outside changes cannot be detected.",
							Optional:   true,
							Sensitive:  true,
							Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
						},
						"vendor_type": schema.StringAttribute{
							MarkdownDescription: "How events are collected from the vendor (`event.vendor.type`): `webhook` or `polling`. Defaults to `webhook`.",
							Optional:            true,
							Computed:            true,
							Default:             stringdefault.StaticString(vendorWebhook),
							Validators:          []validator.String{stringvalidator.OneOf(vendorWebhook, vendorPolling)},
						},
						"poller_refresh_interval": schema.Int64Attribute{
							MarkdownDescription: "Minutes between polls (`event.poller.refresh_interval`). Only with `vendor_type = \"polling\"`.",
							Optional:            true,
							Validators:          []validator.Int64{int64validator.AtLeast(1)},
						},
						"poller_configuration": schema.StringAttribute{
							MarkdownDescription: "What to poll, as a JSON object keyed by resource with `url`, `idField` and `datesConfiguration` " +
								"(`event.poller.configuration`). Compared semantically: whitespace and key order make no diff. " +
								"Only with `vendor_type = \"polling\"`.",
							Optional:      true,
							Computed:      true,
							CustomType:    jsontypes.NormalizedType{},
							PlanModifiers: []planmodifier.String{jsonKeepsStateWhenEquivalent{}},
						},
						"objects": schema.SetAttribute{
							MarkdownDescription: "Object names to receive events for (`event.objects`, sent comma-separated).",
							ElementType:         types.StringType,
							Optional:            true,
							Validators: []validator.Set{
								setvalidator.SizeAtLeast(1),
								setvalidator.ValueStringsAre(stringvalidator.RegexMatches(objectNamePattern, "must be an object name without commas or spaces")),
							},
						},
					},
				},
			},
		},
	}
}

func (r *instanceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
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

	ev, diags := m.eventBlock(ctx)
	resp.Diagnostics.Append(diags...)
	if ev == nil || ev.VendorType.IsUnknown() || ev.VendorType.ValueString() == vendorPolling {
		return
	}
	vendor := ev.VendorType.ValueString()
	if vendor == "" {
		vendor = vendorWebhook
	}
	for attrName, set := range map[string]bool{
		"poller_refresh_interval": !ev.PollerRefreshInterval.IsNull(),
		"poller_configuration":    !ev.PollerConfiguration.IsNull(),
	} {
		if set {
			resp.Diagnostics.AddAttributeError(eventPath(attrName), "Polling Setting Without Polling",
				fmt.Sprintf("%q only applies when vendor_type = %q, but vendor_type is %q. Set vendor_type = %q or remove %q.",
					attrName, vendorPolling, vendor, vendorPolling, attrName))
		}
	}
}

// ModifyPlan marks the values that re-authentication changes as unknown.
func (r *instanceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	// Only provider_data matters here: read that, not the whole objects
	// (this runs for every instance in every plan).
	var planned, prior types.Map
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("provider_data"), &planned)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("provider_data"), &prior)...)
	if resp.Diagnostics.HasError() || !reauthenticates(planned, prior) {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("token"), types.StringUnknown())...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("valid"), types.BoolUnknown())...)
}

func (r *instanceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan instanceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	body, diags := plan.createRequest(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	in, err := r.client.CreateInstance(ctx, body)
	if errors.Is(err, cloudelements.ErrOutcomeUnknown) {
		in, err = r.adoptLostCreate(ctx, plan, err, &resp.Diagnostics)
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Creating Cloud Elements Instance",
			fmt.Sprintf("Could not create the %q instance %q: %s", plan.ElementKey.ValueString(), plan.Name.ValueString(), err))
		return
	}
	tflog.Trace(ctx, "created Cloud Elements instance", map[string]any{"id": in.ID.String()})

	wantDisabled := plan.Disabled.ValueBool()
	resp.Diagnostics.Append(plan.refresh(ctx, in, false)...)
	// Save the id before any further call, so a failure below cannot orphan
	// the instance: Terraform then marks it tainted instead.
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() || wantDisabled == in.Disabled {
		return
	}
	if err := r.setDisabled(ctx, int64(in.ID), wantDisabled); err != nil {
		resp.Diagnostics.AddError("Error Disabling Cloud Elements Instance",
			fmt.Sprintf("Instance %s was created but could not be disabled: %s. It is saved in state as tainted; the next apply replaces it.", in.ID, err))
		return
	}
	plan.Disabled = types.BoolValue(wantDisabled)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// adoptLostCreate handles a create whose response never arrived: the API may
// have created the instance. A POST cannot be de-duplicated, so instead of
// retrying it, look for an instance with the same name and element created
// moments ago, and adopt it when there is exactly one.
func (r *instanceResource) adoptLostCreate(ctx context.Context, plan instanceResourceModel, cause error, diags *diag.Diagnostics) (*cloudelements.Instance, error) {
	name, key := plan.Name.ValueString(), plan.ElementKey.ValueString()
	found, err := r.client.ListInstances(ctx, cloudelements.ListInstancesOptions{SearchText: name})
	if err != nil {
		return nil, fmt.Errorf("%w; looking for an instance it may have created also failed: %v. "+
			"Check the console for an instance named %q before applying again", cause, err, name)
	}
	var ids []string
	var match *cloudelements.Instance
	now := time.Now()
	for i := range found {
		in := &found[i]
		if in.Name == name && in.Element.Key == key && createdRecently(in.CreatedDate, now, adoptWindow) {
			ids = append(ids, in.ID.String())
			match = in
		}
	}
	switch len(ids) {
	case 0:
		return nil, fmt.Errorf("%w; no %q instance named %q was created, so applying again is safe", cause, key, name)
	case 1:
		diags.AddWarning("Adopted Cloud Elements Instance After a Lost Response",
			fmt.Sprintf("The response to creating instance %q was lost, but the API had created it: instance %s (created %s) is now managed by Terraform.",
				name, match.ID, match.CreatedDate))
		return match, nil
	default:
		return nil, fmt.Errorf("%w; %d %q instances named %q were created in the last %s (ids %s). "+
			"Import the right one (terraform import) and delete the others", cause, len(ids), key, name, adoptWindow, strings.Join(ids, ", "))
	}
}

func (r *instanceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, id, ok := stateAndID(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	in, err := r.client.GetInstance(ctx, id)
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
	importing := state.ElementKey.IsNull()
	resp.Diagnostics.Append(state.refresh(ctx, in, importing)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *instanceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan instanceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	state, id, ok := stateAndID(ctx, req.State, &resp.Diagnostics)
	if !ok || resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	wantDisabled := plan.Disabled.ValueBool()
	var in *cloudelements.Instance
	var err error
	if reauthenticates(plan.ProviderData, state.ProviderData) {
		// New provider data means a new OAuth code: only a PUT with
		// reAuthenticate uses it, and a PUT carries everything else too.
		body, diags := plan.createRequest(ctx)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		in, err = r.client.ReplaceInstance(ctx, id, body, true)
	} else {
		patch, changed, diags := updateRequest(ctx, &plan, &state)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		if changed {
			in, err = r.client.UpdateInstance(ctx, id, patch)
		}
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Updating Cloud Elements Instance",
			fmt.Sprintf("Could not update instance %d: %s", id, err))
		return
	}
	if in != nil {
		resp.Diagnostics.Append(plan.refresh(ctx, in, false)...)
	} else {
		plan.Token, plan.Valid = state.Token, state.Valid
	}

	if wantDisabled != state.Disabled.ValueBool() || (in != nil && in.Disabled != wantDisabled) {
		if err := r.setDisabled(ctx, id, wantDisabled); err != nil {
			plan.Disabled = state.Disabled
			resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
			resp.Diagnostics.AddError("Error Updating Cloud Elements Instance",
				fmt.Sprintf("Could not %s instance %d: %s", map[bool]string{true: "disable", false: "enable"}[wantDisabled], id, err))
			return
		}
	}
	plan.Disabled = types.BoolValue(wantDisabled)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
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
	err := r.client.DeleteInstance(ctx, id)
	if err != nil && !errors.Is(err, cloudelements.ErrNotFound) {
		resp.Diagnostics.AddError("Error Deleting Cloud Elements Instance",
			fmt.Sprintf("Could not delete instance %d: %s", id, err))
	}
}

func (r *instanceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if _, ok := parseID(req.ID, path.Root("id"), &resp.Diagnostics); !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

// reauthenticates reports whether a change of provider_data must re-run
// the element's authentication. Not when the prior value is unknown to
// Terraform, as after an import (the API never returns it): the configured
// value is then only recorded, so an OAuth code already used is not sent
// again.
func reauthenticates(planned, prior types.Map) bool {
	return !prior.IsNull() && !planned.Equal(prior)
}

// stateAndID reads the prior state and the instance id it holds.
func stateAndID(ctx context.Context, st tfsdk.State, diags *diag.Diagnostics) (instanceResourceModel, int64, bool) {
	var m instanceResourceModel
	diags.Append(st.Get(ctx, &m)...)
	if diags.HasError() {
		return m, 0, false
	}
	id, ok := parseID(m.ID.ValueString(), path.Root("id"), diags)
	return m, id, ok
}

func (r *instanceResource) setDisabled(ctx context.Context, id int64, disabled bool) error {
	if disabled {
		return r.client.DisableInstance(ctx, id)
	}
	return r.client.EnableInstance(ctx, id)
}
