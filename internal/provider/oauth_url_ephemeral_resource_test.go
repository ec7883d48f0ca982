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
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// TestAccOAuthURLEphemeral_read opens the ephemeral consent link and hands
// it to the echo provider: the link is the element's, with the client id,
// redirect and state, and neither the link nor the state (all of it) holds
// the client secret. A non-OAuth element fails naming element_key.
func TestAccOAuthURLEphemeral_read(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	const secret = "very-secret-client-secret-7d1e"
	config := func(element string) string {
		return mock.ProviderConfig() + fmt.Sprintf(`
variable "client_secret" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = %q
}

ephemeral "cloudelements_oauth_url" "consent" {
  element_key  = %q
  api_key      = "client-id"
  api_secret   = var.client_secret
  callback_url = "https://app.example.com/oauth/callback"
  state        = "crm-prod"
}

provider "echo" {
  data = { url = ephemeral.cloudelements_oauth_url.consent.url }
}

resource "echo" "link" {}
`, secret, element)
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: testAccProviderFactoriesWithEcho,
		Steps: []resource.TestStep{
			{
				Config: config("sfdc"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.link", tfjsonpath.New("data").AtMapKey("url"), knownvalue.StringRegexp(regexp.MustCompile(
						`^https://[^?]+\?(.*&)?client_id=client-id(&.*)?redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback(&.*)?state=crm-prod`))),
					nowhereInState(map[string]string{"the client secret": secret}),
				},
			},
			{ // Not an OAuth element.
				Config:      config("wufoo"),
				ExpectError: regexp.MustCompile(`Error Reading OAuth URL[\s\S]*wufoo`),
			},
			{Config: config("sfdc")}, // the destroy opens it again
		},
	})
}
