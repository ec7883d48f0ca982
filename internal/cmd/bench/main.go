// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Command bench is `make bench`: it times Terraform managing N element
// instances with the provider, next to Terraform's own floor and a generic
// REST provider, in one run, on the in-process mock API.
//
//	make bench                                   # the table DESIGN.md reports
//	make bench BENCH_FLAGS='-n 200 -rounds 1'    # a quick run
//	make bench BENCH_FLAGS='-provider base=/path/to/terraform-provider-cloudelements'
//
// For every size N, round and latency, each contender runs `terraform
// apply`, `plan -detailed-exitcode` (with refresh) and `destroy` in a fresh
// working directory, against a fresh mock that answers every request after
// -latency. The instances are of a documented OAuth element (-element,
// default sageone: each answer carries its element object and 31
// configuration keys). The contenders:
//
//   - floor: N terraform_data resources carrying the same values:
//     Terraform's own cost (once per round: latency does not change it);
//   - cloudelements: the provider built from this tree;
//   - restapi: Mastercard's terraform-provider-restapi (restapi.go), one
//     restapi_object per instance with the body cloudelements sends;
//   - one per -provider name=path: another build of this provider (a
//     variant without a workaround, or another commit), run the same way.
//
// Terraform starts the providers itself (dev_overrides, no init), through
// provider-shim, which records each provider process's CPU time and peak
// RSS. Contenders are reversed every other round; only ratios of medians
// from one run mean something on a shared machine. Each operation is
// checked (N instances after apply, an empty plan, none after destroy) and
// its API requests counted. The tables go to stdout and <out>/results.md,
// the samples to <out>/results.json.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// options are the flags.
type options struct {
	sizes       []int
	rounds      int
	latencies   []time.Duration
	restapi     bool
	variants    []variant
	parallelism int
	element     string
	terraform   string
	out         string
}

// variant is a -provider contender: a name and a provider binary.
type variant struct{ name, bin string }

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var o options
	sizes := fs.String("n", "200,1000", "sizes N, comma-separated")
	latencies := fs.String("latency", "0,100ms", "per-request latencies of the mock, comma-separated")
	fs.IntVar(&o.rounds, "rounds", 3, "rounds per size")
	fs.BoolVar(&o.restapi, "restapi", true, "include the restapi contender")
	fs.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism")
	fs.StringVar(&o.element, "element", "sageone", "catalog element of the instances")
	fs.StringVar(&o.terraform, "terraform", "", "Terraform CLI (default: scripts/terraform-cli.sh terraform)")
	fs.StringVar(&o.out, "out", "build/bench", "output directory")
	fs.Func("provider", "another provider binary as a contender: name=path (repeatable)", func(v string) error {
		name, bin, ok := strings.Cut(v, "=")
		if !ok || name == "" || bin == "" || slices.Contains([]string{"floor", "cloudelements", "restapi"}, name) {
			return fmt.Errorf("want name=path with a name of your own, got %q", v)
		}
		abs, err := filepath.Abs(bin)
		o.variants = append(o.variants, variant{name, abs})
		return err
	})
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var err error
	if o.sizes, err = parseList(*sizes, strconv.Atoi); err != nil {
		return o, fmt.Errorf("-n: %w", err)
	}
	if o.latencies, err = parseList(*latencies, parseLatency); err != nil {
		return o, fmt.Errorf("-latency: %w", err)
	}
	if o.rounds < 1 || len(o.sizes) == 0 || len(o.latencies) == 0 {
		return o, errors.New("want at least one round, size and latency")
	}
	return o, nil
}

func parseList[T any](s string, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for _, f := range strings.Split(s, ",") {
		v, err := parse(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func parseLatency(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	return time.ParseDuration(s)
}

func main() {
	if err := mainErr(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func mainErr() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		return err
	}
	return run(ctx, o)
}

func run(ctx context.Context, o options) error {
	repo, err := repoRoot()
	if err != nil {
		return err
	}
	if !filepath.IsAbs(o.out) {
		o.out = filepath.Join(repo, o.out)
	}
	if err := os.RemoveAll(filepath.Join(o.out, "work")); err != nil {
		return err
	}
	b, err := prepare(ctx, repo, o)
	if err != nil {
		return err
	}
	started := time.Now()
	var samples []sample
	for _, n := range o.sizes {
		for round := 1; round <= o.rounds; round++ {
			for li, lat := range o.latencies {
				for _, c := range b.contenders(li, round) {
					logf("N=%d round %d/%d latency %s: %s", n, round, o.rounds, latencyName(lat), c.name)
					got, err := b.runContender(ctx, c, n, round, lat)
					if err != nil {
						return fmt.Errorf("%s N=%d round %d latency %s: %w", c.name, n, round, latencyName(lat), err)
					}
					samples = append(samples, got...)
				}
			}
		}
	}
	header := fmt.Sprintf("%s, %s, %s; %s; %d CPUs; parallelism %d; %d rounds; timed part %s; 1-minute load average at the start of the operations: %s.",
		started.UTC().Format(time.RFC3339), b.tfVersion, runtime.Version(), machine(), runtime.NumCPU(), o.parallelism, o.rounds,
		time.Since(started).Round(time.Second), loadSummary(samples))
	report := renderReport(header, o, samples)
	fmt.Print(report)
	if err := os.WriteFile(filepath.Join(o.out, "results.md"), []byte(report), 0o644); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(o.out, "results.json"), samples); err != nil {
		return err
	}
	logf("wrote %s and results.json", filepath.Join(o.out, "results.md"))
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func latencyName(d time.Duration) string {
	if d == 0 {
		return "0ms"
	}
	return d.String()
}
