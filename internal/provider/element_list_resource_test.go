// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/elementdef"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// seedElements creates custom elements through the mock's API, as the
// Element Builder would: crmElement (with a secret default) and a pasted
// export.
func seedElements(t *testing.T, mock *testMock) {
	t.Helper()
	for key, def := range map[string]string{"mycrm": crmElement, "petstore": `{"name": "Petstore", "description": "Pets",
	  "authentication": {"type": "basic"}, "hub": "general",
	  "resources": [{"path": "/hubs/general/pets", "method": "GET", "vendorPath": "/pets", "vendorMethod": "GET", "type": "api"}]}`} {
		body, err := elementdef.RequestBody(def, key, key+" element", map[string]string{"oauth.api.secret": "s3cret"})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := elementdef.Parse(string(body))
		mockJSON(t, mock, "POST", "/elements", v)
	}
}

func TestAccElementList_query(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	seedElements(t, mock)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Query: true,
			Config: mock.ProviderConfig() + `
list "cloudelements_element" "all" {
  provider = cloudelements
}
`,
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("cloudelements_element.all", 2),
				querycheck.ExpectIdentity("cloudelements_element.all", map[string]knownvalue.Check{"key": knownvalue.StringExact("mycrm")}),
				querycheck.ExpectIdentity("cloudelements_element.all", map[string]knownvalue.Check{"key": knownvalue.StringExact("petstore")}),
				querycheck.ExpectResourceDisplayName("cloudelements_element.all",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"key": knownvalue.StringExact("petstore")}),
					knownvalue.StringExact("petstore element")),
			},
		}},
	})
}

// TestAccElementList_generateConfig adopts elements built elsewhere:
// `terraform query -generate-config-out` writes their blocks (no secret,
// no server field, no null attribute) and that configuration imports them
// with no change.
func TestAccElementList_generateConfig(t *testing.T) {
	cli := newCLIRunner(t)
	skipUnlessQuery(t, cli.cli)
	mock := newTestMock(t, mockapi.Options{})
	seedElements(t, mock)
	cli.write(`
terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}
` + mock.ProviderConfig())
	writeFile(t, filepath.Join(cli.dir, "adopt.tfquery.hcl"), `
list "cloudelements_element" "all" {
  provider = cloudelements
}
`)
	cli.run("init", "-input=false")
	cli.run("query", "-generate-config-out=generated.tf")
	generated := readFile(t, filepath.Join(cli.dir, "generated.tf"))
	t.Logf("generated.tf:\n%s", generated)
	for _, absent := range []string{"s3cret", "createdDate", "ownerAccountId", "resourceId"} {
		if strings.Contains(generated, absent) {
			t.Errorf("generated.tf holds %q", absent)
		}
	}
	// Terraform marks where a sensitive value goes (`null # sensitive`, as
	// for the instance's sensitive_configuration); nothing else is null.
	for _, line := range strings.Split(generated, "\n") {
		if strings.Contains(line, "= null") && !strings.Contains(line, "sensitive_defaults = null # sensitive") {
			t.Errorf("generated.tf holds a null: %s", line)
		}
	}
	if n := strings.Count(generated, `resource "cloudelements_element"`); n != 2 {
		t.Errorf("%d element blocks generated, want 2", n)
	}
	plan := cli.run("plan", "-input=false")
	if !strings.Contains(plan, "Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Errorf("want a plan that only imports:\n%s", plan)
	}
	mock.ResetRequests()
	cli.run("apply", "-auto-approve", "-input=false")
	for _, r := range mock.Requests() {
		if r.Method != "GET" {
			t.Errorf("the apply sent %s %s", r.Method, r.Path)
		}
	}
	if out, err := cli.try("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Errorf("the plan after adopting is not empty (%v):\n%s", err, out)
	}
	cli.run("destroy", "-auto-approve", "-input=false")
	if left := mock.CustomElements(); len(left) != 0 {
		t.Errorf("%d custom elements left after destroy", len(left))
	}
}
