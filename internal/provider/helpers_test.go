// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/protocolserver"
)

// mockInstanceCheck asks the mock about the instance behind a resource
// address in state, so a test asserts what the API holds, not only state.
type mockInstanceCheck struct {
	mock    *testMock
	address string
	check   func(in mockapi.Instance) error
}

// expectMockInstance runs check against the mock's stored (unmasked) copy
// of the instance whose id the resource at address holds.
func expectMockInstance(mock *testMock, address string, check func(in mockapi.Instance) error) statecheck.StateCheck {
	return mockInstanceCheck{mock: mock, address: address, check: check}
}

func (c mockInstanceCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	r := findResource(req.State, c.address)
	if r == nil {
		resp.Error = fmt.Errorf("%s: not in state", c.address)
		return
	}
	id, err := strconv.ParseInt(fmt.Sprint(r.AttributeValues["id"]), 10, 64)
	if err != nil {
		resp.Error = fmt.Errorf("%s: id %v: %w", c.address, r.AttributeValues["id"], err)
		return
	}
	in, ok := c.mock.Instance(id)
	if !ok {
		resp.Error = fmt.Errorf("%s: instance %d is not in the mock", c.address, id)
		return
	}
	if err := c.check(in); err != nil {
		resp.Error = fmt.Errorf("%s (instance %d in the mock): %w", c.address, id, err)
	}
}

func findResource(state *tfjson.State, address string) *tfjson.StateResource {
	if state == nil || state.Values == nil {
		return nil
	}
	return findInModule(state.Values.RootModule, address)
}

func findInModule(m *tfjson.StateModule, address string) *tfjson.StateResource {
	if m == nil {
		return nil
	}
	for _, r := range m.Resources {
		if r.Address == address {
			return r
		}
	}
	for _, child := range m.ChildModules {
		if r := findInModule(child, address); r != nil {
			return r
		}
	}
	return nil
}

// wantConfig compares the given keys of a stored configuration; a value of
// "<absent>" means the key must not be there.
func wantConfig(got map[string]string, want map[string]string) error {
	var problems []string
	for k, w := range want {
		g, ok := got[k]
		switch {
		case w == "<absent>" && ok:
			problems = append(problems, fmt.Sprintf("%s = %q, want it absent", k, g))
		case w != "<absent>" && !ok:
			problems = append(problems, fmt.Sprintf("%s is absent, want %q", k, w))
		case w != "<absent>" && g != w:
			problems = append(problems, fmt.Sprintf("%s = %q, want %q", k, g, w))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("configuration: %s", strings.Join(problems, "; "))
	}
	return nil
}

// checkMockEmpty is a CheckDestroy that asks the mock whether any instance is left.
func checkMockEmpty(mock *testMock) func(*terraform.State) error {
	return func(*terraform.State) error {
		if left := mock.Instances(); len(left) > 0 {
			ids := make([]string, len(left))
			for i, in := range left {
				ids[i] = strconv.FormatInt(in.ID, 10)
			}
			return fmt.Errorf("instances left in the mock after destroy: %s", strings.Join(ids, ", "))
		}
		return nil
	}
}

// errorPattern compiles an expected-error pattern in which a space matches
// any run of white space, as the CLI wraps diagnostics at its own width.
func errorPattern(p string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(p, " ", `\s+`))
}

func at(name string, more ...any) tfjsonpath.Path {
	p := tfjsonpath.New(name)
	for _, m := range more {
		switch v := m.(type) {
		case int:
			p = p.AtSliceIndex(v)
		case string:
			p = p.AtMapKey(v)
		}
	}
	return p
}

func ev(name string) tfjsonpath.Path { return at("event_notification", 0, name) }

// captureAttr stores a string attribute of cloudelements_instance.test for
// later steps.
func captureAttr(name string, into *string) statecheck.StateCheck {
	return stateFunc(func(s *resourceState) error {
		*into = fmt.Sprint(s.values[name])
		return nil
	}, testAddr)
}

// expectSameAttr compares an attribute of cloudelements_instance.test with
// a captured value.
func expectSameAttr(name string, captured *string, same bool) statecheck.StateCheck {
	return stateFunc(func(s *resourceState) error {
		got := fmt.Sprint(s.values[name])
		if (got == *captured) != same {
			return fmt.Errorf("%s = %q, captured %q, want same=%v", name, got, *captured, same)
		}
		return nil
	}, testAddr)
}

func expectRequestCount(mock *testMock, method, route string, want int) statecheck.StateCheck {
	return stateFunc(func(*resourceState) error {
		if got := mock.RequestCount(method, route); got != want {
			return fmt.Errorf("%s %s: %d requests, want %d", method, route, got, want)
		}
		return nil
	}, "")
}

func expectInstanceCount(mock *testMock, want int) statecheck.StateCheck {
	return stateFunc(func(*resourceState) error {
		if got := len(mock.Instances()); got != want {
			return fmt.Errorf("mock holds %d instances, want %d", got, want)
		}
		return nil
	}, "")
}

// expectPatchBody asserts the body of the only PATCH since the last reset.
func expectPatchBody(mock *testMock, want map[string]any) statecheck.StateCheck {
	return stateFunc(func(*resourceState) error {
		var bodies [][]byte
		for _, r := range mock.Requests() {
			if r.Method == "PATCH" && r.Route == "/instances/{id}" {
				bodies = append(bodies, r.Body)
			}
		}
		if len(bodies) != 1 {
			return fmt.Errorf("%d PATCH requests, want 1", len(bodies))
		}
		var got map[string]any
		if err := json.Unmarshal(bodies[0], &got); err != nil {
			return err
		}
		if tags, ok := got["tags"].([]any); ok {
			sort.Slice(tags, func(i, j int) bool { return fmt.Sprint(tags[i]) < fmt.Sprint(tags[j]) })
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			return fmt.Errorf("PATCH body %s, want %s", g, w)
		}
		return nil
	}, "")
}

type resourceState struct{ values map[string]any }

type stateFuncCheck struct {
	address string
	fn      func(*resourceState) error
}

func stateFunc(fn func(*resourceState) error, address string) statecheck.StateCheck {
	return stateFuncCheck{address: address, fn: fn}
}

func (c stateFuncCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	s := &resourceState{}
	if c.address != "" {
		r := findResource(req.State, c.address)
		if r == nil {
			resp.Error = fmt.Errorf("%s: not in state", c.address)
			return
		}
		s.values = r.AttributeValues
	}
	resp.Error = c.fn(s)
}

func sortedCopy(in []string) []string {
	out := append([]string{}, in...)
	sort.Strings(out)
	return out
}

// providerFactoriesWithWaits serves a provider whose API client backs off
// between waitMin and waitMax (the provider's unexported test hook; users
// always get the client's 1s..30s).
func providerFactoriesWithWaits(waitMin, waitMax time.Duration) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"cloudelements": protocolserver.NewProtocol6WithError(
			&cloudElementsProvider{version: "test", retryWaitMin: waitMin, retryWaitMax: waitMax}),
	}
}

// diagCapture lets a step fail on purpose and keeps the CLI's error output
// for assertions that a regular expression cannot make (such as "exactly
// one diagnostic"). Wire errorCheck into TestCase.ErrorCheck, call arm in the
// failing step's PreConfig and take in a later step (or after the test).
type diagCapture struct {
	mu    sync.Mutex
	armed bool
	text  *string
}

func (c *diagCapture) arm() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.armed, c.text = true, nil
}

func (c *diagCapture) errorCheck(err error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.armed || err == nil {
		return err
	}
	s := err.Error()
	c.armed, c.text = false, &s
	return nil
}

// take returns the captured error, normalized (box-drawing characters of
// the CLI's diagnostics removed, white space collapsed), and the number of
// error diagnostics in it; it fails the test when the armed step did not
// fail.
func (c *diagCapture) take(t *testing.T) (text string, diagnostics int) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.text == nil {
		t.Fatal("the step expected to fail succeeded")
	}
	s := *c.text
	c.armed, c.text = false, nil
	return normalizeCLIText(s), len(diagnosticStart.FindAllString(s, -1))
}

func normalizeCLIText(s string) string {
	return strings.Join(strings.Fields(cliBoxChars.Replace(s)), " ")
}

// expectText checks that normalized CLI text holds every want (regular
// expressions) and reports all that are missing.
func expectText(t *testing.T, normalized string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !regexp.MustCompile(w).MatchString(normalized) {
			t.Errorf("diagnostic does not match %q:\n%s", w, normalized)
		}
	}
}

// requestsSince returns the mock's requests from index mark on.
func requestsSince(mock *testMock, mark int) []mockapi.Request {
	all := mock.Requests()
	if mark > len(all) {
		return nil
	}
	return all[mark:]
}

func ofKind(reqs []mockapi.Request, method, route string) []mockapi.Request {
	var out []mockapi.Request
	for _, r := range reqs {
		if r.Method == method && r.Route == route {
			out = append(out, r)
		}
	}
	return out
}

func statusesOf(reqs []mockapi.Request) []int {
	out := make([]int, len(reqs))
	for i, r := range reqs {
		out[i] = r.Status
	}
	return out
}

func requestCheck(fn func() error) statecheck.StateCheck {
	return stateFunc(func(*resourceState) error { return fn() }, "")
}

func int64Of(v any) int64 {
	n, _ := strconv.ParseInt(fmt.Sprint(v), 10, 64)
	return n
}

func noResource(address string) statecheck.StateCheck {
	return noResourceCheck(address)
}

type noResourceCheck string

func (c noResourceCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if findResource(req.State, string(c)) != nil {
		resp.Error = fmt.Errorf("%s is in state, want it absent", string(c))
	}
}

// manyInState checks that state holds n distinct ids for the count resource.
func manyInState(n int) statecheck.StateCheck { return manyCheck(n) }

type manyCheck int

func (c manyCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	ids := map[string]bool{}
	if req.State != nil && req.State.Values != nil && req.State.Values.RootModule != nil {
		for _, r := range req.State.Values.RootModule.Resources {
			if r.Type == "cloudelements_instance" && r.Mode == tfjson.ManagedResourceMode {
				ids[fmt.Sprint(r.AttributeValues["id"])] = true
			}
		}
	}
	if len(ids) != int(c) {
		resp.Error = fmt.Errorf("%d distinct ids in state, want %d", len(ids), int(c))
	}
}

type directProvider struct {
	t        *testing.T
	server   tfprotov6.ProviderServer
	resType  tftypes.Object
	resource string
}

func newDirectProvider(t *testing.T, ctx context.Context, mock *testMock, waitMin, waitMax time.Duration) *directProvider {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(&cloudElementsProvider{version: "test", retryWaitMin: waitMin, retryWaitMax: waitMax})()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || diagsHaveError(schemas.Diagnostics) {
		t.Fatalf("schema: %v %v", err, schemas.Diagnostics)
	}
	provType := schemas.Provider.ValueType().(tftypes.Object)
	d := &directProvider{t: t, server: server, resource: "cloudelements_instance",
		resType: schemas.ResourceSchemas["cloudelements_instance"].ValueType().(tftypes.Object)}
	cfg := d.object(provType, map[string]tftypes.Value{
		"base_url":            tftypes.NewValue(tftypes.String, mock.BaseURL),
		"user_secret":         tftypes.NewValue(tftypes.String, testUserSecret),
		"organization_secret": tftypes.NewValue(tftypes.String, testOrgSecret),
	})
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: d.dynamic(provType, cfg)})
	if err != nil || diagsHaveError(resp.Diagnostics) {
		t.Fatalf("configure: %v %s", err, diagsText(resp.Diagnostics))
	}
	return d
}

// object builds a value of typ from set; other attributes are null, except
// the event_notification block, which a configuration without it holds as an
// empty list.
func (d *directProvider) object(typ tftypes.Object, set map[string]tftypes.Value) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		switch v, ok := set[name]; {
		case ok:
			vals[name] = v
		case name == "event_notification":
			vals[name] = tftypes.NewValue(at, []tftypes.Value{})
		default:
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(typ, vals)
}

func (d *directProvider) dynamic(typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		d.t.Fatal(err)
	}
	return &dv
}

// create plans (with a background context) and applies (with ctx) a new
// instance with the given configuration attributes.
func (d *directProvider) create(ctx context.Context, attrs map[string]tftypes.Value) *tfprotov6.ApplyResourceChangeResponse {
	d.t.Helper()
	cfg := d.object(d.resType, attrs)
	null := tftypes.NewValue(d.resType, nil)
	plan, err := d.server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: d.resource, PriorState: d.dynamic(d.resType, null),
		ProposedNewState: d.dynamic(d.resType, cfg), Config: d.dynamic(d.resType, cfg),
	})
	if err != nil || diagsHaveError(plan.Diagnostics) {
		d.t.Fatalf("plan: %v %s", err, diagsText(plan.Diagnostics))
	}
	resp, err := d.server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: d.resource, PriorState: d.dynamic(d.resType, null), PlannedState: plan.PlannedState,
		Config: d.dynamic(d.resType, cfg), PlannedPrivate: plan.PlannedPrivate,
	})
	if err != nil {
		d.t.Fatal(err)
	}
	return resp
}

// attr reads one string attribute of a state value ("" when null).
func (d *directProvider) attr(state *tfprotov6.DynamicValue, name string) string {
	d.t.Helper()
	if state == nil {
		return ""
	}
	v, err := state.Unmarshal(d.resType)
	if err != nil {
		d.t.Fatal(err)
	}
	if v.IsNull() {
		return ""
	}
	var vals map[string]tftypes.Value
	if err := v.As(&vals); err != nil {
		d.t.Fatal(err)
	}
	var s *string
	if err := vals[name].As(&s); err != nil || s == nil {
		return ""
	}
	return *s
}

func diagsHaveError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func diagsText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "[%s] %s: %s\n", d.Severity, d.Summary, d.Detail)
	}
	return b.String()
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// withinHangGuard runs fn and fails the test if it has not returned after a
// minute. This is no timing assertion: the waits under test are an hour, and
// the guard only turns a hang into a clean failure.
func withinHangGuard[T any](t *testing.T, fn func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- fn() }()
	select {
	case v := <-done:
		return v
	case <-time.After(time.Minute):
		t.Fatal("still waiting a minute after the context was cancelled: the cancellation did not reach the retry wait")
		panic("unreachable")
	}
}

// instanceHCL describes one cloudelements_instance block: the test
// configurations are built from it (as scaffolding's
// testAccExampleResourceConfig does) so each step says only what changes.
type instanceHCL struct {
	Label, Element, Name string
	ProviderData         map[string]string
	Config, Sensitive    map[string]string
	Tags                 []string // nil: unset
	Disabled             *bool
	Events               string // body of event_notification; "" = no block
	Extra                string // more lines inside the resource block
}

func (c instanceHCL) String() string {
	label := c.Label
	if label == "" {
		label = "test"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"cloudelements_instance\" %q {\n  element_key = %s\n  name        = %s\n", label, hclQuote(c.Element), hclQuote(c.Name))
	for _, m := range []struct {
		name string
		m    map[string]string
	}{{"provider_data", c.ProviderData}, {"configuration", c.Config}, {"sensitive_configuration", c.Sensitive}} {
		if m.m != nil {
			fmt.Fprintf(&b, "  %s = %s\n", m.name, hclMap(m.m))
		}
	}
	if c.Tags != nil {
		q := make([]string, len(c.Tags))
		for i, t := range c.Tags {
			q[i] = hclQuote(t)
		}
		fmt.Fprintf(&b, "  tags = [%s]\n", strings.Join(q, ", "))
	}
	if c.Disabled != nil {
		fmt.Fprintf(&b, "  disabled = %v\n", *c.Disabled)
	}
	if c.Events != "" {
		fmt.Fprintf(&b, "  event_notification {\n%s\n  }\n", c.Events)
	}
	if c.Extra != "" {
		b.WriteString(c.Extra + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func hclMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = hclQuote(k) + " = " + hclQuote(m[k])
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// testAccInstanceConfig is the provider block for mock plus the instances.
func testAccInstanceConfig(mock *testMock, instances ...instanceHCL) string {
	var b strings.Builder
	b.WriteString(mock.ProviderConfig())
	for _, in := range instances {
		b.WriteString(in.String())
	}
	return b.String()
}

// elementID is the mock catalog's id of an element.
func elementID(t *testing.T, key string) int64 {
	t.Helper()
	e, ok := mockapi.LookupElement(key)
	if !ok {
		t.Fatalf("element %q is not in the mock's catalog", key)
	}
	return e.ID
}

// requestBodies returns the JSON bodies of the recorded requests of one
// kind, decoded.
func requestBodies(t *testing.T, mock *testMock, method, route string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range mock.Requests() {
		if r.Method != method || r.Route != route {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("%s %s body %q: %v", method, route, r.Body, err)
		}
		out = append(out, body)
	}
	return out
}

// mustID parses a captured instance id.
func mustID(t *testing.T, id string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatalf("captured id %q: %v", id, err)
	}
	return n
}

// hclQuote quotes s as an HCL string literal: Go quoting, with template
// sequences (${ and %{) escaped.
func hclQuote(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

// isCredentialCheck reports whether r is the provider's configure-time
// check of its secrets (GET /instances?pageSize=1).
func isCredentialCheck(r mockapi.Request) bool {
	return r.Method == "GET" && r.Route == "/instances" && r.Query.Get("pageSize") == "1"
}
