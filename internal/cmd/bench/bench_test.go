// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{"-n", "5,10", "-latency", "0,50ms", "-rounds", "2", "-provider", "base=/tmp/p"})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.sizes) != 2 || o.sizes[1] != 10 || o.latencies[1] != 50*time.Millisecond || o.rounds != 2 ||
		len(o.variants) != 1 || o.variants[0].name != "base" {
		t.Errorf("parsed %+v", o)
	}
	for _, bad := range [][]string{{"-provider", "cloudelements=/x"}, {"-provider", "nopath"}, {"-n", "x"}, {"-rounds", "0"}} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestCheckOutcome(t *testing.T) {
	for _, c := range []struct {
		op            string
		exit, objects int
		ok            bool
	}{
		{"apply", 0, 3, true}, {"apply", 0, 2, false}, {"apply", 1, 3, false},
		{"plan", 0, 3, true}, {"plan", 2, 3, false},
		{"destroy", 0, 0, true}, {"destroy", 0, 1, false}, {"destroy", 0, -1, true},
	} {
		if err := checkOutcome(c.op, 3, c.exit, c.objects); (err == nil) != c.ok {
			t.Errorf("checkOutcome(%s, exit %d, %d objects) = %v", c.op, c.exit, c.objects, err)
		}
	}
}

// The report's ratios are of medians, and the credentials check is not an
// object's request.
func TestRenderReport(t *testing.T) {
	var samples []sample
	for i, wall := range []float64{1, 3, 2} {
		samples = append(samples,
			sample{N: 10, Op: "plan", Contender: "floor", Wall: wall, Round: i + 1},
			sample{N: 10, Op: "plan", Contender: "cloudelements", Wall: 2 * wall, Round: i + 1,
				Requests: map[string]int{checkRequest: 1, "GET /instances": 1, "GET /instances/{id}": 2}},
			sample{N: 10, Op: "plan", Contender: "restapi", Wall: 4 * wall, Round: i + 1,
				Requests: map[string]int{"GET /instances/{id}": 10}})
	}
	o := options{sizes: []int{10}, latencies: []time.Duration{0}}
	got := renderReport("header", o, samples)
	for _, want := range []string{
		"| 10 | plan | cloudelements | 3 | 4.00 | 2.00x | 0.50x | 0.300 | 1 |",
		"| 10 | plan | restapi | 3 | 8.00 | 4.00x | – | 1.000 | 0 |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}
