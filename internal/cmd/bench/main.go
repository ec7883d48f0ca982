// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Command bench is `make bench`: it times Terraform against the provider,
// against Terraform's own floor and against a generic REST provider, in one
// run, on the in-memory mock API, without and with per-request latency,
// measures the provider's peak RSS up to N=2000, times formulas and
// common resources, then runs the Go benchmarks of the hot paths.
//
//	make bench                                  # the README's tables (~40 to 80 min on 2 cores)
//	BENCH_N=200 BENCH_ROUNDS=1 BENCH_LATENCY=0 BENCH_MEM_N=0 make bench   # a quick run (~2 min)
//	BENCH_PPROF=only BENCH_N=1000 make bench    # profiles only
//	BENCH_N=0 BENCH_MEM_N=0 BENCH_GOTEST=0 make bench   # the formulas and common resources line only
//
// # What is measured
//
// For every N in BENCH_N, every latency in BENCH_LATENCY and every round,
// each contender runs `terraform apply -auto-approve`, `terraform plan
// -detailed-exitcode` (with refresh) and `terraform destroy -auto-approve`
// in a fresh working directory, at -parallelism=10 (Terraform's default):
//
//   - terraform_data (the floor): N terraform_data resources whose input
//     object carries the same values as the provider's configuration:
//     Terraform's own cost, no plugin, no API. It runs once per round (at
//     the first latency): it makes no API request;
//   - cloudelements: N cloudelements_instance resources of the documented
//     element BENCH_ELEMENT (default sageone: an OAuth element whose
//     responses embed its 780-byte element object and carry 31
//     configuration keys: its documented server keys, the OAuth
//     credentials the create obtains, the event keys), with name, tags,
//     provider_data = { code = ... }, the element's required inputs in
//     configuration and sensitive_configuration, and an
//     `event_notification { callback_url = ... }` block, against a fresh
//     in-process mock API (internal/mockapi);
//   - restapi: Mastercard's terraform-provider-restapi (BENCH_RESTAPI,
//     built from its module on first use into bin/, see restapi.go), one
//     restapi_object per instance on the same mock: POST /instances with
//     the body cloudelements sends (write_returns_object: the answer is
//     the instance), GET /instances/{id} to read, DELETE to destroy.
//
// The mock answers every request after the latency of the table (0: at
// once). The order of the contenders is reversed every other round, so
// slow drift of the shared machine hits all of them alike. Only ratios of
// medians measured in the same run mean something; absolute times depend
// on the machine and on whatever else runs on it (the load average is
// recorded).
//
// Then, for every N in BENCH_ASSETS, the formulas and common resources
// line, without latency, each resource type against a floor of its own,
// in the same rounds (BENCH_ROUNDS for that size):
//
//   - cloudelements_formula: N formulas cycling through the documented
//     formulas of internal/provider/testdata/formulas (each file's formula,
//     as the replay test reads it, without its name: each copy is named
//     bench-<index> by its name argument, with the documented description
//     and active), the definitions read with file() from a formulas/
//     directory of the working directory;
//   - cloudelements_common_resource: N common resources cycling through
//     the distinct documented definitions of internal/provider/testdata/vdrs
//     (their organization-level fields), each named <object>_<index>;
//   - terraform_data: the same number of resources whose triggers_replace
//     object holds the same arguments from the same local list of bodies
//     (not input, which terraform_data copies into output: each body would
//     be stored twice, and the floor would be heavier than the provider,
//     which stores it once).
//
// Bodies the service refuses (a scratch mock) or the provider's plan-time
// checks refuse (terraform validate on each body once, before the rounds)
// are left out and logged, as the replay tests leave them out. Apply must
// leave N formulas or common resources in the mock, plan must be empty,
// destroy must leave none.
//
// After the timed rounds, for every N in BENCH_MEM_N, cloudelements alone
// runs apply, plan and destroy once without latency, for its peak RSS and
// CPU per instance at sizes where timing every contender would take too
// long.
//
// The providers are started by this program in managed debug mode
// (cloudelements: the binary `go build .` makes, with -debug; restapi: its
// provider served with the SDK's Debug option) and handed to Terraform
// through TF_REATTACH_PROVIDERS, one provider process per operation: its
// CPU time (user+sys) and peak RSS (ru_maxrss, the same as VmHWM) come from
// its rusage when it exits after SIGINT. Two things differ from real use,
// where Terraform starts the provider itself: one process serves every
// graph walk of the command (Terraform would start one per walk), and its
// logs go to a file instead of being parsed by Terraform. BENCH_MANAGED
// adds that real-use variant as a contender. `terraform init` is not run:
// the built-in terraform_data needs none, and reattached or dev_overrides
// providers skip the lock file. The CLI config is a file of our own
// (TF_CLI_CONFIG_FILE) and CHECKPOINT_DISABLE=1; TF_LOG*, TF_CLI_ARGS* and
// TF_REATTACH_PROVIDERS are removed from the environment of both processes.
//
// Before each operation the mock's request log is reset; afterwards its
// counts per method and route give API requests per instance. Requests to
// the element catalog (GET /elements/...: the provider reads an element's
// definitions once per provider configuration when an instance is created
// or its configuration changes) are counted apart, per operation. Every
// operation is checked: apply must leave N instances in the mock, plan must
// be empty (exit code 0 with -detailed-exitcode), destroy must leave none.
// A failed check stops the run.
//
// # Output
//
// Tables on stdout and in build/bench/results.md, one per latency:
// min/median/max wall time per operation and contender, ratios of medians
// to the floor and to restapi, API requests per instance and catalog
// requests, provider CPU seconds, CPU per instance and peak RSS; then
// requests by route, peak RSS by N, and a check against the project's
// targets (reported, never enforced); then "Formulas and common resources":
// per N, resource type and operation, the floor's and the provider's
// median wall time, their ratio, API requests per resource, provider CPU
// per resource and peak RSS, and their requests by route. The raw samples go to
// build/bench/results.json, Terraform and provider logs to
// build/bench/work/. With BENCH_PPROF, profiles and their summary (CPU per
// RPC and kind of work, allocations, the heap still live after each
// operation) follow; then the Go benchmarks (go test -bench), appended to
// results.md and build/bench/gobench.txt.
//
// # Settings
//
// Environment variables, or the flag of the same name in lower case without
// the prefix (-n, -rounds, -latency, -mem_n, -pprof, -pprof_n, -managed, ...):
//
//	BENCH_N            sizes, comma-separated (default 200,1000; 0: none,
//	                   for a run of the other lines only)
//	BENCH_ROUNDS       rounds, "3" or per size "200=3,1000=2" (default
//	                   200=3,1000=2; a size it does not name: 3), for the
//	                   sizes of BENCH_N and BENCH_ASSETS
//	BENCH_ASSETS       sizes of the formulas and common resources line
//	                   (default 200; 0: none)
//	BENCH_LATENCY      per-request latencies the mock adds, comma-separated,
//	                   one table each (default 0,100ms)
//	BENCH_MEM_N        sizes for the RSS-only runs (default 2000; 0: none)
//	BENCH_MEM_OPS      what they run (default apply,plan,destroy; apply,plan
//	                   leaves out the destroy, the slowest at N=2000)
//	BENCH_ELEMENT      catalog element of the instances (default sageone)
//	BENCH_RESTAPI      0: leave out the restapi contender (default 1)
//	BENCH_PARALLELISM  terraform -parallelism (default 10)
//	BENCH_PPROF        1: after the timed rounds, an untimed pass of the
//	                   provider at BENCH_PPROF_N without latency with the
//	                   wrapper internal/cmd/bench/provider-pprof, writing
//	                   CPU, allocation and live-heap profiles of apply and
//	                   plan, and the runtime's memory classes at each one's
//	                   peak RSS with a heap profile of that moment, to
//	                   build/bench/pprof/; only: that pass alone
//	                   (default 0)
//	BENCH_PPROF_N      size of that pass (default 1000 if in BENCH_N, else
//	                   the largest)
//	BENCH_MANAGED      1, or the sizes to run it at ("200"): add the
//	                   contender cloudelements/managed, the provider as
//	                   Terraform runs it in real use, started by Terraform
//	                   through dev_overrides pointing at
//	                   internal/cmd/bench/provider-shim (which records each
//	                   provider process's rusage): one process per graph
//	                   walk, logs parsed by Terraform; provider CPU is the
//	                   sum and peak RSS the largest over its processes
//	                   (default 0). Runs without latency only.
//	BENCH_LOGS_OFF     1, or sizes: add the contender cloudelements/logs-off,
//	                   the reattached provider with TF_LOG_SDK,
//	                   TF_LOG_SDK_PROTO, TF_LOG_SDK_FRAMEWORK and
//	                   TF_LOG_PROVIDER set to OFF (what the binary does by
//	                   itself unless a TF_LOG* variable is set) (default 0)
//	BENCH_GOTEST       0: skip the Go benchmarks (default 1)
//	BENCH_GOTEST_ARGS  extra go test flags (default -benchtime=1s)
//	BENCH_OUT          output directory (default build/bench)
//	TERRAFORM          Terraform CLI (default: scripts/terraform-cli.sh terraform)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

const (
	floor    = "terraform_data"
	provider = "cloudelements"
	// restapi is Mastercard's generic REST provider managing the same
	// instances on the same mock (BENCH_RESTAPI, default on).
	restapiC = "restapi"
	// logsOff is the provider with the SDK's and its own logging switched
	// off through the TF_LOG_SDK*/TF_LOG_PROVIDER variables (BENCH_LOGS_OFF=1).
	logsOff = "cloudelements/logs-off"
	// managed is the provider launched by Terraform itself through a
	// dev_overrides CLI config, as in real use (BENCH_MANAGED=1).
	managed = "cloudelements/managed"

	userSecret = "bench-user-secret"
	orgSecret  = "bench-org-secret"
)

var ops = []string{"apply", "plan", "destroy"}

// logsOffEnv turns off every terraform-plugin-log logger of the provider
// process. By default they log at TRACE and Terraform filters the lines it
// receives, so a provider pays for its logs even without TF_LOG.
var logsOffEnv = []string{"TF_LOG_SDK=OFF", "TF_LOG_SDK_PROTO=OFF", "TF_LOG_SDK_FRAMEWORK=OFF", "TF_LOG_PROVIDER=OFF"}

type settings struct {
	ns          []int
	rounds      map[int]int
	parallelism int
	pprof       bool
	pprofOnly   bool // BENCH_PPROF=only: the profiling pass alone
	// reportFrom: a results.json to print the tables of, instead of running
	reportFrom string
	// latencies: per-request delays the mock adds (0 = none), one table each
	latencies []time.Duration
	// memNs: sizes where only the provider runs, once, without latency,
	// for its peak RSS and CPU per instance (no timing, no ratio)
	memNs []int
	// memOps: what those runs do (BENCH_MEM_OPS): apply, then plan and/or
	// destroy
	memOps []string
	// assetNs: sizes of the formulas and common resources line (0 = none)
	assetNs []int
	restapi bool
	element benchElement
	// extra contenders: the sizes they run at (nil: not at all)
	logsOff    []int
	managed    []int
	pprofN     int
	goTest     bool
	goTestArgs []string
	out        string
	terraform  string
	repo       string
}

// sample is one timed operation.
type sample struct {
	Contender   string         `json:"contender"`
	Resource    string         `json:"resource,omitempty"` // the assets line (BENCH_ASSETS): the resource type; "": instances
	N           int            `json:"n"`
	LatencyMS   float64        `json:"latency_ms"`            // per request, added by the mock
	MemOnly     bool           `json:"memory_only,omitempty"` // a BENCH_MEM_N run: RSS and CPU only
	Round       int            `json:"round"`
	Op          string         `json:"op"`
	WallSec     float64        `json:"wall_s"`
	TFCPUSec    float64        `json:"terraform_cpu_s"`
	TFMaxRSSKiB int64          `json:"terraform_max_rss_kib"`
	ProvCPUSec  float64        `json:"provider_cpu_s,omitempty"`
	ProvUserSec float64        `json:"provider_user_s,omitempty"`
	ProvSysSec  float64        `json:"provider_sys_s,omitempty"`
	ProvRSSKiB  int64          `json:"provider_max_rss_kib,omitempty"`
	Requests    map[string]int `json:"requests,omitempty"`
	TotalReqs   int            `json:"total_requests"`   // instance requests: every route but the per-configuration ones
	CatalogReqs int            `json:"catalog_requests"` // GET /elements/{keyOrId}: at most one per element and process
	CheckReqs   int            `json:"check_requests"`   // GET /instances?pageSize=1: the credentials check, one per provider configuration
	FailedReqs  int            `json:"failed_requests"`
	ProvProcs   int            `json:"provider_processes,omitempty"`
	Load1       float64        `json:"load1_at_start"` // 1-minute load average when the op started
	ProvLogB    int64          `json:"provider_log_bytes,omitempty"`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	s, err := loadSettings()
	if err != nil {
		return err
	}
	if s.reportFrom != "" {
		return reportFrom(s)
	}
	start := time.Now()
	logf := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}

	binDir := filepath.Join(s.out, "bin")
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return err
	}
	provBin := filepath.Join(binDir, "terraform-provider-cloudelements")
	logf("building the provider into %s", rel(s.repo, provBin))
	if err := goCmd(ctx, s.repo, nil, "build", "-o", provBin, "."); err != nil {
		return err
	}
	pprofBin := filepath.Join(binDir, "provider-pprof")
	if s.pprof {
		logf("building the profiling wrapper into %s", rel(s.repo, pprofBin))
		if err := goCmd(ctx, s.repo, nil, "build", "-o", pprofBin, "./internal/cmd/bench/provider-pprof"); err != nil {
			return err
		}
	}
	restapiBin := ""
	if s.pprofOnly {
		s.restapi, s.ns, s.memNs, s.managed, s.logsOff, s.assetNs = false, nil, nil, nil, nil, nil
	}
	if s.pprof && s.pprofN == 0 {
		return errors.New("BENCH_PPROF: no size to profile at (set BENCH_PPROF_N or BENCH_N)")
	}
	if s.restapi && len(s.ns) > 0 {
		if restapiBin, err = ensureRestapi(ctx, s, logf); err != nil {
			return err
		}
	}
	shimDir := filepath.Join(s.out, "shim")
	if len(s.managed) > 0 {
		logf("building the provider shim into %s", rel(s.repo, shimDir))
		if err := goCmd(ctx, s.repo, nil, "build", "-o", filepath.Join(shimDir, "terraform-provider-cloudelements"), "./internal/cmd/bench/provider-shim"); err != nil {
			return err
		}
	}
	if s.terraform == "" {
		out, err := exec.CommandContext(ctx, filepath.Join(s.repo, "scripts", "terraform-cli.sh"), "terraform").Output()
		if err != nil {
			return fmt.Errorf("scripts/terraform-cli.sh terraform: %w", err)
		}
		s.terraform = strings.TrimSpace(string(out))
	}
	rc := filepath.Join(s.out, "terraformrc")
	if err := os.WriteFile(rc, []byte("# empty: bench uses TF_REATTACH_PROVIDERS, not dev_overrides\n"), 0o644); err != nil {
		return err
	}
	tfVersion, _ := exec.CommandContext(ctx, s.terraform, "version").Output()
	logf("terraform: %s (%s)", s.terraform, firstLine(string(tfVersion)))

	managedRC := filepath.Join(s.out, "terraformrc-managed")
	if err := os.WriteFile(managedRC, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/cloudelements/cloudelements" = %q
  }
  direct {}
}
`, shimDir)), 0o644); err != nil {
		return err
	}
	b := &bench{s: s, provBin: provBin, restapiBin: restapiBin, logf: logf,
		tfEnv:        cleanEnv("TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"),
		tfManagedEnv: cleanEnv("TF_CLI_CONFIG_FILE="+managedRC, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "BENCH_SHIM_TARGET="+provBin)}
	var samples []sample
	maxRounds := 0
	for _, r := range s.rounds {
		maxRounds = max(maxRounds, r)
	}
	for round := 1; round <= maxRounds; round++ {
		for _, n := range s.ns {
			if round > s.rounds[n] {
				continue
			}
			for li, lat := range s.latencies {
				order := contenders(s, n, li)
				if round%2 == 0 {
					slices.Reverse(order)
				}
				for _, c := range order {
					got, err := b.contenderRun(ctx, c, "", n, round, lat, ops, nil)
					samples = append(samples, got...)
					if err != nil {
						_ = writeJSON(filepath.Join(s.out, "results.json"), samples)
						return fmt.Errorf("%s N=%d latency %s round %d: %w", c, n, lat, round, err)
					}
				}
			}
		}
	}
	if len(s.assetNs) > 0 {
		got, err := b.assetRounds(ctx, maxRounds)
		samples = append(samples, got...)
		if err != nil {
			_ = writeJSON(filepath.Join(s.out, "results.json"), samples)
			return err
		}
	}
	for _, n := range s.memNs {
		got, err := b.contenderRun(ctx, provider, "", n, 1, 0, s.memOps, nil)
		for i := range got {
			got[i].MemOnly = true
		}
		samples = append(samples, got...)
		if err != nil {
			_ = writeJSON(filepath.Join(s.out, "results.json"), samples)
			return fmt.Errorf("%s N=%d (memory only): %w", provider, n, err)
		}
	}
	if err := writeJSON(filepath.Join(s.out, "results.json"), samples); err != nil {
		return err
	}

	var md strings.Builder
	if !s.pprofOnly {
		loads := field(samples, func(x sample) float64 { return x.Load1 })
		ls := statsOf(loads)
		instances := "" // the settings of the instance tables, when they run
		if len(s.ns) > 0 {
			instances = fmt.Sprintf("latencies %s; element %q; ", latenciesText(s.latencies), s.element.key)
		}
		fmt.Fprintf(&md, "# make bench results\n\n%s, %s, %s; %s; %d CPUs; parallelism %d; rounds %s; %s"+
			"timed part %s; 1-minute load average at the start of the operations: min %.1f, median %.1f, max %.1f.\n\n",
			time.Now().UTC().Format(time.RFC3339), firstLine(string(tfVersion)), goVersion(ctx, s.repo),
			machine(), numCPU(), s.parallelism, roundsText(s), instances,
			time.Since(start).Round(time.Second), ls.min, ls.median, ls.max)
		report(&md, s, samples)
		fmt.Print("\n" + md.String())
	}

	if s.pprof {
		logf("profiling pass: %s at N=%d with %s", provider, s.pprofN, rel(s.repo, pprofBin))
		b.pprofBin = pprofBin
		prof, err := b.profile(ctx)
		if err != nil {
			return fmt.Errorf("profiling pass: %w", err)
		}
		fmt.Print(prof)
		md.WriteString(prof)
	}
	if s.goTest {
		logf("go test benchmarks")
		out := goBench(ctx, s)
		fmt.Print(out)
		md.WriteString(out)
	}
	resPath := filepath.Join(s.out, "results.md")
	if err := os.WriteFile(resPath, []byte(md.String()), 0o644); err != nil {
		return err
	}
	logf("wrote %s and results.json", rel(s.repo, resPath))
	return nil
}

type bench struct {
	s          settings
	provBin    string
	restapiBin string
	pprofBin   string
	tfEnv      []string
	// tfManagedEnv: Terraform starts the provider (through the shim).
	tfManagedEnv []string
	logf         func(string, ...any)
	// assets: the documented bodies of the assets line (BENCH_ASSETS)
	assets *assetBodies
}

// contenderRun runs ops (apply, plan, destroy) for one contender at size n in
// a fresh directory (and, for the providers, on a fresh mock that delays
// every request by latency). profiles, when set, names per op the profile
// paths for the provider-pprof wrapper, which then serves instead of the
// provider.
//
// resource, when set, is a resource type of the assets line
// (cloudelements_formula, cloudelements_common_resource): the contender
// manages n of those with the documented bodies instead of instances.
func (b *bench) contenderRun(ctx context.Context, contender, resource string, n, round int, latency time.Duration, ops []string, profiles map[string]profilePaths) ([]sample, error) {
	name := strings.ReplaceAll(contender, "/", "_")
	if resource != "" {
		name = strings.TrimPrefix(resource, "cloudelements_") + "-" + name
	}
	dir := filepath.Join(b.s.out, "work", fmt.Sprintf("%s-%d-%s-r%d", name, n, latencyName(latency), round))
	if profiles != nil {
		dir = filepath.Join(b.s.out, "work", fmt.Sprintf("%s-%d-pprof", name, n))
	}
	if contender == floor {
		latency = 0 // no API: the same samples serve every latency
	}
	bin := b.provBin
	switch {
	case profiles != nil:
		bin = b.pprofBin
	case contender == restapiC:
		bin = b.restapiBin
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var mock *mockapi.Server
	var cfg, baseURL string
	if contender != floor {
		mock = mockapi.New(mockapi.Options{UserSecret: userSecret, OrganizationSecret: orgSecret})
		hs := httptest.NewServer(withLatency(mock, latency))
		defer hs.Close()
		baseURL = hs.URL + mockapi.Prefix
	}
	switch {
	case resource != "":
		if err := b.assets.writeConfig(dir, resource, n, contender == floor, baseURL); err != nil {
			return nil, err
		}
	case contender == floor:
		cfg = floorConfig(n, b.s.element)
	case contender == restapiC:
		cfg = restapiConfig(n, baseURL, b.s.element)
	default:
		cfg = providerConfig(n, baseURL, b.s.element)
	}
	if resource == "" {
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o644); err != nil {
			return nil, err
		}
	}

	var out []sample
	for _, op := range ops {
		smp := sample{Contender: contender, Resource: resource, N: n, Round: round, Op: op, Load1: load1(), LatencyMS: float64(latency) / float64(time.Millisecond)}
		env := b.tfEnv
		var prov *providerProc
		shimLog := filepath.Join(dir, op+".providers.jsonl")
		if contender == managed {
			env = append(slices.Clip(b.tfManagedEnv), "BENCH_SHIM_LOG="+shimLog)
			mock.ResetRequests()
		} else if mock != nil {
			var extra []string
			if contender == logsOff {
				extra = append(extra, logsOffEnv...)
			}
			if p, ok := profiles[op]; ok {
				extra = append(extra, "BENCH_CPUPROFILE="+p.cpu, "BENCH_MEMPROFILE="+p.allocs, "BENCH_HEAPPROFILE="+p.heap,
					"BENCH_MEMTRACE="+p.memtrace)
			}
			var err error
			prov, err = startProvider(ctx, bin, filepath.Join(dir, op+".provider.log"), cleanEnv(extra...))
			if err != nil {
				return out, err
			}
			env = append(slices.Clip(env), "TF_REATTACH_PROVIDERS="+prov.reattach)
			mock.ResetRequests()
		}
		args := []string{op, "-input=false", "-no-color", "-parallelism=" + strconv.Itoa(b.s.parallelism)}
		if op == "plan" {
			args = append(args, "-detailed-exitcode")
		} else {
			args = append(args, "-auto-approve")
		}
		res, err := runTerraform(ctx, b.s.terraform, dir, env, filepath.Join(dir, op+".log"), args...)
		if p, ok := profiles[op]; ok && prov != nil && err == nil {
			err = prov.heapProfile(p.heap)
		}
		if prov != nil {
			usage, stopErr := prov.stop()
			if err == nil {
				err = stopErr
			}
			smp.ProvUserSec, smp.ProvSysSec = usage.user.Seconds(), usage.sys.Seconds()
			smp.ProvCPUSec = smp.ProvUserSec + smp.ProvSysSec
			smp.ProvRSSKiB = usage.maxRSSKiB
			smp.ProvLogB = prov.stderr.total
		}
		if err != nil {
			return out, fmt.Errorf("terraform %s: %w", op, err)
		}
		smp.WallSec, smp.TFCPUSec, smp.TFMaxRSSKiB = res.wall.Seconds(), res.cpu.Seconds(), res.maxRSSKiB
		if contender == managed {
			procs, err := readShimLog(shimLog)
			if err != nil {
				return out, fmt.Errorf("terraform %s: %w", op, err)
			}
			for _, p := range procs {
				smp.ProvUserSec += p.User
				smp.ProvSysSec += p.Sys
				smp.ProvRSSKiB = max(smp.ProvRSSKiB, p.MaxRSSKiB)
			}
			smp.ProvCPUSec = smp.ProvUserSec + smp.ProvSysSec
			smp.ProvProcs = len(procs)
			// Terraform's rusage includes the processes it reaped.
			smp.TFCPUSec = max(smp.TFCPUSec-smp.ProvCPUSec, 0)
		}
		if mock != nil {
			smp.Requests = map[string]int{}
			for _, r := range mock.Requests() {
				smp.Requests[r.Method+" "+r.Route]++
				switch {
				case catalogRoute(r.Route):
					smp.CatalogReqs++
				case credentialsCheck(r):
					smp.CheckReqs++
				default:
					smp.TotalReqs++
				}
				if r.Status < 200 || r.Status > 299 {
					smp.FailedReqs++
				}
			}
		}
		// After the requests are counted: counting formulas asks the mock.
		if err := checkOutcome(op, n, res.exitCode, mockCounter(mock, resource)); err != nil {
			return out, fmt.Errorf("terraform %s (log: %s): %w", op, rel(b.s.repo, filepath.Join(dir, op+".log")), err)
		}
		out = append(out, smp)
		label := fmt.Sprintf("round %d", round)
		if profiles != nil {
			label = "pprof  "
		}
		who := contender
		if resource != "" {
			who = strings.TrimPrefix(resource, "cloudelements_") + "/" + contender
		}
		line := fmt.Sprintf("%s N=%-5d %-22s %-5s %-7s %7.2fs  terraform CPU %6.2fs", label, n, who, latencyName(latency), op, smp.WallSec, smp.TFCPUSec)
		if mock != nil {
			line += fmt.Sprintf("  provider CPU %6.2fs RSS %5.1f MiB  requests %d+%d+%d", smp.ProvCPUSec, float64(smp.ProvRSSKiB)/1024, smp.TotalReqs, smp.CatalogReqs, smp.CheckReqs)
		}
		b.logf("%s", line)
	}
	return out, nil
}

// objectCounter counts the objects a contender manages in the mock, and
// names them.
type objectCounter func() (int, string, error)

// mockCounter counts the objects of resource ("": instances) in mock (nil
// for the floor: no mock).
func mockCounter(mock *mockapi.Server, resource string) objectCounter {
	switch {
	case mock == nil:
		return nil
	case resource == "":
		return func() (int, string, error) { return len(mock.Instances()), "instances", nil }
	}
	return func() (int, string, error) {
		n, err := countAssets(mock, resource)
		return n, strings.TrimPrefix(resource, "cloudelements_") + "s", err
	}
}

// checkOutcome verifies that an operation did what it should have: apply
// leaves n objects in the mock, plan is empty, destroy leaves none.
func checkOutcome(op string, n, exitCode int, count objectCounter) error {
	switch {
	case op == "plan" && exitCode == 2:
		return errors.New("the plan after apply is not empty (exit code 2): the provider does not round-trip its state")
	case exitCode != 0:
		return fmt.Errorf("exit code %d", exitCode)
	case count == nil:
		return nil
	}
	want := n
	if op == "destroy" {
		want = 0
	}
	got, what, err := count()
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("the mock holds %d %s, want %d", got, what, want)
	}
	return nil
}

func loadSettings() (settings, error) {
	get := func(name, def string) string {
		if v, ok := os.LookupEnv("BENCH_" + strings.ToUpper(name)); ok && v != "" {
			return v
		}
		return def
	}
	nFlag := flag.String("n", get("n", "200,1000"), "sizes, comma-separated (BENCH_N)")
	latFlag := flag.String("latency", get("latency", "0,100ms"), "per-request latencies the mock adds, comma-separated (BENCH_LATENCY)")
	memNFlag := flag.String("mem_n", get("mem_n", "2000"), "sizes for the provider alone, once, for RSS (BENCH_MEM_N; 0: none)")
	memOpsFlag := flag.String("mem_ops", get("mem_ops", strings.Join(ops, ",")), "operations of those runs, apply first (BENCH_MEM_OPS)")
	assetsFlag := flag.String("assets", get("assets", "200"), "sizes of the formulas and common resources line (BENCH_ASSETS; 0: none)")
	restapiFlag := flag.Bool("restapi", truthy(get("restapi", "1")), "add Mastercard's restapi provider as a contender (BENCH_RESTAPI)")
	elementFlag := flag.String("element", get("element", "sageone"), "catalog element of the instances (BENCH_ELEMENT)")
	roundsFlag := flag.String("rounds", get("rounds", "200=3,1000=2"), `rounds: "3" or per size "200=3,1000=2" (BENCH_ROUNDS)`)
	parFlag := flag.Int("parallelism", atoiOr(get("parallelism", "10"), 10), "terraform -parallelism (BENCH_PARALLELISM)")
	pprofFlag := flag.String("pprof", get("pprof", "0"), "profiling pass: 1, or only (no timed rounds) (BENCH_PPROF)")
	managedFlag := flag.String("managed", get("managed", "0"), "add the provider launched by Terraform (dev_overrides) as a contender: 1 or sizes (BENCH_MANAGED)")
	logsOffFlag := flag.String("logs_off", get("logs_off", "0"), "add the provider with logging off as a contender: 1 or sizes (BENCH_LOGS_OFF)")
	pprofN := flag.Int("pprof_n", atoiOr(get("pprof_n", "0"), 0), "size of the profiling pass (BENCH_PPROF_N)")
	goTest := flag.Bool("gotest", truthy(get("gotest", "1")), "run the Go benchmarks (BENCH_GOTEST)")
	goTestArgs := flag.String("gotest_args", get("gotest_args", "-benchtime=1s"), "extra go test flags (BENCH_GOTEST_ARGS)")
	outFlag := flag.String("out", get("out", "build/bench"), "output directory (BENCH_OUT)")
	reportFlag := flag.String("report", "", "print the tables of this results.json (with the settings it was run with) instead of running")
	tfFlag := flag.String("terraform", os.Getenv("TERRAFORM"), "Terraform CLI (TERRAFORM)")
	flag.Parse()

	s := settings{reportFrom: *reportFlag, parallelism: *parFlag, pprof: truthy(*pprofFlag) || *pprofFlag == "only", pprofOnly: *pprofFlag == "only",
		goTest: *goTest, restapi: *restapiFlag,
		goTestArgs: strings.Fields(*goTestArgs), terraform: *tfFlag, rounds: map[int]int{}}
	var err error
	if s.element, err = elementFor(*elementFlag); err != nil {
		return s, err
	}
	for _, f := range strings.Split(*latFlag, ",") {
		f = strings.TrimSpace(f)
		d, err := time.ParseDuration(f)
		if f == "0" {
			d, err = 0, nil
		}
		if err != nil || d < 0 {
			return s, fmt.Errorf("BENCH_LATENCY: %q is not a duration such as 100ms", f)
		}
		if !slices.Contains(s.latencies, d) {
			s.latencies = append(s.latencies, d)
		}
	}
	slices.Sort(s.latencies)
	if s.memNs, err = parseSizes("BENCH_MEM_N", *memNFlag); err != nil {
		return s, err
	}
	if s.memOps, err = parseMemOps(*memOpsFlag); err != nil {
		return s, err
	}
	if s.repo, err = repoRoot(); err != nil {
		return s, err
	}
	if s.out, err = filepath.Abs(*outFlag); err != nil {
		return s, err
	}
	if s.ns, err = parseSizes("BENCH_N", *nFlag); err != nil {
		return s, err
	}
	if s.assetNs, err = parseSizes("BENCH_ASSETS", *assetsFlag); err != nil {
		return s, err
	}
	timed := append(slices.Clone(s.ns), s.assetNs...) // the sizes BENCH_ROUNDS applies to
	if r, err := strconv.Atoi(strings.TrimSpace(*roundsFlag)); err == nil {
		for _, n := range timed {
			s.rounds[n] = r
		}
	} else {
		for _, n := range timed {
			s.rounds[n] = 3
		}
		for _, part := range strings.Split(*roundsFlag, ",") {
			k, v, ok := strings.Cut(part, "=")
			n, err1 := strconv.Atoi(strings.TrimSpace(k))
			r, err2 := strconv.Atoi(strings.TrimSpace(v))
			if !ok || err1 != nil || err2 != nil {
				return s, fmt.Errorf("BENCH_ROUNDS: %q is not <size>=<rounds>", part)
			}
			if slices.Contains(timed, n) { // other sizes: not run (the default names 200 and 1000)
				s.rounds[n] = r
			}
		}
	}
	for n, r := range s.rounds {
		if r < 1 {
			return s, fmt.Errorf("BENCH_ROUNDS: %d rounds for N=%d", r, n)
		}
	}
	if s.managed, err = extraSizes("BENCH_MANAGED", *managedFlag, s.ns); err != nil {
		return s, err
	}
	if s.logsOff, err = extraSizes("BENCH_LOGS_OFF", *logsOffFlag, s.ns); err != nil {
		return s, err
	}
	if s.parallelism < 1 {
		return s, errors.New("BENCH_PARALLELISM must be at least 1")
	}
	s.pprofN = *pprofN
	if s.pprofN == 0 && len(s.ns) > 0 {
		s.pprofN = s.ns[len(s.ns)-1]
		if slices.Contains(s.ns, 1000) {
			s.pprofN = 1000
		}
	}
	return s, nil
}

// parseSizes reads comma-separated sizes (0 means none and is left out),
// sorted, each once.
func parseSizes(name, v string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%s: %q is not a size (0: none)", name, f)
		}
		if n > 0 && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

// contenders at size n and the latency of index li in s.latencies; n = 0:
// every contender of the run. The floor, which makes no API request, runs
// at the first latency only; so do the extra variants of the provider.
func contenders(s settings, n, li int) []string {
	var out []string
	if n == 0 || li == 0 {
		out = append(out, floor)
	}
	out = append(out, provider)
	if s.restapi {
		out = append(out, restapiC)
	}
	if n == 0 || li == 0 {
		if len(s.managed) > 0 && (n == 0 || slices.Contains(s.managed, n)) {
			out = append(out, managed)
		}
		if len(s.logsOff) > 0 && (n == 0 || slices.Contains(s.logsOff, n)) {
			out = append(out, logsOff)
		}
	}
	return out
}

// withLatency delays every request by d before the mock sees it (a request
// whose client gives up meanwhile is dropped).
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

// catalogRoute reports whether a mock route reads the element catalog
// (GET /elements/{keyOrId} and its sub-resources), which the provider does
// at most once per element and process, not per instance.
// credentialsCheck reports whether r is the provider's credentials check
// (GET /instances?pageSize=1, once per provider configuration). Other
// listings are the pages of a batched refresh: instance requests.
func credentialsCheck(r mockapi.Request) bool {
	return r.Method == http.MethodGet && r.Route == "/instances" && r.Query.Get("pageSize") == "1"
}

func catalogRoute(route string) bool {
	return strings.HasPrefix(route, "/elements/")
}

func latencyName(d time.Duration) string {
	if d == 0 {
		return "0ms"
	}
	return d.String()
}

func latenciesText(ls []time.Duration) string {
	var parts []string
	for _, d := range ls {
		parts = append(parts, latencyName(d))
	}
	return strings.Join(parts, ", ")
}

// extraSizes reads an extra contender's setting: 0/empty (none), 1/true
// (every size) or sizes from BENCH_N ("200" or "200,1000").
func extraSizes(name, v string, ns []int) ([]int, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "" || v == "0" || strings.EqualFold(v, "false"):
		return nil, nil
	case truthy(v):
		return ns, nil
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || !slices.Contains(ns, n) {
			return nil, fmt.Errorf("%s: %q is neither 0, 1 nor a size from BENCH_N", name, f)
		}
		out = append(out, n)
	}
	return out, nil
}

// shimProc is one line of the provider-shim log.
type shimProc struct {
	User      float64 `json:"user_s"`
	Sys       float64 `json:"sys_s"`
	MaxRSSKiB int64   `json:"max_rss_kib"`
}

func readShimLog(path string) ([]shimProc, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("no provider process was recorded by the shim: %w", err)
	}
	var out []shimProc
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var p shimProc
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, p)
	}
	return out, nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s: run from the repository", dir)
		}
	}
}

// goCmd runs go with args in dir, env added to the environment.
func goCmd(ctx context.Context, dir string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s (in %s): %w", strings.Join(args, " "), dir, err)
	}
	return nil
}

// goBench runs the Go benchmarks of the hot paths and returns a markdown
// section with their output (or the failure).
func goBench(ctx context.Context, s settings) string {
	args := append([]string{"test", "-run=^$", "-bench=.", "-benchmem"}, s.goTestArgs...)
	args = append(args, "./internal/cloudelements/", "./internal/provider/")
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = s.repo
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	text := strings.TrimRight(string(out), "\n")
	if err != nil {
		text += "\n(go test failed: " + err.Error() + ")"
	}
	_ = os.WriteFile(filepath.Join(s.out, "gobench.txt"), out, 0o644)
	return fmt.Sprintf("\n## Go benchmarks\n\n`go %s`\n\n```\n%s\n```\n", strings.Join(args, " "), text)
}

// cleanEnv is the environment without settings that change Terraform's or
// the provider's behaviour (logging, extra CLI args, CLI config,
// reattachment), plus extra.
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

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// parseMemOps parses BENCH_MEM_OPS: apply, then plan and/or destroy, each
// once, comma-separated.
func parseMemOps(v string) ([]string, error) {
	got := strings.Split(strings.ReplaceAll(v, " ", ""), ",")
	for i, op := range got {
		if !slices.Contains(ops, op) || slices.Index(got, op) != i || (i == 0) != (op == "apply") {
			return nil, fmt.Errorf("BENCH_MEM_OPS: %q is not apply followed by plan and/or destroy", v)
		}
	}
	return got, nil
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		return n
	}
	return def
}

func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func rel(base, path string) string {
	if r, err := filepath.Rel(base, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// reportFrom prints the tables of an earlier run's results.json; the
// settings must name the same sizes and latencies.
func reportFrom(s settings) error {
	b, err := os.ReadFile(s.reportFrom)
	if err != nil {
		return err
	}
	var samples []sample
	if err := json.Unmarshal(b, &samples); err != nil {
		return fmt.Errorf("%s: %w", s.reportFrom, err)
	}
	var md strings.Builder
	report(&md, s, samples)
	fmt.Print(md.String())
	return nil
}
