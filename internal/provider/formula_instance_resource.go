// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/formuladef"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ resource.Resource                   = &formulaInstanceResource{}
	_ resource.ResourceWithConfigure      = &formulaInstanceResource{}
	_ resource.ResourceWithImportState    = &formulaInstanceResource{}
	_ resource.ResourceWithModifyPlan     = &formulaInstanceResource{}
	_ resource.ResourceWithIdentity       = &formulaInstanceResource{}
	_ resource.ResourceWithValidateConfig = &formulaInstanceResource{}
)

var (
	// positiveIDPattern is a numeric id as Terraform holds it, a string.
	positiveIDPattern = regexp.MustCompile(`^[1-9][0-9]*$`)
	// formulaAPIPattern is settings.api: "<METHOD> /<path>"
	// (churros:src/test/platform/formulas/faar.js#L111-122 refuses "/bingo",
	// "GET" and "GET missing-a-slash").
	formulaAPIPattern = regexp.MustCompile(`^[A-Z]+ /\S*$`)
)

// NewFormulaInstanceResource is the constructor for cloudelements_formula_instance.
func NewFormulaInstanceResource() resource.Resource { return &formulaInstanceResource{} }

type formulaInstanceResource struct {
	data *providerData
}

type formulaInstanceResourceModel struct {
	ID                     types.String   `tfsdk:"id"`
	FormulaID              types.String   `tfsdk:"formula_id"`
	Name                   types.String   `tfsdk:"name"`
	Active                 types.Bool     `tfsdk:"active"`
	Configuration          types.Map      `tfsdk:"configuration"`
	SensitiveConfiguration types.Map      `tfsdk:"sensitive_configuration"`
	SensitiveConfigWO      types.Map      `tfsdk:"sensitive_configuration_wo"`
	SensitiveConfigWOVer   types.Int64    `tfsdk:"sensitive_configuration_wo_version"`
	NotificationEmail      types.String   `tfsdk:"notification_email"`
	NotificationWebhookURL types.String   `tfsdk:"notification_webhook_url"`
	API                    types.String   `tfsdk:"api"`
	TimeToLive             types.Int64    `tfsdk:"time_to_live"`
	CreatedDate            types.String   `tfsdk:"created_date"`
	Timeouts               timeouts.Value `tfsdk:"timeouts"`
}

// formulaInstanceIdentity is the resource identity: the formula's id and
// the instance's.
type formulaInstanceIdentity struct {
	FormulaID types.String `tfsdk:"formula_id"`
	ID        types.String `tfsdk:"id"`
}

func (i formulaInstanceIdentity) complete() bool {
	return !i.FormulaID.IsUnknown() && !i.FormulaID.IsNull() && !i.ID.IsUnknown() && !i.ID.IsNull()
}

func (m *formulaInstanceResourceModel) identity() formulaInstanceIdentity {
	return formulaInstanceIdentity{FormulaID: m.FormulaID, ID: m.ID}
}

func (r *formulaInstanceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formula_instance"
}

func (r *formulaInstanceResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{
		"formula_id": "The formula's numeric id, as a string.",
		"id":         "The formula instance's numeric id, as a string.",
	})
}

func (r *formulaInstanceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A formula instance: binds a `cloudelements_formula` to element instances and values through " +
			"the formula's variables, and runs it. Import with `<formula_id>/<instance_id>`.\n\n" +
			"The service deactivates an instance by itself after more than 100 consecutive failed executions; such a " +
			"deactivation shows as a change to `active` and the next apply activates it again.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The formula instance's numeric id (`id`), as a string.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"formula_id": schema.StringAttribute{
				MarkdownDescription: "Id of the formula this is an instance of, usually `cloudelements_formula.<name>.id`. Changing it replaces the instance.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(positiveIDPattern, "must be a formula id, a positive whole number")},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the formula instance (`name`). The API strips markup, so `<` and `>` are refused.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), noMarkup()},
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Whether the instance runs (`active`). Defaults to `true`. Executions also need the formula to be active.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"configuration": schema.MapAttribute{
				MarkdownDescription: "Values of the formula's variables (`configuration`), by variable `key`: the element " +
					"instance id for an `elementInstance` variable (for example `cloudelements_instance.crm.id`), text for a " +
					"`value` variable. A key that is not a variable of the formula is an error when planning, or, when the " +
					"formula is created in the same apply, before the instance is created. Secrets (an API key a `value` " +
					"variable feeds to an `httpRequest` step) belong in `sensitive_configuration`: a key here whose name says " +
					"it is one (`apiKey`, `password`, `token`, ...) is a warning.",
				ElementType: types.StringType,
				Optional:    true,
			},
			"sensitive_configuration": schema.MapAttribute{
				MarkdownDescription: "Secret variable values, by variable `key`: merged into `configuration` when sent, hidden " +
					"from plan output (stored in state, as sensitive). A value the API masks (`********`) keeps the one set here.",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
			},
			"sensitive_configuration_wo": writeOnlyConfiguration("Sent on create and with every update (an update " +
				"replaces the whole configuration); change `sensitive_configuration_wo_version` to send new values."),
			"sensitive_configuration_wo_version": writeOnlyConfigurationVersion(""),
			"notification_email": schema.StringAttribute{
				MarkdownDescription: "Where the service e-mails execution failures (`settings[\"notification.email\"]`).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"notification_webhook_url": schema.StringAttribute{
				MarkdownDescription: "A URL the service calls on execution failures (`settings[\"notification.webhook.url\"]`): " +
					"an absolute `https` URL (`http` with a warning, except on loopback). A URL with a user name or password in " +
					"it is refused, without showing them: this argument is not sensitive, so they would show in every plan.",
				Optional:   true,
				Validators: []validator.String{webhookURL},
			},
			"api": schema.StringAttribute{
				MarkdownDescription: "For a formula exposed as a resource, the API that runs this instance, as " +
					"`\"<METHOD> /<path>\"` (`settings[\"api\"]`); it must not collide with a platform API.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.RegexMatches(formulaAPIPattern, `must be "<METHOD> /<path>", such as "GET /my-formula"`)},
			},
			"time_to_live": schema.Int64Attribute{
				MarkdownDescription: "Seconds after which the service deletes the instance (`settings[\"formula.instance.time.to.live\"]`; " +
					"expired instances are removed hourly). Terraform re-creates an instance that expired.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"created_date": schema.StringAttribute{
				MarkdownDescription: "When the instance was created (`createdDate`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, resourceTimeouts),
		},
	}
}

func (r *formulaInstanceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig warns about a plain configuration key whose name says it
// is a secret, and refuses a key set in two of the configuration maps.
func (r *formulaInstanceResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg, secret, wo types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("configuration"), &cfg)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sensitive_configuration"), &secret)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sensitive_configuration_wo"), &wo)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validatePlainAndSecretKeys(cfg, secret, "sensitive_configuration", &resp.Diagnostics)
	validatePlainAndSecretKeys(types.MapNull(types.StringType), wo, "sensitive_configuration_wo", &resp.Diagnostics)
	checkSetTwice(cfg, wo, "sensitive_configuration_wo", &resp.Diagnostics)
}

// ModifyPlan checks the configuration keys against the formula's variables.
// A formula planned in the same run (an update) gives its planned variables
// (planned_sets.go), with no request, and every plan is checked against
// them; otherwise the formula is read from the API, only when the
// configuration's keys or the formula change (no request on a plan without
// changes). A formula created in the same apply has an unknown id when
// planning; Terraform plans the instance again during the apply, once the
// formula exists, so the check then runs before the instance's POST.
func (r *formulaInstanceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	var formulaID types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("formula_id"), &formulaID)...)
	keys := plannedVariableKeys(ctx, req.Plan, &req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || formulaID.IsUnknown() || keys == nil || len(keys) == 0 {
		return
	}
	id, ok := parseID(formulaID.ValueString(), "Formula", path.Root("formula_id"), &resp.Diagnostics)
	if !ok {
		return
	}
	if planned, ok := r.data.plannedVars.get(formulaID.ValueString()); ok {
		checkFormulaVariables(keys, fmt.Sprintf("Formula %d, as planned,", id), slices.Sorted(maps.Keys(planned)), &resp.Diagnostics)
		return
	}
	if !req.State.Raw.IsNull() {
		var priorID types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("formula_id"), &priorID)...)
		prior := plannedVariableKeys(ctx, req.State, nil, &resp.Diagnostics)
		hidden, diags := loadHiddenKeys(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		for _, k := range hidden.WriteOnly {
			prior[k] = "sensitive_configuration_wo"
		}
		if priorID.Equal(formulaID) && maps.Equal(prior, keys) {
			return
		}
	}
	var t timeouts.Value
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	ctx, cancel, ok := withTimeout(ctx, t.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	f, err := r.data.client.GetFormula(ctx, id)
	if errors.Is(err, cloudelements.ErrNotFound) {
		resp.Diagnostics.AddAttributeError(path.Root("formula_id"), "Cloud Elements Formula Not Found",
			fmt.Sprintf("There is no formula %d.", id))
		return
	}
	if err != nil {
		resp.Diagnostics.AddAttributeWarning(path.Root("configuration"), "Formula Variables Not Checked",
			fmt.Sprintf("Could not read formula %d to check the configuration keys against its variables: %s", id, err))
		return
	}
	def, err := formuladef.Parse(string(f.Body))
	if err != nil {
		return
	}
	checkFormulaVariables(keys, fmt.Sprintf("Formula %d (%q)", id, f.Name), formuladef.Variables(def), &resp.Diagnostics)
}

// plannedVariableKeys are the variable keys set in configuration,
// sensitive_configuration and (from cfg, when given) the write-only map,
// each to the attribute that sets it; nil when one of them is unknown.
func plannedVariableKeys(ctx context.Context, from attributeGetter, cfg *tfsdk.Config, diags *diag.Diagnostics) map[string]string {
	keys := map[string]string{}
	names := []string{"configuration", "sensitive_configuration"}
	sources := []attributeGetter{from, from}
	if cfg != nil {
		names, sources = append(names, "sensitive_configuration_wo"), append(sources, cfg)
	}
	for i, name := range names {
		var m types.Map
		diags.Append(sources[i].GetAttribute(ctx, path.Root(name), &m)...)
		if m.IsUnknown() {
			return nil
		}
		for k := range m.Elements() {
			keys[k] = name
		}
	}
	return keys
}

// checkFormulaVariables adds an error naming each configuration key (key ->
// the attribute setting it) that is not one of vars; formula says which
// formula, for the message.
func checkFormulaVariables(keys map[string]string, formula string, vars []string, diags *diag.Diagnostics) {
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if !slices.Contains(vars, k) {
			diags.AddAttributeError(path.Root(keys[k]).AtMapKey(k), "Unknown Formula Variable",
				fmt.Sprintf("%s has no variable %q. Its variables are: %s.", formula, k, listOrNone(vars)))
		}
	}
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ", ")
}

// request is the create (prior nil) or update body for the planned
// instance: the whole instance, as the vendor's tests send it
// (churros:src/test/platform/formulas/instances.js#L58-62), with the settings
// prior had and the plan drops sent as null.
//
// The configuration is every value: configuration, sensitive_configuration,
// the write-only values and (extra) the values of secrets Terraform leaves
// alone, since a PUT replaces the whole configuration.
func (m *formulaInstanceResourceModel) request(ctx context.Context, prior *formulaInstanceResourceModel, wo, extra map[string]string, diags *diag.Diagnostics) cloudelements.FormulaInstanceRequest {
	active := m.Active.ValueBool()
	req := cloudelements.FormulaInstanceRequest{Name: m.Name.ValueString(), Active: &active}
	if !m.Configuration.IsNull() || !m.SensitiveConfiguration.IsNull() || len(wo) > 0 || len(extra) > 0 {
		req.Configuration = map[string]string{}
		diags.Append(mergeStringMap(ctx, m.Configuration, req.Configuration)...)
		diags.Append(mergeStringMap(ctx, m.SensitiveConfiguration, req.Configuration)...)
		maps.Copy(req.Configuration, wo)
		maps.Copy(req.Configuration, extra)
	}
	s := cloudelements.FormulaInstanceSettings{
		NotificationEmail:      m.NotificationEmail.ValueStringPointer(),
		NotificationWebhookURL: m.NotificationWebhookURL.ValueStringPointer(),
		API:                    m.API.ValueStringPointer(),
		TimeToLive:             m.TimeToLive.ValueInt64Pointer(),
	}
	if s != (cloudelements.FormulaInstanceSettings{}) {
		req.Settings = &s
	}
	if prior != nil {
		for key, pair := range map[string][2]attr.Value{
			"notification.email":            {prior.NotificationEmail, m.NotificationEmail},
			"notification.webhook.url":      {prior.NotificationWebhookURL, m.NotificationWebhookURL},
			"api":                           {prior.API, m.API},
			"formula.instance.time.to.live": {prior.TimeToLive, m.TimeToLive},
		} {
			if !pair[0].IsNull() && pair[1].IsNull() {
				req.ClearSettings = append(req.ClearSettings, key)
			}
		}
		sort.Strings(req.ClearSettings)
	}
	return req
}

// refresh sets the model from the API's instance; hidden are the keys no
// attribute shows (splitConfiguration), and the unmanaged secret keys it
// finds are returned.
func (m *formulaInstanceResourceModel) refresh(in *cloudelements.FormulaInstance, hidden hiddenKeys) (unmanaged []string) {
	m.ID = types.StringValue(strconv.FormatInt(in.ID, 10))
	if in.FormulaID != 0 {
		m.FormulaID = types.StringValue(strconv.FormatInt(in.FormulaID, 10))
	}
	m.Name = types.StringValue(in.Name)
	m.Active = types.BoolValue(in.Active)
	unmanaged = m.splitConfiguration(in.Configuration, hidden)
	m.NotificationEmail = types.StringPointerValue(in.Settings.NotificationEmail)
	m.NotificationWebhookURL = types.StringPointerValue(in.Settings.NotificationWebhookURL)
	m.API = types.StringPointerValue(in.Settings.API)
	m.TimeToLive = types.Int64PointerValue(in.Settings.TimeToLive)
	m.CreatedDate = types.StringValue(in.CreatedDate)
	return unmanaged
}

// applied keeps the plan in state after a create or update, with the
// computed values from the answer, and warns when the answer says
// otherwise.
func (m *formulaInstanceResourceModel) applied(in *cloudelements.FormulaInstance, hidden hiddenKeys, diags *diag.Diagnostics) {
	got := *m
	got.refresh(in, hidden)
	m.ID, m.CreatedDate = got.ID, got.CreatedDate
	var differs []string
	for _, c := range []struct {
		name      string
		got, want interface{ String() string }
		equal     bool
	}{
		{"name", got.Name, m.Name, got.Name.Equal(m.Name)},
		{"configuration", got.Configuration, m.Configuration, got.Configuration.Equal(m.Configuration)},
		// never the values: they are secret
		{"sensitive_configuration", secretKeys(got.SensitiveConfiguration), secretKeys(m.SensitiveConfiguration),
			got.SensitiveConfiguration.Equal(m.SensitiveConfiguration)},
		{"notification_email", got.NotificationEmail, m.NotificationEmail, got.NotificationEmail.Equal(m.NotificationEmail)},
		{"notification_webhook_url", got.NotificationWebhookURL, m.NotificationWebhookURL, got.NotificationWebhookURL.Equal(m.NotificationWebhookURL)},
		{"api", got.API, m.API, got.API.Equal(m.API)},
		{"time_to_live", got.TimeToLive, m.TimeToLive, got.TimeToLive.Equal(m.TimeToLive)},
	} {
		if !c.equal {
			differs = append(differs, fmt.Sprintf("%s %s (sent %s)", c.name, c.got, c.want))
		}
	}
	if len(differs) > 0 {
		diags.AddWarning("Cloud Elements Kept Other Values",
			fmt.Sprintf("After the change, the API's answer for formula instance %s has %s. The next plan shows the difference if it persists.",
				m.ID.ValueString(), strings.Join(differs, "; ")))
	}
}

func (r *formulaInstanceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan formulaInstanceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	formulaID, ok := parseID(plan.FormulaID.ValueString(), "Formula", path.Root("formula_id"), &resp.Diagnostics)
	if !ok {
		return
	}
	wo, diags := readWriteOnlyConfiguration(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	body := plan.request(ctx, nil, wo, nil, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	in, err := r.data.client.CreateFormulaInstance(ctx, formulaID, body)
	if errors.Is(err, cloudelements.ErrOutcomeUnknown) {
		in, err = r.lostCreate(formulaID, body.Name, body.Configuration).adopt(ctx, err, &resp.Diagnostics)
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Creating Cloud Elements Formula Instance",
			fmt.Sprintf("Could not create instance %q of formula %d: %s", plan.Name.ValueString(), formulaID, err))
		return
	}
	tflog.Trace(ctx, "created Cloud Elements formula instance", map[string]any{"id": in.ID, "formula_id": formulaID})
	hidden := hiddenKeys{WriteOnly: slices.Sorted(maps.Keys(wo))}
	plan.applied(in, hidden, &resp.Diagnostics)
	resp.Diagnostics.Append(saveHiddenKeys(ctx, resp.Private, hidden)...)
	// Save the id before any further call, so a failure below cannot orphan
	// the instance.
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, plan.identity(), &resp.Diagnostics)
	if resp.Diagnostics.HasError() || in.Active == plan.Active.ValueBool() {
		return
	}
	r.setActive(ctx, formulaID, in.ID, plan.Active.ValueBool(), &resp.Diagnostics)
}

// setActive uses the /active sub-resource (churros:src/test/platform/formulas/instances.js#L46-56)
// when an answer shows another activation than the one sent.
func (r *formulaInstanceResource) setActive(ctx context.Context, formulaID, id int64, active bool, diags *diag.Diagnostics) {
	if err := r.data.client.SetFormulaInstanceActive(ctx, formulaID, id, active); err != nil {
		diags.AddError("Error Updating Cloud Elements Formula Instance",
			fmt.Sprintf("Could not set formula instance %d to active = %v: %s", id, active, err))
	}
}

func (r *formulaInstanceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state formulaInstanceResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	formulaID, id, ok := formulaInstanceIDs(&state, &resp.Diagnostics)
	if !ok {
		return
	}
	setIdentity(ctx, resp.Identity, state.identity(), &resp.Diagnostics)
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	in, err := r.data.client.GetFormulaInstance(ctx, formulaID, id)
	if errors.Is(err, cloudelements.ErrNotFound) {
		// Deleted, expired (time_to_live), or its formula is gone.
		tflog.Warn(ctx, "Cloud Elements formula instance not found; removing it from state", map[string]any{"id": id, "formula_id": formulaID})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Cloud Elements Formula Instance",
			fmt.Sprintf("Could not read instance %d of formula %d: %s", id, formulaID, err))
		return
	}
	hidden, diags := loadHiddenKeys(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	imported := state.Name.IsNull()
	hidden.Unmanaged = state.refresh(in, hidden)
	if imported && len(hidden.Unmanaged) > 0 {
		resp.Diagnostics.AddWarning("Secret Formula Variables Not Imported", secretsNotImported(in, hidden.Unmanaged))
	}
	resp.Diagnostics.Append(saveHiddenKeys(ctx, resp.Private, hidden)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// secretsNotImported says which variables an import left out because
// their names say they are secret, and what to do.
func secretsNotImported(in *cloudelements.FormulaInstance, keys []string) string {
	return fmt.Sprintf("Formula instance %d %q holds %s, whose names say they are secret, so the import leaves them out of "+
		"configuration (plans would show them): the instance keeps them, and each update sends back what it holds. To manage "+
		"them, set them in sensitive_configuration or sensitive_configuration_wo.", in.ID, in.Name, quoteList(keys))
}

// secretKeys names a sensitive map's keys, for messages: never its values.
func secretKeys(m types.Map) interface{ String() string } {
	return types.StringValue("{" + strings.Join(sortedKeys(m), ", ") + "}")
}

func (r *formulaInstanceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state formulaInstanceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	formulaID, id, ok := formulaInstanceIDs(&state, &resp.Diagnostics)
	if !ok || resp.Diagnostics.HasError() {
		return
	}
	wo, diags := readWriteOnlyConfiguration(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	hidden, diags := loadHiddenKeys(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	managed := map[string]string{}
	resp.Diagnostics.Append(mergeStringMap(ctx, plan.Configuration, managed)...)
	resp.Diagnostics.Append(mergeStringMap(ctx, plan.SensitiveConfiguration, managed)...)
	maps.Copy(managed, wo)
	extra, err := r.unmanagedValues(ctx, formulaID, id, hidden.Unmanaged, managed)
	if err != nil {
		resp.Diagnostics.AddError("Error Updating Cloud Elements Formula Instance",
			fmt.Sprintf("Could not update instance %d of formula %d: %s", id, formulaID, err))
		return
	}
	body := plan.request(ctx, &state, wo, extra, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	in, err := r.data.client.ReplaceFormulaInstance(ctx, formulaID, id, body)
	if err != nil {
		resp.Diagnostics.AddError("Error Updating Cloud Elements Formula Instance",
			fmt.Sprintf("Could not update instance %d of formula %d: %s", id, formulaID, err))
		return
	}
	hidden = hiddenKeys{WriteOnly: slices.Sorted(maps.Keys(wo)), Unmanaged: slices.Sorted(maps.Keys(extra))}
	plan.applied(in, hidden, &resp.Diagnostics)
	resp.Diagnostics.Append(saveHiddenKeys(ctx, resp.Private, hidden)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, plan.identity(), &resp.Diagnostics)
	if resp.Diagnostics.HasError() || in.Active == plan.Active.ValueBool() {
		return
	}
	r.setActive(ctx, formulaID, id, plan.Active.ValueBool(), &resp.Diagnostics)
}

func (r *formulaInstanceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state formulaInstanceResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	formulaID, id, ok := formulaInstanceIDs(&state, &resp.Diagnostics)
	if !ok {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	if err := r.data.client.DeleteFormulaInstance(ctx, formulaID, id); err != nil { // 404, already gone, is success
		resp.Diagnostics.AddError("Error Deleting Cloud Elements Formula Instance",
			fmt.Sprintf("Could not delete instance %d of formula %d: %s", id, formulaID, err))
	}
}

// ImportState takes "<formula_id>/<instance_id>" or a resource identity.
func (r *formulaInstanceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, ok := importTarget(ctx, req, parseFormulaInstanceImportID,
		func(i formulaInstanceIdentity) string { return i.FormulaID.ValueString() + "/" + i.ID.ValueString() }, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("formula_id"), id.FormulaID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id.ID)...)
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
}

func parseFormulaInstanceImportID(raw string, diags *diag.Diagnostics) (formulaInstanceIdentity, bool) {
	formula, instance, found := strings.Cut(raw, "/")
	if !found {
		diags.AddError("Invalid Cloud Elements Formula Instance Import ID",
			fmt.Sprintf("Import a formula instance with \"<formula_id>/<instance_id>\", such as \"123/456\"; got %q.", raw))
		return formulaInstanceIdentity{}, false
	}
	_, okFormula := parseID(formula, "Formula", path.Root("formula_id"), diags)
	_, okInstance := parseID(instance, "Formula Instance", path.Root("id"), diags)
	return formulaInstanceIdentity{FormulaID: types.StringValue(formula), ID: types.StringValue(instance)}, okFormula && okInstance
}

// formulaInstanceIDs are the formula's and the instance's ids from state.
func formulaInstanceIDs(m *formulaInstanceResourceModel, diags *diag.Diagnostics) (int64, int64, bool) {
	if diags.HasError() {
		return 0, 0, false
	}
	formulaID, ok := parseID(m.FormulaID.ValueString(), "Formula", path.Root("formula_id"), diags)
	if !ok {
		return 0, 0, false
	}
	id, ok := parseID(m.ID.ValueString(), "Formula Instance", path.Root("id"), diags)
	return formulaID, id, ok
}
