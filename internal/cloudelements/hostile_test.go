// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

// Hostile and broken responses not covered by client_test.go and
// decode_test.go: broken create answers (the API acted: outcome unknown),
// truncated bodies, oversized and hostile error bodies, and a fuzzer over
// the whole response path of every call.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// A 2xx answer to a create that cannot be read means the instance may exist.
func TestCreateWithUnreadableSuccess(t *testing.T) {
	huge := `{"id":1,"name":"` + strings.Repeat("x", MaxResponseBytes) + `"}`
	for name, tc := range map[string]struct{ ct, body, want string }{
		"html":      {"text/html", "<html><title>Login</title></html>", "got an HTML/XML page instead of JSON (Content-Type text/html)"},
		"empty":     {"application/json", "", "empty body where a JSON value was expected"},
		"huge":      {"application/json", huge, "body is larger than the 10 MiB limit"},
		"not an id": {"application/json", `{"id":"abc"}`, `"abc" is not an integer`},
		"array":     {"application/json", `[{"id":1}]`, "expected a JSON object"},
	} {
		t.Run(name, func(t *testing.T) {
			var hits int
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				hits++
				w.Header().Set("Content-Type", tc.ct)
				_, _ = io.WriteString(w, tc.body)
			})
			_, err := c.CreateInstance(context.Background(), CreateInstanceRequest{Name: "x"})
			if !errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %.300v\nwant ErrOutcomeUnknown and %q", err, tc.want)
			}
			if hits != 1 {
				t.Errorf("%d POSTs, want 1", hits)
			}
		})
	}
}

// A body cut short (the connection closes before Content-Length bytes) is a
// read error; for a create it may have been carried out.
func TestTruncatedBody(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"id": 1, "na`)
	})
	_, err := c.GetInstance(context.Background(), 1)
	if err == nil || errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "decoding response of GET /instances/1: reading body: unexpected EOF") {
		t.Errorf("get: %v", err)
	}
	_, err = c.CreateInstance(context.Background(), CreateInstanceRequest{Name: "x"})
	if !errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "unexpected EOF") {
		t.Errorf("create: %v", err)
	}
}

// Answers the client does not expect in shape but can use.
func TestToleratedAnswers(t *testing.T) {
	ctx := context.Background()
	answer := func(body string) *Client {
		c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) })
		return c
	}
	in, err := answer(`{"id":"12345","name":"n","brandNew":{"nested":[1,{"x":null}]},"configuration":{"k":null},"tags":null}`).
		CreateInstance(ctx, CreateInstanceRequest{Name: "n"})
	if err != nil || in.ID != 12345 || in.Configuration["k"] != nil || in.Tags == nil {
		t.Errorf("create with a string id and unknown fields: %+v, %v", in, err)
	}
	list, err := answer(`null`).ListInstances(ctx, ListInstancesOptions{})
	if err != nil || list == nil || len(list) != 0 {
		t.Errorf("list of null: %#v, %v", list, err)
	}
	if err := answer(``).DeleteInstance(ctx, 1); err != nil {
		t.Errorf("delete answered with an empty body: %v", err)
	}
}

// An error body that is huge, or carries terminal escape sequences and line
// breaks, still makes a short, single-line, printable error.
func TestHostileErrorBodies(t *testing.T) {
	for name, body := range map[string]string{
		"huge json":   `{"requestId":"r1","message":"` + strings.Repeat("m", 1<<20) + `"}`,
		"huge text":   strings.Repeat("<p>oops</p>", 1<<17),
		"escapes":     `{"requestId":"r\u001b[2J","message":"boom\u001b[31m red\r\nInjected: yes\u0007","providerMessage":"\u0000x"}`,
		"escape text": "plain \x1b[31mred\x1b[0m text\x00",
	} {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusBadRequest, body)
			})
			_, err := c.GetInstance(context.Background(), 1)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
				t.Fatalf("err = %.300v", err)
			}
			msg := err.Error()
			if len(msg) > 4<<10 {
				t.Errorf("error is %d bytes long", len(msg))
			}
			if i := strings.IndexFunc(msg, unicode.IsControl); i >= 0 {
				t.Errorf("control character %q in %q", msg[i], msg)
			}
		})
	}
}

// fuzzTransport answers every request with the same fuzzed response.
type fuzzTransport struct {
	status      int
	contentType string
	header      string // used as Retry-After, request id and next-page token
	body        []byte
}

func (f *fuzzTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	h := http.Header{}
	h.Set("Content-Type", f.contentType)
	h.Set("Retry-After", f.header)
	h.Set(headerRequestID, f.header)
	h.Set(headerNextPageToken, f.header)
	h.Set(headerInstanceID, f.header)
	return &http.Response{
		StatusCode: f.status, Status: strconv.Itoa(f.status), Header: h, Request: req,
		Body: io.NopCloser(bytes.NewReader(f.body)), ContentLength: int64(len(f.body)),
	}, nil
}

// FuzzClientResponse answers every call of the client with an arbitrary
// status, content type, header value and body. No call may panic; success
// only on a 2xx; an error answer is an *APIError with its status (except a
// 404 to a list, which is an empty list); a create whose 2xx answer is
// unusable is outcome-unknown; errors are bounded, printable and free of
// the secrets.
//
//	go test -run='^$' -fuzz=FuzzClientResponse -fuzztime=10s ./internal/cloudelements
func FuzzClientResponse(f *testing.F) {
	f.Add(200, "application/json", "", []byte(instanceJSON))
	f.Add(200, "application/json", "tok", []byte(`[`+instanceJSON+`]`))
	f.Add(200, "application/json", "", []byte(`[{"id":1,"key":"k","propertyValue":{"a":[1]}}]`))
	f.Add(200, "text/html", "", []byte(`<html><title>x</title></html>`))
	f.Add(200, "application/json", "", []byte(`{"id": 1, "name": `))
	f.Add(204, "", "", []byte(nil))
	f.Add(404, "application/json", "abc", []byte(`{"requestId":"r","message":"No instances found"}`))
	f.Add(429, "application/json", "1", []byte(`{"message":"slow down"}`))
	f.Add(502, "text/html", "", []byte(`<html><head><title>502 Bad Gateway</title></head></html>`))
	f.Add(503, "", "Wed, 21 Oct 2015 07:28:00 GMT", []byte("\x1b[31mdown\x00"))
	f.Add(302, "", "", []byte(nil))
	f.Fuzz(func(t *testing.T, status int, contentType, header string, body []byte) {
		if status < 200 || status > 599 {
			status = 200 + abs(status)%400 // 1xx is never a final answer
		}
		if hasControlChars(header) || strings.ContainsAny(contentType, "\r\n\x00") {
			return // not representable in an HTTP header
		}
		c, err := NewClient(Config{
			BaseURL: "https://api.example.com/elements/api-v2", UserSecret: testUserSecret, OrganizationSecret: testOrgSecret,
			MaxRetries: 1, RetryWaitMin: time.Nanosecond, RetryWaitMax: time.Microsecond,
			HTTPClient: &http.Client{Transport: &fuzzTransport{status, contentType, header, body}},
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		ok := status >= 200 && status < 300
		check := func(call string, isNil bool, err error) {
			t.Helper()
			if err == nil {
				// A 404 is an empty list to a listing and "already gone" to a delete.
				if !ok && (status != 404 || (call != "list" && call != "delete")) {
					t.Fatalf("%s: success on status %d", call, status)
				}
				if isNil {
					t.Fatalf("%s: nil result without error", call)
				}
				return
			}
			if !ok {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
					t.Fatalf("%s: status %d: err = %.300v, want an *APIError with the status", call, status, err)
				}
			} else if call == "create" && !errors.Is(err, ErrOutcomeUnknown) {
				t.Fatalf("create: unusable %d answer not outcome-unknown: %.300v", status, err)
			}
			msg := err.Error()
			if strings.Contains(msg, testUserSecret) || strings.Contains(msg, testOrgSecret) {
				t.Fatalf("%s: error shows a secret: %s", call, msg)
			}
			if len(msg) > 8<<10 {
				t.Fatalf("%s: error is %d bytes long", call, len(msg))
			}
			if i := strings.IndexFunc(msg, unicode.IsControl); i >= 0 {
				t.Fatalf("%s: control character %q in error %q", call, msg[i], msg)
			}
		}
		in, err := c.CreateInstance(ctx, CreateInstanceRequest{Name: "n", Element: Element{Key: "k"}})
		check("create", in == nil, err)
		in, err = c.GetInstance(ctx, 12)
		check("get", in == nil, err)
		in, err = c.UpdateInstance(ctx, 12, UpdateInstanceRequest{Name: ptr("n")})
		check("update", in == nil, err)
		in, err = c.ReplaceInstance(ctx, 12, ReplaceInstanceRequest{Name: "n"}, true)
		check("replace", in == nil, err)
		list, err := c.ListInstances(ctx, ListInstancesOptions{Tags: []string{"a"}, SearchText: "n", PageSize: 5})
		check("list", list == nil, err)
		err = c.DeleteInstance(ctx, 12)
		check("delete", false, err)
		err = c.SetInstanceEnabled(ctx, 12, "", false)
		check("disable", false, err)
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n { // math.MinInt
			return 0
		}
		return -n
	}
	return n
}
