package mockapi

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"sort"
	"strconv"
	"time"
)

// Instance is an element instance as the mock stores it. Accessors return
// deep copies; the store never hands out its own maps or slices.
// Configuration is stored unmasked, as strings. The JSON tags are the shape of
// the admin dump (GET /__admin/instances) and of the command's -seed-file.
type Instance struct {
	ID            int64             `json:"id"`
	Name          string            `json:"name"`
	ElementKey    string            `json:"elementKey"`
	ElementID     int64             `json:"elementId"`
	Token         string            `json:"token"`
	Tags          []string          `json:"tags"`
	Configuration map[string]string `json:"configuration"`
	ProviderData  map[string]string `json:"providerData,omitempty"`
	Disabled      bool              `json:"disabled"`
	Valid         bool              `json:"valid"`
	CreatedDate   time.Time         `json:"createdDate"`
}

func (in Instance) clone() Instance {
	out := in
	if in.Tags != nil {
		out.Tags = append([]string(nil), in.Tags...)
	}
	out.Configuration = cloneMap(in.Configuration)
	out.ProviderData = cloneMap(in.ProviderData)
	return out
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
	// configIDs gives every configuration key ever seen on the instance a
	// stable record id (GET /instances/{id}/configuration).
	configIDs map[string]int64
	// events is the instance's event log, oldest first (served newest
	// first by GET /instances/{id}/events). Delivery goroutines update
	// entries under Server.mu.
	events []*Event
}

// element is one entry of the mock's element catalog.
type element struct {
	ID    int64
	Key   string
	Name  string
	OAuth bool     // create requires providerData.code
	Mask  []string // configuration keys masked for this element beyond the general rule
}

var catalog = []element{
	{ID: 1, Key: "fake", Name: "Fake"},
	{ID: 2, Key: "sfdc", Name: "Salesforce", OAuth: true, Mask: []string{"oauth.api.key"}},
	{ID: 3, Key: "hubspot", Name: "HubSpot", OAuth: true},
	{ID: 5127, Key: "campaignmonitor", Name: "Campaign Monitor", OAuth: true},
}

func elementByKey(key string) (element, bool) {
	for _, e := range catalog {
		if e.Key == key {
			return e, true
		}
	}
	return element{}, false
}

func elementByID(id int64) (element, bool) {
	for _, e := range catalog {
		if e.ID == id {
			return e, true
		}
	}
	return element{}, false
}

// elementOf returns the catalog entry of a stored instance; instances seeded
// with an element outside the catalog get a synthetic entry.
func elementOf(in Instance) element {
	if e, ok := elementByKey(in.ElementKey); ok {
		return e
	}
	if in.ElementKey == "" {
		if e, ok := elementByID(in.ElementID); ok {
			return e
		}
	}
	return element{ID: in.ElementID, Key: in.ElementKey, Name: in.ElementKey}
}

// Server-side configuration defaults, added whenever a key is absent.
var configDefaults = map[string]string{
	"filter.response.nulls":      "true",
	"event.notification.enabled": "false",
}

func applyDefaults(cfg map[string]string) {
	for k, v := range configDefaults {
		if _, ok := cfg[k]; !ok {
			cfg[k] = v
		}
	}
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

func (s *Server) ensureConfigIDs(rec *record) {
	if rec.configIDs == nil {
		rec.configIDs = map[string]int64{}
	}
	keys := sortedKeys(rec.inst.Configuration)
	for _, k := range keys {
		if _, ok := rec.configIDs[k]; !ok {
			s.nextConfigID++
			rec.configIDs[k] = s.nextConfigID
		}
	}
}

func (s *Server) put(rec *record) {
	if rec.inst.ID >= s.nextID {
		s.nextID = rec.inst.ID + 1
	}
	s.ensureConfigIDs(rec)
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

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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

// Seed stores an instance directly, as if created earlier, without counting a
// request. Zero fields get defaults: ID (the next free id), Token (random),
// CreatedDate (now), element ("fake" when neither ElementKey nor ElementID is
// set; the other of the two is filled from the catalog), Configuration (the
// server-side defaults are added when absent). Valid is always stored as true
// (a bool has no "unset"; use Mutate to mark an instance invalid). Seeding an
// existing ID replaces that instance. Returns a copy of what was stored.
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
		in.ElementKey, in.ElementID = "fake", 1
	case in.ElementKey == "":
		if e, ok := elementByID(in.ElementID); ok {
			in.ElementKey = e.Key
		} else {
			in.ElementKey = strconv.FormatInt(in.ElementID, 10)
		}
	case in.ElementID == 0:
		if e, ok := elementByKey(in.ElementKey); ok {
			in.ElementID = e.ID
		}
	}
	if in.Configuration == nil {
		in.Configuration = map[string]string{}
	}
	applyDefaults(in.Configuration)
	in.Valid = true
	rec := &record{inst: in}
	if old, ok := s.instances[in.ID]; ok {
		rec.configIDs, rec.events = old.configIDs, old.events
	}
	s.put(rec)
	return in.clone()
}

// Mutate changes a stored instance behind the provider's back (drift). fn
// gets a copy; whatever it leaves is stored as is (no defaults, no
// validation), except that the ID cannot change. Reports whether the
// instance exists.
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
	rec.inst = in.clone()
	s.ensureConfigIDs(rec)
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
