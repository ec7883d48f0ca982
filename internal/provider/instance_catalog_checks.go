// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// checkAgainstCatalog checks a planned configuration against the element's
// definitions (GET /elements/{key}, read once per element per process):
// required keys missing, PASSWORD keys in plain configuration, values of
// BOOLEAN keys (errors) and keys the element does not define (warnings).
// It runs only when an instance is created or its configuration changes,
// so a plan with nothing to do reads nothing. When the catalog cannot be
// read the plan goes on without the checks, with one warning per process.
func (r *instanceResource) checkAgainstCatalog(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data == nil {
		return
	}
	var key types.String
	var plain, secret types.Map
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("element_key"), &key)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("configuration"), &plain)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("sensitive_configuration"), &secret)...)
	if resp.Diagnostics.HasError() || key.IsUnknown() || key.IsNull() {
		return
	}
	if !req.State.Raw.IsNull() {
		var priorKey types.String
		var priorPlain, priorSecret types.Map
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("element_key"), &priorKey)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("configuration"), &priorPlain)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("sensitive_configuration"), &priorSecret)...)
		if resp.Diagnostics.HasError() || (priorKey.Equal(key) && priorPlain.Equal(plain) && priorSecret.Equal(secret)) {
			return
		}
	}
	e, err := r.data.catalog.lookup(ctx, key.ValueString())
	switch {
	case err != nil && unknownElement(err):
		resp.Diagnostics.AddAttributeError(path.Root("element_key"), "Unknown Cloud Elements Element",
			fmt.Sprintf("The API knows no element %q (GET /elements/%s answered 404). Check the key in the console's element catalog "+
				"or with data \"cloudelements_element\".", key.ValueString(), key.ValueString()))
		return
	case err != nil:
		if r.data.catalog.firstWarning() {
			resp.Diagnostics.AddWarning("Element Catalog Unavailable",
				fmt.Sprintf("The definitions of element %q could not be read, so configuration keys are not checked at plan time: %s",
					key.ValueString(), err))
		}
		return
	case len(e.defs) == 0:
		return
	}
	// Write-only secrets are only in the configuration, never in the plan.
	var writeOnly types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sensitive_configuration_wo"), &writeOnly)...)
	checkConfigAgainst(key.ValueString(), e.defs, plain, secret, writeOnly, resp)
}

func checkConfigAgainst(element string, defs map[string]*cloudelements.ConfigDefinition, plain, secret, writeOnly types.Map, resp *resource.ModifyPlanResponse) {
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
		case d == nil && !strings.HasPrefix(k, eventKeyPrefix):
			resp.Diagnostics.AddAttributeWarning(at, "Unknown Configuration Key",
				fmt.Sprintf("%q is not a configuration key of element %q; the API may ignore it. Check its spelling "+
					"(data \"cloudelements_element\" lists the element's keys).", k, element))
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
		if !bool(d.Required) || bool(d.Internal) || d.DefaultValue != nil || strings.HasPrefix(k, eventKeyPrefix) {
			continue
		}
		if _, set := values[k]; !set {
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
		if strings.EqualFold(d.Type, "PASSWORD") || secretKey(k) {
			target = "sensitive_configuration"
		}
		resp.Diagnostics.AddAttributeError(path.Root(target), "Missing Required Configuration Key",
			fmt.Sprintf("Element %q requires %q (%s). Set it in %s.", element, k, strings.TrimSpace(what), target))
	}
}

func isBoolText(s string) bool {
	return strings.EqualFold(s, "true") || strings.EqualFold(s, "false")
}
