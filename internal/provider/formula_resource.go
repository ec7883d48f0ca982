// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/formuladef"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ resource.Resource                   = &formulaResource{}
	_ resource.ResourceWithConfigure      = &formulaResource{}
	_ resource.ResourceWithImportState    = &formulaResource{}
	_ resource.ResourceWithValidateConfig = &formulaResource{}
	_ resource.ResourceWithModifyPlan     = &formulaResource{}
	_ resource.ResourceWithIdentity       = &formulaResource{}
)

// NewFormulaResource is the constructor for cloudelements_formula.
func NewFormulaResource() resource.Resource { return &formulaResource{} }

type formulaResource struct {
	data *providerData
}

type formulaResourceModel struct {
	ID          types.String      `tfsdk:"id"`
	Name        types.String      `tfsdk:"name"`
	Description types.String      `tfsdk:"description"`
	Active      types.Bool        `tfsdk:"active"`
	Definition  formulaDefinition `tfsdk:"definition"`
	Timeouts    timeouts.Value    `tfsdk:"timeouts"`
}

// formulaIdentity is the resource identity: the formula's numeric id.
type formulaIdentity struct {
	ID types.String `tfsdk:"id"`
}

func (i formulaIdentity) complete() bool { return !i.ID.IsUnknown() && !i.ID.IsNull() }

func (r *formulaResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formula"
}

func (r *formulaResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{
		"id": "The formula's numeric id, as a string.",
	})
}

func (r *formulaResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A formula (template): the platform's integration workflow, with its variables (`configuration`), " +
			"`triggers` and `steps`, for example consuming the events of an element instance. Bind it to element instances " +
			"with `cloudelements_formula_instance`.\n\n" +
			"`definition` is the formula's JSON as the console or the vendor's doctor tool exports it. Steps, triggers and " +
			"variables are identified by their names and keys, so reordering them, reformatting the JSON, the fields the " +
			"server assigns (`id`, `userId`, `accountId`, `createdDate`, the `id`/`formulaId` of steps, triggers and " +
			"variables) and the defaults it fills in are no change. A create is never retried once the API may have acted " +
			fmt.Sprintf("on it: if its answer is lost, the formula with the same name created in the last %d minutes is adopted, ", int(adoptWindow/time.Minute)) +
			"with a warning. A formula that still has instances cannot be deleted: delete its instances first (Terraform " +
			"does, when they refer to it through `formula_id`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The formula's numeric id (`id`), as a string.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the formula (`name`), how the console and doctor identify it. The API strips " +
					"markup, so `<` and `>` are refused. A `name` inside `definition` is ignored.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), noMarkup()},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "Description of the formula (`description`). A `description` inside `definition` is ignored.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Whether the formula runs (`active`); deactivating it stops the executions of all its " +
					"instances. Defaults to `true`. A formula deactivated in the console shows as a change and is activated " +
					"again. An `active` inside `definition` is ignored.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"definition": schema.StringAttribute{
				MarkdownDescription: "The formula as JSON, usually `file(\"formulas/<name>.json\")`: `configuration` (variables: " +
					"`key`, `name`, `type` `elementInstance` or `value`), `triggers` (`event`, `manual`, `scheduled`, " +
					"`elementRequest`), `steps`, and any other documented field (`singleThreaded`, `engine`, `method`/`uri`). " +
					"An export pasted unchanged works: server-assigned fields are accepted and ignored. Checked when planning: " +
					"step names are unique, every `onSuccess`/`onFailure` names a step of the formula, trigger and step types " +
					"are documented ones, and every `${config.<key>}` or `${<key>}` reference names a declared variable " +
					"(references inside script and filter bodies are JavaScript and are not checked).",
				Required:      true,
				CustomType:    formulaDefinitionType{},
				PlanModifiers: []planmodifier.String{keepEquivalentDefinition{}},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, resourceTimeouts),
		},
	}
}

func (r *formulaResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks the definition without a request, and warns when
// the name, description or active inside it differ from the arguments.
func (r *formulaResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m formulaResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Definition.IsNull() || m.Definition.IsUnknown() {
		return
	}
	def, err := formuladef.Parse(m.Definition.ValueString())
	if err != nil {
		return // the type's validation reports it
	}
	for _, p := range formuladef.Check(def) {
		resp.Diagnostics.AddAttributeError(path.Root("definition"), p.Summary, p.Detail)
	}
	var overridden []string
	overridden = argumentInDefinition(def, "name", m.Name, overridden)
	overridden = argumentInDefinition(def, "description", m.Description, overridden)
	if v, ok := def["active"].(bool); ok && !m.Active.IsUnknown() {
		want := m.Active.IsNull() || m.Active.ValueBool() // the default is true
		if v != want {
			overridden = append(overridden, fmt.Sprintf("\"active\": %v, but the formula's active argument is %v", v, want))
		}
	}
	if len(overridden) > 0 {
		resp.Diagnostics.AddAttributeWarning(path.Root("definition"), "Formula Argument Overrides the Definition",
			fmt.Sprintf("The definition says %s: the arguments win.", strings.Join(overridden, "; and ")))
	}
}

// ModifyPlan records the variables an existing formula is planned to have,
// for the configuration check of the formula instances planned after it
// (planned_sets.go): a variable added and used in one change plans, and a
// variable removed while an instance still sets it fails that instance's
// plan. A formula being destroyed, or whose definition is unknown until
// apply, is forgotten. It sends no request.
func (r *formulaResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data == nil || req.State.Raw.IsNull() {
		return // a create: its id, and so any instance's formula_id, is unknown when planning
	}
	var id types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() || id.ValueString() == "" {
		return
	}
	if req.Plan.Raw.IsNull() {
		r.data.plannedVars.forget(id.ValueString())
		return
	}
	var m formulaResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	def, err := formuladef.Parse(m.Definition.ValueString())
	if m.Definition.IsUnknown() || m.Definition.IsNull() || err != nil {
		r.data.plannedVars.forget(id.ValueString())
		return
	}
	r.data.plannedVars.setNames(id.ValueString(), formuladef.Variables(def))
	var prior formulaDefinition
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("definition"), &prior)...)
	if m.Definition.Equal(prior) {
		return
	}
	// A change planned from a definition read at import (the server's
	// formula without what it assigns and fills in) to one in another form:
	// the plan shows those fields too, this once.
	if added := formuladef.IgnoredAdditions(prior.ValueString(), m.Definition.ValueString()); len(added) > 0 {
		if len(added) > 8 {
			added = append(added[:8], fmt.Sprintf("%d more", len(added)-8))
		}
		resp.Diagnostics.AddAttributeWarning(path.Root("definition"), "Formula Definition Shows Fields That Are Not Changes",
			fmt.Sprintf("Besides your change, this plan shows %s as added to formula %s's definition. They are fields the server "+
				"assigns or fills in, which are never sent or compared: the state holds the definition as the import read it, "+
				"without them, and Terraform shows the provider no configuration when it imports. After this apply the state "+
				"holds your definition, and plans show only what you change.", strings.Join(added, ", "), id.ValueString()))
	}
}

// argumentInDefinition adds to out a difference between a string argument
// and the field of the same name inside the definition.
func argumentInDefinition(def map[string]any, key string, arg types.String, out []string) []string {
	inner, ok := def[key].(string)
	if !ok || arg.IsUnknown() || inner == arg.ValueString() {
		return out
	}
	argText := "not set"
	if !arg.IsNull() {
		argText = strconv.Quote(arg.ValueString())
	}
	return append(out, fmt.Sprintf("%q: %q, but the formula's %s argument is %s", key, inner, key, argText))
}

// requestBody is the body of a create (prior nil) or of an update from
// prior for the planned formula.
func (m *formulaResourceModel) requestBody(prior *formulaResourceModel, diags *diag.Diagnostics) json.RawMessage {
	var priorDefinition string
	var priorDescription bool
	if prior != nil {
		priorDefinition, priorDescription = prior.Definition.ValueString(), !prior.Description.IsNull()
	}
	body, err := formuladef.RequestBody(m.Definition.ValueString(), m.Name.ValueString(), m.Description.ValueStringPointer(),
		m.Active.ValueBool(), priorDefinition, priorDescription)
	if err != nil {
		diags.AddAttributeError(path.Root("definition"), "Invalid Formula Definition", err.Error())
	}
	return body
}

// refresh sets the model from the API's formula. The definition keeps the
// model's text when it describes the same formula, and its form when it
// does not (formuladef.Reshape: a console edit of one step plans as that
// step's change); with no text yet (an import, a list result) it is the
// server's formula without its server fields and defaults.
func (m *formulaResourceModel) refresh(f *cloudelements.Formula) error {
	m.ID = types.StringValue(strconv.FormatInt(f.ID, 10))
	m.Name = types.StringValue(f.Name)
	m.Description = types.StringNull()
	if f.Description != "" {
		m.Description = types.StringValue(f.Description)
	}
	m.Active = types.BoolValue(f.Active)
	var def string
	var err error
	if m.Definition.IsNull() || m.Definition.IsUnknown() {
		def, err = formuladef.Stored(f.Body)
	} else {
		def, err = formuladef.Reshape(m.Definition.ValueString(), f.Body)
	}
	if err != nil {
		return fmt.Errorf("the API's answer for formula %d is not a formula: %w", f.ID, err)
	}
	if def != m.Definition.ValueString() || m.Definition.IsNull() || m.Definition.IsUnknown() {
		m.Definition = newFormulaDefinition(def)
	}
	return nil
}

// applied keeps the plan in state after a create or update (Terraform wants
// what it planned), and warns when the API's answer says otherwise: the
// next plan then shows the difference.
func (m *formulaResourceModel) applied(f *cloudelements.Formula, diags *diag.Diagnostics) {
	got := *m
	if err := got.refresh(f); err != nil {
		diags.AddWarning("Unexpected Cloud Elements Formula", err.Error())
		return
	}
	m.ID = got.ID
	var differs []string
	if got.Name != m.Name {
		differs = append(differs, fmt.Sprintf("name %s", got.Name))
	}
	if !got.Description.Equal(m.Description) {
		differs = append(differs, fmt.Sprintf("description %s", got.Description))
	}
	if got.Active != m.Active {
		differs = append(differs, fmt.Sprintf("active %s", got.Active))
	}
	if !got.Definition.Equal(m.Definition) {
		differs = append(differs, "a different definition")
	}
	if len(differs) > 0 {
		diags.AddWarning("Cloud Elements Kept Other Values",
			fmt.Sprintf("After the change, the API's answer for formula %s has %s. The next plan shows the difference if it persists.",
				m.ID.ValueString(), strings.Join(differs, ", ")))
	}
}

func (r *formulaResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan formulaResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	body := plan.requestBody(nil, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	f, err := r.data.client.CreateFormula(ctx, body)
	if errors.Is(err, cloudelements.ErrOutcomeUnknown) {
		f, err = r.lostCreate(plan.Name.ValueString()).adopt(ctx, err, &resp.Diagnostics)
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Creating Cloud Elements Formula",
			fmt.Sprintf("Could not create formula %q: %s", plan.Name.ValueString(), err))
		return
	}
	tflog.Trace(ctx, "created Cloud Elements formula", map[string]any{"id": f.ID})
	wantActive := plan.Active.ValueBool()
	plan.applied(f, &resp.Diagnostics)
	// Save the id before any further call, so a failure below cannot orphan
	// the formula.
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, formulaIdentity{ID: plan.ID}, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || f.Active == wantActive {
		return
	}
	// The create did not take active (an adopted formula, or a server that
	// ignores it on create): send the whole template again.
	if _, err := r.data.client.ReplaceFormula(ctx, f.ID, body); err != nil {
		resp.Diagnostics.AddError("Error Creating Cloud Elements Formula",
			fmt.Sprintf("Formula %d was created but could not be made active = %v: %s. It is saved in state as tainted; the next apply replaces it.",
				f.ID, wantActive, err))
	}
}

// lostCreate finds the formula a create whose answer was lost may have
// made: the same name (how the vendor's asset tool identifies formulas,
// doctor:src/core/formulas/createFormulas.js#L14-16), created in the last
// adoptWindow.
func (r *formulaResource) lostCreate(name string) lostCreate[*cloudelements.Formula] {
	return lostCreate[*cloudelements.Formula]{
		kind: "Formula",
		one:  fmt.Sprintf("formula named %q", name),
		many: fmt.Sprintf("formulas named %q", name),
		find: func(ctx context.Context) ([]*cloudelements.Formula, error) {
			found, err := r.data.client.ListFormulas(ctx, cloudelements.ListFormulasOptions{Name: name})
			if err != nil {
				return nil, err
			}
			var out []*cloudelements.Formula
			now := time.Now()
			for i := range found {
				if f := &found[i]; f.Name == name && createdRecently(formuladef.CreatedDate(f.Body), now, adoptWindow) {
					out = append(out, f)
				}
			}
			if len(out) == 1 && !formuladef.HasSteps(out[0].Body) {
				// A list answer may be abridged: read the formula itself.
				if got, err := r.data.client.GetFormula(ctx, out[0].ID); err == nil {
					out[0] = got
				}
			}
			return out, nil
		},
		id:      func(f *cloudelements.Formula) string { return strconv.FormatInt(f.ID, 10) },
		created: func(f *cloudelements.Formula) string { return formuladef.CreatedDate(f.Body) },
	}
}

func (r *formulaResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state formulaResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	id, ok := parseID(state.ID.ValueString(), "Formula", path.Root("id"), &resp.Diagnostics)
	if !ok {
		return
	}
	setIdentity(ctx, resp.Identity, formulaIdentity{ID: state.ID}, &resp.Diagnostics)
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	f, err := r.data.client.GetFormula(ctx, id)
	if errors.Is(err, cloudelements.ErrNotFound) {
		tflog.Warn(ctx, "Cloud Elements formula not found; removing it from state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Cloud Elements Formula", fmt.Sprintf("Could not read formula %d: %s", id, err))
		return
	}
	if err := state.refresh(f); err != nil {
		resp.Diagnostics.AddError("Error Reading Cloud Elements Formula", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *formulaResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state formulaResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	id, ok := parseID(state.ID.ValueString(), "Formula", path.Root("id"), &resp.Diagnostics)
	if !ok || resp.Diagnostics.HasError() {
		return
	}
	body := plan.requestBody(&state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	// The whole template: the vendor's own tool updates that way
	// (doctor:src/core/formulas/createFormulas.js#L79).
	f, err := r.data.client.ReplaceFormula(ctx, id, body)
	if err != nil {
		resp.Diagnostics.AddError("Error Updating Cloud Elements Formula", fmt.Sprintf("Could not update formula %d: %s", id, err))
		return
	}
	plan.applied(f, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, formulaIdentity{ID: plan.ID}, &resp.Diagnostics)
}

func (r *formulaResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state formulaResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	id, ok := parseID(state.ID.ValueString(), "Formula", path.Root("id"), &resp.Diagnostics)
	if !ok {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	err := r.data.client.DeleteFormula(ctx, id)
	if err == nil { // the client reads 404 as already gone
		return
	}
	if stillHasInstances(err) {
		resp.Diagnostics.AddError("Cloud Elements Formula Still Has Instances",
			fmt.Sprintf("Formula %d cannot be deleted while it has formula instances (devportal: \"You can delete a formula template "+
				"if the template has no instances\"). Delete them first: Terraform does so for cloudelements_formula_instance "+
				"resources whose formula_id refers to this formula; instances created elsewhere must be deleted in the console "+
				"or with the API. The API said: %s", id, err))
		return
	}
	resp.Diagnostics.AddError("Error Deleting Cloud Elements Formula", fmt.Sprintf("Could not delete formula %d: %s", id, err))
}

// stillHasInstances reports whether a delete was refused because the
// formula has instances. The status is not documented (ENDPOINTS: "not
// documented"): a 409, or a refusal whose message speaks of instances.
func stillHasInstances(err error) bool {
	var apiErr *cloudelements.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	if apiErr.StatusCode == http.StatusConflict {
		return true
	}
	return apiErr.StatusCode == http.StatusBadRequest && strings.Contains(strings.ToLower(apiErr.Message), "instance")
}

// ImportState takes a formula id ("12345") or a resource identity.
func (r *formulaResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, ok := importTarget(ctx, req, func(raw string, diags *diag.Diagnostics) (formulaIdentity, bool) {
		_, ok := parseID(raw, "Formula", path.Root("id"), diags)
		return formulaIdentity{ID: types.StringValue(raw)}, ok
	}, func(i formulaIdentity) string { return i.ID.ValueString() }, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id.ID)...)
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
}
