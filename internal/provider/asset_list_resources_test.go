// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// seedMore adds, beside seedCRMSync's, a second formula with an instance on
// another element instance, and a second element's transformation: enough
// for every filter to keep some and leave others.
func seedMore(t *testing.T, mock *testMock) (formulaID, formulaInstanceID string) {
	t.Helper()
	in, _ := mockJSON(t, mock, "POST", "/instances", map[string]any{"element": map[string]any{"key": "fake"}, "name": "other crm"}).(map[string]any)
	elementInstanceID := fmt.Sprint(in["id"])
	f, _ := mockJSON(t, mock, "POST", "/formulas", map[string]any{"name": "nightly", "configuration": []any{
		map[string]any{"key": "crm", "name": "crm", "type": "elementInstance"}}}).(map[string]any)
	formulaID = fmt.Sprint(f["id"])
	fi, _ := mockJSON(t, mock, "POST", "/formulas/"+formulaID+"/instances", map[string]any{
		"name": "nightly run", "configuration": map[string]any{"crm": elementInstanceID}}).(map[string]any)
	formulaInstanceID = fmt.Sprint(fi["id"])
	postToMock(t, mock, "/organizations/elements/sfdc/transformations/crmSyncContact",
		`{"vendorName": "Contact", "fields": [{"path": "id", "vendorPath": "Id"}]}`)
	postToMock(t, mock, "/organizations/objects/crmSyncDeal/definitions", `{"fields": [{"path": "id", "type": "string"}]}`)
	return formulaID, formulaInstanceID
}

func queryTest(t *testing.T, mock *testMock, lists string, checks ...querycheck.QueryResultCheck) {
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Query: true, Config: mock.ProviderConfig() + lists, QueryResultChecks: checks}},
	})
}

func TestAccFormulaInstanceList_query(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	a := seedCRMSync(t, mock)
	formulaID, otherID := seedMore(t, mock)
	identity := func(formula, id string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"formula_id": knownvalue.StringExact(formula), "id": knownvalue.StringExact(id)}
	}
	queryTest(t, mock, fmt.Sprintf(`
list "cloudelements_formula_instance" "all" {
  provider = cloudelements
}

list "cloudelements_formula_instance" "nightly" {
  provider = cloudelements
  config {
    formula_id = %q
  }
}

list "cloudelements_formula_instance" "on_crm" {
  provider = cloudelements
  config {
    element_instance_id = %q
  }
}
`, formulaID, a.instanceID),
		querycheck.ExpectLength("cloudelements_formula_instance.all", 2),
		querycheck.ExpectIdentity("cloudelements_formula_instance.all", identity(a.formulaID, a.formulaInstanceID)),
		querycheck.ExpectIdentity("cloudelements_formula_instance.all", identity(formulaID, otherID)),
		querycheck.ExpectResourceDisplayName("cloudelements_formula_instance.all",
			queryfilter.ByResourceIdentity(identity(formulaID, otherID)), knownvalue.StringExact("nightly run")),
		querycheck.ExpectLength("cloudelements_formula_instance.nightly", 1),
		querycheck.ExpectIdentity("cloudelements_formula_instance.nightly", identity(formulaID, otherID)),
		querycheck.ExpectLength("cloudelements_formula_instance.on_crm", 1),
		querycheck.ExpectIdentity("cloudelements_formula_instance.on_crm", identity(a.formulaID, a.formulaInstanceID)),
	)
}

func TestAccCommonResourceList_query(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{VDRs: mockapi.VDROptions{EmptyList: "not-found"}})
	seedCRMSync(t, mock)
	seedMore(t, mock)
	name := func(n string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"name": knownvalue.StringExact(n)}
	}
	queryTest(t, mock, `
list "cloudelements_common_resource" "all" {
  provider = cloudelements
}

list "cloudelements_common_resource" "deals" {
  provider = cloudelements
  config {
    name_contains = "Deal"
  }
}
`,
		querycheck.ExpectLength("cloudelements_common_resource.all", 2),
		querycheck.ExpectIdentity("cloudelements_common_resource.all", name("crmSyncContact")),
		querycheck.ExpectIdentity("cloudelements_common_resource.all", name("crmSyncDeal")),
		querycheck.ExpectResourceDisplayName("cloudelements_common_resource.all", queryfilter.ByResourceIdentity(name("crmSyncDeal")),
			knownvalue.StringExact("crmSyncDeal")),
		querycheck.ExpectLength("cloudelements_common_resource.deals", 1),
		querycheck.ExpectIdentity("cloudelements_common_resource.deals", name("crmSyncDeal")),
	)
}

// Under each reading of the element transformations list (a top-level
// "level" key or none).
func TestAccTransformationList_query(t *testing.T) {
	for _, level := range []string{"level", "none"} {
		t.Run(level, func(t *testing.T) {
			mock := newTestMock(t, mockapi.Options{VDRs: mockapi.VDROptions{TransformationListLevel: level}})
			seedCRMSync(t, mock)
			seedMore(t, mock)
			id := func(key, name string) map[string]knownvalue.Check {
				return map[string]knownvalue.Check{"element_key": knownvalue.StringExact(key), "object_name": knownvalue.StringExact(name)}
			}
			queryTest(t, mock, `
list "cloudelements_transformation" "all" {
  provider = cloudelements
}

list "cloudelements_transformation" "sfdc" {
  provider = cloudelements
  config {
    element_key = "sfdc"
  }
}

list "cloudelements_transformation" "contacts" {
  provider = cloudelements
  config {
    object_name = "crmSyncContact"
  }
}

list "cloudelements_transformation" "crmsync_contacts" {
  provider = cloudelements
  config {
    element_key = "crmsync"
    object_name = "crmSyncContact"
  }
}
`,
				querycheck.ExpectLength("cloudelements_transformation.all", 2),
				querycheck.ExpectIdentity("cloudelements_transformation.all", id("crmsync", "crmSyncContact")),
				querycheck.ExpectIdentity("cloudelements_transformation.all", id("sfdc", "crmSyncContact")),
				querycheck.ExpectResourceDisplayName("cloudelements_transformation.all", queryfilter.ByResourceIdentity(id("sfdc", "crmSyncContact")),
					knownvalue.StringExact("sfdc/crmSyncContact")),
				querycheck.ExpectLength("cloudelements_transformation.sfdc", 1),
				querycheck.ExpectIdentity("cloudelements_transformation.sfdc", id("sfdc", "crmSyncContact")),
				querycheck.ExpectLength("cloudelements_transformation.contacts", 2),
				querycheck.ExpectLength("cloudelements_transformation.crmsync_contacts", 1),
				querycheck.ExpectIdentity("cloudelements_transformation.crmsync_contacts", id("crmsync", "crmSyncContact")),
			)
		})
	}
}

// generateAndAdopt runs `terraform query -generate-config-out` over the
// list blocks in a configuration at mock, then plans the generated file as
// it is (want: imports, only; Terraform writes the arguments not set as
// `null`, which plan as not set), applies (no write request) and plans
// again (empty); it returns the generated configuration.
func generateAndAdopt(t *testing.T, cli *cliRunner, mock *testMock, lists string, imports int) string {
	t.Helper()
	cli.write(`
terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}
` + mock.ProviderConfig())
	writeFile(t, filepath.Join(cli.dir, "adopt.tfquery.hcl"), lists)
	cli.run("init", "-input=false")
	cli.run("query", "-generate-config-out=generated.tf")
	generated := readFile(t, filepath.Join(cli.dir, "generated.tf"))
	t.Logf("generated.tf:\n%s", generated)
	plan := cli.run("plan", "-input=false")
	if want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", imports); !strings.Contains(plan, want) {
		t.Errorf("want %q:\n%s", want, plan)
	}
	mock.ResetRequests()
	if apply := cli.run("apply", "-auto-approve", "-input=false"); !strings.Contains(apply, fmt.Sprintf("%d imported, 0 added, 0 changed, 0 destroyed", imports)) {
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
	return generated
}

// Formula instances made elsewhere are adopted: the generated blocks import
// with no change, the secret-named variable left out (the instance keeps
// it), and destroy deletes them.
func TestAccFormulaInstanceList_generateConfig(t *testing.T) {
	cli := newCLIRunner(t)
	skipUnlessQuery(t, cli.cli)
	mock := newTestMock(t, mockapi.Options{FormulaInstanceList: mockapi.FormulaInstanceListAbridged})
	seedCRMSync(t, mock)
	seedMore(t, mock)
	generated := generateAndAdopt(t, cli, mock, `
list "cloudelements_formula_instance" "all" {
  provider = cloudelements
}
`, 2)
	if strings.Contains(generated, "apiKey") || strings.Contains(generated, "staging-api-key") {
		t.Error("generated.tf holds the secret-named variable")
	}
	if !strings.Contains(generated, "sensitive_configuration") {
		t.Error("generated.tf does not show where the secret goes")
	}
	cli.run("destroy", "-auto-approve", "-input=false")
	if left := mockFormulaInstances(t, mock); len(left) != 0 {
		t.Errorf("%d formula instances left after destroy", len(left))
	}
}

// Common resources made elsewhere are adopted.
func TestAccCommonResourceList_generateConfig(t *testing.T) {
	cli := newCLIRunner(t)
	skipUnlessQuery(t, cli.cli)
	mock := newTestMock(t, mockapi.Options{})
	seedCRMSync(t, mock)
	mock.RemoveTransformation("crmsync", "crmSyncContact") // so that destroy can delete the definition
	generateAndAdopt(t, cli, mock, `
list "cloudelements_common_resource" "all" {
  provider = cloudelements
}
`, 1)
	cli.run("destroy", "-auto-approve", "-input=false")
	if left := mock.Definitions(); len(left) != 0 {
		t.Errorf("%d definitions left after destroy", len(left))
	}
}

// Transformations made elsewhere are adopted, without a configuration or
// script they do not have.
func TestAccTransformationList_generateConfig(t *testing.T) {
	cli := newCLIRunner(t)
	skipUnlessQuery(t, cli.cli)
	mock := newTestMock(t, mockapi.Options{})
	seedCRMSync(t, mock)
	seedMore(t, mock)
	generated := generateAndAdopt(t, cli, mock, `
list "cloudelements_transformation" "contacts" {
  provider = cloudelements
  config {
    object_name = "crmSyncContact"
  }
}
`, 2)
	if strings.Contains(generated, "field_types") {
		t.Error("generated.tf holds the computed field_types")
	}
	cli.run("destroy", "-auto-approve", "-input=false")
	if left := mock.Transformations(); len(left) != 0 {
		t.Errorf("%d transformations left after destroy", len(left))
	}
}
