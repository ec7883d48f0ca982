// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
)

// group is the samples of one contender for one size, latency
// and operation.
type group struct {
	n         int
	latency   time.Duration
	op        string
	contender string
}

// summary is what the tables show of a group.
type summary struct {
	wall, providerCPU, terraformCPU, rss float64 // medians; rss the max
	requests                             float64 // median API requests per object, the credentials check aside
	checks                               float64 // median credentials checks per operation
	processes                            float64 // median provider processes per operation
	rounds                               int
}

func summarize(samples []sample) map[group]summary {
	by := map[group][]sample{}
	for _, s := range samples {
		g := group{s.N, s.Latency, s.Op, s.Contender}
		by[g] = append(by[g], s)
	}
	out := map[group]summary{}
	for g, ss := range by {
		pick := func(f func(sample) float64) float64 {
			v := make([]float64, len(ss))
			for i, s := range ss {
				v[i] = f(s)
			}
			return median(v)
		}
		sum := summary{rounds: len(ss)}
		sum.wall = pick(func(s sample) float64 { return s.Wall })
		sum.providerCPU = pick(func(s sample) float64 { return s.ProviderCPU })
		sum.terraformCPU = pick(func(s sample) float64 { return s.TerraformCPU })
		sum.processes = pick(func(s sample) float64 { return float64(s.Processes) })
		sum.checks = pick(func(s sample) float64 { return float64(s.Requests[checkRequest]) })
		sum.requests = pick(func(s sample) float64 {
			total := 0
			for route, c := range s.Requests {
				if route != checkRequest {
					total += c
				}
			}
			return float64(total) / float64(s.N)
		})
		for _, s := range ss {
			sum.rss = max(sum.rss, s.ProviderRSS)
		}
		out[g] = sum
	}
	return out
}

// renderReport is the Markdown of a run: per latency, one
// row per size, operation and contender.
func renderReport(header string, o options, samples []sample) string {
	sums := summarize(samples)
	var b strings.Builder
	b.WriteString("# make bench\n\n" + header + "\n\n")
	b.WriteString("Median wall seconds over the rounds; vs floor and vs restapi are ratios of medians at the same size and " +
		"operation (the floor makes no request: its samples serve every latency). Requests: API requests per object, the " +
		"credentials check (once per provider process) apart. Provider CPU: all provider processes of the operation " +
		"(Terraform starts one per graph walk); RSS: the largest of them. Terraform CPU: the CLI without its providers.\n")
	for _, lat := range o.latencies {
		fmt.Fprintf(&b, "\n## %s per request\n\n", latencyName(lat))
		b.WriteString("| N | op | contender | rounds | median s | vs floor | vs restapi | requests / object | checks | provider processes | provider CPU ms / object | provider peak RSS MiB | Terraform CPU s |\n")
		b.WriteString("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, n := range o.sizes {
			for _, op := range []string{"apply", "plan", "destroy"} {
				floor, hasFloor := sums[group{n, o.latencies[0], op, "floor"}]
				rest, hasRest := sums[group{n, lat, op, "restapi"}]
				for _, c := range contenderNames(sums) {
					at := lat
					if c == "floor" {
						at = o.latencies[0]
					}
					s, ok := sums[group{n, at, op, c}]
					if !ok {
						continue
					}
					fmt.Fprintf(&b, "| %d | %s | %s | %d | %.2f | %s | %s | %s | %s | %s | %s | %s | %.2f |\n",
						n, op, c, s.rounds, s.wall, ratio(s.wall, floor.wall, hasFloor && c != "floor"), ratio(s.wall, rest.wall, hasRest && c != "restapi"),
						providerOnly(c, "%.3f", s.requests), providerOnly(c, "%.0f", s.checks), providerOnly(c, "%.0f", s.processes),
						providerOnly(c, "%.2f", 1000*s.providerCPU/float64(n)), providerOnly(c, "%.1f", s.rss), s.terraformCPU)
				}
			}
		}
	}
	return b.String()
}

// contenderNames: floor, cloudelements, the variants, restapi.
func contenderNames(sums map[group]summary) []string {
	seen := map[string]bool{}
	for g := range sums {
		seen[g.contender] = true
	}
	rank := func(c string) int {
		if r, ok := map[string]int{"floor": 0, "cloudelements": 1, "restapi": 3}[c]; ok {
			return r
		}
		return 2 // a -provider variant
	}
	names := slices.Collect(maps.Keys(seen))
	sort.Slice(names, func(i, j int) bool {
		if rank(names[i]) != rank(names[j]) {
			return rank(names[i]) < rank(names[j])
		}
		return names[i] < names[j]
	})
	return names
}

func ratio(v, base float64, ok bool) string {
	if !ok || base == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2fx", v/base)
}

func providerOnly(contender, format string, v float64) string {
	if contender == "floor" {
		return "–"
	}
	return fmt.Sprintf(format, v)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(v))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// loadSummary is the min, median and max 1-minute load average.
func loadSummary(samples []sample) string {
	var v []float64
	for _, s := range samples {
		v = append(v, s.Load1)
	}
	if len(v) == 0 {
		return "none"
	}
	return fmt.Sprintf("min %.1f, median %.1f, max %.1f", slices.Min(v), median(v), slices.Max(v))
}
