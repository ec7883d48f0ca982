// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

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
