// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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
	"github.com/cloudelements/terraform-provider-cloudelements/internal/suggest"
)

var (
	_ resource.Resource                = &commonResourceResource{}
	_ resource.ResourceWithConfigure   = &commonResourceResource{}
	_ resource.ResourceWithImportState = &commonResourceResource{}
	_ resource.ResourceWithModifyPlan  = &commonResourceResource{}
	_ resource.ResourceWithIdentity    = &commonResourceResource{}
)

// vdrNamePattern is what an object name or element key may look like: it
// is one segment of the API's paths.
var vdrNamePattern = regexp.MustCompile(`^[^/\s]+$`)

// fieldTypePattern is a common resource field type: the documented
// boolean, string, date and number (devportal:docs/guides/common-resources/mappingapi.md#L83),
// arrays as "array [string]" (devportal:_posts/2017-11-27-ReleaseNotes-2.141.md#L34),
// and the legacy "array[line_items]" of another object
// (devportal:docs/legacy/element-mapper/migrate-objects-and-transformations.md#L79).
var fieldTypePattern = regexp.MustCompile(`^(string|number|boolean|date|array \[(string|number|boolean|date)\]|array\[[A-Za-z_][A-Za-z0-9_]*\])$`)

// NewCommonResourceResource is the constructor for cloudelements_common_resource.
func NewCommonResourceResource() resource.Resource { return &commonResourceResource{} }

type commonResourceResource struct {
	data *providerData
}

type commonResourceModel struct {
	Name     types.String   `tfsdk:"name"`
	Fields   types.Map      `tfsdk:"fields"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// commonResourceIdentity is the resource identity: the object's name.
type commonResourceIdentity struct {
	Name types.String `tfsdk:"name"`
}

func (i commonResourceIdentity) complete() bool { return !i.Name.IsUnknown() && !i.Name.IsNull() }

func (r *commonResourceResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{
		"name": "The common resource's name.",
	})
}

func (r *commonResourceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_common_resource"
}

func vdrNameValidators(what string) []validator.String {
	return []validator.String{stringvalidator.RegexMatches(vdrNamePattern, "must be a non-empty "+what+" without slashes or white space")}
}

func (r *commonResourceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A common resource (virtual data resource, VDR) of the organization: an object defined once, with " +
			"its fields and their types, which `cloudelements_transformation` maps to each element's own object. Managed with " +
			"`/organizations/objects/{objectName}/definitions`.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "The object's name, such as `myContact`. Changing it replaces the common resource.",
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          vdrNameValidators("name"),
			},
			"fields": schema.MapAttribute{
				MarkdownDescription: "The fields: path (dots for nested objects, such as `address.city`) to type. A type is " +
					"`string`, `number`, `boolean`, `date`, or an array such as `array [string]` (with a space; also " +
					"`array[<object>]`, the legacy form naming another common resource, which must exist or be planned first: " +
					"write it `\"array[${cloudelements_common_resource.<label>.name}]\"`). `array[string]` without the space names " +
					"an object called `string`, and is refused.",
				ElementType: types.StringType,
				Required:    true,
				Validators: []validator.Map{
					mapvalidator.SizeAtLeast(1),
					mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1)),
					mapvalidator.ValueStringsAre(fieldTypeValidator{}),
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, resourceTimeouts),
		},
	}
}

// ModifyPlan records the planned fields for the plan checks of the
// transformations planned after it (planned_sets.go), and checks that each
// legacy array type names a common resource (checkObjectTypes).
func (r *commonResourceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data == nil {
		return
	}
	var name types.String
	var fields types.Map
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("name"), &name)...)
		r.data.planned.forget(name.ValueString())
		return
	}
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("name"), &name)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("fields"), &fields)...)
	switch {
	case resp.Diagnostics.HasError() || name.IsUnknown():
	case fields.IsUnknown() || fields.IsNull():
		r.data.planned.set(name.ValueString(), nil) // planned, its fields known at apply
	default:
		r.data.planned.set(name.ValueString(), knownStrings(fields))
		var prior types.Map
		if !req.State.Raw.IsNull() {
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("fields"), &prior)...)
		}
		if !prior.Equal(fields) { // a request carries them: check once
			var t timeouts.Value
			resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("timeouts"), &t)...)
			r.checkObjectTypes(ctx, name.ValueString(), fields, t, &resp.Diagnostics)
		}
	}
}

// checkObjectTypes checks the legacy array types ("array[line_items]"):
// the object each names should be a common resource planned in this run
// (before this one: refer to it in the type) or held by the API; a warning
// names the field when it is neither.
func (r *commonResourceResource) checkObjectTypes(ctx context.Context, name string, fields types.Map, t timeouts.Value, diags *diag.Diagnostics) {
	ctx, cancel, ok := withTimeout(ctx, t.Read, diags)
	if !ok {
		return
	}
	defer cancel()
	typeOf := knownStrings(fields)
	for _, p := range slices.Sorted(maps.Keys(typeOf)) {
		obj, ok := objectOfType(typeOf[p])
		if !ok || obj == name {
			continue
		}
		if _, planned := r.data.planned.get(obj); planned {
			continue
		}
		_, err := r.data.client.GetObjectDefinition(ctx, obj)
		switch {
		case errors.Is(err, cloudelements.ErrNotFound):
			// A warning: the vendor's own documented list shows such a
			// type (devportal:docs/legacy/element-mapper/migrate-objects-and-transformations.md#L25,
			// MyOrder's "array[line_items]" with no line_items), and an
			// object planned later in this run cannot be seen yet.
			diags.AddAttributeWarning(path.Root("fields").AtMapKey(p), "Unknown Common Resource in Field Type",
				fmt.Sprintf("fields[%q] is %q, an array of common resource %q, but there is no common resource %q, and none is "+
					"planned before this one. Write \"array [string]\" (number, boolean, date) for an array of values, or create "+
					"the common resource first, referring to it: \"array[${cloudelements_common_resource.<label>.name}]\".",
					p, typeOf[p], obj, obj))
		case err != nil:
			diags.AddAttributeWarning(path.Root("fields").AtMapKey(p), "Could Not Check a Field Type",
				fmt.Sprintf("Reading common resource %q, which fields[%q] names, failed: %s.", obj, p, err))
		}
	}
}

// primitiveTypes are the documented field types
// (devportal:docs/guides/common-resources/mappingapi.md#L83).
var primitiveTypes = []string{"string", "number", "boolean", "date"}

// objectOfType returns the object a legacy array type names
// ("array[line_items]" -> line_items).
func objectOfType(t string) (string, bool) {
	inner, ok := strings.CutPrefix(t, "array[")
	if !ok || !strings.HasSuffix(inner, "]") || !fieldTypePattern.MatchString(t) {
		return "", false
	}
	return strings.TrimSuffix(inner, "]"), true
}

// fieldTypeValidator accepts the field types fieldTypePattern describes,
// except "array[string]" and the like: an array of values is written with
// a space ("array [string]"); without it, the API reads the name of an
// object. The error names the field and what was likely meant.
type fieldTypeValidator struct{}

func (fieldTypeValidator) Description(context.Context) string {
	return `must be string, number, boolean, date, an array such as "array [string]", or "array[<common resource>]"`
}

func (v fieldTypeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v fieldTypeValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	got := req.ConfigValue.ValueString()
	if obj, ok := objectOfType(got); ok && slices.Contains(primitiveTypes, strings.ToLower(obj)) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Common Resource Field Type",
			fmt.Sprintf("%s is %q, which names an object called %q. An array of values is written with a space: %q.",
				req.Path, got, obj, "array ["+strings.ToLower(obj)+"]"))
		return
	}
	if fieldTypePattern.MatchString(got) {
		return
	}
	candidates := append(slices.Clone(primitiveTypes), "array [string]", "array [number]", "array [boolean]", "array [date]")
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Common Resource Field Type",
		fmt.Sprintf("%s is %q: a type %s.%s", req.Path, got, v.Description(ctx), suggest.DidYouMean(got, candidates)))
}

func (r *commonResourceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// definitionFields turns the planned fields into the API's list, sorted by
// path so requests are stable.
func definitionFields(ctx context.Context, m types.Map) ([]cloudelements.ObjectField, diag.Diagnostics) {
	var fields map[string]string
	diags := m.ElementsAs(ctx, &fields, false)
	out := make([]cloudelements.ObjectField, 0, len(fields))
	for p, t := range fields {
		out = append(out, cloudelements.ObjectField{Path: p, Type: t})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, diags
}

// fieldTypes is the organization-level path -> type map of a definition.
func fieldTypes(def *cloudelements.ObjectDefinition) map[string]string {
	out := map[string]string{}
	for _, f := range def.OrganizationFields() {
		out[f.Path] = f.Type
	}
	return out
}

func (m *commonResourceModel) refresh(ctx context.Context, def *cloudelements.ObjectDefinition) diag.Diagnostics {
	fields, diags := types.MapValueFrom(ctx, types.StringType, fieldTypes(def))
	m.Fields = fields
	return diags
}

func (r *commonResourceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan commonResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.save(ctx, &plan, nil, resp.Identity, &resp.State, &resp.Diagnostics)
}

// save writes the planned definition, with POST on create (prior is nil)
// and PUT on update, and stores the API's answer.
func (r *commonResourceResource) save(ctx context.Context, plan, prior *commonResourceModel, id *tfsdk.ResourceIdentity, st *tfsdk.State, diags *diag.Diagnostics) {
	timeout, action, summary := plan.Timeouts.Create, "create", "Error Creating Cloud Elements Common Resource"
	if prior != nil {
		timeout, action, summary = plan.Timeouts.Update, "update", "Error Updating Cloud Elements Common Resource"
	}
	ctx, cancel, ok := withTimeout(ctx, timeout, diags)
	if !ok {
		return
	}
	defer cancel()
	fields, d := definitionFields(ctx, plan.Fields)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	name := plan.Name.ValueString()
	body := cloudelements.ObjectDefinition{Fields: fields}
	var def *cloudelements.ObjectDefinition
	var err error
	if prior == nil {
		def, err = r.data.client.CreateObjectDefinition(ctx, name, body)
		if errors.Is(err, cloudelements.ErrOutcomeUnknown) {
			def, err = r.lostCreate(name).adopt(ctx, err, diags)
		}
	} else {
		def, err = r.data.client.ReplaceObjectDefinition(ctx, name, body)
	}
	if err != nil {
		detail := fmt.Sprintf("Could not %s common resource %q: %s", action, name, err)
		if isStatus(err, http.StatusConflict) {
			detail += fmt.Sprintf(". A common resource with this name already exists: import it (terraform import <address> %s) or choose another name.", name)
		}
		diags.AddError(summary, detail)
		return
	}
	tflog.Trace(ctx, "saved Cloud Elements common resource", map[string]any{"name": name, "action": action})
	diags.Append(plan.refresh(ctx, def)...)
	diags.Append(st.Set(ctx, plan)...)
	setIdentity(ctx, id, commonResourceIdentity{Name: plan.Name}, diags)
}

// lostCreate finds the common resource a create whose answer was lost may
// have made: the name is the object's key, so the definition under it.
func (r *commonResourceResource) lostCreate(name string) lostCreate[*cloudelements.ObjectDefinition] {
	return lostCreate[*cloudelements.ObjectDefinition]{
		kind: "Common Resource",
		one:  fmt.Sprintf("common resource %q", name),
		many: fmt.Sprintf("common resources %q", name),
		find: func(ctx context.Context) ([]*cloudelements.ObjectDefinition, error) {
			def, err := r.data.client.GetObjectDefinition(ctx, name)
			if errors.Is(err, cloudelements.ErrNotFound) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return []*cloudelements.ObjectDefinition{def}, nil
		},
		id:      func(*cloudelements.ObjectDefinition) string { return strconv.Quote(name) },
		created: func(*cloudelements.ObjectDefinition) string { return "" },
	}
}

func (r *commonResourceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state commonResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	setIdentity(ctx, resp.Identity, commonResourceIdentity{Name: state.Name}, &resp.Diagnostics)
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	name := state.Name.ValueString()
	def, err := r.data.client.GetObjectDefinition(ctx, name)
	if errors.Is(err, cloudelements.ErrNotFound) {
		tflog.Warn(ctx, "Cloud Elements common resource not found; removing it from state", map[string]any{"name": name})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Cloud Elements Common Resource",
			fmt.Sprintf("Could not read common resource %q: %s", name, err))
		return
	}
	resp.Diagnostics.Append(state.refresh(ctx, def)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *commonResourceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior commonResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.save(ctx, &plan, &prior, resp.Identity, &resp.State, &resp.Diagnostics)
}

func (r *commonResourceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state commonResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	name := state.Name.ValueString()
	err := r.data.client.DeleteObjectDefinition(ctx, name)
	if err == nil { // the client reads 404 as already gone
		return
	}
	detail := fmt.Sprintf("Could not delete common resource %q: %s", name, err)
	if isStatus(err, http.StatusConflict) {
		detail += ". " + mappedByDetail(ctx, r.data.client, name)
	}
	resp.Diagnostics.AddError("Error Deleting Cloud Elements Common Resource", detail)
}

// mappedByDetail explains a 409 on delete: the transformations that still
// map the object, and what to do.
func mappedByDetail(ctx context.Context, c *cloudelements.Client, name string) string {
	const advice = "Delete those transformations first: a cloudelements_transformation whose object_name refers to this " +
		"common resource (object_name = cloudelements_common_resource.<label>.name) is destroyed before it."
	list, err := c.ListObjectTransformations(ctx, name)
	if err != nil || len(list) == 0 {
		return "The API refuses to delete a common resource that a transformation still maps. " + advice
	}
	keys := make([]string, 0, len(list))
	for _, t := range list {
		keys = append(keys, fmt.Sprintf("%s (%s level)", t.Key(), t.Level))
	}
	sort.Strings(keys)
	return fmt.Sprintf("It is still mapped by the transformations of %s. %s", strings.Join(keys, ", "), advice)
}

// ImportState takes the common resource's name or a resource identity.
func (r *commonResourceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, ok := importTarget(ctx, req, func(raw string, diags *diag.Diagnostics) (commonResourceIdentity, bool) {
		if !vdrNamePattern.MatchString(raw) {
			diags.AddError("Invalid Cloud Elements Common Resource Import ID",
				fmt.Sprintf("Import a common resource by its name, such as myContact; got %q.", raw))
			return commonResourceIdentity{}, false
		}
		return commonResourceIdentity{Name: types.StringValue(raw)}, true
	}, func(i commonResourceIdentity) string { return i.Name.ValueString() }, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), id.Name)...)
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
}
