// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/protocolserver"
)

// testAccProviderFactoriesWithEcho adds plugin-testing's echo provider,
// which copies its provider configuration into the state of its "echo"
// resource: the one way to look at an ephemeral value from a test.
var testAccProviderFactoriesWithEcho = map[string]func() (tfprotov6.ProviderServer, error){
	"cloudelements": protocolserver.NewProtocol6WithError(New("test")()),
	"echo":          echoprovider.NewProviderServer(),
}

// TestAccInstanceTokenEphemeral_read opens the ephemeral resource and passes
// what it read through the echo provider: the name and element key as they
// are, the token only as its SHA-256, so the test can prove the token was
// the instance's while the state (all of it) never holds the token itself.
func TestAccInstanceTokenEphemeral_read(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	seeded := mock.Seed(mockapi.Instance{Name: "Token source", Tags: []string{"team-crm"}})
	sum := sha256.Sum256([]byte(seeded.Token))
	mock.ResetRequests()

	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: testAccProviderFactoriesWithEcho,
		Steps: []resource.TestStep{{
			Config: mock.ProviderConfig() + fmt.Sprintf(`
ephemeral "cloudelements_instance_token" "src" {
  id = "%d"
}

provider "echo" {
  data = {
    token_sha256 = sha256(ephemeral.cloudelements_instance_token.src.token)
    name         = ephemeral.cloudelements_instance_token.src.name
    element_key  = ephemeral.cloudelements_instance_token.src.element_key
  }
}

resource "echo" "read" {}
`, seeded.ID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.read", tfjsonpath.New("data").AtMapKey("token_sha256"),
					knownvalue.StringExact(hex.EncodeToString(sum[:]))),
				statecheck.ExpectKnownValue("echo.read", tfjsonpath.New("data").AtMapKey("name"), knownvalue.StringExact("Token source")),
				statecheck.ExpectKnownValue("echo.read", tfjsonpath.New("data").AtMapKey("element_key"), knownvalue.StringExact("fake")),
				nowhereInState(map[string]string{"the instance token": seeded.Token}),
				onlyReadsOf(mock, seeded.ID),
			},
		}},
	})
}

// TestAccInstanceTokenEphemeral_writeOnly feeds the token to a write-only
// argument, the resource's own sensitive_configuration_wo, as a user would
// hand it to another provider's secret store. The consumer instance holds
// the token in the API, the state holds it nowhere, and a *_wo_version bump after re-authentication sends the new
// token: each run reads it afresh.
func TestAccInstanceTokenEphemeral_writeOnly(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	source := mock.Seed(mockapi.Instance{Name: "Token source"})
	const consumer = "cloudelements_instance.consumer"
	config := func(version int) string {
		return mock.ProviderConfig() + fmt.Sprintf(`
ephemeral "cloudelements_instance_token" "src" {
  id = "%d"
}

resource "cloudelements_instance" "consumer" {
  element_key = "fake"
  name        = "Token consumer"
  sensitive_configuration_wo = {
    "upstream.instance.token" = ephemeral.cloudelements_instance_token.src.token
  }
  sensitive_configuration_wo_version = %d
}
`, source.ID, version)
	}
	holdsToken := func(want *string) statecheck.StateCheck {
		return expectMockInstance(mock, consumer, func(in mockapi.Instance) error {
			return wantConfig(in.Configuration, map[string]string{"upstream.instance.token": *want})
		})
	}
	firstToken, secondToken := source.Token, "rotated-token-0a5c3e"

	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if left := mock.Instances(); len(left) != 1 || left[0].ID != source.ID {
				return fmt.Errorf("after destroy the mock holds %d instances, want only the source %d", len(left), source.ID)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config(1),
				ConfigStateChecks: []statecheck.StateCheck{
					holdsToken(&firstToken),
					nowhereInState(map[string]string{"the source's token": firstToken}),
				},
			},
			{
				// The source is re-authenticated elsewhere: a new token.
				PreConfig: func() {
					mock.Mutate(source.ID, func(in *mockapi.Instance) { in.Token = secondToken })
				},
				Config: config(2),
				ConfigStateChecks: []statecheck.StateCheck{
					holdsToken(&secondToken),
					nowhereInState(map[string]string{"the source's first token": firstToken, "the source's second token": secondToken}),
				},
			},
		},
	})
}

// TestAccInstanceTokenEphemeral_errors: a missing instance is an error that
// names the id; an id that is not a number is refused before any request.
func TestAccInstanceTokenEphemeral_errors(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	config := func(id string) string {
		return mock.ProviderConfig() + fmt.Sprintf(`
ephemeral "cloudelements_instance_token" "src" {
  id = %q
}
`, id)
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config("424242"),
				ExpectError: errorPattern(`Cloud Elements Instance Not Found[\s\S]*There is no instance 424242`),
			},
			{
				Config:      config("12ab"),
				ExpectError: errorPattern(`must be a numeric instance id`),
			},
			{
				PreConfig: func() {
					if n := mock.RequestCount("GET", "/instances/{id}"); n == 0 {
						t.Error("the missing instance was never asked for")
					}
					for _, r := range mock.Requests() {
						if strings.Contains(r.Path, "12ab") {
							t.Errorf("a request was made for the invalid id: %s %s", r.Method, r.Path)
						}
					}
				},
				Config:      config("1"),
				ExpectError: errorPattern(`There is no instance 1\b`),
			},
		},
	})
}

// nowhereInState fails when any of values (name -> value) appears anywhere
// in the state as `terraform show -json` gives it: every resource, every
// attribute, sensitive or not.
func nowhereInState(values map[string]string) statecheck.StateCheck {
	return wholeStateCheck(func(text string) error {
		var found []string
		for what, v := range values {
			if v != "" && strings.Contains(text, v) {
				found = append(found, what)
			}
		}
		if len(found) > 0 {
			return fmt.Errorf("the state holds %s", strings.Join(found, ", "))
		}
		return nil
	})
}

type wholeStateCheck func(text string) error

func (c wholeStateCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	raw, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	resp.Error = c(string(raw))
}

// onlyReadsOf checks that the API saw nothing but reads of instance id, and
// at least one: opening the ephemeral resource reads the instance, and
// nothing else touches the API.
func onlyReadsOf(mock *testMock, id int64) statecheck.StateCheck {
	return requestCheck(func() error {
		reqs := mock.Requests()
		if len(reqs) == 0 {
			return fmt.Errorf("no request: the token was never read")
		}
		want := fmt.Sprintf("/instances/%d", id)
		for _, r := range reqs {
			if isCredentialCheck(r) {
				continue
			}
			if r.Method != "GET" || r.Route != "/instances/{id}" || !strings.HasSuffix(r.Path, want) {
				return fmt.Errorf("unexpected request %s %s", r.Method, r.Path)
			}
		}
		return nil
	})
}
