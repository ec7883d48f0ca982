// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

const extensionAddr = "cloudelements_element_extension.sfdc_extras"

// sfdcExtras adds a resource to sfdc and overrides the catalog's
// GET /contacts (the mock's catalog gives every element GET /ping and
// GET /contacts of its own).
const sfdcExtras = `[
  {"method": "GET", "path": "/contacts", "vendorMethod": "GET", "vendorPath": "/services/data/v52.0/query", "description": "Contacts by SOQL"},
  {"method": "POST", "path": "/leads-search", "vendorMethod": "POST", "vendorPath": "/services/data/v52.0/search",
   "parameters": [{"name": "q", "vendorName": "q", "type": "query", "vendorType": "query"}]}
]`

func extensionHCL(resources string) string {
	return fmt.Sprintf("resource \"cloudelements_element_extension\" \"sfdc_extras\" {\n  element_key = \"sfdc\"\n  resources   = %s\n}\n", hclQuote(resources))
}

// checkNoExtensions is a CheckDestroy asking the mock whether sfdc still
// has account resources, and whether its own are back as the catalog
// defines them.
func checkNoExtensions(mock *testMock) func(*terraform.State) error {
	return func(*terraform.State) error {
		if left := mock.AccountResources("sfdc"); len(left) > 0 {
			return fmt.Errorf("%d account resources left on sfdc after destroy", len(left))
		}
		for _, r := range mock.ElementResources("sfdc") {
			if r["path"] == "/hubs/sfdc/contacts" && r["vendorPath"] != "/contacts" {
				return fmt.Errorf("the catalog's GET /contacts is not back: %v", r)
			}
		}
		return nil
	}
}

func accountResourceKeys(mock *testMock) string {
	var keys []string
	for _, r := range mock.AccountResources("sfdc") {
		keys = append(keys, fmt.Sprintf("%v %v %v", r["method"], r["path"], r["vendorPath"]))
	}
	return strings.Join(keys, "; ")
}

// The lifecycle: the listed resources are added (one overriding the
// catalog's), an empty plan, an import by element key, a change to one
// resource and the removal of another, destroy (the catalog's own comes
// back). A resource the account added elsewhere is left alone.
func TestAccElementExtension_lifecycle(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	changed := `[{"method": "GET", "path": "/hubs/sfdc/contacts", "vendorMethod": "GET", "vendorPath": "/services/data/v53.0/query", "description": "Contacts by SOQL"}]`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoExtensions(mock),
		Steps: []resource.TestStep{
			{
				Config: mock.ProviderConfig() + extensionHCL(sfdcExtras),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(extensionAddr, at("element_key"), knownvalue.StringExact("sfdc")),
					requestCheck(func() error {
						want := "GET /hubs/sfdc/contacts /services/data/v52.0/query; POST /hubs/sfdc/leads-search /services/data/v52.0/search"
						if got := accountResourceKeys(mock); got != want {
							return fmt.Errorf("account resources %q, want %q", got, want)
						}
						return nil
					}),
				},
			},
			{Config: mock.ProviderConfig() + extensionHCL(sfdcExtras), PlanOnly: true},
			{ResourceName: extensionAddr, ImportState: true, ImportStateId: "sfdc", ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"resources"}},
			{
				Config: mock.ProviderConfig() + extensionHCL(changed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					requestCheck(func() error {
						if got := accountResourceKeys(mock); got != "GET /hubs/sfdc/contacts /services/data/v53.0/query" {
							return fmt.Errorf("account resources %q after the update", got)
						}
						return nil
					}),
				},
			},
		},
	})
}

// A listed resource removed or changed in the console plans as a change
// and is restored; a resource added in the console is not managed.
func TestAccElementExtension_consoleRemovalRestored(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	cfg := mock.ProviderConfig() + extensionHCL(sfdcExtras)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoExtensions(mock),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					mock.MutateAccountResources("sfdc", func(rs []map[string]any) []map[string]any {
						var kept []map[string]any
						for _, r := range rs {
							if r["method"] != "POST" {
								kept = append(kept, r)
							}
						}
						return kept
					})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					requestCheck(func() error {
						if n := len(mock.AccountResources("sfdc")); n != 2 {
							return fmt.Errorf("%d account resources after the apply, want 2", n)
						}
						return nil
					}),
				},
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

// A resource create whose answer is lost is adopted by method and path.
func TestAccElementExtension_lostCreateAdopted(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	cfg := mock.ProviderConfig() + extensionHCL(sfdcExtras)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoExtensions(mock),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					mock.InjectFault(mockapi.Fault{Method: "POST", Route: "/elements/{keyOrId}/resources", Mode: mockapi.FaultCommitThenDrop})
				},
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					requestCheck(func() error {
						if n := len(mock.AccountResources("sfdc")); n != 2 {
							return fmt.Errorf("%d account resources, want 2 (none made twice)", n)
						}
						return nil
					}),
				},
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}
