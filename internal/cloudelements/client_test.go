// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewClient(t *testing.T) {
	c, err := NewClient(Config{UserSecret: testUserSecret, OrganizationSecret: testOrgSecret})
	if err != nil {
		t.Fatal(err)
	}
	if c.baseURL != DefaultBaseURL || c.userAgent != "terraform-provider-cloudelements" || c.maxRetries != 0 ||
		c.waitMin != time.Second || c.waitMax != 30*time.Second {
		t.Errorf("defaults: %+v", *c)
	}
	for _, s := range []string{c.String(), fmt.Sprintf("%v %+v %#v", c, c, c)} {
		if strings.Contains(s, testUserSecret) || strings.Contains(s, testOrgSecret) {
			t.Errorf("secret printed: %s", s)
		}
	}
	c, err = NewClient(Config{BaseURL: "https://staging.cloud-elements.com/elements/api-v2/", MaxRetries: -3})
	if err != nil {
		t.Fatal(err)
	}
	if c.baseURL != "https://staging.cloud-elements.com/elements/api-v2" || c.maxRetries != 0 {
		t.Errorf("baseURL %q, maxRetries %d", c.baseURL, c.maxRetries)
	}
	for _, bad := range []string{
		"api.cloud-elements.com/elements/api-v2", "/elements/api-v2", "ftp://example.com/x",
		"https://user:pw@example.com/x", "https://example.com/x?a=b", "https://example.com/x#f", "http://%zz", "https://",
	} {
		if _, err := NewClient(Config{BaseURL: bad}); err == nil {
			t.Errorf("NewClient(%q): no error", bad)
		} else if strings.Contains(err.Error(), "pw@") {
			t.Errorf("error shows credentials: %v", err)
		}
	}
	if _, err := NewClient(Config{UserSecret: "a\r\nX-Evil: 1"}); err == nil || strings.Contains(err.Error(), "Evil") {
		t.Errorf("secret with newline: %v", err)
	}
}

func TestHTTPClientNotModified(t *testing.T) {
	base := &http.Client{Timeout: time.Second}
	if _, err := NewClient(Config{HTTPClient: base}); err != nil {
		t.Fatal(err)
	}
	if base.CheckRedirect != nil {
		t.Error("the caller's http.Client was modified")
	}
}

func TestAPIErrorShapes(t *testing.T) {
	tests := []struct {
		name, body, contentType string
		header                  map[string]string
		status                  int
		want                    APIError
		wantText                string
	}{
		{
			name:   "json",
			status: 400, contentType: "application/json",
			body:     `{"requestId":"53dbca94","message":"Missing parameter name","providerMessage":"vendor said no"}`,
			want:     APIError{StatusCode: 400, Method: "PATCH", Path: "/instances/12", Message: "Missing parameter name", ProviderMessage: "vendor said no", RequestID: "53dbca94", Attempts: 1},
			wantText: `PATCH /instances/12: 400 Bad Request: Missing parameter name (provider: vendor said no) [request id 53dbca94]`,
		},
		{
			name:   "html",
			status: 500, contentType: "text/html",
			header: map[string]string{"Elements-Request-Id": "hdr-id"},
			body:   "<!DOCTYPE html>\n<html><head><title>\n 500  Internal   Error </title></head><body><h1>Oops</h1>" + strings.Repeat("x", 5000) + "</body></html>",
			want:   APIError{StatusCode: 500, Method: "PATCH", Path: "/instances/12", Message: "500 Internal Error", RequestID: "hdr-id", Attempts: 1},
		},
		{
			name:   "html without title",
			status: 500, contentType: "text/html",
			body: "<html><body><h1>Gateway</h1><p>" + strings.Repeat("word ", 100) + "</p></body></html>",
			want: APIError{StatusCode: 500, Method: "PATCH", Path: "/instances/12", Message: ("Gateway " + strings.Repeat("word ", 100))[:200] + "...", Attempts: 1},
		},
		{
			name:   "empty",
			status: 409, contentType: "application/json",
			header:   map[string]string{"Elements-Error": "already exists"},
			want:     APIError{StatusCode: 409, Method: "PATCH", Path: "/instances/12", Message: "already exists", Attempts: 1},
			wantText: "PATCH /instances/12: 409 Conflict: already exists",
		},
		{
			name:     "empty no header",
			status:   403,
			want:     APIError{StatusCode: 403, Method: "PATCH", Path: "/instances/12", Attempts: 1},
			wantText: "PATCH /instances/12: 403 Forbidden",
		},
		{
			name:   "plain text",
			status: 405, contentType: "text/plain",
			body: "method\n not allowed",
			want: APIError{StatusCode: 405, Method: "PATCH", Path: "/instances/12", Message: "method not allowed", Attempts: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			_, err := c.UpdateInstance(context.Background(), 12, UpdateInstanceRequest{Name: ptr("n")})
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %T %v, want *APIError", err, err)
			}
			if *apiErr != tt.want {
				t.Errorf("APIError = %+v\nwant       %+v", *apiErr, tt.want)
			}
			if tt.wantText != "" && err.Error() != tt.wantText {
				t.Errorf("Error() = %q\nwant      %q", err.Error(), tt.wantText)
			}
			if errors.Is(err, ErrNotFound) || errors.Is(err, ErrOutcomeUnknown) {
				t.Error("wrong sentinel match")
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, `{"requestId":"r1","message":"No element instance found with id 9"}`)
	})
	_, err := c.GetInstance(context.Background(), 9)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.RequestID != "r1" {
		t.Errorf("err = %#v", err)
	}
	if err := c.DeleteInstance(context.Background(), 9); err != nil { // gone is what a delete asks for
		t.Errorf("delete: %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	for name, tc := range map[string]struct{ ct, body string }{
		"invalid json": {"application/json", `{"id": 12, "name": `},
		"html":         {"text/html", `<html><body>login</body></html>`},
		"empty":        {"application/json", ""},
		"null":         {"application/json", "null"},
		"array":        {"application/json", `[{"id":12}]`},
		"wrong type":   {"application/json", `{"id": true}`},
		"bad tags":     {"application/json", `{"id": 1, "tags": "x"}`},
	} {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ct)
				_, _ = io.WriteString(w, tc.body)
			})
			_, err := c.GetInstance(context.Background(), 12)
			if err == nil || !strings.HasPrefix(err.Error(), "decoding response of GET /instances/12: ") {
				t.Fatalf("err = %v", err)
			}
			if errors.Is(err, ErrOutcomeUnknown) {
				t.Error("a GET is never outcome-unknown")
			}
			if name == "html" && !strings.Contains(err.Error(), "text/html") {
				t.Errorf("err = %v, want the content type", err)
			}
		})
	}
	// A created instance whose answer is unreadable may exist.
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"id":`) })
	_, err := c.CreateInstance(context.Background(), CreateInstanceRequest{Name: "x"})
	if !errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "decoding response of POST /instances") {
		t.Errorf("create: %v", err)
	}
	// Lists too.
	c = newTestClient(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"id":1}`) })
	if _, err := c.ListInstances(context.Background(), ListInstancesOptions{}); err == nil ||
		!strings.HasPrefix(err.Error(), "decoding response of GET /instances: ") {
		t.Errorf("list: %v", err)
	}
}

func TestResponseTooLarge(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":1,"name":"`)
		chunk := strings.Repeat("a", 64<<10)
		for i := 0; i < (MaxResponseBytes/len(chunk))+2; i++ {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, `"}`)
	})
	_, err := c.GetInstance(context.Background(), 1)
	if err == nil || !strings.Contains(err.Error(), "larger than the 10 MiB limit") {
		t.Fatalf("err = %v", err)
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name       string
		statuses   []int // answered in order, the last one repeats
		maxRetries int
		wantHits   int
		wantStatus int // 0: success
	}{
		{"503 then ok", []int{503, 503, 200}, 3, 3, 0},
		{"429 then ok", []int{429, 200}, 3, 2, 0},
		{"502 then ok", []int{502, 200}, 3, 2, 0},
		{"504 then ok", []int{504, 200}, 3, 2, 0},
		{"400 not retried", []int{400}, 3, 1, 400},
		{"401 not retried", []int{401}, 3, 1, 401},
		{"500 not retried", []int{500}, 3, 1, 500},
		{"501 not retried", []int{501}, 3, 1, 501},
		{"bounded", []int{503}, 3, 4, 503},
		{"no retries", []int{503}, 0, 1, 503},
		{"negative retries", []int{429}, -1, 1, 429},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				n := int(hits.Add(1))
				s := tt.statuses[min(n, len(tt.statuses))-1]
				if s == 429 || s == 503 {
					w.Header().Set("Retry-After", "1") // capped at RetryWaitMax (2ms)
				}
				if s == 200 {
					writeJSON(w, 200, instanceJSON)
					return
				}
				writeJSON(w, s, fmt.Sprintf(`{"message":"status %d"}`, s))
			}, func(cfg *Config) { cfg.MaxRetries = tt.maxRetries })
			start := time.Now()
			_, err := c.GetInstance(context.Background(), 12345)
			if el := time.Since(start); el > 900*time.Millisecond {
				t.Errorf("took %v: Retry-After not capped", el)
			}
			if got := int(hits.Load()); got != tt.wantHits {
				t.Errorf("%d requests, want %d", got, tt.wantHits)
			}
			if tt.wantStatus == 0 {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.wantStatus || apiErr.Attempts != tt.wantHits {
				t.Fatalf("err = %#v", err)
			}
			if tt.wantHits > 1 && !strings.HasSuffix(err.Error(), fmt.Sprintf("after %d attempts", tt.wantHits)) {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	c, err := NewClient(Config{})
	if err != nil {
		t.Fatal(err)
	}
	c.now = func() time.Time { return now }
	resp := func(status int, retryAfter string) *http.Response {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		return &http.Response{StatusCode: status, Header: h}
	}
	minW, maxW := time.Second, 30*time.Second
	for _, tc := range []struct {
		name string
		resp *http.Response
		want time.Duration
	}{
		{"429 seconds", resp(429, "7"), 7 * time.Second},
		{"503 seconds", resp(503, "12"), 12 * time.Second},
		{"http date", resp(429, now.Add(10*time.Second).Format(http.TimeFormat)), 10 * time.Second},
		{"capped", resp(503, "3600"), maxW},
		{"date capped", resp(503, now.Add(time.Hour).Format(http.TimeFormat)), maxW},
		{"zero is min", resp(429, "0"), minW},
		{"past date is min", resp(429, now.Add(-time.Hour).Format(http.TimeFormat)), minW},
	} {
		if got := c.backoff(minW, maxW, 3, tc.resp); got != tc.want {
			t.Errorf("%s: wait %v, want %v", tc.name, got, tc.want)
		}
	}
	// Without a usable Retry-After: exponential with jitter, within bounds.
	for _, r := range []*http.Response{nil, resp(502, "5"), resp(429, "soon"), resp(503, "-4")} {
		for attempt := 0; attempt < 40; attempt++ {
			ceiling := maxW
			if attempt < 5 {
				ceiling = minW << attempt
			}
			for i := 0; i < 20; i++ {
				got := c.backoff(minW, maxW, attempt, r)
				if got < minW || got > maxW || got > ceiling || got < ceiling/2 {
					t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempt, got, max(minW, ceiling/2), ceiling)
				}
			}
		}
	}
}

// dropConnection reads the request, then closes the connection unanswered.
func dropConnection(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

func TestPostNotRetriedAfterDroppedConnection(t *testing.T) {
	for _, reuse := range []bool{false, true} {
		t.Run(fmt.Sprintf("reused connection %v", reuse), func(t *testing.T) {
			var posts, gets, conns atomic.Int32
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					gets.Add(1)
					writeJSON(w, 200, instanceJSON)
					return
				}
				posts.Add(1)
				dropConnection(w, r)
			}))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.Start()
			t.Cleanup(srv.Close)
			c, err := NewClient(testConfig(srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			if reuse {
				if _, err := c.GetInstance(context.Background(), 1); err != nil {
					t.Fatal(err)
				}
			}
			_, err = c.CreateInstance(context.Background(), CreateInstanceRequest{Name: "x", Element: Element{Key: "k"}})
			if !errors.Is(err, ErrOutcomeUnknown) {
				t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
			}
			if !strings.HasPrefix(err.Error(), "POST /instances: cloudelements: request may have been carried out: ") {
				t.Errorf("err = %v", err)
			}
			if n := posts.Load(); n != 1 {
				t.Errorf("POST reached the server %d times, want 1", n)
			}
			if reuse && conns.Load() != 1 {
				t.Errorf("%d connections: the POST did not reuse the connection", conns.Load())
			}
		})
	}
}

func TestGetRetriedAfterDroppedConnection(t *testing.T) {
	var hits atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		dropConnection(w, r)
	}, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.GetInstance(context.Background(), 1)
	if err == nil || errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "giving up after 3 attempts") {
		t.Fatalf("err = %v", err)
	}
	if n := hits.Load(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestPostRetriedWhenServerDidNotAct(t *testing.T) {
	for _, status := range []int{503, 429} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			var rc recorder
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				rc.add(r)
				if rc.count() < 3 {
					writeJSON(w, status, `{"message":"busy"}`)
					return
				}
				writeJSON(w, 200, instanceJSON)
			})
			in, err := c.CreateInstance(context.Background(), CreateInstanceRequest{Name: "API Instance", Element: Element{Key: "k"}})
			if err != nil || in.ID != 12345 {
				t.Fatalf("in = %v, err = %v", in, err)
			}
			reqs := rc.all()
			if len(reqs) != 3 {
				t.Fatalf("%d requests, want 3", len(reqs))
			}
			for _, r := range reqs {
				jsonEqual(t, r.Body, `{"element":{"key":"k"},"name":"API Instance"}`)
			}
		})
	}
}

func TestPostNotRetriedOnGatewayErrors(t *testing.T) {
	for _, status := range []int{502, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			var hits atomic.Int32
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.WriteHeader(status)
				_, _ = io.WriteString(w, "<html><title>Gateway trouble</title></html>")
			})
			_, err := c.CreateInstance(context.Background(), CreateInstanceRequest{Name: "x"})
			var apiErr *APIError
			if !errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &apiErr) || apiErr.StatusCode != status || apiErr.Message != "Gateway trouble" {
				t.Fatalf("err = %v", err)
			}
			if n := hits.Load(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

func TestPostNotRetriedOn500(t *testing.T) {
	var hits atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeJSON(w, 500, `{"message":"boom"}`)
	})
	_, err := c.CreateInstance(context.Background(), CreateInstanceRequest{Name: "x"})
	if !errors.As(err, new(*APIError)) || errors.Is(err, ErrOutcomeUnknown) || hits.Load() != 1 {
		t.Fatalf("err = %v, hits %d", err, hits.Load())
	}
}

func TestPostRetriedOnConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var attempts atomic.Int32
	cfg := testConfig("http://" + addr)
	cfg.MaxRetries = 2
	cfg.Logf = func(_ context.Context, _ string, f map[string]any) { attempts.Add(1) }
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateInstance(context.Background(), CreateInstanceRequest{Name: "x"})
	if err == nil || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want a plain connection error", err)
	}
	if n := attempts.Load(); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
	if !strings.Contains(err.Error(), "giving up after 3 attempts") || strings.Contains(err.Error(), testUserSecret) {
		t.Errorf("err = %v", err)
	}
}

func TestContextCancelledDuringBackoff(t *testing.T) {
	var hits atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "30")
		writeJSON(w, 503, `{"message":"later"}`)
	}, func(cfg *Config) {
		cfg.MaxRetries = 5
		cfg.RetryWaitMin = 20 * time.Second
		cfg.RetryWaitMax = time.Minute
		cfg.Logf = func(context.Context, string, map[string]any) { cancel() } // after the first answer
	})
	start := time.Now()
	_, err := c.GetInstance(ctx, 1)
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("returned after %v", el)
	}
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
	if !strings.HasPrefix(err.Error(), "GET /instances/1: ") {
		t.Errorf("err = %v", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestPostCancelledWhileWaiting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	release := make(chan struct{})
	var once sync.Once
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		once.Do(cancel) // the request has arrived: give up waiting
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	_, err := c.CreateInstance(ctx, CreateInstanceRequest{Name: "x"})
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown and context.Canceled", err)
	}
}

func TestPostTimeoutIsOutcomeUnknown(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}, func(cfg *Config) { cfg.HTTPClient = &http.Client{Timeout: 100 * time.Millisecond} })
	defer close(release)
	_, err := c.CreateInstance(context.Background(), CreateInstanceRequest{Name: "x"})
	if !errors.Is(err, ErrOutcomeUnknown) || hits.Load() != 1 {
		t.Fatalf("err = %v, hits %d", err, hits.Load())
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	var hits atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "https://elsewhere.example/x", http.StatusFound)
	})
	_, err := c.CreateInstance(context.Background(), CreateInstanceRequest{Name: "x"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 302 || hits.Load() != 1 {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(apiErr.Message, "elsewhere.example") && !strings.Contains(apiErr.Message, "Found") {
		t.Errorf("message = %q", apiErr.Message)
	}
}

func TestLogf(t *testing.T) {
	var mu sync.Mutex
	var lines []map[string]any
	type ctxKey struct{}
	ctx := context.WithValue(context.Background(), ctxKey{}, "caller")
	var hits atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Elements-Request-Id", fmt.Sprintf("req-%d", hits.Add(1)))
		if hits.Load() == 1 {
			writeJSON(w, 503, `{}`)
			return
		}
		writeJSON(w, 200, instanceJSON)
	}, func(cfg *Config) {
		cfg.Logf = func(got context.Context, msg string, f map[string]any) {
			if got.Value(ctxKey{}) != "caller" {
				t.Error("Logf did not get the caller's context")
			}
			mu.Lock()
			lines = append(lines, f)
			mu.Unlock()
		}
	})
	if _, err := c.CreateInstance(ctx, CreateInstanceRequest{Name: "x", ProviderData: map[string]string{"code": "secret-code"}}); err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want 2", len(lines))
	}
	for i, f := range lines {
		if f["method"] != "POST" || f["path"] != "/instances" || f["attempt"] != i+1 ||
			f["request_id"] != fmt.Sprintf("req-%d", i+1) || f["status"] != []int{503, 200}[i] {
			t.Errorf("line %d: %v", i, f)
		}
		if _, ok := f["duration_ms"]; !ok {
			t.Errorf("line %d has no duration", i)
		}
		s := fmt.Sprint(f)
		for _, secret := range []string{testUserSecret, testOrgSecret, "secret-code", "ABC/Dxyz", "Authorization"} {
			if strings.Contains(s, secret) {
				t.Errorf("line %d leaks %q: %s", i, secret, s)
			}
		}
	}
}

// dialFailing is a client whose every connection attempt fails with err.
func dialFailing(t *testing.T, err error, logs *[]string) *Client {
	t.Helper()
	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		dials.Add(1)
		return nil, err
	}}
	t.Cleanup(func() { t.Logf("%d dials", dials.Load()) })
	c, cerr := NewClient(Config{
		BaseURL: "https://api.example.test/elements/api-v2", UserSecret: testUserSecret, OrganizationSecret: testOrgSecret,
		MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond,
		HTTPClient: &http.Client{Transport: tr},
		Logf: func(_ context.Context, msg string, fields map[string]any) {
			*logs = append(*logs, fmt.Sprint(msg, fields))
		},
	})
	if cerr != nil {
		t.Fatal(cerr)
	}
	return c
}

// A name that does not resolve will not resolve on a retry either: one
// attempt, and the host named.
func TestUnknownHostNotRetried(t *testing.T) {
	var logs []string
	c := dialFailing(t, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "api.example.test", IsNotFound: true}}, &logs)
	_, err := c.GetInstance(context.Background(), 1)
	if err == nil || !strings.Contains(err.Error(), "no such host") || !strings.Contains(err.Error(), "api.example.test") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "giving up after") || len(logs) != 1 {
		t.Errorf("retried: %v (%d attempts logged)", err, len(logs))
	}
}

// The OAuth URL call carries apiSecret in its query; net/http puts the URL
// in its errors. Neither the error nor the log may show it.
func TestQuerySecretRedacted(t *testing.T) {
	var logs []string
	c := dialFailing(t, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, &logs)
	_, err := c.OAuthURL(context.Background(), OAuthURLRequest{ElementKey: "sfdc", APIKey: "key", APISecret: "very-s3cret-api-secret", CallbackURL: "https://cb"})
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), "very-s3cret") || !strings.Contains(err.Error(), "/elements/sfdc/oauth/url") {
		t.Errorf("error = %v", err)
	}
	if len(logs) < 2 {
		t.Errorf("connection refused was not retried: %d attempts", len(logs))
	}
	for _, l := range logs {
		if strings.Contains(l, "very-s3cret") {
			t.Errorf("log line shows the secret: %s", l)
		}
	}
}

// Nobody listening is the answer at configure time: a refused connection is
// not retried, even with retries configured and a long backoff.
func TestCheckCredentialsRefusedNotRetried(t *testing.T) {
	var logs []string
	c := dialFailing(t, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, &logs)
	err := c.CheckCredentials(context.Background())
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v", err)
	}
	if len(logs) != 1 || strings.Contains(err.Error(), "giving up after") {
		t.Errorf("retried: %v (%d attempts logged)", err, len(logs))
	}
}

// readBody reads the whole body within the limit whatever the length
// says, and at most limit bytes.
func TestReadBody(t *testing.T) {
	body := strings.Repeat("x", 5000)
	for _, length := range []int64{-1, 0, 10, 4999, 5000, 5001, 1 << 20} {
		got, err := readBody(strings.NewReader(body), length, 1<<20)
		if err != nil || string(got) != body {
			t.Errorf("length %d: %d bytes, %v", length, len(got), err)
		}
	}
	got, err := readBody(strings.NewReader(body), 5000, 100)
	if err != nil || len(got) != 100 {
		t.Errorf("over the limit: %d bytes, %v; want 100", len(got), err)
	}
}
