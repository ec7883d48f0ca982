// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import "sync"

// plannedFields remembers, for one provider process (one Terraform plan or
// apply), the fields each cloudelements_common_resource is planned to have.
// A transformation that refers to its common resource's name is planned
// after it, so its plan check sees the fields the apply will give the
// definition, not only what the API holds: adding a field and mapping it in
// one change plans, and removing a field a transformation still maps fails
// the plan. The zero value is ready to use.
type plannedFields struct {
	mu     sync.Mutex
	byName map[string]map[string]bool
}

func (p *plannedFields) set(name string, paths []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byName == nil {
		p.byName = map[string]map[string]bool{}
	}
	set := make(map[string]bool, len(paths))
	for _, path := range paths {
		set[path] = true
	}
	p.byName[name] = set
}

// forget drops what is known of a common resource (planned for removal, or
// with fields unknown until apply).
func (p *plannedFields) forget(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.byName, name)
}

// get returns the planned paths of a common resource, if it was planned in
// this process.
func (p *plannedFields) get(name string) (map[string]bool, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	set, ok := p.byName[name]
	return set, ok
}
