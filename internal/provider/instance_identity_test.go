// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// TestAccInstanceResource_importByIdentity imports with
// `import { to = ..., identity = { id = "..." } }`, the block that
// `terraform query -generate-config-out` writes. Resource identity needs
// Terraform 1.12; older CLIs skip the test.
func TestAccInstanceResource_importByIdentity(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	const addr = "cloudelements_instance.test"
	config := mock.ProviderConfig() + `
resource "cloudelements_instance" "test" {
  element_key   = "fake"
  name          = "Identity"
  tags          = ["team-crm"]
  configuration = { "region" = "eu" }
}
`
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(numericIDPattern)}),
					statecheck.ExpectIdentityValueMatchesState(addr, at("id")),
				},
			},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop)},
				},
			},
		},
	})
}
