// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// Routes of the common-resource endpoints, as the mock records them.
const (
	definitionRoute     = "/organizations/objects/{objectName}/definitions"
	transformationRoute = "/organizations/elements/{keyOrId}/transformations/{objectName}"
)

// commonResourceHCL is one cloudelements_common_resource block.
type commonResourceHCL struct {
	Label, Name string
	Fields      map[string]string
}

func (c commonResourceHCL) String() string {
	label := c.Label
	if label == "" {
		label = "test"
	}
	return fmt.Sprintf("resource \"cloudelements_common_resource\" %q {\n  name   = %s\n  fields = %s\n}\n",
		label, hclQuote(c.Name), hclMap(c.Fields))
}

// transformationHCL is one cloudelements_transformation block. ObjectName
// is an HCL expression (often cloudelements_common_resource.test.name);
// Configuration and Script are HCL expressions too ("" leaves them out).
type transformationHCL struct {
	Label, Element, ObjectName, Vendor string
	Fields                             map[string]string
	Configuration, Script              string
}

func (c transformationHCL) String() string {
	label := c.Label
	if label == "" {
		label = "test"
	}
	obj := c.ObjectName
	if obj == "" {
		obj = "cloudelements_common_resource.test.name"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"cloudelements_transformation\" %q {\n  element_key = %s\n  object_name = %s\n  vendor_name = %s\n  fields      = %s\n",
		label, hclQuote(c.Element), obj, hclQuote(c.Vendor), hclMap(c.Fields))
	if c.Configuration != "" {
		fmt.Fprintf(&b, "  configuration = %s\n", c.Configuration)
	}
	if c.Script != "" {
		fmt.Fprintf(&b, "  script = %s\n", c.Script)
	}
	b.WriteString("}\n")
	return b.String()
}

// checkVdrsEmpty is a CheckDestroy asking the mock whether any definition
// or transformation is left.
func checkVdrsEmpty(mock *testMock) func(*terraform.State) error {
	return func(*terraform.State) error {
		var left []string
		for _, d := range mock.Definitions() {
			left = append(left, "definition "+d.ObjectName)
		}
		for _, t := range mock.Transformations() {
			left = append(left, "transformation "+t.ElementKey+"/"+t.ObjectName)
		}
		if len(left) > 0 {
			return fmt.Errorf("left in the mock after destroy: %s", strings.Join(left, ", "))
		}
		return nil
	}
}

// expectMockDefinition checks the mock's stored definition: its fields,
// path to type, exactly.
func expectMockDefinition(mock *testMock, name string, want map[string]string) statecheck.StateCheck {
	return requestCheck(func() error {
		d, ok := mock.Definition(name)
		if !ok {
			return fmt.Errorf("definition %q is not in the mock", name)
		}
		got := map[string]string{}
		for _, f := range d.Fields {
			got[f.Path] = f.Type
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("definition %q in the mock: fields %v, want %v", name, got, want)
		}
		return nil
	})
}

// expectMockTransformation runs check on the mock's stored transformation.
func expectMockTransformation(mock *testMock, key, name string, check func(mockapi.Transformation) error) statecheck.StateCheck {
	return requestCheck(func() error {
		t, ok := mock.Transformation(key, name)
		if !ok {
			return fmt.Errorf("transformation %s/%s is not in the mock", key, name)
		}
		return check(t)
	})
}

// postToMock POSTs to the mock, authenticated, as the console would, and
// fails the test unless it answers 200.
func postToMock(t *testing.T, mock *testMock, path, body string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, mock.BaseURL+path, bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "User "+testUserSecret+", Organization "+testOrgSecret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d", path, resp.StatusCode)
	}
}
