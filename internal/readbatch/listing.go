// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package readbatch

import (
	"maps"
	"slices"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// listedInstance is one entry of a held listing in compact form. A batched
// refresh holds the listing of M instances while it runs, and the garbage
// collector's target multiplies what the process holds, so an entry's size
// is the provider's memory per listed instance. Decoded, an instance of a
// documented element (sageone: 31 configuration keys) takes 1.8 KB, most of
// it the configuration map and a string header per value; compact it takes
// about a third of that (BenchmarkReadBatcherListing reports it): the keys
// are one sorted slice shared by every entry with the same key set, the
// values a slice in key order pointing at strings shared by every entry
// with the same value. expand gives back the decoded form, with a map and
// value pointers of its own, equal to what the listing answered.
type listedInstance struct {
	in   cloudelements.Instance // Configuration nil
	keys *[]string              // sorted configuration keys, shared
	vals []*string              // per key; nil for a JSON null; shared
}

// expand returns the entry as decoded, owning its configuration map and
// value pointers.
func (e *listedInstance) expand() *cloudelements.Instance {
	in := e.in
	in.Tags = slices.Clone(e.in.Tags)
	in.Configuration = make(map[string]*string, len(*e.keys))
	for i, k := range *e.keys {
		var v *string
		if p := e.vals[i]; p != nil {
			s := *p
			v = &s
		}
		in.Configuration[k] = v
	}
	return &in
}

// listingTable makes the entries of one listing compact, sharing what they
// have in common.
type listingTable struct {
	strs    map[string]string
	vals    map[string]*string
	keySets map[string]*[]string
}

func newListingTable() *listingTable {
	return &listingTable{strs: map[string]string{}, vals: map[string]*string{}, keySets: map[string]*[]string{}}
}

func (t *listingTable) str(s string) string {
	if v, ok := t.strs[s]; ok {
		return v
	}
	t.strs[s] = s
	return s
}

func (t *listingTable) val(s string) *string {
	if p, ok := t.vals[s]; ok {
		return p
	}
	p := &s
	t.vals[s] = p
	return p
}

// compact returns the compact form of in, which must have a configuration
// object (nil map: nil). in is left as it was.
func (t *listingTable) compact(in *cloudelements.Instance) *listedInstance {
	if in.Configuration == nil {
		return nil
	}
	keys := slices.Sorted(maps.Keys(in.Configuration))
	set := strings.Join(keys, "\x00")
	shared, ok := t.keySets[set]
	if !ok {
		for i, k := range keys {
			keys[i] = t.str(k)
		}
		shared = &keys
		t.keySets[set] = shared
	}
	e := &listedInstance{in: *in, keys: shared, vals: make([]*string, len(*shared))}
	e.in.Configuration = nil
	e.in.Element.Key, e.in.Element.Name = t.str(in.Element.Key), t.str(in.Element.Name)
	if in.Tags != nil {
		e.in.Tags = make(cloudelements.Tags, len(in.Tags))
		for i, tag := range in.Tags {
			e.in.Tags[i] = t.str(tag)
		}
	}
	for i, k := range *shared {
		if v := in.Configuration[k]; v != nil {
			e.vals[i] = t.val(*v)
		}
	}
	return e
}
