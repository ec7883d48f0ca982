// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"slices"
	"sort"
)

// definitionJSON is one configuration definition of an element
// (GET /elements/{keyOrId}/configuration).
type definitionJSON struct {
	Key             string  `json:"key"`
	Name            string  `json:"name"`
	Description     string  `json:"description"`
	DefaultValue    *string `json:"defaultValue,omitempty"`
	Required        bool    `json:"required"`
	Type            string  `json:"type"`
	Internal        bool    `json:"internal"`
	HideFromConsole bool    `json:"hideFromConsole"`
	Active          bool    `json:"active"`
	CompanyConfig   bool    `json:"companyConfig"`
	ResellerConfig  bool    `json:"resellerConfig"`
	DisplayOrder    int     `json:"displayOrder"`
}

// standardDefinition is a key every element has (or every polling one),
// with its UI label where the docs give one.
type standardDefinition struct {
	key, name, typ string
	def            *string
	pollingOnly    bool
}

func strPtr(s string) *string { return &s }

func standardDefinitions(e *element) []standardDefinition {
	var vendorType *string
	if e.vendorType != "" {
		vendorType = strPtr(e.vendorType)
	}
	return []standardDefinition{
		{key: "filter.response.nulls", name: "Filter null values from the response", typ: "BOOLEAN", def: strPtr("true")},
		{key: "event.notification.enabled", name: "Events Enabled", typ: "BOOLEAN", def: strPtr("false")},
		{key: "event.notification.callback.url", name: "Event Notification Callback URL", typ: "TEXTFIELD_1000"},
		{key: signatureKey, name: "Callback Notification Signature Key", typ: "PASSWORD"},
		{key: "event.vendor.type", name: "Event Type", typ: "TEXTFIELD_32", def: vendorType},
		{key: "event.poller.refresh_interval", name: "Event poller refresh interval (mins)", typ: "TEXTFIELD_32", pollingOnly: true},
		{key: "event.poller.configuration", name: "Configure Polling", typ: "TEXTAREA", pollingOnly: true},
	}
}

// definitions lists the element's configuration definitions: its inputs
// (in catalog order), then its server keys and credentials (sorted, internal
// and hidden), then the standard keys not listed yet. A standard key keeps
// its standard type and stays visible wherever it appears; a documented
// server-key value is the default of any key.
func (e *element) definitions() []definitionJSON {
	std := map[string]standardDefinition{}
	for _, d := range standardDefinitions(e) {
		if !d.pollingOnly || slices.Contains(e.methods, "polling") {
			std[d.key] = d
		}
	}
	out := []definitionJSON{}
	seen := map[string]bool{}
	add := func(key, name, typ string, required, internal bool, def *string) {
		if seen[key] {
			return
		}
		seen[key] = true
		if sd, isStd := std[key]; isStd {
			name, typ, internal = sd.name, sd.typ, false
			if def == nil {
				def = sd.def
			}
		}
		if v, has := e.serverKeys[key]; has && v != nil {
			def = clonePtr(v)
		}
		out = append(out, definitionJSON{Key: key, Name: name, Description: e.Name + " " + name,
			DefaultValue: def, Required: required, Type: typ, Internal: internal, HideFromConsole: internal,
			Active: true, DisplayOrder: len(out) + 1})
	}
	for _, in := range e.inputs {
		add(in.Key, in.Key, in.Type, in.Required, false, nil)
	}
	for _, m := range []map[string]*string{e.serverKeys, e.credentials} {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			add(k, k, definitionType(k, ""), false, true, nil)
		}
	}
	for _, d := range standardDefinitions(e) {
		if _, kept := std[d.key]; kept {
			add(d.key, d.name, d.typ, false, false, nil)
		}
	}
	return out
}
