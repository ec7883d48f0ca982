// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/jsonvalue"

	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

const (
	formulaAddr         = "cloudelements_formula.test"
	formulaInstanceAddr = "cloudelements_formula_instance.test"
)

// formulaHCL describes one cloudelements_formula block.
type formulaHCL struct {
	Label, Name, Definition string
	Description             string // "" = unset
	Active                  *bool
}

func (c formulaHCL) String() string {
	label := c.Label
	if label == "" {
		label = "test"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"cloudelements_formula\" %q {\n  name       = %s\n  definition = %s\n", label, hclQuote(c.Name), hclQuote(c.Definition))
	if c.Description != "" {
		fmt.Fprintf(&b, "  description = %s\n", hclQuote(c.Description))
	}
	if c.Active != nil {
		fmt.Fprintf(&b, "  active = %v\n", *c.Active)
	}
	b.WriteString("}\n")
	return b.String()
}

// mockDo sends one request to the mock's API as a user would (through the
// console or another tool): out-of-band changes and checks of what the
// mock holds.
func mockDo(t *testing.T, mock *testMock, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, mock.BaseURL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", fmt.Sprintf("User %s, Organization %s", testUserSecret, testOrgSecret))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// mockJSON is mockDo for a request that must succeed, decoded.
func mockJSON(t *testing.T, mock *testMock, method, path string, body any) any {
	t.Helper()
	status, out := mockDo(t, mock, method, path, body)
	if status != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, path, status, out)
	}
	if len(bytes.TrimSpace(out)) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s %s: %v: %s", method, path, err, out)
	}
	return v
}

// mockFormulas lists the formulas the mock holds (none: an empty list, or
// the 404 an empty search may answer).
func mockFormulas(t *testing.T, mock *testMock) []map[string]any {
	t.Helper()
	status, out := mockDo(t, mock, "GET", "/formulas", nil)
	if status == http.StatusNotFound {
		return nil
	}
	var l []map[string]any
	if status != http.StatusOK || json.Unmarshal(out, &l) != nil {
		t.Fatalf("GET /formulas: %d %s", status, out)
	}
	return l
}

// checkNoFormulas is a CheckDestroy that asks the mock whether any formula
// or formula instance is left.
func checkNoFormulas(t *testing.T, mock *testMock) func(*terraform.State) error {
	return func(*terraform.State) error {
		if left := mockFormulas(t, mock); len(left) > 0 {
			return fmt.Errorf("%d formulas left in the mock after destroy", len(left))
		}
		status, out := mockDo(t, mock, "GET", "/formulas/instances", nil)
		if status == http.StatusOK && !bytes.Equal(bytes.TrimSpace(out), []byte("[]")) {
			return fmt.Errorf("formula instances left in the mock after destroy: %s", out)
		}
		return nil
	}
}

// expectMockFormula checks the formula whose id cloudelements_formula.test
// holds, as the mock returns it.
func expectMockFormula(t *testing.T, mock *testMock, check func(f map[string]any) error) statecheck.StateCheck {
	return stateFunc(func(s *resourceState) error {
		status, out := mockDo(t, mock, "GET", fmt.Sprintf("/formulas/%v", s.values["id"]), nil)
		if status != http.StatusOK {
			return fmt.Errorf("formula %v: GET answered %d %s", s.values["id"], status, out)
		}
		var f map[string]any
		if err := json.Unmarshal(out, &f); err != nil {
			return err
		}
		return check(f)
	}, formulaAddr)
}

// getContact finds step get-contact of the test formula as the API
// returns it.
func getContact(f map[string]any) map[string]any {
	for _, s := range jsonvalue.Objects(f["steps"]) {
		if s["name"] == "get-contact" {
			return s
		}
	}
	return nil
}

// formulaIDOf reads the id a resource holds in state.
func formulaIDOf(address string, into *string) statecheck.StateCheck {
	return stateFunc(func(s *resourceState) error {
		*into = fmt.Sprint(s.values["id"])
		return nil
	}, address)
}

func sameFormulaID(address string, captured *string) statecheck.StateCheck {
	return stateFunc(func(s *resourceState) error {
		if got := fmt.Sprint(s.values["id"]); got != *captured {
			return fmt.Errorf("%s id %s, want the same %s", address, got, *captured)
		}
		return nil
	}, address)
}

// propertiesOf returns a step's properties object (nil when it has none).
func propertiesOf(step map[string]any) map[string]any {
	p, _ := step["properties"].(map[string]any)
	return p
}
