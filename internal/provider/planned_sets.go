// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"maps"
	"sync"
)

// plannedSets remembers, for one provider process (one Terraform plan or
// apply), a set of names each object is planned to have, each with a value:
// the fields of each cloudelements_common_resource (by name) with their
// types ("" while unknown), the variables of each cloudelements_formula (by
// id). A resource that refers to such an object is
// planned after it, so its plan check sees what the apply will give the
// object, not only what the API holds: adding a field or variable and using
// it in one change plans, and removing one still in use fails the plan. The
// zero value is ready to use.
type plannedSets struct {
	mu    sync.Mutex
	byKey map[string]map[string]string
}

// set records the names an object is planned to have, with their values;
// nil when the object is planned but its names are known only at apply.
func (p *plannedSets) set(key string, values map[string]string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byKey == nil {
		p.byKey = map[string]map[string]string{}
	}
	p.byKey[key] = maps.Clone(values)
}

// setNames records names without values.
func (p *plannedSets) setNames(key string, names []string) {
	values := make(map[string]string, len(names))
	for _, n := range names {
		values[n] = ""
	}
	p.set(key, values)
}

// forget drops what is known of an object (planned for removal, or with its
// names unknown until apply).
func (p *plannedSets) forget(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.byKey, key)
}

// get returns the planned names of an object with their values, if it was
// planned in this process.
func (p *plannedSets) get(key string) (map[string]string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	set, ok := p.byKey[key]
	return set, ok
}
