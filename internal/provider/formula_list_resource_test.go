// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strconv"
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
	generated := generateAndAdopt(t, cli, mock, `
list "cloudelements_formula" "all" {
  provider = cloudelements
}
`, 2)
	for _, absent := range []string{"userId", "createdDate", "formulaId"} {
		if strings.Contains(generated, absent) {
			t.Errorf("generated.tf holds the server field %s", absent)
		}
	}
	if n := strings.Count(generated, `resource "cloudelements_formula"`); n != 2 {
		t.Errorf("%d formula blocks generated, want 2", n)
	}
	for name, id := range ids {
		if !strings.Contains(generated, strconv.Quote(id)) || !strings.Contains(generated, strconv.Quote(name)) {
			t.Errorf("generated.tf does not adopt formula %s %q", id, name)
		}
	}
	cli.run("destroy", "-auto-approve", "-input=false")
	if left := mockFormulas(t, mock); len(left) != 0 {
		t.Errorf("%d formulas left after destroy", len(left))
	}
}
