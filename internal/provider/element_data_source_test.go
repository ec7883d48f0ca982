// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// definitionCheck finds the definition of key in an element data source's
// configuration list and checks its fields.
func definitionCheck(addr, key string, want map[string]knownvalue.Check) statecheck.StateCheck {
	return stateFunc(func(s *resourceState) error {
		defs, _ := s.values["configuration"].([]any)
		for i, d := range defs {
			m, _ := d.(map[string]any)
			if m["key"] != key {
				continue
			}
			for attr, check := range want {
				if err := check.CheckValue(m[attr]); err != nil {
					return fmt.Errorf("configuration[%d] (%s).%s: %w", i, key, attr, err)
				}
			}
			return nil
		}
		return fmt.Errorf("no definition of %q among %d", key, len(defs))
	}, addr)
}

func TestAccElementDataSource(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	const sfdc, wufoo = "data.cloudelements_element.sfdc", "data.cloudelements_element.wufoo"
	config := mock.ProviderConfig() + fmt.Sprintf(`
data "cloudelements_element" "sfdc" { key = "sfdc" }
data "cloudelements_element" "wufoo" { id = "%d" }
`, elementID(t, "wufoo"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					// An OAuth element: its consent flow needs provider_data.
					statecheck.ExpectKnownValue(sfdc, tfjsonpath.New("id"), knownvalue.StringExact(fmt.Sprint(elementID(t, "sfdc")))),
					statecheck.ExpectKnownValue(sfdc, tfjsonpath.New("oauth"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(sfdc, tfjsonpath.New("name"), knownvalue.NotNull()),
					definitionCheck(sfdc, "oauth.api.secret", map[string]knownvalue.Check{
						"required": knownvalue.Bool(true), "secret": knownvalue.Bool(true), "type": knownvalue.StringExact("PASSWORD"),
						"internal": knownvalue.Bool(false),
					}),
					definitionCheck(sfdc, "oauth.api.key", map[string]knownvalue.Check{
						"required": knownvalue.Bool(true), "secret": knownvalue.Bool(false),
					}),
					definitionCheck(sfdc, "event.notification.enabled", map[string]knownvalue.Check{
						"type": knownvalue.StringExact("BOOLEAN"), "default_value": knownvalue.StringExact("false"),
					}),
					// A basic-auth element, looked up by id: its server keys are internal.
					statecheck.ExpectKnownValue(wufoo, tfjsonpath.New("key"), knownvalue.StringExact("wufoo")),
					statecheck.ExpectKnownValue(wufoo, tfjsonpath.New("oauth"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(wufoo, tfjsonpath.New("event_methods"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("webhook")})),
					definitionCheck(wufoo, "password", map[string]knownvalue.Check{
						"required": knownvalue.Bool(true), "secret": knownvalue.Bool(true),
					}),
					definitionCheck(wufoo, "base.url", map[string]knownvalue.Check{
						"internal": knownvalue.Bool(true), "default_value": knownvalue.StringExact("https://{site}.wufoo.com/api/v3"),
					}),
				},
			},
			{
				Config:      mock.ProviderConfig() + `data "cloudelements_element" "x" { key = "no-such-element" }`,
				ExpectError: regexp.MustCompile(`Cloud Elements Element Not Found`),
			},
			{
				Config:      mock.ProviderConfig() + `data "cloudelements_element" "x" {}`,
				ExpectError: regexp.MustCompile(`Exactly one of these attributes must be configured`),
			},
			{Config: config}, // last, so the post-test destroy runs on a valid configuration
		},
	})
}

func TestAccOAuthURLDataSource(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	url := func(element string) string {
		return mock.ProviderConfig() + fmt.Sprintf(`
variable "client_secret" {
  default = "very-secret-client-secret"
}
data "cloudelements_oauth_url" "consent" {
  element_key  = %q
  api_key      = "client-id"
  api_secret   = var.client_secret
  callback_url = "https://app.example.com/oauth/callback"
  state        = "crm-prod"
}
output "link" { value = data.cloudelements_oauth_url.consent.url }
`, element)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: url("sfdc"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("link", knownvalue.StringRegexp(regexp.MustCompile(
						`^https://[^?]+\?(.*&)?client_id=client-id(&|$)`))),
					statecheck.ExpectKnownOutputValue("link", knownvalue.StringRegexp(regexp.MustCompile(
						`redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback`))),
					statecheck.ExpectKnownOutputValue("link", knownvalue.StringRegexp(regexp.MustCompile(`state=crm-prod`))),
					stateFunc(func(s *resourceState) error {
						if u := fmt.Sprint(s.values["url"]); regexp.MustCompile(`very-secret`).MatchString(u) {
							return fmt.Errorf("the link holds the client secret: %s", u)
						}
						return nil
					}, "data.cloudelements_oauth_url.consent"),
				},
			},
			{ // Not an OAuth element.
				Config:      url("wufoo"),
				ExpectError: regexp.MustCompile(`Error Reading OAuth URL[\s\S]*wufoo`),
			},
			{Config: url("sfdc")},
		},
	})
}
