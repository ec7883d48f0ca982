// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	"github.com/cloudelements/terraform-provider-cloudelements/internal/elementdef"
)

var (
	_ resource.Resource                = &elementExtensionResource{}
	_ resource.ResourceWithConfigure   = &elementExtensionResource{}
	_ resource.ResourceWithImportState = &elementExtensionResource{}
	_ resource.ResourceWithIdentity    = &elementExtensionResource{}
)

// NewElementExtensionResource is the constructor for
// cloudelements_element_extension.
func NewElementExtensionResource() resource.Resource { return &elementExtensionResource{} }

type elementExtensionResource struct {
	data *providerData
}

type elementExtensionModel struct {
	ID         types.String     `tfsdk:"id"`
	ElementKey types.String     `tfsdk:"element_key"`
	Resources  elementResources `tfsdk:"resources"`
	Timeouts   timeouts.Value   `tfsdk:"timeouts"`
}

// elementExtensionIdentity is the resource identity: the catalog element's
// key (an account has one extension per catalog element).
type elementExtensionIdentity struct {
	ElementKey types.String `tfsdk:"element_key"`
}

func (i elementExtensionIdentity) complete() bool {
	return !i.ElementKey.IsUnknown() && !i.ElementKey.IsNull()
}

func (r *elementExtensionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_element_extension"
}

func (r *elementExtensionResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{
		"element_key": "The key of the catalog element the extension adds resources to.",
	})
}

func (r *elementExtensionResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An extension of a catalog element: resources the account adds to it, or that override the " +
			"catalog's own resource with the same method and path. Only the listed resources are managed: the catalog's " +
			"resources, and account resources the list does not name, are left alone. Destroying the extension deletes " +
			"its resources; a catalog resource it overrode then comes back as the catalog defines it. A resource removed " +
			"or changed in the console plans as a change and is restored.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The catalog element's numeric id (`id`), as a string: resources are written to it by id, " +
					"so a custom element that reuses the catalog key is never extended by mistake.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"element_key": schema.StringAttribute{
				MarkdownDescription: "The key of the catalog element to extend, e.g. `sfdc`. Changing it replaces the extension.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(elementKeyPattern, "must be letters, digits, '.', '_' or '-'")},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"resources": schema.StringAttribute{
				MarkdownDescription: "The resources added or overridden, as a JSON list, usually `jsonencode([...])` or the " +
					"`resources` of an extended element's export (`GET /elements/{id}/export?extendedOnly=true`): each with " +
					"`method`, `path`, `vendorMethod`, `vendorPath` and the other documented fields (`parameters`, `hooks`, " +
					"`response`, `model`, ...). A resource is identified by its method and its path without the " +
					"`/hubs/{hub}` prefix the server adds; ids, dates, `ownerAccountId`, `type: \"api\"` and the order of the " +
					"list are no change.",
				Required:      true,
				CustomType:    elementResourcesType{},
				PlanModifiers: []planmodifier.String{keepEquivalentResources{}},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, resourceTimeouts),
		},
	}
}

func (r *elementExtensionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// elementID is the catalog element's id: from state, else looked up by key
// among the catalog elements (never a private one that reuses the key).
func (r *elementExtensionResource) elementID(ctx context.Context, m *elementExtensionModel) (int64, error) {
	if id, ok := parseInt(m.ID.ValueString()); ok && id > 0 {
		return id, nil
	}
	id, err := r.data.client.CatalogElementID(ctx, m.ElementKey.ValueString())
	if err != nil {
		return 0, err
	}
	m.ID = types.StringValue(strconv.FormatInt(id, 10))
	return id, nil
}

// accountResources lists the account's resources of the element, by key
// (method and path).
func (r *elementExtensionResource) accountResources(ctx context.Context, elementID int64) (map[string]cloudelements.ElementResource, error) {
	all, err := r.data.client.ListElementResources(ctx, elementID)
	if err != nil {
		return nil, err
	}
	out := map[string]cloudelements.ElementResource{}
	for _, res := range all {
		if !res.Account() {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(res.Body, &body); err == nil {
			out[elementdef.ResourceKey(body)] = res
		}
	}
	return out, nil
}

func (r *elementExtensionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan elementExtensionModel
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

func (r *elementExtensionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state elementExtensionModel
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
	plan.ID = state.ID
	r.save(ctx, &plan, &state, &resp.State, resp.Identity, &resp.Diagnostics)
}

// save writes the planned resources (prior nil on create): a resource the
// account does not hold is created, one that differs is replaced, one the
// prior list had and the plan drops is deleted. A failure part way saves
// the resources written so far, so none is orphaned.
func (r *elementExtensionResource) save(ctx context.Context, plan, prior *elementExtensionModel, state *tfsdk.State,
	idt *tfsdk.ResourceIdentity, diags *diag.Diagnostics,
) {
	key := plan.ElementKey.ValueString()
	summary := "Error Updating Cloud Elements Element Extension"
	if prior == nil {
		summary = "Error Creating Cloud Elements Element Extension"
	}
	want, err := elementdef.ParseResources(plan.Resources.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("resources"), "Invalid Element Resources", err.Error())
		return
	}
	elementID, err := r.elementID(ctx, plan)
	if errors.Is(err, cloudelements.ErrNotFound) {
		diags.AddAttributeError(path.Root("element_key"), "Unknown Cloud Elements Catalog Element",
			fmt.Sprintf("The catalog has no element %q to extend. Check the key in the console's element catalog, or use "+
				"cloudelements_element for a custom element.", key))
		return
	}
	if err != nil {
		diags.AddError(summary, fmt.Sprintf("Could not find catalog element %q: %s", key, err))
		return
	}
	held, err := r.accountResources(ctx, elementID)
	if err != nil {
		diags.AddError(summary, fmt.Sprintf("Could not list the resources of element %s (%d): %s", key, elementID, err))
		return
	}
	var written []map[string]any
	fail := func(what string, err error) {
		diags.AddError(summary, fmt.Sprintf("Could not %s of element %s (%d): %s", what, key, elementID, err))
		if prior == nil && len(written) > 0 {
			// Keep what was created, so destroy or the next apply finds it.
			stored, _ := elementdef.StoredResources(written)
			plan.Resources = newDefinition[elementResourcesKind](stored)
			diags.Append(state.Set(ctx, plan)...)
		}
	}
	planned := map[string]bool{}
	for _, res := range want {
		k := elementdef.ResourceKey(res)
		planned[k] = true
		body := elementdef.ResourceBody(res)
		if cur, ok := held[k]; ok {
			var got map[string]any
			_ = json.Unmarshal(cur.Body, &got)
			if !elementdef.SameResource(res, got) {
				if _, err := r.data.client.ReplaceElementResource(ctx, elementID, cur.ID, body); err != nil {
					fail("replace resource "+k, err)
					return
				}
			}
			if prior == nil || !priorLists(prior, k) {
				diags.AddWarning("Adopted Cloud Elements Element Resource",
					fmt.Sprintf("Element %s already had the account resource %s (id %d): it is now managed by Terraform.", key, k, cur.ID))
			}
			written = append(written, res)
			continue
		}
		created, err := r.data.client.CreateElementResource(ctx, elementID, body)
		if errors.Is(err, cloudelements.ErrOutcomeUnknown) {
			created, err = r.lostResource(elementID, k).adopt(ctx, err, diags)
		}
		if err != nil {
			fail("create resource "+k, err)
			return
		}
		tflog.Trace(ctx, "created Cloud Elements element resource", map[string]any{"element": key, "id": created.ID})
		written = append(written, res)
	}
	if prior != nil {
		old, _ := elementdef.ParseResources(prior.Resources.ValueString())
		for _, res := range old {
			k := elementdef.ResourceKey(res)
			if cur, ok := held[k]; ok && !planned[k] {
				if err := r.data.client.DeleteElementResource(ctx, elementID, cur.ID); err != nil {
					fail("delete resource "+k, err)
					return
				}
			}
		}
	}
	diags.Append(state.Set(ctx, plan)...)
	setIdentity(ctx, idt, elementExtensionIdentity{ElementKey: plan.ElementKey}, diags)
}

func priorLists(prior *elementExtensionModel, key string) bool {
	old, _ := elementdef.ParseResources(prior.Resources.ValueString())
	for _, res := range old {
		if elementdef.ResourceKey(res) == key {
			return true
		}
	}
	return false
}

// lostResource finds the resource a create whose answer was lost may have
// made: the account resource with that method and path (the natural key
// the vendor's asset tool matches resources by:
// doctor-core:src/core/elements/createElements.js#L163-L168).
func (r *elementExtensionResource) lostResource(elementID int64, key string) lostCreate[*cloudelements.ElementResource] {
	return lostCreate[*cloudelements.ElementResource]{
		kind: "Element Resource",
		one:  "resource " + key,
		many: "resources " + key,
		find: func(ctx context.Context) ([]*cloudelements.ElementResource, error) {
			held, err := r.accountResources(ctx, elementID)
			if err != nil {
				return nil, err
			}
			if res, ok := held[key]; ok {
				return []*cloudelements.ElementResource{&res}, nil
			}
			return nil, nil
		},
		id:      func(res *cloudelements.ElementResource) string { return strconv.FormatInt(res.ID, 10) },
		created: func(*cloudelements.ElementResource) string { return "" },
	}
}

func (r *elementExtensionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state elementExtensionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	setIdentity(ctx, resp.Identity, elementExtensionIdentity{ElementKey: state.ElementKey}, &resp.Diagnostics)
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	key := state.ElementKey.ValueString()
	elementID, err := r.elementID(ctx, &state)
	if err == nil {
		var held map[string]cloudelements.ElementResource
		held, err = r.accountResources(ctx, elementID)
		if err == nil {
			err = state.refresh(held)
		}
	}
	if errors.Is(err, cloudelements.ErrNotFound) {
		tflog.Warn(ctx, "Cloud Elements catalog element not found; removing its extension from state", map[string]any{"element_key": key})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Cloud Elements Element Extension",
			fmt.Sprintf("Could not read the resources of element %s: %s", key, err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// refresh sets the resources from the account's: those the state lists
// (all of them after an import), as the server holds them. A listed
// resource the account no longer has is dropped, so the plan restores it.
func (m *elementExtensionModel) refresh(held map[string]cloudelements.ElementResource) error {
	var listed map[string]bool
	if !m.Resources.IsNull() && !m.Resources.IsUnknown() {
		old, err := elementdef.ParseResources(m.Resources.ValueString())
		if err == nil {
			listed = map[string]bool{}
			for _, res := range old {
				listed[elementdef.ResourceKey(res)] = true
			}
		}
	}
	var found []map[string]any
	for k, res := range held {
		if listed != nil && !listed[k] {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(res.Body, &body); err != nil {
			return fmt.Errorf("resource %d is not a JSON object: %w", res.ID, err)
		}
		found = append(found, body)
	}
	stored, err := elementdef.StoredResources(found)
	if err != nil {
		return err
	}
	if m.Resources.IsNull() || m.Resources.IsUnknown() || !elementdef.ResourcesEquivalent(m.Resources.ValueString(), stored) {
		m.Resources = newDefinition[elementResourcesKind](stored)
	}
	return nil
}

func (r *elementExtensionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state elementExtensionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	key := state.ElementKey.ValueString()
	elementID, err := r.elementID(ctx, &state)
	if errors.Is(err, cloudelements.ErrNotFound) {
		return
	}
	var held map[string]cloudelements.ElementResource
	if err == nil {
		held, err = r.accountResources(ctx, elementID)
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Deleting Cloud Elements Element Extension",
			fmt.Sprintf("Could not read the resources of element %s: %s", key, err))
		return
	}
	listed, _ := elementdef.ParseResources(state.Resources.ValueString())
	var failed []string
	for _, res := range listed {
		k := elementdef.ResourceKey(res)
		if cur, ok := held[k]; ok {
			if err := r.data.client.DeleteElementResource(ctx, elementID, cur.ID); err != nil {
				failed = append(failed, fmt.Sprintf("%s (id %d): %s", k, cur.ID, err))
			}
		}
	}
	if len(failed) > 0 {
		resp.Diagnostics.AddError("Error Deleting Cloud Elements Element Extension",
			fmt.Sprintf("Could not delete resources of element %s: %s", key, strings.Join(failed, "; ")))
	}
}

// ImportState takes the catalog element's key ("sfdc") or a resource
// identity: every account resource of the element is then managed.
func (r *elementExtensionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	target, ok := importTarget(ctx, req, func(raw string, diags *diag.Diagnostics) (elementExtensionIdentity, bool) {
		if !elementKeyPattern.MatchString(raw) {
			diags.AddError("Invalid Cloud Elements Element Extension Import ID",
				fmt.Sprintf("Import an extension by the catalog element's key, e.g. sfdc, got %q.", raw))
			return elementExtensionIdentity{}, false
		}
		return elementExtensionIdentity{ElementKey: types.StringValue(raw)}, true
	}, func(i elementExtensionIdentity) string { return i.ElementKey.ValueString() }, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("element_key"), target.ElementKey)...)
	setIdentity(ctx, resp.Identity, target, &resp.Diagnostics)
}
