// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// twitter is the Element Builder guide's create request
// (devportal:docs/legacy/element-builder/create-via-api.md#L59-L119, shortened).
func twitter() map[string]any {
	return map[string]any{
		"name": "Twitter", "description": "Tweets", "hub": "Social", "authentication": map[string]any{"type": "oauth1"},
		"configuration": []any{
			map[string]any{"key": "base.url", "defaultValue": "https://api.twitter.com/1.1"},
			map[string]any{"key": "oauth.api.secret", "defaultValue": "s3cret"},
		},
		"resources": []any{map[string]any{"path": "/statuses", "method": "POST", "vendorPath": "/statuses/update.json",
			"vendorMethod": "POST", "parameters": []any{map[string]any{"name": "status", "type": "query"}}}},
	}
}

func TestCustomElement_createRewritesAsDocumented(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.do("POST", "/elements", twitter())
	wantStatus(t, r, http.StatusOK)
	got := r.obj(t)
	res := got["resources"].([]any)[0].(map[string]any)
	param := res["parameters"].([]any)[0].(map[string]any)
	cfg := map[string]map[string]any{}
	for _, e := range got["configuration"].([]any) {
		cfg[e.(map[string]any)["key"].(string)] = e.(map[string]any)
	}
	for what, ok := range map[string]bool{
		"key from the name":       got["key"] == "twitter",
		"hub lower-cased":         got["hub"] == "social",
		"an id":                   got["id"] != nil,
		"the /hubs prefix":        res["path"] == "/hubs/social/statuses",
		"type api":                res["type"] == "api",
		"resource owner":          res["ownerAccountId"] != nil && res["ownerAccountId"] != float64(1),
		"parameter source":        param["source"] == "request" && param["resourceId"] == res["id"],
		"expanded configuration":  cfg["base.url"]["name"] == "base.url" && cfg["base.url"]["type"] == "TEXTFIELD_128",
		"default entries added":   cfg["pagination.max"] != nil && cfg["event.notification.enabled"] != nil,
		"private":                 got["private"] == true,
		"secret shown (default)":  cfg["oauth.api.secret"]["defaultValue"] == "s3cret",
		"secret entry a PASSWORD": cfg["oauth.api.secret"]["type"] == "PASSWORD",
	} {
		if !ok {
			t.Errorf("%s: %s", what, r.body)
		}
	}
	wantStatus(t, h.do("POST", "/elements", twitter()), http.StatusConflict)
}

func TestCustomElement_privateElementWinsOnKeyURLs(t *testing.T) {
	h := newHarness(t, Options{})
	body := twitter()
	body["key"] = "sfdc"
	body["authentication"] = map[string]any{"type": "custom"}
	created := h.do("POST", "/elements", body).obj(t)
	if got := h.do("GET", "/elements/sfdc", nil).obj(t); got["id"] != created["id"] {
		t.Errorf("GET /elements/sfdc answered %v, want the private element %v", got["id"], created["id"])
	}
	if got := h.do("GET", "/elements/100096", nil).obj(t); got["private"] == true {
		t.Errorf("the catalog's id still reaches the catalog element: %v", got)
	}
	// An instance created by key is of the private element.
	in := h.create(map[string]any{"name": "i", "element": map[string]any{"key": "sfdc"}})
	if el := in["element"].(map[string]any); el["id"] != created["id"] {
		t.Errorf("instance element %v, want %v", el["id"], created["id"])
	}
	// Deleting the element while the instance exists is refused (the default reading).
	id := fmt.Sprint(idOf(t, created))
	r := h.do("DELETE", "/elements/"+id, nil)
	wantStatus(t, r, http.StatusConflict)
	if !strings.Contains(string(r.body), "instances") {
		t.Errorf("refusal names no instances: %s", r.body)
	}
}

func TestCustomElement_putReplacesOrMerges(t *testing.T) {
	for _, mode := range []ElementPutMode{ElementPutReplace, ElementPutMerge} {
		h := newHarness(t, Options{ElementPut: mode})
		created := h.do("POST", "/elements", twitter()).obj(t)
		id := fmt.Sprint(idOf(t, created))
		body := twitter()
		body["resources"] = []any{}
		wantStatus(t, h.do("PUT", "/elements/"+id, body), http.StatusOK)
		got := h.do("GET", "/elements/"+id, nil).obj(t)
		n := len(got["resources"].([]any))
		if want := map[ElementPutMode]int{ElementPutReplace: 0, ElementPutMerge: 1}[mode]; n != want {
			t.Errorf("%s: %d resources after a PUT without them, want %d", mode, n, want)
		}
	}
}

func TestCustomElement_secretsAndExport(t *testing.T) {
	for mode, want := range map[ElementSecretsMode]string{ElementSecretsClear: `"s3cret"`, ElementSecretsMasked: `"********"`, ElementSecretsOmitted: ""} {
		h := newHarness(t, Options{ElementSecrets: mode})
		created := h.do("POST", "/elements", twitter()).obj(t)
		id := fmt.Sprint(idOf(t, created))
		got := string(h.do("GET", "/elements/"+id, nil).body)
		if (want != "" && !strings.Contains(got, want)) || (want == "" && strings.Contains(got, "s3cret")) {
			t.Errorf("%s: %s", mode, got)
		}
		export := string(h.do("GET", "/elements/"+id+"/export", nil).body)
		if strings.Contains(export, "s3cret") || strings.Contains(export, `"resourceId":`) && strings.Contains(export, `"id":`+fmt.Sprint(created["resources"].([]any)[0].(map[string]any)["id"])) {
			t.Errorf("%s: export keeps a secret or a resource id: %s", mode, export)
		}
	}
}

func TestCustomElement_listPrivate(t *testing.T) {
	h := newHarness(t, Options{MaxPageSize: 1})
	wantStatus(t, h.do("GET", "/elements?where=private%3D%27true%27", nil), http.StatusNotFound)
	h.do("POST", "/elements", twitter())
	b := twitter()
	b["name"] = "Other"
	h.do("POST", "/elements", b)
	r := h.do("GET", "/elements?where=private%3D%27true%27+AND+abridged%3D%27true%27", nil)
	var page []map[string]any
	r.json(t, &page)
	if len(page) != 1 || r.header.Get("Elements-Next-Page-Token") == "" {
		t.Fatalf("first page %v, token %q", page, r.header.Get("Elements-Next-Page-Token"))
	}
	r = h.do("GET", "/elements?where=private%3D%27true%27&nextPage="+r.header.Get("Elements-Next-Page-Token"), nil)
	r.json(t, &page)
	if len(page) != 1 || page[0]["key"] != "other" {
		t.Errorf("second page %v", page)
	}
}

func TestExtension_overridesAndCatalogResources(t *testing.T) {
	h := newHarness(t, Options{})
	list := func() []map[string]any {
		var out []map[string]any
		h.do("GET", "/elements/sfdc/resources", nil).json(t, &out)
		return out
	}
	catalog := list()
	if len(catalog) == 0 || catalog[0]["ownerAccountId"] != float64(1) {
		t.Fatalf("catalog resources: %v", catalog)
	}
	// An account resource with a catalog resource's method and path overrides it.
	over := map[string]any{"method": "GET", "path": "/contacts", "vendorPath": "/mine", "vendorMethod": "GET"}
	created := h.do("POST", "/elements/sfdc/resources", over).obj(t)
	if created["path"] != catalog[1]["path"] {
		t.Errorf("path %v, want the hub prefix as the catalog's %v", created["path"], catalog[1]["path"])
	}
	got := list()
	if len(got) != len(catalog) || got[len(got)-1]["vendorPath"] != "/mine" {
		t.Errorf("after the override: %v", got)
	}
	// The catalog's own resources cannot be edited.
	wantStatus(t, h.do("PUT", fmt.Sprintf("/elements/sfdc/resources/%v", int64(catalog[0]["id"].(float64))), over), http.StatusNotFound)
	wantStatus(t, h.do("DELETE", fmt.Sprintf("/elements/sfdc/resources/%d", idOf(t, created)), nil), http.StatusOK)
	if got := list(); got[1]["vendorPath"] != "/contacts" {
		t.Errorf("the catalog's resource comes back: %v", got)
	}
}
