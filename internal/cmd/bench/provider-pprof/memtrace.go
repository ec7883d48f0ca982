// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memTrace samples the process's resident set (VmRSS) and the runtime's
// memory classes every interval, keeping the sample taken at the highest
// RSS: where the peak RSS the bench reports goes (Go heap in use, heap
// freed but not yet returned to the OS, stacks, runtime metadata, or memory
// the runtime does not account for: the binary's pages and C allocations).
type memTrace struct {
	mu      sync.Mutex
	peakRSS int64
	peak    []metrics.Sample
	peakAt  time.Time
	start   time.Time
	samples int
	// heapPath, when set, gets a heap profile at each new peak (at most
	// one a second, 2 MiB above the last): what was live at the last GC.
	heapPath string
	snapRSS  int64
	snapAt   time.Time
}

func memClassNames() []string {
	var names []string
	for _, d := range metrics.All() {
		if strings.HasPrefix(d.Name, "/memory/classes/") || d.Name == "/gc/heap/goal:bytes" ||
			d.Name == "/gc/heap/live:bytes" || d.Name == "/sched/goroutines:goroutines" || d.Name == "/gc/cycles/total:gc-cycles" {
			names = append(names, d.Name)
		}
	}
	return names
}

func startMemTrace(interval time.Duration, heapPath string) *memTrace {
	t := &memTrace{start: time.Now(), heapPath: heapPath}
	names := memClassNames()
	go func() {
		for {
			rss := vmRSS()
			s := make([]metrics.Sample, len(names))
			for i, n := range names {
				s[i].Name = n
			}
			metrics.Read(s)
			t.mu.Lock()
			t.samples++
			snap := false
			if rss > t.peakRSS {
				snap = rss > t.snapRSS+(2<<20) && time.Since(t.snapAt) > time.Second
				t.peakRSS, t.peak, t.peakAt = rss, s, time.Now()
			}
			t.mu.Unlock()
			if snap && t.heapPath != "" {
				// The heap profile is as of the last GC: what was live then.
				if f, err := os.Create(t.heapPath); err == nil {
					_ = pprof.Lookup("heap").WriteTo(f, 0)
					_ = f.Close()
				}
				t.mu.Lock()
				t.snapRSS, t.snapAt = rss, time.Now()
				t.mu.Unlock()
			}
			time.Sleep(interval)
		}
	}()
	return t
}

// vmRSS is the resident set in bytes from /proc/self/statm (0 if unreadable).
func vmRSS() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(string(f[1]), 10, 64)
	return pages * int64(os.Getpagesize())
}

// write writes the peak sample as text, a line per metric in MiB.
func (t *memTrace) write(path string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "# peak VmRSS %.1f MiB at %s after start (%d samples); GOGC as set, %s\n",
		float64(t.peakRSS)/(1<<20), t.peakAt.Sub(t.start).Round(time.Millisecond), t.samples, runtime.Version())
	s := slices.Clone(t.peak)
	slices.SortFunc(s, func(a, b metrics.Sample) int { return strings.Compare(a.Name, b.Name) })
	for _, m := range s {
		if m.Value.Kind() != metrics.KindUint64 {
			continue
		}
		v := m.Value.Uint64()
		if strings.HasSuffix(m.Name, ":bytes") {
			fmt.Fprintf(&b, "%-55s %8.2f MiB\n", m.Name, float64(v)/(1<<20))
		} else {
			fmt.Fprintf(&b, "%-55s %8d\n", m.Name, v)
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
