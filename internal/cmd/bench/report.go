// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
)

// The project's targets, reported against (never enforced).
var (
	targetRequests  = map[string]float64{"apply": 1, "plan": 1, "destroy": 2}
	targetRatio     = map[string]float64{"apply": 2, "plan": 5, "destroy": 2}
	targetRSSMiB    = 60.0
	targetRSSAtSize = 1000
)

type stats struct{ min, median, max float64 }

func statsOf(xs []float64) stats {
	if len(xs) == 0 {
		return stats{}
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return stats{s[0], m, s[len(s)-1]}
}

func pick(samples []sample, contender string, n int, op string) []sample {
	var out []sample
	for _, s := range samples {
		if s.Contender == contender && s.N == n && s.Op == op {
			out = append(out, s)
		}
	}
	return out
}

func field(ss []sample, f func(sample) float64) []float64 {
	out := make([]float64, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}

// perInstance is the median of requests per instance over the rounds, and
// whether every round agreed.
func perInstance(ss []sample, n int, f func(sample) int) (float64, bool) {
	xs := field(ss, func(s sample) float64 { return float64(f(s)) / float64(n) })
	st := statsOf(xs)
	return st.median, st.min == st.max
}

func report(w io.Writer, s settings, samples []sample) {
	fmt.Fprintf(w, "## Terraform operations: %s vs the %s floor\n\n", provider, floor)
	fmt.Fprintln(w, "Wall seconds per operation over the rounds; ratio = median / median of the floor at the same N and operation. "+
		"Requests per instance from the mock's counters (reset before each operation). "+
		"Provider CPU (user+sys) and peak RSS from the provider process's rusage (one process per operation); "+
		"CPU per instance = median provider CPU / N. Terraform CPU: the CLI process itself.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| N | op | contender | rounds | min s | median s | max s | ratio | req/inst | provider CPU s | CPU ms/inst | provider peak RSS MiB (median / max) | terraform CPU s |")
	fmt.Fprintln(w, "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, n := range s.ns {
		for _, op := range ops {
			fl := statsOf(field(pick(samples, floor, n, op), func(x sample) float64 { return x.WallSec }))
			for _, c := range contenders(s, 0) {
				ss := pick(samples, c, n, op)
				if len(ss) == 0 {
					continue
				}
				wall := statsOf(field(ss, func(x sample) float64 { return x.WallSec }))
				tfcpu := statsOf(field(ss, func(x sample) float64 { return x.TFCPUSec }))
				ratio, req, cpu, cpuPer, rss := "1.00", "–", "–", "–", "–"
				if c != floor {
					if fl.median > 0 {
						ratio = fmt.Sprintf("**%.2f**", wall.median/fl.median)
					}
					r, same := perInstance(ss, n, func(x sample) int { return x.TotalReqs })
					req = fmt.Sprintf("%.2f", r)
					if !same {
						req += " (varies)"
					}
					pc := statsOf(field(ss, func(x sample) float64 { return x.ProvCPUSec }))
					cpu = fmt.Sprintf("%.2f", pc.median)
					cpuPer = fmt.Sprintf("%.2f", pc.median/float64(n)*1000)
					pr := statsOf(field(ss, func(x sample) float64 { return float64(x.ProvRSSKiB) / 1024 }))
					rss = fmt.Sprintf("%.1f / %.1f", pr.median, pr.max)
				}
				fmt.Fprintf(w, "| %d | %s | %s | %d | %.2f | %.2f | %.2f | %s | %s | %s | %s | %s | %.2f |\n",
					n, op, c, len(ss), wall.min, wall.median, wall.max, ratio, req, cpu, cpuPer, rss, tfcpu.median)
			}
		}
	}

	fmt.Fprintln(w, "\n### API requests per instance, by route (median over rounds)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| N | op | contender | requests per instance | failed (non-2xx) | provider processes | provider log kB per instance |")
	fmt.Fprintln(w, "|---:|---|---|---|---:|---:|---:|")
	for _, n := range s.ns {
		for _, op := range ops {
			for _, c := range contenders(s, 0)[1:] {
				ss := pick(samples, c, n, op)
				if len(ss) == 0 {
					continue
				}
				requestRow(w, ss, n, op, c)
			}
		}
	}
	targets(w, s, samples)
}

func requestRow(w io.Writer, ss []sample, n int, op, c string) {
	{
		{
			routes := map[string]bool{}
			for _, x := range ss {
				for k := range x.Requests {
					routes[k] = true
				}
			}
			var parts []string
			for _, route := range slices.Sorted(maps.Keys(routes)) {
				r, _ := perInstance(ss, n, func(x sample) int { return x.Requests[route] })
				parts = append(parts, fmt.Sprintf("`%s` %.2f", route, r))
			}
			failed, _ := perInstance(ss, 1, func(x sample) int { return x.FailedReqs })
			procs, _ := perInstance(ss, 1, func(x sample) int { return max(x.ProvProcs, 1) })
			logKB := "– (to Terraform)"
			if c != managed {
				logKB = fmt.Sprintf("%.1f", statsOf(field(ss, func(x sample) float64 { return float64(x.ProvLogB) / 1024 / float64(n) })).median)
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s | %.0f | %.0f | %s |\n", n, op, c, strings.Join(parts, ", "), failed, procs, logKB)
		}
	}
}

// targets reports the main contender (the provider) against the project's
// targets.
func targets(w io.Writer, s settings, samples []sample) {
	fmt.Fprintln(w, "\n### Against the project's targets (reported, not enforced)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | N | measured | verdict |")
	fmt.Fprintln(w, "|---|---:|---|---|")
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**missed**"
	}
	for _, n := range s.ns {
		for _, op := range ops {
			ss := pick(samples, provider, n, op)
			if len(ss) == 0 {
				continue
			}
			r, _ := perInstance(ss, n, func(x sample) int { return x.TotalReqs })
			fmt.Fprintf(w, "| %s: requests per instance = %.0f | %d | %.2f | %s |\n", op, targetRequests[op], n, r, verdict(r <= targetRequests[op]+1e-9))
		}
	}
	for _, n := range s.ns {
		for _, op := range ops {
			pv := statsOf(field(pick(samples, provider, n, op), func(x sample) float64 { return x.WallSec }))
			fl := statsOf(field(pick(samples, floor, n, op), func(x sample) float64 { return x.WallSec }))
			if fl.median == 0 || pv.median == 0 {
				continue
			}
			ratio := pv.median / fl.median
			fmt.Fprintf(w, "| %s: median within %.0fx of the floor | %d | %.2fx | %s |\n", op, targetRatio[op], n, ratio, verdict(ratio <= targetRatio[op]))
		}
	}
	for _, n := range s.ns {
		if n != targetRSSAtSize {
			continue
		}
		peak := 0.0
		for _, x := range samples {
			if x.Contender == provider && x.N == n {
				peak = max(peak, float64(x.ProvRSSKiB)/1024)
			}
		}
		fmt.Fprintf(w, "| provider peak RSS < %.0f MiB (max over ops and rounds) | %d | %.1f MiB | %s |\n", targetRSSMiB, n, peak, verdict(peak < targetRSSMiB))
	}
	if len(s.ns) >= 2 {
		lo, hi := s.ns[0], s.ns[len(s.ns)-1]
		for _, op := range ops {
			cpuLo := statsOf(field(pick(samples, provider, lo, op), func(x sample) float64 { return x.ProvCPUSec })).median
			cpuHi := statsOf(field(pick(samples, provider, hi, op), func(x sample) float64 { return x.ProvCPUSec })).median
			if cpuLo == 0 || cpuHi == 0 {
				continue
			}
			perLo, perHi := cpuLo/float64(lo)*1000, cpuHi/float64(hi)*1000
			growth := perHi / perLo
			fmt.Fprintf(w, "| %s: provider CPU linear in N (CPU per instance at N=%d / at N=%d; 1.00 = linear) | %d→%d | %.2f → %.2f ms/inst (%.2f) | %s |\n",
				op, hi, lo, lo, hi, perLo, perHi, growth, verdict(growth <= 1.25))
		}
	}
	fmt.Fprintln(w, "\nLinearity is judged met when CPU per instance grows by at most 25% from the smallest to the largest N (the machine is noisy).")
}

func roundsText(s settings) string {
	var parts []string
	for _, n := range s.ns {
		parts = append(parts, fmt.Sprintf("N=%d: %d", n, s.rounds[n]))
	}
	return strings.Join(parts, ", ")
}
