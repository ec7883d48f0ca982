// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// TestAccInstanceResource_importThenApply imports an instance made in the
// console with an import block, as a user adopting existing instances
// would, and applies: the secrets the API cannot return are sent once, the
// OAuth code (already used by the console) is recorded, not replayed, and
// the next plan is empty.
func TestAccInstanceResource_importThenApply(t *testing.T) {
	t.Parallel()
	cli := newCLIRunner(t)
	mock := newTestMock(t, mockapi.Options{})
	seeded := mock.Seed(mockapi.Instance{
		Name: "From the console", ElementKey: "campaignmonitor", Tags: []string{"team-crm"},
		ProviderData: map[string]string{"code": "used-grant-code"},
		Configuration: map[string]string{
			"oauth.api.key":                    "client-id",
			"oauth.api.secret":                 "client-secret",
			"oauth.callback.url":               "https://app.example.com/cb",
			"event.notification.enabled":       "true",
			"event.notification.callback.url":  "https://app.example.com/events",
			"event.notification.signature.key": "sig",
			"event.vendor.type":                "webhook",
		},
	})
	cli.write(`
terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}
` + mock.ProviderConfig() + fmt.Sprintf(`
import {
  to = cloudelements_instance.crm
  id = "%d"
}

resource "cloudelements_instance" "crm" {
  element_key             = "campaignmonitor"
  name                    = "From the console"
  provider_data           = { code = "used-grant-code" }
  configuration           = { "oauth.api.key" = "client-id", "oauth.callback.url" = "https://app.example.com/cb" }
  sensitive_configuration = { "oauth.api.secret" = "client-secret" }
  tags                    = ["team-crm"]

  event_notification {
    callback_url  = "https://app.example.com/events"
    signature_key = "sig"
  }
}
`, seeded.ID))
	cli.run("init", "-input=false")
	mock.ResetRequests()
	out := cli.run("apply", "-auto-approve", "-input=false")
	if !strings.Contains(out, "1 imported, 0 added, 1 changed, 0 destroyed") {
		t.Errorf("want the import and one in-place update of what could not be imported, got:\n%s", out)
	}
	for _, secret := range []string{"used-grant-code", "client-secret", `"sig"`} {
		if strings.Contains(out, secret) {
			t.Errorf("apply output shows %s", secret)
		}
	}
	if n := mock.RequestCount("PUT", "/instances/{id}"); n != 0 {
		t.Errorf("%d PUT requests: the used OAuth code was replayed to re-authenticate", n)
	}
	if n := mock.RequestCount("POST", "/instances"); n != 0 {
		t.Errorf("%d creates after an import", n)
	}
	if all := mock.Instances(); len(all) != 1 || all[0].ID != seeded.ID {
		t.Errorf("mock holds %v, want only instance %d", all, seeded.ID)
	}
	cli.run("plan", "-detailed-exitcode", "-input=false")
	cli.run("destroy", "-auto-approve", "-input=false")
	if left := mock.Instances(); len(left) != 0 {
		t.Errorf("%d instances left after destroy", len(left))
	}
}

// `terraform import ... name=<exact name>` finds the one instance with that
// name; an unknown or ambiguous name is an error listing the candidates.
func TestAccInstanceResource_importByName(t *testing.T) {
	t.Parallel()
	cli := newCLIRunner(t)
	mock := newTestMock(t, mockapi.Options{})
	solo := mock.Seed(mockapi.Instance{Name: "CRM (prod)", ElementKey: "fake"})
	twin1 := mock.Seed(mockapi.Instance{Name: "Twin", ElementKey: "fake"})
	twin2 := mock.Seed(mockapi.Instance{Name: "Twin", ElementKey: "fake"})
	cli.write(`
terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}
` + testAccInstanceConfig(mock,
		instanceHCL{Label: "solo", Element: "fake", Name: "CRM (prod)"},
		instanceHCL{Label: "twin", Element: "fake", Name: "Twin"}))
	cli.run("init", "-input=false")
	out := cli.run("import", "-input=false", "cloudelements_instance.solo", "name=CRM (prod)")
	if !strings.Contains(out, "Import successful") {
		t.Errorf("import by name:\n%s", out)
	}
	if state := cli.run("state", "show", "cloudelements_instance.solo"); !strings.Contains(state, fmt.Sprintf(`"%d"`, solo.ID)) {
		t.Errorf("imported the wrong instance, want %d:\n%s", solo.ID, state)
	}
	out, err := cli.try("import", "-input=false", "cloudelements_instance.twin", "name=Twin")
	if err == nil || !strings.Contains(out, "2 instances are named") ||
		!strings.Contains(out, fmt.Sprint(twin1.ID)) || !strings.Contains(out, fmt.Sprint(twin2.ID)) {
		t.Errorf("an ambiguous name must fail listing both ids (err %v):\n%s", err, out)
	}
	out, err = cli.try("import", "-input=false", "cloudelements_instance.twin", "name=Tw")
	if err == nil || !strings.Contains(out, `No instance is named exactly "Tw"`) || !strings.Contains(out, fmt.Sprint(twin1.ID)) {
		t.Errorf("an unknown name must fail listing the near matches (err %v):\n%s", err, out)
	}
}
