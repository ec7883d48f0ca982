// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

const commonResourceAddr = "cloudelements_common_resource.test"

func fieldsValue(m map[string]string) knownvalue.Check {
	want := map[string]knownvalue.Check{}
	for k, v := range m {
		want[k] = knownvalue.StringExact(v)
	}
	return knownvalue.MapExact(want)
}

func TestAccCommonResource_lifecycle(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	first := map[string]string{"id": "string", "email": "string", "birthdate": "date"}
	second := map[string]string{"id": "string", "email": "string", "birthdate": "string", "tags": "array [string]", "score": "number", "active": "boolean"}
	config := func(fields map[string]string) string {
		return mock.ProviderConfig() + commonResourceHCL{Name: "myContact", Fields: fields}.String()
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkVdrsEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config: config(first),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(commonResourceAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(commonResourceAddr, tfjsonpath.New("fields"), fieldsValue(first)),
					expectMockDefinition(mock, "myContact", first),
				},
			},
			{
				Config: config(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(commonResourceAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(commonResourceAddr, tfjsonpath.New("fields"), fieldsValue(second)),
					expectMockDefinition(mock, "myContact", second),
				},
			},
			{
				ResourceName:                         commonResourceAddr,
				ImportState:                          true,
				ImportStateId:                        "myContact",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "name",
			},
			{
				// Drift: a field added, one removed and one retyped in the console.
				PreConfig: func() {
					mock.MutateDefinition("myContact", func(d *mockapi.Definition) {
						var kept []mockapi.DefinitionField
						for _, f := range d.Fields {
							switch f.Path {
							case "score":
							case "email":
								f.Type = "date"
								kept = append(kept, f)
							default:
								kept = append(kept, f)
							}
						}
						kept = append(kept, mockapi.DefinitionField{Path: "console", Type: "string"})
						d.Fields = kept
					})
				},
				Config: config(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(commonResourceAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectMockDefinition(mock, "myContact", second)},
			},
			{
				// Deleted in the console: created again.
				PreConfig: func() { mock.RemoveDefinition("myContact") },
				Config:    config(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(commonResourceAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectMockDefinition(mock, "myContact", second)},
			},
		},
	})
}

func TestAccCommonResource_fieldTypes(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	for _, object := range []string{"line_items", "addressInfo"} { // the objects the legacy array types name
		postToMock(t, mock, "/organizations/objects/"+object+"/definitions", `{"fields": [{"path": "id", "type": "string"}]}`)
	}
	valid := map[string]string{"a": "array [string]", "b": "array[line_items]", "c": "array [date]", "d": "boolean", "e": "array[addressInfo]"}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			mock.RemoveDefinition("line_items")
			mock.RemoveDefinition("addressInfo")
			return checkVdrsEmpty(mock)(s)
		},
		Steps: []resource.TestStep{
			{
				Config:      mock.ProviderConfig() + commonResourceHCL{Name: "typed", Fields: map[string]string{"id": "string", "bad": "text"}}.String(),
				PlanOnly:    true,
				ExpectError: errorPattern(`fields\["bad"\] is "text": a type must be string, number, boolean, date, an array`),
			},
			{
				Config:      mock.ProviderConfig() + commonResourceHCL{Name: "typed", Fields: map[string]string{"list": "array [text]"}}.String(),
				PlanOnly:    true,
				ExpectError: errorPattern(`fields\["list"\] is "array \[text\]": a type must be`),
			},
			{
				Config:      mock.ProviderConfig() + commonResourceHCL{Name: "has space", Fields: valid}.String(),
				PlanOnly:    true,
				ExpectError: errorPattern(`name must be a non-empty name without slashes or white space`),
			},
			{
				Config: mock.ProviderConfig() + commonResourceHCL{Name: "typed", Fields: valid}.String(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(commonResourceAddr, tfjsonpath.New("fields"), fieldsValue(valid)),
					expectMockDefinition(mock, "typed", valid),
				},
			},
		},
	})
}

// A definition a transformation outside Terraform still maps cannot be
// deleted: the error names the element and what to do.
func TestAccCommonResource_deleteWhileMapped(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	config := mock.ProviderConfig() + commonResourceHCL{Name: "mapped", Fields: map[string]string{"id": "string"}}.String()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkVdrsEmpty(mock),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					postToMock(t, mock, "/organizations/elements/hubspot/transformations/mapped",
						`{"vendorName": "contacts", "fields": [{"path": "id", "vendorPath": "vid"}]}`)
				},
				Config:      mock.ProviderConfig(),
				ExpectError: errorPattern(`409[\s\S]*still mapped by the transformations of hubspot \(organization level\)[\s\S]*Delete those transformations first`),
			},
			{
				PreConfig: func() { mock.RemoveTransformation("hubspot", "mapped") },
				Config:    mock.ProviderConfig(),
			},
		},
	})
}

// A common resource that already exists: under the default reading the
// create fails saying to import it; under the other the POST replaces it.
// Either way, with fields in the order sent, the plans stay empty.
func TestAccCommonResource_existingAndFieldOrder(t *testing.T) {
	for name, reading := range map[string]mockapi.VDROptions{
		"default readings": {},
		"other readings":   {FieldOrder: "as-sent", ExistingDefinition: "replace", UndefinedPaths: "accept"},
	} {
		t.Run(name, func(t *testing.T) {
			mock := newTestMock(t, mockapi.Options{VDRs: reading})
			postToMock(t, mock, "/organizations/objects/myContact/definitions", `{"fields": [{"path": "zzz", "type": "string"}]}`)
			alone := mock.ProviderConfig() + commonResourceHCL{Name: "myContact", Fields: contactFields}.String()
			config := alone + transformationHCL{Element: "sfdc", Vendor: "Contact", Fields: map[string]string{"lastName": "LastName", "id": "Id"}}.String()
			first := resource.TestStep{Config: alone, ConfigStateChecks: []statecheck.StateCheck{expectMockDefinition(mock, "myContact", contactFields)}}
			if reading.ExistingDefinition == "" {
				first = resource.TestStep{Config: alone, ExpectError: errorPattern(`409[\s\S]*already exists: import it \(terraform import <address> myContact\)`)}
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   readingCLIs(name == "default readings"),
				CheckDestroy:             checkVdrsEmpty(mock),
				Steps: []resource.TestStep{
					first,
					{
						PreConfig: func() {
							if reading.ExistingDefinition == "" {
								mock.RemoveDefinition("myContact")
							}
						},
						Config: config,
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
		})
	}
}

// A malformed field type fails the plan naming the field: an array of a
// primitive written without the space ("array[string]", which the API reads
// as an array of an object named "string"). One that names a common
// resource planned in the same run plans and applies. (An array of an
// object no common resource defines is a warning:
// TestCommonResourcePlan_unknownObjectTypeWarns.)
func TestAccCommonResource_malformedFieldTypesFailPlan(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	order := func(items string) string {
		return mock.ProviderConfig() + commonResourceHCL{Name: "myOrder", Fields: map[string]string{"id": "string", "items": items}}.String()
	}
	line := commonResourceHCL{Label: "line", Name: "myLine", Fields: map[string]string{"sku": "string"}}.String()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkVdrsEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config:      order("array[string]"),
				PlanOnly:    true,
				ExpectError: errorPattern(`Invalid Common Resource Field Type[\s\S]*"items"[\s\S]*"array \[string\]"`),
			},
			{
				Config: mock.ProviderConfig() + line + `
resource "cloudelements_common_resource" "test" {
  name   = "myOrder"
  fields = { id = "string", items = "array[${cloudelements_common_resource.line.name}]" }
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					expectMockDefinition(mock, "myOrder", map[string]string{"id": "string", "items": "array[myLine]"}),
				},
			},
			{
				ResourceName:                         commonResourceAddr,
				ImportState:                          true,
				ImportStateId:                        "myOrder",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "name",
			},
		},
	})
}

// A legacy array type naming an object no common resource defines (and none
// planned before) is a warning naming the field; one naming an existing
// common resource is not.
func TestCommonResourcePlan_unknownObjectTypeWarns(t *testing.T) {
	ctx := context.Background()
	mock := newTestMock(t, mockapi.Options{})
	postToMock(t, mock, "/organizations/objects/lineItems/definitions", `{"fields": [{"path": "sku", "type": "string"}]}`)
	d := newDirectProvider(t, ctx, mock, 0, 0)
	schemas, err := d.server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schemas.ResourceSchemas["cloudelements_common_resource"].ValueType().(tftypes.Object)
	plan := func(itemsType string) []*tfprotov6.Diagnostic {
		cfg := d.object(typ, map[string]tftypes.Value{
			"name": str("myOrder"),
			"fields": tftypes.NewValue(tftypes.Map{ElementType: tftypes.String},
				map[string]tftypes.Value{"id": str("string"), "items": str(itemsType)}),
		})
		resp, err := d.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: "cloudelements_common_resource", PriorState: d.dynamic(typ, tftypes.NewValue(typ, nil)),
			ProposedNewState: d.dynamic(typ, cfg), Config: d.dynamic(typ, cfg),
		})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Diagnostics
	}
	diags := plan("array[nonExistingObj]")
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning || diags[0].Summary != "Unknown Common Resource in Field Type" ||
		!strings.Contains(diags[0].Detail, `fields["items"]`) || !strings.Contains(diags[0].Detail, `"nonExistingObj"`) {
		t.Errorf("array[nonExistingObj]: %s", diagsText(diags))
	}
	if diags := plan("array[lineItems]"); len(diags) != 0 {
		t.Errorf("array[lineItems]: %s", diagsText(diags))
	}
}
