// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

const listAddr = "data.cloudelements_instances.list"

func idList(ids ...int64) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.StringExact(strconv.FormatInt(id, 10))
	}
	return knownvalue.ListExact(checks)
}

// The API's filters on GET /instances are not documented: under every
// reading the mock offers (several tags[] matched with ANY or ignored,
// searchText ignored, no paging, a next-page token on every page, an empty
// search answered with [] instead of 404) the data source returns the same.
func TestAccInstancesDataSource_filters(t *testing.T) {
	readings := map[string]mockapi.Options{
		"documented defaults": {},
		"tags[] match any":    {TagsFilter: mockapi.TagsFilterAny},
		"tags[] ignored":      {TagsFilter: mockapi.TagsFilterIgnore},
		"searchText ignored":  {SearchText: mockapi.SearchTextIgnore},
		"no paging":           {Paging: mockapi.PagingNone, MaxPageSize: 2},
		"token on every page": {Paging: mockapi.PagingAlwaysToken, MaxPageSize: 2},
		"empty search is []":  {EmptySearch404: new(false)},
	}
	for name, opts := range readings {
		t.Run(name, func(t *testing.T) { testAccInstancesFilters(t, opts, readingCLIs(name == "documented defaults")) })
	}
}

func testAccInstancesFilters(t *testing.T, opts mockapi.Options, clis []tfversion.TerraformVersionCheck) {
	mock := newTestMock(t, opts)
	seed := func(name, key string, tags ...string) int64 {
		return mock.Seed(mockapi.Instance{Name: name, ElementKey: key, Tags: tags}).ID
	}
	crmProd := seed("CRM prod", "campaignmonitor", "team-crm", "prod")
	crmDev := seed("CRM dev", "campaignmonitor", "team-crm")
	sales := seed("Sales prod", "sfdc", "team-sales", "prod")
	hub := seed("Hub CRM", "hubspot", "team-crm", "prod")
	mock.Mutate(crmProd, func(in *mockapi.Instance) {
		in.Configuration["event.notification.enabled"] = "true"
		in.Configuration["event.notification.callback.url"] = "https://app.example.com/events"
	})

	list := func(filters string) string {
		return mock.ProviderConfig() + "data \"cloudelements_instances\" \"list\" {\n" + filters + "\n}\n"
	}
	ids := func(want ...int64) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(listAddr, at("ids"), idList(want...)),
			statecheck.ExpectKnownValue(listAddr, at("instances"), knownvalue.ListSizeExact(len(want))),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   clis,
		Steps: []resource.TestStep{
			{Config: list(""), ConfigStateChecks: append(ids(crmProd, crmDev, sales, hub),
				statecheck.ExpectKnownValue(listAddr, at("instances", 0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":             knownvalue.StringExact(strconv.FormatInt(crmProd, 10)),
					"name":           knownvalue.StringExact("CRM prod"),
					"element_key":    knownvalue.StringExact("campaignmonitor"),
					"element_id":     knownvalue.Int64Exact(elementID(t, "campaignmonitor")),
					"tags":           knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("prod"), knownvalue.StringExact("team-crm")}),
					"valid":          knownvalue.Bool(true),
					"disabled":       knownvalue.Bool(false),
					"events_enabled": knownvalue.Bool(true),
					"callback_url":   knownvalue.StringExact("https://app.example.com/events"),
					"created_date":   knownvalue.NotNull(),
				})),
			)},
			{Config: list(`tags = ["prod"]`), ConfigStateChecks: ids(crmProd, sales, hub)},
			{Config: list(`tags = ["prod", "team-crm"]`), ConfigStateChecks: ids(crmProd, hub)},
			{Config: list(`element_key = "campaignmonitor"`), ConfigStateChecks: ids(crmProd, crmDev)},
			{Config: list(`name_contains = "CRM"`), ConfigStateChecks: ids(crmProd, crmDev, hub)},
			{Config: list(`name_contains = "crm"`), ConfigStateChecks: ids()}, // case-sensitive
			{
				Config:            list("tags = [\"team-crm\"]\nelement_key = \"campaignmonitor\"\nname_contains = \"prod\""),
				ConfigStateChecks: ids(crmProd),
			},
			{ // The API answers 404 "No instances found": an empty result.
				Config:            list(`name_contains = "nothing like this"`),
				ConfigStateChecks: ids(),
			},
			{Config: list(`element_key = "box"`), ConfigStateChecks: ids()},
		},
	})
}

func TestAccInstancesDataSource_paging(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{MaxPageSize: 100})
	for i := range 450 {
		mock.Seed(mockapi.Instance{Name: fmt.Sprintf("bulk-%03d", i), ElementKey: "fake", Tags: []string{"bulk"}})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: mock.ResetRequests,
			Config:    mock.ProviderConfig() + `data "cloudelements_instances" "list" { tags = ["bulk"] }`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(listAddr, at("ids"), knownvalue.ListSizeExact(450)),
				statecheck.ExpectKnownValue(listAddr, at("instances", 449, "name"), knownvalue.StringExact("bulk-449")),
				// 450 instances at 100 a page is 5 pages per read.
				expectListPagesPerRead(mock, 5),
				expectRequestedPageSize(mock, "200"),
			},
		}},
	})
}

// expectRequestedPageSize asserts every list request asked for the largest page.
func expectRequestedPageSize(mock *testMock, want string) statecheck.StateCheck {
	return stateFunc(func(*resourceState) error {
		for _, r := range mock.Requests() {
			if r.Route == "/instances" && r.Method == "GET" && !isCredentialCheck(r) && r.Query.Get("pageSize") != want {
				return fmt.Errorf("list request with pageSize=%q, want %q", r.Query.Get("pageSize"), want)
			}
		}
		return nil
	}, "")
}

// expectListPagesPerRead asserts that each read of the list (a request
// without nextPage starts one) took exactly pages requests. The CLI may read
// a data source more than once in a step.
func expectListPagesPerRead(mock *testMock, pages int) statecheck.StateCheck {
	return stateFunc(func(*resourceState) error {
		reads, total := 0, 0
		for _, r := range mock.Requests() {
			if r.Route != "/instances" || r.Method != "GET" || isCredentialCheck(r) {
				continue
			}
			total++
			if !r.Query.Has("nextPage") {
				reads++
			}
		}
		if reads == 0 || total != reads*pages {
			return fmt.Errorf("%d list requests in %d reads, want %d per read", total, reads, pages)
		}
		return nil
	}, "")
}
