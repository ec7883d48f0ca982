// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/formuladef"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// Steps in flow order ("load" then "alert"), which is not the order the
// API answers in (by name).
const (
	plansHandWritten = `{"configuration": [{"key": "crm", "name": "crm", "type": "elementInstance"}],
  "triggers": [{"type": "scheduled", "properties": {"cron": "0 0/15 * 1/1 * ? *"}, "onSuccess": ["load"]}],
  "steps": [
    {"name": "load", "type": "elementRequest", "properties": {"elementInstanceId": "${config.crm}", "method": "GET", "api": "/hubs/crm/contacts"}, "onSuccess": ["alert"]},
    {"name": "alert", "type": "script", "properties": {"body": "done({n: 1});"}}]}`
	plansDoctorExport = `{"id": 9001, "name": "readable", "active": true, "singleThreaded": false, "engine": "v3", "debugLoggingEnabled": false,
  "configuration": [{"key": "crm", "name": "crm", "type": "elementInstance", "required": true}],
  "triggers": [{"type": "scheduled", "async": true, "name": "trigger", "properties": {"cron": "0 0/15 * 1/1 * ? *"}, "onSuccess": ["load"], "onFailure": []}],
  "steps": [
    {"name": "load", "type": "elementRequest", "properties": {"elementInstanceId": "${config.crm}", "method": "GET", "api": "/hubs/crm/contacts"}, "onSuccess": ["alert"], "onFailure": []},
    {"name": "alert", "type": "script", "properties": {"body": "done({n: 1});"}, "onSuccess": [], "onFailure": []}]}`
	plansGetBody = `{"id": 9001, "userId": 7, "accountId": 3, "createdDate": "2026-12-01T10:00:00Z", "name": "readable", "active": true,
  "singleThreaded": false, "engine": "v3", "debugLoggingEnabled": false,
  "configuration": [{"id": 9101, "key": "crm", "name": "crm", "type": "elementInstance", "required": true}],
  "triggers": [{"id": 9201, "formulaId": 9001, "type": "scheduled", "async": true, "name": "trigger", "properties": {"cron": "0 0/15 * 1/1 * ? *"}, "onSuccess": ["load"], "onFailure": []}],
  "steps": [
    {"id": 9302, "formulaId": 9001, "name": "alert", "type": "script", "properties": {"body": "done({n: 1});"}, "onSuccess": [], "onFailure": []},
    {"id": 9301, "formulaId": 9001, "name": "load", "type": "elementRequest", "properties": {"api": "/hubs/crm/contacts", "elementInstanceId": "${config.crm}", "method": "GET"}, "onSuccess": ["alert"], "onFailure": []}]}`
)

// definitionDiff is a plan check: the JSON paths at which the planned
// definition differs from the prior one must be exactly want, plus, when
// ignored is true, only fields the comparison ignores (what a definition
// read at import lacks).
type definitionDiff struct {
	want    []string
	ignored bool
}

func (c definitionDiff) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != formulaAddr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)["definition"].(string)
		after, _ := rc.Change.After.(map[string]any)["definition"].(string)
		var b, a any
		if err := json.Unmarshal([]byte(before), &b); err != nil {
			resp.Error = fmt.Errorf("prior definition: %w", err)
			return
		}
		if err := json.Unmarshal([]byte(after), &a); err != nil {
			resp.Error = fmt.Errorf("planned definition: %w", err)
			return
		}
		got := jsonDiffPaths(b, a, "")
		if c.ignored {
			ignored := formuladef.IgnoredAdditions(before, after)
			got = slices.DeleteFunc(got, func(p string) bool {
				return slices.ContainsFunc(ignored, func(i string) bool { return p == i || strings.HasPrefix(p, i+".") })
			})
		}
		if !slices.Equal(got, c.want) {
			resp.Error = fmt.Errorf("the plan changes the definition at %v, want only %v\nbefore: %s\nafter:  %s", got, c.want, before, after)
		}
		return
	}
	resp.Error = fmt.Errorf("no planned change of %s", formulaAddr)
}

// jsonDiffPaths lists the paths at which two decoded JSON values differ:
// objects key by key, lists of the same length item by item (items are
// named by their "name" or "key" when they have one), as Terraform's plan
// renderer shows them.
func jsonDiffPaths(a, b any, at string) []string {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		var out []string
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		for k := range keys {
			out = append(out, jsonDiffPaths(am[k], bm[k], strings.TrimPrefix(at+"."+k, "."))...)
		}
		sort.Strings(out)
		return out
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok && len(al) == len(bl) {
		var out []string
		for i := range al {
			name := fmt.Sprint(i)
			if m, ok := al[i].(map[string]any); ok {
				if n, ok := m["name"].(string); ok {
					name = fmt.Sprintf("%q", n)
				} else if n, ok := m["key"].(string); ok {
					name = fmt.Sprintf("%q", n)
				}
			}
			out = append(out, jsonDiffPaths(al[i], bl[i], fmt.Sprintf("%s[%s]", at, name))...)
		}
		return out
	}
	if fmt.Sprint(a) == fmt.Sprint(b) {
		return nil
	}
	return []string{at}
}

// editAlert changes the "alert" step's script in the mock, as the console
// would.
func editAlert(t *testing.T, mock *testMock, body string) {
	t.Helper()
	for _, f := range mockFormulas(t, mock) {
		mock.MutateFormula(int64Of(f["id"]), func(b map[string]any) {
			for _, st := range b["steps"].([]any) {
				if s := st.(map[string]any); s["name"] == "alert" {
					s["properties"].(map[string]any)["body"] = body
				}
			}
		})
	}
}

// After a console edit of one step, and for a change of one step in the
// configuration, the plan changes that step only: no server field, steps in
// the configuration's order, whether the definition was written by hand,
// taken from a doctor export, or from GET /formulas/{id} with its server
// fields.
func TestAccFormulaResource_readablePlans(t *testing.T) {
	for name, def := range map[string]string{"by hand": plansHandWritten, "doctor export": plansDoctorExport, "GET body": plansGetBody} {
		t.Run(name, func(t *testing.T) {
			mock := newTestMock(t, mockapi.Options{})
			config := func(d string) string {
				return mock.ProviderConfig() + formulaHCL{Name: "readable", Definition: d}.String()
			}
			alert := `steps["alert"].properties.body`
			changed := strings.Replace(def, "done({n: 1});", "done({n: 2});", 1)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             checkNoFormulas(t, mock),
				Steps: []resource.TestStep{
					{Config: config(def)},
					{
						PreConfig: func() { editAlert(t, mock, "done({n: 99});") },
						Config:    config(def),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionUpdate),
							definitionDiff{want: []string{alert}},
						}},
					},
					{
						Config: config(changed),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							definitionDiff{want: []string{alert}},
						}},
					},
				},
			})
		})
	}
}

// After an import of a formula whose configuration is a GET /formulas/{id}
// body (server fields and all), the import plans no change. The first change
// of one step also shows, this once, the server fields the imported state
// lacks (the CLI never shows the provider the configuration when it
// imports), with a warning saying so; after that apply, a console edit of
// one step and a change of one step plan that step only.
func TestAccFormulaResource_readablePlansAfterImport(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	body, err := formuladef.Parse(plansHandWritten)
	if err != nil {
		t.Fatal(err)
	}
	body["name"] = "made in the console"
	created, _ := mockJSON(t, mock, "POST", "/formulas", body).(map[string]any)
	id := fmt.Sprint(created["id"])
	_, raw := mockDo(t, mock, "GET", "/formulas/"+id, nil)
	getBody := string(raw)
	config := func(d string) string {
		return mock.ProviderConfig() + fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", formulaAddr, id) +
			formulaHCL{Name: fmt.Sprint(created["name"]), Definition: d}.String()
	}
	alert := `steps["alert"].properties.body`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoFormulas(t, mock),
		Steps: []resource.TestStep{
			{
				Config: config(getBody),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionNoop),
				}},
			},
			{
				Config: config(strings.Replace(getBody, "done({n: 1});", "done({n: 2});", 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					definitionDiff{want: []string{alert}, ignored: true},
				}},
			},
			{
				PreConfig: func() { editAlert(t, mock, "done({n: 99});") },
				Config:    config(strings.Replace(getBody, "done({n: 1});", "done({n: 2});", 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					definitionDiff{want: []string{alert}},
				}},
			},
			{
				Config: config(strings.Replace(getBody, "done({n: 1});", "done({n: 3});", 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					definitionDiff{want: []string{alert}},
				}},
			},
		},
	})
}
