// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateManagedKey is the private-state key holding what Terraform has
// written to an instance.
const privateManagedKey = "managed"

// managedKeys records which configuration keys (event.* included) and
// whether the tags Terraform itself has set on the instance. Removing a key
// from the configuration sends null for it only when Terraform set it; keys
// the API added or someone set in the console, and everything an import
// brought in, are left alone. Kept in private state, out of plans.
type managedKeys struct {
	Config []string `json:"config"`
	Tags   bool     `json:"tags"`
	// ProviderDataKnown: Terraform knows the provider_data the instance
	// was authenticated with (it created the instance, or has recorded or
	// sent provider_data since). False after an import, and for a record
	// that is missing: a new provider_data is then only recorded.
	ProviderDataKnown bool `json:"provider_data_known,omitempty"`
}

func (m *managedKeys) has(key string) bool {
	for _, k := range m.Config {
		if k == key {
			return true
		}
	}
	return false
}

func (m *managedKeys) add(keys ...string) {
	for _, k := range keys {
		if !m.has(k) {
			m.Config = append(m.Config, k)
		}
	}
	sort.Strings(m.Config)
}

func (m *managedKeys) remove(key string) {
	out := m.Config[:0]
	for _, k := range m.Config {
		if k != key {
			out = append(out, k)
		}
	}
	m.Config = out
}

// privateGetter and privateSetter are the parts of the framework's private
// state that this file uses (req.Private and resp.Private).
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// loadManaged reads the record; without one (or an unreadable one),
// Terraform has written nothing it knows of: the zero record.
func loadManaged(ctx context.Context, p privateGetter) (managedKeys, diag.Diagnostics) {
	var m managedKeys
	if p == nil {
		return m, nil
	}
	raw, diags := p.GetKey(ctx, privateManagedKey)
	if diags.HasError() || len(raw) == 0 {
		return m, diags
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return managedKeys{}, diags
	}
	return m, diags
}

func saveManaged(ctx context.Context, p privateSetter, m managedKeys) diag.Diagnostics {
	if m.Config == nil {
		m.Config = []string{}
	}
	raw, err := json.Marshal(m)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Internal Error Saving Private State", err.Error())
		return diags
	}
	return p.SetKey(ctx, privateManagedKey, raw)
}
