// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Reliability: transient and persistent API faults, lost create responses,
// scale under faults and cancellation. Every test runs on its own mock and
// drives it through the mock's fault hooks (InjectFault, Requests, ...).

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// fastRetryFactories keep a retry without Retry-After at ~10ms, while a
// Retry-After of 1 (within the 2s ceiling) still waits a full second: a gap of
// a second after a 429 can then only come from honouring Retry-After.
var fastRetryFactories = providerFactoriesWithWaits(10*time.Millisecond, 2*time.Second)

// defaultAttempts is what a request gets with the default max_retries (4).
const defaultAttempts = defaultMaxRetries + 1

// ---------------------------------------------------------------------------
// Failing steps whose error text is asserted in Go.

var cliBoxChars = strings.NewReplacer("│", " ", "╷", " ", "╵", " ")

// diagnosticStart matches the first line of each error diagnostic the CLI
// prints ("│ Error: <summary>", or without the box).
var diagnosticStart = regexp.MustCompile(`(?m)^[│╷ \t]*Error: `)

const requestIDPattern = `\[request id [0-9a-f]{24}\]`

// ---------------------------------------------------------------------------
// Request log analysis.

// checkRetried proves from the request log that the faults queued for one
// kind of request (method and templated route) were answered first, in
// order, and then retried: each faulted attempt is followed by another
// attempt on the same path, at least retryAfter later when the fault was a
// 429 carrying Retry-After, and everything after the faults succeeded.
func checkRetried(reqs []mockapi.Request, method, route string, faults []int, retryAfter time.Duration) error {
	kind := ofKind(reqs, method, route)
	if len(kind) <= len(faults) {
		return fmt.Errorf("%s %s: %d requests (statuses %v), want the %d faults %v and then at least one success",
			method, route, len(kind), statusesOf(kind), len(faults), faults)
	}
	for i, want := range faults {
		if kind[i].Status != want {
			return fmt.Errorf("%s %s: statuses %v, want them to start with %v", method, route, statusesOf(kind), faults)
		}
	}
	for i, r := range kind[:len(faults)] {
		var next *mockapi.Request
		for j := i + 1; j < len(kind); j++ {
			if kind[j].Path == r.Path && kind[j].Query.Encode() == r.Query.Encode() {
				next = &kind[j]
				break
			}
		}
		if next == nil {
			return fmt.Errorf("%s %s: the %d answer to attempt %d was not retried", method, r.Path, r.Status, i+1)
		}
		if r.Status == http.StatusTooManyRequests {
			if gap := next.Time.Sub(r.Time); gap < retryAfter {
				return fmt.Errorf("%s %s: retried %v after a 429 with Retry-After, want at least %v", method, r.Path, gap, retryAfter)
			}
		}
	}
	for _, r := range kind[len(faults):] {
		if r.Status != http.StatusOK {
			return fmt.Errorf("%s %s: statuses %v, want only 200 after the faults %v", method, route, statusesOf(kind), faults)
		}
	}
	return nil
}

// flaky queues, for one kind of request, two 503s and then a 429 with
// Retry-After: 1: four attempts in all, within the default max_retries.
func flaky(mock *testMock, method, route string) {
	mock.InjectFault(mockapi.Fault{Method: method, Route: route, Status: http.StatusServiceUnavailable, Count: 2})
	mock.InjectFault(mockapi.Fault{Method: method, Route: route, Status: http.StatusTooManyRequests, RetryAfter: "1"})
}

var flakyStatuses = []int{http.StatusServiceUnavailable, http.StatusServiceUnavailable, http.StatusTooManyRequests}

// priorStateCheck runs fn on the attribute values of address in the state
// a plan started from (before refresh changes are applied).
type priorStateCheck struct {
	address string
	fn      func(values map[string]any) error
}

func (c priorStateCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan.PriorState == nil {
		resp.Error = errors.New("the plan has no prior state")
		return
	}
	r := findResource(req.Plan.PriorState, c.address)
	if r == nil {
		resp.Error = fmt.Errorf("%s: not in the prior state", c.address)
		return
	}
	resp.Error = c.fn(r.AttributeValues)
}

// ---------------------------------------------------------------------------
// 1. Transient faults.

// TestAccReliability_transientFaults: every kind of request the provider
// makes is answered 503, 503, then 429 with Retry-After: 1 before it
// succeeds; create, read, update, delete and both data sources still work,
// and the mock's request log shows each retry, the one after the 429 at
// least a second later (the provider's own minimum wait is 10ms here).
func TestAccReliability_transientFaults(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	seeded := mock.Seed(mockapi.Instance{Name: "Seeded", ElementKey: "fake"})
	config := func(name string) string {
		return mock.ProviderConfig() + fmt.Sprintf(`
resource "cloudelements_instance" "test" {
  element_key = "fake"
  name        = %q
  tags        = ["flaky"]
}

data "cloudelements_instance" "seeded" {
  id = "%d"
}

data "cloudelements_instances" "flaky" {
  tags       = ["flaky"]
  depends_on = [cloudelements_instance.test]
}
`, name, seeded.ID)
	}
	var mark int
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: fastRetryFactories,
		CheckDestroy: func(*terraform.State) error {
			if left := mock.Instances(); len(left) != 1 || left[0].ID != seeded.ID {
				return fmt.Errorf("%d instances left, want only the seeded one", len(left))
			}
			return checkRetried(requestsSince(mock, 0), "DELETE", "/instances/{id}", flakyStatuses, time.Second)
		},
		Steps: []resource.TestStep{
			{ // Create, both data sources (the by-id one at plan time, the list after the create).
				PreConfig: func() {
					mark = len(mock.Requests())
					flaky(mock, "POST", "/instances")
					flaky(mock, "GET", "/instances/{id}")
					flaky(mock, "GET", "/instances")
					flaky(mock, "DELETE", "/instances/{id}") // waits for the destroy
				},
				Config: config("Flaky"),
				ConfigStateChecks: []statecheck.StateCheck{
					captureAttr("id", &id),
					statecheck.ExpectKnownValue("data.cloudelements_instance.seeded", at("name"), knownvalue.StringExact("Seeded")),
					statecheck.ExpectKnownValue("data.cloudelements_instances.flaky", at("instances"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.cloudelements_instances.flaky", at("instances", 0, "name"), knownvalue.StringExact("Flaky")),
					expectInstanceCount(mock, 2),
					requestCheck(func() error {
						reqs := requestsSince(mock, mark)
						if n := len(ofKind(reqs, "POST", "/instances")); n != 4 {
							return fmt.Errorf("%d POSTs, want 4 (3 faults, 1 create): statuses %v", n, statusesOf(ofKind(reqs, "POST", "/instances")))
						}
						for _, k := range [][2]string{{"POST", "/instances"}, {"GET", "/instances/{id}"}, {"GET", "/instances"}} {
							if err := checkRetried(reqs, k[0], k[1], flakyStatuses, time.Second); err != nil {
								return err
							}
						}
						return nil
					}),
				},
			},
			{ // Read (refresh) and update.
				PreConfig: func() {
					mark = len(mock.Requests())
					flaky(mock, "GET", "/instances/{id}")
					flaky(mock, "PATCH", "/instances/{id}")
				},
				Config: config("Flaky renamed"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSameAttr("id", &id, true),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.Name != "Flaky renamed" {
							return fmt.Errorf("name %q", in.Name)
						}
						return nil
					}),
					requestCheck(func() error {
						reqs := requestsSince(mock, mark)
						if n := len(ofKind(reqs, "PATCH", "/instances/{id}")); n != 4 {
							return fmt.Errorf("%d PATCHes, want 4 (3 faults, 1 update)", n)
						}
						for _, k := range [][2]string{{"GET", "/instances/{id}"}, {"PATCH", "/instances/{id}"}} {
							if err := checkRetried(reqs, k[0], k[1], flakyStatuses, time.Second); err != nil {
								return err
							}
						}
						return nil
					}),
				},
			},
		},
	})
}

// ---------------------------------------------------------------------------
// 2. Persistent faults.

// TestAccReliability_persistentFaults: a fault that never clears ends each
// operation with one diagnostic naming the action, the instance, the API's
// message, the request id and (when retried) the number of attempts, and
// leaves state consistent: a created id is kept, a failed update keeps the
// old state.
func TestAccReliability_persistentFaults(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	var capture diagCapture
	config := func(name, secret string, disabled bool) string {
		return mock.ProviderConfig() + fmt.Sprintf(`
resource "cloudelements_instance" "test" {
  element_key             = "fake"
  name                    = %q
  disabled                = %v
  sensitive_configuration = { "api.secret" = %q }
}
`, name, disabled, secret)
	}
	var createdID int64
	forever := func(method, route string, status int) {
		mock.InjectFault(mockapi.Fault{Method: method, Route: route, Status: status, Count: -1})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: fastRetryFactories,
		ErrorCheck:               capture.errorCheck,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{ // A create answered 500 (not retryable): nothing is created, nothing is stored.
				PreConfig: func() {
					capture.arm()
					forever("POST", "/instances", http.StatusInternalServerError)
				},
				Config: config("Broken", "s1", false),
			},
			{ // A create whose follow-up call (disable) fails keeps the new id in state, tainted.
				PreConfig: func() {
					text, diags := capture.take(t)
					if diags != 1 {
						t.Errorf("%d diagnostics, want 1:\n%s", diags, text)
					}
					expectText(t, text, `Error: Error Creating Cloud Elements Instance`,
						`Could not create the "fake" instance "Broken": POST /instances: 500 Internal Server Error: Internal Server Error `+requestIDPattern)
					if strings.Contains(text, "attempts") {
						t.Errorf("a 500 is not retried, yet the diagnostic counts attempts: %s", text)
					}
					if n := mock.RequestCount("POST", "/instances"); n != 1 {
						t.Errorf("%d POSTs, want 1 (a 500 is never retried)", n)
					}
					if n := len(mock.Instances()); n != 0 {
						t.Errorf("%d instances in the mock, want 0", n)
					}
					mock.ClearFaults()
					capture.arm()
					forever("DELETE", "/instances/enabled", http.StatusInternalServerError)
				},
				Config: config("Kept", "s1", true),
			},
			{ // The kept id is in state: the next plan replaces exactly that instance.
				PreConfig: func() {
					text, diags := capture.take(t)
					ins := mock.Instances()
					if len(ins) != 1 {
						t.Fatalf("%d instances in the mock, want the 1 just created", len(ins))
					}
					createdID = ins[0].ID
					if diags != 1 {
						t.Errorf("%d diagnostics, want 1:\n%s", diags, text)
					}
					expectText(t, text, `Error: Error Disabling Cloud Elements Instance`,
						fmt.Sprintf(`Instance %d was created but could not be disabled: DELETE /instances/enabled: 500 Internal Server Error: Internal Server Error %s`,
							createdID, requestIDPattern),
						`tainted`)
					mock.ClearFaults()
				},
				Config: config("Kept", "s1", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionDestroyBeforeCreate),
						priorStateCheck{testAddr, func(v map[string]any) error {
							if got := int64Of(v["id"]); got != createdID {
								return fmt.Errorf("state holds id %v, want the created %d", v["id"], createdID)
							}
							return nil
						}},
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectInstanceCount(mock, 1),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if !in.Disabled || in.ID == createdID {
							return fmt.Errorf("want a new, disabled instance: id %d (old %d), disabled %v", in.ID, createdID, in.Disabled)
						}
						return nil
					}),
				},
			},
			{ // An update that keeps failing (503, retried) leaves the old state...
				PreConfig: func() {
					createdID = mock.Instances()[0].ID
					mock.ResetRequests()
					capture.arm()
					forever("PATCH", "/instances/{id}", http.StatusServiceUnavailable)
				},
				Config: config("Renamed", "s2", true),
			},
			{ // ... so the next plan still holds the old masked secret and plans the update again.
				PreConfig: func() {
					text, diags := capture.take(t)
					if diags != 1 {
						t.Errorf("%d diagnostics, want 1:\n%s", diags, text)
					}
					expectText(t, text, `Error: Error Updating Cloud Elements Instance`,
						fmt.Sprintf(`Could not update instance %d: PATCH /instances/%d: 503 Service Unavailable: Service Unavailable %s after %d attempts`,
							createdID, createdID, requestIDPattern, defaultAttempts))
					if n := mock.RequestCount("PATCH", "/instances/{id}"); n != defaultAttempts {
						t.Errorf("%d PATCHes, want %d", n, defaultAttempts)
					}
					mock.ClearFaults()
				},
				Config: config("Renamed", "s2", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate),
						priorStateCheck{testAddr, func(v map[string]any) error {
							sc, _ := v["sensitive_configuration"].(map[string]any)
							if v["name"] != "Kept" || sc["api.secret"] != "s1" {
								return fmt.Errorf("prior state name %v, secret %v; want the old Kept and s1", v["name"], sc["api.secret"])
							}
							return nil
						}},
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.Name != "Renamed" || in.Configuration["api.secret"] != "s2" {
							return fmt.Errorf("name %q, secret %q", in.Name, in.Configuration["api.secret"])
						}
						return nil
					}),
				},
			},
			{ // A read that keeps failing stops the plan with one diagnostic.
				PreConfig: func() {
					capture.arm()
					forever("GET", "/instances/{id}", http.StatusBadGateway)
				},
				Config: config("Renamed", "s2", true),
			},
			{
				PreConfig: func() {
					text, diags := capture.take(t)
					if diags != 1 {
						t.Errorf("%d diagnostics, want 1:\n%s", diags, text)
					}
					expectText(t, text, `Error: Error Reading Cloud Elements Instance`,
						fmt.Sprintf(`Could not read instance %d: GET /instances/%d: 502 Bad Gateway: Bad Gateway %s after %d attempts`,
							createdID, createdID, requestIDPattern, defaultAttempts))
					mock.ClearFaults()
				},
				Config: config("Renamed", "s2", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateFunc(func(s *resourceState) error {
						if got := int64Of(s.values["id"]); got != createdID {
							return fmt.Errorf("id %v, want %d", s.values["id"], createdID)
						}
						return nil
					}, testAddr)},
			},
		},
	})
}

// ---------------------------------------------------------------------------
// 3. No duplicates after a lost create response.

// TestAccReliability_lostCreateAdopted: the connection drops after the mock
// created the instance. The POST is not retried; the apply adopts the one
// instance it created.
func TestAccReliability_lostCreateAdopted(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: fastRetryFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				mock.InjectFault(mockapi.Fault{Method: "POST", Route: "/instances", Mode: mockapi.FaultCommitThenDrop})
			},
			Config: mock.ProviderConfig() + `
resource "cloudelements_instance" "test" {
  element_key = "fake"
  name        = "Adoptee"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectInstanceCount(mock, 1),
				expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
					if in.Name != "Adoptee" {
						return fmt.Errorf("name %q", in.Name)
					}
					return nil
				}),
				requestCheck(func() error {
					posts := ofKind(mock.Requests(), "POST", "/instances")
					if len(posts) != 1 || posts[0].Status != 0 {
						return fmt.Errorf("POST statuses %v, want exactly one, dropped (0)", statusesOf(posts))
					}
					for _, r := range ofKind(mock.Requests(), "GET", "/instances") {
						if r.Query.Get("searchText") == "Adoptee" {
							return nil
						}
					}
					return errors.New("no search for the lost instance by name")
				}),
			},
		}},
	})
}

// TestAccReliability_lostCreateAmbiguous: when another instance of the same
// name and element was created moments ago, the apply cannot tell which one
// it created: it fails naming both ids and stores nothing.
func TestAccReliability_lostCreateAmbiguous(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	other := mock.Seed(mockapi.Instance{Name: "Twin", ElementKey: "fake"})
	var capture diagCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: fastRetryFactories,
		ErrorCheck:               capture.errorCheck,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					capture.arm()
					mock.InjectFault(mockapi.Fault{Method: "POST", Route: "/instances", Mode: mockapi.FaultCommitThenDrop})
				},
				Config: mock.ProviderConfig() + `
resource "cloudelements_instance" "test" {
  element_key = "fake"
  name        = "Twin"
}
`,
			},
			{ // Nothing was stored; the mock holds the seeded and the created instance.
				PreConfig: func() {
					text, diags := capture.take(t)
					ins := mock.Instances()
					if len(ins) != 2 {
						t.Fatalf("%d instances in the mock, want 2", len(ins))
					}
					if diags != 1 {
						t.Errorf("%d diagnostics, want 1:\n%s", diags, text)
					}
					expectText(t, text, `Error: Error Creating Cloud Elements Instance`,
						`request may have been carried out`,
						fmt.Sprintf(`2 "fake" instances named "Twin" were created in the last 15m0s \(ids %d, %d\)`, other.ID, ins[1].ID),
						`terraform import`)
				},
				Config: mock.ProviderConfig(),
				ConfigStateChecks: []statecheck.StateCheck{
					noResource(testAddr),
					expectInstanceCount(mock, 2),
				},
			},
		},
	})
}

// ---------------------------------------------------------------------------
// 4. Scale under faults.

// faultEveryNth wraps the mock: before every nth request it queues a one-shot
// fault (alternately 503 and 429 without Retry-After) that matches any
// request, so that one request in n fails transiently. The mock cannot fault
// "every nth request" by itself; queueing one fault per n requests through
// InjectFault gives exactly that ratio. It also records the highest number
// of requests in flight, and holds the first requests until hold of them are
// in flight at once (a barrier proving the CLI's parallelism; released after
// holdTimeout at the latest so a lower parallelism fails instead of hanging).
type faultEveryNth struct {
	mock        *testMock
	n           int64
	hold        int64
	holdTimeout time.Duration

	seen, injected, inFlight, maxInFlight atomic.Int64
	barrierOnce                           sync.Once
	barrier                               chan struct{}
	barrierMet                            atomic.Bool
}

func (f *faultEveryNth) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.Contains(r.URL.Path, "/elements/api-v2/elements/") || r.URL.Query().Get("pageSize") == "1" {
		// The element catalog is read once, at plan time, while every
		// instance waits for it, and the secrets are checked once when the
		// provider is configured: neither takes part in the barrier.
		f.mock.ServeHTTP(w, r)
		return
	}
	cur := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		m := f.maxInFlight.Load()
		if cur <= m || f.maxInFlight.CompareAndSwap(m, cur) {
			break
		}
	}
	if cur >= f.hold {
		f.barrierMet.Store(true)
		f.barrierOnce.Do(func() { close(f.barrier) })
	}
	select {
	case <-f.barrier:
	case <-time.After(f.holdTimeout):
		f.barrierOnce.Do(func() { close(f.barrier) })
	}
	if n := f.seen.Add(1); n%f.n == 0 {
		status := http.StatusServiceUnavailable
		if (n/f.n)%2 == 0 {
			status = http.StatusTooManyRequests
		}
		f.injected.Add(1)
		f.mock.InjectFault(mockapi.Fault{Status: status})
	}
	f.mock.ServeHTTP(w, r)
}

// TestAccReliability_scaleUnderFaults: 100 instances (count = 100) applied
// with -parallelism=20 while every 10th request fails with 503 or 429: the
// apply succeeds, the mock holds exactly 100 (no duplicate creates), the
// next plan is empty and destroy leaves none.
//
// terraform-plugin-testing has no parallelism option, and TF_CLI_ARGS_apply
// cannot help: terraform-exec always passes -parallelism=10 on the command
// line, which the CLI applies after the TF_CLI_ARGS_* values. So the test
// points TF_ACC_TERRAFORM_PATH at a small shell shim that rewrites that flag
// to -parallelism=20; a barrier in front of the mock proves that 20 requests
// were in flight at once. Not parallel (t.Setenv); POSIX only.
func TestAccReliability_scaleUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("100 instances")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the -parallelism shim is a POSIX shell script")
	}
	t.Setenv("TF_ACC_TERRAFORM_PATH", parallelismShim(t, 20))
	srv := mockapi.New(mockapi.Options{UserSecret: testUserSecret, OrganizationSecret: testOrgSecret})
	mock := &testMock{Server: srv}
	faulty := &faultEveryNth{mock: mock, n: 10, hold: 20, holdTimeout: 20 * time.Second, barrier: make(chan struct{})}
	hs := httptest.NewServer(faulty)
	t.Cleanup(hs.Close)
	mock.BaseURL = hs.URL + "/elements/api-v2"

	config := mock.ProviderConfig() + `
resource "cloudelements_instance" "many" {
  count       = 100
  element_key = "fake"
  name        = "many-${count.index}"
  tags        = ["scale"]
}
`
	faulted := func() int {
		n := 0
		for _, r := range mock.Requests() {
			if r.Status == http.StatusServiceUnavailable || r.Status == http.StatusTooManyRequests {
				n++
			}
		}
		return n
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWithWaits(5*time.Millisecond, 50*time.Millisecond),
		CheckDestroy: func(s *terraform.State) error {
			if err := checkMockEmpty(mock)(s); err != nil {
				return err
			}
			// At least 20: 100 creates and 100 deletes; batched reads make
			// each refresh a few requests (read_batcher.go).
			if got, want := faulted(), int(faulty.injected.Load()); got != want || want < 20 {
				return fmt.Errorf("%d faulted answers, %d faults injected; want them equal and at least 20", got, want)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				expectInstanceCount(mock, 100),
				requestCheck(func() error {
					var ok int
					for _, r := range ofKind(mock.Requests(), "POST", "/instances") {
						if r.Status == http.StatusOK {
							ok++
						}
					}
					if ok != 100 {
						return fmt.Errorf("%d successful creates, want 100", ok)
					}
					if !faulty.barrierMet.Load() {
						return fmt.Errorf("at most %d requests were in flight at once, want %d: -parallelism=20 did not reach the CLI",
							faulty.maxInFlight.Load(), faulty.hold)
					}
					if f, inj := faulted(), faulty.injected.Load(); f == 0 || int64(f) != inj {
						return fmt.Errorf("%d faulted answers, %d injected", f, inj)
					}
					return nil
				}),
				manyInState(100),
			},
		}},
	})
	t.Logf("%d requests, %d faults injected, at most %d in flight at once",
		faulty.seen.Load(), faulty.injected.Load(), faulty.maxInFlight.Load())
}

// parallelismShim writes an executable that runs the CLI named by
// TF_ACC_TERRAFORM_PATH with terraform-exec's fixed -parallelism=10 replaced.
func parallelismShim(t *testing.T, parallelism int) string {
	t.Helper()
	real := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if real == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is not set")
	}
	shim := filepath.Join(t.TempDir(), "terraform-parallelism-shim")
	script := fmt.Sprintf(`#!/bin/sh
# Generated by TestAccReliability_scaleUnderFaults.
for arg do
  shift
  if [ "$arg" = "-parallelism=10" ]; then arg="-parallelism=%d"; fi
  set -- "$@" "$arg"
done
exec '%s' "$@"
`, parallelism, strings.ReplaceAll(real, "'", `'\''`))
	if err := os.WriteFile(shim, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return shim
}

// ---------------------------------------------------------------------------
// Calling the provider server directly (no CLI): for diagnostics the CLI
// does not surface to tests (warnings) and for cancellation.

// TestReliability_lostCreateWarning: the adoption after a lost response is
// reported as a warning naming the adopted instance (the CLI shows warnings
// but plugin-testing does not hand them to tests, hence the direct call).
func TestReliability_lostCreateWarning(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	ctx := context.Background()
	d := newDirectProvider(t, ctx, mock, 10*time.Millisecond, 50*time.Millisecond)
	mock.InjectFault(mockapi.Fault{Method: "POST", Route: "/instances", Mode: mockapi.FaultCommitThenDrop})
	resp := d.create(ctx, map[string]tftypes.Value{"element_key": str("fake"), "name": str("Lost")})
	ins := mock.Instances()
	if len(ins) != 1 {
		t.Fatalf("%d instances, want 1", len(ins))
	}
	if diagsHaveError(resp.Diagnostics) || len(resp.Diagnostics) != 1 {
		t.Fatalf("want exactly one warning, got:\n%s", diagsText(resp.Diagnostics))
	}
	w := resp.Diagnostics[0]
	wantDetail := fmt.Sprintf("instance %d (created %s) is now managed by Terraform", ins[0].ID, ins[0].CreatedDate.UTC().Format(time.RFC3339))
	if w.Severity != tfprotov6.DiagnosticSeverityWarning || w.Summary != "Adopted Cloud Elements Instance After a Lost Response" ||
		!strings.Contains(w.Detail, wantDetail) {
		t.Errorf("warning:\n%s\nwant detail containing %q", diagsText(resp.Diagnostics), wantDetail)
	}
	if got := d.attr(resp.NewState, "id"); got != strconv.FormatInt(ins[0].ID, 10) {
		t.Errorf("state id %q, want %d", got, ins[0].ID)
	}
}

// ---------------------------------------------------------------------------
// 7. Cancellation.

// cancelOnLog is a log sink that cancels a context as soon as the provider
// logs an API attempt answered with the given status: the client logs each
// attempt right before deciding to retry and waiting, so the cancel lands
// in the backoff.
type cancelOnLog struct {
	status string
	cancel context.CancelFunc
	mu     sync.Mutex
	lines  []string
}

func (c *cancelOnLog) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	line := string(p)
	c.lines = append(c.lines, line)
	if strings.Contains(line, `"@message":"Cloud Elements API request"`) && strings.Contains(line, `"status":`+c.status) {
		c.cancel()
	}
	return len(p), nil
}

// TestReliability_cancelledDuringBackoff: an apply (create) and a refresh
// (read) interrupted while the client waits to retry return at once with the
// context's error. The waits here are an hour (Retry-After: 3600 and a
// one-hour minimum), so a provider that did not pass the context all the way
// down would hang the test instead of finishing.
func TestReliability_cancelledDuringBackoff(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	d := newDirectProvider(t, context.Background(), mock, time.Hour, 2*time.Hour)

	// Create: the POST is answered 503 with Retry-After; cancelled in the wait.
	mock.InjectFault(mockapi.Fault{Method: "POST", Route: "/instances", Status: http.StatusServiceUnavailable, RetryAfter: "3600", Count: -1})
	ctx, cancel := context.WithCancel(context.Background())
	sink := &cancelOnLog{status: "503", cancel: cancel}
	resp := withinHangGuard(t, func() *tfprotov6.ApplyResourceChangeResponse {
		return d.create(tflogtest.RootLogger(ctx, sink), map[string]tftypes.Value{"element_key": str("fake"), "name": str("Interrupted")})
	})
	cancel()
	if !diagsHaveError(resp.Diagnostics) {
		t.Fatalf("create succeeded: %s", diagsText(resp.Diagnostics))
	}
	text := diagsText(resp.Diagnostics)
	if !strings.Contains(text, "Error Creating Cloud Elements Instance") || !strings.Contains(text, "context canceled") {
		t.Errorf("diagnostics:\n%s", text)
	}
	if n := mock.RequestCount("POST", "/instances"); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}
	if n := len(mock.Instances()); n != 0 || d.attr(resp.NewState, "id") != "" {
		t.Errorf("%d instances in the mock, state id %q; want none", n, d.attr(resp.NewState, "id"))
	}

	// Read: a refresh of an existing instance, answered 429 forever.
	mock.ClearFaults()
	created := d.create(context.Background(), map[string]tftypes.Value{"element_key": str("fake"), "name": str("Readable")})
	if diagsHaveError(created.Diagnostics) {
		t.Fatal(diagsText(created.Diagnostics))
	}
	mock.InjectFault(mockapi.Fault{Method: "GET", Route: "/instances/{id}", Status: http.StatusTooManyRequests, RetryAfter: "3600", Count: -1})
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	sink = &cancelOnLog{status: "429", cancel: cancel}
	read := withinHangGuard(t, func() *tfprotov6.ReadResourceResponse {
		read, err := d.server.ReadResource(tflogtest.RootLogger(ctx, sink), &tfprotov6.ReadResourceRequest{TypeName: d.resource, CurrentState: created.NewState})
		if err != nil {
			t.Error(err)
			return &tfprotov6.ReadResourceResponse{}
		}
		return read
	})
	text = diagsText(read.Diagnostics)
	if !diagsHaveError(read.Diagnostics) || !strings.Contains(text, "Error Reading Cloud Elements Instance") || !strings.Contains(text, "context canceled") {
		t.Errorf("diagnostics:\n%s", text)
	}
	if n := mock.RequestCount("GET", "/instances/{id}"); n != 1 {
		t.Errorf("%d GETs, want 1", n)
	}
}
