// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/elementcatalog"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/suggest"
)

// checkAgainstCatalog checks a planned configuration against the element's
// definitions (GET /elements/{key}, read once per element per process):
// required keys missing, PASSWORD keys in plain configuration, values of
// BOOLEAN keys (errors), keys the element does not define (warnings), and
// event settings the element's event methods rule out (errors). It runs
// only when an instance is created or its configuration or event settings
// change, so a plan with nothing to do reads nothing. When the catalog
// cannot be read the plan goes on without the checks, with one warning per
// process.
func (r *instanceResource) checkAgainstCatalog(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data == nil {
		return
	}
	planned := readCatalogInputs(ctx, req.Plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || planned.key.IsUnknown() || planned.key.IsNull() {
		return
	}
	// nil on create: every required key must be set. On update, only the
	// required keys the change removes from the instance are checked: the
	// others the instance already holds (as after an adoption).
	var removed map[string]bool
	if !req.State.Raw.IsNull() {
		prior := readCatalogInputs(ctx, req.State, &resp.Diagnostics)
		if resp.Diagnostics.HasError() || planned.equal(prior) {
			return
		}
		managed, diags := loadManaged(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		removed = removedKeys(planned, prior, managed)
	}
	key := planned.key.ValueString()
	e, ok := lookupElement(ctx, r.data, key, "configuration keys and event settings are", &resp.Diagnostics)
	if !ok {
		return
	}
	// Only what the configuration sets: the plan also holds the values
	// the element chose itself (read back into state).
	var configured types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("event_notification"), &configured)...)
	checkEventsAgainst(key, e.Element, configured, &resp.Diagnostics)
	if len(e.Defs) == 0 {
		return
	}
	// Write-only secrets are only in the configuration, never in the plan.
	var writeOnly types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sensitive_configuration_wo"), &writeOnly)...)
	checkConfigAgainst(key, e.Defs, planned.plain, planned.secret, writeOnly, removed, resp)
}

// lookupElement reads an element from the catalog for a plan-time check
// (GET /elements/{key}, once per element per process; a custom element
// planned in the same run is in it too). An unknown key is an error on
// element_key, with "did you mean"; a catalog that cannot be read is one
// warning per process saying that unchecked (what is not checked, such as
// "configuration keys are") is not checked. ok is false when there is no
// element to check against.
func lookupElement(ctx context.Context, data *providerData, key, unchecked string, diags *diag.Diagnostics) (*elementcatalog.Entry, bool) {
	e, err := data.catalog.Lookup(ctx, key)
	switch {
	case err != nil && elementcatalog.Unknown(err):
		diags.AddAttributeError(path.Root("element_key"), "Unknown Cloud Elements Element",
			fmt.Sprintf("The API knows no element %q (GET /elements/%s answered 404).%s Check the key in the console's element catalog "+
				"or with data \"cloudelements_element\".", key, key, suggest.Element(key, data.catalog.Elements(ctx))))
		return nil, false
	case err != nil:
		if data.catalog.FirstWarning() {
			diags.AddWarning("Element Catalog Unavailable",
				fmt.Sprintf("Element %q could not be read from the catalog, so %s not checked at plan time: %s", key, unchecked, err))
		}
		return nil, false
	}
	return e, true
}

// catalogInputs are the attributes the catalog checks read.
type catalogInputs struct {
	key           types.String
	plain, secret types.Map
	events        types.List
}

func readCatalogInputs(ctx context.Context, from attributeGetter, diags *diag.Diagnostics) catalogInputs {
	var in catalogInputs
	diags.Append(from.GetAttribute(ctx, path.Root("element_key"), &in.key)...)
	diags.Append(from.GetAttribute(ctx, path.Root("configuration"), &in.plain)...)
	diags.Append(from.GetAttribute(ctx, path.Root("sensitive_configuration"), &in.secret)...)
	diags.Append(from.GetAttribute(ctx, path.Root("event_notification"), &in.events)...)
	return in
}

func (c catalogInputs) equal(o catalogInputs) bool {
	return c.key.Equal(o.key) && c.plain.Equal(o.plain) && c.secret.Equal(o.secret) && c.events.Equal(o.events)
}

// removedKeys are the keys an update removes from the instance: in the
// prior configuration, not in the planned one, and set by Terraform (a key
// Terraform did not set is only no longer managed; see configChanges).
func removedKeys(planned, prior catalogInputs, managed managedKeys) map[string]bool {
	out := map[string]bool{}
	if planned.plain.IsUnknown() || planned.secret.IsUnknown() {
		return out
	}
	for _, m := range []types.Map{prior.plain, prior.secret} {
		for k := range m.Elements() {
			_, inPlain := planned.plain.Elements()[k]
			_, inSecret := planned.secret.Elements()[k]
			if !inPlain && !inSecret && managed.has(k) {
				out[k] = true
			}
		}
	}
	return out
}

// checkEventsAgainst refuses the event settings the element's event
// methods (webhook, polling) rule out: polling settings on an element that
// only takes webhooks, vendor_type = "webhook" on one that only polls.
// An element whose methods the catalog does not say is not checked.
func checkEventsAgainst(element string, e *cloudelements.ElementDetails, blocks types.List, diags *diag.Diagnostics) {
	if e == nil || e.Events == nil || len(e.Events.Methods) == 0 {
		return
	}
	m := instanceResourceModel{EventNotification: blocks}
	ev, d := m.eventBlock()
	diags.Append(d...)
	if ev == nil {
		return
	}
	supports := map[string]bool{}
	for _, method := range e.Events.Methods {
		supports[strings.TrimSuffix(strings.ToLower(method), "s")] = true
	}
	methods := strings.Join(e.Events.Methods, ", ")
	vendor := ev.VendorType.ValueString()
	if !ev.VendorType.IsUnknown() && vendor != "" && !supports[vendor] {
		diags.AddAttributeError(eventPath("vendor_type"), "Event Method Not Supported by Element",
			fmt.Sprintf("Element %q delivers events by %s only, so vendor_type = %q cannot work. Set vendor_type = %q, or remove it "+
				"and let the element decide.", element, methods, vendor, e.Events.Methods[0]))
		return
	}
	if supports[configkeys.VendorPolling] {
		return
	}
	for attrName, set := range map[string]bool{
		"poller_refresh_interval": !ev.PollerRefreshInterval.IsNull() && !ev.PollerRefreshInterval.IsUnknown(),
		"poller_configuration":    !ev.PollerConfiguration.IsNull() && !ev.PollerConfiguration.IsUnknown(),
		"poller_urls":             !ev.PollerURLs.IsNull() && !ev.PollerURLs.IsUnknown(),
	} {
		if set {
			diags.AddAttributeError(eventPath(attrName), "Polling Setting on a Webhook Element",
				fmt.Sprintf("Element %q delivers events by %s only; it does not poll, so %q has no effect. Remove %q.",
					element, methods, attrName, attrName))
		}
	}
}

func checkConfigAgainst(element string, defs map[string]*cloudelements.ConfigDefinition, plain, secret, writeOnly types.Map,
	removed map[string]bool, resp *resource.ModifyPlanResponse,
) {
	values := map[string]types.String{}
	where := map[string]string{}
	for name, m := range map[string]types.Map{"configuration": plain, "sensitive_configuration": secret, "sensitive_configuration_wo": writeOnly} {
		if m.IsUnknown() {
			return // a whole map from elsewhere: nothing can be checked yet
		}
		for k, v := range m.Elements() {
			s, ok := v.(types.String)
			if !ok {
				continue
			}
			values[k], where[k] = s, name
		}
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, at := values[k], path.Root(where[k]).AtMapKey(k)
		d := defs[k]
		switch {
		case d == nil && !strings.HasPrefix(k, configkeys.EventPrefix):
			resp.Diagnostics.AddAttributeWarning(at, "Unknown Configuration Key",
				fmt.Sprintf("%q is not a configuration key of element %q; the API may ignore it.%s Check its spelling "+
					"(data \"cloudelements_element\" lists the element's keys).", k, element, suggest.DidYouMean(k, definedKeys(defs))))
		case d == nil:
		case strings.EqualFold(d.Type, "PASSWORD") && where[k] == "configuration":
			resp.Diagnostics.AddAttributeError(at, "Password in Plain Configuration",
				fmt.Sprintf("Element %q defines %q as a password. Values in configuration are shown in plan output; "+
					"move it to sensitive_configuration.", element, k))
		case strings.EqualFold(d.Type, "BOOLEAN") && !v.IsUnknown() && !v.IsNull() && !isBoolText(v.ValueString()):
			resp.Diagnostics.AddAttributeError(at, "Invalid Boolean Configuration Value",
				fmt.Sprintf("Element %q defines %q as a boolean: use \"true\" or \"false\", not %q.", element, k, v.ValueString()))
		}
	}
	var missing []string
	for k, d := range defs {
		if !bool(d.Required) || bool(d.Internal) || d.DefaultValue != nil || strings.HasPrefix(k, configkeys.EventPrefix) {
			continue
		}
		if _, set := values[k]; !set && (removed == nil || removed[k]) {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	for _, k := range missing {
		d := defs[k]
		what := d.Description
		if what == "" {
			what = d.Name
		}
		target := "configuration"
		if strings.EqualFold(d.Type, "PASSWORD") || configkeys.Secret(k) {
			target = "sensitive_configuration"
		}
		resp.Diagnostics.AddAttributeError(path.Root(target), "Missing Required Configuration Key",
			fmt.Sprintf("Element %q requires %q (%s). Set it in %s.", element, k, strings.TrimSpace(what), target))
	}
}

// definedKeys are the keys an element defines.
func definedKeys(defs map[string]*cloudelements.ConfigDefinition) []string {
	out := make([]string, 0, len(defs))
	for k := range defs {
		out = append(out, k)
	}
	return out
}

func isBoolText(s string) bool {
	return strings.EqualFold(s, "true") || strings.EqualFold(s, "false")
}
