// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package formuladef

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/jsonvalue"
)

// userFormula is a definition as a user writes it (the legacy use case's
// request, devportal:docs/legacy/formulas/use-cases.md#L72-138, shortened).
const userFormula = `{
  "triggers": [{"type": "event", "properties": {"elementInstanceId": "${sfdc.instance.id}"}, "onSuccess": ["filter"]}],
  "steps": [
    {"name": "filter", "type": "filter", "onSuccess": ["get"], "properties": {"body": "done(true);"}},
    {"name": "get", "type": "elementRequest", "properties": {"elementInstanceId": "${sfdc.instance.id}", "method": "GET", "api": "/hubs/crm/contacts", "retryAttempts": "5"}}
  ],
  "configuration": [{"name": "sfdc", "key": "sfdc.instance.id", "type": "elementInstance"}]
}`

// serverFormula is userFormula as the server answers it: ids everywhere,
// defaults filled, keys and steps in its own order, retryAttempts a number.
const serverFormula = `{
  "id": 190, "userId": 9723, "accountId": 9834, "createdDate": "2015-09-21T22:31:40Z",
  "name": "SFDC Contact to HubSpot", "active": true, "singleThreaded": false, "engine": "v1",
  "debugLoggingEnabled": false, "api": null,
  "steps": [
    {"onSuccess": [], "onFailure": [], "id": 724, "formulaId": 190, "name": "get", "type": "elementRequest",
     "properties": {"retryAttempts": 5, "method": "GET", "api": "/hubs/crm/contacts", "elementInstanceId": "${sfdc.instance.id}"}},
    {"onSuccess": ["get"], "onFailure": [], "id": 721, "formulaId": 190, "name": "filter", "type": "filter",
     "properties": {"body": "done(true);", "scriptEngine": "v1"}}
  ],
  "triggers": [{"id": 100, "formulaId": 190, "type": "event", "async": true, "name": "trigger", "onFailure": [],
    "onSuccess": ["filter"], "properties": {"elementInstanceId": "${sfdc.instance.id}"}}],
  "configuration": [{"id": 5, "name": "sfdc", "key": "sfdc.instance.id", "type": "elementInstance", "required": true}]
}`

func TestDefinitionsEquivalent(t *testing.T) {
	edit := func(base string, from, to string) string {
		t.Helper()
		if !strings.Contains(base, from) {
			t.Fatalf("test edit: %q not in the definition", from)
		}
		return strings.Replace(base, from, to, 1)
	}
	cases := []struct {
		name string
		a, b string
		want bool
	}{
		{"identical", userFormula, userFormula, true},
		{"the server's answer", userFormula, serverFormula, true},
		{"compact JSON", userFormula, compactJSON(t, userFormula), true},
		{"steps reordered", userFormula, `{"configuration": [{"type": "elementInstance", "key": "sfdc.instance.id", "name": "sfdc"}],
		  "steps": [{"name": "get", "type": "elementRequest", "properties": {"api": "/hubs/crm/contacts", "method": "GET", "elementInstanceId": "${sfdc.instance.id}", "retryAttempts": 5}},
		            {"properties": {"body": "done(true);"}, "onSuccess": ["get"], "type": "filter", "name": "filter"}],
		  "triggers": [{"onSuccess": ["filter"], "properties": {"elementInstanceId": "${sfdc.instance.id}"}, "type": "event"}]}`, true},
		{"name, description and active inside are arguments", userFormula,
			edit(userFormula, `"triggers"`, `"name": "x", "description": "y", "active": false, "triggers"`), true},
		{"null is absent", userFormula, edit(userFormula, `"triggers"`, `"method": null, "triggers"`), true},
		{"empty lists are none", `{"triggers": [{"type": "manual"}]}`, `{"triggers": [{"type": "manual"}], "steps": [], "configuration": []}`, true},
		{"empty properties are none", `{"steps": [{"name": "a", "type": "script"}]}`, `{"steps": [{"name": "a", "type": "script", "properties": {}}]}`, true},
		{"scriptEngine filled in alone", `{"steps": [{"name": "a", "type": "script"}]}`,
			`{"steps": [{"name": "a", "type": "script", "properties": {"scriptEngine": "v1"}}]}`, true},
		{"engine set by the user differs", `{"engine": "v3"}`, `{"engine": "v1"}`, false},
		{"singleThreaded true is no default", `{}`, `{"singleThreaded": true}`, false},
		{"trigger async false is no default", `{"triggers": [{"type": "manual"}]}`, `{"triggers": [{"type": "manual", "async": false}]}`, false},
		{"one step changed", userFormula, edit(userFormula, `"method": "GET"`, `"method": "POST"`), false},
		{"flow changed", userFormula, edit(userFormula, `"onSuccess": ["get"]`, `"onFailure": ["get"]`), false},
		{"variable renamed", userFormula, edit(userFormula, `"name": "sfdc"`, `"name": "crm"`), false},
		{"retryAttempts 5 vs 6", userFormula, edit(userFormula, `"retryAttempts": "5"`, `"retryAttempts": 6`), false},
		{"a number is not the text of another", `{"x": "5"}`, `{"x": "five"}`, false},
		{"not JSON equals only itself", `{`, `{`, true},
		{"not JSON", `{`, `{}`, false},
		{"an extra step", userFormula, edit(userFormula, `"steps": [`, `"steps": [{"name": "new", "type": "script"},`), false},
		{"an extra trigger", userFormula, edit(userFormula, `"triggers": [`, `"triggers": [{"type": "manual"},`), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Equivalent(tc.a, tc.b); got != tc.want {
				t.Errorf("Equivalent = %v, want %v", got, tc.want)
			}
			if got := Equivalent(tc.b, tc.a); got != tc.want {
				t.Errorf("Equivalent (swapped) = %v, want %v", got, tc.want)
			}
		})
	}
}

func compactJSON(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func TestFormulaRequestBody(t *testing.T) {
	desc := "synced"
	body, err := RequestBody(serverFormula, "crm-sync", &desc, false, "", false)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got["name"] != "crm-sync" || got["description"] != "synced" || got["active"] != false {
		t.Errorf("arguments not applied: %s", body)
	}
	for _, k := range serverFields {
		if _, ok := got[k]; ok {
			t.Errorf("server field %q sent: %s", k, body)
		}
	}
	for _, list := range []string{"steps", "triggers", "configuration"} {
		for _, part := range jsonvalue.Objects(got[list]) {
			if _, ok := part["id"]; ok {
				t.Errorf("%s id sent: %s", list, body)
			}
			if _, ok := part["formulaId"]; ok {
				t.Errorf("%s formulaId sent: %s", list, body)
			}
		}
	}
	// Without a description argument, the definition's is not sent.
	body, err = RequestBody(`{"description": "inner"}`, "n", nil, true, "", false)
	if err != nil || strings.Contains(string(body), "inner") {
		t.Errorf("body %s (%v): the description argument wins, also when unset", body, err)
	}
	// An update clears what the prior formula had and the new one leaves
	// out, whatever PUT does with left-out fields; server-filled fields and
	// the prior's server fields are not sent.
	body, err = RequestBody(`{"triggers": [{"type": "manual"}]}`, "n", nil, true,
		`{"id": 1, "engine": "v3", "method": "GET", "uri": "/x", "singleThreaded": true, "steps": [{"name": "a", "type": "script"}], "triggers": []}`, true)
	want := `{"active":true,"description":null,"method":null,"name":"n","singleThreaded":null,"steps":[],"triggers":[{"type":"manual"}],"uri":null}`
	if err != nil || string(body) != want {
		t.Errorf("update body %s (%v), want %s", body, err, want)
	}
}

func TestStoredDefinition(t *testing.T) {
	got, err := Stored(json.RawMessage(serverFormula))
	if err != nil {
		t.Fatal(err)
	}
	for _, absent := range []string{`"id"`, `"formulaId"`, `"userId"`, `"createdDate"`, `"async"`, `"onFailure"`, `"singleThreaded"`, `"active"`, `"SFDC Contact`} {
		if strings.Contains(got, absent) {
			t.Errorf("stored definition holds %s: %s", absent, got)
		}
	}
	if !Equivalent(got, serverFormula) || !Equivalent(got, userFormula) {
		t.Errorf("stored definition %s is not equivalent to what it came from", got)
	}
	if _, err := Stored(json.RawMessage(`[1]`)); err == nil {
		t.Error("a JSON array was stored as a definition")
	}
}

func TestCheckDefinition(t *testing.T) {
	cases := []struct {
		name, def string
		want      []string // one pattern per expected problem
	}{
		{"valid", userFormula, nil},
		{"duplicate step", `{"steps": [{"name": "a", "type": "script"}, {"name": "a", "type": "filter"}]}`, []string{`Two steps are named "a"`}},
		{"unnamed step", `{"steps": [{"type": "script"}]}`, []string{`Step 1 of the definition has no name`}},
		{"unknown step type", `{"steps": [{"name": "j", "type": "java"}]}`, []string{`Step "j" has type "java"`}},
		{"unknown trigger type", `{"triggers": [{"type": "request"}]}`, []string{`Trigger 1 has type "request"`}},
		{"trigger to a missing step", `{"triggers": [{"type": "manual", "onSuccess": ["nope"]}]}`, []string{`The "manual" trigger: onSuccess names step nope`}},
		{"step to a missing step", `{"steps": [{"name": "a", "type": "script", "onFailure": ["b"]}]}`, []string{`Step "a": onFailure names step b`}},
		{"undefined config variable", `{"steps": [{"name": "a", "type": "request", "properties": {"api": "/x/${config.missing}"}}]}`,
			[]string{`Step "a" refers to \$\{config.missing\}`}},
		{"undefined bare variable", `{"triggers": [{"type": "event", "properties": {"elementInstanceId": "${crm}"}}]}`,
			[]string{`The "event" trigger refers to \$\{crm\}`}},
		{"references that are fine", `{"configuration": [{"key": "sfdc.instance.id"}, {"key": "cron"}],
		  "triggers": [{"type": "scheduled", "properties": {"cron": "${config.cron}"}, "onSuccess": ["s1"]}],
		  "steps": [{"name": "s1", "type": "request", "onSuccess": ["s2"], "properties": {"api": "/x/${sfdc.instance.id}", "body": "${trigger.args}", "q": "${info.formulaId}"}},
		            {"name": "s2", "type": "elementRequest", "properties": {"body": "${s1.response.body}", "query": "${steps.s1.query}", "id": "${config.sfdc.instance.id}"}}]}`, nil},
		{"a script's own template literals", `{"steps": [{"name": "s", "type": "script", "properties": {"body": "const x = ` + "`${y}`" + `; done(x);"}}]}`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			def, err := Parse(tc.def)
			if err != nil {
				t.Fatal(err)
			}
			got := Check(def)
			if len(got) != len(tc.want) {
				t.Fatalf("%d problems, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				if !regexp.MustCompile(w).MatchString(got[i].Detail) {
					t.Errorf("problem %d %q does not match %q", i, got[i].Detail, w)
				}
			}
		})
	}
}

// The documented example formula passes the plan-time checks.
func TestCheckDefinition_example(t *testing.T) {
	raw, err := os.ReadFile("../../examples/resources/cloudelements_formula/formulas/crm-event-sync.json")
	if err != nil {
		t.Fatal(err)
	}
	def, err := Parse(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	if problems := Check(def); len(problems) > 0 {
		t.Errorf("the example formula has problems: %+v", problems)
	}
}
