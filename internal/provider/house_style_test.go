// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// The house style (DESIGN.md) held to every asset resource besides the
// instance, whose own tests cover it: a timeouts block that bounds the
// create, a resource identity an import block can name, and plan-time
// reads under the read timeout.

// houseStyleCase is one resource type: its configuration with extra lines
// (a timeouts block) in the resource under test, the route its create
// POSTs to, and what destroy must leave.
type houseStyleCase struct {
	addr     string
	config   func(mock *testMock, extra string) string
	create   string // the create's route
	identity []string
	// ignore are attributes an import reads in another form (compared as
	// documents, not text).
	ignore []string
	empty  func(t *testing.T, mock *testMock) func(*terraform.State) error
}

func houseStyleCases() map[string]houseStyleCase {
	vdrsEmpty := func(_ *testing.T, mock *testMock) func(*terraform.State) error { return checkVdrsEmpty(mock) }
	contact := commonResourceHCL{Name: "styleContact", Fields: map[string]string{"email": "string"}}
	return map[string]houseStyleCase{
		"formula": {
			addr: formulaAddr,
			config: func(mock *testMock, extra string) string {
				return mock.ProviderConfig() + withExtra(formulaHCL{Name: "style", Definition: syncFormula}.String(), extra)
			},
			create: "/formulas", identity: []string{"id"}, empty: checkNoFormulas, ignore: []string{"definition"},
		},
		"formula instance": {
			addr: formulaInstanceAddr,
			config: func(mock *testMock, extra string) string {
				return formulaInstanceConfig(mock, "  name = \"style\"\n"+extra+"\n")
			},
			create: "/formulas/{id}/instances", identity: []string{"formula_id", "id"},
			empty: func(t *testing.T, mock *testMock) func(*terraform.State) error {
				return func(s *terraform.State) error {
					if err := checkNoFormulas(t, mock)(s); err != nil {
						return err
					}
					return checkMockEmpty(mock)(s)
				}
			},
		},
		"common resource": {
			addr: "cloudelements_common_resource.test",
			config: func(mock *testMock, extra string) string {
				return mock.ProviderConfig() + withExtra(contact.String(), extra)
			},
			create: definitionRoute, identity: []string{"name"}, empty: vdrsEmpty,
		},
		"transformation": {
			addr: "cloudelements_transformation.test",
			config: func(mock *testMock, extra string) string {
				return mock.ProviderConfig() + contact.String() + withExtra(transformationHCL{
					Element: "sfdc", Vendor: "Contact", Fields: map[string]string{"email": "Email"},
				}.String(), extra)
			},
			create: transformationRoute, identity: []string{"element_key", "object_name"}, empty: vdrsEmpty,
		},
		"element": {
			addr: elementAddr,
			config: func(mock *testMock, extra string) string {
				return mock.ProviderConfig() + elementHCL(crmElement, extra+"\n")
			},
			create: "/elements", identity: []string{"key"}, ignore: []string{"definition"},
			empty: func(_ *testing.T, mock *testMock) func(*terraform.State) error { return checkNoCustomElements(mock) },
		},
		"element extension": {
			addr: extensionAddr,
			config: func(mock *testMock, extra string) string {
				return mock.ProviderConfig() + withExtra(extensionHCL(`[{"method": "GET", "path": "/style", "vendorMethod": "GET", "vendorPath": "/style"}]`), extra)
			},
			create: "/elements/{keyOrId}/resources", identity: []string{"element_key"}, ignore: []string{"resources"},
			empty: func(_ *testing.T, mock *testMock) func(*terraform.State) error { return checkNoExtensions(mock) },
		},
	}
}

// withExtra puts extra lines before the closing brace of one resource block.
func withExtra(block, extra string) string {
	if extra == "" {
		return block
	}
	return block[:len(block)-2] + "\n" + extra + "\n}\n"
}

// A create the API does not answer within timeouts.create fails at that
// timeout (not the 10-minute default); the next apply creates the object.
func TestAccHouseStyle_createTimeout(t *testing.T) {
	for name, tc := range houseStyleCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := newTestMock(t, mockapi.Options{})
			config := tc.config(mock, "  timeouts {\n    create = \"2s\"\n  }")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             tc.empty(t, mock),
				Steps: []resource.TestStep{
					{
						PreConfig: func() {
							mock.InjectFault(mockapi.Fault{Method: http.MethodPost, Route: tc.create, Latency: time.Minute})
						},
						Config:      config,
						ExpectError: errorPattern(`deadline exceeded`),
					},
					{
						PreConfig: mock.ClearFaults,
						Config:    config,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(tc.addr, at("timeouts", "create"), knownvalue.StringExact("2s")),
						},
					},
					{ResourceName: tc.addr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: append([]string{"timeouts"}, tc.ignore...), ImportStateIdFunc: importID(tc),
						ImportStateVerifyIdentifierAttribute: tc.identity[len(tc.identity)-1]},
				},
			})
			if n := mock.RequestCount(http.MethodPost, tc.create); n != 2 {
				t.Errorf("%d creates sent, want 2 (the one that timed out, then one)", n)
			}
		})
	}
}

// Every resource has an identity, and an import block naming it
// (Terraform 1.12 and later) plans no change.
func TestAccHouseStyle_identityImport(t *testing.T) {
	for name, tc := range houseStyleCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := newTestMock(t, mockapi.Options{})
			identity := map[string]knownvalue.Check{}
			for _, part := range tc.identity {
				identity[part] = knownvalue.NotNull()
			}
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             tc.empty(t, mock),
				Steps: []resource.TestStep{
					{
						Config:            tc.config(mock, ""),
						ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectIdentity(tc.addr, identity)},
					},
					{
						ResourceName:    tc.addr,
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithResourceIdentity,
						ImportPlanChecks: resource.ImportPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(tc.addr, plancheck.ResourceActionNoop)},
						},
					},
				},
			})
		})
	}
}

// importID is the import id of a house-style case's resource: its identity
// parts joined by "/", as each resource's ImportState takes them.
func importID(tc houseStyleCase) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs, ok := s.RootModule().Resources[tc.addr]
		if !ok {
			return "", fmt.Errorf("%s not in state", tc.addr)
		}
		var parts []string
		for _, p := range tc.identity {
			parts = append(parts, rs.Primary.Attributes[p])
		}
		return strings.Join(parts, "/"), nil
	}
}

// The transformation's plan-time read of its common resource (one this
// configuration does not manage) runs under timeouts.read: a slow API ends
// the read at that timeout, the request dropped, not answered, and the
// plan goes on with a warning.
func TestAccTransformation_planReadUnderReadTimeout(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	postToMock(t, mock, "/organizations/objects/styleContact/definitions",
		`{"fields":[{"path":"email","type":"string"},{"path":"phone","type":"string"}]}`)
	config := func(fields map[string]string) string {
		return mock.ProviderConfig() + withExtra(transformationHCL{
			Element: "sfdc", Vendor: "Contact", Fields: fields, ObjectName: `"styleContact"`,
		}.String(), "  timeouts {\n    read = \"2s\"\n  }")
	}
	changed := config(map[string]string{"email": "Email", "phone": "Phone"})
	mark := 0
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if left := mock.Transformations(); len(left) > 0 {
				return fmt.Errorf("%d transformations left after destroy", len(left))
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: config(map[string]string{"email": "Email"})},
			{
				PreConfig: func() {
					mock.InjectFault(mockapi.Fault{Method: http.MethodGet, Route: definitionRoute, Latency: 30 * time.Second})
					mark = len(mock.Requests())
				},
				Config:             changed,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{PreConfig: mock.ClearFaults, Config: changed},
		},
	})
	var dropped, answered int
	for _, r := range ofKind(requestsSince(mock, mark), http.MethodGet, definitionRoute) {
		if r.Status == 0 {
			dropped++
		} else {
			answered++
		}
	}
	if dropped != 1 {
		t.Errorf("%d plan-time reads of the common resource were cut off by timeouts.read, want 1 (%d answered)", dropped, answered)
	}
}
