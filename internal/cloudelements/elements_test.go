// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"context"
	"net/http"
	"testing"
)

// ListElements follows the page token, and stops on one it saw before.
func TestListElements(t *testing.T) {
	var queries []string
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != testBasePath+"/elements" {
			t.Errorf("%s %s", r.Method, r.URL.Path)
		}
		queries = append(queries, r.URL.RawQuery)
		switch r.URL.Query().Get("nextPage") {
		case "":
			w.Header().Set(headerNextPageToken, "p2")
			writeJSON(w, 200, `[{"id": 23, "key": "sfdc", "name": "Salesforce.com", "configuration": []}]`)
		default:
			writeJSON(w, 200, `[{"id": "41", "key": "hubspot", "name": "HubSpot"}]`)
		}
	})
	got, err := c.ListElements(context.Background())
	if err != nil || len(got) != 2 || got[0].Key != "sfdc" || got[0].Name != "Salesforce.com" || got[1].ID != 41 {
		t.Fatalf("got %+v, %v", got, err)
	}
	if len(queries) != 2 || queries[0] != "pageSize=200" || queries[1] != "nextPage=p2&pageSize=200" {
		t.Errorf("queries %q", queries)
	}

	loop := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set(headerNextPageToken, "same")
		writeJSON(w, 200, `[{"key": "a"}]`)
	})
	if _, err := loop.ListElements(context.Background()); err == nil {
		t.Error("a repeated page token did not stop the listing")
	}
}
