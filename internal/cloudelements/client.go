// Package cloudelements is a small client for the Cloud Elements API (api-v2):
// element instances, their configuration and their event log. It has no
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
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

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

var (
	// ErrNotFound matches (errors.Is) every *APIError with status 404.
	ErrNotFound = errors.New("cloudelements: not found")
	// ErrOutcomeUnknown matches errors of a POST that may have been carried
	// out by the server although no usable answer came back.
	ErrOutcomeUnknown = errors.New("cloudelements: request may have been carried out")
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

// APIError is a non-2xx answer of the API.
type APIError struct {
	StatusCode      int
	Method, Path    string // Path is relative to the base URL, without query
	Message         string // body "message", or a short excerpt of a non-JSON body
	ProviderMessage string
	RequestID       string // body "requestId", else header Elements-Request-Id
	Attempts        int    // attempts made in total
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.Path, e.StatusCode)
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.ProviderMessage != "" && e.ProviderMessage != e.Message {
		b.WriteString(" (provider: " + e.ProviderMessage + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" [request id " + e.RequestID + "]")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// Is reports whether target is ErrNotFound and e is a 404.
func (e *APIError) Is(target error) bool {
	return target == ErrNotFound && e.StatusCode == http.StatusNotFound
}

func newAPIError(method, path string, resp *http.Response, body []byte, attempts int) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, Method: method, Path: path, Attempts: attempts}
	var eb struct {
		RequestID       json.RawMessage `json:"requestId"`
		Message         json.RawMessage `json:"message"`
		ProviderMessage json.RawMessage `json:"providerMessage"`
		Error           json.RawMessage `json:"error"`
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &eb) == nil {
		e.RequestID = clip(textOf(eb.RequestID), 100)
		e.Message = clip(textOf(eb.Message), maxMessageRunes)
		if e.Message == "" {
			e.Message = clip(textOf(eb.Error), maxMessageRunes)
		}
		e.ProviderMessage = clip(textOf(eb.ProviderMessage), maxMessageRunes)
	} else if len(trimmed) > 0 {
		e.Message = excerpt(trimmed)
	}
	if e.Message == "" {
		e.Message = clip(resp.Header.Get(headerError), maxMessageRunes)
	}
	if e.Message == "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
		if loc := resp.Header.Get("Location"); loc != "" {
			e.Message = "redirected to " + clip(loc, maxExcerptRunes)
		}
	}
	if e.RequestID == "" {
		e.RequestID = clip(resp.Header.Get(headerRequestID), 100)
	}
	return e
}

// excerpt turns a non-JSON body (often an HTML error page) into one short
// line: the page title when there is one, else the text without tags.
func excerpt(body []byte) string {
	s := strings.ToValidUTF8(string(body), "")
	if s == "" {
		return ""
	}
	if s[0] == '<' || strings.Contains(strings.ToLower(s[:min(len(s), 512)]), "<html") {
		lower := strings.ToLower(s)
		if i := strings.Index(lower, "<title"); i >= 0 {
			if j := strings.Index(lower[i:], ">"); j >= 0 {
				rest := s[i+j+1:]
				if k := strings.Index(strings.ToLower(rest), "</title"); k >= 0 {
					if t := strings.Join(strings.Fields(rest[:k]), " "); t != "" {
						return clip(t, maxExcerptRunes)
					}
				}
			}
		}
		s = stripTags(s)
	}
	return clip(strings.Join(strings.Fields(s), " "), maxExcerptRunes)
}

func stripTags(s string) string {
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
			b.WriteByte(' ')
		case !inTag:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// clip shortens s to at most n runes, marking a cut with "...". Control
// characters (terminal escape sequences, line breaks) become spaces: what
// the API sends ends up in one-line errors shown in the user's terminal.
func clip(s string, n int) string {
	if strings.ContainsFunc(s, unicode.IsControl) {
		s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "..."
}

// response is a fully read answer.
type response struct {
	method, path string
	status       int
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

// attempt tracks one logical request across its attempts.
type attempt struct {
	c            *Client
	ctx          context.Context
	method, path string
	n            int         // attempts started
	started      time.Time   // start of the current attempt
	connected    atomic.Bool // the current attempt obtained a connection
	unknown      bool        // a POST may have reached the server
}

func (a *attempt) before(_ retryablehttp.Logger, _ *http.Request, _ int) {
	a.n++
	a.started = time.Now()
	a.connected.Store(false)
}

// checkRetry is the retryablehttp.CheckRetry policy (see the package doc).
func (a *attempt) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	a.log(resp, err)
	post := a.method == http.MethodPost
	if err != nil {
		if post && a.connected.Load() && !isDialError(err) {
			a.unknown = true
			return false, nil
		}
		if ctx.Err() != nil || !retryableTransportError(err) {
			return false, nil
		}
		return true, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true, nil
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return !post, nil
	}
	return false, nil
}

func (a *attempt) log(resp *http.Response, err error) {
	if a.c.logf == nil {
		return
	}
	fields := map[string]any{
		"method":      a.method,
		"path":        a.path,
		"attempt":     a.n,
		"duration_ms": time.Since(a.started).Milliseconds(),
		"status":      0,
		"request_id":  "",
	}
	if resp != nil {
		fields["status"] = resp.StatusCode
		fields["request_id"] = resp.Header.Get(headerRequestID)
	}
	if err != nil {
		fields["error"] = err.Error() // method and URL (no secrets) plus the cause
	}
	a.c.logf(a.ctx, "Cloud Elements API request", fields)
}

// errorHandler runs when retryablehttp gives up: the last response, if any,
// is handed back so that it becomes an *APIError with the attempt count.
func errorHandler(resp *http.Response, err error, _ int) (*http.Response, error) {
	if err == nil && resp != nil {
		return resp, nil
	}
	if resp != nil {
		resp.Body.Close()
	}
	return nil, err
}

func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// retryableTransportError is false for errors that another attempt cannot fix.
func retryableTransportError(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		invalidCert      x509.CertificateInvalidError
		hostname         x509.HostnameError
		verification     *tls.CertificateVerificationError
		recordHeader     tls.RecordHeaderError
	)
	if errors.As(err, &unknownAuthority) || errors.As(err, &invalidCert) || errors.As(err, &hostname) ||
		errors.As(err, &verification) || errors.As(err, &recordHeader) {
		return false
	}
	msg := err.Error()
	for _, s := range []string{"unsupported protocol scheme", "invalid header", "stopped after", "certificate is not trusted"} {
		if strings.Contains(msg, s) {
			return false
		}
	}
	return true
}

// backoff is the retryablehttp.Backoff policy: Retry-After on 429/503,
// otherwise exponential with jitter; always within [min, max].
func (c *Client) backoff(minWait, maxWait time.Duration, attemptNum int, resp *http.Response) time.Duration {
	clamp := func(d time.Duration) time.Duration { return min(max(d, minWait), maxWait) }
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), c.now()); ok {
			return clamp(d)
		}
	}
	ceiling := minWait
	for i := 0; i < attemptNum && ceiling < maxWait; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, maxWait)
	half := ceiling / 2
	wait := half
	if half > 0 {
		wait += rand.N(half + 1)
	}
	return clamp(wait)
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// do sends one logical request (with retries) and reads the answer. in, when
// non-nil, is sent as JSON. A non-2xx answer is returned as an error.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in any) (*response, error) {
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
	a := &attempt{c: c, ctx: ctx, method: method, path: path}
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
	req.Header.Set("Authorization", c.auth)
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
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	r := &response{method: method, path: path, status: resp.StatusCode, header: resp.Header, body: data}
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

// transportError explains a request that got no usable response.
func (a *attempt) transportError(err error) error {
	prefix := a.method + " " + a.path
	if a.unknown {
		return fmt.Errorf("%s: %w: %w", prefix, ErrOutcomeUnknown, err)
	}
	if ctxErr := a.ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		err = fmt.Errorf("%w (%w)", ctxErr, err)
	}
	if a.n > 1 {
		return fmt.Errorf("%s: giving up after %d attempts: %w", prefix, a.n, err)
	}
	return fmt.Errorf("%s: %w", prefix, err)
}
