// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/readbatch"
)

// batchConstant is c in the bound of a batched refresh: the first reads by
// id (readbatch.DefaultAfter), the listing's verification read, the credentials
// check.
const batchConstant = readbatch.DefaultAfter + 2

// batchConfig is n instances of the fake element (tags, events with a
// masked signature key) under a provider block with extra lines.
func batchConfig(mock *testMock, providerExtra string, n int) string {
	return fmt.Sprintf(`
provider "cloudelements" {
  base_url            = %q
  user_secret         = %q
  organization_secret = %q
%s
}

resource "cloudelements_instance" "many" {
  count         = %d
  element_key   = "fake"
  name          = "batch-${count.index}"
  tags          = ["batch", "n-${count.index}"]
  configuration = { "region" = "eu" }
  event_notification {
    callback_url  = "https://hooks.example.com/batch/${count.index}"
    signature_key = "sig-${count.index}"
    vendor_type   = "webhook"
  }
}
`, mock.BaseURL, testUserSecret, testOrgSecret, providerExtra, n)
}

// refreshRequests checks, at plan time, the requests the refresh made since
// the last reset: GET /instances/{id} and GET /instances (pages and the
// credentials check).
type refreshRequests struct {
	t     *testing.T
	mock  *testMock
	label string
	check func(gets, lists int) error
}

func (c refreshRequests) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	gets, lists := c.mock.RequestCount("GET", "/instances/{id}"), c.mock.RequestCount("GET", "/instances")
	c.t.Logf("%s: %d GET /instances/{id}, %d GET /instances", c.label, gets, lists)
	resp.Error = c.check(gets, lists)
}

// withinBound is the batched refresh's bound: at most
// min(n, pages + batchConstant) requests, plus one read by id for each
// instance gone from the listing (confirmed before it is reported gone).
func withinBound(n, pages, gone int) func(gets, lists int) error {
	return func(gets, lists int) error {
		if limit := min(n, pages+batchConstant) + gone; gets+lists > limit {
			return fmt.Errorf("refresh of %d instances made %d reads by id and %d listings, want at most %d requests", n, gets, lists, limit)
		}
		return nil
	}
}

// idByName is the mock's instance of that name.
func idByName(t *testing.T, mock *testMock, name string) int64 {
	t.Helper()
	for _, in := range mock.Instances() {
		if in.Name == name {
			return in.ID
		}
	}
	t.Fatalf("no instance named %q in the mock", name)
	return 0
}

func removeByName(t *testing.T, mock *testMock, name string) {
	t.Helper()
	mock.Remove(idByName(t, mock, name))
}

// emptyRefreshStep plans config again after resetting the mock's request
// log: the plan is empty and the refresh's requests pass check.
func emptyRefreshStep(t *testing.T, mock *testMock, config, label string, check func(gets, lists int) error) resource.TestStep {
	return resource.TestStep{
		PreConfig: mock.ResetRequests,
		Config:    config,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectEmptyPlan(),
			refreshRequests{t, mock, label, check},
		}},
	}
}

// importSoloStep imports soloInstance by id and compares it with the state
// (the API masks the signature key).
var importSoloStep = resource.TestStep{
	ResourceName:            "cloudelements_instance.solo",
	ImportState:             true,
	ImportStateVerify:       true,
	ImportStateVerifyIgnore: []string{"event_notification.0.signature_key"},
}

// TestAccInstanceResource_batchedReads applies 30 instances, then plans:
// the refresh stays within the bound (and batch_reads = false reads each by
// id); an instance deleted out of band is still found gone and re-created.
func TestAccInstanceResource_batchedReads(t *testing.T) {
	const n = 30
	cases := map[string]struct {
		extra  string
		expect func(gets, lists int) error
		gone   func(gets, lists int) error
	}{
		"on": {expect: withinBound(n, 1, 0), gone: withinBound(n, 1, 1)},
		"off": {
			extra: "  batch_reads = false",
			expect: func(gets, lists int) error {
				if gets != n || lists != 1 {
					return fmt.Errorf("%d reads by id and %d listings, want %d and 1 (the credentials check)", gets, lists, n)
				}
				return nil
			},
			gone: func(gets, lists int) error {
				if gets != n || lists != 1 {
					return fmt.Errorf("%d reads by id and %d listings, want %d and 1", gets, lists, n)
				}
				return nil
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			mock := newTestMock(t, mockapi.Options{})
			config := batchConfig(mock, tc.extra, n)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             checkMockEmpty(mock),
				Steps: []resource.TestStep{
					{Config: config, ConfigStateChecks: nil},
					emptyRefreshStep(t, mock, config, fmt.Sprintf("%s: refresh of %d", name, n), tc.expect),
					{
						PreConfig: func() { mock.ResetRequests(); removeByName(t, mock, "batch-4") },
						Config:    config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("cloudelements_instance.many[4]", plancheck.ResourceActionCreate),
							plancheck.ExpectResourceAction("cloudelements_instance.many[5]", plancheck.ResourceActionNoop),
							refreshRequests{t, mock, fmt.Sprintf("%s: refresh of %d, one deleted out of band", name, n), tc.gone},
						}},
					},
				},
			})
		})
	}
}

// TestAccInstanceResource_batchedReadsReadings runs the batched refresh
// under each reading of the listing (mockapi.Options): with default_tags
// and 250 instances the provider does not manage (tags[] matching all, any
// or ignored; an empty match as [] instead of 404), small pages, no paging,
// a token on every page, searchText ignored. The plan stays empty, an instance deleted out of
// band is re-created, and the requests stay within the bound for M, the
// instances the listing returns.
func TestAccInstanceResource_batchedReadsReadings(t *testing.T) {
	const n, others = 12, 250
	tagged := "  default_tags = [\"managed\"]"
	no404 := false
	cases := map[string]struct {
		opts  mockapi.Options
		extra string
		pages int // of the listing
	}{
		"tags all":            {opts: mockapi.Options{TagsFilter: mockapi.TagsFilterAll}, extra: tagged, pages: 1},
		"tags any":            {opts: mockapi.Options{TagsFilter: mockapi.TagsFilterAny}, extra: tagged, pages: 1},
		"tags ignored":        {opts: mockapi.Options{TagsFilter: mockapi.TagsFilterIgnore}, extra: tagged, pages: 2},
		"small pages":         {opts: mockapi.Options{MaxPageSize: 5}, pages: 3},
		"no paging":           {opts: mockapi.Options{Paging: mockapi.PagingNone}, pages: 1},
		"always token":        {opts: mockapi.Options{Paging: mockapi.PagingAlwaysToken}, pages: 2},
		"empty search 200":    {opts: mockapi.Options{EmptySearch404: &no404}, extra: tagged, pages: 1},
		"search text ignored": {opts: mockapi.Options{SearchText: mockapi.SearchTextIgnore}, pages: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			mock := newTestMock(t, tc.opts)
			if tc.extra != "" {
				for i := range others {
					mock.Seed(mockapi.Instance{Name: fmt.Sprintf("other-%d", i), Tags: []string{"other"}})
				}
			}
			config := batchConfig(mock, tc.extra, n)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   readingCLIs(name == "tags all"),
				CheckDestroy: func(*terraform.State) error {
					if got := len(mock.Instances()); tc.extra != "" && got != others || tc.extra == "" && got != 0 {
						return fmt.Errorf("mock holds %d instances after destroy", got)
					}
					return nil
				},
				Steps: []resource.TestStep{
					{Config: config},
					emptyRefreshStep(t, mock, config, name, withinBound(n, tc.pages, 0)),
					{
						PreConfig: func() { mock.ResetRequests(); removeByName(t, mock, "batch-7") },
						Config:    config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("cloudelements_instance.many[7]", plancheck.ResourceActionCreate),
							plancheck.ExpectResourceAction("cloudelements_instance.many[6]", plancheck.ResourceActionNoop),
							refreshRequests{t, mock, name + ", one deleted out of band", withinBound(n, tc.pages, 1)},
						}},
					},
				},
			})
		})
	}
}

// TestAccInstanceResource_batchedReadsListingDiffers runs the refresh under
// the readings where a listing entry is not what a read by id answers
// (mockapi.Options.ListEntries): without its configuration, or with every
// value masked. The batcher must then read every instance by id: the plan
// stays empty (no listed value reached the state), a change made out of
// band is found, and the refresh costs at most N + c requests.
func TestAccInstanceResource_batchedReadsListingDiffers(t *testing.T) {
	const n = 12
	for _, mode := range []mockapi.ListEntriesMode{mockapi.ListEntriesNoConfiguration, mockapi.ListEntriesMasked} {
		t.Run(string(mode), func(t *testing.T) {
			mock := newTestMock(t, mockapi.Options{ListEntries: mode})
			// n counted instances and one more, which the import step imports.
			config := batchConfig(mock, "", n) + soloInstance
			byID := func(gets, lists int) error {
				if gets < n+1 || gets+lists > n+1+batchConstant {
					return fmt.Errorf("refresh of %d instances made %d reads by id and %d listings, want every instance by id and at most %d requests",
						n+1, gets, lists, n+1+batchConstant)
				}
				return nil
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   readingCLIs(false),
				CheckDestroy:             checkMockEmpty(mock),
				Steps: []resource.TestStep{
					{Config: config},
					emptyRefreshStep(t, mock, config, string(mode), byID),
					{
						PreConfig: func() {
							mock.ResetRequests()
							mock.Mutate(idByName(t, mock, "batch-5"), func(in *mockapi.Instance) { in.Configuration["region"] = "us" })
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("cloudelements_instance.many[5]", plancheck.ResourceActionUpdate),
							plancheck.ExpectResourceAction("cloudelements_instance.many[6]", plancheck.ResourceActionNoop),
							refreshRequests{t, mock, string(mode) + ", one changed out of band", byID},
						}},
					},
					importSoloStep,
				},
			})
		})
	}
}

// soloInstance is one more instance of the fake element, not counted, so
// that an import step can name it (plugin-testing cannot import an address
// with an index).
const soloInstance = `
resource "cloudelements_instance" "solo" {
  element_key   = "fake"
  name          = "batch-solo"
  tags          = ["batch"]
  configuration = { "region" = "eu" }
  event_notification {
    callback_url  = "https://hooks.example.com/batch/solo"
    signature_key = "sig-solo"
    vendor_type   = "webhook"
  }
}
`

// TestAccInstanceResource_batchedReadsTwoElements refreshes instances of two
// elements (fake, and campaignmonitor with OAuth credentials and masked
// secrets): entries are trusted element by element, which costs at most
// one more read by id than a refresh of one element, and the plan stays
// empty.
func TestAccInstanceResource_batchedReadsTwoElements(t *testing.T) {
	const n = 10 // of each element, plus the solo fake instance
	mock := newTestMock(t, mockapi.Options{})
	config := batchConfig(mock, "", n) + soloInstance + fmt.Sprintf(`
resource "cloudelements_instance" "crm" {
  count         = %d
  element_key   = "campaignmonitor"
  name          = "crm-${count.index}"
  provider_data = { code = "grant-${count.index}" }
  configuration = {
    "oauth.callback.url" = "https://app.example.com/oauth/callback"
    "oauth.api.key"      = "client-id"
  }
  sensitive_configuration = { "oauth.api.secret" = "client-secret" }
}
`, n)
	// One page; one verification for the second element.
	bound := withinBound(2*n+1, 1, 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{Config: config},
			emptyRefreshStep(t, mock, config, "two elements", bound),
			importSoloStep,
		},
	})
}
