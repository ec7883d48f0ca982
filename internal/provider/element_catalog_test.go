// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// The catalog keeps definitive answers (the element, or its 404) for the
// life of the process, and forgets a transient error so that the next plan
// step asks again.
func TestElementCatalogCachesOnlyDefinitiveAnswers(t *testing.T) {
	mock := mockapi.New(mockapi.Options{UserSecret: testUserSecret, OrganizationSecret: testOrgSecret})
	hs := httptest.NewServer(mock)
	t.Cleanup(hs.Close)
	client, err := cloudelements.NewClient(cloudelements.Config{
		BaseURL: hs.URL + apiPath, UserSecret: testUserSecret, OrganizationSecret: testOrgSecret, MaxRetries: 0,
	})
	if err != nil {
		t.Fatal(err)
	}
	catalog := newElementCatalog(client)
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
	if _, err := catalog.lookup(ctx, "sfdc"); err == nil {
		t.Fatal("the injected 500 was not reported")
	}
	e, err := catalog.lookup(ctx, "sfdc")
	if err != nil || e.element == nil {
		t.Fatalf("after a transient error: %v, want the element", err)
	}
	if _, err := catalog.lookup(ctx, "sfdc"); err != nil {
		t.Fatal(err)
	}
	if n := gets("sfdc"); n != 2 {
		t.Errorf("GET /elements/sfdc sent %d times, want 2 (the failed one, then one cached answer)", n)
	}

	for range 2 {
		if _, err := catalog.lookup(ctx, "nosuchelement"); !unknownElement(err) {
			t.Fatalf("err = %v, want a 404", err)
		}
	}
	if n := gets("nosuchelement"); n != 1 {
		t.Errorf("GET /elements/nosuchelement sent %d times, want 1 (a 404 is definitive)", n)
	}
}

// The OAuth configuration the onboarding guide writes plans without a
// warning on every OAuth element of the sandbox's catalog, hubspot among
// them (its documented create used an API key, so the catalog once lacked
// the oauth.* definitions and each key warned "not a configuration key").
func TestAccElementCatalog_oauthKeysKnown(t *testing.T) {
	cli := newCLIRunner(t)
	mock := newTestMock(t, mockapi.Options{})
	var instances string
	for _, key := range []string{"hubspot", "sfdc"} {
		instances += instanceHCL{Label: key, Element: key, Name: key, ProviderData: map[string]string{"code": "c"},
			Config: map[string]string{
				"oauth.api.key":      "client-id",
				"oauth.callback.url": "https://app.example.com/oauth/callback",
			},
			Sensitive: map[string]string{"oauth.api.secret": "client-secret"},
		}.String()
	}
	cli.write(cliProviderConfig(mock.BaseURL, "") + instances)
	cli.run("init", "-input=false")
	out := cli.run("plan", "-input=false")
	if strings.Contains(out, "Warning:") || !strings.Contains(out, "Plan: 2 to add") {
		t.Errorf("want a plan of two instances without warnings:\n%s", out)
	}
}
