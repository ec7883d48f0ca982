// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package formuladef

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The three forms a configuration is written in, for one formula: by hand
// (flow order, nothing the server adds), a doctor export (server defaults,
// top-level id, no accountId/userId/createdDate/part ids), and a GET
// /formulas/{id} body (everything, steps sorted by name).
const (
	handWritten = `{
  "configuration": [{"key": "crm", "name": "crm", "type": "elementInstance"}],
  "triggers": [{"type": "event", "properties": {"elementInstanceId": "${config.crm}"}, "onSuccess": ["fetch"]}],
  "steps": [
    {"name": "fetch", "type": "elementRequest", "properties": {"elementInstanceId": "${config.crm}", "method": "GET", "api": "/hubs/crm/contacts"}, "onSuccess": ["notify"]},
    {"name": "notify", "type": "script", "properties": {"body": "done({ok: true});"}}
  ]
}`
	doctorExport = `{"id": 71, "name": "crm-sync", "active": true, "singleThreaded": false, "engine": "v3", "debugLoggingEnabled": false,
  "configuration": [{"key": "crm", "name": "crm", "type": "elementInstance", "required": true}],
  "triggers": [{"type": "event", "async": true, "name": "trigger", "properties": {"elementInstanceId": "${config.crm}"}, "onSuccess": ["fetch"], "onFailure": []}],
  "steps": [
    {"name": "fetch", "type": "elementRequest", "properties": {"elementInstanceId": "${config.crm}", "method": "GET", "api": "/hubs/crm/contacts"}, "onSuccess": ["notify"], "onFailure": []},
    {"name": "notify", "type": "script", "properties": {"body": "done({ok: true});"}, "onSuccess": [], "onFailure": []}
  ]}`
	getBody = `{"id": 71, "userId": 9, "accountId": 8, "createdDate": "2026-12-01T10:00:00Z", "name": "crm-sync", "active": true,
  "singleThreaded": false, "engine": "v3", "debugLoggingEnabled": false,
  "configuration": [{"id": 301, "key": "crm", "name": "crm", "type": "elementInstance", "required": true}],
  "triggers": [{"id": 401, "formulaId": 71, "type": "event", "async": true, "name": "trigger", "properties": {"elementInstanceId": "${config.crm}"}, "onSuccess": ["fetch"], "onFailure": []}],
  "steps": [
    {"id": 502, "formulaId": 71, "name": "fetch", "type": "elementRequest", "properties": {"api": "/hubs/crm/contacts", "elementInstanceId": "${config.crm}", "method": "GET"}, "onSuccess": ["notify"], "onFailure": []},
    {"id": 501, "formulaId": 71, "name": "notify", "type": "script", "properties": {"body": "done({ok: true});", "scriptEngine": "v2"}, "onSuccess": [], "onFailure": []}
  ]}`
)

// consoleEdit is the server's answer after the console changed one step's
// script: steps come back sorted by name, with every server field.
var consoleEdit = strings.Replace(getBody, "done({ok: true});", "done({ok: false});", 1)

func decoded(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%v: %s", err, s)
	}
	return v
}

// TestReshapeKeepsTheForm: after a console edit of one step, the state
// keeps the configuration's form, whichever it is, and differs from it in
// that step only: no server field is added or dropped, steps keep their
// order.
func TestReshapeKeepsTheForm(t *testing.T) {
	for name, prior := range map[string]string{"by hand": handWritten, "doctor export": doctorExport, "GET body": getBody} {
		got, err := Reshape(prior, json.RawMessage(consoleEdit))
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Replace(prior, "done({ok: true});", "done({ok: false});", 1)
		if !reflect.DeepEqual(decoded(t, got), decoded(t, want)) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
		if !Equivalent(got, consoleEdit) {
			t.Errorf("%s: the result is not the server's formula: %s", name, got)
		}
	}
}

// TestReshapeSameFormula: a read of the same formula keeps prior's text.
func TestReshapeSameFormula(t *testing.T) {
	for _, prior := range []string{handWritten, doctorExport, getBody} {
		if got, err := Reshape(prior, json.RawMessage(getBody)); err != nil || got != prior {
			t.Errorf("Reshape changed an equivalent definition: %v\n%s", err, got)
		}
	}
}

// TestReshapeAddedAndRemovedParts: a step removed on the server goes; one
// added comes after prior's, without server fields or defaults; a variable
// changed takes the server's value in prior's place.
func TestReshapeAddedAndRemovedParts(t *testing.T) {
	server := `{"id": 71, "userId": 9, "engine": "v3",
  "configuration": [{"id": 301, "key": "crm", "name": "CRM instance", "type": "elementInstance", "required": true}],
  "triggers": [{"id": 401, "type": "event", "async": true, "name": "trigger", "properties": {"elementInstanceId": "${config.crm}"}, "onSuccess": ["fetch"], "onFailure": []}],
  "steps": [
    {"id": 503, "name": "audit", "type": "script", "properties": {"body": "done({});"}, "onSuccess": [], "onFailure": []},
    {"id": 502, "name": "fetch", "type": "elementRequest", "properties": {"api": "/hubs/crm/contacts", "elementInstanceId": "${config.crm}", "method": "GET"}, "onSuccess": [], "onFailure": []}
  ]}`
	got, err := Reshape(handWritten, json.RawMessage(server))
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "configuration": [{"key": "crm", "name": "CRM instance", "type": "elementInstance"}],
  "triggers": [{"type": "event", "properties": {"elementInstanceId": "${config.crm}"}, "onSuccess": ["fetch"]}],
  "steps": [
    {"name": "fetch", "type": "elementRequest", "properties": {"elementInstanceId": "${config.crm}", "method": "GET", "api": "/hubs/crm/contacts"}},
    {"name": "audit", "type": "script", "properties": {"body": "done({});"}}
  ]
}`
	if !reflect.DeepEqual(decoded(t, got), decoded(t, want)) {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if !Equivalent(got, server) {
		t.Errorf("the result is not the server's formula: %s", got)
	}
}

// TestReshapeNotAnObject: prior text that is not a definition gives the
// server's stored form.
func TestReshapeNotAnObject(t *testing.T) {
	got, err := Reshape("not json", json.RawMessage(getBody))
	stored, _ := Stored(json.RawMessage(getBody))
	if err != nil || got != stored {
		t.Errorf("got %s, %v; want %s", got, err, stored)
	}
}

// TestIgnoredAdditions: what a GET body adds to the form read at import.
func TestIgnoredAdditions(t *testing.T) {
	stored, _ := Stored(json.RawMessage(getBody))
	got := IgnoredAdditions(stored, getBody)
	for _, want := range []string{"accountId", "createdDate", "id", "userId", `steps["notify"].id`, `steps["fetch"].formulaId`, `configuration["crm"].id`} {
		if !slices.Contains(got, want) {
			t.Errorf("%s not among %v", want, got)
		}
	}
	if got := IgnoredAdditions(handWritten, handWritten); len(got) != 0 {
		t.Errorf("the same text: %v", got)
	}
}
