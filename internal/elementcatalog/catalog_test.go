// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package elementcatalog

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// The catalog keeps definitive answers (the element, or its 404) for the
// life of the process, and forgets a transient error so that the next plan
// step asks again.
func TestElementCatalogCachesOnlyDefinitiveAnswers(t *testing.T) {
	mock := mockapi.New(mockapi.Options{UserSecret: "u", OrganizationSecret: "o"})
	hs := httptest.NewServer(mock)
	t.Cleanup(hs.Close)
	client, err := cloudelements.NewClient(cloudelements.Config{
		BaseURL: hs.URL + mockapi.Prefix, UserSecret: "u", OrganizationSecret: "o", MaxRetries: 0,
	})
	if err != nil {
		t.Fatal(err)
	}
	catalog := New(client)
	ctx := context.Background()
	gets := func(key string) int {
		n := 0
		for _, r := range mock.Requests() {
			if r.Method == http.MethodGet && r.Route == "/elements/{keyOrId}" && r.Path == "/elements/api-v2/elements/"+key {
				n++
			}
		}
		return n
	}

	mock.InjectFault(mockapi.Fault{Method: http.MethodGet, Route: "/elements/{keyOrId}", Status: http.StatusInternalServerError})
	if _, err := catalog.Lookup(ctx, "sfdc"); err == nil {
		t.Fatal("the injected 500 was not reported")
	}
	e, err := catalog.Lookup(ctx, "sfdc")
	if err != nil || e.Element == nil {
		t.Fatalf("after a transient error: %v, want the element", err)
	}
	if _, err := catalog.Lookup(ctx, "sfdc"); err != nil {
		t.Fatal(err)
	}
	if n := gets("sfdc"); n != 2 {
		t.Errorf("GET /elements/sfdc sent %d times, want 2 (the failed one, then one cached answer)", n)
	}

	for range 2 {
		if _, err := catalog.Lookup(ctx, "nosuchelement"); !Unknown(err) {
			t.Fatalf("err = %v, want a 404", err)
		}
	}
	if n := gets("nosuchelement"); n != 1 {
		t.Errorf("GET /elements/nosuchelement sent %d times, want 1 (a 404 is definitive)", n)
	}
}

func TestCatalog_plannedFirst(t *testing.T) {
	c := New(nil) // no client: a read would panic
	el := &cloudelements.ElementDetails{Key: "mycrm", Configuration: []cloudelements.ConfigDefinition{{Key: "base.url"}}}
	c.SetPlanned("mycrm", NewEntry(el))
	e, err := c.Lookup(context.Background(), "mycrm")
	if err != nil || e.Element != el || e.Defs["base.url"] == nil {
		t.Fatalf("Lookup = %+v, %v; want the planned entry", e, err)
	}
	c.ForgetPlanned("mycrm")
	c.mu.Lock()
	_, still := c.planned["mycrm"]
	c.mu.Unlock()
	if still {
		t.Error("ForgetPlanned kept the entry")
	}
}
