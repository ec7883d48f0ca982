// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// replayCase is one documented create request (testdata/replay.json,
// distilled from the vendor's public docs; each case names its source).
type replayCase struct {
	Case          string            `json:"case"`
	Element       string            `json:"element"`
	Source        string            `json:"source"`
	ProviderData  map[string]string `json:"providerData"`
	Configuration map[string]string `json:"configuration"`
	Tags          []string          `json:"tags"`
	Name          string            `json:"name"`
}

func loadReplayCases(t *testing.T) []replayCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/replay.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []replayCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Cases
}

var nonLabel = regexp.MustCompile(`[^a-zA-Z0-9_]+`)

// replayResource is what a user would write from a documented request:
// secrets in sensitive_configuration, events in the block, placeholder
// names and callback URLs (<INSERT_...>) replaced, markup stripped from
// tags.
type replayResource struct {
	c        replayCase
	label    string
	hcl      instanceHCL
	events   bool // the block is written
	secrets  bool // sensitive_configuration or provider_data is set
	eventsOn bool
	// unimportable are configuration keys an import cannot bring back: the
	// API masks them, or their value is the API's documented default.
	unimportable map[string]bool
}

func newReplayResource(c replayCase) replayResource {
	r := replayResource{c: c, label: "r_" + strings.Trim(nonLabel.ReplaceAllString(c.Case, "_"), "_")}
	h := instanceHCL{Label: r.label, Element: c.Element, Name: "replay " + c.Case}
	if len(c.ProviderData) > 0 {
		h.ProviderData = c.ProviderData
	}
	events := map[string]string{}
	for k, v := range c.Configuration {
		switch {
		case eventKeyAttribute[k] != "":
			events[k] = v
		case configkeys.Secret(k):
			if h.Sensitive == nil {
				h.Sensitive = map[string]string{}
			}
			h.Sensitive[k] = v
		default:
			if h.Config == nil {
				h.Config = map[string]string{}
			}
			h.Config[k] = v
		}
	}
	for _, tag := range c.Tags {
		if tag = strings.TrimSpace(htmlTag.ReplaceAllString(tag, "")); tag != "" {
			h.Tags = append(h.Tags, tag)
		}
	}
	r.eventsOn = strings.EqualFold(events[configkeys.EventsEnabled], "true")
	delete(events, configkeys.EventsEnabled)
	if r.eventsOn || len(events) > 0 {
		r.events = true
		callback := events[configkeys.CallbackURL]
		if callback == "" || strings.ContainsAny(callback, "<>") {
			callback = "https://replay.example.com/" + r.label + "/events"
		}
		lines := []string{fmt.Sprintf("    enabled      = %v", r.eventsOn), "    callback_url = " + hclQuote(callback)}
		for k, v := range events {
			switch k {
			case configkeys.CallbackURL:
			case configkeys.PollerInterval:
				lines = append(lines, fmt.Sprintf("    poller_refresh_interval = %s", v))
			case configkeys.VendorType:
				lines = append(lines, fmt.Sprintf("    vendor_type = %q", strings.TrimSuffix(v, "s")))
			case configkeys.EventObjects:
				q := []string{}
				for _, o := range splitObjects(v) {
					q = append(q, hclQuote(o))
				}
				lines = append(lines, fmt.Sprintf("    objects = [%s]", strings.Join(q, ", ")))
			default:
				lines = append(lines, fmt.Sprintf("    %s = %s", eventKeyAttribute[k], hclQuote(v)))
			}
		}
		sort.Strings(lines[2:])
		h.Events = strings.Join(lines, "\n")
	}
	r.secrets = h.Sensitive != nil || h.ProviderData != nil
	r.unimportable = map[string]bool{}
	e, _ := mockapi.LookupElement(c.Element)
	for k, v := range h.Config {
		if configkeys.ServerDefaults[k] == v || e.Masks(k) {
			r.unimportable[k] = true
		}
	}
	r.hcl = h
	return r
}

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// replayLeftOut are the documented requests the resource cannot express,
// with why.
var replayLeftOut = map[string]string{
	"_guides-oauth-proxy-index--2": "authenticates through an OAuth proxy (top-level oauthProxy, no configuration), " +
		"which the resource does not model; the element's own required keys are missing by design",
	"quickbooksonline--3": "creates from an existing refresh token (top-level externalAuthentication: initial, no OAuth code), " +
		"which the resource does not model",
}

// TestAccReplay_documentedElements writes, for every documented create
// request whose request and response name the same element, the resource
// a user would write from it, and applies them all as one configuration
// against the mock answering with that element's documented shapes: the
// plan after the apply is empty; every instance is then forgotten and
// imported back with import blocks, and after that apply the plan is
// empty again; destroy leaves nothing.
//
// After the import, the plan updates exactly the instances whose
// configuration holds secrets or an OAuth code: an import never reads a
// secret, so the apply writes them (and records the code without
// re-authenticating). Everything else imports with no change.
func TestAccReplay_documentedElements(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	var all []replayResource
	for _, c := range loadReplayCases(t) {
		if why, skip := replayLeftOut[c.Case]; skip {
			t.Logf("left out %s (%s): %s", c.Case, c.Source, why)
			continue
		}
		all = append(all, newReplayResource(c))
	}
	t.Logf("%d documented create requests replayed", len(all))
	if len(all) < 100 {
		t.Fatalf("only %d replay cases", len(all))
	}
	var create, forget, adopt strings.Builder
	create.WriteString(mock.ProviderConfig())
	forget.WriteString(mock.ProviderConfig())
	for _, r := range all {
		create.WriteString(r.hcl.String())
		fmt.Fprintf(&forget, "removed {\n  from = cloudelements_instance.%s\n  lifecycle {\n    destroy = false\n  }\n}\n", r.label)
	}
	// Imported by name (the names are unique), so the configuration is
	// known before the ids are.
	adopt.WriteString(create.String())
	for _, r := range all {
		fmt.Fprintf(&adopt, "import {\n  to = cloudelements_instance.%s\n  id = %s\n}\n", r.label, hclQuote("name="+r.hcl.Name))
	}
	wantUpdates := map[string]replayResource{}
	for _, r := range all {
		if r.secrets || len(r.unimportable) > 0 {
			wantUpdates["cloudelements_instance."+r.label] = r
		}
	}

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   newestCLIOnly,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{ // Create all; plugin-testing then asserts the next plan is empty.
				Config: create.String(),
				ConfigStateChecks: []statecheck.StateCheck{
					expectInstanceCount(mock, len(all)),
					replayStateCheck{all: all},
				},
			},
			{ // Forget them without destroying.
				Config: forget.String(),
				ConfigStateChecks: []statecheck.StateCheck{
					expectInstanceCount(mock, len(all)),
				},
			},
			{ // Adopt them back with import blocks; plugin-testing then asserts the next plan is empty.
				Config: adopt.String(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{replayImportPlanCheck{want: len(all), updates: wantUpdates}},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectInstanceCount(mock, len(all)),
					requestCheck(func() error {
						if n := mock.RequestCount("PUT", "/instances/{id}"); n != 0 {
							return fmt.Errorf("%d PUTs after the import: a used OAuth code was replayed", n)
						}
						if n := mock.RequestCount("POST", "/instances"); n != len(all) {
							return fmt.Errorf("%d creates in all, want %d", n, len(all))
						}
						return nil
					}),
				},
			},
		},
	})
}

// replayStateCheck checks the event block is there exactly when the
// documented request set event keys.
type replayStateCheck struct {
	all []replayResource
}

func (c replayStateCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	var problems []string
	for _, r := range c.all {
		res := findResource(req.State, "cloudelements_instance."+r.label)
		if res == nil {
			problems = append(problems, r.c.Case+": not in state")
			continue
		}
		blocks, _ := res.AttributeValues["event_notification"].([]any)
		if (len(blocks) == 1) != r.events {
			problems = append(problems, fmt.Sprintf("%s (%s): %d event blocks, want block %v", r.c.Case, r.c.Source, len(blocks), r.events))
		}
	}
	if len(problems) > 0 {
		resp.Error = fmt.Errorf("%d of %d documented elements:\n%s", len(problems), len(c.all), strings.Join(problems, "\n"))
	}
}

// replayImportPlanCheck: every resource is imported; the ones with secrets,
// an OAuth code or configuration an import cannot read are updated in
// exactly those, the others are not changed at all.
type replayImportPlanCheck struct {
	want    int
	updates map[string]replayResource
}

func (c replayImportPlanCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	imported := 0
	var problems []string
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Change.Importing != nil {
			imported++
		}
		r, wantUpdate := c.updates[rc.Address]
		switch {
		case rc.Change.Actions.NoOp() && !wantUpdate:
		case rc.Change.Actions.Update() && wantUpdate:
			before, _ := rc.Change.Before.(map[string]any)
			after, _ := rc.Change.After.(map[string]any)
			for k, v := range after {
				switch k {
				case "sensitive_configuration", "provider_data":
				case "configuration":
					was, _ := before[k].(map[string]any)
					now, _ := v.(map[string]any)
					for ck, cv := range now {
						if fmt.Sprint(was[ck]) != fmt.Sprint(cv) && !r.unimportable[ck] {
							problems = append(problems, fmt.Sprintf("%s: configuration[%q] changes from %v to %v", rc.Address, ck, was[ck], cv))
						}
					}
				default:
					if fmt.Sprint(before[k]) != fmt.Sprint(v) {
						problems = append(problems, fmt.Sprintf("%s: %s changes from %v to %v", rc.Address, k, before[k], v))
					}
				}
			}
		default:
			problems = append(problems, fmt.Sprintf("%s: %v (update expected: %v)", rc.Address, rc.Change.Actions, wantUpdate))
		}
	}
	if imported != c.want {
		problems = append(problems, fmt.Sprintf("%d imports planned, want %d", imported, c.want))
	}
	if len(problems) > 0 {
		resp.Error = fmt.Errorf("import plan:\n%s", strings.Join(problems, "\n"))
	}
}
