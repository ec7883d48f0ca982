// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// Mistakes the element's definitions reveal fail the plan, with no write.
func TestAccInstanceResource_catalogChecks(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	cases := []struct {
		name string
		hcl  instanceHCL
		err  string
	}{
		{
			"missing required key",
			instanceHCL{Element: "wufoo", Name: "Forms", Config: map[string]string{"username": "u"}},
			`Missing Required Configuration Key[\s\S]*"wufoo" requires "password"[\s\S]*sensitive_configuration`,
		},
		{
			"password in plain configuration",
			instanceHCL{Element: "wufoo", Name: "Forms", Config: map[string]string{"username": "u", "password": "p"}},
			`Password in Plain Configuration[\s\S]*"password"[\s\S]*sensitive_configuration`,
		},
		{
			"boolean that is not one",
			instanceHCL{Element: "paypalv2", Name: "Pay", ProviderData: map[string]string{"code": "c"},
				Config:    map[string]string{"oauth.api.key": "k", "oauth.callback.url": "https://a.example.com/cb", "paypalv2.sandbox": "maybe"},
				Sensitive: map[string]string{"oauth.api.secret": "s"}},
			`Invalid Boolean Configuration Value[\s\S]*paypalv2.sandbox[\s\S]*"maybe"`,
		},
		{
			"polling settings on a webhook-only element",
			instanceHCL{Element: "typeform", Name: "Forms", Config: map[string]string{"api.key": "k"},
				Events: "    callback_url = \"https://app.example.com/events\"\n    poller_refresh_interval = 5"},
			`Polling Setting on a Webhook Element[\s\S]*"typeform" delivers events by webhook only[\s\S]*poller_refresh_interval`,
		},
		{
			"webhook on a polling-only element",
			instanceHCL{Element: "stripe", Name: "Payments", Config: map[string]string{"api.key": "k"},
				Events: "    callback_url = \"https://app.example.com/events\"\n    vendor_type = \"webhook\""},
			`Event Method Not Supported by Element[\s\S]*"stripe" delivers events by polling only[\s\S]*vendor_type = "webhook"`,
		},
		{
			"unknown element",
			instanceHCL{Element: "no-such-element", Name: "X"},
			`Unknown Cloud Elements Element[\s\S]*no-such-element`,
		},
		{
			"unknown element named like one",
			instanceHCL{Element: "salesforce", Name: "X"},
			`Unknown Cloud Elements Element[\s\S]*"salesforce"[\s\S]*Did you mean "sfdc"`,
		},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: testAccInstanceConfig(mock, c.hcl), PlanOnly: true, ExpectError: errorPattern(c.err)})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
	for _, r := range mock.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("a failed plan sent %s %s", r.Method, r.Path)
		}
	}
}

// A key the element does not define is a warning naming it; the plan goes
// on. A catalog the provider cannot read (403) is one warning, and plans
// without the checks.
func TestAccInstanceResource_catalogWarnings(t *testing.T) {
	cli := newCLIRunner(t)
	mock := newTestMock(t, mockapi.Options{})
	config := func(m *testMock) string {
		return "terraform {\n  required_providers {\n    cloudelements = { source = \"cloudelements/cloudelements\" }\n  }\n}\n" +
			testAccInstanceConfig(m,
				instanceHCL{Label: "a", Element: "wufoo", Name: "A", Config: map[string]string{"username": "u", "sitee": "typo"},
					Sensitive: map[string]string{"password": "p"}},
				instanceHCL{Label: "b", Element: "wufoo", Name: "B", Config: map[string]string{"username": "u"}})
	}
	cli.write(config(mock))
	cli.run("init", "-input=false")
	out, err := cli.try("plan", "-input=false")
	if err == nil || !strings.Contains(out, "Warning: Unknown Configuration Key") || !strings.Contains(out, `"sitee" is not a configuration key of element "wufoo"`) {
		t.Errorf("want an unknown-key warning (and b's missing password error), got (err %v):\n%s", err, out)
	}
	expectText(t, normalizeCLIText(out), `"sitee" is not a configuration key of element "wufoo"; the API may ignore it. Did you mean "site"\?`)

	outage := newTestMock(t, mockapi.Options{CatalogStatus: http.StatusForbidden})
	cli.write(config(outage))
	out = cli.run("plan", "-input=false")
	if n := strings.Count(out, "Warning: Element Catalog Unavailable"); n != 1 {
		t.Errorf("%d catalog warnings, want 1:\n%s", n, out)
	}
	if !strings.Contains(out, "2 to add") {
		t.Errorf("the plan did not go on without the checks:\n%s", out)
	}
}

// At most one catalog request per distinct element per provider process,
// shared by every instance: planning ten new instances of one element and
// ten of another, ten at a time as Terraform does (the first plans of both
// elements race for the catalog), makes exactly 2 requests. (A plan of existing instances adds its reads, one per
// instance; `make bench` counts those.)
func TestCatalog_oneRequestPerElement(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	ctx := context.Background()
	d := newDirectProvider(t, ctx, mock, 0, 0)
	plan := func(element string, i int) {
		cfg := d.object(d.resType, map[string]tftypes.Value{
			"element_key":             str(element),
			"name":                    str(fmt.Sprintf("%s-%d", element, i)),
			"sensitive_configuration": tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"password": str("p")}),
			"configuration":           tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"username": str("u")}),
		})
		resp, err := d.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: d.resource, PriorState: d.dynamic(d.resType, tftypes.NewValue(d.resType, nil)),
			ProposedNewState: d.dynamic(d.resType, cfg), Config: d.dynamic(d.resType, cfg),
		})
		if err != nil || diagsHaveError(resp.Diagnostics) {
			t.Errorf("plan %s %d: %v %s", element, i, err, diagsText(resp.Diagnostics))
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 10) // Terraform's default parallelism
	// Concurrent plans, as Terraform runs them: one request per element.
	for i := range 10 {
		for _, element := range []string{"wufoo", "chargebee"} {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				plan(element, i)
			}()
		}
	}
	wg.Wait()
	// In all: those 2, and the configure-time check of the secrets.
	if n, all := mock.RequestCount("GET", "/elements/{keyOrId}"), mock.RequestCount("", ""); n != 2 || all != 3 {
		t.Errorf("planning 20 concurrent creates of 2 elements made %d catalog requests (%d in all), want 2 (3)", n, all)
	}
}
