// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// campaignMonitor is an OAuth instance whose required keys are all set.
func campaignMonitor(code string) instanceHCL {
	return instanceHCL{
		Element: "campaignmonitor", Name: "Updates",
		ProviderData: map[string]string{"code": code},
		Config:       map[string]string{"oauth.callback.url": "https://app.example.com/cb", "oauth.api.key": "client-id"},
		Sensitive:    map[string]string{"oauth.api.secret": "client-secret"},
	}
}

// A provider_data that is wholly unknown at plan (it comes from a resource
// created in the same apply) may re-authenticate: the plan leaves token and
// valid unknown, and the apply is consistent with it.
func TestAccInstanceResource_providerDataUnknownAtPlan(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	fromElsewhere := campaignMonitor("")
	fromElsewhere.ProviderData = nil
	fromElsewhere.Extra = "  provider_data = terraform_data.code.output"
	var token string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config:            testAccInstanceConfig(mock, campaignMonitor("grant-1")),
				ConfigStateChecks: []statecheck.StateCheck{captureAttr("token", &token)},
			},
			{
				Config: testAccInstanceConfig(mock, fromElsewhere) + `
resource "terraform_data" "code" {
  input = { code = "grant-2" }
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(testAddr, at("token")),
						plancheck.ExpectUnknownValue(testAddr, at("valid")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSameAttr("token", &token, false),
					statecheck.ExpectKnownValue(testAddr, at("valid"), knownvalue.Bool(true)),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.ProviderData["code"] != "grant-2" {
							return fmt.Errorf("providerData.code = %q, want the code known only at apply", in.ProviderData["code"])
						}
						return nil
					}),
				},
			},
		},
	})
}

// A provider_data_wo_version unknown at plan may re-authenticate too.
func TestAccInstanceResource_writeOnlyVersionUnknownAtPlan(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	config := func(code, version string) string {
		in := campaignMonitor("")
		in.ProviderData = nil
		in.Extra = fmt.Sprintf("  provider_data_wo = { code = %q }\n  provider_data_wo_version = %s", code, version)
		return testAccInstanceConfig(mock, in)
	}
	var token string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config:            config("wo-code-1", "1"),
				ConfigStateChecks: []statecheck.StateCheck{captureAttr("token", &token)},
			},
			{
				Config: config("wo-code-2", "terraform_data.version.output") + `
resource "terraform_data" "version" {
  input = 2
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(testAddr, at("provider_data_wo_version")),
						plancheck.ExpectUnknownValue(testAddr, at("token")),
						plancheck.ExpectUnknownValue(testAddr, at("valid")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSameAttr("token", &token, false),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.ProviderData["code"] != "wo-code-2" {
							return fmt.Errorf("providerData.code = %q, want the new write-only code", in.ProviderData["code"])
						}
						return nil
					}),
				},
			},
		},
	})
}

// An update answer that leaves out the fields a create fixed keeps their
// known values; a credentials change plans valid unknown, so an instance
// the vendor then finds invalid is what the apply records.
func TestAccInstanceResource_updateAnswers(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	base := campaignMonitor("grant-1")
	retagged := base
	retagged.Tags = []string{"team-crm"}
	rotated := retagged
	rotated.Sensitive = map[string]string{"oauth.api.secret": "client-secret-2"}
	var created string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config:            testAccInstanceConfig(mock, base),
				ConfigStateChecks: []statecheck.StateCheck{captureAttr("created_date", &created)},
			},
			{ // A tags-only PATCH answered without elementId, valid and createdDate.
				PreConfig: func() {
					mock.InjectFault(mockapi.Fault{Method: "PATCH", Route: "/instances/{id}", Mode: mockapi.FaultSparseInstance})
				},
				Config: testAccInstanceConfig(mock, retagged),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(testAddr, at("valid"), knownvalue.Bool(true)),
						plancheck.ExpectKnownValue(testAddr, at("element_id"), knownvalue.Int64Exact(elementID(t, "campaignmonitor"))),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("element_id"), knownvalue.Int64Exact(elementID(t, "campaignmonitor"))),
					statecheck.ExpectKnownValue(testAddr, at("valid"), knownvalue.Bool(true)),
					expectSameAttr("created_date", &created, true),
					expectRequestCount(mock, "PATCH", "/instances/{id}", 1),
				},
			},
			{ // A new secret the vendor refuses: valid was unknown in the plan.
				PreConfig: func() {
					mock.InjectFault(mockapi.Fault{Method: "PATCH", Route: "/instances/{id}", Mode: mockapi.FaultInvalidates})
				},
				Config: testAccInstanceConfig(mock, rotated),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(testAddr, at("valid")),
						plancheck.ExpectKnownValue(testAddr, at("element_id"), knownvalue.Int64Exact(elementID(t, "campaignmonitor"))),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("valid"), knownvalue.Bool(false)),
				},
			},
			{ // Nothing changes: valid stays known, the plan is empty.
				Config: testAccInstanceConfig(mock, rotated),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// An instance made in the console and adopted with only the key the user
// wants to manage can be edited: the required keys it already holds are
// satisfied, and its secrets stay on it, unmanaged. Removing a required key
// Terraform set is refused at plan.
func TestAccInstanceResource_adoptedInstanceEditable(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	seeded, err := mock.SeedDocumented("sfdc", "From the console", map[string]string{
		"oauth.api.key": "console-key", "oauth.api.secret": "console-secret", "oauth.callback.url": "https://old.example.com/cb",
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	adopted := func(cfg string) string {
		return mock.ProviderConfig() + fmt.Sprintf(`
import {
  to = cloudelements_instance.test
  id = "%d"
}

resource "cloudelements_instance" "test" {
  element_key   = "sfdc"
  name          = "From the console"
  configuration = %s
}
`, seeded.ID, cfg)
	}
	secretsStay := expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
		if in.Configuration["oauth.api.secret"] != "console-secret" {
			return fmt.Errorf("oauth.api.secret is %q on the instance, want the console's, unmanaged", in.Configuration["oauth.api.secret"])
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{ // Import and change the callback URL in one apply.
				Config: adopted(`{ "oauth.callback.url" = "https://new.example.com/cb" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					secretsStay,
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						return wantConfig(in.Configuration, map[string]string{
							"oauth.callback.url": "https://new.example.com/cb", "oauth.api.key": "console-key",
						})
					}),
				},
			},
			{ // Manage the client id too.
				Config:            adopted(`{ "oauth.callback.url" = "https://new.example.com/cb", "oauth.api.key" = "new-key" }`),
				ConfigStateChecks: []statecheck.StateCheck{secretsStay},
			},
			{ // Removing it now would remove a required key from the instance.
				Config:      adopted(`{ "oauth.callback.url" = "https://new.example.com/cb" }`),
				PlanOnly:    true,
				ExpectError: errorPattern(`Missing Required Configuration Key[\s\S]*"sfdc" requires "oauth.api.key"`),
			},
		},
	})
}

// A write-only argument without its version is refused at plan: without
// it, a changed value would silently never be sent.
func TestAccInstanceResource_writeOnlyNeedsVersion(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	in := func(extra, events string) string {
		return testAccInstanceConfig(mock, instanceHCL{Element: "fake", Name: "WO", Extra: extra, Events: events})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config:      in(`  provider_data_wo = { code = "c" }`, ""),
				PlanOnly:    true,
				ExpectError: errorPattern(`provider_data_wo_version[\s\S]*must be specified when[\s\S]*provider_data_wo`),
			},
			{
				Config:      in(`  sensitive_configuration_wo = { "password" = "p" }`, ""),
				PlanOnly:    true,
				ExpectError: errorPattern(`sensitive_configuration_wo_version[\s\S]*must be specified when[\s\S]*sensitive_configuration_wo`),
			},
			{
				Config:      in("", "    callback_url = \"https://app.example.com/events\"\n    signature_key_wo = \"s\""),
				PlanOnly:    true,
				ExpectError: errorPattern(`signature_key_wo_version[\s\S]*must be specified when[\s\S]*signature_key_wo`),
			},
		},
	})
}

func TestReauthenticates(t *testing.T) {
	code := func(c string) types.Map {
		return types.MapValueMust(types.StringType, map[string]attr.Value{"code": types.StringValue(c)})
	}
	null, unknown := types.MapNull(types.StringType), types.MapUnknown(types.StringType)
	known, imported := managedKeys{ProviderDataKnown: true}, managedKeys{}
	for _, c := range []struct {
		name           string
		planned, prior types.Map
		managed        managedKeys
		want           bool
	}{
		{"a new code", code("b"), code("a"), known, true},
		{"the same code", code("a"), code("a"), known, false},
		{"removed: a spent code is only no longer managed", null, code("a"), known, false},
		{"added after a removal", code("b"), null, known, true},
		{"first code after an import is only recorded", code("b"), null, imported, false},
		{"a new code after the import's was recorded", code("c"), code("b"), imported, true},
		{"unknown at plan may", unknown, code("a"), known, true},
		{"unknown at plan after an import is only recorded", unknown, null, imported, false},
		{"a code with an unknown value may", types.MapValueMust(types.StringType, map[string]attr.Value{"code": types.StringUnknown()}), code("a"), known, true},
	} {
		if got := reauthenticates(c.planned, c.prior, c.managed); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestVersionBumped(t *testing.T) {
	for _, c := range []struct {
		name           string
		planned, prior types.Int64
		want           bool
	}{
		{"unset", types.Int64Null(), types.Int64Null(), false},
		{"removed", types.Int64Null(), types.Int64Value(1), false},
		{"the same", types.Int64Value(1), types.Int64Value(1), false},
		{"a new one", types.Int64Value(2), types.Int64Value(1), true},
		{"a first one", types.Int64Value(1), types.Int64Null(), true},
		{"unknown at plan may", types.Int64Unknown(), types.Int64Value(1), true},
	} {
		if got := versionBumped(c.planned, c.prior); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCredentialsChange(t *testing.T) {
	m := func(kv ...string) types.Map {
		out := map[string]attr.Value{}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = types.StringValue(kv[i+1])
		}
		return types.MapValueMust(types.StringType, out)
	}
	prior := updateInputs{Configuration: m("a", "1"), SensitiveConfig: m("s", "x"), SensitiveConfigWOVer: types.Int64Value(1),
		ProviderData: types.MapNull(types.StringType), ProviderDataWOVersion: types.Int64Null()}
	same := prior
	newPlain, newSecret, newVersion, unknownPlain := prior, prior, prior, prior
	newPlain.Configuration = m("a", "2")
	newSecret.SensitiveConfig = m("s", "y")
	newVersion.SensitiveConfigWOVer = types.Int64Value(2)
	unknownPlain.Configuration = types.MapUnknown(types.StringType)
	for name, c := range map[string]struct {
		planned updateInputs
		want    bool
	}{
		"nothing": {same, false}, "configuration": {newPlain, true}, "a secret": {newSecret, true},
		"a write-only version": {newVersion, true}, "configuration unknown at plan": {unknownPlain, true},
	} {
		if got := credentialsChange(c.planned, prior); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}

func TestRemovedKeysOnlyWhatTerraformSet(t *testing.T) {
	m := func(keys ...string) types.Map {
		out := map[string]attr.Value{}
		for _, k := range keys {
			out[k] = types.StringValue("v")
		}
		return types.MapValueMust(types.StringType, out)
	}
	prior := catalogInputs{plain: m("a", "b", "moved"), secret: m("s", "t")}
	planned := catalogInputs{plain: m("a"), secret: m("t", "moved")}
	managed := managedKeys{Config: []string{"a", "moved", "s", "t"}} // b came with an import
	got := removedKeys(planned, prior, managed)
	if len(got) != 1 || !got["s"] {
		t.Errorf("removed %v, want only s (b is not Terraform's, moved only changed map)", got)
	}
	planned.plain = types.MapUnknown(types.StringType)
	if got := removedKeys(planned, prior, managed); len(got) != 0 {
		t.Errorf("with configuration unknown at plan, removed %v: nothing can be said yet", got)
	}
}

func TestApplyKeepsWhatThePlanPromised(t *testing.T) {
	ctx := context.Background()
	m := instanceResourceModel{
		Name: types.StringValue("n"), ElementKey: types.StringValue("fake"), Token: types.StringValue("tok"),
		ElementID: types.Int64Value(1), Valid: types.BoolValue(true), Disabled: types.BoolValue(false),
		CreatedDate: types.StringValue("2026-01-01T00:00:00Z"), TagsAll: types.SetNull(types.StringType),
		EventNotification: types.ListNull(eventNotificationObjectType),
	}
	answer := &cloudelements.Instance{ID: 7, Name: "n", Valid: false, Token: "other"} // no element id, no date
	if d := m.refresh(ctx, answer, refreshApply, nil); d.HasError() {
		t.Fatal(d)
	}
	if m.ElementID.ValueInt64() != 1 || !m.Valid.ValueBool() || m.CreatedDate.ValueString() != "2026-01-01T00:00:00Z" || m.Token.ValueString() != "tok" {
		t.Errorf("apply replaced planned values: %+v", m)
	}
	m.Valid, m.Token = types.BoolUnknown(), types.StringUnknown()
	if d := m.refresh(ctx, answer, refreshApply, nil); d.HasError() {
		t.Fatal(d)
	}
	if m.Valid.ValueBool() || m.Token.ValueString() != "other" {
		t.Errorf("apply did not take the answer for what the plan left unknown: %+v", m)
	}
}

func TestTagsAll(t *testing.T) {
	ctx := context.Background()
	set := func(tags ...string) types.Set { return types.SetValueMust(types.StringType, toValues(tags)) }
	for _, c := range []struct {
		name     string
		tags     types.Set
		defaults []string
		want     types.Set
	}{
		{"unset, no defaults: not managed", types.SetNull(types.StringType), nil, types.SetNull(types.StringType)},
		{"empty: managed as none", set(), nil, set()},
		{"unset with defaults", types.SetNull(types.StringType), []string{"env:prod"}, set("env:prod")},
		{"own key wins over a default", set("env:dev", "a"), []string{"env:prod", "team"}, set("a", "env:dev", "team")},
		{"unknown stays unknown", types.SetUnknown(types.StringType), []string{"x"}, types.SetUnknown(types.StringType)},
	} {
		got, diags := tagsAll(ctx, c.tags, c.defaults)
		if diags.HasError() || !got.Equal(c.want) {
			t.Errorf("%s: %s (%v), want %s", c.name, got, diags, c.want)
		}
	}
}

func toValues(in []string) []attr.Value {
	out := make([]attr.Value, len(in))
	for i, s := range in {
		out[i] = types.StringValue(s)
	}
	return out
}
