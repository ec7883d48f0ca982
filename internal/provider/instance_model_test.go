// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// paypalCreated is the configuration of the vendor's documented PayPal
// create response (cloud-elements/devportal@dad35730983a:
// docs/elements/paypal/paypal-create-instance.md#L113), values shortened.
const paypalCreated = `{
  "oauth.api.secret": "CLIENT_SECRET", "base.url": "https://api.paypal.com/v1",
  "event.notification.subscription.id": null, "oauth.token.url": "https://api.paypal.com/v1/identity/openidconnect/tokenservice",
  "pagination.max": "10", "event.vendor.type": "webhooks", "paypalv2.sandbox": "false",
  "oauth.user.token": "A103.QPuFPgkom", "paypalv2.hooks.id": "", "oauth.authorization.url": "https://www.paypal.com/signin/authorize",
  "event.notification.instance.finder": "", "pagination.type": "offset", "event.notification.callback.url": "false",
  "oauth.callback.url": "https://www.mycoolapp.com/auth", "oauth.user.refresh_token": "R103.RB-y78o9os",
  "oauth.user.refresh_interval": "3600", "oauth.api.key": "CLIENT_ID", "oauth.user.refresh_time": "1488818916580",
  "oauth.basic.header": "true", "event.notification.enabled": "false"}`

// stripeCreated: the documented Stripe response's event defaults
// (docs/elements/stripe/stripe-create-instance.md): polling, every 15 minutes.
const stripeCreated = `{"event.vendor.type": "polling", "event.poller.refresh_interval": "15",
  "event.poller.configuration": "{\"events\":{\"url\":\"/hubs/payment/events?where=created >'${epoch}'\",\"idField\":\"id\"}}",
  "event.notification.callback.url": null, "event.notification.enabled": "false", "username": "sk_test"}`

func apiConfig(t *testing.T, raw string) map[string]*string {
	t.Helper()
	var in cloudelements.Instance
	if err := json.Unmarshal([]byte(`{"id":1,"configuration":`+raw+`}`), &in); err != nil {
		t.Fatal(err)
	}
	return in.Configuration
}

func mapKeys(m types.Map) []string {
	if m.IsNull() {
		return nil
	}
	var out []string
	for k := range m.Elements() {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestImportedConfiguration(t *testing.T) {
	// oauth.api.secret comes back in clear, but a secret is never imported.
	plain := importedConfiguration(apiConfig(t, paypalCreated), nil)
	if got, want := mapKeys(plain), []string{"oauth.api.key", "oauth.callback.url", "paypalv2.sandbox"}; !reflect.DeepEqual(got, want) {
		t.Errorf("configuration keys = %v, want %v", got, want)
	}
	// With definitions, an element's own server key (internal) stays out too.
	defs := map[string]*cloudelements.ConfigDefinition{"paypalv2.sandbox": {Key: "paypalv2.sandbox", Internal: true}}
	plain = importedConfiguration(apiConfig(t, paypalCreated), defs)
	if got, want := mapKeys(plain), []string{"oauth.api.key", "oauth.callback.url"}; !reflect.DeepEqual(got, want) {
		t.Errorf("with definitions: %v, want %v", got, want)
	}
}

func TestEventDefaultsMakeNoBlock(t *testing.T) {
	ctx := context.Background()
	for name, raw := range map[string]string{"paypal": paypalCreated, "stripe": stripeCreated} {
		for _, mode := range []refreshMode{refreshApply, refreshRead, refreshImport} {
			list, diags := eventsRefresh(ctx, nil, apiConfig(t, raw), mode)
			if diags.HasError() || !list.IsNull() {
				t.Errorf("%s, mode %d: block %v, %v", name, mode, list, diags)
			}
		}
	}
}

func TestEventBlockTakesElementDefaults(t *testing.T) {
	ctx := context.Background()
	planned := &eventNotificationModel{
		Enabled:               types.BoolValue(true),
		CallbackURL:           types.StringValue("https://app.example.com/events"),
		SignatureKey:          types.StringNull(),
		VendorType:            types.StringUnknown(),
		PollerRefreshInterval: types.Int64Unknown(),
		PollerConfiguration:   jsontypes.NewNormalizedUnknown(),
		Objects:               types.SetNull(types.StringType),
		InstanceFinder:        types.StringNull(),
		PollerURLs:            types.StringNull(),
		Metadata:              jsontypes.NewNormalizedNull(),
	}
	cfg := apiConfig(t, strings.Replace(stripeCreated, `"event.notification.enabled": "false"`, `"event.notification.enabled": "true"`, 1))
	list, diags := eventsRefresh(ctx, planned, cfg, refreshApply)
	if diags.HasError() {
		t.Fatal(diags)
	}
	var got []eventNotificationModel
	list.ElementsAs(ctx, &got, false)
	ev := got[0]
	if ev.VendorType.ValueString() != configkeys.VendorPolling || ev.PollerRefreshInterval.ValueInt64() != 15 || ev.PollerConfiguration.IsNull() ||
		ev.CallbackURL.ValueString() != "https://app.example.com/events" || !ev.InstanceFinder.IsNull() {
		t.Errorf("block = %+v", ev)
	}
	// Read: the element's instance finder is not managed when unset.
	cfg[configkeys.InstanceFinder] = ptrTo("site.id")
	list, _ = eventsRefresh(ctx, &ev, cfg, refreshRead)
	list.ElementsAs(ctx, &got, false)
	if !got[0].InstanceFinder.IsNull() {
		t.Errorf("instance finder = %v", got[0].InstanceFinder)
	}
}

func TestConfigChangesOnlyRemoveWhatTerraformSet(t *testing.T) {
	have := map[string]string{"a": "1", "set.by.console": "x", "mine": "y", configkeys.EventsEnabled: "true", configkeys.CallbackURL: "https://x"}
	want := map[string]string{"a": "2"}
	managed := managedKeys{Config: []string{"a", "mine", configkeys.EventsEnabled, configkeys.CallbackURL}}
	got := configChanges(want, have, managed)
	if len(got) != 4 || *got["a"] != "2" || got["mine"] != nil || *got[configkeys.EventsEnabled] != "false" || got[configkeys.CallbackURL] != nil {
		t.Errorf("changes = %v", got)
	}
	if _, sent := got["set.by.console"]; sent {
		t.Error("a key Terraform did not set was sent")
	}
}

func TestDisagreements(t *testing.T) {
	sent := map[string]*string{
		"a": ptrTo("1"), configkeys.VendorType: ptrTo("webhook"), "password": ptrTo("p"), "gone": nil, "kept": nil,
		configkeys.EventsEnabled: ptrTo("true"), configkeys.PollerConfig: ptrTo(`{"a":1, "b":2}`),
	}
	got := apiConfig(t, `{"a":"1","event.vendor.type":"webhooks","password":"********","kept":"still","event.notification.enabled":"TRUE",
		"event.poller.configuration":"{\"b\":2,\"a\":1}"}`)
	if d := disagreements(sent, got); len(d) != 1 || !strings.Contains(d[0], "kept is still set") {
		t.Errorf("disagreements = %v", d)
	}
	got["password"] = ptrTo("other")
	if d := disagreements(sent, got); len(d) != 2 || strings.Contains(strings.Join(d, ";"), `"other"`) {
		t.Errorf("a secret's value was shown: %v", d)
	}
}

func TestReauthRequestKeepsWhatTheInstanceHolds(t *testing.T) {
	ctx := context.Background()
	current := &cloudelements.Instance{Tags: cloudelements.Tags{"console-tag"}, Configuration: apiConfig(t,
		`{"base.url":"https://x","oauth.user.token":"old","oauth.user.refresh_token":"old-r","set.in.console":"c",
		  "oauth.api.secret":"********","bulk.relations":null,"a":"1"}`)}
	m := instanceResourceModel{
		ElementKey:             types.StringValue("sfdc"),
		Name:                   types.StringValue("n"),
		ProviderData:           types.MapValueMust(types.StringType, map[string]attr.Value{"code": types.StringValue("new-code")}),
		Configuration:          types.MapValueMust(types.StringType, map[string]attr.Value{"a": types.StringValue("2")}),
		SensitiveConfiguration: types.MapValueMust(types.StringType, map[string]attr.Value{"oauth.api.secret": types.StringValue("s")}),
		Tags:                   types.SetNull(types.StringType),
		TagsAll:                types.SetNull(types.StringType),
		EventNotification:      types.ListNull(eventNotificationObjectType),
	}
	body, diags := m.reauthRequest(ctx, current, map[string]*string{"a": ptrTo("2")}, writeOnlyValues{})
	if diags.HasError() {
		t.Fatal(diags)
	}
	if _, ok := body.Configuration[configkeys.UserToken]; ok {
		t.Error("oauth.user.token sent back")
	}
	if _, ok := body.Configuration[configkeys.UserRefreshToken]; ok {
		t.Error("oauth.user.refresh_token sent back")
	}
	if *body.Configuration["set.in.console"] != "c" || *body.Configuration["base.url"] != "https://x" || *body.Configuration["a"] != "2" ||
		*body.Configuration["oauth.api.secret"] != "s" || body.Configuration["bulk.relations"] != nil {
		t.Errorf("configuration = %v", body.Configuration)
	}
	if !reflect.DeepEqual(body.Tags, []string{"console-tag"}) || body.ProviderData["code"] != "new-code" {
		t.Errorf("tags %v, providerData %v", body.Tags, body.ProviderData)
	}
}

func ptrTo(s string) *string { return &s }
