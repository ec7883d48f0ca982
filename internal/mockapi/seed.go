// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Seed stores an instance directly, as if created earlier, without counting a
// request. Zero fields get defaults: ID (the next free id), Token (random),
// CreatedDate (now), element ("fake" when neither ElementKey nor ElementID is
// set; the other of the two is filled from the catalog), Configuration (the
// element's defaults are added when absent: its documented server keys, else
// the stated defaults; NullConfiguration is kept, minus keys that have a
// value). Valid is always stored as true (a bool has no "unset"; use Mutate
// to mark an instance invalid). Seeding an existing ID replaces that
// instance. Returns a copy of what was stored.
func (s *Server) Seed(in Instance) Instance {
	in = in.clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.ID <= 0 {
		in.ID = s.nextID
	}
	if in.Token == "" {
		in.Token = newToken()
	}
	if in.CreatedDate.IsZero() {
		in.CreatedDate = s.now().UTC().Truncate(time.Second)
	}
	switch {
	case in.ElementKey == "" && in.ElementID == 0:
		in.ElementKey, in.ElementID = fakeElement.Key, fakeElement.ID
	case in.ElementKey == "":
		if e, ok := s.elementForID(in.ElementID); ok {
			in.ElementKey = e.Key
		} else {
			in.ElementKey = strconv.FormatInt(in.ElementID, 10)
		}
	case in.ElementID == 0:
		if e, ok := s.elementForKey(in.ElementKey); ok {
			in.ElementID = e.ID
		}
	}
	in.normalizeNulls()
	cfg := in.config()
	s.elementOf(in).addDefaults(cfg)
	in.setConfig(cfg)
	in.Valid = true
	rec := &record{inst: in}
	if old, ok := s.instances[in.ID]; ok {
		rec.events = old.events
	}
	s.put(rec)
	return in.clone()
}

// SeedDocumented stores an instance of a catalog element exactly as a
// create of that element with that configuration would (POST /instances
// with providerData.code when oauth), without counting a request: the
// documented server keys, the credentials when oauth, the stated defaults,
// tags = [name]. It fails where that create would answer 400 (unknown
// element, empty name, a required input missing, an OAuth element without
// oauth, an invalid event setting).
func (s *Server) SeedDocumented(elementKey, name string, userConfig map[string]string, oauth bool) (Instance, error) {
	e, ok := elementByKey(elementKey)
	if !ok {
		return Instance{}, fmt.Errorf("no element found with key '%s'", elementKey)
	}
	name = stripHTML(name)
	if name == "" {
		return Instance{}, errors.New("'name' is required and must not be empty")
	}
	sent := make(map[string]*string, len(userConfig))
	for k, v := range userConfig {
		sent[k] = &v
	}
	var pd map[string]string
	if oauth {
		pd = map[string]string{"code": "seeded-oauth-code"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.provision(e, name, []string{name}, sent, pd)
	if err != nil {
		return Instance{}, err
	}
	return in.clone(), nil
}

// Mutate changes a stored instance behind the provider's back (drift). fn
// gets a copy; whatever it leaves is stored as is (no defaults, no
// validation), except that the ID cannot change and NullConfiguration is
// normalised (sorted; keys given a value in Configuration leave it).
// Reports whether the instance exists.
func (s *Server) Mutate(id int64, fn func(*Instance)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.instances[id]
	if !ok {
		return false
	}
	in := rec.inst.clone()
	fn(&in)
	in.ID = id
	in.normalizeNulls()
	rec.inst = in.clone()
	return true
}

// Remove deletes a stored instance behind the provider's back. Reports
// whether it existed.
func (s *Server) Remove(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.instances[id]; !ok {
		return false
	}
	delete(s.instances, id)
	return true
}
