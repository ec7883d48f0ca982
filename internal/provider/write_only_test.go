// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// stateHolds fails when any of the values appears anywhere in state.
type stateHolds struct{ values []string }

func (c stateHolds) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	raw, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	for _, v := range c.values {
		if strings.Contains(string(raw), v) {
			resp.Error = fmt.Errorf("state holds the write-only value %q", v)
			return
		}
	}
}

// Write-only credentials reach the API on create and whenever their version
// changes, and never the plan or state: a new provider_data_wo_version
// re-authenticates with the write-only code; a new
// sensitive_configuration_wo_version or signature_key_wo_version sends
// those values again with a PATCH.
func TestAccInstanceResource_writeOnly(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	config := func(code, secret, sig string, version int) string {
		return testAccInstanceConfig(mock, instanceHCL{
			Element: "campaignmonitor", Name: "Write-only",
			Config: map[string]string{"oauth.callback.url": "https://app.example.com/cb", "oauth.api.key": "client-id"},
			Events: fmt.Sprintf("    callback_url = \"https://app.example.com/events\"\n    signature_key_wo = %q\n    signature_key_wo_version = %d", sig, version),
			Extra: fmt.Sprintf("  provider_data_wo = { code = %q }\n  provider_data_wo_version = %d\n"+
				"  sensitive_configuration_wo = { \"oauth.api.secret\" = %q }\n  sensitive_configuration_wo_version = %d",
				code, version, secret, version),
		})
	}
	secrets := []string{"wo-code-1", "wo-code-2", "wo-secret-1", "wo-secret-2", "wo-sig-1", "wo-sig-2"}
	var token string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config: config("wo-code-1", "wo-secret-1", "wo-sig-1", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					stateHolds{secrets},
					statecheck.ExpectKnownValue(testAddr, at("provider_data_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(testAddr, at("sensitive_configuration_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(testAddr, ev("signature_key_wo"), knownvalue.Null()),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.ProviderData["code"] != "wo-code-1" {
							return fmt.Errorf("providerData.code = %q", in.ProviderData["code"])
						}
						return wantConfig(in.Configuration, map[string]string{
							"oauth.api.secret": "wo-secret-1", "event.notification.signature.key": "wo-sig-1",
						})
					}),
					captureAttr("token", &token),
				},
			},
			{ // New values without a new version: nothing is sent, the plan is empty.
				Config: config("wo-code-2", "wo-secret-2", "wo-sig-2", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{ // A new version sends them: re-authentication with the new code (GET + PUT),
				// the new secret and signature key with it.
				PreConfig: mock.ResetRequests,
				Config:    config("wo-code-2", "wo-secret-2", "wo-sig-2", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(testAddr, at("token")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateHolds{secrets},
					expectSameAttr("token", &token, false),
					expectRequestCount(mock, "PUT", "/instances/{id}", 1),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.ProviderData["code"] != "wo-code-2" {
							return fmt.Errorf("providerData.code = %q, want the new write-only code", in.ProviderData["code"])
						}
						return wantConfig(in.Configuration, map[string]string{
							"oauth.api.secret": "wo-secret-2", "event.notification.signature.key": "wo-sig-2",
						})
					}),
				},
			},
		},
	})
}
