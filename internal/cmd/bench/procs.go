// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// usage is what the kernel accounted to a process that has exited.
type usage struct {
	user, sys time.Duration
	maxRSSKiB int64
}

func rusageOf(ps *os.ProcessState) usage {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return usage{}
	}
	return usage{
		user:      time.Duration(ru.Utime.Nano()),
		sys:       time.Duration(ru.Stime.Nano()),
		maxRSSKiB: ru.Maxrss, // KiB on Linux
	}
}

// providerProc is a provider binary serving in managed debug mode.
type providerProc struct {
	cmd      *exec.Cmd
	reattach string // TF_REATTACH_PROVIDERS value
	done     chan struct{}
	log      *os.File
	stderr   *tailWriter
}

// tailWriter keeps the last max bytes written to it and counts them all.
// The provider logs at TRACE level whatever TF_LOG says (~150 kB per
// instance and operation): they go through a pipe, as under Terraform, and
// only their end is kept.
type tailWriter struct {
	mu    sync.Mutex
	max   int
	buf   []byte
	total int64
}

func (t *tailWriter) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.total += int64(len(b))
	t.buf = append(t.buf, b...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(b), nil
}

// flush writes a note and the kept tail to w.
func (t *tailWriter) flush(w io.Writer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(w, "--- provider stderr: %d bytes in total; the last %d follow ---\n", t.total, len(t.buf))
	_, _ = w.Write(t.buf)
}

var reattachLine = regexp.MustCompile(`TF_REATTACH_PROVIDERS='(.*)'`)

// startProvider runs bin -debug and waits for the reattach configuration it
// prints. Its stdout (after the reattach line) and the last 64 KiB of its
// stderr go to logPath.
func startProvider(ctx context.Context, bin, logPath string, env []string) (*providerProc, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	// Not CommandContext: the process is stopped with SIGINT by stop, so it
	// can exit cleanly (and write its profiles); an interrupted bench still
	// reaches stop through the deferred calls of its caller.
	cmd := exec.Command(bin, "-debug") //nolint:noctx // stopped by SIGINT in stop(), see above
	cmd.Env = env
	tail := &tailWriter{max: 64 << 10}
	cmd.Stderr = tail
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logFile.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	p := &providerProc{cmd: cmd, done: make(chan struct{}), log: logFile, stderr: tail}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			if m := reattachLine.FindStringSubmatch(line); m != nil && !sent {
				found <- strings.ReplaceAll(m[1], `'"'"'`, `'`)
				sent = true
				continue
			}
			fmt.Fprintln(logFile, line)
		}
		_, _ = io.Copy(logFile, stdout)
		close(p.done)
	}()
	select {
	case p.reattach = <-found:
		return p, nil
	case <-p.done:
	case <-time.After(30 * time.Second):
	case <-ctx.Done():
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	tail.flush(logFile)
	logFile.Close()
	return nil, fmt.Errorf("%s -debug printed no TF_REATTACH_PROVIDERS line (log: %s)", bin, logPath)
}

// stop interrupts the provider, waits for it to exit and returns its usage.
func (p *providerProc) stop() (usage, error) {
	defer p.log.Close()
	_ = p.cmd.Process.Signal(os.Interrupt)
	waited := make(chan error, 1)
	go func() {
		<-p.done // stdout drained before Wait closes the pipe
		waited <- p.cmd.Wait()
	}()
	var err error
	select {
	case err = <-waited:
	case <-time.After(60 * time.Second):
		_ = p.cmd.Process.Kill()
		err = <-waited
		if err == nil {
			err = errors.New("the provider did not stop within 60s of SIGINT")
		}
	}
	p.stderr.flush(p.log)
	if p.cmd.ProcessState == nil {
		return usage{}, err
	}
	if err != nil {
		err = fmt.Errorf("provider exit: %w (log: %s)", err, p.log.Name())
	}
	return rusageOf(p.cmd.ProcessState), err
}

// heapProfile asks the provider-pprof wrapper for a live-heap profile
// (SIGUSR1) and waits until it is written to path+".done".
func (p *providerProc) heapProfile(path string) error {
	if err := p.cmd.Process.Signal(syscall.SIGUSR1); err != nil {
		return err
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(path + ".done"); err == nil {
			return os.Rename(path+".done", path)
		}
	}
	return fmt.Errorf("no heap profile at %s.done after 30s", path)
}

type tfResult struct {
	wall      time.Duration
	cpu       time.Duration
	maxRSSKiB int64
	exitCode  int
}

// runTerraform runs one Terraform command in dir with its output in logPath.
// A non-zero exit is not an error here (plan -detailed-exitcode uses 2).
func runTerraform(ctx context.Context, tf, dir string, env []string, logPath string, args ...string) (tfResult, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return tfResult{}, err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, tf, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, logFile, logFile
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	err = cmd.Run()
	res := tfResult{wall: time.Since(start)}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return res, err
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	u := rusageOf(cmd.ProcessState)
	res.cpu, res.maxRSSKiB, res.exitCode = u.user+u.sys, u.maxRSSKiB, cmd.ProcessState.ExitCode()
	return res, nil
}

func goVersion(ctx context.Context, dir string) string {
	cmd := exec.CommandContext(ctx, "go", "env", "GOVERSION")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}

func numCPU() int { return runtime.NumCPU() }

// machine names the CPU model, when /proc/cpuinfo tells.
func machine() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				return strings.Join(strings.Fields(v), " ")
			}
		}
	}
	return runtime.GOOS + "/" + runtime.GOARCH
}

// load1 is the 1-minute load average (0 when unknown).
func load1() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _, _ := strings.Cut(string(b), " ")
	v, _ := strconv.ParseFloat(f, 64)
	return v
}
