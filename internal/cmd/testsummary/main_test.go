// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// stream builds a go test -json stream from events.
func stream(t *testing.T, events ...event) string {
	t.Helper()
	var b strings.Builder
	for _, e := range events {
		j, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

func out(pkg, test, text string) event {
	return event{Action: "output", Package: pkg, Test: test, Output: text}
}

func act(action, pkg, test string) event { return event{Action: action, Package: pkg, Test: test} }

const pkg = "example.com/m/internal/provider"

func TestSummarize_passFailSkip(t *testing.T) {
	in := stream(t,
		act("start", pkg, ""),
		act("run", pkg, "TestPass"),
		out(pkg, "TestPass", "=== RUN   TestPass\n"),
		out(pkg, "TestPass", "    a_test.go:1: noise from a passing test\n"),
		out(pkg, "TestPass", "--- PASS: TestPass (0.00s)\n"),
		act("pass", pkg, "TestPass"),
		act("run", pkg, "TestFail"),
		out(pkg, "TestFail", "=== RUN   TestFail\n"),
		out(pkg, "TestFail", "    a_test.go:2: the failure message\n"),
		out(pkg, "TestFail", "--- FAIL: TestFail (0.00s)\n"),
		act("fail", pkg, "TestFail"),
		act("run", pkg, "TestNew"),
		out(pkg, "TestNew", "=== RUN   TestNew\n"),
		out(pkg, "TestNew", "    a_test.go:3: Terraform CLI version 1.8.5 is below minimum version 1.14.0: skipping test\n"),
		out(pkg, "TestNew", "--- SKIP: TestNew (0.00s)\n"),
		act("skip", pkg, "TestNew"),
		act("run", pkg, "TestBare"),
		out(pkg, "TestBare", "=== RUN   TestBare\n"),
		out(pkg, "TestBare", "--- SKIP: TestBare (0.00s)\n"),
		act("skip", pkg, "TestBare"),
		out(pkg, "", "FAIL\n"),
		out(pkg, "", "FAIL\t"+pkg+"\t0.01s\n"),
		act("fail", pkg, ""),
		out("example.com/m", "", "?   \texample.com/m\t[no test files]\n"),
		act("skip", "example.com/m", ""),
	)
	var w bytes.Buffer
	s, err := summarize(strings.NewReader(in), &w, false)
	if err != nil {
		t.Fatal(err)
	}
	got := w.String()
	for _, want := range []string{"the failure message", "--- FAIL: TestFail", "FAIL\t" + pkg, "[no test files]"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, unwanted := range []string{"noise from a passing test", "below minimum version"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("output has %q:\n%s", unwanted, got)
		}
	}
	if s.Passed != 1 || s.Failed != 1 || len(s.Skipped) != 2 || s.Packages != 2 || s.ok() {
		t.Errorf("summary = %+v", s)
	}
	// A failing test fails its package; that is no extra problem to report.
	if len(s.FailedPackages) != 0 {
		t.Errorf("FailedPackages = %v", s.FailedPackages)
	}

	var p bytes.Buffer
	s.print(&p, "terraform v1.14.9", 0)
	want := "==> terraform v1.14.9: 1 passed, 1 failed, 2 skipped (0s)\n" +
		"    SKIP TestBare (internal/provider): (no reason given)\n" +
		"    SKIP TestNew (internal/provider): a_test.go:3: Terraform CLI version 1.8.5 is below minimum version 1.14.0: skipping test\n"
	if p.String() != want {
		t.Errorf("print:\n%s\nwant:\n%s", p.String(), want)
	}
}

func TestSummarize_allPassIsOK(t *testing.T) {
	in := stream(t,
		act("run", pkg, "TestA"), out(pkg, "TestA", "--- PASS: TestA (0.00s)\n"), act("pass", pkg, "TestA"),
		out(pkg, "", "PASS\n"), out(pkg, "", "ok  \t"+pkg+"\t0.01s\n"), act("pass", pkg, ""),
	)
	var w bytes.Buffer
	s, err := summarize(strings.NewReader(in), &w, false)
	if err != nil {
		t.Fatal(err)
	}
	if !s.ok() || s.Passed != 1 {
		t.Errorf("summary = %+v", s)
	}
	if got := w.String(); got != "ok  \t"+pkg+"\t0.01s\n" {
		t.Errorf("output = %q", got)
	}
}

func TestSummarize_verbosePrintsEverything(t *testing.T) {
	in := stream(t,
		act("run", pkg, "TestA"), out(pkg, "TestA", "    a_test.go:1: hello\n"), act("pass", pkg, "TestA"),
		act("run", pkg, "TestS"), out(pkg, "TestS", "    a_test.go:2: why\n"), act("skip", pkg, "TestS"),
		out(pkg, "", "PASS\n"), act("pass", pkg, ""),
	)
	var w bytes.Buffer
	s, err := summarize(strings.NewReader(in), &w, true)
	if err != nil {
		t.Fatal(err)
	}
	if w.String() != "    a_test.go:1: hello\n    a_test.go:2: why\nPASS\n" {
		t.Errorf("output = %q", w.String())
	}
	if len(s.Skipped) != 1 || s.Skipped[0].Reason != "a_test.go:2: why" {
		t.Errorf("skips = %+v", s.Skipped)
	}
}

func TestSummarize_subtestsCountAsLeaves(t *testing.T) {
	in := stream(t,
		act("run", pkg, "TestP"),
		act("run", pkg, "TestP/a"), act("pass", pkg, "TestP/a"),
		act("run", pkg, "TestP/b"), out(pkg, "TestP/b", "    skipped b\n"), act("skip", pkg, "TestP/b"),
		act("pass", pkg, "TestP"),
		act("run", pkg, "TestQ"),
		act("run", pkg, "TestQ/a"), act("fail", pkg, "TestQ/a"),
		act("fail", pkg, "TestQ"),
		act("run", pkg, "TestR"), // fails on its own, after passing subtests
		act("run", pkg, "TestR/a"), act("pass", pkg, "TestR/a"),
		act("fail", pkg, "TestR"),
		act("fail", pkg, ""),
	)
	s, err := summarize(strings.NewReader(in), &bytes.Buffer{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.Passed != 2 || s.Failed != 2 || len(s.Skipped) != 1 || s.Skipped[0].Test != "TestP/b" {
		t.Errorf("summary = %+v", s)
	}
}

func TestSummarize_buildFailure(t *testing.T) {
	in := stream(t,
		event{Action: "build-output", ImportPath: pkg + " [" + pkg + ".test]", Output: "# " + pkg + "\n"},
		event{Action: "build-output", ImportPath: pkg + " [" + pkg + ".test]", Output: "x.go:1:1: undefined: y\n"},
		event{Action: "build-fail", ImportPath: pkg + " [" + pkg + ".test]"},
		out(pkg, "", "FAIL\t"+pkg+" [build failed]\n"),
		event{Action: "fail", Package: pkg, FailedBuild: pkg + " [" + pkg + ".test]"},
	)
	var w bytes.Buffer
	s, err := summarize(strings.NewReader(in), &w, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.ok() || len(s.BuildFailures) != 1 || len(s.FailedPackages) != 0 {
		t.Errorf("summary = %+v", s)
	}
	if !strings.Contains(w.String(), "undefined: y") || !strings.Contains(w.String(), "[build failed]") {
		t.Errorf("output = %q", w.String())
	}
	var p bytes.Buffer
	s.print(&p, "x", 0)
	if !strings.Contains(p.String(), "0 passed, 0 failed, 0 skipped; FAIL: 1 package(s) did not build") ||
		!strings.Contains(p.String(), "\n    BUILD FAILED "+pkg+" ["+pkg+".test]\n") {
		t.Errorf("print = %q", p.String())
	}
}

func TestSummarize_unfinishedTestIsShown(t *testing.T) {
	in := stream(t,
		act("run", pkg, "TestHang"),
		out(pkg, "TestHang", "=== RUN   TestHang\n"),
		out(pkg, "TestHang", "    a_test.go:9: waiting for the mock\n"),
		out(pkg, "", "panic: test timed out after 30m0s\n"),
		out(pkg, "", "FAIL\t"+pkg+"\t1800.01s\n"),
		act("fail", pkg, ""),
	)
	var w bytes.Buffer
	s, err := summarize(strings.NewReader(in), &w, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.ok() || len(s.FailedPackages) != 1 {
		t.Errorf("summary = %+v", s)
	}
	want := "--- TestHang did not finish; its output:\n" +
		"=== RUN   TestHang\n    a_test.go:9: waiting for the mock\n" +
		"panic: test timed out after 30m0s\nFAIL\t" + pkg + "\t1800.01s\n"
	if w.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", w.String(), want)
	}
}

func TestSummarize_emptyAndForeignInput(t *testing.T) {
	var w bytes.Buffer
	s, err := summarize(strings.NewReader("go: some error on stdout\n"), &w, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.ok() {
		t.Error("no package results must not be ok")
	}
	if w.String() != "go: some error on stdout\n" {
		t.Errorf("output = %q", w.String())
	}
}

// TestSummarize_realGoTest runs `go test -json` on a throwaway module, so a
// change in the event format of a new Go release shows up here.
func TestSummarize_realGoTest(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test on a temporary module")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n\ngo 1.22\n")
	write("a/a_test.go", `package a

import "testing"

func TestPass(t *testing.T) { t.Log("passing noise") }
func TestSkip(t *testing.T) { t.Skip("needs Terraform 1.14") }
func TestFail(t *testing.T) { t.Error("it broke") }
func TestSub(t *testing.T) {
	t.Run("x", func(t *testing.T) {})
	t.Run("y", func(t *testing.T) {})
}
`)
	write("b/b_test.go", "package b\n\nimport \"testing\"\n\nfunc TestB(t *testing.T) { undefinedThing() }\n")

	cmd := exec.Command(goBin, "test", "-json", "-count=1", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err == nil {
		t.Fatal("go test passed; the fixture should fail")
	}

	var w bytes.Buffer
	s, err := summarize(&stdout, &w, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.Passed != 3 || s.Failed != 1 || len(s.Skipped) != 1 || s.ok() {
		t.Errorf("summary = %+v\noutput:\n%s\nstderr:\n%s", s, w.String(), stderr.String())
	}
	if len(s.Skipped) == 1 && !strings.HasSuffix(s.Skipped[0].Reason, "needs Terraform 1.14") {
		t.Errorf("skip reason = %q", s.Skipped[0].Reason)
	}
	// The build error appears in the JSON stream (Go >= 1.24) or on stderr.
	if !strings.Contains(w.String()+stderr.String(), "undefinedThing") {
		t.Errorf("build error missing:\n%s\nstderr:\n%s", w.String(), stderr.String())
	}
	if len(s.BuildFailures) != 1 {
		t.Errorf("BuildFailures = %v", s.BuildFailures)
	}
	if got := w.String(); !strings.Contains(got, "it broke") || strings.Contains(got, "passing noise") {
		t.Errorf("output:\n%s", got)
	}
}

// A skip reason leaves out the JSON log lines a provider served in-process
// writes to the test's output.
func TestSkipReasonDropsLogLines(t *testing.T) {
	got := skipReason([]string{
		"=== RUN   TestX\n",
		`{"@level":"debug","@message":"plugin address"}` + "\n",
		"    x_test.go:12: Terraform 1.11.4 has no terraform query\n",
		`{"@level":"error","@message":"grpc server"}` + "\n",
		"--- SKIP: TestX (0.00s)\n",
	})
	if got != "x_test.go:12: Terraform 1.11.4 has no terraform query" {
		t.Errorf("reason %q", got)
	}
}
