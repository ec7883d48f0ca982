// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Command provider-pprof is the provider (the same server main.go builds)
// wrapped in a CPU profile and an allocation profile, for `make bench` with
// BENCH_PPROF=1. It is a benchmarking aid, not a release binary; main.go is
// left without pprof.
//
//	BENCH_CPUPROFILE=cpu.pprof BENCH_MEMPROFILE=allocs.pprof \
//	BENCH_HEAPPROFILE=heap.pprof provider-pprof -debug
//
// It runs in managed debug mode only (-debug is accepted and implied): it
// prints TF_REATTACH_PROVIDERS like `terraform-provider-cloudelements -debug`
// and serves until SIGINT or SIGTERM; then it stops the CPU profile, writes
// the allocation profile (alloc_space/alloc_objects since start) and exits.
// On SIGUSR1 it writes the heap profile of what is live at that moment
// (after a GC) to BENCH_HEAPPROFILE and the goroutines (pprof debug=1 text)
// to <path>.goroutines.txt, then renames the profile to <path>.done, while
// still serving: what the server holds between operations. With
// BENCH_MEMTRACE=<path>.txt it samples its resident set and the runtime's
// memory classes every 5 ms, writes a heap profile at each new peak to
// <path>.peak.heap.pprof (at most one a second), and writes the classes at
// the peak to the path on exit (memtrace.go): where the peak RSS goes. Any
// variable may be empty to skip that profile.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/processenv"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/protocolserver"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/provider"
)

const address = "registry.terraform.io/cloudelements/cloudelements"

func main() {
	flag.Bool("debug", true, "accepted for symmetry with the provider; always on")
	flag.Parse()
	processenv.QuietLogsUnlessRequested() // as main.go does
	processenv.SetGCPercentUnlessRequested()
	if err := run(os.Getenv("BENCH_CPUPROFILE"), os.Getenv("BENCH_MEMPROFILE")); err != nil {
		log.Fatalf("provider-pprof: %v", err)
	}
}

func run(cpuPath, memPath string) error {
	if heapPath := os.Getenv("BENCH_HEAPPROFILE"); heapPath != "" {
		usr1 := make(chan os.Signal, 1)
		signal.Notify(usr1, syscall.SIGUSR1)
		go func() {
			for range usr1 {
				if err := writeProfile("heap", heapPath); err != nil {
					log.Printf("provider-pprof: heap profile: %v", err)
					continue
				}
				if err := writeGoroutines(heapPath + ".goroutines.txt"); err != nil {
					log.Printf("provider-pprof: goroutines: %v", err)
				}
				if err := os.Rename(heapPath, heapPath+".done"); err != nil {
					log.Printf("provider-pprof: heap profile: %v", err)
				}
			}
		}()
	}
	if cpuPath != "" {
		f, err := os.Create(cpuPath)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	var trace *memTrace
	if path := os.Getenv("BENCH_MEMTRACE"); path != "" {
		trace = startMemTrace(5*time.Millisecond, strings.TrimSuffix(path, ".txt")+".peak.heap.pprof")
		defer func() {
			if err := trace.write(path); err != nil {
				log.Printf("provider-pprof: memory trace: %v", err)
			}
		}()
	}
	// What main.go does with -debug, plus SIGTERM as a stop signal.
	serveErr := tf6server.Serve(address, protocolserver.NewProtocol6(provider.New("bench")()),
		tf6server.WithManagedDebug(),
		tf6server.WithManagedDebugStopSignals([]os.Signal{os.Interrupt, syscall.SIGTERM}),
	)
	if cpuPath != "" {
		pprof.StopCPUProfile()
	}
	if memPath != "" {
		if err := writeProfile("allocs", memPath); err != nil {
			return err
		}
	}
	if serveErr != nil {
		return fmt.Errorf("serve: %w", serveErr)
	}
	return nil
}

func writeProfile(name, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	// A heap profile is as of the last completed GC cycle, so two cycles
	// make it current.
	runtime.GC()
	runtime.GC()
	if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeGoroutines writes the goroutine profile as text (debug=1: stacks
// grouped, with counts).
func writeGoroutines(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(f, "# MemStats after GC: HeapAlloc %d HeapInuse %d HeapSys %d HeapReleased %d NumGC %d PauseTotal %s\n",
		ms.HeapAlloc, ms.HeapInuse, ms.HeapSys, ms.HeapReleased, ms.NumGC, time.Duration(ms.PauseTotalNs))
	if err := pprof.Lookup("goroutine").WriteTo(f, 1); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
