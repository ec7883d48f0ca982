// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

const (
	userSecret = "bench-user-secret"
	orgSecret  = "bench-org-secret"
)

// contender is one way of managing the objects.
type contender struct {
	name string
	kind string // "floor", "provider" (cloudelements and -provider variants) or "restapi"
	bin  string // the provider binary provider-shim runs
}

// sample is one operation of one contender.
type sample struct {
	N            int
	Latency      time.Duration
	Round        int
	Contender    string
	Op           string
	Wall         float64        // seconds
	TerraformCPU float64        // seconds, the CLI without its providers
	ProviderCPU  float64        // seconds, all provider processes of the operation
	ProviderRSS  float64        // MiB, the largest provider process
	Processes    int            // provider processes Terraform started
	Requests     map[string]int // API requests by "METHOD route"
	Load1        float64        // 1-minute load average at the start
}

// bench holds what a run prepared.
type bench struct {
	o         options
	repo      string
	tf        string
	tfVersion string
	shim      string
	provider  string // cloudelements
	restapi   string
	element   benchElement
}

// prepare finds Terraform and builds the provider, the shim and restapi.
func prepare(ctx context.Context, repo string, o options) (*bench, error) {
	b := &bench{o: o, repo: repo, tf: o.terraform}
	if b.tf == "" {
		out, err := exec.CommandContext(ctx, filepath.Join(repo, "scripts", "terraform-cli.sh"), "terraform").Output()
		if err != nil {
			return nil, fmt.Errorf("scripts/terraform-cli.sh terraform: %w", err)
		}
		b.tf = strings.TrimSpace(string(out))
	}
	out, err := exec.CommandContext(ctx, b.tf, "version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s version: %w", b.tf, err)
	}
	b.tfVersion, _, _ = strings.Cut(string(out), "\n")
	bin := filepath.Join(o.out, "bin")
	b.shim = filepath.Join(bin, "provider-shim")
	b.provider = filepath.Join(bin, "terraform-provider-cloudelements")
	for _, t := range [][2]string{{b.shim, "./internal/cmd/bench/provider-shim"}, {b.provider, "."}} {
		logf("go build -o %s %s", t[0], t[1])
		if err := goCmd(ctx, repo, nil, "build", "-o", t[0], t[1]); err != nil {
			return nil, err
		}
	}
	if o.restapi {
		if b.restapi, err = ensureRestapi(ctx, repo); err != nil {
			return nil, err
		}
	}
	b.element, err = elementFor(o.element)
	return b, err
}

// contenders are the contenders of one round at one latency: the floor
// only at the first latency; reversed every other round.
func (b *bench) contenders(latencyIndex, round int) []contender {
	var cs []contender
	if latencyIndex == 0 {
		cs = append(cs, contender{name: "floor", kind: "floor"})
	}
	cs = append(cs, contender{name: "cloudelements", kind: "provider", bin: b.provider})
	for _, v := range b.o.variants {
		cs = append(cs, contender{name: v.name, kind: "provider", bin: v.bin})
	}
	if b.restapi != "" {
		cs = append(cs, contender{name: "restapi", kind: "restapi", bin: b.restapi})
	}
	if round%2 == 0 {
		slices.Reverse(cs)
	}
	return cs
}

// runContender runs apply, plan and destroy of one contender in a fresh
// working directory against a fresh mock.
func (b *bench) runContender(ctx context.Context, c contender, n, round int, lat time.Duration) ([]sample, error) {
	dir := filepath.Join(b.o.out, "work", fmt.Sprintf("%d-%s-r%d-%s", n, latencyName(lat), round, c.name))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	mock := mockapi.New(mockapi.Options{UserSecret: userSecret, OrganizationSecret: orgSecret})
	defer mock.Close()
	srv := httptest.NewServer(withLatency(mock, lat))
	defer srv.Close()
	baseURL := srv.URL + mockapi.Prefix

	config := providerConfig(n, baseURL, b.element)
	switch c.kind {
	case "floor":
		config = floorConfig(n, b.element)
	case "restapi":
		config = restapiConfig(n, baseURL, b.element)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		return nil, err
	}
	env, err := b.cliEnv(dir, c)
	if err != nil {
		return nil, err
	}
	var out []sample
	for _, op := range []string{"apply", "plan", "destroy"} {
		mock.ResetRequests()
		shimLog := filepath.Join(dir, op+".shim.jsonl")
		opEnv := append(slices.Clip(env), "BENCH_SHIM_LOG="+shimLog)
		args := map[string][]string{
			"apply":   {"apply", "-auto-approve", "-input=false"},
			"plan":    {"plan", "-detailed-exitcode", "-input=false"},
			"destroy": {"destroy", "-auto-approve", "-input=false"},
		}[op]
		args = append(args, "-parallelism="+strconv.Itoa(b.o.parallelism))
		s := sample{N: n, Latency: lat, Round: round, Contender: c.name, Op: op, Load1: load1()}
		code, tfCPU, wall, err := runTerraform(ctx, b.tf, dir, opEnv, filepath.Join(dir, op+".log"), args...)
		if err != nil {
			return nil, err
		}
		s.Wall = wall.Seconds()
		for _, p := range readShimLog(shimLog) {
			s.ProviderCPU += p.User + p.Sys
			s.ProviderRSS = max(s.ProviderRSS, float64(p.MaxRSSKiB)/1024)
			s.Processes++
		}
		s.TerraformCPU = tfCPU.Seconds() - s.ProviderCPU // wait4 counts the reaped children too
		s.Requests = requestsByRoute(mock)
		if err := checkOutcome(op, n, code, objectsOf(c, mock)); err != nil {
			return nil, fmt.Errorf("%s: %w (see %s)", op, err, filepath.Join(dir, op+".log"))
		}
		out = append(out, s)
	}
	return out, nil
}

// cliEnv is the environment Terraform runs with: a CLI config of our own
// whose dev_overrides point at provider-shim (named as the provider), no
// TF_LOG*, no checkpoint.
func (b *bench) cliEnv(dir string, c contender) ([]string, error) {
	env := cleanEnv("CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+filepath.Join(dir, "cli.tfrc"))
	overrides := ""
	if c.kind != "floor" {
		plugins := filepath.Join(dir, "plugins")
		name, address := "terraform-provider-cloudelements", "registry.terraform.io/cloudelements/cloudelements"
		if c.kind == "restapi" {
			name, address = "terraform-provider-restapi", "registry.terraform.io/mastercard/restapi"
		}
		if err := os.MkdirAll(plugins, 0o755); err != nil {
			return nil, err
		}
		if err := copyFile(b.shim, filepath.Join(plugins, name)); err != nil {
			return nil, err
		}
		overrides = fmt.Sprintf("  dev_overrides {\n    %q = %q\n  }\n", address, plugins)
		env = append(env, "BENCH_SHIM_TARGET="+c.bin)
	}
	rc := "provider_installation {\n" + overrides + "  direct {}\n}\n"
	return env, os.WriteFile(filepath.Join(dir, "cli.tfrc"), []byte(rc), 0o644)
}

// runTerraform runs one CLI command, its output to logPath, and returns its
// exit code, its CPU time (with the children it reaped) and its wall time.
func runTerraform(ctx context.Context, tf, dir string, env []string, logPath string, args ...string) (int, time.Duration, time.Duration, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return 0, 0, 0, err
	}
	defer log.Close()
	cmd := exec.CommandContext(ctx, tf, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, log, log
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		return 0, 0, 0, err
	}
	var cpu time.Duration
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return cmd.ProcessState.ExitCode(), cpu, wall, nil
}

// shimProc is one line provider-shim wrote.
type shimProc struct {
	User      float64 `json:"user_s"`
	Sys       float64 `json:"sys_s"`
	MaxRSSKiB int64   `json:"max_rss_kib"`
}

func readShimLog(path string) []shimProc {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []shimProc
	for s := bufio.NewScanner(f); s.Scan(); {
		var p shimProc
		if json.Unmarshal(s.Bytes(), &p) == nil {
			out = append(out, p)
		}
	}
	return out
}

// checkOutcome fails a run whose operation did not do its job.
func checkOutcome(op string, n, exitCode, objects int) error {
	want := map[string]int{"apply": n, "plan": n, "destroy": 0}[op]
	switch {
	case op == "plan" && exitCode != 0:
		return fmt.Errorf("the plan is not empty (exit code %d)", exitCode)
	case exitCode != 0:
		return fmt.Errorf("exit code %d", exitCode)
	case objects >= 0 && objects != want:
		return fmt.Errorf("the mock holds %d instances, want %d", objects, want)
	}
	return nil
}

// objectsOf is how many instances the mock holds (-1 for the floor, whose
// objects it does not hold).
func objectsOf(c contender, mock *mockapi.Server) int {
	if c.kind == "floor" {
		return -1
	}
	return len(mock.Instances())
}

// requestsByRoute counts the mock's requests since the last reset. The
// credentials check (GET /instances?pageSize=1, once per provider process)
// is counted apart from listing pages.
func requestsByRoute(mock *mockapi.Server) map[string]int {
	out := map[string]int{}
	for _, r := range mock.Requests() {
		key := r.Method + " " + r.Route
		if r.Method == http.MethodGet && r.Route == "/instances" && r.Query.Get("pageSize") == "1" {
			key = checkRequest
		}
		out[key]++
	}
	return out
}

// checkRequest names the credentials check in requestsByRoute.
const checkRequest = "credentials check"

// withLatency delays every request by d; a request given up meanwhile is
// not served.
func withLatency(h http.Handler, d time.Duration) http.Handler {
	if d <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			h.ServeHTTP(w, r)
		case <-r.Context().Done():
		}
	})
}

func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TF_LOG") || strings.HasPrefix(k, "TF_CLI_ARGS") || k == "TF_CLI_CONFIG_FILE" ||
			k == "TF_REATTACH_PROVIDERS" || k == "TF_ACC" || strings.HasPrefix(k, "BENCH_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

func goCmd(ctx context.Context, dir string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stderr, os.Stderr
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output() //nolint:noctx // a short query at start-up
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run from inside the repository")
	}
	return filepath.Dir(gomod), nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o755)
}

func writeJSON(path string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// machine is the CPU's model name.
func machine() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return runtime.GOOS + "/" + runtime.GOARCH
}

// load1 is the 1-minute load average (0 when unknown).
func load1() float64 {
	b, _ := os.ReadFile("/proc/loadavg")
	f, _, _ := strings.Cut(string(b), " ")
	v, _ := strconv.ParseFloat(f, 64)
	return v
}
