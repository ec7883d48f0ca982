// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package protocolserver serves a terraform-plugin-framework provider over
// plugin protocol 6 without the framework's per-request memory leak.
//
// The framework (v1.19.0, internal/proto6server/serve.go, registerContext)
// keeps the cancel function, and so the whole context, of every request
// until StopProvider, which does nothing but cancel those contexts and drop
// the list. Server wraps the framework's server and counts the requests in
// flight; when the count drops to zero after at least FlushEvery completed
// requests, it calls the inner StopProvider while holding the lock every
// request takes to start, so no request can register a context in between.
// A StopProvider sent by Terraform is passed on unchanged.
//
// Between flushes the inner server gets a context that passes everything
// through to the request's own until the request ends, then lets go of it:
// the list then keeps a small struct per request, which matters with a slow
// API, when the count may not reach zero for a long time.
//
// Streaming responses (ListResource, InvokeAction, ReadStateBytes) use the
// request's context while their iterator runs, after the method returns;
// such a request counts as in flight until its iterator has finished.
//
// DESIGN.md ("Workarounds") has the measurements and says when this can go.
package protocolserver

import (
	"context"
	"errors"
	"iter"
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

// unary serves one request-response call, counted in flight while it runs
// and given a context that lets go of the request's when it ends.
func unary[Req, Resp any](s *Server, ctx context.Context, req Req, call func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := s.begin(ctx)
	defer s.end(rc)
	return call(rc, req)
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
	return unary(s, ctx, req, s.inner.GetMetadata)
}

func (s *Server) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return unary(s, ctx, req, s.inner.GetProviderSchema)
}

func (s *Server) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return unary(s, ctx, req, s.inner.GetResourceIdentitySchemas)
}

func (s *Server) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return unary(s, ctx, req, s.inner.ValidateProviderConfig)
}

func (s *Server) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return unary(s, ctx, req, s.inner.ConfigureProvider)
}

// Resources.

func (s *Server) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return unary(s, ctx, req, s.inner.ValidateResourceConfig)
}

func (s *Server) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return unary(s, ctx, req, s.inner.UpgradeResourceState)
}

func (s *Server) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return unary(s, ctx, req, s.inner.ReadResource)
}

func (s *Server) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return unary(s, ctx, req, s.inner.PlanResourceChange)
}

func (s *Server) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return unary(s, ctx, req, s.inner.ApplyResourceChange)
}

func (s *Server) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return unary(s, ctx, req, s.inner.ImportResourceState)
}

func (s *Server) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return unary(s, ctx, req, s.inner.MoveResourceState)
}

func (s *Server) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return unary(s, ctx, req, s.inner.UpgradeResourceIdentity)
}

func (s *Server) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return unary(s, ctx, req, s.inner.GenerateResourceConfig)
}

// Data sources.

func (s *Server) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return unary(s, ctx, req, s.inner.ValidateDataResourceConfig)
}

func (s *Server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return unary(s, ctx, req, s.inner.ReadDataSource)
}

// Functions.

func (s *Server) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return unary(s, ctx, req, s.inner.CallFunction)
}

func (s *Server) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return unary(s, ctx, req, s.inner.GetFunctions)
}

// Ephemeral resources.

func (s *Server) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return unary(s, ctx, req, s.inner.ValidateEphemeralResourceConfig)
}

func (s *Server) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return unary(s, ctx, req, s.inner.OpenEphemeralResource)
}

func (s *Server) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return unary(s, ctx, req, s.inner.RenewEphemeralResource)
}

func (s *Server) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return unary(s, ctx, req, s.inner.CloseEphemeralResource)
}

// List resources (optional interface).

func (s *Server) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	if s.list == nil {
		return nil, ErrNotImplemented
	}
	return unary(s, ctx, req, s.list.ValidateListResourceConfig)
}

// ListResource counts the request in flight until its results have been
// iterated: the framework's iterator runs with the request's context.
func (s *Server) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	if s.list == nil {
		return nil, ErrNotImplemented
	}
	return stream(s, ctx, req, s.list.ListResource,
		func(r *tfprotov6.ListResourceServerStream) *iter.Seq[tfprotov6.ListResourceResult] { return &r.Results })
}

// Actions (optional interface).

func (s *Server) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	if s.act == nil {
		return nil, ErrNotImplemented
	}
	return unary(s, ctx, req, s.act.ValidateActionConfig)
}

func (s *Server) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	if s.act == nil {
		return nil, ErrNotImplemented
	}
	return unary(s, ctx, req, s.act.PlanAction)
}

// InvokeAction counts the request in flight until its events have been
// iterated.
func (s *Server) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	if s.act == nil {
		return nil, ErrNotImplemented
	}
	return stream(s, ctx, req, s.act.InvokeAction,
		func(r *tfprotov6.InvokeActionServerStream) *iter.Seq[tfprotov6.InvokeActionEvent] { return &r.Events })
}

// State stores (optional interface).

func (s *Server) ValidateStateStoreConfig(ctx context.Context, req *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	return unary(s, ctx, req, s.state.ValidateStateStoreConfig)
}

func (s *Server) ConfigureStateStore(ctx context.Context, req *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	return unary(s, ctx, req, s.state.ConfigureStateStore)
}

// ReadStateBytes counts the request in flight until its chunks have been
// iterated.
func (s *Server) ReadStateBytes(ctx context.Context, req *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	return stream(s, ctx, req, s.state.ReadStateBytes,
		func(r *tfprotov6.ReadStateBytesStream) *iter.Seq[tfprotov6.ReadStateByteChunk] { return &r.Chunks })
}

// WriteStateBytes reads its input stream within the call.
func (s *Server) WriteStateBytes(ctx context.Context, req *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	return unary(s, ctx, req, s.state.WriteStateBytes)
}

func (s *Server) GetStates(ctx context.Context, req *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	return unary(s, ctx, req, s.state.GetStates)
}

func (s *Server) DeleteState(ctx context.Context, req *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	return unary(s, ctx, req, s.state.DeleteState)
}

func (s *Server) LockState(ctx context.Context, req *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	return unary(s, ctx, req, s.state.LockState)
}

func (s *Server) UnlockState(ctx context.Context, req *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	if s.state == nil {
		return nil, ErrNotImplemented
	}
	return unary(s, ctx, req, s.state.UnlockState)
}

// stream serves a call whose response carries an iterator (seq gives the
// response's field) that the caller runs after the method has returned:
// the request counts as in flight until that iterator is done, or until
// the call fails or panics (the panic goes on).
func stream[Req, Resp, E any](s *Server, ctx context.Context, req Req, call func(context.Context, Req) (*Resp, error), seq func(*Resp) *iter.Seq[E]) (resp *Resp, err error) {
	rc := s.begin(ctx)
	end := s.endOnce(rc)
	ok := false
	defer func() {
		if !ok {
			end()
		}
	}()
	resp, err = call(rc, req)
	if err != nil || resp == nil || *seq(resp) == nil {
		return resp, err
	}
	inner := *seq(resp)
	*seq(resp) = func(yield func(E) bool) {
		defer end()
		inner(yield)
	}
	ok = true
	return resp, nil
}
