// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

const elementAddr = "cloudelements_element.crm"

// crmElement is a small custom element as a user writes it: a base URL
// default, a required subdomain, a secret entry without its value, a hook
// and two resources (paths without the hub prefix).
const crmElement = `{
  "description": "My CRM, built in the Element Builder",
  "authentication": {"type": "custom"},
  "hub": "CRM",
  "configuration": [
    {"key": "base.url", "name": "Base URL", "type": "TEXTFIELD_1000", "defaultValue": "https://api.mycrm.example"},
    {"key": "mycrm.subdomain", "name": "Subdomain", "type": "TEXTFIELD_64", "required": true},
    {"key": "oauth.api.secret", "name": "App secret", "type": "PASSWORD"}
  ],
  "hooks": [{"type": "preRequest", "mimeType": "application/javascript", "body": "done({request_vendor_headers: {}});"}],
  "resources": [
    {"path": "/contacts", "method": "GET", "vendorPath": "/v1/contacts", "vendorMethod": "GET", "description": "List contacts",
     "parameters": [{"name": "where", "vendorName": "q", "type": "query", "vendorType": "query"}]},
    {"path": "/contacts/{id}", "method": "GET", "vendorPath": "/v1/contacts/{id}", "vendorMethod": "GET"}
  ]
}`

// elementHCL is a cloudelements_element block "crm"; extra goes inside it.
func elementHCL(definition, extra string) string {
	return fmt.Sprintf("resource \"cloudelements_element\" \"crm\" {\n  key        = \"mycrm\"\n  name       = \"My CRM\"\n  definition = %s\n%s}\n",
		hclQuote(definition), extra)
}

// checkNoCustomElements is a CheckDestroy asking the mock whether a custom
// element is left.
func checkNoCustomElements(mock *testMock) func(*terraform.State) error {
	return func(*terraform.State) error {
		if left := mock.CustomElements(); len(left) > 0 {
			return fmt.Errorf("%d custom elements left in the mock after destroy (first %q)", len(left), left[0].Key)
		}
		return nil
	}
}

// mockElement checks the one custom element the mock holds.
func mockElement(mock *testMock, check func(body map[string]any) error) statecheck.StateCheck {
	return requestCheck(func() error {
		all := mock.CustomElements()
		if len(all) != 1 {
			return fmt.Errorf("the mock holds %d custom elements, want 1", len(all))
		}
		return check(all[0].Body)
	})
}

func entries(body map[string]any, list, by string) map[string]map[string]any {
	out := map[string]map[string]any{}
	l, _ := body[list].([]any)
	for _, item := range l {
		if o, ok := item.(map[string]any); ok {
			k := fmt.Sprint(o[by])
			if by == "path" {
				k = fmt.Sprint(o["method"]) + " " + k
			}
			out[k] = o
		}
	}
	return out
}

// The lifecycle: create, an empty plan, import by key and by id, a change to
// one resource planned as an update in place, destroy.
func TestAccElementResource_lifecycle(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	changed := strings.Replace(crmElement, `"/v1/contacts/{id}"`, `"/v2/contacts/{id}"`, 1)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoCustomElements(mock),
		Steps: []resource.TestStep{
			{
				Config: mock.ProviderConfig() + elementHCL(crmElement, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(elementAddr, at("key"), knownvalue.StringExact("mycrm")),
					stateFunc(func(s *resourceState) error { id = fmt.Sprint(s.values["id"]); return nil }, elementAddr),
					mockElement(mock, func(body map[string]any) error {
						r := entries(body, "resources", "path")["GET /hubs/crm/contacts"]
						if body["name"] != "My CRM" || r == nil {
							return fmt.Errorf("mock element %v, resources %v", body["name"], entries(body, "resources", "path"))
						}
						return nil
					}),
				},
			},
			{Config: mock.ProviderConfig() + elementHCL(crmElement, ""), PlanOnly: true},
			{ResourceName: elementAddr, ImportState: true, ImportStateId: "mycrm", ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"definition"}},
			{ResourceName: elementAddr, ImportState: true, ImportStateIdFunc: func(*terraform.State) (string, error) { return id, nil },
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"definition"}},
			{
				Config: mock.ProviderConfig() + elementHCL(changed, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(elementAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					mockElement(mock, func(body map[string]any) error {
						if v := entries(body, "resources", "path")["GET /hubs/crm/contacts/{id}"]["vendorPath"]; v != "/v2/contacts/{id}" {
							return fmt.Errorf("vendorPath %v after the update", v)
						}
						return nil
					}),
				},
			},
		},
	})
}

// A definition that carries a secret default inline fails the plan, naming
// the key and sensitive_defaults; nothing is sent.
func TestAccElementResource_inlineSecretRefused(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	inline := strings.Replace(crmElement, `"type": "PASSWORD"}`, `"type": "PASSWORD", "defaultValue": "hunter2"}`, 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoCustomElements(mock),
		Steps: []resource.TestStep{{
			Config:      mock.ProviderConfig() + elementHCL(inline, ""),
			ExpectError: errorPattern(`Secret in Element Definition[\s\S]*"oauth.api.secret"[\s\S]*sensitive_defaults`),
		}},
	})
	if n := mock.RequestCount("POST", "/elements"); n != 0 {
		t.Errorf("%d creates sent", n)
	}
}

// sensitive_defaults reach the element on every write, never the plan, and
// are kept whether the API shows them, masks them or leaves them out.
func TestAccElementResource_sensitiveDefaults(t *testing.T) {
	for _, mode := range []mockapi.ElementSecretsMode{mockapi.ElementSecretsClear, mockapi.ElementSecretsMasked, mockapi.ElementSecretsOmitted} {
		t.Run(string(mode), func(t *testing.T) {
			mock := newTestMock(t, mockapi.Options{ElementSecrets: mode})
			secret := func(v string) string {
				return elementHCL(crmElement, fmt.Sprintf("  sensitive_defaults = { \"oauth.api.secret\" = %q, \"jks.password\" = \"p4ss\" }\n", v))
			}
			wantSecret := func(v string) statecheck.StateCheck {
				return mockElement(mock, func(body map[string]any) error {
					cfg := entries(body, "configuration", "key")
					if cfg["oauth.api.secret"]["defaultValue"] != v || cfg["jks.password"]["defaultValue"] != "p4ss" {
						return fmt.Errorf("secrets on the element: %v, %v", cfg["oauth.api.secret"], cfg["jks.password"])
					}
					return nil
				})
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   readingCLIs(mode == mockapi.ElementSecretsClear),
				CheckDestroy:             checkNoCustomElements(mock),
				Steps: []resource.TestStep{
					{Config: mock.ProviderConfig() + secret("s3cret"), ConfigStateChecks: []statecheck.StateCheck{wantSecret("s3cret")}},
					{Config: mock.ProviderConfig() + secret("s3cret"), PlanOnly: true},
					{
						Config: mock.ProviderConfig() + secret("rotated"),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(elementAddr, plancheck.ResourceActionUpdate),
							plancheck.ExpectSensitiveValue(elementAddr, at("sensitive_defaults")),
						}},
						ConfigStateChecks: []statecheck.StateCheck{wantSecret("rotated")},
					},
					{ResourceName: elementAddr, ImportState: true, ImportStateId: "mycrm", ImportStateVerify: true,
						ImportStateVerifyIgnore: []string{"definition", "sensitive_defaults"}},
				},
			})
		})
	}
}

// A resource, a configuration entry and a hook changed or removed in the
// console show in the plan and are restored by the apply.
func TestAccElementResource_consoleDriftRestored(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	cfg := mock.ProviderConfig() + elementHCL(crmElement, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoCustomElements(mock),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					mock.MutateCustomElement("mycrm", func(body map[string]any) {
						rs := body["resources"].([]any)
						body["resources"] = rs[:1] // one resource removed
						for _, e := range body["configuration"].([]any) {
							if e := e.(map[string]any); e["key"] == "base.url" {
								e["defaultValue"] = "https://console.example"
							}
						}
						body["hooks"] = []any{}
					})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(elementAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					mockElement(mock, func(body map[string]any) error {
						rs, hooks := entries(body, "resources", "path"), entries(body, "hooks", "type")
						base := entries(body, "configuration", "key")["base.url"]["defaultValue"]
						if len(rs) != 2 || len(hooks) != 1 || base != "https://api.mycrm.example" {
							return fmt.Errorf("not restored: %d resources, %d hooks, base.url %v", len(rs), len(hooks), base)
						}
						return nil
					}),
				},
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

// Removing a resource and a configuration entry removes them, whether PUT
// replaces the element or keeps what its body leaves out.
func TestAccElementResource_removalUnderEachPutReading(t *testing.T) {
	smaller := strings.Replace(crmElement, `,
    {"path": "/contacts/{id}", "method": "GET", "vendorPath": "/v1/contacts/{id}", "vendorMethod": "GET"}`, "", 1)
	smaller = strings.Replace(smaller, `,
    {"key": "oauth.api.secret", "name": "App secret", "type": "PASSWORD"}`, "", 1)
	for _, mode := range []mockapi.ElementPutMode{mockapi.ElementPutReplace, mockapi.ElementPutMerge} {
		t.Run(string(mode), func(t *testing.T) {
			mock := newTestMock(t, mockapi.Options{ElementPut: mode})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   readingCLIs(mode == mockapi.ElementPutReplace),
				CheckDestroy:             checkNoCustomElements(mock),
				Steps: []resource.TestStep{
					{Config: mock.ProviderConfig() + elementHCL(crmElement, "")},
					{
						Config: mock.ProviderConfig() + elementHCL(smaller, ""),
						ConfigStateChecks: []statecheck.StateCheck{
							mockElement(mock, func(body map[string]any) error {
								if rs := entries(body, "resources", "path"); len(rs) != 1 {
									return fmt.Errorf("%d resources left, want 1", len(rs))
								}
								if e := entries(body, "configuration", "key")["oauth.api.secret"]; e != nil {
									return fmt.Errorf("the removed entry is still there: %v", e)
								}
								return nil
							}),
						},
					},
					{Config: mock.ProviderConfig() + elementHCL(smaller, ""), PlanOnly: true},
				},
			})
		})
	}
}

// A create whose answer is lost is adopted by key, not made twice.
func TestAccElementResource_lostCreateAdopted(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	cfg := mock.ProviderConfig() + elementHCL(crmElement, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoCustomElements(mock),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					mock.InjectFault(mockapi.Fault{Method: "POST", Route: "/elements", Mode: mockapi.FaultCommitThenDrop})
				},
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					expectRequestCount(mock, "POST", "/elements", 1),
					mockElement(mock, func(map[string]any) error { return nil }),
				},
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

// An element whose instances Terraform does not manage cannot be deleted:
// the error names the cause, under either refusal status. Once the
// instance is gone, the destroy goes through.
func TestAccElementResource_deleteWithInstances(t *testing.T) {
	for _, status := range []int{0, 400} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			mock := newTestMock(t, mockapi.Options{ElementInUseStatus: status})
			var instancePath string
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   readingCLIs(status == 0),
				CheckDestroy:             checkNoCustomElements(mock),
				Steps: []resource.TestStep{
					{Config: mock.ProviderConfig() + elementHCL(crmElement, "")},
					{
						PreConfig: func() {
							in, _ := mockJSON(t, mock, "POST", "/instances", map[string]any{"name": "made in the console",
								"element": map[string]any{"key": "mycrm"}, "configuration": map[string]any{"mycrm.subdomain": "acme"}}).(map[string]any)
							instancePath = fmt.Sprintf("/instances/%v", in["id"])
						},
						Config:      mock.ProviderConfig(),
						ExpectError: errorPattern(`Cloud Elements Element Still Has Instances[\s\S]*element instances of it exist`),
					},
					{
						PreConfig: func() { mockJSON(t, mock, "DELETE", instancePath, nil) },
						Config:    mock.ProviderConfig(),
					},
				},
			})
		})
	}
}

// chainConfig is the whole chain in one configuration: a custom element, an
// instance of it (checked at plan against the element's planned
// configuration), a formula with an event trigger on that instance and
// its formula instance, and a transformation of a common resource for the
// custom element. callback receives the instance's events.
func chainConfig(mock *testMock, definition, instanceConfig, callback string) string {
	return mock.ProviderConfig() + elementHCL(definition, `  sensitive_defaults = { "oauth.api.secret" = "app-secret" }
`) + fmt.Sprintf(`
resource "cloudelements_instance" "crm" {
  element_key   = cloudelements_element.crm.key
  name          = "My CRM (prod)"
  configuration = %s
  event_notification {
    callback_url = %q
  }
}
`, instanceConfig, callback) + formulaHCL{Label: "sync", Name: "crm-event-sync", Definition: syncFormula}.String() + `
resource "cloudelements_formula_instance" "sync" {
  formula_id    = cloudelements_formula.sync.id
  name          = "crm events"
  configuration = { trigger_instance = cloudelements_instance.crm.id, label = "prod" }
}

resource "cloudelements_common_resource" "contact" {
  name   = "myContact"
  fields = { id = "string", email = "string" }
}

resource "cloudelements_transformation" "crm" {
  element_key = cloudelements_element.crm.key
  object_name = cloudelements_common_resource.contact.name
  vendor_name = "contacts"
  fields      = { id = "id", email = "emailAddress" }
}
`
}

// TestAccElement_wholeChain applies the chain in one apply (every CLI): an
// event sent to the instance of the custom element runs the formula in the
// mock, an empty plan follows, and destroy removes everything in reference
// order (the element last, after its instance).
func TestAccElement_wholeChain(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	receiver := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(receiver.Close)
	cfg := chainConfig(mock, crmElement, `{ "mycrm.subdomain" = "acme" }`, receiver.URL+"/events")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			for _, check := range []func(*terraform.State) error{checkNoCustomElements(mock), checkMockEmpty(mock),
				checkNoFormulas(t, mock), checkVdrsEmpty(mock)} {
				if err := check(s); err != nil {
					return err
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					stateFunc(func(s *resourceState) error {
						all := mock.Instances()
						if len(all) != 1 || all[0].ElementKey != "mycrm" || all[0].Configuration["base.url"] != "https://api.mycrm.example" {
							return fmt.Errorf("instances %+v, want one of mycrm with the element's base.url", all)
						}
						mockJSON(t, mock, "POST", fmt.Sprintf("/events/mycrm?elementInstanceId=%d", all[0].ID),
							map[string]any{"objectType": "contacts", "objectId": "42", "eventType": "UPDATED"})
						if runs := mock.FormulaExecutions(int64Of(s.values["id"])); len(runs) != 1 {
							return fmt.Errorf("the event ran the formula instance %d times, want 1", len(runs))
						}
						return nil
					}, "cloudelements_formula_instance.sync"),
					requestCheck(func() error {
						if _, ok := mock.Transformation("mycrm", "myContact"); !ok {
							return fmt.Errorf("no transformation of myContact for mycrm")
						}
						return nil
					}),
				},
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

// An instance of a custom element planned in the same configuration is
// checked at plan against the element's planned configuration: a required
// key it lacks fails the plan before the element exists.
func TestAccElement_instanceCheckedAgainstPlannedElement(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoCustomElements(mock),
		Steps: []resource.TestStep{{
			Config: mock.ProviderConfig() + elementHCL(crmElement, "") + `
resource "cloudelements_instance" "crm" {
  element_key   = cloudelements_element.crm.key
  name          = "My CRM (prod)"
  configuration = { "mycrm.region" = "eu" }
}
`,
			ExpectError: errorPattern(`Missing Required Configuration Key[\s\S]*"mycrm" requires "mycrm.subdomain"`),
		}},
	})
	if n := mock.RequestCount("POST", "/elements"); n != 0 {
		t.Errorf("the failed plan sent %d creates", n)
	}
}

// A secret default changed in the console, on an API that shows it in
// clear, plans as a (sensitive) change and is restored. (Where the API
// masks or leaves it out, the change cannot be seen: the configured value
// is kept.)
func TestAccElementResource_secretChangedInConsole(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{ElementSecrets: mockapi.ElementSecretsClear})
	cfg := mock.ProviderConfig() + elementHCL(crmElement, "  sensitive_defaults = { \"oauth.api.secret\" = \"s3cret\" }\n")
	secretIs := func(want string) statecheck.StateCheck {
		return mockElement(mock, func(body map[string]any) error {
			if got := entries(body, "configuration", "key")["oauth.api.secret"]["defaultValue"]; got != want {
				return fmt.Errorf("secret %v, want %v", got, want)
			}
			return nil
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoCustomElements(mock),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					mock.MutateCustomElement("mycrm", func(body map[string]any) {
						for _, e := range body["configuration"].([]any) {
							if e := e.(map[string]any); e["key"] == "oauth.api.secret" {
								e["defaultValue"] = "changed-in-console"
							}
						}
					})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(elementAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectSensitiveValue(elementAddr, at("sensitive_defaults")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{secretIs("s3cret")},
			},
		},
	})
}
