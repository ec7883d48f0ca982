// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// apiKeyFormula feeds a value variable, an API key, to an httpRequest step.
const apiKeyFormula = `{"configuration": [{"key": "crm", "name": "crm", "type": "elementInstance"}, {"key": "apiKey", "name": "apiKey", "type": "value"}],
  "triggers": [{"type": "manual", "onSuccess": ["call"]}],
  "steps": [{"name": "call", "type": "httpRequest", "properties": {"method": "GET", "url": "https://api.example.com/v1/deals",
    "headers": {"x-api-key": "${config.apiKey}"}}}]}`

func apiKeyInstanceConfig(mock *testMock, name, body string) string {
	return mock.ProviderConfig() + formulaHCL{Name: "call-api", Definition: apiKeyFormula}.String() +
		fmt.Sprintf("resource \"cloudelements_formula_instance\" \"test\" {\n  formula_id = cloudelements_formula.test.id\n  name = %q\n%s}\n", name, body)
}

// expectMockVariable checks the value the mock's formula instance holds for
// a variable ("<absent>" for none).
func expectMockVariable(t *testing.T, mock *testMock, key, want string) statecheck.StateCheck {
	return expectMockFormulaInstance(t, mock, func(in map[string]any) error {
		cfg, _ := in["configuration"].(map[string]any)
		got, ok := cfg[key].(string)
		if !ok {
			got = "<absent>"
		}
		if got != want {
			return fmt.Errorf("the formula instance holds %s = %q, want %q", key, got, want)
		}
		return nil
	})
}

func formulaInstanceImportID(s *terraform.State) (string, error) {
	r := s.RootModule().Resources[formulaInstanceAddr]
	if r == nil {
		return "", fmt.Errorf("no %s in state", formulaInstanceAddr)
	}
	return r.Primary.Attributes["formula_id"] + "/" + r.Primary.Attributes["id"], nil
}

// A secret variable value goes in sensitive_configuration: sent merged into
// configuration, hidden from plans, restored after a console change; the
// plain configuration does not show it.
func TestAccFormulaInstance_sensitiveConfiguration(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	config := apiKeyInstanceConfig(mock, "call api", `  configuration           = { crm = "1234" }
  sensitive_configuration = { apiKey = "key-one" }
`)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoFormulas(t, mock),
		Steps: []tfresource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					expectMockVariable(t, mock, "apiKey", "key-one"),
					expectMockVariable(t, mock, "crm", "1234"),
					statecheck.ExpectKnownValue(formulaInstanceAddr, at("configuration"), knownvalue.MapExact(map[string]knownvalue.Check{
						"crm": knownvalue.StringExact("1234"),
					})),
					statecheck.ExpectSensitiveValue(formulaInstanceAddr, at("sensitive_configuration")),
				},
			},
			{
				PreConfig: func() {
					for _, fi := range mockFormulaInstances(t, mock) {
						mock.MutateFormulaInstance(fi.formulaID, fi.id, func(b map[string]any) {
							b["configuration"].(map[string]any)["apiKey"] = "changed-in-console"
						})
					}
				},
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(formulaInstanceAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectMockVariable(t, mock, "apiKey", "key-one")},
			},
			{
				ResourceName:                         formulaInstanceAddr,
				ImportState:                          true,
				ImportStateIdFunc:                    formulaInstanceImportID,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
				// An import leaves secret-named variables out (a warning
				// names them): the instance keeps them.
				ImportStateVerifyIgnore: []string{"sensitive_configuration"},
			},
		},
	})
}

// sensitive_configuration_wo reaches the API on create, with every update
// (a PUT replaces the whole configuration) and with new values when its
// version changes; never the plan or state, and no plan shows it as drift.
func TestAccFormulaInstance_writeOnlyConfiguration(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	config := func(name, key string, version int) string {
		return apiKeyInstanceConfig(mock, name, fmt.Sprintf(`  configuration = { crm = "1234" }
  sensitive_configuration_wo         = { apiKey = %q }
  sensitive_configuration_wo_version = %d
`, key, version))
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             checkNoFormulas(t, mock),
		Steps: []tfresource.TestStep{
			{
				Config: config("call api", "wo-key-1", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					stateHolds{[]string{"wo-key-1"}},
					expectMockVariable(t, mock, "apiKey", "wo-key-1"),
				},
			},
			{
				// A new value alone plans nothing: the version says when to send it.
				Config:   config("call api", "wo-key-2", 1),
				PlanOnly: true,
			},
			{
				// Another change sends the values again, so the key stays.
				Config: config("call the api", "wo-key-1", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					expectMockVariable(t, mock, "apiKey", "wo-key-1"),
				},
			},
			{
				Config: config("call the api", "wo-key-2", 2),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(formulaInstanceAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					stateHolds{[]string{"wo-key-1", "wo-key-2"}},
					expectMockVariable(t, mock, "apiKey", "wo-key-2"),
				},
			},
			{
				ResourceName:                         formulaInstanceAddr,
				ImportState:                          true,
				ImportStateIdFunc:                    formulaInstanceImportID,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
				ImportStateVerifyIgnore:              []string{"sensitive_configuration_wo_version"},
			},
		},
	})
}

// An imported instance's secret-named variables are left out of the state,
// and an update sends back what the instance holds for them: the PUT
// replaces the whole configuration, so leaving them out would wipe them.
func TestAccFormulaInstance_importKeepsUnmanagedSecrets(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	var formulaID, id string
	{ // made in the console
		f, _ := mockJSON(t, mock, "POST", "/formulas", map[string]any{"name": "call-api", "configuration": []any{
			map[string]any{"key": "crm", "name": "crm", "type": "elementInstance"}, map[string]any{"key": "apiKey", "name": "apiKey", "type": "value"},
		}}).(map[string]any)
		formulaID = fmt.Sprint(f["id"])
		in, _ := mockJSON(t, mock, "POST", "/formulas/"+formulaID+"/instances", map[string]any{
			"name": "console made", "configuration": map[string]any{"crm": "1234", "apiKey": "console-key"},
		}).(map[string]any)
		id = fmt.Sprint(in["id"])
	}
	config := func(name string) string {
		return mock.ProviderConfig() + fmt.Sprintf(`
import {
  to = cloudelements_formula_instance.test
  id = "%s/%s"
}
resource "cloudelements_formula_instance" "test" {
  formula_id    = %q
  name          = %q
  configuration = { crm = "1234" }
}
`, formulaID, id, formulaID, name)
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		// The formula was made outside Terraform and stays; the instance goes.
		CheckDestroy: func(*terraform.State) error {
			if n := len(mockFormulaInstances(t, mock)); n != 0 {
				return fmt.Errorf("%d formula instances left after destroy", n)
			}
			return nil
		},
		Steps: []tfresource.TestStep{
			{
				Config: config("console made"),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(formulaInstanceAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{stateHolds{[]string{"console-key"}}},
			},
			{
				Config: config("renamed"),
				ConfigStateChecks: []statecheck.StateCheck{
					stateHolds{[]string{"console-key"}},
					expectMockVariable(t, mock, "apiKey", "console-key"),
				},
			},
		},
	})
}

// A create whose answer is lost is adopted, not made twice: the one
// instance of the same formula, name and values created in the last
// minutes.
func TestAccFormulaInstance_lostCreateAdopted(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	config := apiKeyInstanceConfig(mock, "call api", `  configuration = { crm = "1234" }
`)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoFormulas(t, mock),
		Steps: []tfresource.TestStep{
			{
				PreConfig: func() {
					mock.InjectFault(mockapi.Fault{Method: "POST", Route: "/formulas/{id}/instances", Mode: mockapi.FaultCommitThenDrop})
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					expectRequestCount(mock, "POST", "/formulas/{id}/instances", 1),
					requestCheck(func() error {
						if n := len(mockFormulaInstances(t, mock)); n != 1 {
							return fmt.Errorf("the mock holds %d formula instances, want the one adopted", n)
						}
						return nil
					}),
				},
			},
			{
				ResourceName:                         formulaInstanceAddr,
				ImportState:                          true,
				ImportStateIdFunc:                    formulaInstanceImportID,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
			},
		},
	})
}

type mockFormulaInstanceRef struct{ formulaID, id int64 }

// mockFormulaInstances lists every formula instance the mock holds.
func mockFormulaInstances(t *testing.T, mock *testMock) []mockFormulaInstanceRef {
	t.Helper()
	list, _ := mockJSON(t, mock, "GET", "/formulas/instances", nil).([]any)
	var out []mockFormulaInstanceRef
	for _, e := range list {
		m, _ := e.(map[string]any)
		f, _ := m["formula"].(map[string]any)
		out = append(out, mockFormulaInstanceRef{int64Of(f["id"]), int64Of(m["id"])})
	}
	return out
}

// A plain configuration key whose name says it is a secret is a warning
// naming sensitive_configuration; a key set twice is an error.
func TestFormulaInstanceValidateConfig_secretKeys(t *testing.T) {
	ctx := context.Background()
	r := NewFormulaInstanceResource().(resource.ResourceWithValidateConfig)
	var sr resource.SchemaResponse
	r.(resource.Resource).Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	str := func(m map[string]string) tftypes.Value {
		vals := map[string]tftypes.Value{}
		for k, v := range m {
			vals[k] = tftypes.NewValue(tftypes.String, v)
		}
		return tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, vals)
	}
	for name, tc := range map[string]struct {
		plain, secret map[string]string
		want          string
	}{
		"secret-named plain key": {plain: map[string]string{"apiKey": "k", "crm": "1"}, want: "warning: Secret in Plain Configuration"},
		"set twice":              {plain: map[string]string{"crm": "1"}, secret: map[string]string{"crm": "1"}, want: "error: Configuration Key Set Twice"},
		"in its place":           {plain: map[string]string{"crm": "1"}, secret: map[string]string{"apiKey": "k"}},
	} {
		vals := map[string]tftypes.Value{}
		for attr, at := range typ.AttributeTypes {
			vals[attr] = tftypes.NewValue(at, nil)
		}
		vals["configuration"] = str(tc.plain)
		if tc.secret != nil {
			vals["sensitive_configuration"] = str(tc.secret)
		}
		var resp resource.ValidateConfigResponse
		r.ValidateConfig(ctx, resource.ValidateConfigRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, vals)}}, &resp)
		if got := oneDiag(resp.Diagnostics); got != tc.want {
			t.Errorf("%s: %q, want %q (%v)", name, got, tc.want, resp.Diagnostics)
		}
		if tc.want != "" && !strings.Contains(resp.Diagnostics[0].Detail(), "sensitive_configuration") {
			t.Errorf("%s: the detail does not name sensitive_configuration: %s", name, resp.Diagnostics[0].Detail())
		}
	}
}
