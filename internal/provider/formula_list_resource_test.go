// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/formuladef"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// seedFormulas creates formulas through the mock's API, as the console or
// doctor would: a pasted export (with server fields) and a small one.
func seedFormulas(t *testing.T, mock *testMock) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for name, def := range map[string]string{
		"crm-event-sync": syncFormula,
		"nightly-report": `{"singleThreaded": true, "configuration": [{"key": "cron", "name": "cron", "type": "value"}],
		  "triggers": [{"type": "scheduled", "properties": {"cron": "${config.cron}"}, "onSuccess": ["count"]}],
		  "steps": [{"name": "count", "type": "script", "properties": {"body": "done({n: 1});"}}]}`,
	} {
		body, err := formuladef.Parse(def)
		if err != nil {
			t.Fatal(err)
		}
		body["name"] = name
		f, _ := mockJSON(t, mock, "POST", "/formulas", body).(map[string]any)
		ids[name] = fmt.Sprint(f["id"])
	}
	return ids
}

func TestAccFormulaList_query(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	ids := seedFormulas(t, mock)
	byID := func(id string) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Query: true,
				Config: mock.ProviderConfig() + `
list "cloudelements_formula" "all" {
  provider = cloudelements
}

list "cloudelements_formula" "sync" {
  provider = cloudelements
  config {
    name_contains = "sync"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudelements_formula.all", 2),
					querycheck.ExpectIdentity("cloudelements_formula.all", map[string]knownvalue.Check{"id": knownvalue.StringExact(ids["crm-event-sync"])}),
					querycheck.ExpectIdentity("cloudelements_formula.all", map[string]knownvalue.Check{"id": knownvalue.StringExact(ids["nightly-report"])}),
					querycheck.ExpectResourceDisplayName("cloudelements_formula.all", byID(ids["nightly-report"]), knownvalue.StringExact("nightly-report")),
					querycheck.ExpectLength("cloudelements_formula.sync", 1),
					querycheck.ExpectIdentity("cloudelements_formula.sync", map[string]knownvalue.Check{"id": knownvalue.StringExact(ids["crm-event-sync"])}),
				},
			},
		},
	})
}

// TestAccFormulaList_generateConfig adopts formulas made elsewhere:
// `terraform query -generate-config-out` writes their blocks, with the
// definition as a JSON string, and that configuration imports them with no
// change; the apply writes nothing and the next plan is empty.
func TestAccFormulaList_generateConfig(t *testing.T) {
	cli := newCLIRunner(t)
	skipUnlessQuery(t, cli.cli)
	mock := newTestMock(t, mockapi.Options{})
	ids := seedFormulas(t, mock)
	cli.write(`
terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}
` + mock.ProviderConfig())
	writeFile(t, filepath.Join(cli.dir, "adopt.tfquery.hcl"), `
list "cloudelements_formula" "all" {
  provider = cloudelements
}
`)
	cli.run("init", "-input=false")
	out := cli.run("query", "-generate-config-out=generated.tf")
	for name, id := range ids {
		if !strings.Contains(out, "id="+id) || !strings.Contains(out, name) {
			t.Errorf("query output does not list formula %s %q:\n%s", id, name, out)
		}
	}
	generated := readFile(t, filepath.Join(cli.dir, "generated.tf"))
	t.Logf("generated.tf:\n%s", generated)
	for _, absent := range []string{"userId", "createdDate", "formulaId"} {
		if strings.Contains(generated, absent) {
			t.Errorf("generated.tf holds the server field %s", absent)
		}
	}
	if n := strings.Count(generated, `resource "cloudelements_formula"`); n != 2 {
		t.Errorf("%d formula blocks generated, want 2", n)
	}
	plan := cli.run("plan", "-input=false")
	if !strings.Contains(plan, "Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Errorf("want a plan that only imports:\n%s", plan)
	}
	mock.ResetRequests()
	apply := cli.run("apply", "-auto-approve", "-input=false")
	if !strings.Contains(apply, "2 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("want an apply that only imports:\n%s", apply)
	}
	for _, r := range mock.Requests() {
		if r.Method != "GET" {
			t.Errorf("the apply sent %s %s", r.Method, r.Path)
		}
	}
	if out, err := cli.try("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Errorf("the plan after adopting is not empty (%v):\n%s", err, out)
	}
	cli.run("destroy", "-auto-approve", "-input=false")
	if left := mockFormulas(t, mock); len(left) != 0 {
		t.Errorf("%d formulas left after destroy", len(left))
	}
}
