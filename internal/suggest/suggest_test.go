// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package suggest

import (
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

func TestLevenshtein(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"abc", "abc", 0},
		{"kitten", "sitting", 3}, {"usernmae", "username", 2}, {"flaw", "lawn", 2},
		{"héllo", "hello", 1}, // runes, not bytes
	} {
		if got := levenshtein(c.a, c.b); got != c.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := levenshtein(c.b, c.a); got != c.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d (symmetric)", c.b, c.a, got, c.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	for _, c := range []struct {
		got        string
		candidates []string
		want       string
	}{
		{"usernmae", []string{"username", "password", "site"}, ` Did you mean "username"?`},
		{"salesforce", []string{"sfdc", "hubspot"}, ""}, // a name, not a misspelt key: too far
		{"sfdcc", []string{"sfdc", "sfdcdocuments", "box"}, ` Did you mean "sfdc"?`},
		{"Password", []string{"password"}, ` Did you mean "password"?`},
		{"password", []string{"password"}, ""}, // the same key is not a suggestion
		{"x", []string{"username"}, ""},
		{"abcd", []string{"abce", "abcf", "abcg", "abch"}, ` Did you mean "abce" or "abcf" or "abcg"?`},
	} {
		if got := DidYouMean(c.got, c.candidates); got != c.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", c.got, got, c.want)
		}
	}
}

func TestDidYouMeanElement(t *testing.T) {
	elements := []cloudelements.ElementSummary{
		{Key: "sfdc", Name: "Salesforce.com"}, {Key: "sfdcservicecloud", Name: "Salesforce.com"},
		{Key: "hubspot", Name: "HubSpot Marketing"}, {Key: "hubspotcrm", Name: "HubSpot CRM"},
		{Key: "box", Name: "Box"}, {Key: "stripe", Name: "Stripe"},
	}
	for got, want := range map[string]string{
		"salesforce": ` Did you mean "sfdc" or "sfdcservicecloud"?`,
		"Salesforce": ` Did you mean "sfdc" or "sfdcservicecloud"?`,
		"hubspt":     ` Did you mean "hubspot"?`,
		"hubspotcmr": ` Did you mean "hubspotcrm" or "hubspot"?`,
		"marketing":  ` Did you mean "hubspot"?`,
		"stripes":    ` Did you mean "stripe"?`,
		"zzzzzzzz":   "",
		"bo":         ` Did you mean "box"?`,
	} {
		if s := Element(got, elements); s != want {
			t.Errorf("Element(%q) = %q, want %q", got, s, want)
		}
	}
}
