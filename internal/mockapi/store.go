// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"sort"
	"time"
)

// Instance is an element instance as the mock stores it. Accessors return
// deep copies; the store never hands out its own maps or slices.
// Configuration holds the non-null values, unmasked, as strings;
// NullConfiguration the sorted keys whose value is JSON null (a key is never
// in both). The JSON tags are the shape of the admin dump
// (GET /__admin/instances) and of the command's -seed-file.
type Instance struct {
	ID                int64             `json:"id"`
	Name              string            `json:"name"`
	ElementKey        string            `json:"elementKey"`
	ElementID         int64             `json:"elementId"`
	Token             string            `json:"token"`
	Tags              []string          `json:"tags"`
	Configuration     map[string]string `json:"configuration"`
	NullConfiguration []string          `json:"nullConfiguration,omitempty"`
	ProviderData      map[string]string `json:"providerData,omitempty"`
	Disabled          bool              `json:"disabled"`
	Valid             bool              `json:"valid"`
	CreatedDate       time.Time         `json:"createdDate"`
}

func (in Instance) clone() Instance {
	out := in
	if in.Tags != nil {
		out.Tags = append([]string(nil), in.Tags...)
	}
	out.Configuration = cloneMap(in.Configuration)
	out.NullConfiguration = slices.Clone(in.NullConfiguration)
	out.ProviderData = cloneMap(in.ProviderData)
	return out
}

// config returns the configuration with nulls as nil values.
func (in Instance) config() map[string]*string {
	out := make(map[string]*string, len(in.Configuration)+len(in.NullConfiguration))
	for _, k := range in.NullConfiguration {
		out[k] = nil
	}
	for k, v := range in.Configuration {
		out[k] = &v
	}
	return out
}

// setConfig stores cfg, splitting values and nulls.
func (in *Instance) setConfig(cfg map[string]*string) {
	in.Configuration = make(map[string]string, len(cfg))
	in.NullConfiguration = nil
	for k, v := range cfg {
		if v == nil {
			in.NullConfiguration = append(in.NullConfiguration, k)
		} else {
			in.Configuration[k] = *v
		}
	}
	sort.Strings(in.NullConfiguration)
}

// normalizeNulls drops from NullConfiguration the keys that have a value,
// duplicates and empty keys, and sorts it.
func (in *Instance) normalizeNulls() {
	var nulls []string
	for _, k := range in.NullConfiguration {
		if _, has := in.Configuration[k]; !has && k != "" {
			nulls = append(nulls, k)
		}
	}
	sort.Strings(nulls)
	in.NullConfiguration = slices.Compact(nulls)
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// record is the store's entry for one instance.
type record struct {
	inst Instance
	// events is the instance's event log, oldest first. Delivery goroutines
	// update entries under Server.mu.
	events []*Event
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// The following helpers expect s.mu to be held.

func (s *Server) put(rec *record) {
	if rec.inst.ID >= s.nextID {
		s.nextID = rec.inst.ID + 1
	}
	s.instances[rec.inst.ID] = rec
}

func (s *Server) sortedRecords() []*record {
	out := make([]*record, 0, len(s.instances))
	for _, rec := range s.instances {
		out = append(out, rec)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].inst.ID < out[j].inst.ID })
	return out
}

func (s *Server) recordByToken(token string) *record {
	for _, rec := range s.instances {
		if rec.inst.Token == token {
			return rec
		}
	}
	return nil
}

// Instance returns a copy of the stored instance.
func (s *Server) Instance(id int64) (Instance, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.instances[id]
	if !ok {
		return Instance{}, false
	}
	return rec.inst.clone(), true
}

// Instances returns copies of all stored instances, sorted by id.
func (s *Server) Instances() []Instance {
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := s.sortedRecords()
	out := make([]Instance, len(recs))
	for i, rec := range recs {
		out[i] = rec.inst.clone()
	}
	return out
}
