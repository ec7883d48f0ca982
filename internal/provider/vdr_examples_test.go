// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// readExample returns an example file with ${path.module} pointing at its
// directory, so file() finds the files beside it.
func readExample(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("../../examples", rel))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(raw), "${path.module}", filepath.Dir(p))
}

// The documentation's examples apply against the mock with an empty plan
// afterwards, and the data source example reads what they made.
func TestAccCommonResourceExamples(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	common := readExample(t, "resources/cloudelements_common_resource/resource.tf")
	mappings := readExample(t, "resources/cloudelements_transformation/resource.tf")
	lookup := readExample(t, "data-sources/cloudelements_common_resource/data-source.tf")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkVdrsEmpty(mock),
		Steps: []resource.TestStep{
			{Config: mock.ProviderConfig() + common},
			{
				ResourceName:                         "cloudelements_common_resource.contact",
				ImportState:                          true,
				ImportStateId:                        "myContact",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "name",
			},
			{Config: mock.ProviderConfig() + mappings},
			{
				Config: mock.ProviderConfig() + mappings + lookup,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.cloudelements_common_resource.contact", tfjsonpath.New("element_keys"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("hubspotcrm"), knownvalue.StringExact("sfdc")})),
				},
			},
			{
				ResourceName:                         "cloudelements_transformation.contact_sfdc",
				ImportState:                          true,
				ImportStateId:                        "sfdc/myContact",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "element_key",
			},
		},
	})
}
