// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func (h *harness) formula(body map[string]any) map[string]any {
	h.t.Helper()
	r := h.do("POST", "/formulas", body)
	wantStatus(h.t, r, 200)
	return r.obj(h.t)
}

func eventFormula(name string) map[string]any {
	return map[string]any{
		"name":          name,
		"configuration": []any{map[string]any{"key": "crm", "name": "CRM", "type": "elementInstance"}},
		"triggers": []any{map[string]any{"type": "event", "onSuccess": []any{"b"},
			"properties": map[string]any{"elementInstanceId": "${config.crm}"}}},
		"steps": []any{
			map[string]any{"name": "b", "type": "script", "onSuccess": []any{"a"}, "properties": map[string]any{"body": "done({})"}},
			map[string]any{"name": "a", "type": "script", "properties": map[string]any{"body": "done({})"}},
		},
	}
}

func first(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	list, _ := m[key].([]any)
	if len(list) == 0 {
		t.Fatalf("%s empty in %v", key, m)
	}
	o, _ := list[0].(map[string]any)
	return o
}

func TestFormulaCreateServerFieldsAndDefaults(t *testing.T) {
	h := newHarness(t, Options{Now: fixedClock()})
	body := eventFormula(`<a href="x">sync</a>`)
	body["id"], body["userId"], body["createdDate"] = 7, 8, "2001-01-01T00:00:00Z"
	f := h.formula(body)
	if f["name"] != "sync" || f["active"] != true || f["singleThreaded"] != false {
		t.Errorf("formula %v", f)
	}
	if f["createdDate"] != "2017-11-30T21:53:35Z" || f["userId"] == float64(8) || f["accountId"] == nil || idOf(t, f) == 7 {
		t.Errorf("server fields %v", f)
	}
	tr := first(t, f, "triggers")
	if tr["async"] != true || tr["name"] != "trigger" || tr["id"] == nil || tr["formulaId"] != f["id"] {
		t.Errorf("trigger %v", tr)
	}
	if of, _ := tr["onFailure"].([]any); of == nil || len(of) != 0 {
		t.Errorf("trigger onFailure %v", tr["onFailure"])
	}
	st := first(t, f, "steps")
	if st["name"] != "a" || st["id"] == nil || st["formulaId"] != f["id"] || st["onFailure"] == nil || st["onSuccess"] == nil {
		t.Errorf("first step (sorted by name) %v", st)
	}
	if c := first(t, f, "configuration"); c["id"] == nil || c["required"] != false {
		t.Errorf("configuration %v", c)
	}
	got, found := h.s.Formula(idOf(t, f))
	if !found || got["name"] != "sync" {
		t.Errorf("Formula() %v %v", got, found)
	}

	sent := newHarness(t, Options{FormulaStepOrder: FormulaStepsAsSent}).formula(eventFormula("x"))
	if st := first(t, sent, "steps"); st["name"] != "b" {
		t.Errorf("sent order: first step %v", st["name"])
	}
}

func TestFormulaCreateRefusals(t *testing.T) {
	h := newHarness(t, Options{})
	dupStep := eventFormula("dup")
	dupStep["steps"] = append(dupStep["steps"].([]any), map[string]any{"name": "a", "type": "script"})
	r := h.do("POST", "/formulas", dupStep)
	wantStatus(t, r, 400)
	if !strings.Contains(string(r.body), "'a'") {
		t.Errorf("message does not name the step: %s", r.body)
	}
	dupKey := eventFormula("dupkey")
	dupKey["configuration"] = append(dupKey["configuration"].([]any), map[string]any{"key": "crm", "type": "value"})
	wantStatus(t, h.do("POST", "/formulas", dupKey), 409)
	wantStatus(t, h.do("POST", "/formulas", map[string]any{"description": "no name"}), 400)
	wantStatus(t, h.do("POST", "/formulas", "[1]"), 400)
	if n := h.s.RequestCount("POST", "/formulas"); n != 4 {
		t.Errorf("RequestCount %d", n)
	}
}

func TestFormulaListGetPutDelete(t *testing.T) {
	h := newHarness(t, Options{})
	wantStatus(t, h.do("GET", "/formulas", nil), 404)
	f := h.formula(eventFormula("it's"))
	h.formula(eventFormula("other"))
	id := idOf(t, f)
	var list []map[string]any
	r := h.do("GET", "/formulas?where="+urlQuery("name = 'it''s'"), nil)
	wantStatus(t, r, 200)
	r.json(t, &list)
	if len(list) != 1 || list[0]["name"] != "it's" {
		t.Fatalf("where: %v", list)
	}
	wantStatus(t, h.do("GET", "/formulas?where="+urlQuery("name = 'none'"), nil), 404)
	empty := newHarness(t, Options{EmptyFormulas404: new(bool)})
	wantStatus(t, empty.do("GET", "/formulas", nil), 200)

	path := "/formulas/" + itoa(id)
	got := h.do("GET", path, nil).obj(t)
	stepID := first(t, got, "steps")["id"]
	put := h.do("PUT", path, map[string]any{"name": "renamed", "steps": []any{map[string]any{"name": "a", "type": "script"}}})
	wantStatus(t, put, 200)
	pm := put.obj(t)
	if pm["name"] != "renamed" || pm["createdDate"] != got["createdDate"] || len(pm["triggers"].([]any)) != 0 || pm["active"] != true {
		t.Errorf("replace: %v", pm)
	}
	if first(t, pm, "steps")["id"] != stepID {
		t.Errorf("step id changed on PUT: %v -> %v", stepID, first(t, pm, "steps")["id"])
	}
	keep := newHarness(t, Options{FormulaPutOmitted: FormulaPutKeep})
	kbody := eventFormula("k")
	kbody["description"], kbody["method"], kbody["uri"] = "d", "GET", "/thing"
	kf := keep.formula(kbody)
	if kf["api"] != "GET /thing" {
		t.Errorf("api %v", kf["api"])
	}
	km := keep.do("PUT", "/formulas/"+itoa(idOf(t, kf)), map[string]any{"name": "k2", "description": nil, "method": nil, "uri": nil}).obj(t)
	if len(km["triggers"].([]any)) != 1 || len(km["steps"].([]any)) != 2 {
		t.Errorf("keep: %v", km)
	}
	for _, k := range []string{"description", "method", "uri", "api"} {
		if _, has := km[k]; has {
			t.Errorf("null did not remove %s: %v", k, km)
		}
	}

	fi := h.do("POST", path+"/instances", map[string]any{"name": "i"})
	wantStatus(t, fi, 200)
	del := h.do("DELETE", path, nil)
	wantStatus(t, del, 409)
	if !strings.Contains(string(del.body), "instance") {
		t.Errorf("refusal does not name the cause: %s", del.body)
	}
	wantStatus(t, h.do("DELETE", path+"/instances/"+itoa(idOf(t, fi.obj(t))), nil), 200)
	wantStatus(t, h.do("DELETE", path, nil), 200)
	wantStatus(t, h.do("GET", path, nil), 404)
	if _, found := h.s.Formula(id); found {
		t.Error("formula still stored")
	}
}

func TestFormulaInstanceLifecycle(t *testing.T) {
	h := newHarness(t, Options{})
	f := h.formula(eventFormula("fi"))
	base := "/formulas/" + itoa(idOf(t, f)) + "/instances"
	wantStatus(t, h.do("POST", base, map[string]any{"name": "x", "configuration": map[string]any{"nope": "1"}}), 400)
	r := h.do("POST", base, map[string]any{"name": "<b>crm</b>", "configuration": map[string]any{"crm": 1234}})
	wantStatus(t, r, 200)
	fi := r.obj(t)
	iid := idOf(t, fi)
	ref, _ := fi["formula"].(map[string]any)
	if fi["name"] != "crm" || fi["active"] != true || fi["createdDate"] == nil || ref["id"] != f["id"] || ref["active"] != true {
		t.Errorf("instance %v", fi)
	}
	if s, isObj := fi["settings"].(map[string]any); !isObj || len(s) != 0 {
		t.Errorf("settings %v", fi["settings"])
	}
	if cfg := fi["configuration"].(map[string]any); cfg["crm"] != "1234" {
		t.Errorf("configuration %v", cfg)
	}
	path := base + "/" + itoa(iid)
	put := h.do("PUT", path, map[string]any{"name": "crm", "settings": map[string]any{"notification.email": "a@b.c"}}).obj(t)
	if put["settings"].(map[string]any)["notification.email"] != "a@b.c" {
		t.Errorf("put settings %v", put)
	}
	put = h.do("PUT", path, map[string]any{"name": "crm", "active": false}).obj(t)
	if len(put["settings"].(map[string]any)) != 0 || put["active"] != false {
		t.Errorf("settings not replaced wholesale / active: %v", put)
	}
	wantStatus(t, h.do("PUT", path+"/active", nil), 200)
	if got, _ := h.s.FormulaInstance(idOf(t, f), iid); got["active"] != true {
		t.Errorf("after PUT active: %v", got)
	}
	wantStatus(t, h.do("DELETE", path+"/active", nil), 200)
	if got := h.do("GET", path, nil).obj(t); got["active"] != false {
		t.Errorf("after DELETE active: %v", got)
	}
	var list []map[string]any
	h.do("GET", "/formulas/instances?elementInstanceId=1234", nil).json(t, &list)
	if len(list) != 1 {
		t.Errorf("by element instance: %v", list)
	}
	h.do("GET", "/formulas/instances?elementInstanceId=-1", nil).json(t, &list)
	if len(list) != 0 {
		t.Errorf("-1: %v", list)
	}
	if !h.s.MutateFormulaInstance(idOf(t, f), iid, func(m map[string]any) { m["name"] = "console" }) {
		t.Fatal("MutateFormulaInstance")
	}
	if got := h.do("GET", path, nil).obj(t); got["name"] != "console" {
		t.Errorf("mutated: %v", got)
	}
	wantStatus(t, h.do("GET", "/formulas/999999/instances/"+itoa(iid), nil), 404)
	if !h.s.RemoveFormulaInstance(idOf(t, f), iid) {
		t.Fatal("RemoveFormulaInstance")
	}
	wantStatus(t, h.do("GET", path, nil), 404)

	broken := eventFormula("broken")
	broken["triggers"] = []any{map[string]any{"type": "manual", "onSuccess": []any{"missing"}}}
	bf := h.formula(broken)
	r = h.do("POST", "/formulas/"+itoa(idOf(t, bf))+"/instances", map[string]any{"name": "x"})
	wantStatus(t, r, 400)
	if !strings.Contains(string(r.body), "missing") {
		t.Errorf("message does not name the step: %s", r.body)
	}
}

func TestFormulaExecutionsFromEvents(t *testing.T) {
	rv := newReceiver(t, nil)
	h := newHarness(t, Options{DeliveryBackoff: tiny})
	elemID, _ := h.eventsInstance(rv.srv.URL, nil)
	otherID, _ := h.eventsInstance(rv.srv.URL, nil)
	f := h.formula(eventFormula("exec"))
	base := "/formulas/" + itoa(idOf(t, f)) + "/instances"
	bound := idOf(t, h.do("POST", base, map[string]any{"name": "bound", "configuration": map[string]any{"crm": itoa(elemID)}}).obj(t))
	other := idOf(t, h.do("POST", base, map[string]any{"name": "other", "configuration": map[string]any{"crm": itoa(otherID)}}).obj(t))
	literal := eventFormula("literal")
	literal["triggers"] = []any{map[string]any{"type": "event", "properties": map[string]any{"elementInstanceId": elemID}}}
	lf := h.formula(literal)
	lit := idOf(t, h.do("POST", "/formulas/"+itoa(idOf(t, lf))+"/instances", map[string]any{"name": "lit"}).obj(t))
	off := idOf(t, h.do("POST", base, map[string]any{"name": "off", "active": false, "configuration": map[string]any{"crm": itoa(elemID)}}).obj(t))

	for range 3 {
		wantStatus(t, h.postEvent(elemID, "fake", map[string]any{"objectType": "contacts", "objectId": 1, "eventType": "CREATED"}), 200)
	}
	h.wait()
	if n := len(h.s.FormulaExecutions(bound)); n != 3 {
		t.Errorf("bound: %d executions", n)
	}
	if n := len(h.s.FormulaExecutions(lit)); n != 3 {
		t.Errorf("literal: %d executions", n)
	}
	if n := len(h.s.FormulaExecutions(other)) + len(h.s.FormulaExecutions(off)); n != 0 {
		t.Errorf("unbound or inactive: %d executions", n)
	}
	ex := h.s.FormulaExecutions(bound)[0]
	if ex.Status != "success" || ex.FormulaInstanceID != bound || ex.EventID == "" {
		t.Errorf("execution %+v", ex)
	}
	var page []FormulaExecution
	r := h.do("GET", "/formulas/instances/"+itoa(bound)+"/executions?pageSize=2", nil)
	wantStatus(t, r, 200)
	r.json(t, &page)
	tok := r.header.Get("Elements-Next-Page-Token")
	if len(page) != 2 || tok == "" {
		t.Fatalf("page 1: %d, token %q", len(page), tok)
	}
	r = h.do("GET", "/formulas/instances/"+itoa(bound)+"/executions?pageSize=2&nextPage="+tok, nil)
	r.json(t, &page)
	if len(page) != 1 || r.header.Get("Elements-Next-Page-Token") != "" {
		t.Errorf("page 2: %d, token %q", len(page), r.header.Get("Elements-Next-Page-Token"))
	}
	// A deactivated formula stops its instances' executions.
	h.s.MutateFormula(idOf(t, f), func(m map[string]any) { m["active"] = false })
	wantStatus(t, h.postEvent(elemID, "fake", map[string]any{"objectType": "contacts", "objectId": 2, "eventType": "CREATED"}), 200)
	h.wait()
	if n := len(h.s.FormulaExecutions(bound)); n != 3 {
		t.Errorf("inactive formula ran: %d", n)
	}
	if !h.s.RemoveFormula(idOf(t, f)) || h.s.FormulaExecutions(bound) != nil {
		t.Error("RemoveFormula kept its instances")
	}
}

// TestFormulaCorpusAccepted creates every documented formula template of the
// provider's replay corpus, and an instance of each.
func TestFormulaCorpusAccepted(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "provider", "testdata", "formulas", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("corpus: %v %d files", err, len(files))
	}
	h := newHarness(t, Options{})
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		r := h.do("POST", "/formulas", string(raw))
		if r.status != 200 {
			t.Errorf("%s: %d %s", filepath.Base(file), r.status, r.body)
			continue
		}
		var sent map[string]any
		if err := json.Unmarshal(raw, &sent); err != nil {
			t.Fatal(err)
		}
		f := r.obj(t)
		if len(f["steps"].([]any)) != len(asList(sent["steps"])) {
			t.Errorf("%s: steps lost", filepath.Base(file))
		}
		if i := h.do("POST", "/formulas/"+itoa(idOf(t, f))+"/instances", map[string]any{"name": "replay"}); i.status != 200 {
			t.Errorf("%s: instance: %d %s", filepath.Base(file), i.status, i.body)
		}
	}
	t.Logf("%d documented formulas accepted", len(files))
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func urlQuery(s string) string { return url.QueryEscape(s) }

// TestFormulaExport: GET /formulas/{id}/export answers the formula; an
// unknown id is 404.
func TestFormulaExport(t *testing.T) {
	h := newHarness(t, Options{})
	created := h.do("POST", "/formulas", `{"name": "exported", "steps": [{"name": "a", "type": "script", "properties": {"body": "done({});"}}]}`)
	wantStatus(t, created, 200)
	id := int64(created.obj(t)["id"].(float64))
	export := h.do("GET", "/formulas/"+strconv.FormatInt(id, 10)+"/export", nil)
	wantStatus(t, export, 200)
	if got := export.obj(t); got["name"] != "exported" || got["steps"] == nil {
		t.Errorf("export %v", got)
	}
	wantStatus(t, h.do("GET", "/formulas/-1/export", nil), 404)
}

// TestFormulaInstanceListEntries: the listings carry the whole instance, or
// (FormulaInstanceList abridged) no configuration and settings.
func TestFormulaInstanceListEntries(t *testing.T) {
	for mode, full := range map[FormulaInstanceListMode]bool{"": true, FormulaInstanceListAbridged: false} {
		h := newHarness(t, Options{FormulaInstanceList: mode})
		f := h.do("POST", "/formulas", `{"name": "f", "configuration": [{"key": "crm", "name": "crm", "type": "elementInstance"}]}`)
		wantStatus(t, f, 200)
		id := strconv.FormatInt(int64(f.obj(t)["id"].(float64)), 10)
		wantStatus(t, h.do("POST", "/formulas/"+id+"/instances", `{"name": "i", "configuration": {"crm": "1234"}}`), 200)
		for _, path := range []string{"/formulas/instances", "/formulas/" + id + "/instances", "/formulas/instances?elementInstanceId=1234"} {
			r := h.do("GET", path, nil)
			wantStatus(t, r, 200)
			var entries []map[string]any
			r.json(t, &entries)
			if len(entries) != 1 {
				t.Fatalf("%s %s: %v", mode, path, entries)
			}
			if _, has := entries[0]["configuration"]; has != full {
				t.Errorf("%q %s: configuration present %v", mode, path, has)
			}
		}
	}
}
