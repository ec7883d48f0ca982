// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ resource.Resource                = &transformationResource{}
	_ resource.ResourceWithConfigure   = &transformationResource{}
	_ resource.ResourceWithImportState = &transformationResource{}
	_ resource.ResourceWithModifyPlan  = &transformationResource{}
	_ resource.ResourceWithIdentity    = &transformationResource{}
)

// privateIsLegacy keeps the script engine the API reported, so an update
// never moves a v1 (legacy) script to v2 by leaving isLegacy out.
const privateIsLegacy = "is_legacy"

// NewTransformationResource is the constructor for cloudelements_transformation.
func NewTransformationResource() resource.Resource { return &transformationResource{} }

type transformationResource struct {
	data *providerData
}

type transformationModel struct {
	ElementKey    types.String         `tfsdk:"element_key"`
	ObjectName    types.String         `tfsdk:"object_name"`
	VendorName    types.String         `tfsdk:"vendor_name"`
	Fields        types.Map            `tfsdk:"fields"`
	Configuration jsontypes.Normalized `tfsdk:"configuration"`
	Script        types.String         `tfsdk:"script"`
	FieldTypes    types.Map            `tfsdk:"field_types"`
	Timeouts      timeouts.Value       `tfsdk:"timeouts"`
}

// transformationIdentity is the resource identity: the element's key and
// the common resource's name.
type transformationIdentity struct {
	ElementKey types.String `tfsdk:"element_key"`
	ObjectName types.String `tfsdk:"object_name"`
}

func (i transformationIdentity) complete() bool {
	return !i.ElementKey.IsUnknown() && !i.ElementKey.IsNull() && !i.ObjectName.IsUnknown() && !i.ObjectName.IsNull()
}

func (m *transformationModel) identity() transformationIdentity {
	return transformationIdentity{ElementKey: m.ElementKey, ObjectName: m.ObjectName}
}

func (r *transformationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{
		"element_key": "The element's key.",
		"object_name": "The common resource's name.",
	})
}

func (r *transformationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_transformation"
}

func (r *transformationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An element's organization-level transformation of a common resource: which vendor object it " +
			"reads and writes, and which vendor path each of the common resource's fields maps to. Managed with " +
			"`/organizations/elements/{keyOrId}/transformations/{objectName}`. The common resource must define every " +
			"mapped path: the plan checks this against the fields the common resource is planned to have, or that the API " +
			"holds; the create and update check again before any request.",
		Attributes: map[string]schema.Attribute{
			"element_key": schema.StringAttribute{
				MarkdownDescription: "The element's key, such as `sfdc`. Changing it replaces the transformation.",
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          vdrNameValidators("element key"),
			},
			"object_name": schema.StringAttribute{
				MarkdownDescription: "The common resource's name; refer to it (`cloudelements_common_resource.<label>.name`) so the " +
					"transformation is created after and destroyed before it. Changing it replaces the transformation.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    vdrNameValidators("object name"),
			},
			"vendor_name": schema.StringAttribute{
				MarkdownDescription: "The element's own object, such as `Contact`. The vendor's tests also map with an empty name.",
				Required:            true,
			},
			"fields": schema.MapAttribute{
				MarkdownDescription: "The mapping: a path of the common resource to the vendor's path, such as `{ email = \"Email\" }`. " +
					"Vendor paths may use the API's forms such as `Products[0].id`. Each field's type comes from the common resource.",
				ElementType: types.StringType,
				Required:    true,
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1)),
				},
			},
			"configuration": schema.StringAttribute{
				MarkdownDescription: "The transformation's configuration, a JSON list (use `jsonencode`) of entries such as " +
					"`{ type = \"passThrough\", properties = { fromVendor = false, toVendor = false } }`, `{ type = \"inherit\" }` or " +
					"`{ type = \"addToDocumentation\" }`. The `level` the API adds to each entry is not a change.",
				CustomType: jsontypes.NormalizedType{},
				Optional:   true,
				Validators: []validator.String{configurationListValidator{}},
			},
			"script": schema.StringAttribute{
				MarkdownDescription: "The transformation's JavaScript, such as `file(\"${path.module}/contact.js\")`.",
				Optional:            true,
			},
			"field_types": schema.MapAttribute{
				MarkdownDescription: "The type the API holds for each mapped path (`fields[].type`). The API copies it from the " +
					"common resource when the transformation is written, and keeps it when the common resource's type changes " +
					"later; so a type changed on the common resource is planned here as a change, and the apply sends the " +
					"transformation again with the new type.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, resourceTimeouts),
		},
	}
}

func (r *transformationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan checks, before anything is written:
//   - the element key, against the element catalog (GET /elements/{key},
//     once per element per process; custom elements planned in the same run
//     are in it), when the transformation is created or moved to another
//     element;
//   - that the common resource exists and defines every mapped path: against
//     the fields it is planned to have when it was planned before (the
//     transformation refers to its name, or depends on it), else against
//     what the API holds. A common resource that is neither planned nor in
//     the API fails the plan. Without a planned common resource, only a new
//     transformation or a change of its fields or object is checked: that
//     is when a request would carry them.
//
// It plans field_types, the types the mapped paths will have: those of the
// planned or read common resource, so a type changed there plans this
// transformation as a change; unknown when they are not known.
func (r *transformationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil || r.data.client == nil {
		return
	}
	var plan transformationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var prior *transformationModel
	if !req.State.Raw.IsNull() {
		prior = &transformationModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	if key := plan.ElementKey; !key.IsUnknown() && (prior == nil || !prior.ElementKey.Equal(key)) {
		lookupElement(ctx, r.data, key.ValueString(), "its element key is", &resp.Diagnostics)
	}
	planned := types.MapUnknown(types.StringType)
	if prior != nil && prior.Fields.Equal(plan.Fields) && prior.ObjectName.Equal(plan.ObjectName) {
		planned = prior.FieldTypes // nothing this plan learns changes them
	}
	if !plan.ObjectName.IsUnknown() && !plan.Fields.IsUnknown() {
		if defined, known := r.plannedDefinition(ctx, &plan, prior, &resp.Diagnostics); known {
			checkMappedPaths(plan.Fields, plan.ObjectName.ValueString(), defined, &resp.Diagnostics)
			planned = mappedTypes(plan.Fields, defined)
		}
	}
	if !planned.Equal(plan.FieldTypes) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("field_types"), planned)...)
	}
}

// plannedDefinition returns the fields (path -> type, "" while unknown) the
// transformation's common resource is planned to have, or those the API
// holds when a request would carry the mapping (a create, or a change of the
// fields or the object); known is false when neither is known. A common
// resource neither planned in this run nor in the API is an error on
// object_name.
func (r *transformationResource) plannedDefinition(ctx context.Context, plan, prior *transformationModel, diags *diag.Diagnostics) (map[string]string, bool) {
	name := plan.ObjectName.ValueString()
	if planned, ok := r.data.planned.get(name); ok {
		return planned, planned != nil // nil: planned, its fields known at apply (the create checks them)
	}
	if prior != nil && prior.Fields.Equal(plan.Fields) && prior.ObjectName.Equal(plan.ObjectName) {
		return nil, false // no request when nothing is sent
	}
	def, err := r.data.client.GetObjectDefinition(ctx, name)
	switch {
	case errors.Is(err, cloudelements.ErrNotFound):
		diags.AddAttributeError(path.Root("object_name"), "Common Resource Not Found",
			fmt.Sprintf("There is no common resource %q, and none is planned before this transformation. Create it first: "+
				"refer to it (object_name = cloudelements_common_resource.<label>.name), so Terraform plans and creates it "+
				"before the transformation, or add it with depends_on.", name))
		return nil, false
	case err != nil:
		diags.AddWarning("Could Not Check the Transformation's Fields",
			fmt.Sprintf("Reading common resource %q failed: %s. Its fields are checked again when the transformation is written.", name, err))
		return nil, false
	}
	return fieldTypes(def), true
}

// mappedTypes is the planned field_types: each mapped path's type in
// defined, unknown when one is not known yet.
func mappedTypes(fields types.Map, defined map[string]string) types.Map {
	out := map[string]attr.Value{}
	for p := range fields.Elements() {
		t, ok := defined[p]
		switch {
		case !ok:
			continue // not defined: an error already
		case t == "":
			return types.MapUnknown(types.StringType)
		}
		out[p] = types.StringValue(t)
	}
	return types.MapValueMust(types.StringType, out)
}

// checkMappedPaths adds an error on fields["<path>"] for each mapped path
// the common resource does not define (defined: its paths, to their types).
func checkMappedPaths(fields types.Map, name string, defined map[string]string, diags *diag.Diagnostics) {
	known := slices.Sorted(maps.Keys(defined))
	for _, p := range sortedKeys(fields) {
		if _, ok := defined[p]; ok {
			continue
		}
		diags.AddAttributeError(path.Root("fields").AtMapKey(p), "Path Not Defined by the Common Resource",
			fmt.Sprintf("The transformation maps %q, but common resource %q does not define it (its fields: %s). "+
				"Add %q to the common resource's fields, or remove it here.", p, name, strings.Join(known, ", "), p))
	}
}

// request builds the API body; each field's type comes from the definition.
func (m *transformationModel) request(ctx context.Context, def *cloudelements.ObjectDefinition, isLegacy *bool) (cloudelements.Transformation, diag.Diagnostics) {
	var mapping map[string]string
	diags := m.Fields.ElementsAs(ctx, &mapping, false)
	typeOf := fieldTypes(def)
	t := cloudelements.Transformation{VendorName: m.VendorName.ValueString(), Fields: []cloudelements.TransformationField{}, IsLegacy: isLegacy}
	for p, vp := range mapping {
		t.Fields = append(t.Fields, cloudelements.TransformationField{Path: p, Type: typeOf[p], VendorPath: vp})
	}
	sort.Slice(t.Fields, func(i, j int) bool { return t.Fields[i].Path < t.Fields[j].Path })
	if !m.Configuration.IsNull() && !m.Configuration.IsUnknown() {
		t.Configuration = json.RawMessage(m.Configuration.ValueString())
	}
	if !m.Script.IsNull() && !m.Script.IsUnknown() {
		t.Script = &cloudelements.TransformationScript{Body: m.Script.ValueString()}
	}
	return t, diags
}

// refresh sets the model from the API's transformation. What the API adds
// (levels, startDate, isLegacy, field types, script metadata) is not kept;
// a configuration equal to the prior one but for the added levels keeps the
// prior text.
func (m *transformationModel) refresh(ctx context.Context, t *cloudelements.Transformation) diag.Diagnostics {
	m.VendorName = types.StringValue(t.VendorName)
	mapping := map[string]string{}
	for _, f := range t.OrganizationFields() {
		mapping[f.Path] = f.VendorPath
	}
	fields, diags := types.MapValueFrom(ctx, types.StringType, mapping)
	m.Fields = fields
	held := map[string]attr.Value{}
	for _, f := range t.OrganizationFields() {
		if f.Type != "" {
			held[f.Path] = types.StringValue(f.Type)
		}
	}
	m.FieldTypes = types.MapValueMust(types.StringType, held)
	if t.Script != nil && t.Script.Body != "" {
		m.Script = types.StringValue(t.Script.Body)
	} else {
		m.Script = types.StringNull()
	}
	cfg, err := canonicalConfiguration(t.Configuration)
	if err != nil {
		diags.AddError("Unexpected Transformation Configuration",
			fmt.Sprintf("The API answered a configuration that is not a JSON list: %s", err))
		return diags
	}
	if !m.Configuration.IsNull() && !m.Configuration.IsUnknown() {
		if prior, err := canonicalConfiguration(json.RawMessage(m.Configuration.ValueString())); err == nil && prior == cfg {
			return diags
		}
	}
	if cfg == "" {
		m.Configuration = jsontypes.NewNormalizedNull()
	} else {
		m.Configuration = jsontypes.NewNormalizedValue(cfg)
	}
	return diags
}

// canonicalConfiguration is a configuration list as compact JSON with
// sorted keys (what jsonencode writes), without the organization level the
// API adds to entries; "" for none (absent, null or an empty list).
func canonicalConfiguration(raw json.RawMessage) (string, error) {
	if len(strings.TrimSpace(string(raw))) == 0 {
		return "", nil
	}
	var entries []any
	if err := json.Unmarshal(raw, &entries); err != nil {
		return "", err
	}
	if len(entries) == 0 {
		return "", nil
	}
	for _, e := range entries {
		if obj, ok := e.(map[string]any); ok && obj["level"] == cloudelements.LevelOrganization {
			delete(obj, "level")
		}
	}
	// json.Marshal escapes <, > and & as jsonencode does.
	out, err := json.Marshal(entries)
	return string(out), err
}

// definitionFor reads the common resource and checks the mapped paths
// before any transformation request; ok is false when diags explain why not.
func (r *transformationResource) definitionFor(ctx context.Context, m *transformationModel, action string, diags *diag.Diagnostics) (*cloudelements.ObjectDefinition, bool) {
	name := m.ObjectName.ValueString()
	def, err := r.data.client.GetObjectDefinition(ctx, name)
	switch {
	case errors.Is(err, cloudelements.ErrNotFound):
		diags.AddAttributeError(path.Root("object_name"), "Common Resource Not Found",
			fmt.Sprintf("Cannot %s the %q transformation: common resource %q does not exist. Create it first "+
				"(refer to cloudelements_common_resource.<label>.name in object_name).", action, m.ElementKey.ValueString(), name))
		return nil, false
	case err != nil:
		diags.AddError("Error Reading Cloud Elements Common Resource",
			fmt.Sprintf("Could not read common resource %q to check the transformation's fields: %s", name, err))
		return nil, false
	}
	checkMappedPaths(m.Fields, name, fieldTypes(def), diags)
	return def, !diags.HasError()
}

func (r *transformationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan transformationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.save(ctx, &plan, nil, nil, resp.Private, resp.Identity, &resp.State, &resp.Diagnostics)
}

// save checks the definition, then writes the planned transformation with
// POST on create (prior is nil) and PUT on update, and stores the answer.
// legacy is the script engine the prior state recorded (loadIsLegacy).
func (r *transformationResource) save(ctx context.Context, plan, prior *transformationModel, legacy *bool, private privateState,
	id *tfsdk.ResourceIdentity, st *tfsdk.State, diags *diag.Diagnostics,
) {
	timeout, action, summary := plan.Timeouts.Create, "create", "Error Creating Cloud Elements Transformation"
	if prior != nil {
		timeout, action, summary = plan.Timeouts.Update, "update", "Error Updating Cloud Elements Transformation"
	}
	ctx, cancel, ok := withTimeout(ctx, timeout, diags)
	if !ok {
		return
	}
	defer cancel()
	def, ok := r.definitionFor(ctx, plan, action, diags)
	if !ok {
		return
	}
	body, d := plan.request(ctx, def, legacy)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	key, name := plan.ElementKey.ValueString(), plan.ObjectName.ValueString()
	var t *cloudelements.Transformation
	var err error
	if prior == nil {
		t, err = r.data.client.CreateTransformation(ctx, key, name, body)
		if errors.Is(err, cloudelements.ErrOutcomeUnknown) {
			t, err = r.lostCreate(key, name).adopt(ctx, err, diags)
		}
	} else {
		t, err = r.data.client.ReplaceTransformation(ctx, key, name, body)
	}
	if err != nil {
		diags.AddError(summary, fmt.Sprintf("Could not %s the %q transformation of common resource %q: %s", action, key, name, err))
		return
	}
	tflog.Trace(ctx, "saved Cloud Elements transformation", map[string]any{"element_key": key, "object_name": name, "action": action})
	planned := plan.FieldTypes
	diags.Append(plan.refresh(ctx, t)...)
	if !planned.IsUnknown() && !planned.IsNull() && !planned.Equal(plan.FieldTypes) {
		// Terraform wants what was planned; the next plan shows the
		// difference if it persists.
		diags.AddWarning("Cloud Elements Kept Other Field Types",
			fmt.Sprintf("After writing the %q transformation of %q, the API holds the field types %s, not %s as planned.",
				key, name, plan.FieldTypes, planned))
		plan.FieldTypes = planned
	}
	diags.Append(saveIsLegacy(ctx, private, t)...)
	diags.Append(st.Set(ctx, plan)...)
	setIdentity(ctx, id, plan.identity(), diags)
}

// lostCreate finds the transformation a create whose answer was lost may
// have made: the element and the object name are its key.
func (r *transformationResource) lostCreate(key, name string) lostCreate[*cloudelements.Transformation] {
	what := fmt.Sprintf("%q transformation of %q", key, name)
	return lostCreate[*cloudelements.Transformation]{
		kind: "Transformation",
		one:  what,
		many: what + "s",
		find: func(ctx context.Context) ([]*cloudelements.Transformation, error) {
			t, err := r.data.client.GetTransformation(ctx, key, name)
			if errors.Is(err, cloudelements.ErrNotFound) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return []*cloudelements.Transformation{t}, nil
		},
		id:      func(*cloudelements.Transformation) string { return key + "/" + name },
		created: func(*cloudelements.Transformation) string { return "" },
	}
}

func (r *transformationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state transformationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	setIdentity(ctx, resp.Identity, state.identity(), &resp.Diagnostics)
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	key, name := state.ElementKey.ValueString(), state.ObjectName.ValueString()
	t, err := r.data.client.GetTransformation(ctx, key, name)
	if errors.Is(err, cloudelements.ErrNotFound) {
		tflog.Warn(ctx, "Cloud Elements transformation not found; removing it from state", map[string]any{"element_key": key, "object_name": name})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Cloud Elements Transformation",
			fmt.Sprintf("Could not read the %q transformation of common resource %q: %s", key, name, err))
		return
	}
	resp.Diagnostics.Append(state.refresh(ctx, t)...)
	resp.Diagnostics.Append(saveIsLegacy(ctx, resp.Private, t)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *transformationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior transformationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	legacy, diags := loadIsLegacy(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.save(ctx, &plan, &prior, legacy, resp.Private, resp.Identity, &resp.State, &resp.Diagnostics)
}

func (r *transformationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state transformationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	key, name := state.ElementKey.ValueString(), state.ObjectName.ValueString()
	if err := r.data.client.DeleteTransformation(ctx, key, name); err != nil { // 404, already gone, is success
		resp.Diagnostics.AddError("Error Deleting Cloud Elements Transformation",
			fmt.Sprintf("Could not delete the %q transformation of common resource %q: %s", key, name, err))
	}
}

// ImportState takes "<element_key>/<object_name>" or a resource identity.
func (r *transformationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, ok := importTarget(ctx, req, func(raw string, diags *diag.Diagnostics) (transformationIdentity, bool) {
		key, name, found := strings.Cut(raw, "/")
		if !found || !vdrNamePattern.MatchString(key) || !vdrNamePattern.MatchString(name) {
			diags.AddError("Invalid Cloud Elements Transformation Import ID",
				fmt.Sprintf("Import a transformation as <element_key>/<object_name>, such as sfdc/myContact; got %q.", raw))
			return transformationIdentity{}, false
		}
		return transformationIdentity{ElementKey: types.StringValue(key), ObjectName: types.StringValue(name)}, true
	}, func(i transformationIdentity) string {
		return i.ElementKey.ValueString() + "/" + i.ObjectName.ValueString()
	}, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("element_key"), id.ElementKey)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("object_name"), id.ObjectName)...)
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
}

func saveIsLegacy(ctx context.Context, p privateState, t *cloudelements.Transformation) diag.Diagnostics {
	v := []byte("false")
	if t.IsLegacy != nil && *t.IsLegacy {
		v = []byte("true")
	}
	return p.SetKey(ctx, privateIsLegacy, v)
}

// loadIsLegacy returns the engine last read: true keeps a legacy script
// legacy; nil (never read, or v2) leaves isLegacy out, the API's v2 default.
func loadIsLegacy(ctx context.Context, p privateState) (*bool, diag.Diagnostics) {
	v, diags := p.GetKey(ctx, privateIsLegacy)
	if string(v) == "true" {
		legacy := true
		return &legacy, diags
	}
	return nil, diags
}

// configurationListValidator accepts a JSON list of objects, each with a
// string "type".
type configurationListValidator struct{}

func (configurationListValidator) Description(context.Context) string {
	return `must be a JSON list of objects, each with a "type", such as [{"type":"inherit"}]`
}

func (v configurationListValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v configurationListValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var entries []map[string]any
	if err := json.Unmarshal([]byte(req.ConfigValue.ValueString()), &entries); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Transformation Configuration", v.Description(ctx)+": "+err.Error())
		return
	}
	for i, e := range entries {
		if t, ok := e["type"].(string); !ok || t == "" {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid Transformation Configuration",
				fmt.Sprintf("Entry %d has no \"type\": %s.", i, v.Description(ctx)))
		}
	}
}
