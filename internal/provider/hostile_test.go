// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Hostile and broken API responses, through the provider: each one either
// gives a clear error or is tolerated as documented, and never panics (a
// panic in the provider would crash the test binary).

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// TestAccHostile_readResponses: what a refresh does with each broken answer
// to GET /instances/{id}, and a DELETE answered with an empty body.
//
//	invalid JSON, empty body, huge (11 MiB) body   error naming the call and the cause; state kept
//	HTML error page (502) that never clears        error with the page title, after all attempts
//	HTML error page twice                          retried, tolerated
//	id as a string (create)                        tolerated
//	unknown extra fields                           tolerated (every mock answer carries some:
//	                                               user, provisionInteractions, maxCacheSize...)
//	a managed configuration value of null          read as "not set": the plan sets it again
//	empty body on DELETE                           tolerated (nothing to decode)
func TestAccHostile_readResponses(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	config := mock.ProviderConfig() + `
resource "cloudelements_instance" "test" {
  element_key   = "fake"
  name          = "Hostile"
  configuration = { "region" = "eu" }
}
`
	get := func(mode mockapi.FaultMode, count int) func() {
		return func() {
			mock.ClearFaults()
			mock.InjectFault(mockapi.Fault{Method: "GET", Route: "/instances/{id}", Mode: mode, Count: count})
		}
	}
	readError := func(cause string) *regexp.Regexp {
		return errorPattern(`Error Reading Cloud Elements Instance[\s\S]*Could not read instance [0-9]+: ` + cause)
	}
	var id string
	kept := []statecheck.StateCheck{expectSameAttr("id", &id, true), expectInstanceCount(mock, 1)}
	empty := tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: fastRetryFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []tfresource.TestStep{
			{ // The create's answer carries the id as a string.
				PreConfig: func() {
					mock.InjectFault(mockapi.Fault{Method: "POST", Route: "/instances", Mode: mockapi.FaultStringID})
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9]+$`))),
					captureAttr("id", &id),
					expectMockInstance(mock, testAddr, func(mockapi.Instance) error { return nil }),
				},
			},
			{
				PreConfig:   get(mockapi.FaultInvalidJSON, 1),
				Config:      config,
				ExpectError: readError(`decoding response of GET /instances/[0-9]+: unexpected end of JSON input`),
			},
			{
				PreConfig:   get(mockapi.FaultEmptyBody, 1),
				Config:      config,
				ExpectError: readError(`decoding response of GET /instances/[0-9]+: empty body where a JSON value was expected`),
			},
			{
				PreConfig:   get(mockapi.FaultHugeBody, 1),
				Config:      config,
				ExpectError: readError(`decoding response of GET /instances/[0-9]+: body is larger than the 10 MiB limit`),
			},
			{
				PreConfig:   get(mockapi.FaultHTMLPage, -1),
				Config:      config,
				ExpectError: readError(fmt.Sprintf(`GET /instances/[0-9]+: 502 Bad Gateway: 502 Bad Gateway after %d attempts`, defaultAttempts)),
			},
			{ // The state survived all of that; a passing gateway error is retried.
				PreConfig:         get(mockapi.FaultHTMLPage, 2),
				Config:            config,
				ConfigPlanChecks:  empty,
				ConfigStateChecks: kept,
			},
			{ // A null configuration value reads as "not set" and is set again.
				PreConfig: get(mockapi.FaultNullConfigValue, 1),
				Config:    config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate),
						priorStateCheck{testAddr, func(v map[string]any) error {
							if cfg, _ := v["configuration"].(map[string]any); len(cfg) != 0 {
								return fmt.Errorf("configuration after reading a null value: %v, want it empty", cfg)
							}
							return nil
						}},
					},
				},
				ConfigStateChecks: append(kept, expectPatchBody(mock, map[string]any{"configuration": map[string]any{"region": "eu"}})),
			},
			{ // The destroy's DELETE is answered 200 with an empty body.
				PreConfig: func() {
					mock.ClearFaults()
					mock.InjectFault(mockapi.Fault{Method: "DELETE", Route: "/instances/{id}", Mode: mockapi.FaultEmptyBody})
				},
				Config:           config,
				ConfigPlanChecks: empty,
			},
		},
	})
	if n := len(ofKind(mock.Requests(), "DELETE", "/instances/{id}")); n != 1 {
		t.Errorf("%d DELETEs, want 1", n)
	}
}

// TestAccHostile_createResponses: a create whose answer is broken after the
// API acted (invalid JSON, an 11 MiB body) is treated as a lost response: the
// instance is found and adopted, not created twice. A gateway's HTML page
// (502, the API did not act) fails saying that applying again is safe.
func TestAccHostile_createResponses(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	resources := func(names ...string) string {
		cfg := mock.ProviderConfig()
		for _, n := range names {
			cfg += fmt.Sprintf("resource \"cloudelements_instance\" %q {\n  element_key = \"fake\"\n  name = %q\n}\n", n, n)
		}
		return cfg
	}
	post := func(mode mockapi.FaultMode) func() {
		return func() { mock.InjectFault(mockapi.Fault{Method: "POST", Route: "/instances", Mode: mode}) }
	}
	named := func(name string) statecheck.StateCheck {
		return expectMockInstance(mock, "cloudelements_instance."+name, func(in mockapi.Instance) error {
			if in.Name != name {
				return fmt.Errorf("name %q, want %q", in.Name, name)
			}
			return nil
		})
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: fastRetryFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []tfresource.TestStep{
			{
				PreConfig:         post(mockapi.FaultInvalidJSON),
				Config:            resources("a"),
				ConfigStateChecks: []statecheck.StateCheck{named("a"), expectInstanceCount(mock, 1), expectRequestCount(mock, "POST", "/instances", 1)},
			},
			{
				PreConfig:         post(mockapi.FaultHugeBody),
				Config:            resources("a", "b"),
				ConfigStateChecks: []statecheck.StateCheck{named("b"), expectInstanceCount(mock, 2), expectRequestCount(mock, "POST", "/instances", 2)},
			},
			{
				PreConfig: post(mockapi.FaultHTMLPage),
				Config:    resources("a", "b", "c"),
				ExpectError: errorPattern(`Error Creating Cloud Elements Instance[\s\S]*` +
					`POST /instances: 502 Bad Gateway: 502 Bad Gateway; no "fake" instance named "c" was created, so applying again is safe`),
			},
			{
				Config:            resources("a", "b", "c"),
				ConfigStateChecks: []statecheck.StateCheck{named("c"), expectInstanceCount(mock, 3), expectRequestCount(mock, "POST", "/instances", 4)},
			},
		},
	})
}

// TestAccHostile_dataSources: broken list answers fail the data sources
// clearly; ids sent as strings and null configuration values are tolerated.
func TestAccHostile_dataSources(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	seeded := mock.Seed(mockapi.Instance{Name: "Seeded", ElementKey: "fake", Configuration: map[string]string{"a": "1", "b": "2"}})
	sid := fmt.Sprint(seeded.ID)
	config := mock.ProviderConfig() + fmt.Sprintf(`
data "cloudelements_instances" "all" {}
data "cloudelements_instance" "one" { id = %q }
data "cloudelements_instance" "named" { name = "Seeded" }
`, sid)
	fault := func(method, route string, mode mockapi.FaultMode) func() {
		return func() {
			mock.ClearFaults()
			mock.InjectFault(mockapi.Fault{Method: method, Route: route, Mode: mode, Count: -1})
		}
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: fastRetryFactories,
		Steps: []tfresource.TestStep{
			{
				PreConfig:   fault("GET", "/instances", mockapi.FaultInvalidJSON),
				Config:      config,
				ExpectError: errorPattern(`Error Listing Cloud Elements Instances[\s\S]*decoding response of GET /instances: unexpected end of JSON input`),
			},
			{
				PreConfig:   fault("GET", "/instances", mockapi.FaultHTMLPage),
				Config:      config,
				ExpectError: errorPattern(fmt.Sprintf(`Error Listing Cloud Elements Instances[\s\S]*GET /instances: 502 Bad Gateway: 502 Bad Gateway after %d attempts`, defaultAttempts)),
			},
			{
				PreConfig: func() {
					fault("GET", "/instances", mockapi.FaultStringID)()
					mock.InjectFault(mockapi.Fault{Method: "GET", Route: "/instances/{id}", Mode: mockapi.FaultNullConfigValue, Count: -1})
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.cloudelements_instances.all", at("ids"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(sid)})),
					statecheck.ExpectKnownValue("data.cloudelements_instance.named", at("id"), knownvalue.StringExact(sid)),
					// "a" came back null: it is left out, "b" is kept.
					statecheck.ExpectKnownValue("data.cloudelements_instance.one", at("configuration"), knownvalue.MapExact(map[string]knownvalue.Check{
						"b": knownvalue.StringExact("2"),
					})),
				},
			},
		},
	})
	if n := mock.RequestCount("GET", "/instances"); n < 2+2*defaultAttempts {
		t.Errorf("%d list requests; want at least %d (the invalid JSON answers are not retried, the 502s are)", n, 2+2*defaultAttempts)
	}
}

// TestAccHostile_consoleGarbage: values the API holds but the schema cannot
// (duplicate tags or event objects for a set, poller configuration that is
// not JSON, as a console edit could leave them) do not break the refresh:
// duplicates collapse, the non-JSON value reads as unset and is set again.
func TestAccHostile_consoleGarbage(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	config := mock.ProviderConfig() + `
resource "cloudelements_instance" "test" {
  element_key = "fake"
  name        = "Garbage"
  tags        = ["a"]
  event_notification {
    callback_url         = "https://app.example.com/events"
    vendor_type          = "polling"
    poller_configuration = jsonencode({ contacts = { url = "/contacts" } })
    objects              = ["contacts"]
  }
}
`
	var id string
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: fastRetryFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []tfresource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{captureAttr("id", &id)}},
			{
				PreConfig: func() {
					if !mock.Mutate(int64Of(id), func(in *mockapi.Instance) {
						in.Tags = []string{"a", "a"}
						in.Configuration["event.objects"] = "contacts,contacts"
						in.Configuration["event.poller.configuration"] = "{nope"
					}) {
						t.Fatalf("instance %s not in the mock", id)
					}
				},
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAddr, at("tags"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("a")})),
					statecheck.ExpectKnownValue(testAddr, ev("objects"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("contacts")})),
					expectMockInstance(mock, testAddr, func(in mockapi.Instance) error {
						return wantConfig(in.Configuration, map[string]string{"event.poller.configuration": `{"contacts":{"url":"/contacts"}}`})
					}),
					expectPatchBody(mock, map[string]any{"configuration": map[string]any{
						"event.poller.configuration": `{"contacts":{"url":"/contacts"}}`}}),
				},
			},
		},
	})
}

// FuzzInstanceRefresh decodes arbitrary bytes as an API instance and maps
// it onto a fixed prior model, as Read, Create, Update and import do, and
// onto both data sources' models. Nothing may panic, the mapping may not
// report errors, and every result must be storable under its schema.
//
//	go test -run='^$' -fuzz=FuzzInstanceRefresh -fuzztime=10s ./internal/provider
func FuzzInstanceRefresh(f *testing.F) {
	for _, seed := range []string{
		`{"id":1000,"name":"Hostile","createdDate":"2024-05-01T12:00:00Z","token":"tok","element":{"id":1,"key":"fake"},
		  "elementId":1,"tags":["a","b"],"valid":true,"disabled":false,"eventsEnabled":true,
		  "configuration":{"region":"eu","api.secret":"********","event.notification.enabled":"true",
		  "event.notification.callback.url":"https://app.example.com/events","event.notification.signature.key":"********",
		  "event.vendor.type":"polling","event.poller.refresh_interval":"15","event.poller.configuration":"{\"contacts\":{}}",
		  "event.objects":"contacts, ,lists"}}`,
		`{"id":"12","tags":[{"id":1,"name":"x"},null],"configuration":{"region":null,"api.secret":null,"event.objects":null}}`,
		`{"id":1,"configuration":{"event.notification.enabled":"false","event.notification.callback.url":"x"}}`,
		`{"id":1,"configuration":{"event.poller.refresh_interval":"soon","event.poller.configuration":"{nope","event.vendor.type":"WebHooks "}}`,
		`{"id":1,"configuration":{"event.poller.refresh_interval":99999999999999999999,"event.objects":",,,"}}`,
		`{"id":-5,"name":"","element":{},"tags":null,"configuration":null,"createdDate":12}`,
		`{}`, `{"configuration":{"":""}}`, `{"tags":["a","a"]}`,
	} {
		f.Add([]byte(seed))
	}
	ctx := context.Background()
	var rs resource.SchemaResponse
	(&instanceResource{}).Schema(ctx, resource.SchemaRequest{}, &rs)
	var ds, lds datasource.SchemaResponse
	(&instanceDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &ds)
	(&instancesDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &lds)
	if rs.Diagnostics.HasError() || ds.Diagnostics.HasError() || lds.Diagnostics.HasError() {
		f.Fatal("schemas")
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		var in cloudelements.Instance
		if json.Unmarshal(data, &in) != nil {
			return
		}
		for _, mode := range []refreshMode{refreshApply, refreshRead, refreshImport} {
			importing := mode == refreshImport
			m := fuzzPriorModel(importing)
			if d := m.refresh(ctx, &in, mode, nil); d.HasError() {
				t.Fatalf("refresh (mode %v): %v", mode, d)
			}
			if m.ID.ValueString() != in.ID.String() {
				t.Fatalf("id %q, want %q", m.ID.ValueString(), in.ID.String())
			}
			st := tfsdk.State{Schema: rs.Schema, Raw: tftypes.NewValue(rs.Schema.Type().TerraformType(ctx), nil)}
			if d := st.Set(ctx, &m); d.HasError() {
				t.Fatalf("state (importing %v): %v", importing, d)
			}
			prior := fuzzPriorModel(false)
			if _, _, d := updateRequest(ctx, &prior, &m, managedKeys{}); d.HasError() {
				t.Fatalf("update request: %v", d)
			}
			if _, d := m.createRequest(ctx, writeOnlyValues{}); d.HasError() {
				t.Fatalf("create request: %v", d)
			}
		}

		var one instanceDataSourceModel
		if d := one.fill(ctx, &in); d.HasError() {
			t.Fatalf("data source: %v", d)
		}
		st := tfsdk.State{Schema: ds.Schema, Raw: tftypes.NewValue(ds.Schema.Type().TerraformType(ctx), nil)}
		if d := st.Set(ctx, &one); d.HasError() {
			t.Fatalf("data source state: %v", d)
		}
		s, d := summarize(ctx, &in)
		if d.HasError() {
			t.Fatalf("summary: %v", d)
		}
		list := instancesDataSourceModel{Tags: types.SetNull(types.StringType), Instances: []instanceSummaryModel{s}, IDs: []types.String{s.ID}}
		st = tfsdk.State{Schema: lds.Schema, Raw: tftypes.NewValue(lds.Schema.Type().TerraformType(ctx), nil)}
		if d := st.Set(ctx, &list); d.HasError() {
			t.Fatalf("instances data source state: %v", d)
		}
	})
}

// fuzzPriorModel is a fully populated prior (state or plan); for an import
// only the id is known.
func fuzzPriorModel(importing bool) instanceResourceModel {
	null := instanceResourceModel{
		ID:                     types.StringValue("1000"),
		ElementKey:             types.StringNull(),
		Name:                   types.StringNull(),
		ProviderData:           types.MapNull(types.StringType),
		ProviderDataWO:         types.MapNull(types.StringType),
		SensitiveConfigWO:      types.MapNull(types.StringType),
		Configuration:          types.MapNull(types.StringType),
		SensitiveConfiguration: types.MapNull(types.StringType),
		Tags:                   types.SetNull(types.StringType),
		TagsAll:                types.SetNull(types.StringType),
		Disabled:               types.BoolNull(),
		EventNotification:      types.ListNull(eventNotificationObjectType),
		Token:                  types.StringNull(),
		ElementID:              types.Int64Null(),
		Valid:                  types.BoolNull(),
		CreatedDate:            types.StringNull(),
		Timeouts:               nullTimeouts(),
	}
	if importing {
		return null
	}
	strMap := func(kv ...string) types.Map {
		m := map[string]attr.Value{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = types.StringValue(kv[i+1])
		}
		return types.MapValueMust(types.StringType, m)
	}
	m := null
	m.ElementKey = types.StringValue("fake")
	m.Name = types.StringValue("Hostile")
	m.ProviderData = strMap("code", "grant")
	m.Configuration = strMap("region", "eu", "filter.response.nulls", "true")
	m.SensitiveConfiguration = strMap("api.secret", "s3cret", "client.token", "t0ken")
	m.Tags = types.SetValueMust(types.StringType, []attr.Value{types.StringValue("a")})
	m.TagsAll = m.Tags
	m.Disabled = types.BoolValue(false)
	m.Token = types.StringValue("old-token")
	m.ElementID = types.Int64Value(1)
	m.Valid = types.BoolValue(true)
	m.CreatedDate = types.StringValue("2024-05-01T12:00:00Z")
	ev := types.ObjectValueMust(eventNotificationAttrTypes, map[string]attr.Value{
		"enabled":                  types.BoolValue(true),
		"callback_url":             types.StringValue("https://app.example.com/events"),
		"signature_key":            types.StringValue("sig"),
		"signature_key_wo":         types.StringNull(),
		"signature_key_wo_version": types.Int64Null(),
		"vendor_type":              types.StringValue(configkeys.VendorPolling),
		"poller_refresh_interval":  types.Int64Value(15),
		"poller_configuration":     jsontypes.NewNormalizedValue(`{"contacts":{}}`),
		"objects":                  types.SetValueMust(types.StringType, []attr.Value{types.StringValue("contacts")}),
		"instance_finder":          types.StringNull(),
		"poller_urls":              types.StringNull(),
		"metadata":                 jsontypes.NewNormalizedNull(),
	})
	m.EventNotification = types.ListValueMust(eventNotificationObjectType, []attr.Value{ev})
	return m
}
