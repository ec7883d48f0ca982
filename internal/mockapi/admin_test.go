// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestAdminEndpoints(t *testing.T) {
	h := newHarness(t, Options{})
	m := h.create(map[string]any{"name": "n", "configuration": map[string]any{"api.secret": "s"}})
	h.do("GET", "/instances/"+itoa(idOf(t, m)), nil)

	var dump []Instance
	r := h.doURL("GET", h.srv.URL+"/__admin/instances", nil)
	wantStatus(t, r, 200)
	r.json(t, &dump)
	if len(dump) != 1 || dump[0].Configuration["api.secret"] != "s" || dump[0].Tags == nil {
		t.Errorf("dump %s", r.body)
	}
	var reqs struct {
		Counts map[string]int `json:"counts"`
		Total  int            `json:"total"`
	}
	h.doURL("GET", h.srv.URL+"/__admin/requests", nil).json(t, &reqs)
	if reqs.Total != 2 || reqs.Counts["POST /instances"] != 1 || reqs.Counts["GET /instances/{id}"] != 1 {
		t.Errorf("requests %+v", reqs)
	}

	r = h.doURL("POST", h.srv.URL+"/__admin/faults", `{"method":"get","route":"/instances","status":503,"retryAfter":"1","latency":"1ms","count":2}`)
	wantStatus(t, r, 200)
	wantStatus(t, h.doURL("POST", h.srv.URL+"/__admin/faults", `{"Mode":"html_page","Route":"/instances/{id}"}`), 200)
	wantStatus(t, h.doURL("POST", h.srv.URL+"/__admin/faults", `{"mode":4,"latency":1000}`), 200)
	wantStatus(t, h.doURL("POST", h.srv.URL+"/__admin/faults", `{"mode":"nope"}`), 400)
	wantStatus(t, h.doURL("POST", h.srv.URL+"/__admin/faults", `{"latency":"soon"}`), 400)
	var faults []faultJSON
	h.doURL("GET", h.srv.URL+"/__admin/faults", nil).json(t, &faults)
	if len(faults) != 3 || faults[0].Count != 2 || string(faults[1].Mode) != `"FaultHTMLPage"` {
		t.Errorf("faults %+v", faults)
	}
	r = h.do("GET", "/instances", nil)
	wantStatus(t, r, 503)
	if r.header.Get("Retry-After") != "1" {
		t.Error("Retry-After missing")
	}
	wantStatus(t, h.do("GET", "/instances/"+itoa(idOf(t, m)), nil), 502)
	wantStatus(t, h.doURL("DELETE", h.srv.URL+"/__admin/faults", nil), 200)
	wantStatus(t, h.do("GET", "/instances", nil), 200)
	wantStatus(t, h.doURL("DELETE", h.srv.URL+"/__admin/requests", nil), 200)
	if h.s.RequestCount("", "") != 0 {
		t.Error("admin reset did not reset")
	}
	h.doURL("GET", h.srv.URL+"/__admin/instances", nil)
	if h.s.RequestCount("", "") != 0 {
		t.Error("admin requests are recorded")
	}
	wantStatus(t, h.doURL("GET", h.srv.URL+"/__admin/nope", nil), 404)

	// AdminHandler mounts on its own too
	other := httptest.NewServer(h.s.AdminHandler())
	defer other.Close()
	wantStatus(t, h.doURL("GET", other.URL+"/__admin/instances", nil), 200)
}

func TestFaultJSONParse(t *testing.T) {
	f, err := faultJSON{Latency: []byte(`"2s"`), Mode: []byte(`"CommitThenDrop"`)}.fault()
	if err != nil || f.Latency != 2*time.Second || f.Mode != FaultCommitThenDrop {
		t.Errorf("%+v %v", f, err)
	}
	f, err = faultJSON{Mode: []byte(`"FaultNullConfigValue"`)}.fault()
	if err != nil || f.Mode != FaultNullConfigValue {
		t.Errorf("%+v %v", f, err)
	}
}
