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
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

const transformationAddr = "cloudelements_transformation.test"

var contactFields = map[string]string{"id": "string", "email": "string", "birthdate": "date", "lastName": "string"}

// checkDeleteOrder is a CheckDestroy that also asks the mock whether every
// transformation was deleted before the definition it maps.
func checkDeleteOrder(mock *testMock) func(*terraform.State) error {
	return func(s *terraform.State) error {
		if err := checkVdrsEmpty(mock)(s); err != nil {
			return err
		}
		sawDefinitionDelete := false
		for _, r := range mock.Requests() {
			switch {
			case r.Method == "DELETE" && r.Route == definitionRoute && r.Status == 200:
				sawDefinitionDelete = true
			case r.Method == "DELETE" && r.Route == transformationRoute && sawDefinitionDelete:
				return fmt.Errorf("DELETE %s came after a definition was deleted", r.Path)
			}
		}
		return nil
	}
}

func TestAccTransformation_lifecycle(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	base := transformationHCL{
		Element: "sfdc", Vendor: "Contact",
		Fields:        map[string]string{"id": "Id", "email": "Email", "birthdate": "Birthdate"},
		Configuration: `jsonencode([{ type = "passThrough", properties = { fromVendor = false, toVendor = false } }])`,
		Script:        `"transformedObject.source = 'sfdc';\ndone(transformedObject);\n"`,
	}
	changed := base
	changed.Vendor = "Lead"
	changed.Fields = map[string]string{"id": "Id", "email": "Email", "lastName": "LastName"}
	changed.Configuration = `jsonencode([{ type = "passThrough", properties = { fromVendor = true, toVendor = false } }, { type = "inherit", level = "account" }, { type = "addToDocumentation" }])`
	changed.Script = ""
	moved := changed
	moved.Element = "hubspotcrm"
	config := func(tr transformationHCL) string {
		return mock.ProviderConfig() + commonResourceHCL{Name: "myContact", Fields: contactFields}.String() + tr.String()
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkDeleteOrder(mock),
		Steps: []resource.TestStep{
			{
				Config: config(base),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(transformationAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(transformationAddr, tfjsonpath.New("fields"), fieldsValue(base.Fields)),
					statecheck.ExpectKnownValue(transformationAddr, tfjsonpath.New("configuration"),
						knownvalue.StringExact(`[{"properties":{"fromVendor":false,"toVendor":false},"type":"passThrough"}]`)),
					statecheck.ExpectKnownValue(transformationAddr, tfjsonpath.New("script"),
						knownvalue.StringExact("transformedObject.source = 'sfdc';\ndone(transformedObject);\n")),
					expectMockTransformation(mock, "sfdc", "myContact", func(tr mockapi.Transformation) error {
						types := map[string]string{}
						for _, f := range tr.Fields {
							types[f.Path] = f.Type
						}
						if types["birthdate"] != "date" || types["id"] != "string" || tr.Configuration[0]["level"] != "organization" || tr.IsLegacy {
							return fmt.Errorf("stored %+v", tr)
						}
						return nil
					}),
				},
			},
			{
				Config: config(changed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(transformationAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(transformationAddr, tfjsonpath.New("vendor_name"), knownvalue.StringExact("Lead")),
					statecheck.ExpectKnownValue(transformationAddr, tfjsonpath.New("fields"), fieldsValue(changed.Fields)),
					statecheck.ExpectKnownValue(transformationAddr, tfjsonpath.New("script"), knownvalue.Null()),
					expectMockTransformation(mock, "sfdc", "myContact", func(tr mockapi.Transformation) error {
						if tr.VendorName != "Lead" || len(tr.Fields) != 3 || tr.Script != nil || len(tr.Configuration) != 3 ||
							tr.Configuration[1]["level"] != "account" {
							return fmt.Errorf("stored %+v", tr)
						}
						return nil
					}),
				},
			},
			{
				ResourceName:                         transformationAddr,
				ImportState:                          true,
				ImportStateId:                        "sfdc/myContact",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "element_key",
			},
			{
				// Changed in the console: the vendor name and a mapping.
				PreConfig: func() {
					mock.MutateTransformation("sfdc", "myContact", func(tr *mockapi.Transformation) {
						tr.VendorName = "Contact"
						tr.Fields[0].VendorPath = "Console__c"
					})
				},
				Config: config(changed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(transformationAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectMockTransformation(mock, "sfdc", "myContact", func(tr mockapi.Transformation) error {
						if tr.VendorName != "Lead" || tr.Fields[0].VendorPath == "Console__c" {
							return fmt.Errorf("not restored: %+v", tr)
						}
						return nil
					}),
				},
			},
			{
				// Deleted in the console: created again.
				PreConfig: func() { mock.RemoveTransformation("sfdc", "myContact") },
				Config:    config(changed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(transformationAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(commonResourceAddr, plancheck.ResourceActionNoop),
				}},
			},
			{
				Config: config(moved),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(transformationAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					requestCheck(func() error {
						if _, ok := mock.Transformation("sfdc", "myContact"); ok {
							return fmt.Errorf("the sfdc transformation is still there")
						}
						if _, ok := mock.Transformation("hubspotcrm", "myContact"); !ok {
							return fmt.Errorf("no hubspotcrm transformation")
						}
						return nil
					}),
				},
			},
		},
	})
}

// A plan that maps a path the existing common resource lacks fails, naming
// the path, without any transformation request.
func TestAccTransformation_undefinedPathFailsPlan(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	cr := commonResourceHCL{Name: "myContact", Fields: contactFields}.String()
	tr := transformationHCL{Element: "sfdc", Vendor: "Contact", Fields: map[string]string{"id": "Id", "phone": "Phone"}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkVdrsEmpty(mock),
		Steps: []resource.TestStep{
			{Config: mock.ProviderConfig() + cr},
			{
				Config:      mock.ProviderConfig() + cr + tr.String(),
				PlanOnly:    true,
				ExpectError: errorPattern(`Path Not Defined by the Common Resource[\s\S]*maps "phone", but common resource "myContact" does not define it`),
			},
			{
				Config: mock.ProviderConfig() + cr,
				ConfigStateChecks: []statecheck.StateCheck{
					expectRequestCount(mock, "", transformationRoute, 0),
				},
			},
		},
	})
}

// When the common resource's fields are known only at apply, the plan
// cannot check them: the transformation's create checks the definition
// first and sends no transformation request. Under either reading of what
// the API does with an undefined path.
func TestAccTransformation_undefinedPathFailsCreate(t *testing.T) {
	for _, reading := range []string{"reject", "accept"} {
		t.Run(reading, func(t *testing.T) {
			mock := newTestMock(t, mockapi.Options{VDRs: mockapi.VDROptions{UndefinedPaths: reading}})
			cr := `
resource "terraform_data" "fields" {
  input = { id = "string", email = "string" }
}
resource "cloudelements_common_resource" "test" {
  name   = "myContact"
  fields = terraform_data.fields.output
}
`
			tr := transformationHCL{Element: "sfdc", Vendor: "Contact", Fields: map[string]string{"id": "Id", "phone": "Phone"}}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   readingCLIs(reading == "reject"),
				CheckDestroy:             checkVdrsEmpty(mock),
				Steps: []resource.TestStep{
					{
						Config: mock.ProviderConfig() + cr + tr.String(),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectUnknownValue(commonResourceAddr, tfjsonpath.New("fields")),
						}},
						ExpectError: errorPattern(`Path Not Defined by the Common Resource[\s\S]*maps "phone", but common resource "myContact" does not define it`),
					},
					{
						Config: mock.ProviderConfig() + cr,
						ConfigStateChecks: []statecheck.StateCheck{
							expectRequestCount(mock, "POST", transformationRoute, 0),
							expectRequestCount(mock, "PUT", transformationRoute, 0),
						},
					},
				},
			})
		})
	}
}

// The plan checks against the fields the common resource is planned to
// have: a field added and mapped in one change applies; a field removed
// while a transformation maps it fails the plan, with no request sent.
func TestAccTransformation_plannedFields(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	withPhone := map[string]string{"id": "string", "email": "string", "phone": "string"}
	tr := transformationHCL{Element: "sfdc", Vendor: "Contact", Fields: map[string]string{"id": "Id", "email": "Email"}}
	mapsPhone := tr
	mapsPhone.Fields = map[string]string{"id": "Id", "email": "Email", "phone": "Phone"}
	config := func(fields map[string]string, tr transformationHCL) string {
		return mock.ProviderConfig() + commonResourceHCL{Name: "myContact", Fields: fields}.String() + tr.String()
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkVdrsEmpty(mock),
		Steps: []resource.TestStep{
			{Config: config(map[string]string{"id": "string", "email": "string"}, tr)},
			{
				Config: config(withPhone, mapsPhone),
				ConfigStateChecks: []statecheck.StateCheck{
					expectMockTransformation(mock, "sfdc", "myContact", func(tr mockapi.Transformation) error {
						for _, f := range tr.Fields {
							if f.Path == "phone" && f.Type == "string" && f.VendorPath == "Phone" {
								return nil
							}
						}
						return fmt.Errorf("phone is not mapped: %+v", tr.Fields)
					}),
				},
			},
			{
				PreConfig: mock.ResetRequests,
				Config:    config(map[string]string{"id": "string", "phone": "string"}, mapsPhone),
				ExpectError: errorPattern(`Path Not Defined by the Common Resource[\s\S]*maps "email", but common resource "myContact" does not define it ` +
					`\(its fields: id, phone\)`),
			},
			{
				Config: config(withPhone, mapsPhone),
				ConfigStateChecks: []statecheck.StateCheck{
					expectRequestCount(mock, "PUT", definitionRoute, 0),
					expectRequestCount(mock, "PUT", transformationRoute, 0),
				},
			},
		},
	})
}

func TestAccTransformation_importErrors(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: mock.ProviderConfig() + transformationHCL{Element: "sfdc", ObjectName: `"myContact"`, Vendor: "Contact",
					Fields: map[string]string{"id": "Id"}}.String(),
				ResourceName:  transformationAddr,
				ImportState:   true,
				ImportStateId: "sfdc",
				ExpectError:   errorPattern(`Import a transformation as <element_key>/<object_name>`),
			},
		},
	})
}

// The connections drop after the mock created the definition and the
// transformation: neither POST is retried, and both are adopted.
func TestAccTransformation_lostCreatesAdopted(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkVdrsEmpty(mock),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				mock.InjectFault(mockapi.Fault{Method: "POST", Route: definitionRoute, Mode: mockapi.FaultCommitThenDrop})
				mock.InjectFault(mockapi.Fault{Method: "POST", Route: transformationRoute, Mode: mockapi.FaultCommitThenDrop})
			},
			Config: mock.ProviderConfig() + commonResourceHCL{Name: "myContact", Fields: contactFields}.String() +
				transformationHCL{Element: "sfdc", Vendor: "Contact", Fields: map[string]string{"id": "Id"}}.String(),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(transformationAddr, tfjsonpath.New("fields"), fieldsValue(map[string]string{"id": "Id"})),
				statecheck.ExpectKnownValue(commonResourceAddr, tfjsonpath.New("fields"), fieldsValue(contactFields)),
				requestCheck(func() error {
					for _, route := range []string{definitionRoute, transformationRoute} {
						posts := ofKind(mock.Requests(), "POST", route)
						if len(posts) != 1 || posts[0].Status != 0 {
							return fmt.Errorf("POST %s statuses %v, want exactly one, dropped (0)", route, statusesOf(posts))
						}
					}
					return nil
				}),
			},
		}},
	})
}

// A script the API reports as legacy (v1) stays legacy on update: the PUT
// says isLegacy, so the API does not move it to v2.
func TestAccTransformation_legacyScriptKept(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	tr := transformationHCL{Element: "closeio", Vendor: "contacts", Fields: map[string]string{"id": "id"},
		Script: `"transformedObject.foo = 'bar'; return transformedObject;"`}
	renamed := tr
	renamed.Vendor = "leads"
	cr := commonResourceHCL{Name: "contacts", Fields: map[string]string{"id": "string"}}.String()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkVdrsEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config: mock.ProviderConfig() + cr + tr.String(),
				ConfigStateChecks: []statecheck.StateCheck{
					requestCheck(func() error {
						for _, b := range requestBodies(t, mock, "POST", transformationRoute) {
							if _, sent := b["isLegacy"]; sent {
								return fmt.Errorf("a create sent isLegacy: %v", b)
							}
						}
						return nil
					}),
				},
			},
			{
				// The console switched it to the v1 engine.
				PreConfig: func() {
					mock.MutateTransformation("closeio", "contacts", func(t *mockapi.Transformation) { t.IsLegacy = true })
				},
				Config: mock.ProviderConfig() + cr + renamed.String(),
				ConfigStateChecks: []statecheck.StateCheck{
					expectMockTransformation(mock, "closeio", "contacts", func(t mockapi.Transformation) error {
						if !t.IsLegacy || t.VendorName != "leads" {
							return fmt.Errorf("stored %+v, want a legacy script mapping leads", t)
						}
						return nil
					}),
				},
			},
		},
	})
}
