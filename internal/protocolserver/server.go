// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package protocolserver serves a terraform-plugin-framework provider over
// plugin protocol 6 without the framework's per-request memory leak.
//
// terraform-plugin-framework v1.19.0 (internal/proto6server/serve.go,
// registerContext) wraps the context of every request in
// context.WithCancel and appends the cancel function to a slice that only
// StopProvider empties. Each cancel function keeps its request's context
// reachable, and with it everything the context carries (terraform-plugin-go
// attaches per-request loggers): about 20 KB per request under Terraform,
// for the life of the provider process. An apply of 1000 instances reached
// 145 to 219 MiB of RSS that way.
//
// The framework's StopProvider does nothing but cancel the registered
// contexts and drop the slice. Once every request that registered a context
// has returned, that cancels nothing still in use, so calling it is a way
// to release the slice. Server wraps the framework's server, counts the
// requests in flight, and when the count drops to zero after at least
// FlushEvery completed requests, calls the inner server's StopProvider while
// holding the lock every request takes to start: no request can begin, and
// so register a context, between the count reaching zero and the flush. A
// StopProvider sent by Terraform is passed on unchanged (it is meant to
// cancel the requests in flight).
//
// Between flushes, what the list keeps is small: the inner server gets a
// context that passes everything through to the request's own until the
// request ends, and then lets go of it (its values gone, itself done). A
// registered context then holds about 200 bytes instead of the request's
// whole context. That matters with a slow API: every request waits on it,
// Terraform keeps -parallelism requests in flight, and the count may not
// reach zero before the walk ends (at 100 ms per API request an N=1000 plan
// peaked at 123 MiB with flushes alone).
//
// Streaming responses (ListResource, InvokeAction, ReadStateBytes) keep
// using the request's context while their iterator runs, after the method
// has returned; such a request counts as in flight until its iterator has
// finished. A stream whose iterator is never run keeps its request in
// flight, which only postpones flushes: tf6server always runs it.
package protocolserver

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// DefaultFlushEvery is the number of completed requests after which the
// next moment with no request in flight releases the registered contexts.
// A flush costs one call per registered context (each already cancelled by
// its request's end), so it is cheap; between flushes the list grows by
// about 200 bytes per request.
const DefaultFlushEvery = 64

// Every protocol method, including the optional interfaces tf6server
// type-asserts for (list resources, actions, state stores): a method added
// to any of them is a build error here, not a request silently left out.
var (
	_ tfprotov6.ProviderServer     = (*Server)(nil)
	_ tfprotov6.ListResourceServer = (*Server)(nil)
	_ tfprotov6.ActionServer       = (*Server)(nil)
	_ tfprotov6.StateStoreServer   = (*Server)(nil)
)

// ErrNotImplemented is returned for an optional protocol method the inner
// server does not implement (the framework's implements them all).
var ErrNotImplemented = errors.New("protocolserver: the provider server does not implement this method")

// Server is a tfprotov6.ProviderServer that forwards every request to an
// inner (framework) server and periodically releases the contexts the
// framework keeps (see the package documentation).
type Server struct {
	inner tfprotov6.ProviderServer
	list  tfprotov6.ListResourceServer // nil when inner has no list resources
	act   tfprotov6.ActionServer       // nil when inner has no actions
	state tfprotov6.StateStoreServer   // nil when inner has no state stores

	// FlushEvery: see DefaultFlushEvery. Set it before the first request;
	// values below 1 mean 1.
	FlushEvery int

	mu        sync.Mutex // held to start a request, to end one, and for a flush
	inFlight  int
	completed int // requests ended since the last flush

	flushes atomic.Int64
}

// New wraps inner, normally the framework's server from
// providerserver.NewProtocol6.
func New(inner tfprotov6.ProviderServer) *Server {
	s := &Server{inner: inner, FlushEvery: DefaultFlushEvery}
	s.list, _ = inner.(tfprotov6.ListResourceServer)
	s.act, _ = inner.(tfprotov6.ActionServer)
	s.state, _ = inner.(tfprotov6.StateStoreServer)
	return s
}

// NewProtocol6 is providerserver.NewProtocol6 with the server wrapped: for
// tf6server.Serve.
func NewProtocol6(p provider.Provider) func() tfprotov6.ProviderServer {
	inner := providerserver.NewProtocol6(p)
	return func() tfprotov6.ProviderServer { return New(inner()) }
}

// NewProtocol6WithError is providerserver.NewProtocol6WithError with the
// server wrapped: for terraform-plugin-testing's ProtoV6ProviderFactories.
func NewProtocol6WithError(p provider.Provider) func() (tfprotov6.ProviderServer, error) {
	inner := providerserver.NewProtocol6WithError(p)
	return func() (tfprotov6.ProviderServer, error) {
		srv, err := inner()
		if err != nil {
			return nil, err
		}
		return New(srv), nil
	}
}

// Flushes is the number of times the registered contexts were released.
func (s *Server) Flushes() int64 { return s.flushes.Load() }

// InFlight is the number of requests in flight.
func (s *Server) InFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inFlight
}

// begin counts a request in and returns the context to hand to the inner
// server. It takes the lock a flush holds, so no request starts (and
// registers a context) while a flush runs.
func (s *Server) begin(ctx context.Context) *requestContext {
	s.mu.Lock()
	s.inFlight++
	s.mu.Unlock()
	return newRequestContext(ctx)
}

// end counts a request out and detaches its context; the last one out
// after FlushEvery completions flushes, still holding the lock.
func (s *Server) end(rc *requestContext) {
	rc.detach()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight--
	s.completed++
	if s.inFlight == 0 && s.completed >= max(s.FlushEvery, 1) {
		s.completed = 0
		// The framework's StopProvider only cancels the registered contexts
		// (all of finished requests here) and drops its list of them.
		_, _ = s.inner.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{})
		s.flushes.Add(1)
	}
}

// endOnce returns a function that calls end the first time it is called.
func (s *Server) endOnce(rc *requestContext) func() {
	var once sync.Once
	return func() { once.Do(func() { s.end(rc) }) }
}

// StopProvider is passed on: Terraform sends it to cancel what is in flight.
func (s *Server) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return s.inner.StopProvider(ctx, req)
}

func (s *Server) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.GetMetadata(rc, req)
}

func (s *Server) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.GetProviderSchema(rc, req)
}

func (s *Server) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.GetResourceIdentitySchemas(rc, req)
}

func (s *Server) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.ValidateProviderConfig(rc, req)
}

func (s *Server) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.ConfigureProvider(rc, req)
}

// Resources.

func (s *Server) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.ValidateResourceConfig(rc, req)
}

func (s *Server) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.UpgradeResourceState(rc, req)
}

func (s *Server) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.ReadResource(rc, req)
}

func (s *Server) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.PlanResourceChange(rc, req)
}

func (s *Server) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.ApplyResourceChange(rc, req)
}

func (s *Server) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.ImportResourceState(rc, req)
}

func (s *Server) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.MoveResourceState(rc, req)
}

func (s *Server) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.UpgradeResourceIdentity(rc, req)
}

func (s *Server) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.GenerateResourceConfig(rc, req)
}

// Data sources.

func (s *Server) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.ValidateDataResourceConfig(rc, req)
}

func (s *Server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.ReadDataSource(rc, req)
}

// Functions.

func (s *Server) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.CallFunction(rc, req)
}

func (s *Server) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.GetFunctions(rc, req)
}

// Ephemeral resources.

func (s *Server) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.ValidateEphemeralResourceConfig(rc, req)
}

func (s *Server) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.OpenEphemeralResource(rc, req)
}

func (s *Server) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.RenewEphemeralResource(rc, req)
}

func (s *Server) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.inner.CloseEphemeralResource(rc, req)
}

// List resources (optional interface).

func (s *Server) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	if s.list == nil {
		return nil, ErrNotImplemented
	}
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.list.ValidateListResourceConfig(rc, req)
}

// ListResource counts the request in flight until its results have been
// iterated: the framework's iterator runs with the request's context.
func (s *Server) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	if s.list == nil {
		return nil, ErrNotImplemented
	}
	rc := s.begin(ctx)
	end := s.endOnce(rc)
	resp, err := callStream(end, func() (*tfprotov6.ListResourceServerStream, error) { return s.list.ListResource(rc, req) })
	if err != nil || resp == nil || resp.Results == nil {
		end()
		return resp, err
	}
	results := resp.Results
	resp.Results = func(yield func(tfprotov6.ListResourceResult) bool) {
		defer end()
		results(yield)
	}
	return resp, nil
}

// Actions (optional interface).

func (s *Server) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	if s.act == nil {
		return nil, ErrNotImplemented
	}
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.act.ValidateActionConfig(rc, req)
}

func (s *Server) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	if s.act == nil {
		return nil, ErrNotImplemented
	}
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.act.PlanAction(rc, req)
}

// InvokeAction counts the request in flight until its events have been
// iterated.
func (s *Server) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	if s.act == nil {
		return nil, ErrNotImplemented
	}
	rc := s.begin(ctx)
	end := s.endOnce(rc)
	resp, err := callStream(end, func() (*tfprotov6.InvokeActionServerStream, error) { return s.act.InvokeAction(rc, req) })
	if err != nil || resp == nil || resp.Events == nil {
		end()
		return resp, err
	}
	events := resp.Events
	resp.Events = func(yield func(tfprotov6.InvokeActionEvent) bool) {
		defer end()
		events(yield)
	}
	return resp, nil
}

// State stores (optional interface).

func (s *Server) ValidateStateStoreConfig(ctx context.Context, req *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.state.ValidateStateStoreConfig(rc, req)
}

func (s *Server) ConfigureStateStore(ctx context.Context, req *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.state.ConfigureStateStore(rc, req)
}

// ReadStateBytes counts the request in flight until its chunks have been
// iterated.
func (s *Server) ReadStateBytes(ctx context.Context, req *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	rc := s.begin(ctx)
	end := s.endOnce(rc)
	resp, err := callStream(end, func() (*tfprotov6.ReadStateBytesStream, error) { return s.state.ReadStateBytes(rc, req) })
	if err != nil || resp == nil || resp.Chunks == nil {
		end()
		return resp, err
	}
	chunks := resp.Chunks
	resp.Chunks = func(yield func(tfprotov6.ReadStateByteChunk) bool) {
		defer end()
		chunks(yield)
	}
	return resp, nil
}

// WriteStateBytes reads its input stream within the call.
func (s *Server) WriteStateBytes(ctx context.Context, req *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.state.WriteStateBytes(rc, req)
}

func (s *Server) GetStates(ctx context.Context, req *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.state.GetStates(rc, req)
}

func (s *Server) DeleteState(ctx context.Context, req *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.state.DeleteState(rc, req)
}

func (s *Server) LockState(ctx context.Context, req *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.state.LockState(rc, req)
}

func (s *Server) UnlockState(ctx context.Context, req *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	rc := s.begin(ctx)
	defer s.end(rc)
	return s.state.UnlockState(rc, req)
}

// callStream runs a streaming method and ends the request if it panics
// (the panic goes on); otherwise ending is up to the caller.
func callStream[T any](end func(), call func() (T, error)) (resp T, err error) {
	ok := false
	defer func() {
		if !ok {
			end()
		}
	}()
	resp, err = call()
	ok = true
	return resp, err
}
