// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// attempt tracks one logical request across its attempts.
type attempt struct {
	c            *Client
	ctx          context.Context
	method, path string
	n            int         // attempts started
	started      time.Time   // start of the current attempt
	connected    atomic.Bool // the current attempt obtained a connection
	unknown      bool        // a POST may have reached the server
	noDialRetry  bool        // a failed dial ends the request (sendOptions)
}

func (a *attempt) before(_ retryablehttp.Logger, _ *http.Request, _ int) {
	a.n++
	a.started = time.Now()
	a.connected.Store(false)
}

// checkRetry is the retryablehttp.CheckRetry policy (see the package doc).
func (a *attempt) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	err = a.redact(err)
	a.log(resp, err)
	post := a.method == http.MethodPost
	if err != nil {
		if post && a.connected.Load() && !isDialError(err) {
			a.unknown = true
			return false, nil
		}
		if ctx.Err() != nil || !retryableTransportError(err) || (a.noDialRetry && isDialError(err)) {
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

// redact drops the query from the URL that net/http puts in its errors: a
// query may carry a secret (GET /elements/{key}/oauth/url takes apiSecret).
func (a *attempt) redact(err error) error {
	top, ok := err.(*url.Error) // net/http returns it unwrapped
	if !ok || !strings.Contains(top.URL, "?") {
		return err
	}
	u := *top
	u.URL = a.c.baseURL + a.path
	return &u
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
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return false // a name that does not resolve will not resolve on the next attempt either
	}
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

// transportError explains a request that got no usable response.
func (a *attempt) transportError(err error) error {
	err = a.redact(err)
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
