// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// formulaInstanceConfig is the whole event flow of the issue: an element
// instance, a formula with an event trigger, and a formula instance binding
// them. body is the formula instance's block body.
func formulaInstanceConfig(mock *testMock, body string) string {
	return mock.ProviderConfig() +
		instanceHCL{Label: "crm", Element: "fake", Name: "CRM"}.String() +
		formulaHCL{Name: "crm-event-sync", Definition: syncFormula}.String() +
		"resource \"cloudelements_formula_instance\" \"test\" {\n  formula_id = cloudelements_formula.test.id\n" + body + "}\n"
}

// mockFormulaInstance reads the formula instance a resource holds from the mock.
func expectMockFormulaInstance(t *testing.T, mock *testMock, check func(in map[string]any) error) statecheck.StateCheck {
	return stateFunc(func(s *resourceState) error {
		status, out := mockDo(t, mock, "GET", fmt.Sprintf("/formulas/%v/instances/%v", s.values["formula_id"], s.values["id"]), nil)
		if status != http.StatusOK {
			return fmt.Errorf("formula instance %v: GET answered %d %s", s.values["id"], status, out)
		}
		var in map[string]any
		if err := json.Unmarshal(out, &in); err != nil {
			return err
		}
		return check(in)
	}, formulaInstanceAddr)
}

func TestAccFormulaInstanceResource_lifecycle(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	base := formulaInstanceConfig(mock, `  name          = "crm events"
  configuration = { trigger_instance = cloudelements_instance.crm.id, label = "first" }
  notification_email = "ops@example.com"
`)
	changed := formulaInstanceConfig(mock, `  name          = "crm events (eu)"
  configuration = { trigger_instance = cloudelements_instance.crm.id, label = "second" }
  notification_email       = "ops@example.com"
  notification_webhook_url = "https://ops.example.com/hooks/formulas"
  time_to_live             = 86400
`)
	var id, formulaID, firstID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := checkNoFormulas(t, mock)(s); err != nil {
				return err
			}
			return checkMockEmpty(mock)(s)
		},
		Steps: []resource.TestStep{
			{
				Config: base,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formulaInstanceAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(formulaInstanceAddr, at("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[1-9][0-9]*$`))),
					statecheck.CompareValuePairs(formulaInstanceAddr, at("formula_id"), formulaAddr, at("id"), compareEqual{}),
					statecheck.CompareValuePairs(formulaInstanceAddr, at("configuration", "trigger_instance"), "cloudelements_instance.crm", at("id"), compareEqual{}),
					statecheck.ExpectKnownValue(formulaInstanceAddr, at("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(formulaInstanceAddr, at("created_date"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(formulaInstanceAddr, at("notification_email"), knownvalue.StringExact("ops@example.com")),
					statecheck.ExpectKnownValue(formulaInstanceAddr, at("time_to_live"), knownvalue.Null()),
					expectMockFormulaInstance(t, mock, func(in map[string]any) error {
						cfg, _ := in["configuration"].(map[string]any)
						settings, _ := in["settings"].(map[string]any)
						if in["name"] != "crm events" || cfg["label"] != "first" || settings["notification.email"] != "ops@example.com" {
							return fmt.Errorf("got %v", in)
						}
						return nil
					}),
					formulaIDOf(formulaInstanceAddr, &id),
					formulaIDOf(formulaInstanceAddr, &firstID),
					stateFunc(func(s *resourceState) error { formulaID = fmt.Sprint(s.values["formula_id"]); return nil }, formulaInstanceAddr),
				},
			},
			{ // Rename, rebind a value and add settings in place.
				Config: changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(formulaInstanceAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionNoop),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameFormulaID(formulaInstanceAddr, &id),
					statecheck.ExpectKnownValue(formulaInstanceAddr, at("time_to_live"), knownvalue.Int64Exact(86400)),
					expectMockFormulaInstance(t, mock, func(in map[string]any) error {
						cfg, _ := in["configuration"].(map[string]any)
						settings, _ := in["settings"].(map[string]any)
						if in["name"] != "crm events (eu)" || cfg["label"] != "second" ||
							settings["notification.webhook.url"] != "https://ops.example.com/hooks/formulas" ||
							fmt.Sprint(settings["formula.instance.time.to.live"]) != "86400" {
							return fmt.Errorf("got %v", in)
						}
						return nil
					}),
				},
			},
			{
				ResourceName:                         formulaInstanceAddr,
				ImportState:                          true,
				ImportStateKind:                      resource.ImportBlockWithID,
				ImportStateIdFunc:                    func(*terraform.State) (string, error) { return formulaID + "/" + id, nil },
				ImportStateVerifyIdentifierAttribute: "id",
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formulaInstanceAddr, plancheck.ResourceActionNoop)},
				},
			},
			{
				ResourceName:      formulaInstanceAddr,
				ImportState:       true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return formulaID + "/" + id, nil },
				ImportStateVerify: true,
			},
			{ // Deactivated by the service (or in the console): one request restores it.
				PreConfig: func() {
					mockJSON(t, mock, "DELETE", "/formulas/"+formulaID+"/instances/"+id+"/active", nil)
					mock.ResetRequests()
				},
				Config: changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formulaInstanceAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(formulaInstanceAddr, at("active"), knownvalue.Bool(true)),
					expectMockFormulaInstance(t, mock, func(in map[string]any) error {
						if in["active"] != true {
							return fmt.Errorf("active = %v after the apply", in["active"])
						}
						return nil
					}),
					requestCheck(func() error {
						var writes []string
						for _, r := range mock.Requests() {
							if r.Method != "GET" {
								writes = append(writes, r.Method+" "+r.Route)
							}
						}
						if len(writes) != 1 {
							return fmt.Errorf("writes %v, want one request", writes)
						}
						return nil
					}),
				},
			},
			{ // Deleted out of band: re-created.
				PreConfig: func() { mockJSON(t, mock, "DELETE", "/formulas/"+formulaID+"/instances/"+id, nil) },
				Config:    changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formulaInstanceAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateFunc(func(s *resourceState) error {
						if fmt.Sprint(s.values["id"]) == firstID {
							return fmt.Errorf("still id %s after the re-create", firstID)
						}
						return nil
					}, formulaInstanceAddr),
				},
			},
			{ // Deactivated on purpose and the webhook removed; on destroy the instance goes first.
				Config: strings.Replace(changed, `  notification_webhook_url = "https://ops.example.com/hooks/formulas"`, "  active = false", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formulaInstanceAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectMockFormulaInstance(t, mock, func(in map[string]any) error {
						settings, _ := in["settings"].(map[string]any)
						if in["active"] != false {
							return fmt.Errorf("active = %v, want false", in["active"])
						}
						if settings["notification.webhook.url"] != nil || settings["notification.email"] != "ops@example.com" {
							return fmt.Errorf("settings %v, want only the e-mail", settings)
						}
						return nil
					}),
				},
			},
		},
	})
}

// compareEqual is a compare.ValueComparer for two equal values.
type compareEqual struct{}

func (compareEqual) CompareValues(values ...any) error {
	for _, v := range values[1:] {
		if fmt.Sprint(v) != fmt.Sprint(values[0]) {
			return fmt.Errorf("values differ: %v", values)
		}
	}
	return nil
}

// A configuration key that is not a variable of the formula is a plan
// error when the formula exists, and fails the apply before the instance's
// POST when the formula is created in the same apply.
func TestAccFormulaInstanceResource_unknownVariable(t *testing.T) {
	bad := `  name          = "crm events"
  configuration = { trigger_instance = cloudelements_instance.crm.id, lable = "typo" }
`
	want := `Unknown Formula Variable[\s\S]*has no variable "lable"[\s\S]*Its variables are: label, trigger_instance`
	// Whether the API itself refuses such a key is not documented
	// (mockapi.Options.FormulaUnknownKey): the provider checks first either way.
	for mode, opts := range map[string]mockapi.Options{
		"API rejects": {FormulaUnknownKey: mockapi.FormulaUnknownKeysReject},
		"API accepts": {FormulaUnknownKey: mockapi.FormulaUnknownKeysAccept},
	} {
		t.Run(mode, func(t *testing.T) {
			t.Run("formula exists", func(t *testing.T) {
				mock := newTestMock(t, opts)
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					TerraformVersionChecks:   readingCLIs(mode == "API rejects"),
					CheckDestroy:             checkNoFormulas(t, mock),
					Steps: []resource.TestStep{
						{Config: mock.ProviderConfig() + instanceHCL{Label: "crm", Element: "fake", Name: "CRM"}.String() +
							formulaHCL{Name: "crm-event-sync", Definition: syncFormula}.String()},
						{
							PreConfig:   mock.ResetRequests,
							Config:      formulaInstanceConfig(mock, bad),
							PlanOnly:    true,
							ExpectError: errorPattern(want),
						},
					},
				})
			})
			t.Run("formula created in the same apply", func(t *testing.T) {
				mock := newTestMock(t, opts)
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					TerraformVersionChecks:   readingCLIs(mode == "API rejects"),
					CheckDestroy:             checkNoFormulas(t, mock),
					Steps: []resource.TestStep{
						{
							Config:      formulaInstanceConfig(mock, bad),
							ExpectError: errorPattern(want),
						},
						{
							Config: mock.ProviderConfig(),
							Check: func(*terraform.State) error {
								if n := mock.RequestCount("POST", "/formulas/{id}/instances"); n != 0 {
									return fmt.Errorf("%d formula instance POSTs: the check must come first", n)
								}
								return nil
							},
						},
					},
				})
			})
		})
	}
}

// A variable added to a formula and set on its instance in one change plans
// (the instance is checked against the variables the formula is planned to
// have, not the ones the API still holds), and a variable removed while the
// instance still sets it fails the plan with no request.
func TestAccFormulaInstanceResource_variableChangedWithFormula(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	labelVar := `{"name": "Label", "key": "label", "type": "value"}`
	withRegion := strings.Replace(syncFormula, labelVar, labelVar+`, {"name": "Region", "key": "region", "type": "value"}`, 1)
	withoutLabel := strings.Replace(withRegion, labelVar+", ", "", 1)
	config := func(definition, configuration string) string {
		return mock.ProviderConfig() + instanceHCL{Label: "crm", Element: "fake", Name: "CRM"}.String() +
			formulaHCL{Name: "crm-event-sync", Definition: definition}.String() +
			"resource \"cloudelements_formula_instance\" \"test\" {\n  formula_id = cloudelements_formula.test.id\n" +
			"  name = \"crm events\"\n  configuration = {" + configuration + "}\n}\n"
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoFormulas(t, mock),
		Steps: []resource.TestStep{
			{Config: config(syncFormula, `trigger_instance = cloudelements_instance.crm.id, label = "a"`)},
			{
				Config: config(withRegion, `trigger_instance = cloudelements_instance.crm.id, label = "a", region = "eu"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(formulaInstanceAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectMockFormulaInstance(t, mock, func(in map[string]any) error {
						if got := fmt.Sprint(in["configuration"].(map[string]any)["region"]); got != "eu" {
							return fmt.Errorf("configuration.region = %q on the mock, want eu", got)
						}
						return nil
					}),
				},
			},
			{
				PreConfig:   mock.ResetRequests,
				Config:      config(withoutLabel, `trigger_instance = cloudelements_instance.crm.id, label = "a", region = "eu"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Unknown Formula Variable[\s\S]*as planned, has no[\s\S]*variable "label"`),
			},
		},
	})
}
