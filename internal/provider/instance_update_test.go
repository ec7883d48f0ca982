// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// campaignMonitor is an OAuth instance whose required keys are all set.
func campaignMonitor(code string) instanceHCL {
	return instanceHCL{
		Element: "campaignmonitor", Name: "Updates",
		ProviderData: map[string]string{"code": code},
		Config:       map[string]string{"oauth.callback.url": "https://app.example.com/cb", "oauth.api.key": "client-id"},
		Sensitive:    map[string]string{"oauth.api.secret": "client-secret"},
	}
}

// A provider_data that is wholly unknown at plan (it comes from a resource
// created in the same apply) may re-authenticate: the plan leaves token and
// valid unknown, and the apply is consistent with it.
func TestAccInstanceResource_providerDataUnknownAtPlan(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	fromElsewhere := campaignMonitor("")
	fromElsewhere.ProviderData = nil
	fromElsewhere.Extra = "  provider_data = terraform_data.code.output"
	var token string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config:            testAccInstanceConfig(mock, campaignMonitor("grant-1")),
				ConfigStateChecks: []statecheck.StateCheck{captureAttr("token", &token)},
			},
			{
				Config: testAccInstanceConfig(mock, fromElsewhere) + `
resource "terraform_data" "code" {
  input = { code = "grant-2" }
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(testAddr, at("token")),
						plancheck.ExpectUnknownValue(testAddr, at("valid")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSameAttr("token", &token, false),
					statecheck.ExpectKnownValue(testAddr, at("valid"), knownvalue.Bool(true)),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.ProviderData["code"] != "grant-2" {
							return fmt.Errorf("providerData.code = %q, want the code known only at apply", in.ProviderData["code"])
						}
						return nil
					}),
				},
			},
		},
	})
}

// A provider_data_wo_version unknown at plan may re-authenticate too.
func TestAccInstanceResource_writeOnlyVersionUnknownAtPlan(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	config := func(code, version string) string {
		in := campaignMonitor("")
		in.ProviderData = nil
		in.Extra = fmt.Sprintf("  provider_data_wo = { code = %q }\n  provider_data_wo_version = %s", code, version)
		return testAccInstanceConfig(mock, in)
	}
	var token string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config:            config("wo-code-1", "1"),
				ConfigStateChecks: []statecheck.StateCheck{captureAttr("token", &token)},
			},
			{
				Config: config("wo-code-2", "terraform_data.version.output") + `
resource "terraform_data" "version" {
  input = 2
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(testAddr, at("provider_data_wo_version")),
						plancheck.ExpectUnknownValue(testAddr, at("token")),
						plancheck.ExpectUnknownValue(testAddr, at("valid")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSameAttr("token", &token, false),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.ProviderData["code"] != "wo-code-2" {
							return fmt.Errorf("providerData.code = %q, want the new write-only code", in.ProviderData["code"])
						}
						return nil
					}),
				},
			},
		},
	})
}

// An update answer that leaves out the fields a create fixed keeps their
// known values; a credentials change plans valid unknown, so an instance
// the vendor then finds invalid is what the apply records.
func TestAccInstanceResource_updateAnswers(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	base := campaignMonitor("grant-1")
	retagged := base
	retagged.Tags = []string{"team-crm"}
	rotated := retagged
	rotated.Sensitive = map[string]string{"oauth.api.secret": "client-secret-2"}
	var created string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config:            testAccInstanceConfig(mock, base),
				ConfigStateChecks: []statecheck.StateCheck{captureAttr("created_date", &created)},
			},
			{ // A tags-only PATCH answered without elementId, valid and createdDate.
				PreConfig: func() {
					mock.InjectFault(mockapi.Fault{Method: "PATCH", Route: "/instances/{id}", Mode: mockapi.FaultSparseInstance})
				},
				Config: testAccInstanceConfig(mock, retagged),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(testAddr, at("valid"), knownvalue.Bool(true)),
						plancheck.ExpectKnownValue(testAddr, at("element_id"), knownvalue.Int64Exact(elementID(t, "campaignmonitor"))),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("element_id"), knownvalue.Int64Exact(elementID(t, "campaignmonitor"))),
					statecheck.ExpectKnownValue(testAddr, at("valid"), knownvalue.Bool(true)),
					expectSameAttr("created_date", &created, true),
					expectRequestCount(mock, "PATCH", "/instances/{id}", 1),
				},
			},
			{ // A new secret the vendor refuses: valid was unknown in the plan.
				PreConfig: func() {
					mock.InjectFault(mockapi.Fault{Method: "PATCH", Route: "/instances/{id}", Mode: mockapi.FaultInvalidates})
				},
				Config: testAccInstanceConfig(mock, rotated),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(testAddr, at("valid")),
						plancheck.ExpectKnownValue(testAddr, at("element_id"), knownvalue.Int64Exact(elementID(t, "campaignmonitor"))),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("valid"), knownvalue.Bool(false)),
				},
			},
			{ // Nothing changes: valid stays known, the plan is empty.
				Config: testAccInstanceConfig(mock, rotated),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// An instance made in the console and adopted with only the key the user
// wants to manage can be edited: the required keys it already holds are
// satisfied, and its secrets stay on it, unmanaged. Removing a required key
// Terraform set is refused at plan.
func TestAccInstanceResource_adoptedInstanceEditable(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	seeded, err := mock.SeedDocumented("sfdc", "From the console", map[string]string{
		"oauth.api.key": "console-key", "oauth.api.secret": "console-secret", "oauth.callback.url": "https://old.example.com/cb",
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	adopted := func(cfg string) string {
		return mock.ProviderConfig() + fmt.Sprintf(`
import {
  to = cloudelements_instance.test
  id = "%d"
}

resource "cloudelements_instance" "test" {
  element_key   = "sfdc"
  name          = "From the console"
  configuration = %s
}
`, seeded.ID, cfg)
	}
	secretsStay := expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
		if in.Configuration["oauth.api.secret"] != "console-secret" {
			return fmt.Errorf("oauth.api.secret is %q on the instance, want the console's, unmanaged", in.Configuration["oauth.api.secret"])
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{ // Import and change the callback URL in one apply.
				Config: adopted(`{ "oauth.callback.url" = "https://new.example.com/cb" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					secretsStay,
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						return wantConfig(in.Configuration, map[string]string{
							"oauth.callback.url": "https://new.example.com/cb", "oauth.api.key": "console-key",
						})
					}),
				},
			},
			{ // Manage the client id too.
				Config:            adopted(`{ "oauth.callback.url" = "https://new.example.com/cb", "oauth.api.key" = "new-key" }`),
				ConfigStateChecks: []statecheck.StateCheck{secretsStay},
			},
			{ // Removing it now would remove a required key from the instance.
				Config:      adopted(`{ "oauth.callback.url" = "https://new.example.com/cb" }`),
				PlanOnly:    true,
				ExpectError: errorPattern(`Missing Required Configuration Key[\s\S]*"sfdc" requires "oauth.api.key"`),
			},
		},
	})
}

// A write-only argument without its version is refused at plan: without
// it, a changed value would silently never be sent.
func TestAccInstanceResource_writeOnlyNeedsVersion(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	in := func(extra, events string) string {
		return testAccInstanceConfig(mock, instanceHCL{Element: "fake", Name: "WO", Extra: extra, Events: events})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config:      in(`  provider_data_wo = { code = "c" }`, ""),
				PlanOnly:    true,
				ExpectError: errorPattern(`provider_data_wo_version[\s\S]*must be specified when[\s\S]*provider_data_wo`),
			},
			{
				Config:      in(`  sensitive_configuration_wo = { "password" = "p" }`, ""),
				PlanOnly:    true,
				ExpectError: errorPattern(`sensitive_configuration_wo_version[\s\S]*must be specified when[\s\S]*sensitive_configuration_wo`),
			},
			{
				Config:      in("", "    callback_url = \"https://app.example.com/events\"\n    signature_key_wo = \"s\""),
				PlanOnly:    true,
				ExpectError: errorPattern(`signature_key_wo_version[\s\S]*must be specified when[\s\S]*signature_key_wo`),
			},
		},
	})
}
