// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

const emptyAccount = "0 custom elements, 0 instances, 0 common resources, 0 transformations, 0 formulas, 0 formula instances"

// oneOfEach is an account holding what the module manages, once.
const oneOfEach = "1 custom elements, 1 instances, 1 common resources, 1 transformations, 1 formulas, 1 formula instances"

// TestAccPromotion_twoAccounts runs the guide "Promote assets from staging
// to production": one module applied to two accounts (two mocks) through
// two provider configurations. Both converge with their own ids, the next
// plan is empty, one change to the module reaches both, and destroy leaves
// both empty.
func TestAccPromotion_twoAccounts(t *testing.T) {
	t.Parallel()
	cli := newLaunchedCLIRunner(t)
	staging, production := newTestMock(t, mockapi.Options{}), newTestMock(t, mockapi.Options{})
	// Production already holds other assets, so its ids are not staging's.
	other, _ := mockJSON(t, production, "POST", "/formulas", map[string]any{"name": "older"}).(map[string]any)
	copyDir(t, crmSyncModule, filepath.Join(cli.dir, "modules", "crm-sync"))
	cli.write(twoAccounts(staging, production, "staging", "production") + `
output "staging" { value = module.staging.formula_id }
output "production" { value = module.production.formula_id }
`)
	cli.run(cli.installModules()...)
	cli.run("apply", "-auto-approve", "-input=false")
	mockJSON(t, production, "DELETE", fmt.Sprintf("/formulas/%v", other["id"]), nil)
	for env, mock := range map[string]*testMock{"staging": staging, "production": production} {
		if got := accountCounts(t, mock); got != oneOfEach {
			t.Errorf("%s holds %s, want %s", env, got, oneOfEach)
		}
		if fi := mockFormulaInstances(t, mock); len(fi) == 1 {
			st, _ := mockJSON(t, mock, "GET", fmt.Sprintf("/formulas/%d/instances/%d", fi[0].formulaID, fi[0].id), nil).(map[string]any)
			cfg, _ := st["configuration"].(map[string]any)
			if cfg["apiKey"] != env+"-api-key" || fmt.Sprint(cfg["crm"]) != fmt.Sprint(mock.Instances()[0].ID) {
				t.Errorf("%s: the formula instance holds %v, want its own API key and CRM instance", env, cfg)
			}
		}
	}
	if s, p := cli.run("output", "-raw", "staging"), cli.run("output", "-raw", "production"); s == p {
		t.Errorf("both accounts' formulas have id %s: each account assigns its own", s)
	}
	if out, err := cli.try("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Errorf("the plan after apply is not empty (%v):\n%s", err, out)
	}

	// One change to the module reaches both accounts.
	formula := filepath.Join(cli.dir, "modules", "crm-sync", "formulas", "crm-sync.json")
	writeFile(t, formula, strings.Replace(readFile(t, formula), "https://receiver.example.com/contacts", "https://receiver.example.com/v2/contacts", 1))
	if out := cli.run("apply", "-auto-approve", "-input=false"); !strings.Contains(out, "0 added, 2 changed, 0 destroyed") {
		t.Errorf("want the formula updated in both accounts:\n%s", out)
	}
	for env, mock := range map[string]*testMock{"staging": staging, "production": production} {
		if f := mockFormulas(t, mock); len(f) != 1 || !strings.Contains(fmt.Sprint(f[0]["steps"]), "/v2/contacts") {
			t.Errorf("%s: the change did not reach the formula: %v", env, f)
		}
	}
	if out, err := cli.try("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Errorf("the plan after the change is not empty (%v):\n%s", err, out)
	}

	cli.run("destroy", "-auto-approve", "-input=false")
	for env, mock := range map[string]*testMock{"staging": staging, "production": production} {
		if got := accountCounts(t, mock); got != emptyAccount {
			t.Errorf("%s holds %s after destroy", env, got)
		}
	}
}

// queryIdentities runs terraform query -json and returns each result's
// identity by list address, for Terraform 1.14 and later.
func queryIdentities(t *testing.T, cli *cliRunner) map[string][]map[string]string {
	t.Helper()
	out := map[string][]map[string]string{}
	for _, line := range strings.Split(cli.run("query", "-json"), "\n") {
		var msg struct {
			Type         string `json:"type"`
			ListResource struct {
				Address  string            `json:"address"`
				Identity map[string]string `json:"identity"`
			} `json:"list_resource_found"`
		}
		if json.Unmarshal([]byte(line), &msg) == nil && msg.Type == "list_resource_found" {
			out[msg.ListResource.Address] = append(out[msg.ListResource.Address], msg.ListResource.Identity)
		}
	}
	return out
}

// TestAccPromotion_adoptThenPromote adopts a staging account built by API
// calls (as the console or doctor built it) into the module, finding its
// ids with terraform query on Terraform 1.14 (from the API on the other
// CLIs, as the resource pages say), then applies the same module to an
// empty production account.
func TestAccPromotion_adoptThenPromote(t *testing.T) {
	t.Parallel()
	cli := newLaunchedCLIRunner(t)
	staging, production := newTestMock(t, mockapi.Options{}), newTestMock(t, mockapi.Options{})
	seeded := seedCRMSync(t, staging)
	copyDir(t, crmSyncModule, filepath.Join(cli.dir, "modules", "crm-sync"))
	cli.write(twoAccounts(staging, production, "staging"))
	cli.run(cli.installModules()...)

	ids := map[string]string{ // module address -> import id, from the API
		"cloudelements_element.connector":       "crmsync",
		"cloudelements_instance.crm":            seeded.instanceID,
		"cloudelements_common_resource.contact": "crmSyncContact",
		"cloudelements_transformation.contact":  "crmsync/crmSyncContact",
		"cloudelements_formula.sync":            seeded.formulaID,
		"cloudelements_formula_instance.sync":   seeded.formulaID + "/" + seeded.formulaInstanceID,
	}
	if queryable(t, cli.cli) {
		writeFile(t, filepath.Join(cli.dir, "find.tfquery.hcl"), `
list "cloudelements_element" "connector" {
  provider = cloudelements.staging
}
list "cloudelements_instance" "crm" {
  provider = cloudelements.staging
  config {
    element_key = "crmsync"
  }
}
list "cloudelements_common_resource" "contact" {
  provider = cloudelements.staging
}
list "cloudelements_transformation" "contact" {
  provider = cloudelements.staging
  config {
    object_name = "crmSyncContact"
  }
}
list "cloudelements_formula" "sync" {
  provider = cloudelements.staging
  config {
    name_contains = "crm-sync"
  }
}
list "cloudelements_formula_instance" "sync" {
  provider = cloudelements.staging
}
`)
		found := queryIdentities(t, cli)
		one := func(addr string) map[string]string {
			if len(found[addr]) != 1 {
				t.Fatalf("terraform query found %v for %s, want one", found[addr], addr)
			}
			return found[addr][0]
		}
		ids = map[string]string{
			"cloudelements_element.connector":       one("list.cloudelements_element.connector")["key"],
			"cloudelements_instance.crm":            one("list.cloudelements_instance.crm")["id"],
			"cloudelements_common_resource.contact": one("list.cloudelements_common_resource.contact")["name"],
			"cloudelements_transformation.contact": one("list.cloudelements_transformation.contact")["element_key"] + "/" +
				one("list.cloudelements_transformation.contact")["object_name"],
			"cloudelements_formula.sync": one("list.cloudelements_formula.sync")["id"],
			"cloudelements_formula_instance.sync": one("list.cloudelements_formula_instance.sync")["formula_id"] + "/" +
				one("list.cloudelements_formula_instance.sync")["id"],
		}
		if ids["cloudelements_formula.sync"] != seeded.formulaID || ids["cloudelements_instance.crm"] != seeded.instanceID {
			t.Errorf("terraform query found %v, the account holds %+v", ids, seeded)
		}
	}
	var imports strings.Builder
	for addr, id := range ids {
		fmt.Fprintf(&imports, "import {\n  to = module.staging.%s\n  id = %q\n}\n", addr, id)
	}
	writeFile(t, filepath.Join(cli.dir, "imports.tf"), imports.String())

	// Everything imports; the only changes are the two secrets, which an
	// import cannot read: the apply writes them, and nothing else.
	plan := cli.run("plan", "-input=false")
	if !strings.Contains(plan, "Plan: 6 to import, 0 to add, 2 to change, 0 to destroy.") {
		t.Errorf("want an adoption that imports everything and writes the two secrets:\n%s", plan)
	}
	if strings.Contains(plan, "staging-crm-password") || strings.Contains(plan, "staging-api-key") {
		t.Error("the plan shows a secret")
	}
	staging.ResetRequests()
	cli.run("apply", "-auto-approve", "-input=false")
	var writes []string
	for _, r := range staging.Requests() {
		if r.Method != "GET" {
			writes = append(writes, r.Method+" "+r.Route)
		}
	}
	if want := "PATCH /instances/{id},PUT /formulas/{id}/instances/{instanceId}"; strings.Join(writes, ",") != want {
		t.Errorf("the adoption wrote %v, want %s", writes, want)
	}
	if out, err := cli.try("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Errorf("the plan after adopting is not empty (%v):\n%s", err, out)
	}

	// Then the same module to the empty production account.
	if err := os.Remove(filepath.Join(cli.dir, "imports.tf")); err != nil {
		t.Fatal(err)
	}
	cli.write(twoAccounts(staging, production, "staging", "production"))
	cli.run(cli.installModules()...)
	if out := cli.run("apply", "-auto-approve", "-input=false"); !strings.Contains(out, "6 added, 0 changed, 0 destroyed") {
		t.Errorf("want production created:\n%s", out)
	}
	if got := accountCounts(t, production); got != oneOfEach {
		t.Errorf("production holds %s, want %s", got, oneOfEach)
	}
	if out, err := cli.try("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Errorf("the plan after promoting is not empty (%v):\n%s", err, out)
	}
	cli.run("destroy", "-auto-approve", "-input=false")
	for env, mock := range map[string]*testMock{"staging": staging, "production": production} {
		if got := accountCounts(t, mock); got != emptyAccount {
			t.Errorf("%s holds %s after destroy", env, got)
		}
	}
}

// queryable reports whether the CLI has terraform query (Terraform 1.14
// and later; OpenTofu has none).
func queryable(t *testing.T, cli string) bool {
	t.Helper()
	skipped := true
	t.Run("query", func(t *testing.T) {
		skipUnlessQuery(t, cli)
		skipped = false
	})
	return !skipped
}
