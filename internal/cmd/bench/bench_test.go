// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
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
