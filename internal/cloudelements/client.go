// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package cloudelements is a small client for the Cloud Elements API (api-v2):
// element instances, the element catalog and custom elements, formulas and
// their instances, common resources and their transformations. It has no
// Terraform dependencies.
//
// Every request carries the caller's context, the header
// "Authorization: User <user secret>, Organization <organization secret>",
// "Accept: application/json" and the configured User-Agent. Secrets, the
// Authorization header, request bodies and instance tokens never appear in
// errors or in Config.Logf.
//
// # Retries
//
// Requests go through github.com/hashicorp/go-retryablehttp with at most
// Config.MaxRetries retries after the first attempt. Retried: 429, 502, 503,
// 504 and connection errors; never other 4xx or 500. The wait between
// attempts is an exponential backoff with jitter between RetryWaitMin and
// RetryWaitMax; on 429 and 503 a Retry-After header (seconds or HTTP date) is
// honoured, clamped to [RetryWaitMin, RetryWaitMax]. A cancelled context stops
// the wait at once and the context's error is returned (wrapped).
//
// # POST (create) is special
//
// The API cannot de-duplicate a create, so a POST is retried only when the
// server certainly did not act on it:
//
//   - a 429 or 503 response, or
//   - a connection error before any connection to the server was obtained
//     (DNS or dial error, connection refused). Certificate errors, like other
//     errors another attempt cannot fix, are never retried.
//
// Once the request may have reached the server (connection reset or EOF after
// it was written, a timeout or cancellation while waiting for the response,
// a 502 or 504, or a 2xx whose body cannot be read or decoded) the POST is not
// retried and the error satisfies errors.Is(err, ErrOutcomeUnknown); it wraps
// the transport error or the *APIError. The caller should then look for the
// instance it meant to create before trying again.
//
// No Idempotency-Key header is sent: with it, Go's HTTP transport would replay
// the POST by itself on some connection errors. Without it, net/http re-sends
// a POST only when not a single byte of it was written to the connection
// (its internal "nothing written" case), which is consistent with the rule
// above; go-retryablehttp's GetBody is kept for that case only.
//
// # Responses
//
// At most MaxResponseBytes of a body are read; a larger 2xx body is an error.
// Non-2xx answers become *APIError; errors.Is(err, ErrNotFound) holds for 404.
// Redirects are not followed (unless Config.HTTPClient sets its own
// CheckRedirect): a 3xx is reported as an *APIError.
package cloudelements

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/go-retryablehttp"
)

const (
	// DefaultBaseURL is the production API.
	DefaultBaseURL = "https://api.cloud-elements.com/elements/api-v2"
	// DefaultPageSize is the vendor's default (and largest) page size.
	DefaultPageSize = 200
	// MaxResponseBytes is the most the client reads of a response body.
	MaxResponseBytes = 10 << 20

	defaultUserAgent    = "terraform-provider-cloudelements"
	defaultRetryWaitMin = time.Second
	defaultRetryWaitMax = 30 * time.Second
	defaultHTTPTimeout  = 5 * time.Minute
	maxErrorBodyBytes   = 64 << 10
	maxExcerptRunes     = 200
	maxMessageRunes     = 1000

	headerRequestID     = "Elements-Request-Id"
	headerError         = "Elements-Error"
	headerNextPageToken = "Elements-Next-Page-Token"
	headerInstanceID    = "Elements-Element-Instance-Id"
)

// Config configures a Client. Only the secrets are normally needed.
type Config struct {
	BaseURL            string // "" -> DefaultBaseURL; trailing slash tolerated
	UserSecret         string
	OrganizationSecret string
	MaxRetries         int           // retries after the first attempt; 0 = no retries; negative -> 0
	UserAgent          string        // full User-Agent value; "" -> "terraform-provider-cloudelements"
	HTTPClient         *http.Client  // optional base client (transport/timeouts); default has a 5 minute timeout
	RetryWaitMin       time.Duration // 0 -> 1s
	RetryWaitMax       time.Duration // 0 -> 30s
	// Logf, when set, receives one debug line per HTTP attempt (method, path,
	// status, attempt, duration, request id). It never receives secrets, the
	// Authorization header, request bodies or the instance token.
	Logf func(ctx context.Context, msg string, fields map[string]any)
}

// Client talks to the Cloud Elements API. It is safe for concurrent use.
type Client struct {
	baseURL    string // scheme://host/path, no trailing slash
	auth       string // Authorization header value: secret, never printed
	userAgent  string
	httpClient *http.Client
	maxRetries int
	waitMin    time.Duration
	waitMax    time.Duration
	logf       func(ctx context.Context, msg string, fields map[string]any)
	now        func() time.Time
}

// NewClient validates cfg and returns a Client. It does no network I/O.
func NewClient(cfg Config) (*Client, error) {
	base, err := normalizeBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if hasControlChars(cfg.UserSecret) || hasControlChars(cfg.OrganizationSecret) {
		return nil, errors.New("cloudelements: the user and organization secrets must not contain control characters")
	}
	ua := strings.TrimSpace(cfg.UserAgent)
	if ua == "" {
		ua = defaultUserAgent
	}
	if hasControlChars(ua) {
		return nil, errors.New("cloudelements: the user agent must not contain control characters")
	}
	c := &Client{
		baseURL:    base,
		auth:       "User " + cfg.UserSecret + ", Organization " + cfg.OrganizationSecret,
		userAgent:  ua,
		maxRetries: max(cfg.MaxRetries, 0),
		waitMin:    cfg.RetryWaitMin,
		waitMax:    cfg.RetryWaitMax,
		logf:       cfg.Logf,
		now:        time.Now,
	}
	if c.waitMin <= 0 {
		c.waitMin = defaultRetryWaitMin
	}
	if c.waitMax <= 0 {
		c.waitMax = defaultRetryWaitMax
	}
	if c.waitMax < c.waitMin {
		c.waitMax = c.waitMin
	}
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient // shallow copy: the caller's client is not modified
	} else {
		hc = http.Client{Timeout: defaultHTTPTimeout}
		if t, ok := http.DefaultTransport.(*http.Transport); ok {
			hc.Transport = t.Clone()
		}
	}
	if hc.CheckRedirect == nil {
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	c.httpClient = &hc
	return c, nil
}

// String keeps the secrets out of fmt output.
func (c *Client) String() string { return "cloudelements.Client{" + c.baseURL + "}" }

// GoString keeps the secrets out of %#v output.
func (c *Client) GoString() string { return c.String() }

func normalizeBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("cloudelements: invalid base URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("cloudelements: invalid base URL %q: the scheme must be http or https", u.Redacted())
	case u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("cloudelements: invalid base URL %q: it must be absolute, with a host", u.Redacted())
	case u.User != nil:
		return "", fmt.Errorf("cloudelements: invalid base URL %q: it must not contain credentials", u.Redacted())
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", fmt.Errorf("cloudelements: invalid base URL %q: it must not have a query or fragment", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u.String(), nil
}

func hasControlChars(s string) bool {
	return strings.ContainsFunc(s, unicode.IsControl)
}

// response is a fully read answer.
type response struct {
	method, path string
	header       http.Header
	body         []byte
}

// decodeErr wraps a failure to read a 2xx answer; for a POST the server did
// act, so the error also matches ErrOutcomeUnknown.
func (r *response) decodeErr(err error) error {
	if r.method == http.MethodPost {
		return fmt.Errorf("%w: decoding response of %s %s: %w", ErrOutcomeUnknown, r.method, r.path, err)
	}
	return fmt.Errorf("decoding response of %s %s: %w", r.method, r.path, err)
}

// decode unmarshals a JSON body into out (a pointer to a slice or struct).
func (r *response) decode(out any) error {
	if err := checkJSONBody(r.body, r.header.Get("Content-Type")); err != nil {
		return r.decodeErr(err)
	}
	if err := json.Unmarshal(r.body, out); err != nil {
		return r.decodeErr(err)
	}
	return nil
}

// decodeObject is decode for a body that must be a JSON object.
func (r *response) decodeObject(out any) error {
	if t := bytes.TrimSpace(r.body); len(t) > 0 && t[0] != '{' && t[0] != '<' {
		return r.decodeErr(errors.New("expected a JSON object"))
	}
	return r.decode(out)
}

// checkJSONBody rejects the bodies json.Unmarshal would explain badly.
func checkJSONBody(body []byte, contentType string) error {
	t := bytes.TrimSpace(body)
	switch {
	case len(t) == 0:
		return errors.New("empty body where a JSON value was expected")
	case t[0] == '<':
		if contentType == "" {
			contentType = "unknown"
		}
		return fmt.Errorf("got an HTML/XML page instead of JSON (Content-Type %s)", clip(contentType, 100))
	}
	return nil
}

// deleteGone sends a DELETE; an answer of 404 means the object is already
// gone, which is what the caller asked for, so it is success. Every Delete
// of this client goes through it.
func (c *Client) deleteGone(ctx context.Context, path string) error {
	_, err := c.do(ctx, http.MethodDelete, path, nil, nil)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// do sends one logical request (with retries) and reads the answer. in, when
// non-nil, is sent as JSON. A non-2xx answer is returned as an error.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in any) (*response, error) {
	return c.send(ctx, sendOptions{}, method, path, query, in)
}

// sendOptions are the per-call variations of send.
type sendOptions struct {
	// elementToken, when not empty, is appended to the Authorization header
	// ("User .., Organization .., Element <token>"): the form the API wants
	// for calls scoped to one instance.
	elementToken string
	// noDialRetry gives up at the first failed dial (connection refused,
	// dial timeout): for checks where nobody listening is the answer.
	noDialRetry bool
}

// send is do with opts.
func (c *Client) send(ctx context.Context, opts sendOptions, method, path string, query url.Values, in any) (*response, error) {
	elementToken := opts.elementToken
	if ctx == nil {
		return nil, fmt.Errorf("%s %s: nil context", method, path)
	}
	var body any // stays a nil interface when there is no body
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("encoding request of %s %s: %w", method, path, err)
		}
		body = b
	}
	a := &attempt{c: c, ctx: ctx, method: method, path: path, noDialRetry: opts.noDialRetry}
	traced := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { a.connected.Store(true) },
	})
	target := c.baseURL + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := retryablehttp.NewRequestWithContext(traced, method, target, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: building request: %w", method, path, err)
	}
	auth := c.auth
	if elementToken != "" {
		if hasControlChars(elementToken) {
			return nil, fmt.Errorf("%s %s: the instance token contains control characters", method, path)
		}
		auth += ", Element " + elementToken
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rc := &retryablehttp.Client{
		HTTPClient:     c.httpClient,
		RetryWaitMin:   c.waitMin,
		RetryWaitMax:   c.waitMax,
		RetryMax:       c.maxRetries,
		RequestLogHook: a.before,
		CheckRetry:     a.checkRetry,
		Backoff:        c.backoff,
		ErrorHandler:   errorHandler,
	}
	resp, err := rc.Do(req)
	if err != nil {
		return nil, a.transportError(err)
	}
	defer resp.Body.Close()

	limit := int64(MaxResponseBytes)
	success := resp.StatusCode >= 200 && resp.StatusCode < 300
	if !success {
		limit = maxErrorBodyBytes
	}
	data, err := readBody(resp.Body, resp.ContentLength, limit+1)
	r := &response{method: method, path: path, header: resp.Header, body: data}
	if !success {
		// A cut or unreadable error body still makes a useful APIError.
		apiErr := newAPIError(method, path, resp, data[:min(len(data), maxErrorBodyBytes)], a.n)
		if method == http.MethodPost && (resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusGatewayTimeout) {
			return nil, fmt.Errorf("%w: %w", ErrOutcomeUnknown, apiErr)
		}
		return nil, apiErr
	}
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%w)", ctx.Err(), err)
		}
		return nil, r.decodeErr(fmt.Errorf("reading body: %w", err))
	}
	if int64(len(data)) > MaxResponseBytes {
		return nil, r.decodeErr(fmt.Errorf("body is larger than the %d MiB limit", MaxResponseBytes>>20))
	}
	return r, nil
}

// readBody reads at most limit bytes of body. With a known length (within
// the limit) it reads into a buffer of that size, instead of io.ReadAll's
// doubling, which leaves about as much garbage as the body again: a
// listing page is a megabyte.
func readBody(body io.Reader, length, limit int64) ([]byte, error) {
	r := io.LimitReader(body, limit)
	if length <= 0 || length >= limit {
		return io.ReadAll(r)
	}
	buf := bytes.NewBuffer(make([]byte, 0, length+bytes.MinRead))
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}
