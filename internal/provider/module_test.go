// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// TestAccExampleModule exercises examples/modules/event-instance, the module
// of the "Using the resource in a module" guide, as a user calls it: by its
// registry address, through init, apply, plan and destroy.
func TestAccExampleModule(t *testing.T) {
	t.Parallel()
	cli := newCLIRunner(t)
	mock := newTestMock(t, mockapi.Options{})
	dir, err := filepath.Abs("../../examples/modules/event-instance")
	if err != nil {
		t.Fatal(err)
	}
	config := func(inputs string) string {
		return `
terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}
` + mock.ProviderConfig() + fmt.Sprintf(`
module "crm" {
  source      = %q
  element_key = "campaignmonitor"
  team        = "crm"
  oauth_code  = "grant-code"
  configuration = {
    "oauth.callback.url" = "https://app.example.com/oauth/callback"
    "oauth.api.key"      = "client-id"
  }
  sensitive_configuration = { "oauth.api.secret" = "client-secret" }
%s
}

output "id" { value = module.crm.id }
output "events_enabled" { value = module.crm.events_enabled }
`, dir, inputs)
	}
	instance := func() mockapi.Instance {
		t.Helper()
		all := mock.Instances()
		if len(all) != 1 {
			t.Fatalf("mock holds %d instances, want 1", len(all))
		}
		return all[0]
	}

	cli.write(config(`
  environment          = "prod"
  extra_tags           = ["billing"]
  events_callback_url  = "https://app.example.com/events"
  events_signature_key = "module-sig-key"
`))
	cli.run("init", "-input=false")
	cli.run("apply", "-auto-approve", "-input=false")
	in := instance()
	if in.Name != "crm campaignmonitor (prod)" || strings.Join(sortedCopy(in.Tags), ",") != "billing,prod,team-crm" {
		t.Errorf("name %q tags %v", in.Name, in.Tags)
	}
	if err := wantConfig(in.Configuration, map[string]string{
		"event.notification.enabled":       "true",
		"event.notification.callback.url":  "https://app.example.com/events",
		"event.notification.signature.key": "module-sig-key",
	}); err != nil {
		t.Error(err)
	}
	if out := cli.run("output", "-raw", "events_enabled"); out != "true" {
		t.Errorf("events_enabled = %q, want true", out)
	}
	// A plan right after apply is empty (exit code 0 with -detailed-exitcode).
	cli.run("plan", "-detailed-exitcode", "-input=false")

	// The module validates its inputs.
	cli.write(config(`environment = "qa"`))
	if out, err := cli.try("plan", "-input=false"); err == nil || !strings.Contains(out, "The environment must be prod, staging or dev") {
		t.Errorf("invalid environment: err %v, output:\n%s", err, out)
	}

	// Without a callback URL the dynamic block goes away and events go off, in place.
	cli.write(config("environment = \"prod\"\nextra_tags = [\"billing\"]"))
	out := cli.run("apply", "-auto-approve", "-input=false")
	if !strings.Contains(out, "0 added, 1 changed, 0 destroyed") {
		t.Errorf("want an in-place update, got:\n%s", out)
	}
	if err := wantConfig(instance().Configuration, map[string]string{
		"event.notification.enabled":      "false",
		"event.notification.callback.url": "<absent>",
	}); err != nil {
		t.Error(err)
	}

	cli.run("destroy", "-auto-approve", "-input=false")
	if left := mock.Instances(); len(left) != 0 {
		t.Errorf("%d instances left after destroy", len(left))
	}
}
