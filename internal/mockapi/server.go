// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Prefix is the path under which the API is served.
const Prefix = "/elements/api-v2"

// AdminPrefix is the path under which ServeHTTP mounts the admin endpoints.
const AdminPrefix = "/__admin/"

// DefaultMaxPageSize is the vendor's default page size, used when
// Options.MaxPageSize is 0.
const DefaultMaxPageSize = 200

const maxBodyBytes = 4 << 20

// Options configures a Server.
type Options struct {
	UserSecret, OrganizationSecret string // "" -> "user-secret" / "org-secret"
	// MaxPageSize is the default and largest page size of GET /instances;
	// larger requested sizes are clamped. 0 -> 200 (the vendor default).
	MaxPageSize int
	Now         func() time.Time // optional clock; nil -> time.Now

	// Event delivery to event.notification.callback.url (SPEC.md).
	// DeliveryAttempts is the total number of attempts per notification
	// (0 -> 10: one plus 9 retries, like the real API). DeliveryBackoff gives
	// the delay after the n-th failed attempt (n from 1); nil ->
	// ExponentialBackoff(1s, 5m). DeliveryTimeout bounds each attempt (0 ->
	// 10s). DeliveryClient sends the notifications (nil -> a private client
	// that does not follow redirects).
	DeliveryAttempts int
	DeliveryBackoff  func(attempt int) time.Duration
	DeliveryTimeout  time.Duration
	DeliveryClient   *http.Client

	// Readings of behaviour no public source settles (options.go, SPEC.md);
	// "" is the default reading.
	PatchNull     PatchNullMode   // PATCH: null value -> remove (default) | ignore | reset
	PutAbsentKeys PutAbsentMode   // PUT: keys left out -> remove (default) | keep
	TagsFilter    TagsFilterMode  // GET /instances tags[]: all (default) | any | ignore
	SearchText    SearchTextMode  // GET /instances searchText: honour (default) | ignore
	Paging        PagingMode      // GET /instances: cursor (default) | none | always-token
	ListEntries   ListEntriesMode // GET /instances entries: full (default) | no-configuration | masked
	// EmptySearch404: a tags[]/searchText filter matching nothing answers
	// 404 "No instances found" (nil or true, the default) or [] (false).
	EmptySearch404 *bool
	// VDRs: readings of common-resource behaviour (vdrs.go).
	VDRs VDROptions
	// CatalogStatus, when non-zero, is the status every catalog read
	// (GET /elements/...) answers, e.g. 403 for a catalog the caller may not
	// read. POST /elements/{keyOrId}/instances is not affected.
	CatalogStatus int

	// Formulas (SPEC.md, "Formulas"); "" is the default reading.
	FormulaPutOmitted FormulaPutMode         // PUT /formulas/{id}: top-level keys left out -> replace (default) | keep
	FormulaStepOrder  FormulaStepOrderMode   // steps answered sorted by name (default) | in the order sent
	FormulaSettings   FormulaSettingsMode    // PUT .../instances/{id}: settings replace (default) | merge
	FormulaUnknownKey FormulaUnknownKeysMode // instance configuration key not a variable -> reject (default) | accept
	// FormulaInstanceList: what the entries of GET /formulas/instances and
	// GET /formulas/{id}/instances carry: full (default) | abridged.
	FormulaInstanceList FormulaInstanceListMode
	// EmptyFormulas404: GET /formulas matching nothing answers 404
	// "No formulas found" (nil or true, the default) or [] (false).
	EmptyFormulas404 *bool

	// Custom elements (SPEC.md, "Custom elements"); "" is the default reading.
	ElementSecrets ElementSecretsMode // secret defaults in answers: clear (default) | masked | omitted
	ElementPut     ElementPutMode     // PUT /elements/{keyOrId}: replace (default) | merge
	// ElementInUseStatus is the status of DELETE /elements/{id} while
	// instances of the element exist: 0 -> 409 (the default reading), a 4xx
	// status (e.g. 400), or -1: the delete succeeds.
	ElementInUseStatus int
}

// Server is an in-memory Cloud Elements API. It implements http.Handler.
type Server struct {
	user, org   string
	maxPageSize int
	now         func() time.Time
	admin       http.Handler
	readings    readings // fixed at New
	vdrs        vdrStore // common resources (vdrs.go); guarded by mu

	// event delivery settings, fixed at New
	attempts  int
	backoff   func(attempt int) time.Duration
	timeout   time.Duration
	client    *http.Client
	ownClient bool
	ctx       context.Context // cancelled by Close
	stop      context.CancelFunc

	mu        sync.Mutex // guards everything below
	instances map[int64]*record
	nextID    int64
	formulas  formulaStore
	customs   customStore // custom elements and extensions (custom_elements.go)
	requests  []*Request
	faults    []*faultState
	closed    bool          // Close was called
	inflight  int           // deliveries running or waiting for a retry
	idle      chan struct{} // closed while inflight == 0
}

// Request is one request the server received.
type Request struct {
	Method string
	Route  string // templated route under Prefix, e.g. "/instances/{id}"; unknown routes: the raw path
	Path   string // raw path as received
	Query  url.Values
	Body   []byte // raw request body
	Time   time.Time
	Status int // status sent; 0 while in flight, or when no response was sent (dropped)
}

// New returns an empty server. It panics when opts.Validate fails.
func New(opts Options) *Server {
	if err := opts.Validate(); err != nil {
		panic("mockapi: " + err.Error())
	}
	s := &Server{
		user:        opts.UserSecret,
		org:         opts.OrganizationSecret,
		maxPageSize: opts.MaxPageSize,
		now:         opts.Now,
		readings:    newReadings(opts),
		vdrs:        newVdrStore(opts.VDRs),
		instances:   map[int64]*record{},
		nextID:      1000,
	}
	if s.user == "" {
		s.user = "user-secret"
	}
	if s.org == "" {
		s.org = "org-secret"
	}
	if s.maxPageSize <= 0 {
		s.maxPageSize = DefaultMaxPageSize
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.attempts, s.backoff, s.timeout, s.client = opts.DeliveryAttempts, opts.DeliveryBackoff, opts.DeliveryTimeout, opts.DeliveryClient
	if s.attempts <= 0 {
		s.attempts = DefaultDeliveryAttempts
	}
	if s.backoff == nil {
		s.backoff = ExponentialBackoff(time.Second, maxDefaultBackoff)
	}
	if s.timeout <= 0 {
		s.timeout = DefaultDeliveryTimeout
	}
	if s.client == nil {
		s.ownClient = true
		s.client = &http.Client{
			Transport:     newTransport(),
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	s.ctx, s.stop = context.WithCancel(context.Background())
	s.idle = make(chan struct{})
	close(s.idle)
	s.admin = s.newAdminHandler()
	return s
}

// newTransport clones http.DefaultTransport, or makes a fresh transport when
// a program has replaced it with another RoundTripper.
func newTransport() *http.Transport {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	return &http.Transport{Proxy: http.ProxyFromEnvironment}
}

// route templates, with the methods each accepts.
var routes = []struct {
	pattern string
	methods []string
}{
	{"/instances", []string{"GET", "POST"}},
	{"/instances/enabled", []string{"PUT", "DELETE"}}, // before /instances/{id}
	{"/instances/{id}", []string{"GET", "PATCH", "PUT", "DELETE"}},
	{"/instances/{id}/enabled", []string{"PUT", "DELETE"}},
	{"/elements", []string{"GET", "POST"}},
	{vdrDefinitionsRoute, []string{"GET"}},
	{vdrElementTransformationsRoute, []string{"GET"}},
	{vdrDefinitionRoute, []string{"GET", "POST", "PUT", "DELETE"}},
	{vdrObjectTransformRoute, []string{"GET"}},
	{vdrTransformationRoute, []string{"GET", "POST", "PUT", "DELETE"}},
	{"/elements/{keyOrId}", []string{"GET", "PUT", "DELETE"}},
	{exportRoute, []string{"GET"}},
	{"/elements/{keyOrId}/resources", []string{"GET", "POST"}},
	{"/elements/{keyOrId}/resources/{resourceId}", []string{"GET", "PUT", "DELETE"}},
	{"/elements/{keyOrId}/configuration", []string{"GET"}},
	{"/elements/{keyOrId}/configuration/{configKey}", []string{"DELETE"}},
	{"/elements/{keyOrId}/metadata", []string{"GET"}},
	{oauthURLRoute, []string{"GET"}},
	{"/elements/{keyOrId}/instances", []string{"POST"}},
	{eventsRoute, []string{"POST"}},
	{"/formulas", []string{"GET", "POST"}},
	{"/formulas/instances", []string{"GET"}}, // before /formulas/{id}
	{"/formulas/{id}", []string{"GET", "PUT", "DELETE"}},
	{"/formulas/{id}/export", []string{"GET"}},
	{"/formulas/{id}/instances", []string{"GET", "POST"}},
	{"/formulas/instances/{instanceId}", []string{"DELETE"}},
	{"/formulas/{id}/instances/{instanceId}", []string{"GET", "PUT", "DELETE"}},
	{"/formulas/{id}/instances/{instanceId}/active", []string{"PUT", "DELETE"}},
	{"/formulas/instances/{instanceId}/executions", []string{"GET"}},
	{"/formulas/{id}/instances/{instanceId}/executions", []string{"GET"}},
}

type routeMatch struct {
	route   string            // template, or the raw path when unknown
	known   bool              // the path matched a template
	inAPI   bool              // the path is under Prefix
	params  map[string]string // placeholder values
	methods []string          // methods the route accepts
}

func matchRoute(path string) routeMatch {
	rest, ok := strings.CutPrefix(path, Prefix)
	if !ok || (rest != "" && rest[0] != '/') {
		return routeMatch{route: path}
	}
	rest = strings.TrimSuffix(rest, "/")
	segs := strings.Split(strings.TrimPrefix(rest, "/"), "/")
	for _, rt := range routes {
		pat := strings.Split(strings.TrimPrefix(rt.pattern, "/"), "/")
		if len(pat) != len(segs) {
			continue
		}
		params := map[string]string{}
		matched := true
		for i, p := range pat {
			if strings.HasPrefix(p, "{") {
				if segs[i] == "" {
					matched = false
					break
				}
				params[strings.Trim(p, "{}")] = segs[i]
			} else if p != segs[i] {
				matched = false
				break
			}
		}
		if matched {
			return routeMatch{route: rt.pattern, known: true, inAPI: true, params: params, methods: rt.methods}
		}
	}
	if rest == "" {
		rest = "/"
	}
	return routeMatch{route: rest, inAPI: true}
}

// reqCtx is what handlers see of a request.
type reqCtx struct {
	r      *http.Request
	rm     routeMatch
	body   []byte
	query  url.Values
	reqID  string
	method string
}

// result is a handler's answer before it is written, so faults can alter it.
type result struct {
	status int
	header http.Header
	body   any
}

type errorBody struct {
	RequestID       string `json:"requestId"`
	Message         string `json:"message"`
	ProviderMessage string `json:"providerMessage,omitempty"`
}

func (rc *reqCtx) fail(status int, format string, args ...any) result {
	return result{status: status, body: errorBody{RequestID: rc.reqID, Message: fmt.Sprintf(format, args...)}}
}

func ok(body any) result { return result{status: http.StatusOK, body: body} }

// ServeHTTP serves the API under Prefix and the admin endpoints under
// AdminPrefix (which are not recorded, not faulted and need no auth).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, AdminPrefix) {
		s.admin.ServeHTTP(w, r)
		return
	}
	rc := &reqCtx{r: r, rm: matchRoute(r.URL.Path), query: r.URL.Query(), reqID: newRequestID(), method: r.Method}
	body, readErr := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	rc.body = body

	s.mu.Lock()
	req := &Request{Method: r.Method, Route: rc.rm.route, Path: r.URL.Path, Query: rc.query,
		Body: append([]byte(nil), body...), Time: s.now()}
	s.requests = append(s.requests, req)
	f := s.takeFault(r.Method, rc.rm.route)
	s.mu.Unlock()

	status := s.serveFaulted(w, rc, f, func() result {
		if readErr != nil {
			return rc.fail(http.StatusBadRequest, "Could not read the request body: %v", readErr)
		}
		if len(body) > maxBodyBytes {
			return rc.fail(http.StatusRequestEntityTooLarge, "Request body too large")
		}
		return s.handle(rc)
	})

	s.mu.Lock()
	req.Status = status
	s.mu.Unlock()
}

// handle authenticates and dispatches one API request.
func (s *Server) handle(rc *reqCtx) result {
	if !rc.rm.inAPI {
		return rc.fail(http.StatusNotFound, "No resource found at %s", rc.r.URL.Path)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	auth := rc.r.Header.Get("Authorization")
	fullAuth := s.authorized(auth)
	// vendors hold no user secrets: the events route also takes "Element <token>" alone
	vendorAuth := rc.rm.route == eventsRoute && s.elementOnlyAuth(auth)
	// the OAuth redirect URL needs no Authorization at all
	if !fullAuth && !vendorAuth && rc.rm.route != oauthURLRoute {
		return rc.fail(http.StatusUnauthorized, "Invalid Organization or User secret, or invalid Element token provided.")
	}
	if !rc.rm.known {
		return rc.fail(http.StatusNotFound, "No resource found at %s", rc.r.URL.Path)
	}
	allowed := false
	for _, m := range rc.rm.methods {
		if m == rc.method {
			allowed = true
		}
	}
	if !allowed {
		res := rc.fail(http.StatusMethodNotAllowed, "Request method '%s' not supported", rc.method)
		res.header = http.Header{"Allow": {strings.Join(rc.rm.methods, ", ")}}
		return res
	}
	if !acceptsJSON(rc.r.Header.Values("Accept")) {
		return rc.fail(http.StatusNotAcceptable, "Could not find acceptable representation")
	}
	if len(rc.body) > 0 && (rc.method == "POST" || rc.method == "PUT" || rc.method == "PATCH") {
		ct := rc.r.Header.Get("Content-Type")
		if !isJSONType(ct) {
			if ct == "" {
				ct = "application/octet-stream"
			}
			return rc.fail(http.StatusUnsupportedMediaType, "Content type '%s' not supported", ct)
		}
	}
	switch rc.rm.route {
	case "/instances":
		if rc.method == "GET" {
			return s.listInstances(rc)
		}
		return s.createInstance(rc, nil)
	case "/instances/enabled":
		return s.toggleByToken(rc)
	case vdrDefinitionRoute, vdrObjectTransformRoute, vdrTransformationRoute, vdrDefinitionsRoute, vdrElementTransformationsRoute:
		return s.serveVdrs(rc)
	case "/instances/{id}", "/instances/{id}/enabled":
		return s.instanceScoped(rc)
	case "/elements/{keyOrId}/instances":
		kid := rc.rm.params["keyOrId"]
		return s.createInstance(rc, &kid)
	case eventsRoute:
		return s.ingestEvent(rc, fullAuth)
	case "/formulas":
		if rc.method == "GET" {
			return s.listFormulas(rc)
		}
		return s.createFormula(rc)
	case "/formulas/instances":
		return s.listAllFormulaInstances(rc)
	case "/formulas/{id}":
		return s.formulaScoped(rc)
	case "/formulas/{id}/export":
		return s.exportFormula(rc)
	case "/formulas/{id}/instances":
		return s.formulaInstances(rc)
	case "/formulas/instances/{instanceId}", "/formulas/{id}/instances/{instanceId}",
		"/formulas/{id}/instances/{instanceId}/active":
		return s.formulaInstanceScoped(rc)
	case "/formulas/instances/{instanceId}/executions", "/formulas/{id}/instances/{instanceId}/executions":
		return s.listFormulaExecutions(rc)
	}
	return s.serveElements(rc)
}

// authorized checks "User <u>, Organization <o>[, Element <token>]". Parts
// are comma separated; whitespace around and inside parts is free. A given
// Element token must belong to a live instance.
func (s *Server) authorized(h string) bool {
	parts := strings.Split(h, ",")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	want := []string{"User", "Organization", "Element"}
	vals := make([]string, len(parts))
	for i, p := range parts {
		f := strings.Fields(p)
		if len(f) != 2 || f[0] != want[i] {
			return false
		}
		vals[i] = f[1]
	}
	if vals[0] != s.user || vals[1] != s.org {
		return false
	}
	if len(vals) == 3 && s.recordByToken(vals[2]) == nil {
		return false
	}
	return true
}

func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func acceptsJSON(values []string) bool {
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			mt, _, _ := strings.Cut(part, ";")
			switch mt = strings.ToLower(strings.TrimSpace(mt)); {
			case mt == "", mt == "*/*", mt == "application/*", mt == "application/json", strings.HasSuffix(mt, "+json"):
				return true
			}
		}
	}
	return false
}

// write sends a result as JSON with the request id header.
func writeResult(w http.ResponseWriter, rc *reqCtx, res result) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res.body); err != nil {
		res = rc.fail(http.StatusInternalServerError, "encoding response: %v", err)
		buf.Reset()
		_ = enc.Encode(res.body)
	}
	writeRaw(w, rc, res.status, res.header, "application/json", buf.Bytes())
}

func writeRaw(w http.ResponseWriter, rc *reqCtx, status int, extra http.Header, contentType string, body []byte) {
	h := w.Header()
	for k, vs := range extra {
		h[k] = vs
	}
	h.Set("Content-Type", contentType)
	if rc != nil {
		h.Set("Elements-Request-Id", rc.reqID)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// decodeObject parses a JSON object body into its raw fields.
func decodeObject(body []byte) (map[string]json.RawMessage, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errors.New("a JSON request body is required")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, fmt.Errorf("malformed JSON request body: %v", err)
	}
	if fields == nil {
		return nil, errors.New("the request body must be a JSON object")
	}
	return fields, nil
}

// Requests returns copies of every recorded request, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		c := *r
		c.Body = append([]byte(nil), r.Body...)
		c.Query = url.Values{}
		for k, v := range r.Query {
			c.Query[k] = append([]string(nil), v...)
		}
		out[i] = c
	}
	return out
}

// RequestCount counts recorded requests by method and templated route
// (e.g. "GET", "/instances/{id}"). "" matches any method / any route.
func (s *Server) RequestCount(method, route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if (method == "" || strings.EqualFold(method, r.Method)) && (route == "" || route == r.Route) {
			n++
		}
	}
	return n
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}
