// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package formuladef compares, checks and writes formula definitions: the
// formula body as the console or the vendor's asset tool (doctor) exports
// it. It knows nothing of Terraform; cloudelements_formula uses it for its
// definition's semantic equality, its plan-time checks and its requests.
package formuladef

import (
	"encoding/json"
	"reflect"
	"slices"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/jsonvalue"
)

// A formula definition is the formula body as the console or the vendor's
// asset tool (doctor) exports it. The server adds ids and metadata on every
// layer, fills defaults, and returns keys and lists in its own order
// (devportal:docs/legacy/formulas/use-cases.md#L72-255, download/Sync-Contacts.json,
// doctor:src/core/formulas/saveFormulasToDir.js#L8-17). This file turns a
// definition into a canonical form in which none of that is a difference,
// so that a pasted export, a reordered file or the server's answer compare
// equal to what the user wrote.

// serverFields are set by the server on the formula itself, or
// derived by it (`api` = "<METHOD> <uri>" for a formula exposed as a
// resource, `subFormulas` = the formulas its formula steps call): accepted in
// a definition, never sent, never compared.
var serverFields = []string{"id", "userId", "accountId", "createdDate", "api", "subFormulas"}

// partServerFields are set by the server on every step, trigger and
// configuration entry (use-cases.md#L162-252).
var partServerFields = []string{"id", "formulaId"}

// argumentFields are the top-level arguments of cloudelements_formula:
// inside the definition they are ignored (the arguments win).
var argumentFields = []string{"name", "description", "active"}

// filledWhenOmitted are fields the server fills with a value of its
// choosing when a definition leaves them out (the formula's engine and debug
// logging in doctor's exports, a configuration entry's `required`, a
// versionless script step's `scriptEngine`: churros:src/test/platform/formulas/scripts.js#L98-106).
// They are compared only when both sides have them.
var filledWhenOmitted = []string{"engine", "debugLoggingEnabled", "debugLoggingExpires"}

// stepTypes and triggerTypes are the documented types
// (devportal:docs/legacy/formulas/definitions.md#L38-67,
// docs/guides/formulasC2/referenceAPI.md#L86-533); `notification` is legacy.
var (
	stepTypes = []string{"script", "elementRequest", "filter", "formula", "loop", "request", "httpRequest",
		"elementRequestStream", "amqpRequest", "retryFormulaExecution", "notification"}
	triggerTypes = []string{"event", "manual", "scheduled", "elementRequest"}
)

// Parse decodes a definition, which must be a JSON object. Numbers stay
// json.Number, so ids and large values keep their digits.
func Parse(s string) (map[string]any, error) {
	return jsonvalue.DecodeObject(s, "a formula definition is an object with configuration, triggers and steps")
}

// withoutServerFields returns a copy of a definition without the fields the
// server assigns: what a create or update sends.
func withoutServerFields(def map[string]any) map[string]any {
	out := make(map[string]any, len(def))
	for k, v := range def {
		out[k] = jsonvalue.Copy(v)
	}
	for _, k := range serverFields {
		delete(out, k)
	}
	for _, list := range []string{"steps", "triggers", "configuration"} {
		for _, part := range jsonvalue.Objects(out[list]) {
			for _, k := range partServerFields {
				delete(part, k)
			}
		}
	}
	return out
}

// RequestBody is the body of a create or update: the definition
// without server fields, with the resource's name, description and active.
// An update passes the prior definition and description (a create, "" and
// false): the fields they had that the new ones leave out are sent as null
// (lists as empty), so the update removes them whether PUT replaces the
// whole formula or keeps what its body leaves out (not documented).
func RequestBody(definition, name string, description *string, active bool, prior string, priorDescription bool) (json.RawMessage, error) {
	def, err := Parse(definition)
	if err != nil {
		return nil, err
	}
	body := withoutServerFields(def)
	body["name"] = name
	body["active"] = active
	delete(body, "description")
	switch {
	case description != nil:
		body["description"] = *description
	case priorDescription:
		body["description"] = nil
	}
	if old, err := Parse(prior); err == nil {
		for k := range old {
			_, kept := body[k]
			if kept || slices.Contains(serverFields, k) || slices.Contains(argumentFields, k) ||
				slices.Contains(filledWhenOmitted, k) {
				continue
			}
			body[k] = nil
			if k == "steps" || k == "triggers" || k == "configuration" {
				body[k] = []any{}
			}
		}
	}
	return json.Marshal(body)
}

// Stored is the definition to keep in state for a formula as the
// server returned it: no server fields, no name/description/active (they are
// arguments), and no field that only repeats a server default, so a plan
// showing drift or generated configuration carries what matters.
func Stored(body json.RawMessage) (string, error) {
	def, err := Parse(string(body))
	if err != nil {
		return "", err
	}
	out := withoutServerFields(def)
	for _, k := range argumentFields {
		delete(out, k)
	}
	dropDefaults(out)
	b, err := json.Marshal(out)
	return string(b), err
}

// dropDefaults removes, in place, nulls and the values the server fills in
// when they are left out (use-cases.md#L235-236, Sync-Contacts.json):
// singleThreaded false; empty steps, triggers and configuration; trigger
// async true, name "trigger"; empty onSuccess/onFailure; empty properties.
func dropDefaults(def map[string]any) {
	jsonvalue.DropNulls(def)
	if v, ok := def["singleThreaded"].(bool); ok && !v {
		delete(def, "singleThreaded")
	}
	for _, list := range []string{"steps", "triggers", "configuration"} {
		if l, ok := def[list].([]any); ok && len(l) == 0 {
			delete(def, list)
		}
	}
	for _, t := range jsonvalue.Objects(def["triggers"]) {
		if v, ok := t["async"].(bool); ok && v {
			delete(t, "async")
		}
		if t["name"] == "trigger" {
			delete(t, "name")
		}
	}
	for _, list := range []string{"steps", "triggers"} {
		for _, part := range jsonvalue.Objects(def[list]) {
			for _, k := range []string{"onSuccess", "onFailure"} {
				if l, ok := part[k].([]any); ok && len(l) == 0 {
					delete(part, k)
				}
			}
			if p, ok := part["properties"].(map[string]any); ok && len(p) == 0 {
				delete(part, "properties")
			}
		}
	}
}

// canonical is the form in which two definitions that mean the
// same formula are equal (reflect.DeepEqual): server fields, arguments and
// defaults removed; steps keyed by name, configuration by key, triggers and
// step flows as sorted lists; numbers and numeric strings alike
// (retryAttempts is documented as "5" and sent as 5:
// devportal:docs/guides/formulasC2/referenceAPI.md#L280-284).
func canonical(def map[string]any) map[string]any {
	out := withoutServerFields(def)
	for _, k := range argumentFields {
		delete(out, k)
	}
	dropDefaults(out)
	jsonvalue.NormalizeScalars(out)
	for _, part := range jsonvalue.Objects(out["steps"]) {
		for _, k := range []string{"onSuccess", "onFailure"} {
			if l, ok := part[k].([]any); ok {
				part[k] = jsonvalue.SortedValues(l)
			}
		}
	}
	for _, t := range jsonvalue.Objects(out["triggers"]) {
		for _, k := range []string{"onSuccess", "onFailure"} {
			if l, ok := t[k].([]any); ok {
				t[k] = jsonvalue.SortedValues(l)
			}
		}
	}
	if m, ok := jsonvalue.KeyedBy(out["steps"], "name"); ok {
		out["steps"] = m
	}
	if m, ok := jsonvalue.KeyedBy(out["configuration"], "key"); ok {
		out["configuration"] = m
	}
	if l, ok := out["triggers"].([]any); ok {
		out["triggers"] = jsonvalue.SortedValues(l)
	}
	return out
}

// Equivalent reports whether two definitions describe the same
// formula. Text that is not a JSON object is equal only to itself.
func Equivalent(a, b string) bool {
	if a == b {
		return true
	}
	da, errA := Parse(a)
	db, errB := Parse(b)
	if errA != nil || errB != nil {
		return false
	}
	return equivalentObjects(da, db)
}

// equivalentObjects is Equivalent of two decoded definitions; neither is
// changed.
func equivalentObjects(da, db map[string]any) bool {
	ca, cb := canonical(da), canonical(db)
	jsonvalue.IgnoreUnlessBoth(ca, cb, filledWhenOmitted...)
	if sa, ok := ca["configuration"].(map[string]any); ok {
		if sb, ok := cb["configuration"].(map[string]any); ok {
			for k, ea := range sa {
				if eb, ok := sb[k].(map[string]any); ok {
					if ea, ok := ea.(map[string]any); ok {
						jsonvalue.IgnoreUnlessBoth(ea, eb, "required")
					}
				}
			}
		}
	}
	if sa, ok := ca["steps"].(map[string]any); ok {
		if sb, ok := cb["steps"].(map[string]any); ok {
			for k, ea := range sa {
				jsonvalue.IgnoreUnlessBoth(propertiesOf(ea), propertiesOf(sb[k]), "scriptEngine")
				dropEmptyProperties(ea)
				dropEmptyProperties(sb[k])
			}
		}
	}
	return reflect.DeepEqual(ca, cb)
}

// propertiesOf returns a step's properties object (an empty one when it
// has none).
func propertiesOf(step any) map[string]any {
	s, _ := step.(map[string]any)
	if p, ok := s["properties"].(map[string]any); ok {
		return p
	}
	return map[string]any{}
}

// dropEmptyProperties deletes a step's properties when nothing is left in
// them: a properties object that held only a filled-in scriptEngine is no
// difference from none.
func dropEmptyProperties(step any) {
	if s, ok := step.(map[string]any); ok {
		if p, ok := s["properties"].(map[string]any); ok && len(p) == 0 {
			delete(s, "properties")
		}
	}
}

// HasSteps reports whether a formula body carries its steps: a list answer
// may be abridged.
func HasSteps(body json.RawMessage) bool {
	var v struct {
		Steps json.RawMessage `json:"steps"`
	}
	return json.Unmarshal(body, &v) == nil && v.Steps != nil
}

// CreatedDate is a formula body's createdDate ("" when absent).
func CreatedDate(body json.RawMessage) string {
	var v struct {
		CreatedDate string `json:"createdDate"`
	}
	_ = json.Unmarshal(body, &v)
	return v.CreatedDate
}
