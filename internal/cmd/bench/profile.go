// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// profiledOps are the operations of the profiling pass; its instances are
// not destroyed (the mock and the directory are simply dropped).
var profiledOps = []string{"apply", "plan"}

// profile runs the untimed profiling pass (apply and plan of the provider at
// s.pprofN with the provider-pprof wrapper) and returns a markdown section:
// per operation, CPU by RPC and by kind of work, then `go tool pprof -top`
// of CPU, of allocated bytes and of the heap still live at the end.
func (b *bench) profile(ctx context.Context) (string, error) {
	bin := b.pprofBin
	dir := filepath.Join(b.s.out, "pprof")
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	paths := map[string]profilePaths{}
	for _, op := range profiledOps {
		base := filepath.Join(dir, op)
		paths[op] = profilePaths{cpu: base + ".cpu.pprof", allocs: base + ".allocs.pprof", heap: base + ".heap.pprof", memtrace: base + ".memtrace.txt"}
	}
	samples, err := b.contenderRun(ctx, provider, "", b.s.pprofN, 0, 0, profiledOps, paths)
	if err != nil {
		return "", err
	}

	var w strings.Builder
	fmt.Fprintf(&w, "\n## Provider profiles (N=%d, untimed pass with internal/cmd/bench/provider-pprof)\n\n", b.s.pprofN)
	fmt.Fprintf(&w, "Profiles: `%s/{apply,plan}.{cpu,allocs,heap}.pprof` (binary `%s`). "+
		"Open with `go tool pprof -http=: %s <profile>`.\n\n", rel(b.s.repo, dir), rel(b.s.repo, bin), rel(b.s.repo, bin))
	fmt.Fprintln(&w, "Each CPU sample is put under the outermost tf6server RPC on its stack (GC workers and other goroutines under "+
		"\"(no RPC)\"), and under a kind of work: logging when any frame is in terraform-plugin-log/hclog, "+
		"otherwise the package of the leaf-most frame outside the runtime and the standard library "+
		"(allocation, maps, reflect, regexp... are charged to their caller; encoding/json and net/http are kinds of their own). "+
		"Kinds: "+strings.Join(kindNames(), "; ")+".")
	for i, op := range profiledOps {
		cpuProf, allocProf, heapProf := paths[op].cpu, paths[op].allocs, paths[op].heap
		fmt.Fprintf(&w, "\n### %s: provider CPU %.2fs, peak RSS %.1f MiB, wall %.2fs\n\n", op, samples[i].ProvCPUSec,
			float64(samples[i].ProvRSSKiB)/1024, samples[i].WallSec)
		traces, err := pprofText(ctx, b.s.repo, "-traces", bin, cpuProf)
		if err != nil {
			return "", err
		}
		writeBreakdown(&w, parseTraces(traces), b.s.pprofN)
		top, err := pprofText(ctx, b.s.repo, "-top", "-nodecount=30", bin, cpuProf)
		if err != nil {
			return "", err
		}
		cum, err := pprofText(ctx, b.s.repo, "-top", "-cum", "-nodecount=45", bin, cpuProf)
		if err != nil {
			return "", err
		}
		allocs, err := pprofText(ctx, b.s.repo, "-top", "-sample_index=alloc_space", "-nodecount=25", bin, allocProf)
		if err != nil {
			return "", err
		}
		heap, err := pprofText(ctx, b.s.repo, "-top", "-sample_index=inuse_space", "-nodecount=25", bin, heapProf)
		if err != nil {
			return "", err
		}
		_ = os.WriteFile(filepath.Join(dir, op+".cpu.top.txt"), []byte(top+"\n"+cum), 0o644)
		_ = os.WriteFile(filepath.Join(dir, op+".allocs.top.txt"), []byte(allocs), 0o644)
		_ = os.WriteFile(filepath.Join(dir, op+".heap.top.txt"), []byte(heap), 0o644)
		fmt.Fprintf(&w, "\nLive heap when %s had finished (provider still serving): %s; allocated during %s: %s (%s per instance).\n",
			op, totalOf(heap), op, totalOf(allocs), perInstanceBytes(totalOf(allocs), b.s.pprofN))
		if trace, err := os.ReadFile(paths[op].memtrace); err == nil {
			fmt.Fprintf(&w, "\nThe runtime's memory classes at the peak RSS (a heap profile of that moment: `%s`):\n\n```\n%s```\n",
				rel(b.s.repo, strings.TrimSuffix(paths[op].memtrace, ".txt")+".peak.heap.pprof"), trace)
		}
		fmt.Fprintf(&w, "\n<details><summary>%s: go tool pprof -top (flat), -top -cum, allocated bytes, live heap at the end</summary>\n\n"+
			"```\n%s\n```\n\n```\n%s\n```\n\n```\n%s\n```\n\n```\n%s\n```\n</details>\n",
			op, stripHeader(top), stripHeader(cum), stripHeader(allocs), stripHeader(heap))
	}
	return w.String(), nil
}

// profilePaths are the files the provider-pprof wrapper writes for one op.
type profilePaths struct{ cpu, allocs, heap, memtrace string }

// totalOf reads the total from the "Showing nodes accounting for X, Y% of
// TOTAL total" line of pprof -top output.
func totalOf(top string) string {
	for _, l := range strings.Split(top, "\n") {
		if strings.HasPrefix(l, "Showing nodes accounting for") {
			if i := strings.LastIndex(l, " of "); i >= 0 {
				return strings.TrimSuffix(strings.TrimSpace(l[i+4:]), " total")
			}
		}
	}
	return "?"
}

// perInstanceBytes divides a pprof size ("589.31MB", "1025.19kB") by n.
func perInstanceBytes(total string, n int) string {
	units := []struct {
		suffix string
		scale  float64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"kB", 1 << 10}, {"B", 1}}
	for _, u := range units {
		if v, ok := strings.CutSuffix(total, u.suffix); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				break
			}
			return fmt.Sprintf("%.0f kB", f*u.scale/float64(n)/1024)
		}
	}
	return "?"
}

func pprofText(ctx context.Context, repo string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", append([]string{"tool", "pprof"}, args...)...)
	cmd.Dir = repo
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go tool pprof %s: %w", strings.Join(args, " "), err)
	}
	return string(out), nil
}

// stripHeader drops the "File:/Build ID:/Type:/Time:" lines of pprof output.
func stripHeader(s string) string {
	var out []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if strings.HasPrefix(l, "File: ") || strings.HasPrefix(l, "Build ID: ") || strings.HasPrefix(l, "Time: ") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// trace is one stack of `go tool pprof -traces`: leaf first.
type trace struct {
	value  time.Duration
	frames []string
}

// parseTraces reads `go tool pprof -traces` output: blocks separated by
// "-----------+---" lines, each "<value> <leaf>" then one frame per line.
func parseTraces(text string) []trace {
	var out []trace
	var cur *trace
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "-----------+") {
			if cur != nil && len(cur.frames) > 0 {
				out = append(out, *cur)
			}
			cur = &trace{}
			continue
		}
		if cur == nil || strings.TrimSpace(line) == "" {
			continue
		}
		fields := strings.Fields(line)
		if len(cur.frames) == 0 {
			if len(fields) < 2 {
				continue
			}
			d, err := time.ParseDuration(fields[0])
			if err != nil {
				continue // a label line such as "bytes:"
			}
			cur.value = d
			cur.frames = append(cur.frames, fields[1])
			continue
		}
		cur.frames = append(cur.frames, fields[0])
	}
	if cur != nil && len(cur.frames) > 0 {
		out = append(out, *cur)
	}
	return out
}

// kinds of work. A sample belongs to logging when any frame is in a
// logging package (their JSON encoding and runtime.Caller included);
// otherwise to the kind of its leaf-most frame that is not "transparent":
// runtime and standard-library helpers (allocation, maps, reflect, regexp,
// strings, ...) are transparent, so their cost goes to the code that called
// them; encoding/json and the network packages are not. Stacks made only of
// transparent frames are GC workers or other runtime work.
var kinds = []struct {
	name    string
	matches []string
}{
	{"state (de)serialisation: msgpack/JSON <-> tftypes", []string{"vmihailenco/msgpack", "tftypes.ValueFromMsgPack", "tftypes.msgpackUnmarshal", "tftypes.marshalMsgPack", "tftypes.ValueFromJSON", "tftypes.jsonUnmarshal", "tfprotov6.(*DynamicValue)", "tfprotov6.DynamicValue", "tfprotov6.NewDynamicValue", "tfprotov6.NewRawState", "tfprotov6.(*RawState)"}},
	{"schema lookups (attribute maps and types rebuilt per path step)", []string{"resource/schema.", "provider/schema.", "datasource/schema.", "internal/fwschema.", "toproto6.Schema", "toproto6.Block", "toproto6.GetProviderSchema", "fwserver.(*Server).ResourceSchema", "fwserver.(*Server).ProviderSchema", "(*instanceResource).Schema"}},
	{"provider code (internal/provider, internal/cloudelements)", []string{"/internal/provider.", "/internal/cloudelements."}},
	{"framework: data handling, plan modification, validation, reflection", []string{"terraform-plugin-framework/", "terraform-plugin-framework-validators/", "terraform-plugin-framework-jsontypes/"}},
	{"tftypes values (walk/transform/equal)", []string{"terraform-plugin-go/tftypes."}},
	{"gRPC and protobuf", []string{"google.golang.org/grpc", "google.golang.org/protobuf", "golang.org/x/net/http2", "terraform-plugin-go/tfprotov6/internal/"}},
	{"JSON (encoding/json)", []string{"encoding/json."}},
	{"HTTP client (net/http, retryablehttp)", []string{"net/http", "go-retryablehttp", "net.", "internal/poll.", "crypto/tls."}},
	{"terraform-plugin-go, other", []string{"terraform-plugin-go/"}},
}

const (
	kindLogging = "logging (terraform-plugin-log, hclog)"
	kindGC      = "GC (background workers)"
	kindRuntime = "runtime, other"
)

var loggingFrames = []string{"terraform-plugin-log/", "hashicorp/go-hclog", "/internal/logging.", "tf6serverlogging."}

func kindNames() []string {
	out := []string{kindLogging}
	for _, k := range kinds {
		out = append(out, k.name)
	}
	return append(out, kindGC, kindRuntime)
}

// transparent frames: the standard library (no dot in the first path
// element) and assembly helpers, except the packages named in kinds.
func transparent(frame string) bool {
	for _, p := range []string{"encoding/json.", "net/http", "net.", "internal/poll.", "crypto/tls."} {
		if strings.HasPrefix(frame, p) {
			return false
		}
	}
	if !strings.Contains(frame, ".") {
		return true // assembly helpers: aeshashbody, gcWriteBarrier, ...
	}
	first, _, _ := strings.Cut(pkgOf(frame), "/")
	return !strings.Contains(first, ".")
}

func kindOf(t trace) string {
	for _, f := range t.frames {
		for _, m := range loggingFrames {
			if strings.Contains(f, m) {
				return kindLogging
			}
		}
	}
	for _, f := range t.frames { // leaf first
		if transparent(f) {
			continue
		}
		for _, k := range kinds {
			for _, m := range k.matches {
				if strings.Contains(f, m) {
					return k.name
				}
			}
		}
		return "other: " + pkgOf(f)
	}
	for _, f := range t.frames {
		if strings.HasPrefix(f, "runtime.gcBgMarkWorker") || strings.HasPrefix(f, "runtime.bgsweep") || strings.HasPrefix(f, "runtime.bgscavenge") {
			return kindGC
		}
	}
	return kindRuntime
}

// pkgOf is the import path of a function name.
func pkgOf(frame string) string {
	slash := strings.LastIndex(frame, "/")
	if i := strings.Index(frame[slash+1:], "."); i >= 0 {
		return frame[:slash+1+i]
	}
	return frame
}

// rpcOf is the outermost tf6server RPC method on the stack.
func rpcOf(t trace) string {
	for i := len(t.frames) - 1; i >= 0; i-- {
		f := t.frames[i]
		if j := strings.Index(f, "tf6server.(*server)."); j >= 0 {
			name := f[j+len("tf6server.(*server)."):]
			if k := strings.IndexAny(name, ".("); k >= 0 {
				name = name[:k]
			}
			return name
		}
	}
	return "(no RPC)"
}

func writeBreakdown(w *strings.Builder, traces []trace, n int) {
	var total time.Duration
	byRPC := map[string]time.Duration{}
	byKind := map[string]time.Duration{}
	cell := map[[2]string]time.Duration{}
	for _, t := range traces {
		r, k := rpcOf(t), kindOf(t)
		total += t.value
		byRPC[r] += t.value
		byKind[k] += t.value
		cell[[2]string{k, r}] += t.value
	}
	if total == 0 {
		w.WriteString("(no CPU samples)\n")
		return
	}
	rpcs := sortedByValue(byRPC)
	fmt.Fprintf(w, "CPU in samples: %.2fs (%.2f ms per instance). Share of the profile:\n\n", total.Seconds(), total.Seconds()*1000/float64(n))
	fmt.Fprintf(w, "| kind \\ RPC | %s | total |\n|---|%s---:|\n", strings.Join(rpcs, " | "), strings.Repeat("---:|", len(rpcs)))
	pct := func(d time.Duration) string {
		if d == 0 {
			return ""
		}
		return fmt.Sprintf("%.1f%%", 100*d.Seconds()/total.Seconds())
	}
	for _, k := range sortedByValue(byKind) {
		row := []string{k}
		for _, r := range rpcs {
			row = append(row, pct(cell[[2]string{k, r}]))
		}
		fmt.Fprintf(w, "| %s | **%s** |\n", strings.Join(row, " | "), pct(byKind[k]))
	}
	row := []string{"**total**"}
	for _, r := range rpcs {
		row = append(row, "**"+pct(byRPC[r])+"**")
	}
	fmt.Fprintf(w, "| %s | 100%% |\n", strings.Join(row, " | "))
}

func sortedByValue(m map[string]time.Duration) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			if m[a] > m[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return keys
}
