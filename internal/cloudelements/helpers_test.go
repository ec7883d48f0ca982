// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"
)

const (
	testUserSecret = "usr-s3cret-value"
	testOrgSecret  = "org-s3cret-value"
	testAgent      = "terraform-provider-cloudelements/test terraform/1.9"
	testBasePath   = "/elements/api-v2"
)

// recorded is one request as the test server saw it.
type recorded struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

// recorder collects requests; safe for concurrent handlers.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

func (rc *recorder) add(r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec := recorded{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, rec)
	rc.mu.Unlock()
}

func (rc *recorder) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.reqs)
}

func (rc *recorder) all() []recorded {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]recorded(nil), rc.reqs...)
}

// testConfig is a config with tiny waits, for a server at url.
func testConfig(url string) Config {
	return Config{
		BaseURL:            url + testBasePath + "/",
		UserSecret:         testUserSecret,
		OrganizationSecret: testOrgSecret,
		MaxRetries:         3,
		UserAgent:          testAgent,
		RetryWaitMin:       time.Millisecond,
		RetryWaitMax:       2 * time.Millisecond,
	}
}

// newTestClient starts a server with h and returns a client for it; mod may
// change the config.
func newTestClient(t *testing.T, h http.HandlerFunc, mod ...func(*Config)) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := testConfig(srv.URL)
	for _, m := range mod {
		m(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// jsonEqual compares two JSON texts by value.
func jsonEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("request body is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("body = %s\nwant   %s", got, want)
	}
}

func ptr[T any](v T) *T { return &v }

const instanceJSON = `{"id": 12345, "name": "API Instance", "createdDate": "2017-11-30T21:53:35Z",
 "token": "ABC/Dxyz=", "element": {"id": 5127, "key": "campaignmonitor", "name": "Campaign Monitor", "extra": 1},
 "elementId": 5127, "tags": ["Docs"], "provisionInteractions": [], "valid": true,
 "disabled": false, "maxCacheSize": 0, "configuration": {"event.notification.enabled": "true",
 "oauth.api.secret": "********", "nullable": null}, "eventsEnabled": true,
 "externalAuthentication": "none", "user": {"id": 123456}}`
