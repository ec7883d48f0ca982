// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"net/http"
	"testing"
)

// GET /elements lists every element of the catalog with its id, key and
// name; a catalog the caller may not read answers the configured status.
func TestListElements(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.do("GET", "/elements", nil)
	wantStatus(t, r, 200)
	var list []struct {
		ID   int64  `json:"id"`
		Key  string `json:"key"`
		Name string `json:"name"`
	}
	r.json(t, &list)
	byKey := map[string]string{}
	for _, e := range list {
		byKey[e.Key] = e.Name
	}
	sfdc, _ := LookupElement("sfdc")
	if len(list) != len(loadCatalog().list) || byKey["sfdc"] != sfdc.Name || byKey["fake"] != "Fake" {
		t.Errorf("%d elements, sfdc named %q", len(list), byKey["sfdc"])
	}
	wantStatus(t, newHarness(t, Options{CatalogStatus: http.StatusForbidden}).do("GET", "/elements", nil), 403)
}

// TestKnownKeyElements: an element key the vendor's test suite maps common
// resources for is found by GET /elements/{key}, with only the definitions
// every element has; an
// unknown key is 404.
func TestKnownKeyElements(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.do("GET", "/elements/zohocrm", nil)
	wantStatus(t, r, 200)
	if got := r.obj(t); got["key"] != "zohocrm" || got["name"] != "zohocrm" {
		t.Errorf("zohocrm: %v", got)
	}
	wantStatus(t, h.do("GET", "/elements/nosuchelement", nil), 404)
}
