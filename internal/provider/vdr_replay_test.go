// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// vdrReplayCase is one file of testdata/vdrs: documented definition and
// transformation bodies (SOURCES.md names where each comes from).
type vdrReplayCase struct {
	Definitions     map[string]vdrBody            `json:"definitions"`
	Transformations map[string]map[string]vdrBody `json:"transformations"`
}

// vdrBody is a definition or transformation body as documented.
type vdrBody struct {
	VendorName    string            `json:"vendorName"`
	Fields        []vdrBodyField    `json:"fields"`
	Configuration []json.RawMessage `json:"configuration"`
	Script        *struct {
		Body string `json:"body"`
	} `json:"script"`
	IsLegacy bool `json:"isLegacy"`
}

type vdrBodyField struct {
	Path          string          `json:"path"`
	Type          string          `json:"type"`
	VendorPath    string          `json:"vendorPath"`
	VendorType    string          `json:"vendorType"`
	Level         string          `json:"level"`
	Configuration json.RawMessage `json:"configuration"`
}

// vdrReplay is what the replay writes: common resources by (possibly
// renamed) object name and transformations, plus what it left out.
type vdrReplay struct {
	hcl       strings.Builder
	forget    strings.Builder
	adopt     strings.Builder
	resources int
	defs      map[string]map[string]string // object name -> fields, as replayed
	leftOut   []string
	dropped   map[string]int  // what was dropped from replayed bodies, counted
	mapped    map[string]bool // "<element>/<object>" replayed
	pairs     int             // transformations replayed
}

func loadVdrReplay(t *testing.T) *vdrReplay {
	t.Helper()
	files, err := filepath.Glob("testdata/vdrs/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no replay cases: %v", err)
	}
	sort.Strings(files)
	r := &vdrReplay{defs: map[string]map[string]string{}, dropped: map[string]int{}, mapped: map[string]bool{}}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c vdrReplayCase
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		r.addCase(t, strings.TrimSuffix(filepath.Base(f), ".json"), c)
	}
	return r
}

func (r *vdrReplay) addCase(t *testing.T, name string, c vdrReplayCase) {
	t.Helper()
	renamed := map[string]string{} // documented object name -> replayed one
	for _, obj := range sortedMapKeys(c.Definitions) {
		fields, why := r.definitionFields(c.Definitions[obj])
		if why != "" {
			r.leftOut = append(r.leftOut, fmt.Sprintf("%s: definition %s and its transformations: %s", name, obj, why))
			continue
		}
		// Another case may hold a different definition of the same name, or
		// the same element's transformation of it: then use another name.
		use := obj
		for n := 2; r.defs[use] != nil && (fmt.Sprint(r.defs[use]) != fmt.Sprint(fields) || r.mapsAgain(c, obj, use)); n++ {
			use = fmt.Sprintf("%s_%d", obj, n)
		}
		renamed[obj] = use
		if r.defs[use] != nil {
			continue // the same definition from another case
		}
		r.defs[use] = fields
		label := "d_" + strings.Trim(nonLabel.ReplaceAllString(use, "_"), "_")
		r.hcl.WriteString(commonResourceHCL{Label: label, Name: use, Fields: fields}.String())
		r.track("cloudelements_common_resource."+label, use)
	}
	for _, key := range sortedMapKeys(c.Transformations) {
		for _, obj := range sortedMapKeys(c.Transformations[key]) {
			use, ok := renamed[obj]
			if !ok {
				r.leftOut = append(r.leftOut, fmt.Sprintf("%s: transformation %s/%s: no replayable definition of %s", name, key, obj, obj))
				continue
			}
			hcl, why := r.transformation(key, use, c.Transformations[key][obj])
			if why != "" {
				r.leftOut = append(r.leftOut, fmt.Sprintf("%s: transformation %s/%s: %s", name, key, obj, why))
				continue
			}
			r.hcl.WriteString(hcl.String())
			r.mapped[key+"/"+use] = true
			r.track("cloudelements_transformation."+hcl.Label, key+"/"+use)
			r.pairs++
		}
	}
}

// mapsAgain reports whether case c maps obj for an element that already
// has a transformation of use.
func (r *vdrReplay) mapsAgain(c vdrReplayCase, obj, use string) bool {
	for key, objs := range c.Transformations {
		if _, ok := objs[obj]; ok && r.mapped[key+"/"+use] {
			return true
		}
	}
	return false
}

// track adds the forget (removed) and adopt (import) blocks of a resource.
func (r *vdrReplay) track(address, importID string) {
	r.resources++
	fmt.Fprintf(&r.forget, "removed {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n", address)
	fmt.Fprintf(&r.adopt, "import {\n  to = %s\n  id = %s\n}\n", address, hclQuote(importID))
}

func (r *vdrReplay) definitionFields(b vdrBody) (map[string]string, string) {
	fields := map[string]string{}
	for _, f := range b.Fields {
		if !organizationLevel(f.Level) {
			r.dropped["account-level definition fields"]++
			continue
		}
		if !fieldTypePattern.MatchString(f.Type) {
			return nil, fmt.Sprintf("field %s has type %q, an object type (another object by name), outside the documented field types the resource accepts", f.Path, f.Type)
		}
		fields[f.Path] = f.Type
	}
	if len(fields) == 0 {
		return nil, "no organization-level fields"
	}
	return fields, ""
}

func (r *vdrReplay) transformation(key, obj string, b vdrBody) (transformationHCL, string) {
	if b.IsLegacy {
		return transformationHCL{}, "isLegacy true (a v1 script): the resource leaves the engine to the API, whose default is v2"
	}
	h := transformationHCL{
		Label:      "t_" + strings.Trim(nonLabel.ReplaceAllString(key+"_"+obj, "_"), "_"),
		Element:    key,
		ObjectName: "cloudelements_common_resource.d_" + strings.Trim(nonLabel.ReplaceAllString(obj, "_"), "_") + ".name",
		Vendor:     b.VendorName,
		Fields:     map[string]string{},
	}
	for _, f := range b.Fields {
		switch {
		case !organizationLevel(f.Level):
			r.dropped["account-level transformation fields"]++
			continue
		case r.defs[obj][f.Path] == "":
			return h, fmt.Sprintf("maps %q, which its definition does not define", f.Path)
		}
		if f.VendorType != "" {
			r.dropped["vendorType of a field"]++
		}
		if len(f.Configuration) > 0 && string(f.Configuration) != "null" {
			r.dropped["configuration of a field"]++
		}
		h.Fields[f.Path] = f.VendorPath
	}
	var entries []json.RawMessage
	for _, e := range b.Configuration {
		var m map[string]any
		if err := json.Unmarshal(e, &m); err != nil {
			return h, "a configuration entry is not an object"
		}
		if m["level"] == "organization" {
			// What the API adds; an import reads entries without it.
			delete(m, "level")
		}
		raw, _ := json.Marshal(m)
		entries = append(entries, raw)
	}
	if len(entries) > 0 {
		raw, _ := json.Marshal(entries)
		h.Configuration = "jsonencode(jsondecode(" + hclQuote(string(raw)) + "))"
	}
	if b.Script != nil && b.Script.Body != "" {
		h.Script = hclQuote(b.Script.Body)
	}
	return h, ""
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestAccReplay_documentedVdrs replays every documented definition and
// transformation (testdata/vdrs) as one configuration: create, empty plan;
// forget all and import them back with import blocks, empty plan;
// destroy, and the mock holds nothing.
func TestAccReplay_documentedVdrs(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	r := loadVdrReplay(t)
	for _, l := range r.leftOut {
		t.Logf("left out %s", l)
	}
	for _, what := range sortedMapKeys(r.dropped) {
		t.Logf("dropped from replayed bodies (not modelled): %d %s", r.dropped[what], what)
	}
	t.Logf("replayed %d definitions and %d transformations (%d definition/transformation pairs and definitions in all); %d left out",
		len(r.defs), r.pairs, r.resources, len(r.leftOut))
	if r.pairs < 470 || len(r.defs) < 190 {
		t.Fatalf("only %d transformations and %d definitions replayed", r.pairs, len(r.defs))
	}
	create := mock.ProviderConfig() + r.hcl.String()
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   newestCLIOnly,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkVdrsEmpty(mock),
		Steps: []resource.TestStep{
			{ // Create all; plugin-testing then asserts the next plan is empty.
				Config: create,
				ConfigStateChecks: []statecheck.StateCheck{
					requestCheck(func() error {
						if got := len(mock.Definitions()) + len(mock.Transformations()); got != r.resources {
							return fmt.Errorf("the mock holds %d definitions and transformations, want %d", got, r.resources)
						}
						return nil
					}),
				},
			},
			{Config: mock.ProviderConfig() + r.forget.String()},
			{ // Import all back; plugin-testing then asserts the next plan is empty.
				Config: create + r.adopt.String(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{importOnlyPlan{want: r.resources}},
				},
			},
		},
	})
}

// importOnlyPlan: every resource is imported, and nothing changes.
type importOnlyPlan struct{ want int }

func (c importOnlyPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	imported := 0
	var problems []string
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Change.Importing != nil {
			imported++
		}
		if !rc.Change.Actions.NoOp() {
			problems = append(problems, fmt.Sprintf("%s: %v", rc.Address, rc.Change.Actions))
		}
	}
	if imported != c.want {
		problems = append(problems, fmt.Sprintf("%d imports planned, want %d", imported, c.want))
	}
	if len(problems) > 0 {
		resp.Error = fmt.Errorf("import plan:\n%s", strings.Join(problems, "\n"))
	}
}
