// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

const oneAddr = "data.cloudelements_instance.one"

func TestAccInstanceDataSource(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	crm := mock.Seed(mockapi.Instance{
		Name: "CRM", ElementKey: "campaignmonitor", Tags: []string{"team-crm"},
		Configuration: map[string]string{
			"oauth.api.key":                    "client-id",
			"oauth.api.secret":                 "client-secret",
			"event.notification.enabled":       "true",
			"event.notification.callback.url":  "https://app.example.com/events",
			"event.notification.signature.key": "sig",
			"event.vendor.type":                "webhooks",
			"event.objects":                    "contacts,lists",
		},
	})
	mock.Seed(mockapi.Instance{Name: "CRM backup", ElementKey: "fake"})
	twin1 := mock.Seed(mockapi.Instance{Name: "Twin", ElementKey: "fake"})
	twin2 := mock.Seed(mockapi.Instance{Name: "Twin", ElementKey: "hubspot"})
	crmID := fmt.Sprint(crm.ID)

	byID := mock.ProviderConfig() + fmt.Sprintf(`data "cloudelements_instance" "one" { id = %q }`, crmID)
	byName := mock.ProviderConfig() + `data "cloudelements_instance" "one" { name = "CRM" }`
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(oneAddr, at("id"), knownvalue.StringExact(crmID)),
		statecheck.ExpectKnownValue(oneAddr, at("name"), knownvalue.StringExact("CRM")),
		statecheck.ExpectKnownValue(oneAddr, at("element_key"), knownvalue.StringExact("campaignmonitor")),
		statecheck.ExpectKnownValue(oneAddr, at("element_id"), knownvalue.Int64Exact(elementID(t, "campaignmonitor"))),
		statecheck.ExpectKnownValue(oneAddr, at("tags"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("team-crm")})),
		statecheck.ExpectKnownValue(oneAddr, at("token"), knownvalue.StringExact(crm.Token)),
		// Masked secrets and event keys stay out of configuration.
		statecheck.ExpectKnownValue(oneAddr, at("configuration"), knownvalue.MapExact(map[string]knownvalue.Check{
			"oauth.api.key": knownvalue.StringExact("client-id"),
		})),
		// The whole configuration is there too, secrets masked.
		statecheck.ExpectKnownValue(oneAddr, at("configuration_all", "oauth.api.secret"), knownvalue.StringExact("********")),
		// Shaped like the resource's block: event_notification[0].callback_url reads the same.
		statecheck.ExpectKnownValue(oneAddr, at("event_notification"), knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
			"enabled":                 knownvalue.Bool(true),
			"callback_url":            knownvalue.StringExact("https://app.example.com/events"),
			"signature_key_set":       knownvalue.Bool(true),
			"vendor_type":             knownvalue.StringExact("webhook"),
			"poller_refresh_interval": knownvalue.Null(),
			"poller_configuration":    knownvalue.Null(),
			"objects":                 knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("contacts"), knownvalue.StringExact("lists")}),
			"instance_finder":         knownvalue.Null(),
			"poller_urls":             knownvalue.Null(),
			"notification_type":       knownvalue.Null(),
			"metadata":                knownvalue.Null(),
		})})),
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: byID, ConfigStateChecks: checks},
			{Config: byName, ConfigStateChecks: checks},
			{
				Config:      mock.ProviderConfig() + `data "cloudelements_instance" "one" { id = "999999" }`,
				ExpectError: errorPattern(`Cloud Elements Instance Not Found[\s\S]*999999`),
			},
			{
				Config:      mock.ProviderConfig() + `data "cloudelements_instance" "one" { name = "CR" }`,
				ExpectError: errorPattern(`Cloud Elements Instance Not Found[\s\S]*named exactly "CR"[\s\S]*` + crmID),
			},
			{
				Config:      mock.ProviderConfig() + `data "cloudelements_instance" "one" { name = "Nobody" }`,
				ExpectError: errorPattern(`No instance is named exactly "Nobody"`),
			},
			{
				Config:      mock.ProviderConfig() + `data "cloudelements_instance" "one" { name = "Twin" }`,
				ExpectError: errorPattern(fmt.Sprintf(`Several Cloud Elements Instances Found[\s\S]*2 instances[\s\S]*%d \(created[\s\S]*%d \(created`, twin1.ID, twin2.ID)),
			},
			{
				Config:      mock.ProviderConfig() + `data "cloudelements_instance" "one" {}`,
				ExpectError: errorPattern(`Exactly one of these attributes must be configured: \[id,name\]`),
			},
			{
				Config: mock.ProviderConfig() + fmt.Sprintf(`data "cloudelements_instance" "one" {
  id   = %q
  name = "CRM"
}`, crmID),
				ExpectError: errorPattern(`Invalid Attribute Combination`),
			},
			{
				Config:      mock.ProviderConfig() + `data "cloudelements_instance" "one" { id = "abc" }`,
				ExpectError: errorPattern(`must be a numeric instance id`),
			},
			// Last, so the post-test destroy runs on a valid configuration.
			{Config: byID, ConfigStateChecks: checks},
		},
	})
}
