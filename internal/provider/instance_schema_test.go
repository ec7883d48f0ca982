// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// stateWithNotificationType is an instance as builds before the removal stored it, with
// event_notification.notification_type, which the resource no longer has.
const stateWithNotificationType = `{
  "id": "4242", "element_key": "fake", "name": "Old", "disabled": false,
  "configuration": {"region": "eu"}, "tags": ["old"], "tags_all": ["old"],
  "token": "tok", "element_id": 7, "valid": true, "created_date": "2024-05-01T12:00:00Z",
  "event_notification": [{
    "enabled": true, "callback_url": "https://app.example.com/events",
    "signature_key": null, "signature_key_wo": null, "signature_key_wo_version": null,
    "vendor_type": "webhook", "poller_refresh_interval": null, "poller_configuration": null,
    "objects": null, "instance_finder": null, "poller_urls": null,
    "notification_type": "webhook", "metadata": null
  }],
  "timeouts": null
}`

// TestInstanceSchema_removedAttributeInState: state written before an
// attribute was removed still upgrades, and keeps everything else. Terraform
// calls UpgradeResourceState with it on the first plan after the upgrade.
func TestInstanceSchema_removedAttributeInState(t *testing.T) {
	ctx := context.Background()
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schemas.ResourceSchemas["cloudelements_instance"].ValueType()
	resp, err := srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "cloudelements_instance",
		Version:  schemas.ResourceSchemas["cloudelements_instance"].Version,
		RawState: &tfprotov6.RawState{JSON: []byte(stateWithNotificationType)},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("diagnostic: %s: %s", d.Summary, d.Detail)
	}
	if resp.UpgradedState == nil {
		t.Fatal("no upgraded state")
	}
	v, err := resp.UpgradedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]tftypes.Value
	if err := v.As(&top); err != nil {
		t.Fatal(err)
	}
	var id string
	if err := top["id"].As(&id); err != nil || id != "4242" {
		t.Errorf("id = %q (%v), want 4242", id, err)
	}
	var blocks []tftypes.Value
	if err := top["event_notification"].As(&blocks); err != nil || len(blocks) != 1 {
		t.Fatalf("event_notification = %v (%v), want one block", blocks, err)
	}
	var block map[string]tftypes.Value
	if err := blocks[0].As(&block); err != nil {
		t.Fatal(err)
	}
	if _, ok := block["notification_type"]; ok {
		t.Error("notification_type is still in the schema")
	}
	var callback string
	if err := block["callback_url"].As(&callback); err != nil || callback != "https://app.example.com/events" {
		t.Errorf("callback_url = %q (%v)", callback, err)
	}
}
