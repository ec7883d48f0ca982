// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"net/http"
	"regexp"
	"testing"
)

var hexID = regexp.MustCompile(`^[0-9a-f]{24}$`)

func TestAuth(t *testing.T) {
	h := newHarness(t, Options{})
	in := h.create(map[string]any{"name": "a"})
	tok := in["token"].(string)
	cases := []struct {
		name, auth string
		want       int
	}{
		{"exact", "User user-secret, Organization org-secret", 200},
		{"spacing", "  User   user-secret ,Organization\torg-secret  ", 200},
		{"with element token", "User user-secret, Organization org-secret, Element " + tok, 200},
		{"dead element token", "User user-secret, Organization org-secret, Element nope", 401},
		{"missing", "", 401},
		{"wrong user", "User x, Organization org-secret", 401},
		{"wrong org", "User user-secret, Organization x", 401},
		{"swapped order", "Organization org-secret, User user-secret", 401},
		{"bearer", "Bearer abc", 401},
		{"extra part", "User user-secret, Organization org-secret, Element " + tok + ", Foo bar", 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := h.do("GET", "/instances", nil, "Authorization", c.auth)
			wantStatus(t, r, c.want)
			if !hexID.MatchString(r.header.Get("Elements-Request-Id")) {
				t.Errorf("Elements-Request-Id %q", r.header.Get("Elements-Request-Id"))
			}
			if c.want == 401 {
				m := r.obj(t)
				if m["message"] != "Invalid Organization or User secret, or invalid Element token provided." {
					t.Errorf("message %v", m["message"])
				}
				if m["requestId"] != r.header.Get("Elements-Request-Id") {
					t.Errorf("requestId %v vs header %q", m["requestId"], r.header.Get("Elements-Request-Id"))
				}
			}
		})
	}

	custom := newHarness(t, Options{UserSecret: "u", OrganizationSecret: "o"})
	wantStatus(t, custom.do("GET", "/instances", nil), 401)
	wantStatus(t, custom.do("GET", "/instances", nil, "Authorization", "User u, Organization o"), 200)
}

func TestRoutingErrors(t *testing.T) {
	h := newHarness(t, Options{})
	wantStatus(t, h.do("GET", "/nope", nil), 404)
	wantStatus(t, h.doURL("GET", h.srv.URL+"/other", nil, "Authorization", testAuth), 404)
	r := h.do("POST", "/instances/5", map[string]any{})
	wantStatus(t, r, 405)
	if r.header.Get("Allow") == "" {
		t.Error("405 without Allow")
	}
	wantStatus(t, h.do("DELETE", "/instances", nil), 405)
	r = h.do("POST", "/instances", `{"name":"x","element":{"key":"fake"}}`, "Content-Type", "text/plain")
	wantStatus(t, r, 415)
	wantStatus(t, h.do("POST", "/instances", `{"name":"x","element":{"key":"fake"}}`, "Content-Type", "application/json; charset=utf-8"), 200)
	wantStatus(t, h.do("GET", "/instances", nil, "Accept", "text/html"), 406)
	wantStatus(t, h.do("GET", "/instances", nil, "Accept", "application/json, text/plain, */*"), 200)
	wantStatus(t, h.do("POST", "/instances", `{"name":`), 400)
	wantStatus(t, h.do("POST", "/instances", `[1]`), 400)
	wantStatus(t, h.do("POST", "/instances", ``), 400)
	r = h.do("GET", "/instances/abc", nil)
	wantStatus(t, r, 400)
	if r.header.Get("Content-Type") != "application/json" {
		t.Errorf("content type %q", r.header.Get("Content-Type"))
	}
	// trailing slash is tolerated
	wantStatus(t, h.do("GET", "/instances/", nil), 200)
}

func TestRequestCounting(t *testing.T) {
	h := newHarness(t, Options{})
	in := h.create(map[string]any{"name": "a", "tags": []string{"x"}})
	id := idOf(t, in)
	path := "/instances/" + itoa(id)
	h.do("GET", path, nil)
	h.do("GET", path, nil)
	h.do("PATCH", path, map[string]any{"name": "b"})
	h.do("GET", "/instances?tags[]=x", nil)
	h.do("GET", "/instances/999999", nil)
	h.do("GET", "/bogus", nil)
	h.do("GET", path, nil, "Authorization", "nope")

	checks := []struct {
		method, route string
		want          int
	}{
		{"POST", "/instances", 1},
		{"GET", "/instances/{id}", 4},
		{"PATCH", "/instances/{id}", 1},
		{"GET", "/instances", 1},
		{"", "/instances/{id}", 5},
		{"get", "/instances/{id}", 4},
		{"GET", "/bogus", 1},
		{"", "", 8},
	}
	for _, c := range checks {
		if got := h.s.RequestCount(c.method, c.route); got != c.want {
			t.Errorf("RequestCount(%q,%q)=%d want %d", c.method, c.route, got, c.want)
		}
	}
	reqs := h.s.Requests()
	if len(reqs) != 8 {
		t.Fatalf("%d requests", len(reqs))
	}
	p := reqs[3]
	if p.Method != "PATCH" || p.Route != "/instances/{id}" || p.Path != Prefix+path || string(p.Body) != `{"name":"b"}` || p.Status != 200 {
		t.Errorf("patch request recorded as %+v", p)
	}
	if q := reqs[4].Query["tags[]"]; len(q) != 1 || q[0] != "x" {
		t.Errorf("query %v", reqs[4].Query)
	}
	if reqs[5].Status != 404 || reqs[7].Status != 401 || reqs[0].Time.IsZero() {
		t.Errorf("statuses %d %d", reqs[5].Status, reqs[7].Status)
	}
	reqs[3].Body[0] = 'X' // copies, not the store's
	if h.s.Requests()[3].Body[0] != '{' {
		t.Error("Requests leaks internal body")
	}
	h.s.ResetRequests()
	if h.s.RequestCount("", "") != 0 || len(h.s.Requests()) != 0 {
		t.Error("ResetRequests did not reset")
	}
}

func itoa(id int64) string { return itoa64(id).(string) }

var _ http.Handler = (*Server)(nil)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A program that replaced http.DefaultTransport still gets a working server.
func TestNewTransportFallback(t *testing.T) {
	old := http.DefaultTransport
	t.Cleanup(func() { http.DefaultTransport = old })
	http.DefaultTransport = roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, nil })
	if tr := newTransport(); tr == nil {
		t.Fatal("no transport")
	}
	s := New(Options{})
	defer s.Close()
	if s.client.Transport == nil {
		t.Error("delivery client without a transport")
	}
}

func TestOptionsValidate(t *testing.T) {
	good := []Options{{}, {PatchNull: "reset", PutAbsentKeys: "keep", TagsFilter: "any", SearchText: "ignore",
		Paging: "always-token", CatalogStatus: 403}}
	for _, o := range good {
		if err := o.Validate(); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
	bad := []Options{{PatchNull: "drop"}, {PutAbsentKeys: "x"}, {TagsFilter: "some"}, {SearchText: "honor"},
		{Paging: "offset"}, {CatalogStatus: 42}}
	for _, o := range bad {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("New accepted invalid Options")
		}
	}()
	New(Options{Paging: "pages"})
}
