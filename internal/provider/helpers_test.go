package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// mockInstanceCheck asks the mock about the instance behind a resource
// address in state, so a test asserts what the API holds, not only state.
type mockInstanceCheck struct {
	mock    *testMock
	address string
	check   func(in mockapi.Instance) error
}

// expectMockInstance runs check against the mock's stored (unmasked) copy
// of the instance whose id the resource at address holds.
func expectMockInstance(mock *testMock, address string, check func(in mockapi.Instance) error) statecheck.StateCheck {
	return mockInstanceCheck{mock: mock, address: address, check: check}
}

func (c mockInstanceCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	r := findResource(req.State, c.address)
	if r == nil {
		resp.Error = fmt.Errorf("%s: not in state", c.address)
		return
	}
	id, err := strconv.ParseInt(fmt.Sprint(r.AttributeValues["id"]), 10, 64)
	if err != nil {
		resp.Error = fmt.Errorf("%s: id %v: %w", c.address, r.AttributeValues["id"], err)
		return
	}
	in, ok := c.mock.Instance(id)
	if !ok {
		resp.Error = fmt.Errorf("%s: instance %d is not in the mock", c.address, id)
		return
	}
	if err := c.check(in); err != nil {
		resp.Error = fmt.Errorf("%s (instance %d in the mock): %w", c.address, id, err)
	}
}

func findResource(state *tfjson.State, address string) *tfjson.StateResource {
	if state == nil || state.Values == nil {
		return nil
	}
	return findInModule(state.Values.RootModule, address)
}

func findInModule(m *tfjson.StateModule, address string) *tfjson.StateResource {
	if m == nil {
		return nil
	}
	for _, r := range m.Resources {
		if r.Address == address {
			return r
		}
	}
	for _, child := range m.ChildModules {
		if r := findInModule(child, address); r != nil {
			return r
		}
	}
	return nil
}

// wantConfig compares the given keys of a stored configuration; a value of
// "<absent>" means the key must not be there.
func wantConfig(got map[string]string, want map[string]string) error {
	var problems []string
	for k, w := range want {
		g, ok := got[k]
		switch {
		case w == "<absent>" && ok:
			problems = append(problems, fmt.Sprintf("%s = %q, want it absent", k, g))
		case w != "<absent>" && !ok:
			problems = append(problems, fmt.Sprintf("%s is absent, want %q", k, w))
		case w != "<absent>" && g != w:
			problems = append(problems, fmt.Sprintf("%s = %q, want %q", k, g, w))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("configuration: %s", strings.Join(problems, "; "))
	}
	return nil
}

// checkMockEmpty is a CheckDestroy that asks the mock whether any instance is left.
func checkMockEmpty(mock *testMock) func(*terraform.State) error {
	return func(*terraform.State) error {
		if left := mock.Instances(); len(left) > 0 {
			ids := make([]string, len(left))
			for i, in := range left {
				ids[i] = strconv.FormatInt(in.ID, 10)
			}
			return fmt.Errorf("instances left in the mock after destroy: %s", strings.Join(ids, ", "))
		}
		return nil
	}
}

// errorPattern compiles an expected-error pattern in which a space matches
// any run of white space, as the CLI wraps diagnostics at its own width.
func errorPattern(p string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(p, " ", `\s+`))
}
