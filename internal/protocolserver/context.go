// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package protocolserver

import (
	"context"
	"sync/atomic"
	"time"
)

// requestContext is the context the inner server gets for one request: the
// request's own context until detach, then an empty, cancelled context.
// The framework keeps the context it derives from it (registerContext)
// until a flush; after detach that keeps this small struct alive instead
// of the request's context and everything it carries.
//
// While attached, context.WithCancel on it joins the request context's
// cancellation directly (Value and Done pass through, so the standard
// library finds the parent's cancelCtx), like a child of the request
// context would.
type requestContext struct {
	ctx atomic.Pointer[contextBox]
}

type contextBox struct{ context.Context }

func newRequestContext(ctx context.Context) *requestContext {
	rc := &requestContext{}
	rc.ctx.Store(&contextBox{ctx})
	return rc
}

// detach lets go of the request's context. The request has ended: nothing
// may use its context any more.
func (c *requestContext) detach() { c.ctx.Store(nil) }

var closedDone = func() chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}()

func (c *requestContext) Deadline() (time.Time, bool) {
	if b := c.ctx.Load(); b != nil {
		return b.Deadline()
	}
	return time.Time{}, false
}

func (c *requestContext) Done() <-chan struct{} {
	if b := c.ctx.Load(); b != nil {
		return b.Done()
	}
	return closedDone
}

func (c *requestContext) Err() error {
	if b := c.ctx.Load(); b != nil {
		return b.Err()
	}
	return context.Canceled
}

func (c *requestContext) Value(key any) any {
	if b := c.ctx.Load(); b != nil {
		return b.Value(key)
	}
	return nil
}

func (c *requestContext) String() string { return "protocolserver.requestContext" }
