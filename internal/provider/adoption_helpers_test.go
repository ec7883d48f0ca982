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

	"github.com/cloudelements/terraform-provider-cloudelements/internal/formuladef"
)

// crmSyncModule is the promotion guide's module.
const crmSyncModule = "../../examples/modules/crm-sync"

// crmSyncAccount is what seedCRMSync made in an account, by id.
type crmSyncAccount struct {
	instanceID, formulaID, formulaInstanceID string
}

// seedCRMSync builds in the staging account, by API calls as the console or doctor would, what
// examples/modules/crm-sync manages in an account: the connector (a custom
// element), an instance of it, the common resource and its transformation,
// the formula and its instance.
func seedCRMSync(t *testing.T, mock *testMock) crmSyncAccount {
	t.Helper()
	const env = "staging"
	var a crmSyncAccount
	var connector map[string]any
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(crmSyncModule, "elements", "crm-sync.json"))), &connector); err != nil {
		t.Fatal(err)
	}
	connector["key"], connector["name"] = "crmsync", "CRM sync connector"
	mockJSON(t, mock, "POST", "/elements", connector)
	in, _ := mockJSON(t, mock, "POST", "/instances", map[string]any{
		"element": map[string]any{"key": "crmsync"}, "name": "crm-sync (" + env + ")", "tags": []string{"crm-sync", env},
		"configuration": map[string]any{"username": "sync@" + env + ".example.com", "password": env + "-crm-password"},
	}).(map[string]any)
	a.instanceID = fmt.Sprint(in["id"])
	postToMock(t, mock, "/organizations/objects/crmSyncContact/definitions", `{"fields": [
	  {"path": "id", "type": "string"}, {"path": "email", "type": "string"}, {"path": "name", "type": "string"}, {"path": "createdAt", "type": "date"}]}`)
	postToMock(t, mock, "/organizations/elements/crmsync/transformations/crmSyncContact", `{"vendorName": "contacts", "fields": [
	  {"path": "id", "vendorPath": "id"}, {"path": "email", "vendorPath": "emails[0].email"}, {"path": "name", "vendorPath": "name"},
	  {"path": "createdAt", "vendorPath": "date_created"}]}`)
	def, err := formuladef.Parse(readFile(t, filepath.Join(crmSyncModule, "formulas", "crm-sync.json")))
	if err != nil {
		t.Fatal(err)
	}
	def["name"] = "crm-sync"
	f, _ := mockJSON(t, mock, "POST", "/formulas", def).(map[string]any)
	a.formulaID = fmt.Sprint(f["id"])
	fi, _ := mockJSON(t, mock, "POST", "/formulas/"+a.formulaID+"/instances", map[string]any{
		"name": "crm-sync (" + env + ")", "configuration": map[string]any{"crm": a.instanceID, "cron": "0 0/15 * 1/1 * ? *", "apiKey": env + "-api-key"},
	}).(map[string]any)
	a.formulaInstanceID = fmt.Sprint(fi["id"])
	return a
}

// copyDir copies a directory tree (a module, so a test can change it).
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// twoAccounts is a root configuration with one provider configuration per
// account and the module applied to each of envs.
func twoAccounts(staging, production *testMock, envs ...string) string {
	var b strings.Builder
	b.WriteString(`
terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}
`)
	for env, mock := range map[string]*testMock{"staging": staging, "production": production} {
		fmt.Fprintf(&b, "provider \"cloudelements\" {\n  alias               = %q\n  base_url            = %q\n  user_secret         = %q\n  organization_secret = %q\n}\n",
			env, mock.BaseURL, testUserSecret, testOrgSecret)
	}
	for _, env := range envs {
		fmt.Fprintf(&b, `
module %q {
  source       = "./modules/crm-sync"
  providers    = { cloudelements = cloudelements.%s }
  environment  = %q
  crm_username = "sync@%s.example.com"
  crm_password = var.%s_crm_password
  api_key      = var.%s_api_key
}
`, env, env, env, env, env, env)
	}
	for _, env := range []string{"staging", "production"} {
		fmt.Fprintf(&b, "variable \"%s_crm_password\" {\n  type      = string\n  sensitive = true\n  default   = \"%s-crm-password\"\n}\n", env, env)
		fmt.Fprintf(&b, "variable \"%s_api_key\" {\n  type      = string\n  sensitive = true\n  default   = \"%s-api-key\"\n}\n", env, env)
	}
	return b.String()
}

// accountCounts is how many of each kind of asset a mock holds.
func accountCounts(t *testing.T, mock *testMock) string {
	t.Helper()
	return fmt.Sprintf("%d custom elements, %d instances, %d common resources, %d transformations, %d formulas, %d formula instances",
		len(mock.CustomElements()), len(mock.Instances()), len(mock.Definitions()), len(mock.Transformations()), len(mockFormulas(t, mock)), len(mockFormulaInstances(t, mock)))
}
