// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/formuladef"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

func TestAccFormulaDataSource(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	formula := formulaHCL{Name: "crm-event-sync", Description: "Syncs CRM events", Definition: syncFormula}.String()
	variables := knownvalue.ListExact([]knownvalue.Check{
		knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"key": knownvalue.StringExact("trigger_instance"), "name": knownvalue.StringExact("CRM instance"),
			"type": knownvalue.StringExact("elementInstance"),
		}),
		knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"key": knownvalue.StringExact("label"), "name": knownvalue.StringExact("Label"), "type": knownvalue.StringExact("value"),
		}),
	})
	equivalent := func(address string) statecheck.StateCheck {
		return stateFunc(func(s *resourceState) error {
			if d := fmt.Sprint(s.values["definition"]); !formuladef.Equivalent(d, syncFormula) {
				return fmt.Errorf("definition %s is not the formula", d)
			}
			return nil
		}, address)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoFormulas(t, mock),
		Steps: []resource.TestStep{
			{
				Config: mock.ProviderConfig() + formula + `
data "cloudelements_formula" "missing" {
  name = "no such formula"
}
`,
				PlanOnly:    true,
				ExpectError: errorPattern(`Cloud Elements Formula Not Found[\s\S]*no formula is named exactly "no such formula"`),
			},
			{
				Config: mock.ProviderConfig() + `
data "cloudelements_formula" "both" {
  id   = "1"
  name = "x"
}
`,
				PlanOnly:    true,
				ExpectError: errorPattern(`Invalid Attribute Combination`),
			},
			{
				Config: mock.ProviderConfig() + formula + `
data "cloudelements_formula" "by_id" {
  id = cloudelements_formula.test.id
}
data "cloudelements_formula" "by_name" {
  name = cloudelements_formula.test.name
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs("data.cloudelements_formula.by_id", at("id"), formulaAddr, at("id"), compareEqual{}),
					statecheck.CompareValuePairs("data.cloudelements_formula.by_name", at("id"), formulaAddr, at("id"), compareEqual{}),
					statecheck.ExpectKnownValue("data.cloudelements_formula.by_id", at("name"), knownvalue.StringExact("crm-event-sync")),
					statecheck.ExpectKnownValue("data.cloudelements_formula.by_id", at("description"), knownvalue.StringExact("Syncs CRM events")),
					statecheck.ExpectKnownValue("data.cloudelements_formula.by_id", at("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.cloudelements_formula.by_id", at("variables"), variables),
					statecheck.ExpectKnownValue("data.cloudelements_formula.by_name", at("variables"), variables),
					equivalent("data.cloudelements_formula.by_id"),
					equivalent("data.cloudelements_formula.by_name"),
				},
			},
		},
	})
}

// TestAccFormulaDataSource_severalNamed checks that a name two formulas share
// is reported as ambiguous, not as "not found", and names both ids.
func TestAccFormulaDataSource_severalNamed(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	formulas := formulaHCL{Label: "a", Name: "twin", Definition: syncFormula}.String() +
		formulaHCL{Label: "b", Name: "twin", Definition: syncFormula}.String()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoFormulas(t, mock),
		Steps: []resource.TestStep{
			{Config: mock.ProviderConfig() + formulas},
			{
				Config: mock.ProviderConfig() + formulas + `
data "cloudelements_formula" "twin" {
  name = "twin"
}
`,
				ExpectError: errorPattern(`Several Cloud Elements Formulas Found[\s\S]*2 formulas are named "twin" \(ids \d+, \d+\)`),
			},
		},
	})
}
