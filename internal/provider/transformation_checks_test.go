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
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// An element key no element has fails the plan at element_key, with the
// keys it may have meant, before any request writes anything.
func TestAccTransformation_unknownElementKeyFailsPlan(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	cr := commonResourceHCL{Name: "myContact", Fields: contactFields}.String()
	tr := transformationHCL{Element: "sfdcc", Vendor: "Contact", Fields: map[string]string{"id": "Id"}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkVdrsEmpty(mock),
		Steps: []resource.TestStep{{
			Config:      mock.ProviderConfig() + cr + tr.String(),
			PlanOnly:    true,
			ExpectError: errorPattern(`Unknown Cloud Elements Element[\s\S]*element "sfdcc"[\s\S]*Did you mean "sfdc"`),
		}},
	})
}

// A literal object_name that names no common resource fails the plan; one
// that names a common resource planned in the same run (ordered by
// depends_on) plans and applies.
func TestAccTransformation_missingCommonResourceFailsPlan(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	cr := commonResourceHCL{Name: "myContact", Fields: contactFields}.String()
	literal := transformationHCL{Element: "sfdc", Vendor: "Contact", ObjectName: `"myContact"`, Fields: map[string]string{"id": "Id"}}
	ordered := literal.String()
	ordered = ordered[:len(ordered)-2] + "\n  depends_on = [cloudelements_common_resource.test]\n}\n"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkVdrsEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config:      mock.ProviderConfig() + literal.String(),
				PlanOnly:    true,
				ExpectError: errorPattern(`Common Resource Not Found[\s\S]*no common resource "myContact"`),
			},
			{
				Config: mock.ProviderConfig() + cr + ordered,
				ConfigStateChecks: []statecheck.StateCheck{
					expectMockTransformation(mock, "sfdc", "myContact", func(mockapi.Transformation) error { return nil }),
				},
			},
			{
				ResourceName:                         transformationAddr,
				ImportState:                          true,
				ImportStateId:                        "sfdc/myContact",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "element_key",
			},
		},
	})
}

// Changing the type of a mapped field plans the transformations that map it
// as changes (field_types), and the apply re-sends them, so the server's
// transformation carries the new type, whether or not the API itself
// carries a type change over to the transformations.
func TestAccTransformation_fieldTypeChangeResends(t *testing.T) {
	for _, reading := range []string{"keep", "propagate"} {
		t.Run(reading, func(t *testing.T) {
			mock := newTestMock(t, mockapi.Options{VDRs: mockapi.VDROptions{TypeChange: reading}})
			tr := transformationHCL{Element: "sfdc", Vendor: "Opportunity", Fields: map[string]string{"id": "Id", "amount": "Amount"}}.String()
			config := func(amount string) string {
				return mock.ProviderConfig() + commonResourceHCL{Name: "myDeal", Fields: map[string]string{"id": "string", "amount": amount}}.String() + tr
			}
			amountType := func(want string) statecheck.StateCheck {
				return expectMockTransformation(mock, "sfdc", "myDeal", func(tr mockapi.Transformation) error {
					for _, f := range tr.Fields {
						if f.Path == "amount" && f.Type != want {
							return fmt.Errorf("the server's transformation maps amount as %q, want %q", f.Type, want)
						}
					}
					return nil
				})
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   readingCLIs(reading == "keep"),
				CheckDestroy:             checkVdrsEmpty(mock),
				Steps: []resource.TestStep{
					{
						Config: config("number"),
						ConfigStateChecks: []statecheck.StateCheck{
							amountType("number"),
							statecheck.ExpectKnownValue(transformationAddr, tfjsonpath.New("field_types"), knownvalue.MapExact(map[string]knownvalue.Check{
								"id": knownvalue.StringExact("string"), "amount": knownvalue.StringExact("number"),
							})),
						},
					},
					{
						Config: config("string"),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(transformationAddr, plancheck.ResourceActionUpdate),
							plancheck.ExpectKnownValue(transformationAddr, tfjsonpath.New("field_types").AtMapKey("amount"), knownvalue.StringExact("string")),
						}},
						ConfigStateChecks: []statecheck.StateCheck{amountType("string")},
					},
					{
						ResourceName:                         transformationAddr,
						ImportState:                          true,
						ImportStateId:                        "sfdc/myDeal",
						ImportStateVerify:                    true,
						ImportStateVerifyIdentifierAttribute: "element_key",
					},
				},
			})
		})
	}
}
