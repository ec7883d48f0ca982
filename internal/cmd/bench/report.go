// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// The project's targets (issue 23), reported against (never enforced).
var (
	// batchC: the reads of a refresh that go by id besides the listing's
	// pages (two before batching starts, one verification at most).
	batchC = 3
	// refreshPerInstanceAtLatency: all API requests of a plan per instance,
	// at N=1000 with latency.
	refreshPerInstanceAtLatency = 0.05
	// walks that configure the provider: at most one catalog request per
	// element in each (Terraform runs each walk in a process of its own);
	// destroy refreshes in a plan walk of its own before the destroy plan
	// walk, then applies.
	configuringWalks = map[string]float64{"apply": 2, "plan": 1, "destroy": 3}
	targetRatio      = map[string]float64{"apply": 2, "plan": 4, "destroy": 2}
	// targetVsRestapi: without latency every operation; with latency per
	// operation.
	targetVsRestapi        = 0.5
	targetVsRestapiLatency = map[string]float64{"apply": 0.6, "plan": 0.4, "destroy": 0.6}
	targetRSSMiB           = 60.0
	targetRSSAtSize        = 1000
	targetRSSFlat          = 1.2 // peak RSS at the largest N / at the smallest
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

// pick returns the timed samples of a contender at size n, latency lat and
// operation op. The floor makes no API request: its samples serve every
// latency.
func pick(samples []sample, contender string, n int, lat time.Duration, op string) []sample {
	var out []sample
	for _, s := range samples {
		if s.Contender == contender && s.Resource == "" && s.N == n && s.Op == op && !s.MemOnly &&
			(contender == floor || s.LatencyMS == ms(lat)) {
			out = append(out, s)
		}
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func field(ss []sample, f func(sample) float64) []float64 {
	out := make([]float64, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}

func wallMedian(ss []sample) float64 {
	return statsOf(field(ss, func(x sample) float64 { return x.WallSec })).median
}

// perInstance is the median of requests per instance over the rounds, and
// whether every round agreed.
func perInstance(ss []sample, n int, f func(sample) int) (float64, bool) {
	xs := field(ss, func(s sample) float64 { return float64(f(s)) / float64(n) })
	st := statsOf(xs)
	return st.median, st.min == st.max
}

func latencyTitle(d time.Duration) string {
	if d == 0 {
		return "no added latency"
	}
	return fmt.Sprintf("%s per request", d)
}

func report(w io.Writer, s settings, samples []sample) {
	if len(s.ns) > 0 || len(s.memNs) > 0 {
		instancesReport(w, s, samples)
	}
	assetsReport(w, s, samples)
}

func instancesReport(w io.Writer, s settings, samples []sample) {
	fmt.Fprintf(w, "## Terraform operations: %s vs the %s floor and %s\n\n", provider, floor, restapiC)
	fmt.Fprintf(w, "N instances of element %q (a documented element: the responses embed its element object and "+
		"its documented server keys and OAuth credentials). Wall seconds per operation over the rounds; "+
		"vs floor / vs restapi = median / median of that contender at the same N and operation "+
		"(the floor makes no API request: the same samples serve every latency). "+
		"Requests per instance from the mock's counters (reset before each operation), the requests made once per provider "+
		"configuration apart: catalog + check = element catalog requests (GET /elements/...) + credentials checks "+
		"(GET /instances?pageSize=1) per operation (the provider reads an element's definitions once "+
		"per provider configuration and checks the credentials when configured; the one reattached process of an operation is "+
		"configured once per graph walk, each of which Terraform would run in a process of its own: plan 1, apply 2 (plan, apply), "+
		"destroy 3 (refresh, destroy plan, apply)). "+
		"Provider CPU (user+sys) and peak RSS from the provider process's rusage (one process per operation); "+
		"CPU per instance = median provider CPU / N. Terraform CPU: the CLI process itself.\n", s.element.key)
	for _, lat := range s.latencies {
		fmt.Fprintf(w, "\n### %s\n\n", strings.ToUpper(latencyTitle(lat)[:1])+latencyTitle(lat)[1:])
		fmt.Fprintln(w, "| N | op | contender | rounds | min s | median s | max s | vs floor | vs restapi | req/inst | catalog + check | provider CPU s | CPU ms/inst | provider peak RSS MiB (median / max) | terraform CPU s |")
		fmt.Fprintln(w, "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		for _, n := range s.ns {
			for _, op := range ops {
				fl := wallMedian(pick(samples, floor, n, lat, op))
				ra := wallMedian(pick(samples, restapiC, n, lat, op))
				for _, c := range contenders(s, 0, 0) {
					ss := pick(samples, c, n, lat, op)
					if len(ss) == 0 {
						continue
					}
					wall := statsOf(field(ss, func(x sample) float64 { return x.WallSec }))
					tfcpu := statsOf(field(ss, func(x sample) float64 { return x.TFCPUSec }))
					vsFloor, vsRest, req, cat, cpu, cpuPer, rss := "1.00", "–", "–", "–", "–", "–", "–"
					if c != floor {
						vsFloor = ratioText(wall.median, fl)
						r, same := perInstance(ss, n, func(x sample) int { return x.TotalReqs })
						req = fmt.Sprintf("%.2f", r)
						if !same {
							req += " (varies)"
						}
						cat = fmt.Sprintf("%.0f + %.0f", statsOf(field(ss, func(x sample) float64 { return float64(x.CatalogReqs) })).max,
							statsOf(field(ss, func(x sample) float64 { return float64(x.CheckReqs) })).max)
						pc := statsOf(field(ss, func(x sample) float64 { return x.ProvCPUSec }))
						cpu = fmt.Sprintf("%.2f", pc.median)
						cpuPer = fmt.Sprintf("%.2f", pc.median/float64(n)*1000)
						pr := statsOf(field(ss, func(x sample) float64 { return float64(x.ProvRSSKiB) / 1024 }))
						rss = fmt.Sprintf("%.1f / %.1f", pr.median, pr.max)
					}
					if c != restapiC && ra > 0 {
						vsRest = ratioText(wall.median, ra)
					}
					fmt.Fprintf(w, "| %d | %s | %s | %d | %.2f | %.2f | %.2f | %s | %s | %s | %s | %s | %s | %s | %.2f |\n",
						n, op, c, len(ss), wall.min, wall.median, wall.max, vsFloor, vsRest, req, cat, cpu, cpuPer, rss, tfcpu.median)
				}
			}
		}
	}

	fmt.Fprintln(w, "\n### API requests by route (per instance, median over rounds; catalog routes per operation)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| N | latency | op | contender | requests | failed (non-2xx) | provider processes | provider log kB per instance |")
	fmt.Fprintln(w, "|---:|---:|---|---|---|---:|---:|---:|")
	for _, n := range s.ns {
		for _, lat := range s.latencies {
			for _, op := range ops {
				for _, c := range contenders(s, 0, 0)[1:] {
					ss := pick(samples, c, n, lat, op)
					if len(ss) == 0 {
						continue
					}
					requestRow(w, ss, n, lat, op, c)
				}
			}
		}
	}
	rssTable(w, s, samples)
	targets(w, s, samples)
}

func ratioText(v, base float64) string {
	if base <= 0 {
		return "–"
	}
	return fmt.Sprintf("**%.2f**", v/base)
}

func requestRow(w io.Writer, ss []sample, n int, lat time.Duration, op, c string) {
	routes := map[string]bool{}
	for _, x := range ss {
		for k := range x.Requests {
			routes[k] = true
		}
	}
	var parts []string
	for _, route := range slices.Sorted(maps.Keys(routes)) {
		method, path, _ := strings.Cut(route, " ")
		if catalogRoute(path) {
			r, _ := perInstance(ss, 1, func(x sample) int { return x.Requests[route] })
			parts = append(parts, fmt.Sprintf("`%s %s` %.0f per op", method, path, r))
			continue
		}
		r, _ := perInstance(ss, n, func(x sample) int { return x.Requests[route] })
		parts = append(parts, fmt.Sprintf("`%s` %.2f", route, r))
	}
	failed, _ := perInstance(ss, 1, func(x sample) int { return x.FailedReqs })
	procs, _ := perInstance(ss, 1, func(x sample) int { return max(x.ProvProcs, 1) })
	logKB := "– (to Terraform)"
	if c != managed {
		logKB = fmt.Sprintf("%.1f", statsOf(field(ss, func(x sample) float64 { return float64(x.ProvLogB) / 1024 / float64(n) })).median)
	}
	fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %.0f | %.0f | %s |\n", n, latencyName(lat), op, c, strings.Join(parts, ", "), failed, procs, logKB)
}

// rssSizes are the sizes with provider samples without latency: BENCH_N
// and BENCH_MEM_N.
func rssSizes(s settings) []int {
	out := slices.Clone(s.ns)
	for _, n := range s.memNs {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// providerNoLatency returns the provider's samples at size n without added
// latency, timed or memory-only, for op ("" for every op).
func providerNoLatency(samples []sample, contender string, n int, op string) []sample {
	var out []sample
	for _, x := range samples {
		if x.Contender == contender && x.Resource == "" && x.N == n && x.LatencyMS == 0 && (op == "" || x.Op == op) {
			out = append(out, x)
		}
	}
	return out
}

func rssTable(w io.Writer, s settings, samples []sample) {
	fmt.Fprintln(w, "\n### Provider peak RSS by N (no added latency; max over rounds)")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Sizes from BENCH_MEM_N (%s) run %s alone, once, after the timed rounds.\n\n", intsText(s.memNs), provider)
	fmt.Fprintln(w, "| N | contender | apply MiB | plan MiB | destroy MiB | CPU ms/inst apply / plan / destroy |")
	fmt.Fprintln(w, "|---:|---|---:|---:|---:|---|")
	for _, n := range rssSizes(s) {
		for _, c := range []string{provider, restapiC} {
			if len(providerNoLatency(samples, c, n, "")) == 0 {
				continue
			}
			var cells, cpus []string
			for _, op := range ops {
				ss := providerNoLatency(samples, c, n, op)
				if len(ss) == 0 {
					cells, cpus = append(cells, "–"), append(cpus, "–")
					continue
				}
				cells = append(cells, fmt.Sprintf("%.1f", statsOf(field(ss, func(x sample) float64 { return float64(x.ProvRSSKiB) / 1024 })).max))
				cpus = append(cpus, fmt.Sprintf("%.2f", statsOf(field(ss, func(x sample) float64 { return x.ProvCPUSec })).median/float64(n)*1000))
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s |\n", n, c, strings.Join(cells, " | "), strings.Join(cpus, " / "))
		}
	}
}

func peakRSS(samples []sample, n int) float64 {
	peak := 0.0
	for _, x := range providerNoLatency(samples, provider, n, "") {
		peak = max(peak, float64(x.ProvRSSKiB)/1024)
	}
	return peak
}

// targets reports the main contender (the provider) against the project's
// targets.
func targets(w io.Writer, s settings, samples []sample) {
	fmt.Fprintln(w, "\n### Against the project's targets (reported, not enforced)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | N | latency | measured | verdict |")
	fmt.Fprintln(w, "|---|---:|---:|---|---|")
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**missed**"
	}
	for _, n := range s.ns {
		for _, lat := range s.latencies {
			for _, op := range ops {
				ss := pick(samples, provider, n, lat, op)
				if len(ss) == 0 {
					continue
				}
				total := statsOf(field(ss, func(x sample) float64 { return float64(x.TotalReqs) })).max
				cat := statsOf(field(ss, func(x sample) float64 { return float64(x.CatalogReqs) })).max
				chk := statsOf(field(ss, func(x sample) float64 { return float64(x.CheckReqs) })).max
				bound := requestBound(op, n)
				fmt.Fprintf(w, "| %s: instance requests <= %.0f (%s); catalog requests and credentials checks <= 1 per element and provider configuration (walks configuring it: %.0f) | %d | %s | %.0f; %.0f + %.0f | %s |\n",
					op, bound, requestBoundText[op], configuringWalks[op], n, latencyName(lat), total, cat, chk,
					verdict(total <= bound && cat <= configuringWalks[op] && chk <= configuringWalks[op]))
				if op == "plan" && lat > 0 && n == 1000 {
					all := statsOf(field(ss, func(x sample) float64 { return float64(x.TotalReqs + x.CatalogReqs + x.CheckReqs) })).max
					fmt.Fprintf(w, "| plan (refresh): API requests per instance <= %.2f | %d | %s | %.3f | %s |\n",
						refreshPerInstanceAtLatency, n, latencyName(lat), all/float64(n), verdict(all/float64(n) <= refreshPerInstanceAtLatency))
				}
			}
		}
	}
	for _, n := range s.ns {
		for _, op := range ops {
			pv := wallMedian(pick(samples, provider, n, 0, op))
			fl := wallMedian(pick(samples, floor, n, 0, op))
			if fl == 0 || pv == 0 {
				continue
			}
			ratio := pv / fl
			fmt.Fprintf(w, "| %s: median within %.0fx of the floor | %d | 0ms | %.2fx | %s |\n", op, targetRatio[op], n, ratio, verdict(ratio <= targetRatio[op]))
		}
	}
	for _, n := range s.ns {
		for _, lat := range s.latencies {
			for _, op := range ops {
				pv := wallMedian(pick(samples, provider, n, lat, op))
				ra := wallMedian(pick(samples, restapiC, n, lat, op))
				if ra == 0 || pv == 0 {
					continue
				}
				ratio, want := pv/ra, targetVsRestapi
				if lat > 0 {
					want = targetVsRestapiLatency[op]
				}
				fmt.Fprintf(w, "| %s: median at most %.1fx restapi's | %d | %s | %.2fx | %s |\n", op, want, n, latencyName(lat), ratio, verdict(ratio <= want))
			}
		}
	}
	sizes := rssSizes(s)
	if slices.Contains(sizes, targetRSSAtSize) {
		peak := peakRSS(samples, targetRSSAtSize)
		fmt.Fprintf(w, "| provider peak RSS < %.0f MiB (max over ops and rounds) | %d | 0ms | %.1f MiB | %s |\n", targetRSSMiB, targetRSSAtSize, peak, verdict(peak < targetRSSMiB))
	}
	if len(sizes) >= 2 {
		lo, hi := sizes[0], sizes[len(sizes)-1]
		pLo, pHi := peakRSS(samples, lo), peakRSS(samples, hi)
		if pLo > 0 {
			fmt.Fprintf(w, "| provider peak RSS flat in N (at N=%d / at N=%d, at most %.2f) | %d→%d | 0ms | %.1f → %.1f MiB (%.2f) | %s |\n",
				hi, lo, targetRSSFlat, lo, hi, pLo, pHi, pHi/pLo, verdict(pHi/pLo <= targetRSSFlat))
		}
		for _, op := range ops {
			cpuLo := statsOf(field(providerNoLatency(samples, provider, lo, op), func(x sample) float64 { return x.ProvCPUSec })).median
			cpuHi := statsOf(field(providerNoLatency(samples, provider, hi, op), func(x sample) float64 { return x.ProvCPUSec })).median
			if cpuLo == 0 || cpuHi == 0 {
				continue
			}
			perLo, perHi := cpuLo/float64(lo)*1000, cpuHi/float64(hi)*1000
			growth := perHi / perLo
			fmt.Fprintf(w, "| %s: provider CPU linear in N (CPU per instance at N=%d / at N=%d; 1.00 = linear) | %d→%d | 0ms | %.2f → %.2f ms/inst (%.2f) | %s |\n",
				op, hi, lo, lo, hi, perLo, perHi, growth, verdict(growth <= 1.25))
		}
	}
	fmt.Fprintln(w, "\nLinearity is judged met when CPU per instance grows by at most 25% from the smallest to the largest N (the machine is noisy).")
}

// requestBoundText says how requestBound counts.
var requestBoundText = map[string]string{
	"apply":   "one POST each",
	"plan":    fmt.Sprintf("the refresh: min(N, ceil(N/%d) + %d)", cloudelements.DefaultPageSize, batchC),
	"destroy": "the refresh, then one DELETE each",
}

// requestBound is the most instance requests (the credentials checks and
// catalog reads aside) an operation on n instances may make: a create
// each; a refresh batched from the listing (its pages, at most batchC
// reads by id; never more than n); a refresh then a delete each.
func requestBound(op string, n int) float64 {
	pages := (n + cloudelements.DefaultPageSize - 1) / cloudelements.DefaultPageSize
	refresh := min(n, pages+batchC)
	switch op {
	case "apply":
		return float64(n)
	case "plan":
		return float64(refresh)
	default:
		return float64(n + refresh)
	}
}

func intsText(ns []int) string {
	if len(ns) == 0 {
		return "none"
	}
	var parts []string
	for _, n := range ns {
		parts = append(parts, strconv.Itoa(n))
	}
	return strings.Join(parts, ", ")
}

func roundsText(s settings) string {
	var parts []string
	for _, n := range s.ns {
		parts = append(parts, fmt.Sprintf("N=%d: %d", n, s.rounds[n]))
	}
	for _, n := range s.assetNs {
		parts = append(parts, fmt.Sprintf("assets N=%d: %d", n, s.rounds[n]))
	}
	return strings.Join(parts, ", ")
}

// pickAsset returns the samples of the assets line for a resource type,
// contender, size and operation.
func pickAsset(samples []sample, resource, contender string, n int, op string) []sample {
	var out []sample
	for _, x := range samples {
		if x.Resource == resource && x.Contender == contender && x.N == n && x.Op == op {
			out = append(out, x)
		}
	}
	return out
}

// assetsReport is the table of the assets line (BENCH_ASSETS), then its
// requests by route.
func assetsReport(w io.Writer, s settings, samples []sample) {
	if len(s.assetNs) == 0 {
		return
	}
	fmt.Fprintln(w, "\n## Formulas and common resources")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "N %s resources cycling through the documented formulas of internal/provider/testdata/formulas "+
		"(each read with file(), under a name of its own; the formulas the replay test leaves out are left out here too) and N %s "+
		"resources cycling through the documented definitions of internal/provider/testdata/vdrs, against a %s floor whose triggers_replace "+
		"carries the same arguments (not input, which it echoes into output: each body would be stored twice); no added latency, parallelism %d. Median wall seconds over the rounds; vs floor = median / "+
		"median of the floor at the same N and operation. Requests per resource from the mock's counters, the credentials checks "+
		"(GET /instances?pageSize=1, one per provider configuration) apart. Provider CPU (user+sys) per resource and peak RSS "+
		"from the provider process's rusage (one process per operation).\n\n", formulaType, commonType, floor, s.parallelism)
	fmt.Fprintln(w, "| N | resource type | op | rounds | floor s | cloudelements s | vs floor | req/resource | checks | provider CPU ms/resource | provider peak RSS MiB (median / max) |")
	fmt.Fprintln(w, "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, n := range s.assetNs {
		for _, resource := range assetTypes {
			for _, op := range ops {
				ss := pickAsset(samples, resource, provider, n, op)
				if len(ss) == 0 {
					continue
				}
				fl := wallMedian(pickAsset(samples, resource, floor, n, op))
				pv := wallMedian(ss)
				r, same := perInstance(ss, n, func(x sample) int { return x.TotalReqs })
				req := fmt.Sprintf("%.2f", r)
				if !same {
					req += " (varies)"
				}
				chk := statsOf(field(ss, func(x sample) float64 { return float64(x.CheckReqs) })).max
				cpu := statsOf(field(ss, func(x sample) float64 { return x.ProvCPUSec })).median / float64(n) * 1000
				rss := statsOf(field(ss, func(x sample) float64 { return float64(x.ProvRSSKiB) / 1024 }))
				fmt.Fprintf(w, "| %d | %s | %s | %d | %.2f | %.2f | %s | %s | %.0f | %.2f | %.1f / %.1f |\n",
					n, resource, op, len(ss), fl, pv, ratioText(pv, fl), req, chk, cpu, rss.median, rss.max)
			}
		}
	}
	fmt.Fprintln(w, "\n### Formulas and common resources: API requests by route (per resource, median over rounds)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| N | latency | op | resource type | requests | failed (non-2xx) | provider processes | provider log kB per resource |")
	fmt.Fprintln(w, "|---:|---:|---|---|---|---:|---:|---:|")
	for _, n := range s.assetNs {
		for _, resource := range assetTypes {
			for _, op := range ops {
				if ss := pickAsset(samples, resource, provider, n, op); len(ss) > 0 {
					requestRow(w, ss, n, 0, op, resource)
				}
			}
		}
	}
}
