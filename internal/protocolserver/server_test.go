// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package protocolserver

import (
	"context"
	"fmt"
	"iter"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// probeProvider is a framework provider with one function, "probe", whose
// Run calls run with the context the framework hands it: the context
// registered by the framework's registerContext, or a child of it.
type probeProvider struct {
	run func(ctx context.Context)
}

func (p *probeProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "probe"
}
func (p *probeProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (p *probeProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (p *probeProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (p *probeProvider) Resources(context.Context) []func() resource.Resource       { return nil }
func (p *probeProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{func() function.Function { return &probeFunction{run: p.run} }}
}

var _ provider.ProviderWithFunctions = (*probeProvider)(nil)

type probeFunction struct{ run func(ctx context.Context) }

func (f *probeFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "probe"
}

func (f *probeFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Parameters: []function.Parameter{function.StringParameter{Name: "x"}},
		Return:     function.StringReturn{},
	}
}

func (f *probeFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	if f.run != nil {
		f.run(ctx)
	}
	resp.Error = resp.Result.Set(ctx, "ok")
}

func callProbe(t testing.TB, ctx context.Context, srv tfprotov6.ProviderServer) {
	arg, err := tfprotov6.NewDynamicValue(tftypes.String, tftypes.NewValue(tftypes.String, "x"))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.CallFunction(ctx, &tfprotov6.CallFunctionRequest{Name: "probe", Arguments: []*tfprotov6.DynamicValue{&arg}})
	if err != nil || resp.Error != nil {
		t.Errorf("CallFunction: %v, %+v", err, resp)
	}
}

// TestFlushNeverCancelsARequestInFlight runs many concurrent requests
// through a wrapper that flushes as often as it can (FlushEvery 1), each
// checking its context while it runs; none may see it cancelled. Run it
// with -race (make unit-test does).
func TestFlushNeverCancelsARequestInFlight(t *testing.T) {
	var cancelled, runs, valueLost atomic.Int64
	p := &probeProvider{run: func(ctx context.Context) {
		runs.Add(1)
		for range 3 {
			if ctx.Err() != nil {
				cancelled.Add(1)
				return
			}
			if ctx.Value(ctxKey{}) == nil {
				valueLost.Add(1)
			}
			// Yield or sleep a little, so requests overlap and the
			// in-flight count often drops to zero and climbs again.
			if rand.IntN(2) == 0 {
				runtime.Gosched()
			} else {
				time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
			}
		}
		if ctx.Err() != nil {
			cancelled.Add(1)
		}
	}}
	srv := NewProtocol6(p)().(*Server)
	srv.FlushEvery = 1
	const workers, perWorker = 4, 500
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range perWorker {
				callProbe(t, context.WithValue(context.Background(), ctxKey{}, new(payload)), srv)
				// Pause now and then, as Terraform does between
				// requests, so the count reaches zero.
				if rand.IntN(2) == 0 {
					time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
				}
			}
		})
	}
	wg.Wait()
	if got := runs.Load(); got != workers*perWorker {
		t.Fatalf("%d function runs, want %d", got, workers*perWorker)
	}
	if n := cancelled.Load(); n != 0 {
		t.Errorf("%d requests saw their context cancelled while running", n)
	}
	if n := valueLost.Load(); n != 0 {
		t.Errorf("%d times a running request could not read its context's values", n)
	}
	if srv.Flushes() == 0 {
		t.Error("no flush happened: the test proves nothing")
	}
	if n := srv.InFlight(); n != 0 {
		t.Errorf("%d requests still counted in flight", n)
	}
	t.Logf("%d requests, %d flushes", workers*perWorker, srv.Flushes())
}

// TestUnguardedStopProviderIsDetected is the control for the test above:
// calling the framework's StopProvider while requests run, as a naive flush
// would, does cancel them, and the probe sees it.
func TestUnguardedStopProviderIsDetected(t *testing.T) {
	var cancelled atomic.Int64
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	p := &probeProvider{run: func(ctx context.Context) {
		started <- struct{}{}
		<-release
		if ctx.Err() != nil {
			cancelled.Add(1)
		}
	}}
	inner := providerserver.NewProtocol6(p)()
	done := make(chan struct{})
	go func() {
		defer close(done)
		callProbe(t, context.Background(), inner)
	}()
	<-started
	_, _ = inner.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{})
	close(release)
	<-done
	if cancelled.Load() != 1 {
		t.Fatal("the framework's StopProvider did not cancel a request in flight; the probe cannot detect a bad flush")
	}
}

// TestFlushWaitsForRequestsInFlight: with one request blocked in flight,
// others complete without flushing; the flush comes when the blocked one
// ends, and its context was live until then.
func TestFlushWaitsForRequestsInFlight(t *testing.T) {
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	var blockedSawCancel atomic.Bool
	var first atomic.Bool
	p := &probeProvider{run: func(ctx context.Context) {
		if first.CompareAndSwap(false, true) {
			started <- struct{}{}
			<-release
			blockedSawCancel.Store(ctx.Err() != nil)
		}
	}}
	srv := NewProtocol6(p)().(*Server)
	srv.FlushEvery = 1
	done := make(chan struct{})
	go func() {
		defer close(done)
		callProbe(t, context.Background(), srv)
	}()
	<-started
	for range 10 {
		callProbe(t, context.Background(), srv)
	}
	if n := srv.Flushes(); n != 0 {
		t.Errorf("%d flushes while a request was in flight", n)
	}
	close(release)
	<-done
	if blockedSawCancel.Load() {
		t.Error("the blocked request's context was cancelled")
	}
	if n := srv.Flushes(); n != 1 {
		t.Errorf("%d flushes after the last request ended, want 1", n)
	}
}

type ctxKey struct{}

// payload stands for what a request context carries (terraform-plugin-go's
// per-request loggers, about 20 KB under Terraform).
type payload struct{ _ [4096]byte }

// requestsRetained makes n requests whose contexts each carry a payload
// and reports how many payloads are still reachable after they all
// returned.
func requestsRetained(t *testing.T, srv tfprotov6.ProviderServer, n int) int {
	ptrs := make([]weak.Pointer[payload], n)
	for i := range n {
		pl := new(payload)
		ptrs[i] = weak.Make(pl)
		callProbe(t, context.WithValue(context.Background(), ctxKey{}, pl), srv)
	}
	runtime.GC()
	runtime.GC()
	live := 0
	for _, p := range ptrs {
		if p.Value() != nil {
			live++
		}
	}
	runtime.KeepAlive(srv) // the server holds what it retains
	return live
}

// TestRetainsLittleBetweenFlushes: the framework alone keeps every
// request's context reachable; through the wrapper none stays reachable
// once its request has ended, flush or not.
func TestRetainsLittleBetweenFlushes(t *testing.T) {
	const n = 200
	// The probe's function must not hold the context itself.
	p := &probeProvider{}
	if live := requestsRetained(t, providerserver.NewProtocol6(p)(), n); live < n {
		t.Fatalf("the framework alone retained %d of %d request contexts: its leak seems fixed "+
			"(terraform-plugin-framework internal/proto6server registerContext); the wrapper may no longer be needed", live, n)
	}
	srv := NewProtocol6(p)().(*Server)
	srv.FlushEvery = 1 << 30 // never
	if live := requestsRetained(t, srv, n); live != 0 {
		t.Errorf("through the wrapper %d of %d request contexts are still reachable", live, n)
	}
	if srv.Flushes() != 0 {
		t.Errorf("%d flushes, want none", srv.Flushes())
	}
}

// TestFlushReleasesRegisteredContexts: a flush reaches the framework's list
// of registered contexts (its StopProvider cancels each, then drops the
// list): the contexts finished requests ran with are cancelled by the
// flush that follows them, and not before they end.
func TestFlushReleasesRegisteredContexts(t *testing.T) {
	var seen []context.Context
	p := &probeProvider{run: func(ctx context.Context) { seen = append(seen, ctx) }}
	srv := NewProtocol6(p)().(*Server)
	srv.FlushEvery = 4
	for i := range 3 {
		callProbe(t, context.Background(), srv)
		if err := seen[i].Err(); err != nil {
			t.Fatalf("request %d: context cancelled before any flush: %v", i, err)
		}
	}
	callProbe(t, context.Background(), srv) // the fourth: a flush
	if srv.Flushes() != 1 {
		t.Fatalf("%d flushes after 4 requests with FlushEvery 4, want 1", srv.Flushes())
	}
	for i, ctx := range seen {
		if ctx.Err() == nil {
			t.Errorf("request %d: its registered context was not cancelled by the flush", i)
		}
	}
}

// TestRequestCancellationReachesTheProvider: while a request runs, its own
// context's cancellation (Terraform gave up) reaches the provider.
func TestRequestCancellationReachesTheProvider(t *testing.T) {
	started := make(chan struct{})
	var sawCancel atomic.Bool
	p := &probeProvider{run: func(ctx context.Context) {
		close(started)
		select {
		case <-ctx.Done():
			sawCancel.Store(true)
		case <-time.After(10 * time.Second):
		}
	}}
	srv := NewProtocol6(p)()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		callProbe(t, ctx, srv)
	}()
	<-started
	cancel()
	<-done
	if !sawCancel.Load() {
		t.Error("cancelling the request's context did not reach the provider")
	}
}

// TestStopProviderFromTerraformCancelsInFlight: a StopProvider sent by
// Terraform still reaches the framework and cancels what is running.
func TestStopProviderFromTerraformCancelsInFlight(t *testing.T) {
	started := make(chan struct{}, 1)
	var sawCancel atomic.Bool
	p := &probeProvider{run: func(ctx context.Context) {
		started <- struct{}{}
		select {
		case <-ctx.Done():
			sawCancel.Store(true)
		case <-time.After(10 * time.Second):
		}
	}}
	srv := NewProtocol6(p)()
	done := make(chan struct{})
	go func() {
		defer close(done)
		callProbe(t, context.Background(), srv)
	}()
	<-started
	if _, err := srv.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	<-done
	if !sawCancel.Load() {
		t.Error("StopProvider did not cancel the request in flight")
	}
}

// TestCoversTheFrameworkServer: every method of the framework's server is
// a method of the wrapper with the same signature, so an optional
// interface tf6server asserts for cannot go missing behind the wrapper.
func TestCoversTheFrameworkServer(t *testing.T) {
	fw := reflect.TypeOf(providerserver.NewProtocol6(&probeProvider{})())
	ours := reflect.TypeFor[*Server]()
	for i := range fw.NumMethod() {
		m := fw.Method(i)
		got, ok := ours.MethodByName(m.Name)
		if !ok {
			t.Errorf("the framework's server has %s; the wrapper does not", m.Name)
			continue
		}
		// Drop the receivers before comparing.
		if want, have := funcSig(m.Type), funcSig(got.Type); want != have {
			t.Errorf("%s: framework %s, wrapper %s", m.Name, want, have)
		}
	}
}

func funcSig(t reflect.Type) string {
	var in, out []string
	for i := 1; i < t.NumIn(); i++ {
		in = append(in, t.In(i).String())
	}
	for i := range t.NumOut() {
		out = append(out, t.Out(i).String())
	}
	return "(" + strings.Join(in, ", ") + ") (" + strings.Join(out, ", ") + ")"
}

// TestForwardsEveryMethod calls every method of the wrapper through
// reflection with a fake inner server: each reaches the inner method of the
// same name, counts as in flight while it runs (and, for streams, until the
// iterator is done), and nothing stays in flight afterwards.
func TestForwardsEveryMethod(t *testing.T) {
	inner := &fakeInner{}
	srv := New(inner)
	inner.srv = srv
	srv.FlushEvery = 1 << 30
	typ := reflect.TypeOf(srv)
	for i := range typ.NumMethod() {
		m := typ.Method(i)
		if m.Type.NumIn() != 3 || m.Type.In(1) != reflect.TypeFor[context.Context]() {
			continue // Flushes, InFlight
		}
		inner.calls = nil
		req := reflect.New(m.Type.In(2).Elem())
		out := reflect.ValueOf(srv).MethodByName(m.Name).Call([]reflect.Value{reflect.ValueOf(context.Background()), req})
		if err, _ := out[1].Interface().(error); err != nil {
			t.Errorf("%s: %v", m.Name, err)
			continue
		}
		// Run a stream's iterator, as tf6server does.
		resp := out[0]
		if resp.Kind() == reflect.Pointer && !resp.IsNil() {
			for j := range resp.Elem().NumField() {
				f := resp.Elem().Field(j)
				if f.Kind() == reflect.Func && f.Type().NumIn() == 1 && f.Type().In(0).Kind() == reflect.Func {
					if srv.InFlight() != 1 {
						t.Errorf("%s: the stream's request is not in flight before its iterator runs", m.Name)
					}
					yield := reflect.MakeFunc(f.Type().In(0), func([]reflect.Value) []reflect.Value {
						return []reflect.Value{reflect.ValueOf(true)}
					})
					f.Call([]reflect.Value{yield})
				}
			}
		}
		if fmt.Sprint(inner.calls) != "["+m.Name+"]" {
			t.Errorf("%s reached the inner server as %v", m.Name, inner.calls)
		}
		want := 1
		if m.Name == "StopProvider" {
			want = 0 // passed on, not counted
		}
		if len(inner.inFlight) != 1 || inner.inFlight[0] != want {
			t.Errorf("%s: in flight during the inner call %v, want %d", m.Name, inner.inFlight, want)
		}
		inner.inFlight = nil
		if n := srv.InFlight(); n != 0 {
			t.Errorf("%s: %d requests in flight afterwards", m.Name, n)
		}
	}
}

// fakeInner implements every protocol method by recording it; built with
// reflection-free boilerplate below.
type fakeInner struct {
	srv      *Server
	calls    []string
	inFlight []int
}

func (f *fakeInner) rec(name string) {
	f.calls = append(f.calls, name)
	f.inFlight = append(f.inFlight, f.srv.InFlight())
}

func oneItem[T any]() iter.Seq[T] {
	return func(yield func(T) bool) { var zero T; yield(zero) }
}

// streamOutcomes is a fakeInner whose ListResource ends in each way a
// stream can end without an iterator for the caller to run.
type streamOutcomes struct {
	fakeInner
	outcome string
}

func (f *streamOutcomes) ListResource(context.Context, *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	switch f.outcome {
	case "error":
		return nil, fmt.Errorf("list failed")
	case "nil response":
		return nil, nil
	case "nil iterator":
		return &tfprotov6.ListResourceServerStream{}, nil
	default:
		panic("list panicked")
	}
}

// TestStreamWithoutIteratorEnds: a stream whose call fails, answers
// nothing, has no iterator or panics counts out at once (the panic goes on).
func TestStreamWithoutIteratorEnds(t *testing.T) {
	for _, outcome := range []string{"error", "nil response", "nil iterator", "panic"} {
		inner := &streamOutcomes{outcome: outcome}
		srv := New(inner)
		func() {
			defer func() {
				if r := recover(); (r != nil) != (outcome == "panic") {
					t.Errorf("%s: recovered %v", outcome, r)
				}
			}()
			_, _ = srv.ListResource(context.Background(), &tfprotov6.ListResourceRequest{})
		}()
		if n := srv.InFlight(); n != 0 {
			t.Errorf("%s: %d requests still in flight", outcome, n)
		}
	}
}
