// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package elementcatalog reads the elements' definitions (their
// configuration keys, event methods) for the plan-time checks, once per
// provider process, and shares them with every resource and data source
// that asks.
package elementcatalog

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// catalogTimeout bounds one catalog request; it runs detached from the
// first caller's context because every later caller shares its answer.
const catalogTimeout = 2 * time.Minute

// Catalog reads each element's definitions (GET /elements/{key})
// once per provider process and shares the answer with every resource and
// data source that asks. Only definitive answers are kept: the element, or
// the 404 that says it does not exist. A transient error (429, 5xx, no
// connection) is shared with the callers already waiting for that request,
// then forgotten, so the next caller asks again. Nothing is read until a
// plan needs it.
type Catalog struct {
	client *cloudelements.Client
	mu     sync.Mutex
	byKey  map[string]*Entry
	// planned are the custom elements the plan creates or changes, by key
	// (SetPlanned): Lookup answers them before the API.
	planned map[string]*Entry
	// warned is set once the first "catalog unreadable" warning is out, so
	// a plan of many instances warns once.
	warned atomic.Bool
	// elements is GET /elements once read (under listMu): only an unknown
	// element key reads it, to suggest the key meant.
	listMu   sync.Mutex
	elements []cloudelements.ElementSummary
}

// Entry is an element as the catalog read it: its details and its
// configuration definitions.
type Entry struct {
	ready   chan struct{} // closed when the fields below are set
	Element *cloudelements.ElementDetails
	Defs    map[string]*cloudelements.ConfigDefinition // by key
	err     error
}

// New returns an empty catalog reading through c.
func New(c *cloudelements.Client) *Catalog {
	return &Catalog{client: c, byKey: map[string]*Entry{}}
}

// Lookup returns the element's entry: the planned custom element with that
// key when there is one (SetPlanned), else the element the API answers,
// read on first use. Callers waiting for another caller's request give up
// when their ctx ends.
func (c *Catalog) Lookup(ctx context.Context, key string) (*Entry, error) {
	c.mu.Lock()
	if p, ok := c.planned[key]; ok {
		c.mu.Unlock()
		return p, nil
	}
	e, found := c.byKey[key]
	if !found {
		e = &Entry{ready: make(chan struct{})}
		c.byKey[key] = e
	}
	c.mu.Unlock()
	if !found {
		fetchCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), catalogTimeout)
		el, err := c.client.GetElement(fetchCtx, key)
		cancel()
		e.Element, e.err = el, err
		if err == nil {
			e.Defs = make(map[string]*cloudelements.ConfigDefinition, len(el.Configuration))
			for i := range el.Configuration {
				d := &el.Configuration[i]
				if d.Key != "" {
					e.Defs[d.Key] = d
				}
			}
		}
		if err != nil && !Unknown(err) {
			c.mu.Lock()
			if c.byKey[key] == e {
				delete(c.byKey, key)
			}
			c.mu.Unlock()
		}
		close(e.ready)
	}
	select {
	case <-e.ready:
		return e, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// NewEntry is an entry for an element the catalog did not read: a custom
// element as it is planned to be.
func NewEntry(el *cloudelements.ElementDetails) *Entry {
	e := &Entry{ready: make(chan struct{}), Element: el, Defs: make(map[string]*cloudelements.ConfigDefinition, len(el.Configuration))}
	for i := range el.Configuration {
		if d := &el.Configuration[i]; d.Key != "" {
			e.Defs[d.Key] = d
		}
	}
	close(e.ready)
	return e
}

// SetPlanned records a custom element as the plan means it to be (its
// resource's ModifyPlan calls it): the plan-time checks of the instances
// planned after it (they refer to its key, so Terraform plans them later)
// read this entry instead of the API's, which does not know the element
// yet or knows its old configuration.
func (c *Catalog) SetPlanned(key string, e *Entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.planned == nil {
		c.planned = map[string]*Entry{}
	}
	c.planned[key] = e
}

// ForgetPlanned drops the planned entry of key (an element being
// destroyed, or whose definition is unknown until apply), and the API's
// answer kept for it, so the next Lookup asks again.
func (c *Catalog) ForgetPlanned(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.planned, key)
	if e, ok := c.byKey[key]; ok {
		select {
		case <-e.ready:
			delete(c.byKey, key)
		default:
		}
	}
}

// Unknown reports whether err says the element does not exist.
func Unknown(err error) bool {
	return errors.Is(err, cloudelements.ErrNotFound)
}

// FirstWarning reports true once per process: for "catalog unreadable".
func (c *Catalog) FirstWarning() bool {
	return c.warned.CompareAndSwap(false, true)
}

// Elements returns every element (GET /elements), read on first use and
// kept once read; an error is not kept, and means no suggestions.
func (c *Catalog) Elements(ctx context.Context) []cloudelements.ElementSummary {
	c.listMu.Lock()
	defer c.listMu.Unlock()
	if c.elements == nil {
		fetchCtx, cancel := context.WithTimeout(ctx, catalogTimeout)
		defer cancel()
		if list, err := c.client.ListElements(fetchCtx); err == nil {
			c.elements = list
		}
	}
	return c.elements
}
