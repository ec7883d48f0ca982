// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
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
	"github.com/cloudelements/terraform-provider-cloudelements/internal/elementcatalog"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/elementdef"
)

var (
	_ resource.Resource                   = &elementResource{}
	_ resource.ResourceWithConfigure      = &elementResource{}
	_ resource.ResourceWithImportState    = &elementResource{}
	_ resource.ResourceWithValidateConfig = &elementResource{}
	_ resource.ResourceWithModifyPlan     = &elementResource{}
	_ resource.ResourceWithIdentity       = &elementResource{}
)

// elementKeyPattern is what an element key may look like: one segment of
// the API's paths. The documented rule "alphanumeric and lower case"
// (devportal:docs/guides/elements/define-info.md#L69) is broken by real keys
// (adpwfnSDF, bigcommerce-clone), so only what a URL segment needs is checked.
var elementKeyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// NewElementResource is the constructor for cloudelements_element.
func NewElementResource() resource.Resource { return &elementResource{} }

type elementResource struct {
	data *providerData
}

type elementResourceModel struct {
	ID                types.String      `tfsdk:"id"`
	Key               types.String      `tfsdk:"key"`
	Name              types.String      `tfsdk:"name"`
	Definition        elementDefinition `tfsdk:"definition"`
	SensitiveDefaults types.Map         `tfsdk:"sensitive_defaults"`
	Timeouts          timeouts.Value    `tfsdk:"timeouts"`
}

// elementIdentity is the resource identity: the custom element's key, its
// natural key in every account (ids differ between accounts).
type elementIdentity struct {
	Key types.String `tfsdk:"key"`
}

func (i elementIdentity) complete() bool { return !i.Key.IsUnknown() && !i.Key.IsNull() }

func (r *elementResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_element"
}

func (r *elementResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{
		"key": "The custom element's key.",
	})
}

func (r *elementResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A custom (private) element: a connector the account builds in the Element Builder, with its " +
			"resources, configuration, parameters, hooks, objects and authentication. Instances, formulas and " +
			"transformations use it by `key`.\n\n" +
			"`definition` is the element's JSON as the Element Builder or the vendor's doctor tool exports it. It is " +
			"compared as an element, not as text: the ids and dates the server assigns, the fields it adds or expands " +
			"(configuration defaults, `type: \"api\"`, `source`, the `/hubs/{hub}` prefix of resource paths, `hub` in " +
			"lower case) and the order of resources (identified by method and path), configuration entries (by key) " +
			"and parameters (by name and type) are no change. The element is written whole (`PUT /elements/{id}`); " +
			"resources and configuration entries the definition no longer lists are removed. Default values of secret " +
			"configuration entries belong in `sensitive_defaults`. A create is never retried once the API may have " +
			"acted on it: if its answer is lost, the custom element with the same key is adopted, with a warning. A " +
			"custom element that still has instances cannot be deleted: delete its instances first (Terraform does, " +
			"when they refer to it through `element_key = cloudelements_element.<name>.key`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The element's numeric id (`id`), as a string: the provider addresses the element by it, " +
					"so a custom element that reuses a catalog key is never mistaken for the catalog element.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"key": schema.StringAttribute{
				MarkdownDescription: "The element's key (`key`), how instances (`element_key`), formulas and transformations " +
					"name it. Changing it replaces the element. A custom element may reuse a catalog element's key; the API " +
					"then answers the custom one on key URLs. A `key` inside `definition` is overridden, with a warning.",
				Required:      true,
				Validators:    []validator.String{stringvalidator.RegexMatches(elementKeyPattern, "must be letters, digits, '.', '_' or '-'")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The element's name (`name`), shown in the console. A `name` inside `definition` is " +
					"overridden, with a warning.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"definition": schema.StringAttribute{
				MarkdownDescription: "The element as JSON, usually `file(\"${path.module}/<key>.json\")`: `description`, " +
					"`authentication` (`type`), `hub`, `configuration`, `parameters`, `hooks`, `objects`, `resources` and the " +
					"other documented fields. An export pasted unchanged works: server-assigned fields are accepted and ignored. " +
					"A secret configuration entry (type `PASSWORD`, or a key such as `oauth.api.secret`) with a `defaultValue` " +
					"fails the plan: put the value in `sensitive_defaults`.",
				Required:      true,
				CustomType:    elementDefinitionType{},
				PlanModifiers: []planmodifier.String{keepEquivalentElement{}},
			},
			"sensitive_defaults": schema.MapAttribute{
				MarkdownDescription: "Default values of secret configuration entries (`configuration[].defaultValue`), by key, " +
					"for example the OAuth client secret the Element Builder tutorial bakes into the element. Merged into the " +
					"definition on every write (an entry the definition does not list is added as a `PASSWORD` entry), never " +
					"shown in plans or logs. The API may mask or omit them in its answers: the configured values are kept; a " +
					"value the API shows in clear and that differs plans as a change.",
				Optional:    true,
				Sensitive:   true,
				ElementType: types.StringType,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, resourceTimeouts),
		},
	}
}

func (r *elementResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig refuses secret default values inline, and warns when the
// key or name inside the definition differ from the arguments.
func (r *elementResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m elementResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Definition.IsNull() || m.Definition.IsUnknown() {
		return
	}
	def, err := elementdef.Parse(m.Definition.ValueString())
	if err != nil {
		return // the type's validation reports it
	}
	if secrets := elementdef.InlineSecrets(def); len(secrets) > 0 {
		resp.Diagnostics.AddAttributeError(path.Root("definition"), "Secret in Element Definition",
			fmt.Sprintf("The definition carries a default value for the secret configuration %s %s. Values in definition are "+
				"shown in plan output and kept in files: remove each defaultValue and set it in sensitive_defaults instead, "+
				"e.g. sensitive_defaults = { %q = var.%s }.", plural(len(secrets), "entry", "entries"), quoteAll(secrets),
				secrets[0], strings.NewReplacer(".", "_", "-", "_").Replace(secrets[0])))
	}
	if m.Key.IsUnknown() || m.Name.IsUnknown() {
		return
	}
	if o := elementdef.Overrides(def, m.Key.ValueString(), m.Name.ValueString()); len(o) > 0 {
		resp.Diagnostics.AddAttributeWarning(path.Root("definition"), "Element Argument Overrides the Definition",
			fmt.Sprintf("The definition says %s: the arguments win.", strings.Join(o, "; and ")))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func quoteAll(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = strconv.Quote(k)
	}
	return strings.Join(q, ", ")
}

// ModifyPlan records the custom element as planned in the element catalog
// (elementcatalog.SetPlanned), so the instances planned after it (they
// refer to its key) are checked against the configuration it will have,
// not the API's (which may not know it yet). A custom element being
// destroyed, or whose definition is unknown until apply, is forgotten. It
// sends no request.
func (r *elementResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data == nil {
		return
	}
	if req.Plan.Raw.IsNull() {
		var key types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("key"), &key)...)
		if !key.IsNull() && !key.IsUnknown() {
			r.data.catalog.ForgetPlanned(key.ValueString())
		}
		return
	}
	var m elementResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Key.IsUnknown() || m.Key.IsNull() {
		return
	}
	key := m.Key.ValueString()
	def, err := elementdef.Parse(m.Definition.ValueString())
	if m.Definition.IsUnknown() || m.Definition.IsNull() || err != nil || m.SensitiveDefaults.IsUnknown() {
		r.data.catalog.ForgetPlanned(key)
		return
	}
	el := &cloudelements.ElementDetails{Key: key, Name: m.Name.ValueString(), Hub: elementdef.Hub(def),
		Configuration: elementdef.Configuration(def)}
	if id, ok := parseInt(m.ID.ValueString()); ok {
		el.ID = cloudelements.FlexInt(id)
	}
	el.Authentication.Type = elementdef.AuthenticationType(def)
	// A key with a sensitive default has a default: instances need not set it.
	for _, k := range sortedKeys(m.SensitiveDefaults) {
		i := slices.IndexFunc(el.Configuration, func(d cloudelements.ConfigDefinition) bool { return d.Key == k })
		if i < 0 {
			el.Configuration = append(el.Configuration, cloudelements.ConfigDefinition{Key: k, Name: k, Type: "PASSWORD"})
			i = len(el.Configuration) - 1
		}
		none := ""
		el.Configuration[i].DefaultValue = &none
	}
	r.data.catalog.SetPlanned(key, elementcatalog.NewEntry(el))
}

// secrets returns the sensitive defaults of the model.
func (m *elementResourceModel) secrets(ctx context.Context, diags *diag.Diagnostics) map[string]string {
	out := map[string]string{}
	diags.Append(mergeStringMap(ctx, m.SensitiveDefaults, out)...)
	return out
}

// requestBody is the body of a create or an update: the whole element.
func (m *elementResourceModel) requestBody(ctx context.Context, diags *diag.Diagnostics) json.RawMessage {
	body, err := elementdef.RequestBody(m.Definition.ValueString(), m.Key.ValueString(), m.Name.ValueString(), m.secrets(ctx, diags))
	if err != nil {
		diags.AddAttributeError(path.Root("definition"), "Invalid Element Definition", err.Error())
	}
	return body
}

// refresh sets the model from the API's element. The definition keeps the
// model's text when it describes the same element; the sensitive defaults
// keep the model's values unless the API shows another one in clear.
func (m *elementResourceModel) refresh(ctx context.Context, e *cloudelements.CustomElement, diags *diag.Diagnostics) error {
	m.ID = types.StringValue(strconv.FormatInt(e.ID, 10))
	m.Key = types.StringValue(e.Key)
	m.Name = types.StringValue(e.Name)
	secrets := m.secrets(ctx, diags)
	keys := make([]string, 0, len(secrets))
	for k := range secrets {
		keys = append(keys, k)
	}
	stored, err := elementdef.StoredFor(e.Body, m.Definition.ValueString(), keys)
	if err != nil {
		return fmt.Errorf("the API's answer for element %d is not an element: %w", e.ID, err)
	}
	if m.Definition.IsNull() || m.Definition.IsUnknown() || !elementdef.Equivalent(m.Definition.ValueString(), stored) {
		m.Definition = newDefinition[elementKind](stored)
	}
	if len(secrets) > 0 {
		changed := false
		for k, v := range elementdef.ClearDefaults(e.Body, keys) {
			if secrets[k] != v {
				secrets[k], changed = v, true
			}
		}
		if changed {
			v, d := types.MapValueFrom(ctx, types.StringType, secrets)
			diags.Append(d...)
			m.SensitiveDefaults = v
		}
	}
	return nil
}

// applied keeps the plan in state after a create or update (Terraform wants
// what it planned), and warns when the API's answer says otherwise: the next
// plan then shows the difference.
func (m *elementResourceModel) applied(ctx context.Context, e *cloudelements.CustomElement, diags *diag.Diagnostics) {
	got := *m
	if err := got.refresh(ctx, e, diags); err != nil {
		diags.AddWarning("Unexpected Cloud Elements Element", err.Error())
		return
	}
	m.ID = got.ID
	var differs []string
	if got.Key != m.Key {
		differs = append(differs, fmt.Sprintf("key %s", got.Key))
	}
	if got.Name != m.Name {
		differs = append(differs, fmt.Sprintf("name %s", got.Name))
	}
	if !got.Definition.Equal(m.Definition) {
		differs = append(differs, "a different definition ("+strings.Join(elementdef.Differences(m.Definition.ValueString(), got.Definition.ValueString()), ", ")+")")
	}
	if len(differs) > 0 {
		diags.AddWarning("Cloud Elements Kept Other Values",
			fmt.Sprintf("After the change, the API's answer for element %s has %s. The next plan shows the difference if it persists.",
				m.ID.ValueString(), strings.Join(differs, ", ")))
	}
}

func (r *elementResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan elementResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	r.save(ctx, &plan, nil, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *elementResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state elementResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	r.save(ctx, &plan, &state, &resp.State, resp.Identity, &resp.Diagnostics)
}

// save creates (prior nil) or replaces the element with the plan, removes
// what the answer still holds that the plan dropped (the API may keep what
// a PUT leaves out: not documented), and sets state and identity. After a
// create the id is saved before any further call.
func (r *elementResource) save(ctx context.Context, plan, prior *elementResourceModel, state *tfsdk.State, idt *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	body := plan.requestBody(ctx, diags)
	if diags.HasError() {
		return
	}
	key := plan.Key.ValueString()
	var e *cloudelements.CustomElement
	var err error
	if prior == nil {
		e, err = r.data.client.CreateElement(ctx, body)
		if errors.Is(err, cloudelements.ErrOutcomeUnknown) {
			e, err = r.lostCreate(key).adopt(ctx, err, diags)
		}
		if isStatus(err, http.StatusConflict) {
			diags.AddAttributeError(path.Root("key"), "Cloud Elements Element Already Exists",
				fmt.Sprintf("The account already has a custom element with key %q. Import it (terraform import "+
					"cloudelements_element.<name> %s) or choose another key. The API said: %s", key, key, err))
			return
		}
		if err != nil {
			diags.AddError("Error Creating Cloud Elements Element", fmt.Sprintf("Could not create element %q: %s", key, err))
			return
		}
		tflog.Trace(ctx, "created Cloud Elements element", map[string]any{"id": e.ID})
		plan.ID = types.StringValue(strconv.FormatInt(e.ID, 10))
		diags.Append(state.Set(ctx, plan)...)
		setIdentity(ctx, idt, elementIdentity{Key: plan.Key}, diags)
		if diags.HasError() {
			return
		}
		if !elementdef.Equivalent(string(body), string(e.Body)) {
			// An adopted element may be an older attempt's: write the plan.
			e, err = r.data.client.ReplaceElement(ctx, e.ID, body)
		}
	} else {
		id, ok := parseID(prior.ID.ValueString(), "Element", path.Root("id"), diags)
		if !ok {
			return
		}
		e, err = r.data.client.ReplaceElement(ctx, id, body)
	}
	if err == nil {
		e, err = r.removeLeftovers(ctx, e, body)
	}
	if err != nil {
		summary, detail := "Error Updating Cloud Elements Element", fmt.Sprintf("Could not update element %s (%s): %s", plan.ID.ValueString(), key, err)
		if prior == nil {
			summary = "Error Creating Cloud Elements Element"
			detail = fmt.Sprintf("Element %s (%s) was created but could not be written as planned: %s. It is saved in state as "+
				"tainted; the next apply replaces it.", plan.ID.ValueString(), key, err)
		}
		diags.AddError(summary, detail)
		return
	}
	plan.applied(ctx, e, diags)
	diags.Append(state.Set(ctx, plan)...)
	setIdentity(ctx, idt, elementIdentity{Key: plan.Key}, diags)
}

// removeLeftovers deletes the resources and configuration entries the
// answer to a write still holds that the body does not list (a PUT that
// keeps what it leaves out: not documented either way), then reads the
// element again. Under a replacing PUT there are none and nothing is sent.
func (r *elementResource) removeLeftovers(ctx context.Context, e *cloudelements.CustomElement, body json.RawMessage) (*cloudelements.CustomElement, error) {
	resources, entries := elementdef.Leftovers(body, e.Body)
	if len(resources) == 0 && len(entries) == 0 {
		return e, nil
	}
	for _, id := range resources {
		if err := r.data.client.DeleteElementResource(ctx, e.ID, id); err != nil {
			return nil, err
		}
	}
	for _, k := range entries {
		if err := r.data.client.DeleteElementConfiguration(ctx, e.ID, k); err != nil {
			return nil, err
		}
	}
	return r.data.client.GetElementByID(ctx, e.ID)
}

// lostCreate finds the custom element a create whose answer was lost may
// have made: the private element with that key (the key is unique among an
// account's private elements; how the vendor's asset tool finds it:
// doctor-core:src/core/elements/createElements.js#L47-L60).
func (r *elementResource) lostCreate(key string) lostCreate[*cloudelements.CustomElement] {
	return lostCreate[*cloudelements.CustomElement]{
		kind: "Element",
		one:  fmt.Sprintf("custom element with key %q", key),
		many: fmt.Sprintf("custom elements with key %q", key),
		find: func(ctx context.Context) ([]*cloudelements.CustomElement, error) {
			found, err := r.data.client.ListPrivateElements(ctx, key)
			if err != nil {
				return nil, err
			}
			out := make([]*cloudelements.CustomElement, 0, len(found))
			for i := range found {
				out = append(out, &found[i])
			}
			if len(out) == 1 {
				// A list answer may be abridged: read the element itself.
				got, err := r.data.client.GetElementByID(ctx, out[0].ID)
				if err != nil {
					return nil, err
				}
				out[0] = got
			}
			return out, nil
		},
		id:      func(e *cloudelements.CustomElement) string { return strconv.FormatInt(e.ID, 10) },
		created: func(e *cloudelements.CustomElement) string { return e.CreatedDate },
	}
}

func (r *elementResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state elementResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	setIdentity(ctx, resp.Identity, elementIdentity{Key: state.Key}, &resp.Diagnostics)
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	e, err := r.read(ctx, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if errors.Is(err, cloudelements.ErrNotFound) {
		tflog.Warn(ctx, "Cloud Elements element not found; removing it from state", map[string]any{"id": state.ID.ValueString(), "key": state.Key.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Cloud Elements Element",
			fmt.Sprintf("Could not read element %s: %s", elementName(state), err))
		return
	}
	if !e.Private {
		resp.Diagnostics.AddError("Not a Cloud Elements Custom Element",
			fmt.Sprintf("Element %d (%s) is a catalog element, not a custom one: cloudelements_element manages the account's "+
				"own elements. Use cloudelements_element_extension to add resources to a catalog element.", e.ID, e.Key))
		return
	}
	if err := state.refresh(ctx, e, &resp.Diagnostics); err != nil {
		resp.Diagnostics.AddError("Error Reading Cloud Elements Element", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	setIdentity(ctx, resp.Identity, elementIdentity{Key: state.Key}, &resp.Diagnostics)
}

// read reads the element by id, or, after an import by key, the private
// element with that key.
func (r *elementResource) read(ctx context.Context, state *elementResourceModel, diags *diag.Diagnostics) (*cloudelements.CustomElement, error) {
	if state.ID.ValueString() != "" {
		id, ok := parseID(state.ID.ValueString(), "Element", path.Root("id"), diags)
		if !ok {
			return nil, nil
		}
		return r.data.client.GetElementByID(ctx, id)
	}
	key := state.Key.ValueString()
	found, err := r.data.client.ListPrivateElements(ctx, key)
	switch {
	case err != nil:
		return nil, err
	case len(found) == 0:
		diags.AddError("Cannot Import Cloud Elements Element",
			fmt.Sprintf("The account has no custom element with key %q. A catalog element cannot be imported as one; "+
				"check the key in the console's Element Builder, or import by the element's numeric id.", key))
		return nil, nil
	case len(found) > 1:
		diags.AddError("Cannot Import Cloud Elements Element",
			fmt.Sprintf("The account has %d custom elements with key %q; import by the numeric id of the right one.", len(found), key))
		return nil, nil
	}
	return r.data.client.GetElementByID(ctx, found[0].ID)
}

func elementName(m elementResourceModel) string {
	if m.ID.ValueString() == "" {
		return strconv.Quote(m.Key.ValueString())
	}
	return m.ID.ValueString()
}

func (r *elementResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state elementResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	id, ok := parseID(state.ID.ValueString(), "Element", path.Root("id"), &resp.Diagnostics)
	if !ok {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	err := r.data.client.DeleteElement(ctx, id)
	if err == nil {
		return
	}
	if stillHasInstances(err) {
		resp.Diagnostics.AddError("Cloud Elements Element Still Has Instances",
			fmt.Sprintf("Element %d (%s) cannot be deleted while element instances of it exist. Delete them first: Terraform "+
				"does so for cloudelements_instance resources whose element_key refers to this element "+
				"(element_key = cloudelements_element.<name>.key); instances created elsewhere must be deleted in the "+
				"console or with the API. The API said: %s", id, state.Key.ValueString(), err))
		return
	}
	resp.Diagnostics.AddError("Error Deleting Cloud Elements Element", fmt.Sprintf("Could not delete element %d: %s", id, err))
}

// ImportState takes a custom element's key ("mycrm"), its numeric id
// ("12345"), or a resource identity (the key).
func (r *elementResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	target, ok := importTarget(ctx, req, func(raw string, diags *diag.Diagnostics) (elementIdentity, bool) {
		if raw == "" || !elementKeyPattern.MatchString(raw) {
			diags.AddError("Invalid Cloud Elements Element Import ID",
				fmt.Sprintf("Import a custom element by its key (mycrm) or its numeric id (12345), got %q.", raw))
			return elementIdentity{}, false
		}
		return elementIdentity{Key: types.StringValue(raw)}, true
	}, func(i elementIdentity) string { return i.Key.ValueString() }, &resp.Diagnostics)
	if !ok {
		return
	}
	if id, isID := parseInt(target.Key.ValueString()); isID && id > 0 {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), target.Key)...)
		return // the key, and so the identity, comes with the read
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("key"), target.Key)...)
	setIdentity(ctx, resp.Identity, target, &resp.Diagnostics)
}
