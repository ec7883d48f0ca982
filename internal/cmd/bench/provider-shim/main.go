// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Command provider-shim stands in for the provider binary when Terraform
// launches the provider itself (dev_overrides), for `make bench`. It runs
// BENCH_SHIM_TARGET with the same arguments, stdio
// and environment (so go-plugin's handshake and logs pass straight through),
// forwards SIGINT and SIGTERM to it, and when it exits appends one JSON line
// with its rusage to BENCH_SHIM_LOG:
//
//	{"pid":123,"user_s":0.41,"sys_s":0.05,"max_rss_kib":41234,"wall_s":1.2,"exit":0}
//
// Terraform's own rusage cannot separate the provider processes it started
// and reaped; this can, one line per process.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	os.Exit(run())
}

func run() int {
	target, logPath := os.Getenv("BENCH_SHIM_TARGET"), os.Getenv("BENCH_SHIM_LOG")
	if target == "" {
		fmt.Fprintln(os.Stderr, "provider-shim: BENCH_SHIM_TARGET is not set")
		return 1
	}
	cmd := exec.Command(target, os.Args[1:]...) //nolint:noctx // lives exactly as long as the shim; signals are forwarded below
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "provider-shim: %v\n", err)
		return 1
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	_ = cmd.Wait()
	wall := time.Since(start)
	code := cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && logPath != "" {
		line, _ := json.Marshal(map[string]any{
			"pid":         cmd.ProcessState.Pid(),
			"user_s":      time.Duration(ru.Utime.Nano()).Seconds(),
			"sys_s":       time.Duration(ru.Stime.Nano()).Seconds(),
			"max_rss_kib": ru.Maxrss,
			"wall_s":      wall.Seconds(),
			"exit":        code,
		})
		if f, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			_, _ = f.Write(append(line, '\n'))
			_ = f.Close()
		}
	}
	if code < 0 { // killed by a signal
		return 1
	}
	return code
}
