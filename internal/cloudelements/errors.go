// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// ErrNotFound matches (errors.Is) every *APIError with status 404.
	ErrNotFound = errors.New("cloudelements: not found")
	// ErrOutcomeUnknown matches errors of a POST that may have been carried
	// out by the server although no usable answer came back.
	ErrOutcomeUnknown = errors.New("cloudelements: request may have been carried out")
)

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
