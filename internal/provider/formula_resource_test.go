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

	"github.com/cloudelements/terraform-provider-cloudelements/internal/formuladef"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// syncFormula is the formula of the tests: an event trigger bound to a
// variable, a filter and an element request (the shape of the legacy use
// case, devportal:docs/legacy/formulas/use-cases.md#L72-138).
const syncFormula = `{
  "configuration": [
    {"name": "CRM instance", "key": "trigger_instance", "type": "elementInstance"},
    {"name": "Label", "key": "label", "type": "value"}
  ],
  "triggers": [{"type": "event", "properties": {"elementInstanceId": "${config.trigger_instance}"}, "onSuccess": ["is-contact"]}],
  "steps": [
    {"name": "is-contact", "type": "filter", "onSuccess": ["get-contact"],
     "properties": {"body": "done(trigger.event.objectType === 'contacts');"}},
    {"name": "get-contact", "type": "elementRequest",
     "properties": {"elementInstanceId": "${config.trigger_instance}", "method": "GET", "api": "/hubs/crm/contacts/${trigger.event.objectId}", "retryAttempts": "3"}}
  ]
}`

// syncFormulaReordered is syncFormula with keys, steps and variables in
// another order, compact, and retryAttempts a number.
const syncFormulaReordered = `{"steps":[{"properties":{"retryAttempts":3,"api":"/hubs/crm/contacts/${trigger.event.objectId}","method":"GET","elementInstanceId":"${config.trigger_instance}"},"type":"elementRequest","name":"get-contact"},{"onSuccess":["get-contact"],"name":"is-contact","type":"filter","properties":{"body":"done(trigger.event.objectType === 'contacts');"}}],"triggers":[{"onSuccess":["is-contact"],"type":"event","properties":{"elementInstanceId":"${config.trigger_instance}"}}],"configuration":[{"type":"value","key":"label","name":"Label"},{"type":"elementInstance","key":"trigger_instance","name":"CRM instance"}]}`

func TestAccFormulaResource_lifecycle(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	var id string
	base := formulaHCL{Name: "crm-event-sync", Description: "Syncs CRM events", Definition: syncFormula}
	reordered := base
	reordered.Definition = syncFormulaReordered
	oneStep := base
	oneStep.Definition = strings.Replace(syncFormula, `"method": "GET"`, `"method": "POST"`, 1)
	inactive := oneStep
	inactive.Active = new(bool)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoFormulas(t, mock),
		Steps: []resource.TestStep{
			{ // Create: one POST, nothing else. The mock returns the steps
				// sorted by name (is-contact after get-contact), with ids and
				// defaults: the refresh plan after the apply is still empty.
				PreConfig: mock.ResetRequests,
				Config:    mock.ProviderConfig() + base.String(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(formulaAddr, at("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[1-9][0-9]*$`))),
					statecheck.ExpectKnownValue(formulaAddr, at("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(formulaAddr, at("description"), knownvalue.StringExact("Syncs CRM events")),
					statecheck.ExpectKnownValue(formulaAddr, at("definition"), knownvalue.StringExact(syncFormula)),
					expectMockFormula(t, mock, func(f map[string]any) error {
						if f["name"] != "crm-event-sync" || f["description"] != "Syncs CRM events" || f["active"] != true {
							return fmt.Errorf("name/description/active: %v %v %v", f["name"], f["description"], f["active"])
						}
						if s := getContact(f); s == nil || propertiesOf(s)["method"] != "GET" {
							return fmt.Errorf("step get-contact: %v", s)
						}
						return nil
					}),
					expectRequestCount(mock, "POST", "/formulas", 1),
					expectRequestCount(mock, "PUT", "/formulas/{id}", 0),
					formulaIDOf(formulaAddr, &id),
				},
			},
			{ // The same formula, reordered and compact: no change.
				Config:   mock.ProviderConfig() + reordered.String(),
				PlanOnly: true,
			},
			{ // One step changed: an in-place update of the same formula, one PUT.
				PreConfig: mock.ResetRequests,
				Config:    mock.ProviderConfig() + oneStep.String(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameFormulaID(formulaAddr, &id),
					statecheck.ExpectKnownValue(formulaAddr, at("definition"), knownvalue.StringExact(oneStep.Definition)),
					expectMockFormula(t, mock, func(f map[string]any) error {
						if s := getContact(f); s == nil || propertiesOf(s)["method"] != "POST" {
							return fmt.Errorf("step get-contact after the update: %v", s)
						}
						return nil
					}),
					expectRequestCount(mock, "PUT", "/formulas/{id}", 1),
					expectRequestCount(mock, "POST", "/formulas", 0),
				},
			},
			{ // Deactivated on purpose: in place, one PUT.
				PreConfig: mock.ResetRequests,
				Config:    mock.ProviderConfig() + inactive.String(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameFormulaID(formulaAddr, &id),
					statecheck.ExpectKnownValue(formulaAddr, at("active"), knownvalue.Bool(false)),
					expectMockFormula(t, mock, func(f map[string]any) error {
						if f["active"] != false {
							return fmt.Errorf("active = %v in the mock", f["active"])
						}
						return nil
					}),
					expectRequestCount(mock, "PUT", "/formulas/{id}", 1),
				},
			},
			{ // Import with an import block: nothing to change.
				ResourceName:    formulaAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionNoop)},
				},
			},
			{
				ResourceName:      formulaAddr,
				ImportState:       true,
				ImportStateVerify: true,
				// The import holds the server's JSON, state the user's
				// text: they are compared as formulas below, and the
				// import block step above plans them as no change.
				ImportStateVerifyIgnore: []string{"definition"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("%d imported states", len(states))
					}
					if got := states[0].Attributes["definition"]; !formuladef.Equivalent(got, inactive.Definition) {
						return fmt.Errorf("imported definition %s is not the configured formula", got)
					}
					return nil
				},
			},
		},
	})
}

// An export pasted unchanged (server ids, userId, createdDate, defaults,
// another name inside) creates the formula and then plans empty; the name
// inside the JSON differs from the argument, which a warning says.
func TestAccFormulaResource_pastedExport(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	export := `{
  "id": 11493, "userId": 12345, "accountId": 12345, "createdDate": "2017-05-26T14:42:14Z",
  "name": "Exported name", "active": true, "singleThreaded": false, "engine": "v1",
  "configuration": [
    {"id": 24317, "name": "CRM instance", "key": "trigger_instance", "type": "elementInstance", "required": true},
    {"id": 24318, "name": "Label", "key": "label", "type": "value", "required": false}
  ],
  "triggers": [{"id": 10602, "formulaId": 11493, "async": true, "name": "trigger", "onFailure": [], "type": "event",
    "properties": {"elementInstanceId": "${config.trigger_instance}"}, "onSuccess": ["is-contact"]}],
  "steps": [
    {"id": 77012, "formulaId": 11493, "name": "get-contact", "onSuccess": [], "onFailure": [], "type": "elementRequest",
     "properties": {"elementInstanceId": "${config.trigger_instance}", "method": "GET", "api": "/hubs/crm/contacts/${trigger.event.objectId}", "retryAttempts": 3}},
    {"id": 77011, "formulaId": 11493, "name": "is-contact", "onSuccess": ["get-contact"], "onFailure": [], "type": "filter",
     "properties": {"body": "done(trigger.event.objectType === 'contacts');"}}
  ]
}`
	cfg := mock.ProviderConfig() + formulaHCL{Name: "crm-event-sync", Definition: export}.String()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoFormulas(t, mock),
		Steps: []resource.TestStep{
			{
				PreConfig: mock.ResetRequests,
				Config:    cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					expectMockFormula(t, mock, func(f map[string]any) error {
						if f["name"] != "crm-event-sync" {
							return fmt.Errorf("name %v: the argument must win over the definition's", f["name"])
						}
						if f["id"] == json.Number("11493") || fmt.Sprint(f["id"]) == "11493" {
							return fmt.Errorf("the server kept the export's id")
						}
						return nil
					}),
					requestCheck(func() error {
						for _, body := range requestBodies(t, mock, "POST", "/formulas") {
							for _, k := range []string{"id", "userId", "accountId", "createdDate"} {
								if _, ok := body[k]; ok {
									return fmt.Errorf("the create sent %s", k)
								}
							}
						}
						return nil
					}),
				},
			},
			{Config: cfg, PlanOnly: true},
			{ // And the same export as the user's syncFormula text: no change either.
				Config:   mock.ProviderConfig() + formulaHCL{Name: "crm-event-sync", Definition: syncFormula}.String(),
				PlanOnly: true,
			},
		},
	})
}

// The name inside the definition is ignored, with a warning; the plan is
// not affected.
func TestAccFormulaResource_argumentWarning(t *testing.T) {
	cli := newCLIRunner(t)
	mock := newTestMock(t, mockapi.Options{})
	def := strings.Replace(syncFormula, `"configuration"`, `"name": "inner name", "active": false, "configuration"`, 1)
	cli.write(`
terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}
` + mock.ProviderConfig() + formulaHCL{Name: "outer name", Definition: def}.String())
	cli.run("init", "-input=false")
	out := cli.run("plan", "-input=false")
	text := normalizeCLIText(out)
	expectText(t, text,
		`Warning: Formula Argument Overrides the Definition`,
		`The definition says "name": "inner name", but the formula's name argument is "outer name"; and "active": false, but the formula's active argument is true: the arguments win`)
}

// Each plan-time check is an error naming the step or variable, at
// definition, and sends no request about formulas.
func TestAccFormulaResource_planChecks(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	cases := []struct {
		name, definition, want string
	}{
		{"duplicate step", strings.Replace(syncFormula, `"name": "get-contact"`, `"name": "is-contact"`, 1),
			`Duplicate Formula Step Name[\s\S]*Two steps are named "is-contact"`},
		{"flow to a missing step", strings.Replace(syncFormula, `"onSuccess": ["get-contact"]`, `"onSuccess": ["get-contacts"]`, 1),
			`Formula Flow Names a Missing Step[\s\S]*Step "is-contact": onSuccess names step get-contacts`},
		{"trigger to a missing step", strings.Replace(syncFormula, `"onSuccess": ["is-contact"]`, `"onSuccess": ["start"]`, 1),
			`Formula Flow Names a Missing Step[\s\S]*The "event" trigger: onSuccess names step start`},
		{"unknown step type", strings.Replace(syncFormula, `"type": "filter"`, `"type": "java"`, 1),
			`Unknown Formula Step Type[\s\S]*Step "is-contact" has type "java"`},
		{"unknown trigger type", strings.Replace(syncFormula, `"type": "event"`, `"type": "request"`, 1),
			`Unknown Formula Trigger Type[\s\S]*Trigger 1 has type "request"`},
		{"undefined variable", strings.Replace(syncFormula, `"${config.trigger_instance}", "method"`, `"${config.crm_instance}", "method"`, 1),
			`Undefined Formula Variable[\s\S]*Step "get-contact" refers to \$\{config.crm_instance\}`},
		{"undefined bare variable", strings.Replace(syncFormula, `{"elementInstanceId": "${config.trigger_instance}"}`, `{"elementInstanceId": "${crm}"}`, 1),
			`Undefined Formula Variable[\s\S]*The "event" trigger refers to \$\{crm\}`},
		{"not JSON", `{"steps": [`, `Invalid Formula Definition`},
		{"not an object", `[]`, `Invalid Formula Definition[\s\S]*not a JSON object`},
	}
	steps := make([]resource.TestStep, 0, len(cases)+1)
	for _, tc := range cases {
		if tc.definition == syncFormula {
			t.Fatalf("%s: the edit did not apply", tc.name)
		}
		steps = append(steps, resource.TestStep{
			Config:      mock.ProviderConfig() + formulaHCL{Name: "checked", Definition: tc.definition}.String(),
			PlanOnly:    true,
			ExpectError: errorPattern(tc.want),
		})
	}
	steps = append(steps, resource.TestStep{
		Config: mock.ProviderConfig(),
		Check: func(*terraform.State) error {
			for _, r := range mock.Requests() {
				if strings.HasPrefix(r.Path, "/elements/api-v2/formulas") || strings.HasPrefix(r.Route, "/formulas") {
					return fmt.Errorf("a plan-time check sent %s %s", r.Method, r.Path)
				}
			}
			return nil
		},
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoFormulas(t, mock),
		Steps:                    steps,
	})
}

// Drift: a formula deactivated, edited or deleted out of band shows as a
// change, and the apply restores it.
func TestAccFormulaResource_drift(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	cfg := mock.ProviderConfig() + formulaHCL{Name: "crm-event-sync", Definition: syncFormula}.String()
	var id, firstID string
	outOfBand := func(edit func(f map[string]any)) func() {
		return func() {
			f, ok := mockJSON(t, mock, "GET", "/formulas/"+id, nil).(map[string]any)
			if !ok {
				t.Fatalf("GET /formulas/%s: not an object", id)
			}
			edit(f)
			mockJSON(t, mock, "PUT", "/formulas/"+id, f)
		}
	}
	update := resource.ConfigPlanChecks{
		PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionUpdate)},
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoFormulas(t, mock),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{formulaIDOf(formulaAddr, &id), formulaIDOf(formulaAddr, &firstID)}},
			{ // Deactivated in the console.
				PreConfig:        outOfBand(func(f map[string]any) { f["active"] = false }),
				Config:           cfg,
				ConfigPlanChecks: update,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(formulaAddr, at("active"), knownvalue.Bool(true)),
					expectMockFormula(t, mock, func(f map[string]any) error {
						if f["active"] != true {
							return fmt.Errorf("active = %v after the apply", f["active"])
						}
						return nil
					}),
				},
			},
			{ // A step edited in the console.
				PreConfig: outOfBand(func(f map[string]any) {
					if s := getContact(f); s != nil {
						propertiesOf(s)["method"] = "DELETE"
					}
				}),
				Config:           cfg,
				ConfigPlanChecks: update,
				ConfigStateChecks: []statecheck.StateCheck{
					sameFormulaID(formulaAddr, &id),
					statecheck.ExpectKnownValue(formulaAddr, at("definition"), knownvalue.StringExact(syncFormula)),
					expectMockFormula(t, mock, func(f map[string]any) error {
						if s := getContact(f); s == nil || propertiesOf(s)["method"] != "GET" {
							return fmt.Errorf("step get-contact after the apply: %v", s)
						}
						return nil
					}),
				},
			},
			{ // Deleted in the console: re-created.
				PreConfig: func() {
					if status, out := mockDo(t, mock, "DELETE", "/formulas/"+id, nil); status != http.StatusOK {
						t.Fatalf("DELETE /formulas/%s: %d %s", id, status, out)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateFunc(func(s *resourceState) error {
						if fmt.Sprint(s.values["id"]) == firstID {
							return fmt.Errorf("still id %s after the re-create", firstID)
						}
						return nil
					}, formulaAddr),
				},
			},
		},
	})
}

// A create whose answer is lost after the server committed it adopts the
// formula it made, with a warning, instead of making a second one.
func TestAccFormulaResource_lostCreateAdopted(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	cfg := mock.ProviderConfig() + formulaHCL{Name: "crm-event-sync", Definition: syncFormula}.String()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoFormulas(t, mock),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					mock.ResetRequests()
					mock.InjectFault(mockapi.Fault{Method: "POST", Route: "/formulas", Mode: mockapi.FaultCommitThenDrop})
				},
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					expectRequestCount(mock, "POST", "/formulas", 1),
					requestCheck(func() error {
						if all := mockFormulas(t, mock); len(all) != 1 {
							return fmt.Errorf("the mock holds %d formulas, want the one adopted", len(all))
						}
						return nil
					}),
					expectMockFormula(t, mock, func(f map[string]any) error {
						if f["name"] != "crm-event-sync" {
							return fmt.Errorf("adopted %v", f["name"])
						}
						return nil
					}),
				},
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

// A formula that still has an instance Terraform does not manage cannot be
// deleted: the error names the cause. Once the instance is gone, the
// destroy goes through.
func TestAccFormulaResource_deleteWithInstances(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	cfg := mock.ProviderConfig() + formulaHCL{Name: "crm-event-sync", Definition: `{"triggers": [{"type": "manual"}]}`}.String()
	var id, instancePath string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoFormulas(t, mock),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{formulaIDOf(formulaAddr, &id)}},
			{
				PreConfig: func() {
					in, _ := mockJSON(t, mock, "POST", "/formulas/"+id+"/instances", map[string]any{"name": "made in the console"}).(map[string]any)
					instancePath = fmt.Sprintf("/formulas/%s/instances/%v", id, in["id"])
				},
				Config:      mock.ProviderConfig(),
				ExpectError: errorPattern(`Cloud Elements Formula Still Has Instances[\s\S]*cannot be deleted while it has formula instances`),
			},
			{
				PreConfig: func() { mockJSON(t, mock, "DELETE", instancePath, nil) },
				Config:    mock.ProviderConfig(),
			},
		},
	})
}
