// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

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

// instanceLifecycle is the configurations the instance lifecycle tests
// move through: an OAuth instance with webhook events, renamed and
// retagged, switched to polling, the same written differently, without
// events, re-authenticated, its code spent and renewed, then of another
// element.
type instanceLifecycle struct {
	base, renamed, polling, reformatted, noEvents, reauth, spent, reauthAgain, otherElement instanceHCL
}

func newInstanceLifecycle() instanceLifecycle {
	var l instanceLifecycle
	l.base = instanceHCL{
		Element:      "campaignmonitor",
		Name:         "API Instance",
		ProviderData: map[string]string{"code": "grant-code-1"},
		Config:       map[string]string{"oauth.callback.url": "https://app.example.com/cb", "oauth.api.key": "client-id"},
		Sensitive:    map[string]string{"oauth.api.secret": "client-secret"},
		Tags:         []string{"Docs", "team-crm"},
		Events: `    callback_url  = "https://app.example.com/events"
    signature_key = "sig-key-1"
    vendor_type   = "webhook"`,
	}
	l.renamed = l.base
	l.renamed.Name = "CRM Instance"
	l.renamed.Tags = []string{"team-crm", "prod"}
	l.renamed.Events = strings.Replace(l.base.Events, "/events", "/v2/events", 1)
	l.polling = l.renamed
	l.polling.Events = `    callback_url            = "https://app.example.com/v2/events"
    signature_key           = "sig-key-1"
    vendor_type             = "polling"
    poller_refresh_interval = 15
    poller_configuration    = jsonencode({ contacts = { url = "/hubs/crm/contacts", idField = "id" } })
    objects                 = ["contacts", "lists"]`
	l.reformatted = l.polling
	l.reformatted.Tags = []string{"prod", "team-crm"}
	l.reformatted.Events = `    callback_url            = "https://app.example.com/v2/events"
    signature_key           = "sig-key-1"
    vendor_type             = "polling"
    poller_refresh_interval = 15
    poller_configuration    = <<-JSON
      {
        "contacts": { "idField": "id", "url": "/hubs/crm/contacts" }
      }
    JSON
    objects                 = ["lists", "contacts"]`
	l.noEvents = l.reformatted
	l.noEvents.Events = ""
	l.reauth = l.noEvents
	l.reauth.ProviderData = map[string]string{"code": "grant-code-2"}
	l.spent = l.reauth
	l.spent.ProviderData = nil
	l.reauthAgain = l.spent
	l.reauthAgain.ProviderData = map[string]string{"code": "grant-code-3"}
	l.otherElement = instanceHCL{Element: "hubspot", Name: "CRM Instance", Tags: []string{"prod", "team-crm"}}

	return l
}

// An OAuth instance with webhook events: created as configured, secrets
// sensitive in the plan and kept as configured, then imported by id.
func TestAccInstanceResource_create(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	l := newInstanceLifecycle()
	var firstID, firstToken string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{ // Create with webhook events.
				Config: testAccInstanceConfig(mock, l.base),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectSensitiveValue(testAddr, at("sensitive_configuration")),
						plancheck.ExpectSensitiveValue(testAddr, ev("signature_key")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9]+$`))),
					statecheck.ExpectKnownValue(testAddr, at("element_id"), knownvalue.Int64Exact(elementID(t, "campaignmonitor"))),
					statecheck.ExpectKnownValue(testAddr, at("valid"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testAddr, at("disabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testAddr, at("token"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(testAddr, at("tags"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("Docs"), knownvalue.StringExact("team-crm")})),
					statecheck.ExpectKnownValue(testAddr, ev("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testAddr, ev("vendor_type"), knownvalue.StringExact("webhook")),
					statecheck.ExpectKnownValue(testAddr, ev("callback_url"), knownvalue.StringExact("https://app.example.com/events")),
					// The configured secrets stay as configured.
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
					captureAttr("id", &firstID),
					captureAttr("token", &firstToken),
				},
			},
			instanceImportStep(),
		},
	})
}

// A rename, new tags and a moved callback are one PATCH of what changed.
func TestAccInstanceResource_updateInPlace(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	l := newInstanceLifecycle()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{ // Create.
				Config: testAccInstanceConfig(mock, l.base),
			},
			{ // Rename, retag and move the callback in place, with one PATCH of only what changed.
				PreConfig: mock.ResetRequests,
				Config:    testAccInstanceConfig(mock, l.renamed),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("name"), knownvalue.StringExact("CRM Instance")),
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
			instanceImportStep(),
		},
	})
}

// Events move from webhook to polling in place; the same poller JSON
// written differently and the same sets in another order plan nothing;
// removing the block turns events off and removes the event keys Terraform
// set.
func TestAccInstanceResource_events(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	l := newInstanceLifecycle()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{ // Create with webhook events.
				Config: testAccInstanceConfig(mock, l.renamed),
			},
			{ // Switch to polling.
				Config: testAccInstanceConfig(mock, l.polling),
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
			{ // The same poller JSON written differently, and the same sets in another order, plan nothing.
				Config: testAccInstanceConfig(mock, l.reformatted),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{ // Removing the block turns events off and removes the event keys Terraform set.
				PreConfig: mock.ResetRequests,
				Config:    testAccInstanceConfig(mock, l.noEvents),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("event_notification"), knownvalue.ListSizeExact(0)),
					expectPatchBody(mock, map[string]any{"configuration": map[string]any{
						"event.notification.enabled":       "false",
						"event.notification.callback.url":  nil,
						"event.notification.signature.key": nil,
						"event.vendor.type":                nil,
						"event.poller.refresh_interval":    nil,
						"event.poller.configuration":       nil,
						"event.objects":                    nil,
					}}),
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
			instanceImportStep(),
		},
	})
}

// A new OAuth code re-authenticates in place as the vendor documents it; a
// spent code removed is only forgotten; a code added after that
// re-authenticates again.
func TestAccInstanceResource_reauthentication(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	l := newInstanceLifecycle()
	var firstID, firstToken string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{ // Create.
				Config:            testAccInstanceConfig(mock, l.noEvents),
				ConfigStateChecks: []statecheck.StateCheck{captureAttr("id", &firstID), captureAttr("token", &firstToken)},
			},
			{ // A new OAuth code re-authenticates in place as the vendor documents it: GET, then
				// PUT ?reAuthenticate=true with what the instance holds, minus its OAuth tokens.
				// A key set in the console survives; so do id and configuration.
				PreConfig: func() {
					mock.ResetRequests()
					mock.Mutate(mustID(t, firstID), func(in *mockapi.Instance) {
						in.Configuration["set.in.console"] = "kept"
						in.Configuration["oauth.user.token"] = "old-access-token"
					})
				},
				Config: testAccInstanceConfig(mock, l.reauth),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(testAddr, at("token")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSameAttr("id", &firstID, true),
					expectSameAttr("token", &firstToken, false),
					expectRequestCount(mock, "PUT", "/instances/{id}", 1),
					expectRequestCount(mock, "PATCH", "/instances/{id}", 0),
					requestCheck(func() error {
						puts := requestBodies(t, mock, "PUT", "/instances/{id}")
						cfg, _ := puts[0]["configuration"].(map[string]any)
						if _, sent := cfg["oauth.user.token"]; sent {
							return fmt.Errorf("the PUT sent oauth.user.token back")
						}
						if cfg["set.in.console"] != "kept" || cfg["oauth.api.secret"] != "client-secret" {
							return fmt.Errorf("the PUT configuration lacks what the instance holds: %v", cfg)
						}
						return nil
					}),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.ProviderData["code"] != "grant-code-2" {
							return fmt.Errorf("providerData.code = %q, want grant-code-2", in.ProviderData["code"])
						}
						return wantConfig(in.Configuration, map[string]string{
							"oauth.api.secret": "client-secret", "oauth.api.key": "client-id", "set.in.console": "kept",
						})
					}),
				},
			},
			{ // A spent code removed from the configuration is only forgotten: no request.
				PreConfig: mock.ResetRequests,
				Config:    testAccInstanceConfig(mock, l.spent),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("provider_data"), knownvalue.Null()),
					expectRequestCount(mock, "PUT", "/instances/{id}", 0),
					expectRequestCount(mock, "PATCH", "/instances/{id}", 0),
					expectSameAttr("id", &firstID, true),
				},
			},
			{ // A code added after that is a new consent: it re-authenticates.
				PreConfig: mock.ResetRequests,
				Config:    testAccInstanceConfig(mock, l.reauthAgain),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownValue(testAddr, at("token"))},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectRequestCount(mock, "PUT", "/instances/{id}", 1),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if in.ProviderData["code"] != "grant-code-3" {
							return fmt.Errorf("providerData.code = %q, want grant-code-3", in.ProviderData["code"])
						}
						return nil
					}),
				},
			},
			{ // Import by id: what a user could have written comes back; secrets the API masks cannot.
				ResourceName:            testAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"provider_data", "sensitive_configuration", "configuration.%", "configuration.set.in.console"},
			},
		},
	})
}

// Another element is another instance.
func TestAccInstanceResource_elementChangeReplaces(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	l := newInstanceLifecycle()
	var firstID, firstToken string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{ // Create.
				Config:            testAccInstanceConfig(mock, l.noEvents),
				ConfigStateChecks: []statecheck.StateCheck{captureAttr("id", &firstID), captureAttr("token", &firstToken)},
			},
			{ // A new element is a new instance.
				Config: testAccInstanceConfig(mock, l.otherElement),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSameAttr("id", &firstID, false),
					statecheck.ExpectKnownValue(testAddr, at("element_key"), knownvalue.StringExact("hubspot")),
					statecheck.ExpectKnownValue(testAddr, at("configuration"), knownvalue.Null()),
					expectInstanceCount(mock, 1),
				},
			},
			instanceImportStep(),
		},
	})
}

// The documented responses carry event defaults when events are off
// (PayPal: callback "false", vendor "webhooks"; Stripe: polling every 15
// minutes with a poller configuration). None makes a block or a diff, and
// event settings left unset take the element's values.
func TestAccInstanceResource_elementDefaults(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	paypal := instanceHCL{
		Label: "paypal", Element: "paypalv2", Name: "Payments",
		ProviderData: map[string]string{"code": "paypal-code"},
		Config:       map[string]string{"oauth.api.key": "client-id", "oauth.callback.url": "https://app.example.com/cb", "paypalv2.sandbox": "false"},
		Sensitive:    map[string]string{"oauth.api.secret": "client-secret"},
	}
	stripe := instanceHCL{
		Label: "stripe", Element: "stripe", Name: "Billing",
		Sensitive: map[string]string{"api.key": "sk_test_1"},
		Events:    `    callback_url = "https://app.example.com/stripe-events"`,
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config: testAccInstanceConfig(mock, paypal, stripe),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue("cloudelements_instance.stripe", ev("vendor_type")),
						plancheck.ExpectUnknownValue("cloudelements_instance.stripe", ev("poller_refresh_interval")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cloudelements_instance.paypal", at("event_notification"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("cloudelements_instance.paypal", at("tags"), knownvalue.Null()),
					statecheck.ExpectKnownValue("cloudelements_instance.stripe", ev("vendor_type"), knownvalue.StringExact("polling")),
					statecheck.ExpectKnownValue("cloudelements_instance.stripe", ev("poller_refresh_interval"), knownvalue.Int64Exact(15)),
					statecheck.ExpectKnownValue("cloudelements_instance.stripe", ev("poller_configuration"), knownvalue.NotNull()),
					expectMockInstance(mock, "cloudelements_instance.paypal", func(in mockapi.Instance) error {
						if len(in.Tags) != 1 || in.Tags[0] != "Payments" {
							return fmt.Errorf("tags %v: a create without tags is tagged with the name", in.Tags)
						}
						if cb := in.Configuration["event.notification.callback.url"]; cb != "false" {
							return fmt.Errorf("event.notification.callback.url = %q, want the element's default, \"false\"", cb)
						}
						return nil
					}),
					requestCheck(func() error {
						for _, body := range requestBodies(t, mock, "POST", "/instances") {
							cfg, _ := body["configuration"].(map[string]any)
							if _, sent := body["tags"]; sent {
								return fmt.Errorf("%s: create sent tags although none are configured", body["name"])
							}
							for k := range cfg {
								// Unset event settings are the element's: only the block's own keys go out.
								if strings.HasPrefix(k, "event.") && k != "event.notification.enabled" && k != "event.notification.callback.url" {
									return fmt.Errorf("%s: create sent %s", body["name"], k)
								}
								if strings.HasPrefix(k, "event.") && body["name"] == "Payments" {
									return fmt.Errorf("Payments has no event_notification block but its create sent %s", k)
								}
							}
						}
						return nil
					}),
				},
			},
			{ // Removing the poller settings would need them set first: unset keeps what the element chose.
				Config: testAccInstanceConfig(mock, paypal, stripe),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
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
  configuration = {
    "region"                  = "eu"
    "event.notification.type" = "webhook"
  }
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
						return wantConfig(in.Configuration, map[string]string{
							"event.notification.enabled": "false", "region": "eu", "event.notification.type": "webhook",
						})
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
				ConfigStateChecks: []statecheck.StateCheck{captureAttr("id", &id)},
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
					expectSameAttr("id", &id, true),
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
					expectSameAttr("id", &id, false),
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
		"ftp callback":      {instance(block(`callback_url = "ftp://app.example.com/events"`)), `Invalid Callback URL[\s\S]*ftp://app.example.com`},
		"relative callback": {instance(block(`callback_url = "/events"`)), `Invalid Callback URL`},
		"unknown vendor type": {
			instance(block("callback_url = \"https://a.example.com/e\"\nvendor_type = \"webhooks\"")),
			`vendor_type[\s\S]*value must be one of`,
		},
		"poller settings with webhooks": {
			instance(block("callback_url = \"https://a.example.com/e\"\nvendor_type = \"webhook\"\npoller_refresh_interval = 5")),
			`Polling Setting Without Polling[\s\S]*poller_refresh_interval`,
		},
		"poller configuration that is not JSON": {
			instance(block("callback_url = \"https://a.example.com/e\"\nvendor_type = \"polling\"\npoller_configuration = \"{nope\"")),
			`Invalid JSON String Value`,
		},
		"poller configuration that is a JSON array": {
			instance(block("callback_url = \"https://a.example.com/e\"\nvendor_type = \"polling\"\npoller_configuration = \"[1,2]\"")),
			`Invalid JSON Object[\s\S]*poller_configuration|poller_configuration[\s\S]*Invalid JSON Object`,
		},
		"markup in the name": {instance("element_key = \"fake\"\nname = \"<b>CRM</b>\""), `Markup Not Allowed[\s\S]*<b>CRM</b>`},
		"markup in a tag":    {instance(base + `tags = ["ok", "<script>"]`), `Markup Not Allowed[\s\S]*<script>`},
		"refresh interval below one": {
			instance(block("callback_url = \"https://a.example.com/e\"\nvendor_type = \"polling\"\npoller_refresh_interval = 0")),
			`poller_refresh_interval[\s\S]*at\s+least 1`,
		},
		"missing callback url": {instance(block(`enabled = true`)), `callback_url[\s\S]*required`},
		"two blocks": {
			instance(block(`callback_url = "https://a.example.com/e"`) + "event_notification {\ncallback_url = \"https://b.example.com/e\"\n}\n"),
			`Too Many event_notification Blocks`,
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
		return testAccInstanceConfig(mock, instanceHCL{Element: "fake", Name: "Slow", Extra: fmt.Sprintf("  timeouts {\n    create = %q\n  }", create)})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{Config: config("soon"), PlanOnly: true, ExpectError: errorPattern(`Invalid Attribute Value Time Duration[\s\S]*"soon"`)},
			{ // The API does not act for a minute; the create gives up at its timeout, and the
				// search for an instance it may have made runs on its own deadline: none was made.
				PreConfig: func() {
					mock.InjectFault(mockapi.Fault{Method: "POST", Route: "/instances", Latency: time.Minute})
				},
				Config:      config("2s"),
				ExpectError: errorPattern(`Error Creating Cloud Elements Instance[\s\S]*deadline exceeded[\s\S]*no "fake" instance named "Slow" was created, so applying again is safe`),
			},
			{ // The API creates the instance but answers after the timeout: it is found and adopted.
				PreConfig: func() {
					mock.ClearFaults()
					mock.InjectFault(mockapi.Fault{Method: "POST", Route: "/instances", LatencyAfterAct: time.Minute})
				},
				Config: config("2s"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("name"), knownvalue.StringExact("Slow")),
					expectInstanceCount(mock, 1),
				},
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

// Provider default_tags: merged into tags_all (the plan shows them), sent
// with the resource's tags; a resource tag "env:dev" overrides the default
// "env:prod"; tags stay as written, so the next plan is empty.
func TestAccInstanceResource_defaultTags(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	provider := strings.Replace(mock.ProviderConfig(), "organization_secret", "default_tags = [\"managed-by:terraform\", \"env:prod\"]\n  organization_secret", 1)
	own := instanceHCL{Label: "own", Element: "fake", Name: "Own tags", Tags: []string{"team-crm", "env:dev"}}
	none := instanceHCL{Label: "none", Element: "fake", Name: "No tags"}
	// Tags known only at apply: tags_all is unknown in the plan and
	// computed by the plan Terraform makes again at apply.
	late := `
resource "terraform_data" "team" {
  input = ["team-late"]
}
resource "cloudelements_instance" "late" {
  element_key = "fake"
  name        = "Late tags"
  tags        = terraform_data.team.output
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{{
			Config: provider + own.String() + none.String() + late,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue("cloudelements_instance.late", at("tags_all")),
					plancheck.ExpectKnownValue("cloudelements_instance.own", at("tags_all"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("env:dev"), knownvalue.StringExact("managed-by:terraform"), knownvalue.StringExact("team-crm")})),
					plancheck.ExpectKnownValue("cloudelements_instance.none", at("tags_all"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("env:prod"), knownvalue.StringExact("managed-by:terraform")})),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("cloudelements_instance.own", at("tags"), knownvalue.SetSizeExact(2)),
				statecheck.ExpectKnownValue("cloudelements_instance.none", at("tags"), knownvalue.Null()),
				statecheck.ExpectKnownValue("cloudelements_instance.late", at("tags_all"), knownvalue.SetExact([]knownvalue.Check{
					knownvalue.StringExact("env:prod"), knownvalue.StringExact("managed-by:terraform"), knownvalue.StringExact("team-late")})),
				expectMockInstance(mock, "cloudelements_instance.late", func(in mockapi.Instance) error {
					if got := strings.Join(sortedCopy(in.Tags), ","); got != "env:prod,managed-by:terraform,team-late" {
						return fmt.Errorf("tags %s", got)
					}
					return nil
				}),
				expectMockInstance(mock, "cloudelements_instance.own", func(in mockapi.Instance) error {
					if got := strings.Join(sortedCopy(in.Tags), ","); got != "env:dev,managed-by:terraform,team-crm" {
						return fmt.Errorf("tags %s", got)
					}
					return nil
				}),
				expectMockInstance(mock, "cloudelements_instance.none", func(in mockapi.Instance) error {
					if got := strings.Join(sortedCopy(in.Tags), ","); got != "env:prod,managed-by:terraform" {
						return fmt.Errorf("tags %s", got)
					}
					return nil
				}),
			},
		}},
	})
}

// tags = [] manages the tags as none: the instance is created without the
// name tag the API adds otherwise, and the next plan is empty.
func TestAccInstanceResource_emptyTags(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{
				Config: testAccInstanceConfig(mock, instanceHCL{Element: "fake", Name: "No tags", Tags: []string{}}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("tags"), knownvalue.SetSizeExact(0)),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						if len(in.Tags) != 0 {
							return fmt.Errorf("tags %v, want none", in.Tags)
						}
						return nil
					}),
				},
			},
			{
				Config: testAccInstanceConfig(mock, instanceHCL{Element: "fake", Name: "No tags", Tags: []string{}}),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// instanceImportStep imports the test instance by id: what a user could
// have written comes back; secrets never do.
func instanceImportStep() resource.TestStep {
	return resource.TestStep{
		ResourceName:            testAddr,
		ImportState:             true,
		ImportStateVerify:       true,
		ImportStateVerifyIgnore: []string{"provider_data", "sensitive_configuration", "event_notification.0.signature_key"},
	}
}
