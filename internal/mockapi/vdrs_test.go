// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

const (
	defPath   = "/organizations/objects/myContacts/definitions"
	transPath = "/organizations/elements/sfdc/transformations/myContacts"
)

func createContactDefinition(h *harness) {
	h.t.Helper()
	wantStatus(h.t, h.do("POST", defPath, `{"fields": [{"path": "id", "type": "string"}, {"path": "LastName", "type": "string"},
		{"path": "birthdate", "type": "date"}, {"path": "FirstName", "type": "string"}]}`), 200)
}

func TestVdrDefinitionShape(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.do("POST", defPath, `{"fields": [{"path": "id", "type": "string"}, {"path": "LastName", "type": "string"},
		{"path": "birthdate", "type": "date"}, {"path": "FirstName", "type": "string"}]}`)
	wantStatus(t, r, 200)
	want := map[string]any{"level": "organization", "fields": []any{
		map[string]any{"type": "date", "path": "birthdate", "level": "organization"},
		map[string]any{"type": "string", "path": "FirstName", "level": "organization"},
		map[string]any{"type": "string", "path": "id", "level": "organization"},
		map[string]any{"type": "string", "path": "LastName", "level": "organization"},
	}}
	if got := r.obj(t); !reflect.DeepEqual(got, want) {
		t.Errorf("POST answer %v\nwant %v", got, want)
	}
	get := h.do("GET", defPath, nil)
	wantStatus(t, get, 200)
	if got := get.obj(t); !reflect.DeepEqual(got, want) {
		t.Errorf("GET answer %v\nwant %v", got, want)
	}
	wantStatus(t, h.do("POST", defPath, `{"fields": []}`), 409)
	put := h.do("PUT", defPath, `{"fields": [{"path": "id", "type": "number"}]}`)
	wantStatus(t, put, 200)
	if d, _ := h.s.Definition("myContacts"); len(d.Fields) != 1 || d.Fields[0].Type != "number" {
		t.Errorf("after PUT: %+v", d)
	}
	wantStatus(t, h.do("PUT", "/organizations/objects/other/definitions", `{"fields": []}`), 404)
	wantStatus(t, h.do("GET", "/organizations/objects/other/definitions", nil), 404)
	wantStatus(t, h.do("POST", "/organizations/objects/x/definitions", `{"fields": [{"path": "a"}]}`), 400)
	wantStatus(t, h.do("POST", "/organizations/objects/x/definitions", `{}`), 400)
	wantStatus(t, h.do("DELETE", defPath, nil), 200)
	wantStatus(t, h.do("DELETE", defPath, nil), 404)
	if h.s.RequestCount("POST", vdrDefinitionRoute) != 4 || h.s.RequestCount("", vdrDefinitionRoute) != 10 {
		t.Errorf("request counts: %d POST, %d in all", h.s.RequestCount("POST", vdrDefinitionRoute), h.s.RequestCount("", vdrDefinitionRoute))
	}
}

func TestVdrOptions(t *testing.T) {
	h := newHarness(t, Options{VDRs: VDROptions{FieldOrder: "as-sent", UndefinedPaths: "accept", ExistingDefinition: "replace"}})
	createContactDefinition(h)
	createContactDefinition(h) // replace: no 409
	if d, _ := h.s.Definition("myContacts"); d.Fields[0].Path != "id" {
		t.Errorf("as-sent order changed: %+v", d.Fields)
	}
	r := h.do("POST", transPath, `{"vendorName": "Contact", "fields": [{"path": "nope", "vendorPath": "X"}]}`)
	wantStatus(t, r, 200)
	if f := r.obj(t)["fields"].([]any)[0].(map[string]any); f["type"] != nil || f["level"] != "organization" {
		t.Errorf("undefined path accepted as %v", f)
	}
	if err := (Options{VDRs: VDROptions{FieldOrder: "random"}}).Validate(); err == nil || !strings.Contains(err.Error(), "FieldOrder") {
		t.Errorf("Validate: %v", err)
	}
}

func TestVdrTransformationShape(t *testing.T) {
	h := newHarness(t, Options{Now: fixedClock()})
	wantStatus(t, h.do("POST", transPath, `{"vendorName": "Contact", "fields": []}`), 400) // no definition yet
	createContactDefinition(h)
	wantStatus(t, h.do("POST", transPath, `{"vendorName": "Contact", "fields": [{"path": "nope", "vendorPath": "X"}]}`), 400)
	wantStatus(t, h.do("POST", "/organizations/elements/intacct/transformations/myContacts", `{"vendorName": "", "fields": []}`), 200)
	wantStatus(t, h.do("PUT", "/organizations/elements/hubspot/transformations/myContacts", `{"vendorName": "C", "fields": []}`), 404)
	r := h.do("POST", transPath, `{"vendorName": "Contact",
		"fields": [{"path": "id", "vendorPath": "Id"}, {"path": "birthdate", "vendorPath": "Birthdate", "vendorType": "date", "type": "string"}],
		"configuration": [{"type": "passThrough", "properties": {"fromVendor": false, "toVendor": false}}, {"type": "inherit", "level": "account"}],
		"script": {"body": "done(transformedObject);"}}`)
	wantStatus(t, r, 200)
	want := map[string]any{
		"level": "organization", "objectName": "myContacts", "elementKey": "sfdc", "vendorName": "Contact",
		"startDate": "2017-11-30 21:53:35.123456", "isLegacy": false,
		"fields": []any{
			map[string]any{"type": "date", "path": "birthdate", "vendorPath": "Birthdate", "vendorType": "date", "level": "organization"},
			map[string]any{"type": "string", "path": "id", "vendorPath": "Id", "level": "organization"},
		},
		"configuration": []any{
			map[string]any{"type": "passThrough", "properties": map[string]any{"fromVendor": false, "toVendor": false}, "level": "organization"},
			map[string]any{"type": "inherit", "level": "account"},
		},
		"script": map[string]any{"body": "done(transformedObject);", "mimeType": "application/javascript", "level": "organization", "filterEmptyResponse": false},
	}
	if got := r.obj(t); !reflect.DeepEqual(got, want) {
		t.Errorf("POST answer %v\nwant %v", got, want)
	}
	if got := h.do("GET", transPath, nil).obj(t); !reflect.DeepEqual(got, want) {
		t.Errorf("GET answer %v\nwant %v", got, want)
	}
	// The element's catalog id names it too.
	id := strconv.FormatInt(mustElement(t, "sfdc").ID, 10)
	wantStatus(t, h.do("GET", "/organizations/elements/"+id+"/transformations/myContacts", nil), 200)

	// v2 -> v1 is refused; PUT replaces.
	wantStatus(t, h.do("PUT", transPath, `{"vendorName": "Contact", "isLegacy": true, "fields": []}`), 400)
	wantStatus(t, h.do("PUT", transPath, `{"vendorName": "Contact2", "fields": [{"path": "id", "vendorPath": "Id"}]}`), 200)
	tr, _ := h.s.Transformation("sfdc", "myContacts")
	if tr.VendorName != "Contact2" || len(tr.Fields) != 1 || tr.Configuration != nil || tr.Script != nil {
		t.Errorf("after PUT: %+v", tr)
	}
}

func TestVdrMappedDefinitionCannotBeDeleted(t *testing.T) {
	h := newHarness(t, Options{})
	createContactDefinition(h)
	for _, key := range []string{"sfdc", "hubspot"} {
		wantStatus(t, h.do("POST", "/organizations/elements/"+key+"/transformations/myContacts",
			`{"vendorName": "Contact", "fields": [{"path": "id", "vendorPath": "Id"}]}`), 200)
	}
	list := h.do("GET", "/organizations/objects/myContacts/transformations", nil)
	wantStatus(t, list, 200)
	var entries []map[string]any
	list.json(t, &entries)
	if len(entries) != 2 || entries[0]["element"].(map[string]any)["key"] != "hubspot" || entries[0]["level"] != "organization" {
		t.Errorf("object transformations %v", entries)
	}
	r := h.do("DELETE", defPath, nil)
	wantStatus(t, r, 409)
	if msg, _ := r.obj(t)["message"].(string); !strings.Contains(msg, "hubspot, sfdc") {
		t.Errorf("409 message %q does not name the elements", msg)
	}
	wantStatus(t, h.do("DELETE", transPath, nil), 200)
	wantStatus(t, h.do("DELETE", transPath, nil), 404)
	wantStatus(t, h.do("DELETE", "/organizations/elements/hubspot/transformations/myContacts", nil), 200)
	wantStatus(t, h.do("DELETE", defPath, nil), 200)
	empty := h.do("GET", "/organizations/objects/myContacts/transformations", nil)
	if wantStatus(t, empty, 200); strings.TrimSpace(string(empty.body)) != "[]" {
		t.Errorf("empty list %s", empty.body)
	}
}

func TestVdrAccessors(t *testing.T) {
	h := newHarness(t, Options{})
	createContactDefinition(h)
	wantStatus(t, h.do("POST", transPath, `{"vendorName": "Contact", "fields": [{"path": "id", "vendorPath": "Id"}]}`), 200)
	if !h.s.MutateDefinition("myContacts", func(d *Definition) {
		d.Fields = append(d.Fields, DefinitionField{Path: "console", Type: "string"})
	}) || h.s.MutateDefinition("nope", func(*Definition) {}) {
		t.Fatal("MutateDefinition")
	}
	if d, _ := h.s.Definition("myContacts"); d.Fields[len(d.Fields)-1].Level != "organization" {
		t.Errorf("mutated field without level: %+v", d.Fields)
	}
	if !h.s.MutateTransformation("sfdc", "myContacts", func(tr *Transformation) { tr.VendorName = "Lead" }) {
		t.Fatal("MutateTransformation")
	}
	if got := h.do("GET", transPath, nil).obj(t)["vendorName"]; got != "Lead" {
		t.Errorf("vendorName %v", got)
	}
	if len(h.s.Definitions()) != 1 || len(h.s.Transformations()) != 1 {
		t.Error("listing accessors")
	}
	if !h.s.RemoveTransformation("sfdc", "myContacts") || h.s.RemoveTransformation("sfdc", "myContacts") {
		t.Error("RemoveTransformation")
	}
	if !h.s.RemoveDefinition("myContacts") || len(h.s.Definitions()) != 0 {
		t.Error("RemoveDefinition")
	}
}

func mustElement(t *testing.T, key string) ElementInfo {
	t.Helper()
	e, ok := LookupElement(key)
	if !ok {
		t.Fatalf("no element %q", key)
	}
	return e
}

// TestVdrLists: the definitions list and an element's transformations list
// terraform query reads, under each reading of what no source settles.
func TestVdrLists(t *testing.T) {
	for _, o := range []VDROptions{{}, {EmptyList: "not-found", TransformationListLevel: "none"}} {
		h := newHarness(t, Options{VDRs: o})
		empty := 200
		if o.EmptyList == "not-found" {
			empty = 404
		}
		wantStatus(t, h.do("GET", "/organizations/objects/definitions", nil), empty)
		wantStatus(t, h.do("GET", "/organizations/elements/sfdc/transformations", nil), empty)
		createContactDefinition(h)
		wantStatus(t, h.do("POST", transPath, `{"vendorName": "Contact", "fields": [{"path": "id", "vendorPath": "Id"}]}`), 200)
		defs := h.do("GET", "/organizations/objects/definitions", nil)
		wantStatus(t, defs, 200)
		got := defs.obj(t)
		if got["level"] != "organization" || got["myContacts"].(map[string]any)["fields"] == nil || len(got) != 2 {
			t.Errorf("%+v: definitions list %v", o, got)
		}
		list := h.do("GET", "/organizations/elements/sfdc/transformations", nil)
		wantStatus(t, list, 200)
		byName := list.obj(t)
		if tr, _ := byName["myContacts"].(map[string]any); tr["vendorName"] != "Contact" {
			t.Errorf("%+v: transformations list %v", o, byName)
		}
		if _, has := byName["level"]; has != (o.TransformationListLevel != "none") {
			t.Errorf("%+v: level key %v in %v", o, has, byName)
		}
	}
}

// TestVdrTypeChange: a definition's type change leaves the transformations
// with the type they were written with, unless TypeChange propagates it.
func TestVdrTypeChange(t *testing.T) {
	for mode, want := range map[string]string{"keep": "string", "propagate": "number"} {
		h := newHarness(t, Options{VDRs: VDROptions{TypeChange: mode}})
		createContactDefinition(h)
		wantStatus(t, h.do("POST", transPath, `{"vendorName": "Contact", "fields": [{"path": "id", "vendorPath": "Id"}]}`), 200)
		wantStatus(t, h.do("PUT", defPath, `{"fields": [{"path": "id", "type": "number"}]}`), 200)
		if tr, _ := h.s.Transformation("sfdc", "myContacts"); tr.Fields[0].Type != want {
			t.Errorf("%s: the transformation holds type %q, want %q", mode, tr.Fields[0].Type, want)
		}
	}
}
