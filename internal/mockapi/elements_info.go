// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import "slices"

// ElementInput is a configuration key the documented create requests send.
// Type is the definition type the mock serves: PASSWORD when the key names
// a password, secret or token (and is no URL), else BOOLEAN, TEXTAREA or
// TEXTFIELD_128 as documented.
type ElementInput struct {
	Key      string `json:"key"`
	Type     string `json:"type"`
	Required bool   `json:"required"`
}

// ElementInfo is a read-only copy of one catalog element, for tests.
type ElementInfo struct {
	Key   string
	ID    int64 // the mock's id: the documented one when unique, else 100000 + index
	Name  string
	OAuth bool // create needs providerData.code
	// Documented: the docs show the server's configuration for the element;
	// ServerKeys and Credentials apply only then (nil values are JSON null).
	Documented  bool
	Inputs      []ElementInput
	ServerKeys  map[string]*string
	Credentials map[string]*string
	Masked      []string // documented masked keys (see Masks for the full rule)
	VendorType  string   // documented event.vendor.type; "" when unknown
	Methods     []string // event methods (webhook, polling); nil when unknown
	TagObjects  bool     // tags are answered as {"id", "name"} objects
}

// Masks reports whether responses show the key's value as "********".
func (ei ElementInfo) Masks(key string) bool {
	return (&element{documented: ei.Documented, masked: ei.Masked}).masks(key)
}

func (e *element) info() ElementInfo {
	copyMap := func(m map[string]*string) map[string]*string {
		out := make(map[string]*string, len(m))
		for k, v := range m {
			out[k] = clonePtr(v)
		}
		return out
	}
	return ElementInfo{Key: e.Key, ID: e.ID, Name: e.Name, OAuth: e.OAuth, Documented: e.documented,
		Inputs: slices.Clone(e.inputs), ServerKeys: copyMap(e.serverKeys), Credentials: copyMap(e.credentials),
		Masked: slices.Clone(e.masked), VendorType: e.vendorType, Methods: slices.Clone(e.methods),
		TagObjects: e.tagObjects}
}

// Elements returns every catalog element, the synthetic "fake" first, then
// the documented ones in catalog order.
func Elements() []ElementInfo {
	c := loadCatalog()
	out := make([]ElementInfo, len(c.list))
	for i, e := range c.list {
		out[i] = e.info()
	}
	return out
}

// LookupElement returns the catalog element with that key, or that id when
// keyOrID is a number.
func LookupElement(keyOrID string) (ElementInfo, bool) {
	e, ok := lookupElement(keyOrID)
	if !ok {
		return ElementInfo{}, false
	}
	return e.info(), true
}
