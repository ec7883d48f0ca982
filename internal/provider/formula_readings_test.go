// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/jsonvalue"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// formulaReadings are the mock's readings of what the sources leave open
// about formulas (mockapi.Options): the provider must be right under each.
func formulaReadings() map[string]mockapi.Options {
	no := false
	return map[string]mockapi.Options{
		"default":                   {},
		"PUT keeps left-out fields": {FormulaPutOmitted: mockapi.FormulaPutKeep},
		"steps in the order sent":   {FormulaStepOrder: mockapi.FormulaStepsAsSent},
		"settings merged on PUT":    {FormulaSettings: mockapi.FormulaSettingsMerge},
		"unknown keys accepted":     {FormulaUnknownKey: mockapi.FormulaUnknownKeysAccept},
		"empty list is []":          {EmptyFormulas404: &no},
	}
}

// TestAccFormula_readings creates a formula as a resource (a FaaR formula
// with a manual trigger, single-threaded, described) and an instance with
// both notification settings, then removes the description, the
// single-threading, the exposure, a step and a setting: under every
// reading the API ends up without them and the next plan is empty.
func TestAccFormula_readings(t *testing.T) {
	full := `{"singleThreaded": true, "method": "POST", "uri": "/sync",
  "configuration": [{"key": "label", "name": "Label", "type": "value"}],
  "triggers": [{"type": "manual", "onSuccess": ["first"]}],
  "steps": [
    {"name": "first", "type": "script", "onSuccess": ["second"], "properties": {"body": "done({});"}},
    {"name": "second", "type": "script", "properties": {"body": "done({});"}}
  ]}`
	trimmed := `{"configuration": [{"key": "label", "name": "Label", "type": "value"}],
  "triggers": [{"type": "manual", "onSuccess": ["first"]}],
  "steps": [{"name": "first", "type": "script", "properties": {"body": "done({});"}}]}`
	instance := func(settings string) string {
		return "resource \"cloudelements_formula_instance\" \"test\" {\n  formula_id = cloudelements_formula.test.id\n" +
			"  name = \"faar\"\n  configuration = { label = \"x\" }\n" + settings + "}\n"
	}
	for name, opts := range formulaReadings() {
		t.Run(name, func(t *testing.T) {
			mock := newTestMock(t, opts)
			before := mock.ProviderConfig() + formulaHCL{Name: "faar", Description: "exposed", Definition: full}.String() +
				instance("  notification_email = \"ops@example.com\"\n  notification_webhook_url = \"https://ops.example.com/hook\"\n")
			after := mock.ProviderConfig() + formulaHCL{Name: "faar", Definition: trimmed}.String() +
				instance("  notification_email = \"ops@example.com\"\n")
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   readingCLIs(name == "default"),
				CheckDestroy:             checkNoFormulas(t, mock),
				Steps: []resource.TestStep{
					{Config: before},
					{
						Config: after,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionUpdate),
								plancheck.ExpectResourceAction(formulaInstanceAddr, plancheck.ResourceActionUpdate),
							},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							expectMockFormula(t, mock, func(f map[string]any) error {
								for _, k := range []string{"description", "method", "uri"} {
									if v, ok := f[k]; ok && v != nil && v != "" {
										return fmt.Errorf("%s = %v still set", k, v)
									}
								}
								if f["singleThreaded"] == true {
									return fmt.Errorf("still single-threaded")
								}
								if n := len(jsonvalue.Objects(f["steps"])); n != 1 {
									return fmt.Errorf("%d steps, want 1", n)
								}
								return nil
							}),
							expectMockFormulaInstance(t, mock, func(in map[string]any) error {
								settings, _ := in["settings"].(map[string]any)
								if settings["notification.webhook.url"] != nil { // absent or null
									return fmt.Errorf("settings %v: the webhook is still set", settings)
								}
								return nil
							}),
						},
					},
				},
			})
		})
	}
}
