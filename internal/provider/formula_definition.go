// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
)

// A formula definition is the formula body as the console or the vendor's
// asset tool (doctor) exports it. The server adds ids and metadata on every
// layer, fills defaults, and returns keys and lists in its own order
// (devportal:docs/legacy/formulas/use-cases.md#L72-255, download/Sync-Contacts.json,
// doctor:src/core/formulas/saveFormulasToDir.js#L8-17). This file turns a
// definition into a canonical form in which none of that is a difference,
// so that a pasted export, a reordered file or the server's answer compare
// equal to what the user wrote.

// formulaServerFields are set by the server on the formula itself, or
// derived by it (`api` = "<METHOD> <uri>" for a formula exposed as a
// resource, `subFormulas` = the formulas its formula steps call): accepted in
// a definition, never sent, never compared.
var formulaServerFields = []string{"id", "userId", "accountId", "createdDate", "api", "subFormulas"}

// formulaPartServerFields are set by the server on every step, trigger and
// configuration entry (use-cases.md#L162-252).
var formulaPartServerFields = []string{"id", "formulaId"}

// formulaArgumentFields are the top-level arguments of cloudelements_formula:
// inside the definition they are ignored (the arguments win).
var formulaArgumentFields = []string{"name", "description", "active"}

// formulaFilledWhenOmitted are fields the server fills with a value of its
// choosing when a definition leaves them out (the formula's engine and debug
// logging in doctor's exports, a configuration entry's `required`, a
// versionless script step's `scriptEngine`: churros:src/test/platform/formulas/scripts.js#L98-106).
// They are compared only when both sides have them.
var formulaFilledWhenOmitted = []string{"engine", "debugLoggingEnabled", "debugLoggingExpires"}

// stepTypes and triggerTypes are the documented types
// (devportal:docs/legacy/formulas/definitions.md#L38-67,
// docs/guides/formulasC2/referenceAPI.md#L86-533); `notification` is legacy.
var (
	stepTypes = []string{"script", "elementRequest", "filter", "formula", "loop", "request", "httpRequest",
		"elementRequestStream", "amqpRequest", "retryFormulaExecution", "notification"}
	triggerTypes = []string{"event", "manual", "scheduled", "elementRequest"}
)

// parseDefinition decodes a definition, which must be a JSON object.
// Numbers stay json.Number, so ids and large values keep their digits.
func parseDefinition(s string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("not valid JSON: more than one value")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("not a JSON object: a formula definition is an object with configuration, triggers and steps")
	}
	return m, nil
}

// withoutServerFields returns a copy of a definition without the fields the
// server assigns: what a create or update sends.
func withoutServerFields(def map[string]any) map[string]any {
	out := make(map[string]any, len(def))
	for k, v := range def {
		out[k] = copyJSON(v)
	}
	for _, k := range formulaServerFields {
		delete(out, k)
	}
	for _, list := range []string{"steps", "triggers", "configuration"} {
		for _, part := range objectsOf(out[list]) {
			for _, k := range formulaPartServerFields {
				delete(part, k)
			}
		}
	}
	return out
}

// formulaRequestBody is the body of a create or update: the definition
// without server fields, with the resource's name, description and active.
// An update passes the prior definition and description (a create, "" and
// false): the fields they had that the new ones leave out are sent as null
// (lists as empty), so the update removes them whether PUT replaces the
// whole formula or keeps what its body leaves out (not documented).
func formulaRequestBody(definition, name string, description *string, active bool, prior string, priorDescription bool) (json.RawMessage, error) {
	def, err := parseDefinition(definition)
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
	if old, err := parseDefinition(prior); err == nil {
		for k := range old {
			_, kept := body[k]
			if kept || slices.Contains(formulaServerFields, k) || slices.Contains(formulaArgumentFields, k) ||
				slices.Contains(formulaFilledWhenOmitted, k) {
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

// storedDefinition is the definition to keep in state for a formula as the
// server returned it: no server fields, no name/description/active (they are
// arguments), and no field that only repeats a server default, so a plan
// showing drift or generated configuration carries what matters.
func storedDefinition(body json.RawMessage) (string, error) {
	def, err := parseDefinition(string(body))
	if err != nil {
		return "", err
	}
	out := withoutServerFields(def)
	for _, k := range formulaArgumentFields {
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
	dropNulls(def)
	if v, ok := def["singleThreaded"].(bool); ok && !v {
		delete(def, "singleThreaded")
	}
	for _, list := range []string{"steps", "triggers", "configuration"} {
		if l, ok := def[list].([]any); ok && len(l) == 0 {
			delete(def, list)
		}
	}
	for _, t := range objectsOf(def["triggers"]) {
		if v, ok := t["async"].(bool); ok && v {
			delete(t, "async")
		}
		if t["name"] == "trigger" {
			delete(t, "name")
		}
	}
	for _, list := range []string{"steps", "triggers"} {
		for _, part := range objectsOf(def[list]) {
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

// canonicalDefinition is the form in which two definitions that mean the
// same formula are equal (reflect.DeepEqual): server fields, arguments and
// defaults removed; steps keyed by name, configuration by key, triggers and
// step flows as sorted lists; numbers and numeric strings alike
// (retryAttempts is documented as "5" and sent as 5:
// devportal:docs/guides/formulasC2/referenceAPI.md#L280-284).
func canonicalDefinition(def map[string]any) map[string]any {
	out := withoutServerFields(def)
	for _, k := range formulaArgumentFields {
		delete(out, k)
	}
	dropDefaults(out)
	normalizeScalars(out)
	for _, part := range objectsOf(out["steps"]) {
		for _, k := range []string{"onSuccess", "onFailure"} {
			if l, ok := part[k].([]any); ok {
				part[k] = sortedValues(l)
			}
		}
	}
	for _, t := range objectsOf(out["triggers"]) {
		for _, k := range []string{"onSuccess", "onFailure"} {
			if l, ok := t[k].([]any); ok {
				t[k] = sortedValues(l)
			}
		}
	}
	if m, ok := keyedBy(out["steps"], "name"); ok {
		out["steps"] = m
	}
	if m, ok := keyedBy(out["configuration"], "key"); ok {
		out["configuration"] = m
	}
	if l, ok := out["triggers"].([]any); ok {
		out["triggers"] = sortedValues(l)
	}
	return out
}

// definitionsEquivalent reports whether two definitions describe the same
// formula. Text that is not a JSON object is equal only to itself.
func definitionsEquivalent(a, b string) bool {
	if a == b {
		return true
	}
	da, errA := parseDefinition(a)
	db, errB := parseDefinition(b)
	if errA != nil || errB != nil {
		return false
	}
	ca, cb := canonicalDefinition(da), canonicalDefinition(db)
	ignoreUnlessBoth(ca, cb, formulaFilledWhenOmitted...)
	if sa, ok := ca["configuration"].(map[string]any); ok {
		if sb, ok := cb["configuration"].(map[string]any); ok {
			for k, ea := range sa {
				if eb, ok := sb[k].(map[string]any); ok {
					if ea, ok := ea.(map[string]any); ok {
						ignoreUnlessBoth(ea, eb, "required")
					}
				}
			}
		}
	}
	if sa, ok := ca["steps"].(map[string]any); ok {
		if sb, ok := cb["steps"].(map[string]any); ok {
			for k, ea := range sa {
				ignoreUnlessBoth(propertiesOf(ea), propertiesOf(sb[k]), "scriptEngine")
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

// ignoreUnlessBoth deletes each key from both maps unless both have it.
func ignoreUnlessBoth(a, b map[string]any, keys ...string) {
	for _, k := range keys {
		_, inA := a[k]
		_, inB := b[k]
		if !inA || !inB {
			delete(a, k)
			delete(b, k)
		}
	}
}

// keyedBy turns a list of objects into a map by the string field; ok is
// false (and the list is kept) when an item lacks the field or repeats it.
func keyedBy(v any, field string) (map[string]any, bool) {
	l, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make(map[string]any, len(l))
	for _, item := range l {
		o, ok := item.(map[string]any)
		if !ok {
			return nil, false
		}
		k, ok := o[field].(string)
		if _, dup := out[k]; !ok || dup {
			return nil, false
		}
		out[k] = o
	}
	return out, true
}

// sortedValues sorts a list by each item's JSON encoding: a set.
func sortedValues(l []any) []any {
	type keyed struct {
		key string
		v   any
	}
	ks := make([]keyed, len(l))
	for i, v := range l {
		b, _ := json.Marshal(v)
		ks[i] = keyed{string(b), v}
	}
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].key < ks[j].key })
	out := make([]any, len(l))
	for i, k := range ks {
		out[i] = k.v
	}
	return out
}

// normalizeScalars rewrites, in place, every number and every string that
// is a number into one form, so 5, 5.0 and "5" compare equal.
func normalizeScalars(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = normalizeScalars(x)
		}
	case []any:
		for i, x := range t {
			t[i] = normalizeScalars(x)
		}
	case json.Number:
		return numberKey(string(t))
	case string:
		if _, err := strconv.ParseFloat(t, 64); err == nil && json.Valid([]byte(t)) {
			return numberKey(t)
		}
	}
	return v
}

// numberKey is the canonical form of a JSON number literal.
func numberKey(s string) any {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return numeric(strconv.FormatInt(n, 10))
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return numeric(strconv.FormatFloat(f, 'g', -1, 64))
	}
	return s
}

// numeric marks a normalized number, so it never equals a string that is
// not one.
type numeric string

// dropNulls deletes, in place, every object field whose value is null:
// absent and null mean the same (churros:src/test/platform/formulas/faar.js#L86-97).
func dropNulls(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if x == nil {
				delete(t, k)
				continue
			}
			dropNulls(x)
		}
	case []any:
		for _, x := range t {
			dropNulls(x)
		}
	}
}

// objectsOf returns the objects in a JSON list (other items skipped).
func objectsOf(v any) []map[string]any {
	l, _ := v.([]any)
	out := make([]map[string]any, 0, len(l))
	for _, item := range l {
		if o, ok := item.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

// copyJSON deep-copies a decoded JSON value.
func copyJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = copyJSON(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = copyJSON(x)
		}
		return out
	default:
		return v
	}
}
