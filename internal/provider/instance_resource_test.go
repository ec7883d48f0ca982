package provider

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

const testAddr = "cloudelements_instance.test"

func TestAccInstanceResource_lifecycle(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	cfg := func(body string) string { return mock.ProviderConfig() + body }
	var firstID, firstToken string

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{ // Create with webhook events.
				Config: cfg(`
resource "cloudelements_instance" "test" {
  element_key   = "campaignmonitor"
  name          = "API Instance"
  provider_data = { code = "grant-code-1" }
  configuration = {
    "oauth.callback.url" = "https://app.example.com/cb"
    "oauth.api.key"      = "client-id"
  }
  sensitive_configuration = { "oauth.api.secret" = "client-secret" }
  tags                    = ["Docs", "team-crm"]

  event_notification {
    callback_url  = "https://app.example.com/events"
    signature_key = "sig-key-1"
  }
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectSensitiveValue(testAddr, at("sensitive_configuration")),
						plancheck.ExpectSensitiveValue(testAddr, ev("signature_key")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9]+$`))),
					statecheck.ExpectKnownValue(testAddr, at("element_id"), knownvalue.Int64Exact(5127)),
					statecheck.ExpectKnownValue(testAddr, at("valid"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testAddr, at("disabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testAddr, at("token"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(testAddr, at("tags"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("Docs"), knownvalue.StringExact("team-crm")})),
					statecheck.ExpectKnownValue(testAddr, ev("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testAddr, ev("vendor_type"), knownvalue.StringExact("webhook")),
					statecheck.ExpectKnownValue(testAddr, ev("callback_url"), knownvalue.StringExact("https://app.example.com/events")),
					// The API masks the secret; state keeps the configured value.
					statecheck.ExpectKnownValue(testAddr, at("sensitive_configuration", "oauth.api.secret"), knownvalue.StringExact("client-secret")),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.ProviderData["code"] != "grant-code-1" {
							return fmt.Errorf("providerData.code = %q", in.ProviderData["code"])
						}
						return wantConfig(in.Configuration, map[string]string{
							"oauth.callback.url":               "https://app.example.com/cb",
							"oauth.api.key":                    "client-id",
							"oauth.api.secret":                 "client-secret",
							"event.notification.enabled":       "true",
							"event.notification.callback.url":  "https://app.example.com/events",
							"event.notification.signature.key": "sig-key-1",
							"event.vendor.type":                "webhook",
						})
					}),
					captureAttr(testAddr, "id", &firstID),
					captureAttr(testAddr, "token", &firstToken),
				},
			},
			{ // Rename, retag and move the callback in place, with one PATCH of only what changed.
				PreConfig: mock.ResetRequests,
				Config: cfg(`
resource "cloudelements_instance" "test" {
  element_key   = "campaignmonitor"
  name          = "CRM Instance"
  provider_data = { code = "grant-code-1" }
  configuration = {
    "oauth.callback.url" = "https://app.example.com/cb"
    "oauth.api.key"      = "client-id"
  }
  sensitive_configuration = { "oauth.api.secret" = "client-secret" }
  tags                    = ["team-crm", "prod"]

  event_notification {
    callback_url  = "https://app.example.com/v2/events"
    signature_key = "sig-key-1"
  }
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("name"), knownvalue.StringExact("CRM Instance")),
					statecheck.ExpectKnownValue(testAddr, at("tags"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("prod"), knownvalue.StringExact("team-crm")})),
					statecheck.ExpectKnownValue(testAddr, ev("callback_url"), knownvalue.StringExact("https://app.example.com/v2/events")),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.Name != "CRM Instance" || strings.Join(sortedCopy(in.Tags), ",") != "prod,team-crm" {
							return fmt.Errorf("name %q tags %v", in.Name, in.Tags)
						}
						return wantConfig(in.Configuration, map[string]string{
							"event.notification.callback.url":  "https://app.example.com/v2/events",
							"event.notification.signature.key": "sig-key-1",
							"oauth.api.secret":                 "client-secret",
						})
					}),
					expectPatchBody(mock, map[string]any{
						"name":          "CRM Instance",
						"tags":          []any{"prod", "team-crm"},
						"configuration": map[string]any{"event.notification.callback.url": "https://app.example.com/v2/events"},
					}),
				},
			},
			{ // Switch to polling.
				Config: cfg(`
resource "cloudelements_instance" "test" {
  element_key   = "campaignmonitor"
  name          = "CRM Instance"
  provider_data = { code = "grant-code-1" }
  configuration = {
    "oauth.callback.url" = "https://app.example.com/cb"
    "oauth.api.key"      = "client-id"
  }
  sensitive_configuration = { "oauth.api.secret" = "client-secret" }
  tags                    = ["team-crm", "prod"]

  event_notification {
    callback_url            = "https://app.example.com/v2/events"
    signature_key           = "sig-key-1"
    vendor_type             = "polling"
    poller_refresh_interval = 15
    poller_configuration    = jsonencode({ contacts = { url = "/hubs/crm/contacts", idField = "id" } })
    objects                 = ["contacts", "lists"]
  }
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, ev("vendor_type"), knownvalue.StringExact("polling")),
					statecheck.ExpectKnownValue(testAddr, ev("poller_refresh_interval"), knownvalue.Int64Exact(15)),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						return wantConfig(in.Configuration, map[string]string{
							"event.vendor.type":             "polling",
							"event.poller.refresh_interval": "15",
							"event.poller.configuration":    `{"contacts":{"idField":"id","url":"/hubs/crm/contacts"}}`,
							"event.objects":                 "contacts,lists",
						})
					}),
				},
			},
			{ // The same poller JSON written differently plans nothing.
				Config: cfg(`
resource "cloudelements_instance" "test" {
  element_key   = "campaignmonitor"
  name          = "CRM Instance"
  provider_data = { code = "grant-code-1" }
  configuration = {
    "oauth.callback.url" = "https://app.example.com/cb"
    "oauth.api.key"      = "client-id"
  }
  sensitive_configuration = { "oauth.api.secret" = "client-secret" }
  tags                    = ["prod", "team-crm"]

  event_notification {
    callback_url            = "https://app.example.com/v2/events"
    signature_key           = "sig-key-1"
    vendor_type             = "polling"
    poller_refresh_interval = 15
    poller_configuration    = <<-JSON
      {
        "contacts": { "idField": "id", "url": "/hubs/crm/contacts" }
      }
    JSON
    objects                 = ["lists", "contacts"]
  }
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{ // Removing the block turns events off and drops the event keys.
				Config: cfg(`
resource "cloudelements_instance" "test" {
  element_key   = "campaignmonitor"
  name          = "CRM Instance"
  provider_data = { code = "grant-code-1" }
  configuration = {
    "oauth.callback.url" = "https://app.example.com/cb"
    "oauth.api.key"      = "client-id"
  }
  sensitive_configuration = { "oauth.api.secret" = "client-secret" }
  tags                    = ["prod", "team-crm"]
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("event_notification"), knownvalue.ListSizeExact(0)),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						return wantConfig(in.Configuration, map[string]string{
							"event.notification.enabled":       "false",
							"event.notification.callback.url":  "<absent>",
							"event.notification.signature.key": "<absent>",
							"event.vendor.type":                "<absent>",
							"event.poller.configuration":       "<absent>",
							"oauth.api.secret":                 "client-secret",
						})
					}),
				},
			},
			{ // A new OAuth code re-authenticates in place: PUT ?reAuthenticate=true, new token, same id.
				PreConfig: mock.ResetRequests,
				Config: cfg(`
resource "cloudelements_instance" "test" {
  element_key   = "campaignmonitor"
  name          = "CRM Instance"
  provider_data = { code = "grant-code-2" }
  configuration = {
    "oauth.callback.url" = "https://app.example.com/cb"
    "oauth.api.key"      = "client-id"
  }
  sensitive_configuration = { "oauth.api.secret" = "client-secret" }
  tags                    = ["prod", "team-crm"]
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(testAddr, at("token")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSameAttr(testAddr, "id", &firstID, true),
					expectSameAttr(testAddr, "token", &firstToken, false),
					expectRequestCount(mock, "PUT", "/instances/{id}", 1),
					expectRequestCount(mock, "PATCH", "/instances/{id}", 0),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.ProviderData["code"] != "grant-code-2" {
							return fmt.Errorf("providerData.code = %q, want grant-code-2", in.ProviderData["code"])
						}
						return wantConfig(in.Configuration, map[string]string{"oauth.api.secret": "client-secret", "oauth.api.key": "client-id"})
					}),
				},
			},
			{ // Import by id: everything the API returns matches; secrets cannot be read back.
				ResourceName:            testAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"provider_data", "sensitive_configuration"},
			},
			{ // A new element is a new instance.
				Config: cfg(`
resource "cloudelements_instance" "test" {
  element_key   = "hubspot"
  name          = "CRM Instance"
  provider_data = { code = "grant-code-2" }
  tags          = ["prod", "team-crm"]
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSameAttr(testAddr, "id", &firstID, false),
					statecheck.ExpectKnownValue(testAddr, at("element_key"), knownvalue.StringExact("hubspot")),
					statecheck.ExpectKnownValue(testAddr, at("configuration"), knownvalue.Null()),
					expectInstanceCount(mock, 1),
				},
			},
		},
	})
}

func TestAccInstanceResource_importBlockAndDisabled(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	config := mock.ProviderConfig() + `
resource "cloudelements_instance" "test" {
  element_key = "fake"
  name        = "Imported"
  disabled    = true
  configuration = { "region" = "eu" }
  event_notification {
    enabled      = false
    callback_url = "http://localhost:9000/events"
  }
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("disabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testAddr, ev("enabled"), knownvalue.Bool(false)),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if !in.Disabled {
							return fmt.Errorf("not disabled in the mock")
						}
						return wantConfig(in.Configuration, map[string]string{"event.notification.enabled": "false", "region": "eu"})
					}),
				},
			},
			{
				ResourceName:    testAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionNoop)},
				},
			},
			{
				ResourceName:      testAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{ // Enable it again in place.
				Config: strings.Replace(config, "disabled    = true", "disabled    = false", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.Disabled {
							return fmt.Errorf("still disabled in the mock")
						}
						return nil
					}),
				},
			},
		},
	})
}

func TestAccInstanceResource_drift(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	config := mock.ProviderConfig() + `
resource "cloudelements_instance" "test" {
  element_key = "fake"
  name        = "Drifty"
  tags        = ["a", "b"]
  event_notification {
    callback_url = "https://app.example.com/events"
  }
}
`
	var id string
	idOf := func() int64 {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			t.Fatalf("captured id %q: %v", id, err)
		}
		return n
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{captureAttr(testAddr, "id", &id)},
			},
			{ // Console edits to name, tags, callback and the enabled flag are planned back in place.
				PreConfig: func() {
					ok := mock.Mutate(idOf(), func(in *mockapi.Instance) {
						in.Name = "Renamed in console"
						in.Tags = []string{"a", "console"}
						in.Configuration["event.notification.callback.url"] = "https://evil.example.com/events"
						in.Configuration["event.notification.enabled"] = "false"
					})
					if !ok {
						t.Fatalf("instance %s not in the mock", id)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(testAddr, at("name"), knownvalue.StringExact("Drifty")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSameAttr(testAddr, "id", &id, true),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.Name != "Drifty" || strings.Join(sortedCopy(in.Tags), ",") != "a,b" {
							return fmt.Errorf("name %q tags %v not restored", in.Name, in.Tags)
						}
						return wantConfig(in.Configuration, map[string]string{
							"event.notification.callback.url": "https://app.example.com/events",
							"event.notification.enabled":      "true",
						})
					}),
				},
			},
			{ // Events switched on in the console for an instance without the block are switched off again.
				PreConfig: func() {
					mock.Mutate(idOf(), func(in *mockapi.Instance) { in.Disabled = true })
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.Disabled {
							return fmt.Errorf("instance still disabled")
						}
						return nil
					}),
				},
			},
			{ // Deleted behind Terraform's back: planned for re-creation.
				PreConfig: func() {
					if !mock.Remove(idOf()) {
						t.Fatalf("instance %s not in the mock", id)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSameAttr(testAddr, "id", &id, false),
					expectInstanceCount(mock, 1),
				},
			},
		},
	})
}

func TestAccInstanceResource_validation(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	instance := func(body string) string {
		return mock.ProviderConfig() + "resource \"cloudelements_instance\" \"test\" {\n" + body + "\n}\n"
	}
	base := "element_key = \"fake\"\nname = \"v\"\n"
	block := func(body string) string { return base + "event_notification {\n" + body + "\n}\n" }
	cases := map[string]struct{ config, err string }{
		"http callback to a remote host": {
			instance(block(`callback_url = "http://app.example.com/events"`)),
			`Invalid Callback URL[\s\S]*http://app.example.com/events`,
		},
		"relative callback": {instance(block(`callback_url = "/events"`)), `Invalid Callback URL`},
		"unknown vendor type": {
			instance(block("callback_url = \"https://a.example.com/e\"\nvendor_type = \"webhooks\"")),
			`vendor_type[\s\S]*value must be one of`,
		},
		"poller settings with webhooks": {
			instance(block("callback_url = \"https://a.example.com/e\"\npoller_refresh_interval = 5")),
			`Polling Setting Without Polling[\s\S]*poller_refresh_interval`,
		},
		"poller configuration that is not JSON": {
			instance(block("callback_url = \"https://a.example.com/e\"\nvendor_type = \"polling\"\npoller_configuration = \"{nope\"")),
			`Invalid JSON String Value`,
		},
		"refresh interval below one": {
			instance(block("callback_url = \"https://a.example.com/e\"\nvendor_type = \"polling\"\npoller_refresh_interval = 0")),
			`poller_refresh_interval[\s\S]*at\s+least 1`,
		},
		"missing callback url": {instance(block(`enabled = true`)), `callback_url[\s\S]*required`},
		"two blocks": {
			instance(block(`callback_url = "https://a.example.com/e"`) + "event_notification {\ncallback_url = \"https://b.example.com/e\"\n}\n"),
			`event_notification[\s\S]*at most 1`,
		},
		"event key in configuration": {
			instance(base + `configuration = { "event.notification.callback.url" = "https://a.example.com/e" }`),
			`Event Setting in configuration[\s\S]*event_notification.callback_url`,
		},
		"event key in sensitive configuration": {
			instance(base + `sensitive_configuration = { "event.notification.signature.key" = "k" }`),
			`Event Setting in sensitive_configuration[\s\S]*event_notification.signature_key`,
		},
		"key in both maps": {
			instance(base + "configuration = { \"oauth.api.key\" = \"a\" }\nsensitive_configuration = { \"oauth.api.key\" = \"b\" }"),
			`Configuration Key Set Twice[\s\S]*oauth.api.key`,
		},
		"empty element key": {instance("element_key = \"\"\nname = \"v\""), `element_key[\s\S]*at least 1`},
		"empty name":        {instance("element_key = \"fake\"\nname = \"\""), `name[\s\S]*at least 1`},
		"object with comma": {
			instance(block("callback_url = \"https://a.example.com/e\"\nobjects = [\"a,b\"]")),
			`objects[\s\S]*without commas`,
		},
	}
	var steps []resource.TestStep
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		tc := cases[name]
		steps = append(steps, resource.TestStep{Config: tc.config, PlanOnly: true, ExpectError: errorPattern(tc.err)})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
	if n := mock.RequestCount("", ""); n != 0 {
		t.Errorf("validation made %d API requests, want 0", n)
	}
}

func TestAccInstanceResource_timeouts(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	config := func(create string) string {
		return mock.ProviderConfig() + fmt.Sprintf(`
resource "cloudelements_instance" "test" {
  element_key = "fake"
  name        = "Slow"
  timeouts {
    create = %q
  }
}
`, create)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{Config: config("soon"), PlanOnly: true, ExpectError: errorPattern(`Invalid Attribute Value Time Duration[\s\S]*"soon"`)},
			{ // The API takes a minute to answer; the create gives up at its timeout.
				PreConfig: func() {
					mock.InjectFault(mockapi.Fault{Method: "POST", Route: "/instances", Latency: time.Minute})
				},
				Config:      config("1s"),
				ExpectError: errorPattern(`Error Creating Cloud Elements Instance[\s\S]*deadline exceeded`),
			},
			{
				PreConfig: mock.ClearFaults,
				Config:    config("1m"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("timeouts", "create"), knownvalue.StringExact("1m")),
					expectInstanceCount(mock, 1),
				},
			},
		},
	})
}
