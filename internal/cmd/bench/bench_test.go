// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

func TestStatsOf(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want stats
	}{
		{nil, stats{}},
		{[]float64{3}, stats{3, 3, 3}},
		{[]float64{5, 1, 3}, stats{1, 3, 5}},
		{[]float64{4, 1, 3, 2}, stats{1, 2.5, 4}},
	} {
		if got := statsOf(tc.in); got != tc.want {
			t.Errorf("statsOf(%v) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

const tracesText = `File: provider-pprof
Type: cpu
-----------+-------------------------------------------------------
     20ms   encoding/json.appendString[go.shape.string]
            github.com/hashicorp/go-hclog.(*intLogger).logJSON
            github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server.(*server).ReadResource
            google.golang.org/grpc.(*Server).processUnaryRPC
-----------+-------------------------------------------------------
     10ms   runtime.mallocgc
            regexp.Compile
            github.com/hashicorp/terraform-plugin-framework/internal/reflect.getStructTags
            github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server.(*server).PlanResourceChange
-----------+-------------------------------------------------------
     10ms   runtime.scanobject
            runtime.gcDrain
            runtime.gcBgMarkWorker
-----------+-------------------------------------------------------
     1.50s  encoding/json.(*decodeState).object
            github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements.decodeInstance
            github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server.(*server).ReadResource
-----------+-------------------------------------------------------
`

func TestParseAndClassifyTraces(t *testing.T) {
	traces := parseTraces(tracesText)
	if len(traces) != 4 {
		t.Fatalf("parsed %d traces, want 4: %+v", len(traces), traces)
	}
	want := []struct {
		value     time.Duration
		rpc, kind string
	}{
		{20 * time.Millisecond, "ReadResource", kindLogging},
		{10 * time.Millisecond, "PlanResourceChange", "framework: data handling, plan modification, validation, reflection"},
		{10 * time.Millisecond, "(no RPC)", kindGC},
		{1500 * time.Millisecond, "ReadResource", "JSON (encoding/json)"},
	}
	for i, w := range want {
		tr := traces[i]
		if tr.value != w.value || rpcOf(tr) != w.rpc || kindOf(tr) != w.kind {
			t.Errorf("trace %d: value %s rpc %q kind %q, want %s %q %q", i, tr.value, rpcOf(tr), kindOf(tr), w.value, w.rpc, w.kind)
		}
	}
	var b strings.Builder
	writeBreakdown(&b, traces, 10)
	if !strings.Contains(b.String(), "| **total** |") {
		t.Errorf("breakdown without a total row:\n%s", b.String())
	}
}

func TestPprofTotals(t *testing.T) {
	top := "Type: alloc_space\nShowing nodes accounting for 426.66MB, 72.40% of 589.31MB total\n"
	if got := totalOf(top); got != "589.31MB" {
		t.Errorf("totalOf = %q", got)
	}
	if got := perInstanceBytes("589.31MB", 200); got != "3017 kB" {
		t.Errorf("perInstanceBytes = %q", got)
	}
	if got := perInstanceBytes("1025.19kB", 1); got != "1025 kB" {
		t.Errorf("perInstanceBytes = %q", got)
	}
}

func TestExtraSizes(t *testing.T) {
	ns := []int{200, 1000}
	for in, want := range map[string]string{"0": "[]", "": "[]", "1": "[200 1000]", "true": "[200 1000]", "200": "[200]"} {
		got, err := extraSizes("X", in, ns)
		if err != nil || fmt.Sprint(got) != want {
			t.Errorf("extraSizes(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if _, err := extraSizes("X", "300", ns); err == nil {
		t.Error("extraSizes accepted a size not in BENCH_N")
	}
}

func TestElementFor(t *testing.T) {
	e, err := elementFor("sageone")
	if err != nil {
		t.Fatal(err)
	}
	if !e.oauth {
		t.Error("sageone should be an OAuth element")
	}
	// Its required inputs: the OAuth client id and callback in
	// configuration, the secret in sensitive_configuration.
	for _, k := range []string{"oauth.api.key", "oauth.callback.url"} {
		if e.plain[k] == "" {
			t.Errorf("configuration lacks %s: %v", k, e.plain)
		}
	}
	if e.secret["oauth.api.secret"] == "" {
		t.Errorf("sensitive_configuration lacks oauth.api.secret: %v", e.secret)
	}
	if _, err := elementFor("no-such-element"); err == nil {
		t.Error("an unknown element was accepted")
	}
}

func TestConfigsCarryTheSameValues(t *testing.T) {
	e, err := elementFor("sageone")
	if err != nil {
		t.Fatal(err)
	}
	configs := map[string]string{
		"floor":         floorConfig(3, e),
		"cloudelements": providerConfig(3, "http://127.0.0.1:1/elements/api-v2", e),
		"restapi":       restapiConfig(3, "http://127.0.0.1:1/elements/api-v2", e),
	}
	for name, cfg := range configs {
		for _, want := range []string{`"sageone"`, `bench-${count.index}`, `"n-${count.index}"`, `bench-code-${count.index}`,
			`"oauth.api.key"`, `"oauth.api.secret"`, `https://hooks.example.com/bench/${count.index}`} {
			if !strings.Contains(cfg, want) {
				t.Errorf("%s configuration lacks %s:\n%s", name, want, cfg)
			}
		}
	}
	if !strings.Contains(configs["restapi"], `providerData`) || !strings.Contains(configs["restapi"], `"event.notification.enabled"`) {
		t.Errorf("the restapi body differs from what cloudelements sends:\n%s", configs["restapi"])
	}
}

func TestContenders(t *testing.T) {
	s := settings{restapi: true, managed: []int{200}}
	for _, tc := range []struct {
		n, li int
		want  string
	}{
		{200, 0, "[terraform_data cloudelements restapi cloudelements/managed]"},
		{1000, 0, "[terraform_data cloudelements restapi]"},
		{200, 1, "[cloudelements restapi]"}, // the floor and the variants: first latency only
		{0, 0, "[terraform_data cloudelements restapi cloudelements/managed]"},
	} {
		if got := fmt.Sprint(contenders(s, tc.n, tc.li)); got != tc.want {
			t.Errorf("contenders(N=%d, latency #%d) = %s, want %s", tc.n, tc.li, got, tc.want)
		}
	}
}

func TestCatalogRoute(t *testing.T) {
	for route, want := range map[string]bool{"/elements/{keyOrId}": true, "/elements/{keyOrId}/configuration": true,
		"/instances": false, "/instances/{id}": false} {
		if catalogRoute(route) != want {
			t.Errorf("catalogRoute(%q) = %v", route, !want)
		}
	}
}

func TestWithLatency(t *testing.T) {
	var served atomic.Int64
	h := withLatency(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { served.Add(1) }), time.Millisecond)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if served.Load() != 1 {
		t.Fatal("the request was not passed on")
	}
	// A request whose client has gone is dropped, not served.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	withLatency(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { served.Add(1) }), time.Hour).
		ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil).WithContext(ctx))
	if served.Load() != 1 {
		t.Error("a cancelled request was served")
	}
}

func loadTestAssets(t *testing.T) *assetBodies {
	t.Helper()
	repo, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	a, err := loadAssetBodies(repo)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestLoadAssetBodies(t *testing.T) {
	a := loadTestAssets(t)
	// The corpora hold 70 documented formulas and some 200 definitions; the
	// plan-time checks (probeAssets, which needs Terraform) leave out a few.
	if len(a.formulas) < 60 || len(a.commons) < 150 {
		t.Fatalf("%d formulas and %d common resources loaded, want at least 60 and 150", len(a.formulas), len(a.commons))
	}
	files := map[string]bool{}
	for _, f := range a.formulas {
		if files[f.file] {
			t.Errorf("formula %s loaded twice", f.file)
		}
		files[f.file] = true
		def, err := parseJSONObject(f.json)
		if err != nil {
			t.Fatalf("%s: %v", f.file, err)
		}
		if _, ok := def["name"]; ok {
			t.Errorf("%s keeps its documented name, which would override each copy's name argument", f.file)
		}
		if _, ok := def["steps"]; !ok {
			if _, ok := def["triggers"]; !ok {
				t.Errorf("%s has neither steps nor triggers: a fragment", f.file)
			}
		}
	}
	for _, c := range a.commons {
		if len(c.fields) == 0 || strings.ContainsAny(commonName(c), "/ \t") {
			t.Errorf("common resource %q: %d fields, name %q", c.name, len(c.fields), commonName(c))
		}
	}
}

func TestFormulaOfRecord(t *testing.T) {
	for in, want := range map[string]string{
		`{"name":"a","steps":[]}`: "a",
		`{"source":"x","request":{"name":"b","triggers":[]},"response":{"id":1}}`:    "b",
		`{"source":"x","request":null,"response":[{"name":"c","configuration":[]}]}`: "c",
		`{"source":"x","request":{"name":"d"}}`:                                      "",
		`{"steps":`:                                                                  "",
	} {
		def, why := formulaOfRecord([]byte(in))
		if got, _ := def["name"].(string); got != want || (def == nil) == (why == "") {
			t.Errorf("formulaOfRecord(%s) = %v, %q; want name %q", in, def, why, want)
		}
	}
}

func TestAssetConfigsCarryTheSameBodies(t *testing.T) {
	a := loadTestAssets(t)
	n := 2*len(a.commons) + 1 // every body, more than once
	for _, tc := range []struct {
		resource        string
		floor, provider string
	}{
		{formulaType, formulaConfig(n, a.formulas, true), formulaConfig(n, a.formulas, false)},
		{commonType, commonConfig(n, a.commons, true), commonConfig(n, a.commons, false)},
	} {
		if !strings.Contains(tc.provider, fmt.Sprintf("resource %q \"bench\" {\n  count = %d\n", tc.resource, n)) ||
			!strings.Contains(tc.floor, fmt.Sprintf("resource \"terraform_data\" \"bench\" {\n  count = %d\n  triggers_replace = {\n", n)) {
			t.Errorf("%s: not %d resources:\n%s\n%s", tc.resource, n, tc.provider, tc.floor)
		}
		// The same local list of bodies, and the same arguments: the floor's
		// triggers_replace holds what the provider's resource sets.
		locals := func(cfg string) string { l, _, _ := strings.Cut(cfg, "resource "); return l }
		if locals(tc.floor) != locals(tc.provider) {
			t.Errorf("%s: the floor carries other bodies than the provider", tc.resource)
		}
		args := func(cfg string, head, tail int) []string {
			_, res, _ := strings.Cut(cfg, "resource ")
			lines := strings.Split(strings.TrimSpace(res), "\n")
			var out []string
			for _, l := range lines[head : len(lines)-tail] {
				out = append(out, strings.TrimSpace(l))
			}
			return out
		}
		if p, f := args(tc.provider, 2, 1), args(tc.floor, 3, 2); len(p) < 2 || fmt.Sprint(p) != fmt.Sprint(f) {
			t.Errorf("%s: the provider's arguments %q differ from the floor's triggers_replace %q", tc.resource, p, f)
		}
	}
	for _, f := range a.formulas {
		if !strings.Contains(formulaConfig(1, a.formulas, false), fmt.Sprintf("file = %q", f.file)) {
			t.Errorf("formula %s is not in the configuration", f.file)
		}
	}
	// Unique names: bench-<index> for formulas; <documented name>_<index>
	// for common resources, which a documented name ending in _<digits>
	// cannot collide with (the index is the last _<digits>).
	names := map[string]bool{}
	for i := range n {
		name := fmt.Sprintf("%s_%d", commonName(a.commons[i%len(a.commons)]), i)
		if names[name] {
			t.Fatalf("two common resources named %s", name)
		}
		names[name] = true
	}
	if want := fmt.Sprintf(`name   = "${local.bodies[count.index %% %d].name}_${count.index}"`, len(a.commons)); !strings.Contains(commonConfig(1, a.commons, false), want) {
		t.Error("the common resources are not named <documented name>_<index>")
	}
}

// TestAssetFloorConfigsPlan plans the floor configurations with Terraform
// (terraform_data needs no provider and no init): every file() is found and
// every body is a value Terraform takes. Skipped without terraform on PATH.
func TestAssetFloorConfigsPlan(t *testing.T) {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("no terraform on PATH")
	}
	a := loadTestAssets(t)
	for _, resource := range assetTypes {
		dir := t.TempDir()
		n := max(len(a.formulas), len(a.commons))
		if err := a.writeConfig(dir, resource, n, true, ""); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(tf, "plan", "-input=false", "-no-color", "-refresh=false")
		cmd.Dir, cmd.Env = dir, cleanEnv("CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+filepath.Join(dir, "none.tfrc"))
		out, err := cmd.CombinedOutput()
		if want := fmt.Sprintf("Plan: %d to add, 0 to change, 0 to destroy.", n); err != nil || !strings.Contains(string(out), want) {
			t.Errorf("%s floor: %v, want %q:\n%s", resource, err, want, out)
		}
	}
}

func TestCheckOutcomeAndCountAssets(t *testing.T) {
	mock := mockapi.New(mockapi.Options{UserSecret: userSecret, OrganizationSecret: orgSecret})
	count := mockCounter(mock, formulaType)
	if err := checkOutcome("destroy", 1, 0, count); err != nil {
		t.Errorf("no formulas, destroy: %v", err)
	}
	if status, out := mockPost(mock, "/formulas", map[string]any{"triggers": []any{map[string]any{"type": "manual"}}, "steps": []any{}}, "one"); status != http.StatusOK {
		t.Fatalf("POST /formulas: %d %s", status, out)
	}
	if err := checkOutcome("apply", 1, 0, count); err != nil {
		t.Errorf("one formula, apply of 1: %v", err)
	}
	if err := checkOutcome("apply", 2, 0, count); err == nil || !strings.Contains(err.Error(), "1 formulas, want 2") {
		t.Errorf("one formula, apply of 2: %v", err)
	}
	if err := checkOutcome("apply", 1, 0, mockCounter(mock, commonType)); err == nil || !strings.Contains(err.Error(), "0 common_resources") {
		t.Errorf("no common resource, apply of 1: %v", err)
	}
	if err := checkOutcome("plan", 1, 2, nil); err == nil {
		t.Error("a non-empty plan passed")
	}
	if err := checkOutcome("apply", 5, 0, nil); err != nil {
		t.Errorf("the floor (no mock): %v", err)
	}
}

func TestParseSizesZero(t *testing.T) {
	if got, err := parseSizes("BENCH_N", "0"); err != nil || len(got) != 0 {
		t.Errorf("parseSizes(0) = %v, %v; want none", got, err)
	}
	if _, err := parseSizes("BENCH_ASSETS", "-1"); err == nil {
		t.Error("a negative size was accepted")
	}
}

func parseJSONObject(b []byte) (map[string]any, error) {
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

func TestRequestBound(t *testing.T) {
	for _, c := range []struct {
		op   string
		n    int
		want float64
	}{
		{"apply", 1000, 1000},
		{"plan", 1000, 8}, // 5 pages, 3 reads by id
		{"plan", 200, 4},  // 1 page
		{"plan", 2, 2},    // never more than a read each
		{"destroy", 1000, 1008},
	} {
		if got := requestBound(c.op, c.n); got != c.want {
			t.Errorf("requestBound(%s, %d) = %v, want %v", c.op, c.n, got, c.want)
		}
	}
}

func TestCredentialsCheck(t *testing.T) {
	check := mockapi.Request{Method: http.MethodGet, Route: "/instances", Query: url.Values{"pageSize": {"1"}}}
	page := mockapi.Request{Method: http.MethodGet, Route: "/instances", Query: url.Values{"pageSize": {"200"}}}
	if !credentialsCheck(check) || credentialsCheck(page) {
		t.Errorf("credentialsCheck: check %v, listing page %v", credentialsCheck(check), credentialsCheck(page))
	}
}

func TestParseMemOps(t *testing.T) {
	for in, want := range map[string][]string{
		"apply,plan,destroy": {"apply", "plan", "destroy"}, "apply, plan": {"apply", "plan"}, "apply": {"apply"},
		"apply,destroy": {"apply", "destroy"},
		"plan":          nil, "apply,apply": nil, "apply,refresh": nil, "destroy,apply": nil, "": nil,
	} {
		got, err := parseMemOps(in)
		if (err != nil) != (want == nil) || !slices.Equal(got, want) {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
}
