// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Command testsummary reads `go test -json` on stdin and writes what a CI log
// needs: the package result lines (ok / FAIL / no test files), build errors,
// the full output of every failing test, then one summary line with the
// number of passed, failed and skipped tests, and each skipped test with its
// skip reason. The output of passing tests is dropped unless -v is given.
//
//	go test -json ./... | testsummary -label 'terraform v1.14.9'
//
// It exits 1 when anything failed (a test, a package, a build) or when the
// input holds no package result at all (go test failed before running), so a
// pipeline under `set -o pipefail` fails either way. Lines that are not JSON
// are copied through unchanged.
//
// Counts are of leaf tests: a test with subtests is counted through its
// subtests (unless it failed while all of them passed, which counts it as
// failed).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

func main() {
	label := flag.String("label", "go test", "name of the run, printed at the start of the summary line")
	verbose := flag.Bool("v", false, "also print the output of passing and skipped tests as it arrives")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: go test -json ... | testsummary [-label name] [-v]")
		os.Exit(2)
	}
	start := time.Now()
	s, err := summarize(os.Stdin, os.Stdout, *verbose)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testsummary: reading go test output: %v\n", err)
		os.Exit(1)
	}
	s.print(os.Stdout, *label, time.Since(start))
	if !s.ok() {
		os.Exit(1)
	}
}

// event is one line of `go test -json` (cmd/test2json), including the
// build events that go test emits since Go 1.24.
type event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	ImportPath  string
	FailedBuild string
}

type testState struct {
	pkg, name string
	output    []string
	result    string // "pass", "fail", "skip" or "" while running
}

// Skip is a skipped test and the reason it gave.
type Skip struct {
	Package, Test, Reason string
}

// Summary is what summarize found.
type Summary struct {
	Passed, Failed int
	Skipped        []Skip
	Packages       int      // packages with a result
	FailedPackages []string // packages that failed outside any test (panic, timeout, TestMain)
	BuildFailures  []string // import paths that did not build
}

func (s *Summary) ok() bool {
	return s.Failed == 0 && len(s.FailedPackages) == 0 && len(s.BuildFailures) == 0 && s.Packages > 0
}

func (s *Summary) print(w io.Writer, label string, elapsed time.Duration) {
	line := fmt.Sprintf("==> %s: %d passed, %d failed, %d skipped", label, s.Passed, s.Failed, len(s.Skipped))
	var problems []string
	if n := len(s.BuildFailures); n > 0 {
		problems = append(problems, fmt.Sprintf("%d package(s) did not build", n))
	}
	if n := len(s.FailedPackages); n > 0 {
		problems = append(problems, fmt.Sprintf("%d package(s) failed outside a test", n))
	}
	if s.Packages == 0 {
		problems = append(problems, "no package results (go test failed before running tests?)")
	}
	if len(problems) > 0 {
		line += "; FAIL: " + strings.Join(problems, ", ")
	}
	fmt.Fprintf(w, "%s (%s)\n", line, elapsed.Round(time.Second))
	for _, sk := range s.Skipped {
		fmt.Fprintf(w, "    SKIP %s (%s): %s\n", sk.Test, shortPkg(sk.Package), sk.Reason)
	}
	for _, p := range s.BuildFailures {
		fmt.Fprintf(w, "    BUILD FAILED %s\n", p)
	}
	for _, p := range s.FailedPackages {
		fmt.Fprintf(w, "    FAIL %s\n", p)
	}
}

// shortPkg drops the module path prefix shared by this repository's packages.
func shortPkg(p string) string {
	if i := strings.Index(p, "/internal/"); i >= 0 {
		return p[i+1:]
	}
	return p
}

// summarize reads a `go test -json` stream from r and writes the readable
// part of it to w as it arrives.
func summarize(r io.Reader, w io.Writer, verbose bool) (*Summary, error) {
	tests := map[string]*testState{} // by package + "\x00" + test
	var order []*testState
	s := &Summary{}
	failedPkg := map[string]bool{}
	failedBuild := map[string]bool{}
	pkgOutput := map[string][]string{} // package-level lines, printed with the package's result

	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			handle(line, w, verbose, tests, &order, s, failedPkg, failedBuild, pkgOutput)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return s, err
		}
	}
	// A stream cut short (go test killed) leaves package output unprinted.
	for _, p := range sortedKeys(pkgOutput) {
		fmt.Fprint(w, strings.Join(pkgOutput[p], ""))
	}

	// Leaf tests are counted; a parent only through its subtests.
	hasChild := map[string]bool{}
	failedChild := map[string]bool{}
	for _, t := range order {
		for i := strings.LastIndex(t.name, "/"); i >= 0; i = strings.LastIndex(t.name[:i], "/") {
			parent := t.pkg + "\x00" + t.name[:i]
			hasChild[parent] = true
			if t.result == "fail" {
				failedChild[parent] = true
			}
		}
	}
	testFailed := map[string]bool{} // packages with a failing test
	for _, t := range order {
		key := t.pkg + "\x00" + t.name
		switch {
		case t.result == "fail" && !failedChild[key]:
			s.Failed++
			testFailed[t.pkg] = true
		case hasChild[key]:
		case t.result == "pass":
			s.Passed++
		case t.result == "skip":
			s.Skipped = append(s.Skipped, Skip{Package: t.pkg, Test: t.name, Reason: skipReason(t.output)})
		}
	}
	var outside []string
	for _, p := range s.FailedPackages {
		if !testFailed[p] {
			outside = append(outside, p)
		}
	}
	s.FailedPackages = outside
	sort.SliceStable(s.Skipped, func(i, j int) bool {
		if s.Skipped[i].Package != s.Skipped[j].Package {
			return s.Skipped[i].Package < s.Skipped[j].Package
		}
		return s.Skipped[i].Test < s.Skipped[j].Test
	})
	return s, nil
}

func handle(line string, w io.Writer, verbose bool, tests map[string]*testState, order *[]*testState,
	s *Summary, failedPkg, failedBuild map[string]bool, pkgOutput map[string][]string) {
	var e event
	if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &e) != nil || e.Action == "" {
		fmt.Fprint(w, line) // not ours: pass it through
		return
	}

	switch e.Action {
	case "build-output":
		fmt.Fprint(w, e.Output)
		return
	case "build-fail":
		if !failedBuild[e.ImportPath] {
			failedBuild[e.ImportPath] = true
			s.BuildFailures = append(s.BuildFailures, e.ImportPath)
		}
		return
	}

	if e.Test == "" { // package-level event
		switch e.Action {
		case "output":
			if verbose {
				fmt.Fprint(w, e.Output)
			} else if strings.TrimSpace(e.Output) != "PASS" {
				// "PASS" alone is noise before the "ok" line; keep the rest
				// (ok/FAIL lines, panics outside a test, "no test files")
				// for the package's result, after any unfinished test.
				pkgOutput[e.Package] = append(pkgOutput[e.Package], e.Output)
			}
		case "pass", "skip", "fail":
			s.Packages++
			if e.Action == "fail" {
				// Tests that never finished (a panic, a timeout) explain why.
				for _, t := range *order {
					if t.pkg == e.Package && t.result == "" && !verbose && len(t.output) > 0 {
						fmt.Fprintf(w, "--- %s did not finish; its output:\n", t.name)
						fmt.Fprint(w, strings.Join(t.output, ""))
					}
				}
				if e.FailedBuild == "" && !failedPkg[e.Package] {
					failedPkg[e.Package] = true
					s.FailedPackages = append(s.FailedPackages, e.Package)
				}
			}
			fmt.Fprint(w, strings.Join(pkgOutput[e.Package], ""))
			delete(pkgOutput, e.Package)
		}
		return
	}

	key := e.Package + "\x00" + e.Test
	t := tests[key]
	if t == nil {
		t = &testState{pkg: e.Package, name: e.Test}
		tests[key] = t
		*order = append(*order, t)
	}
	switch e.Action {
	case "output":
		t.output = append(t.output, e.Output) // kept until the result: a skip reason, a failure
		if verbose {
			fmt.Fprint(w, e.Output)
		}
	case "pass":
		t.result = "pass"
		t.output = nil
	case "skip":
		t.result = "skip"
	case "fail":
		t.result = "fail"
		if !verbose {
			fmt.Fprint(w, strings.Join(t.output, ""))
		}
		t.output = nil
	}
}

// skipReason is what a skipped test logged, without go test's own
// "=== RUN" / "--- SKIP" lines, on one line.
func skipReason(output []string) string {
	var parts []string
	for _, o := range output {
		o = strings.TrimSpace(o)
		// Structured log lines (the provider served in-process logs JSON
		// to the test's output) are not the reason.
		if o == "" || strings.HasPrefix(o, "=== ") || strings.HasPrefix(o, "--- SKIP") || strings.HasPrefix(o, "{") {
			continue
		}
		// "    provider_test.go:42: reason" -> "provider_test.go:42: reason"
		parts = append(parts, o)
	}
	if len(parts) == 0 {
		return "(no reason given)"
	}
	return strings.Join(parts, " | ")
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
