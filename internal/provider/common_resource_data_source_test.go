// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

func TestAccCommonResourceDataSource(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	const addr = "data.cloudelements_common_resource.test"
	config := mock.ProviderConfig() +
		commonResourceHCL{Name: "myContact", Fields: contactFields}.String() +
		transformationHCL{Label: "sfdc", Element: "sfdc", Vendor: "Contact", Fields: map[string]string{"id": "Id"}}.String() +
		transformationHCL{Label: "hubspot", Element: "hubspotcrm", Vendor: "contacts", Fields: map[string]string{"id": "vid"}}.String() + `
data "cloudelements_common_resource" "test" {
  name       = cloudelements_common_resource.test.name
  depends_on = [cloudelements_transformation.sfdc, cloudelements_transformation.hubspot]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkVdrsEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config: mock.ProviderConfig() + `
data "cloudelements_common_resource" "missing" {
  name = "nope"
}
`,
				// The error points at the name argument, not the whole block.
				ExpectError: errorPattern(`Cloud Elements Common Resource Not Found[\s\S]*\d+:\s+name = "nope"[\s\S]*no common resource named "nope"`),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("fields"), fieldsValue(contactFields)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("element_keys"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("hubspotcrm"), knownvalue.StringExact("sfdc")})),
				},
			},
		},
	})
}
