// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import "sync"

// plannedSets remembers, for one provider process (one Terraform plan or
// apply), a set of names each object is planned to have: the fields of each
// cloudelements_common_resource (by name), the variables of each
// cloudelements_formula (by id). A resource that refers to such an object is
// planned after it, so its plan check sees what the apply will give the
// object, not only what the API holds: adding a field or variable and using
// it in one change plans, and removing one still in use fails the plan. The
// zero value is ready to use.
type plannedSets struct {
	mu    sync.Mutex
	byKey map[string]map[string]bool
}

func (p *plannedSets) set(key string, names []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byKey == nil {
		p.byKey = map[string]map[string]bool{}
	}
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	p.byKey[key] = set
}

// forget drops what is known of an object (planned for removal, or with its
// names unknown until apply).
func (p *plannedSets) forget(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.byKey, key)
}

// get returns the planned names of an object, if it was planned in this
// process.
func (p *plannedSets) get(key string) (map[string]bool, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	set, ok := p.byKey[key]
	return set, ok
}
