// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// raw sends a request and returns the transport error too (for drop modes).
func (h *harness) raw(ctx context.Context, method, path, body string) (*http.Response, []byte, error) {
	req, _ := http.NewRequestWithContext(ctx, method, h.srv.URL+Prefix+path, strings.NewReader(body))
	req.Header.Set("Authorization", testAuth)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res, b, err
}

const fakeBody = `{"element":{"key":"fake"},"name":"n","configuration":{"a":"1","z.password":"s"}}`

func TestFaultStatusAndOrder(t *testing.T) {
	h := newHarness(t, Options{})
	h.s.InjectFault(Fault{Method: "GET", Route: "/instances", Status: 429, RetryAfter: "3", Count: 2})
	h.s.InjectFault(Fault{Route: "/instances", Status: 503})
	for i, want := range []int{429, 429, 503, 200, 200} {
		r := h.do("GET", "/instances", nil)
		wantStatus(t, r, want)
		if want == 429 && r.header.Get("Retry-After") != "3" {
			t.Errorf("#%d Retry-After %q", i, r.header.Get("Retry-After"))
		}
		if want != 200 {
			m := r.obj(t)
			if m["requestId"] != r.header.Get("Elements-Request-Id") || m["requestId"] == "" || m["message"] == "" {
				t.Errorf("#%d error body %s", i, r.body)
			}
		}
	}
	// status faults do not act; method filter; forever faults; ClearFaults
	h.s.InjectFault(Fault{Method: "POST", Status: 500, Count: -1})
	for range 3 {
		wantStatus(t, h.do("POST", "/instances", fakeBody), 500)
	}
	wantStatus(t, h.do("GET", "/instances", nil), 200)
	if len(h.s.Instances()) != 0 {
		t.Error("a status fault acted")
	}
	if h.s.RequestCount("POST", "/instances") != 3 {
		t.Error("faulted requests not counted")
	}
	h.s.ClearFaults()
	wantStatus(t, h.do("POST", "/instances", fakeBody), 200)
}

func TestFaultDrops(t *testing.T) {
	h := newHarness(t, Options{})
	h.s.InjectFault(Fault{Method: "POST", Route: "/instances", Mode: FaultCommitThenDrop})
	if _, _, err := h.raw(context.Background(), "POST", "/instances", fakeBody); err == nil {
		t.Fatal("CommitThenDrop answered")
	}
	if n := len(h.s.Instances()); n != 1 {
		t.Fatalf("CommitThenDrop stored %d instances", n)
	}
	h.s.InjectFault(Fault{Method: "POST", Mode: FaultDropBeforeAct})
	if _, _, err := h.raw(context.Background(), "POST", "/instances", fakeBody); err == nil {
		t.Fatal("DropBeforeAct answered")
	}
	if n := len(h.s.Instances()); n != 1 {
		t.Fatalf("DropBeforeAct acted: %d instances", n)
	}
	reqs := h.s.Requests()
	if len(reqs) != 2 || reqs[0].Status != 0 || reqs[1].Status != 0 {
		t.Errorf("dropped requests recorded as %+v", reqs)
	}
}

func TestFaultBodies(t *testing.T) {
	h := newHarness(t, Options{})
	ctx := context.Background()

	h.s.InjectFault(Fault{Route: "/instances", Mode: FaultInvalidJSON})
	res, b, err := h.raw(ctx, "POST", "/instances", fakeBody)
	if err != nil || res.StatusCode != 200 || string(b) != `{"id": 1, "name": ` || len(h.s.Instances()) != 1 {
		t.Errorf("InvalidJSON: %v %v %q", err, res, b)
	}

	h.s.InjectFault(Fault{Route: "/instances", Mode: FaultEmptyBody})
	res, b, err = h.raw(ctx, "POST", "/instances", fakeBody)
	if err != nil || res.StatusCode != 200 || len(b) != 0 || len(h.s.Instances()) != 2 {
		t.Errorf("EmptyBody: %v %v %q", err, res, b)
	}

	h.s.InjectFault(Fault{Mode: FaultHTMLPage})
	res, b, err = h.raw(ctx, "POST", "/instances", fakeBody)
	if err != nil || res.StatusCode != 502 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(string(b), "<html>") || len(h.s.Instances()) != 2 {
		t.Errorf("HTMLPage: %v %v %q", err, res, b)
	}

	h.s.InjectFault(Fault{Mode: FaultHugeBody})
	res, b, err = h.raw(ctx, "GET", "/instances", "")
	if err != nil || res.StatusCode != 200 || len(b) < 11<<20 || !json.Valid(b) {
		t.Errorf("HugeBody: %v %v %d bytes", err, res, len(b))
	}

	h.s.InjectFault(Fault{Route: "/instances/{id}", Mode: FaultStringID, Count: 2})
	id := h.s.Instances()[0].ID
	for _, path := range []string{"/instances/" + itoa(id), "/instances"} {
		_, b, _ = h.raw(ctx, "GET", path, "")
		if path == "/instances" {
			if !strings.Contains(string(b), `"id":`+itoa(id)) {
				t.Errorf("StringID leaked onto another route: %s", b)
			}
			continue
		}
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		if m["id"] != itoa(id) {
			t.Errorf("StringID: id %#v", m["id"])
		}
	}
	var list []map[string]any
	h.s.ClearFaults()
	h.s.InjectFault(Fault{Route: "/instances", Method: "GET", Mode: FaultStringID})
	_, b, _ = h.raw(ctx, "GET", "/instances", "")
	_ = json.Unmarshal(b, &list)
	if len(list) != 2 || list[0]["id"] != itoa(id) {
		t.Errorf("StringID on list: %s", b)
	}

	h.s.InjectFault(Fault{Mode: FaultNullConfigValue, Count: 2})
	var m map[string]any
	_, b, _ = h.raw(ctx, "GET", "/instances/"+itoa(id), "")
	_ = json.Unmarshal(b, &m)
	cfg := m["configuration"].(map[string]any)
	if v, has := cfg["a"]; !has || v != nil || cfg["z.password"] != Masked || cfg["filter.response.nulls"] != "true" {
		t.Errorf("NullConfigValue: %v", cfg)
	}
	_, b, _ = h.raw(ctx, "GET", "/instances", "")
	_ = json.Unmarshal(b, &list)
	for _, in := range list {
		if v, has := in["configuration"].(map[string]any)["a"]; !has || v != nil {
			t.Errorf("NullConfigValue on the list: %s", b)
		}
	}
	if st, _ := h.s.Instance(id); st.Configuration["a"] != "1" {
		t.Error("NullConfigValue changed the store")
	}
}

func TestFaultLatency(t *testing.T) {
	h := newHarness(t, Options{})
	h.s.InjectFault(Fault{Method: "POST", Latency: time.Hour, Mode: FaultCommitThenDrop})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := h.raw(ctx, "POST", "/instances", fakeBody)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Error("latency ignored the cancelled context")
	}
	// a handler whose request is cancelled during the latency gives up
	// without acting or answering
	h.s.InjectFault(Fault{Method: "POST", Latency: time.Hour, Mode: FaultCommitThenDrop})
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	req := httptest.NewRequestWithContext(cctx, "POST", Prefix+"/instances", strings.NewReader(fakeBody))
	req.Header.Set("Authorization", testAuth)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.s.ServeHTTP(rec, req) // returns promptly
	if rec.Body.Len() != 0 || len(h.s.Instances()) != 0 {
		t.Errorf("acted after cancellation: %d %q", rec.Code, rec.Body)
	}
	if reqs := h.s.Requests(); len(reqs) != 2 || reqs[1].Status != 0 {
		t.Errorf("requests %+v", reqs)
	}

	// latency alone (Status 0): served normally, later
	h.s.InjectFault(Fault{Route: "/instances", Latency: 30 * time.Millisecond})
	start = time.Now()
	r := h.do("GET", "/instances", nil)
	wantStatus(t, r, 200)
	if time.Since(start) < 30*time.Millisecond {
		t.Error("no latency")
	}
}

func TestFaultModeString(t *testing.T) {
	if FaultHugeBody.String() != "FaultHugeBody" || FaultMode(42).String() != "FaultMode(42)" {
		t.Error(FaultHugeBody.String(), FaultMode(42).String())
	}
}

func TestFaultSparseInstanceAndInvalidates(t *testing.T) {
	h := newHarness(t, Options{})
	id := idOf(t, h.create(map[string]any{"element": map[string]any{"key": "fake"}, "name": "a"}))
	path := "/instances/" + itoa(id)

	h.s.InjectFault(Fault{Method: "PATCH", Mode: FaultSparseInstance})
	got := h.do("PATCH", path, map[string]any{"name": "b"}).obj(t)
	for _, k := range []string{"elementId", "valid", "createdDate"} {
		if _, has := got[k]; has {
			t.Errorf("SparseInstance answered %s: %v", k, got)
		}
	}
	if e, _ := got["element"].(map[string]any); e == nil || e["id"] != nil || got["name"] != "b" {
		t.Errorf("SparseInstance: %v", got)
	}
	if st, _ := h.s.Instance(id); st.Name != "b" || !st.Valid {
		t.Errorf("SparseInstance did not act, or changed validity: %+v", st)
	}

	h.s.InjectFault(Fault{Method: "PATCH", Mode: FaultInvalidates})
	got = h.do("PATCH", path, map[string]any{"name": "c"}).obj(t)
	if got["valid"] != false || got["name"] != "c" {
		t.Errorf("Invalidates answered %v", got)
	}
	if st, _ := h.s.Instance(id); st.Valid || st.Name != "c" {
		t.Errorf("Invalidates stored %+v", st)
	}
}
