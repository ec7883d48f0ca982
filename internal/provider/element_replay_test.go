// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/elementdef"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/jsonvalue"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// replayElement is one documented body of testdata/elements (SOURCES.md
// there names each file's public source).
type replayElement struct {
	file    string
	def     map[string]any
	secrets map[string]string // inline secret defaults, moved to sensitive_defaults
	// extended: the export of an extended catalog element: its resources
	// are replayed through cloudelements_element_extension.
	extended bool
}

// loadReplayElements reads the corpus and says what it leaves out and why.
func loadReplayElements(t *testing.T) ([]replayElement, map[string]string) {
	t.Helper()
	files, err := filepath.Glob("testdata/elements/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no documented elements in testdata/elements (%v)", err)
	}
	sort.Strings(files)
	var out []replayElement
	left := map[string]string{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(f)
		def, err := elementdef.Parse(string(raw))
		if err != nil {
			left[base] = "not a JSON object"
			continue
		}
		if strings.Contains(base, "-response--") {
			left[base] = "the server's answer to devportal--element-create--1.json, which is replayed: the same element twice " +
				"(internal/elementdef compares the pair)"
			continue
		}
		e := replayElement{file: base, def: def, secrets: map[string]string{}}
		e.extended = def["extended"] == true && def["private"] != true && strings.Contains(base, "export")
		if e.extended {
			if _, ok := mockapi.LookupElement(fmt.Sprint(def["key"])); !ok {
				left[base] = fmt.Sprintf("an extension of the catalog element %q, which the mock's catalog (the documented "+
					"create requests) does not hold", def["key"])
				continue
			}
		}
		// A secret inline fails the plan by design: the user moves it to
		// sensitive_defaults, and so does the replay.
		for _, k := range elementdef.InlineSecrets(def) {
			for _, c := range jsonvalue.Objects(def["configuration"]) {
				if c["key"] == k {
					e.secrets[k] = fmt.Sprint(c["defaultValue"])
					delete(c, "defaultValue")
				}
			}
		}
		out = append(out, e)
	}
	return out, left
}

// TestAccElementReplay_documented creates every documented custom element
// definition through cloudelements_element and every extended export
// through cloudelements_element_extension, as a user keeps them (file() of
// the JSON, server fields and all): create, empty plan, import (import
// blocks, by key), empty plan, destroy. On the newest Terraform only: it
// tests the mapping of documented bodies, not the CLI.
func TestAccElementReplay_documented(t *testing.T) {
	cli := newCLIRunner(t)
	cli.skipUnlessNewest()
	all, left := loadReplayElements(t)
	mock := newTestMock(t, mockapi.Options{})
	var custom, extended int
	for _, e := range all {
		if e.extended {
			extended++
		} else {
			custom++
		}
	}
	t.Logf("replaying %d custom element definitions and %d extended exports; %d files left out", custom, extended, len(left))
	for _, file := range sortedStrings(left) {
		t.Logf("left out %s: %s", file, left[file])
	}
	if err := os.MkdirAll(filepath.Join(cli.dir, "elements"), 0o755); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    cloudelements = { source = \"cloudelements/cloudelements\" }\n  }\n}\n")
	b.WriteString(mock.ProviderConfig())
	var addrs, importIDs []string
	for i, e := range all {
		label := "e_" + strings.Trim(labelUnsafe.ReplaceAllString(strings.TrimSuffix(e.file, ".json"), "_"), "_")
		pretty, _ := json.MarshalIndent(e.def, "", "  ")
		if e.extended {
			rs, _ := json.MarshalIndent(e.def["resources"], "", "  ")
			writeFile(t, filepath.Join(cli.dir, "elements", e.file), string(rs))
			fmt.Fprintf(&b, "resource \"cloudelements_element_extension\" %q {\n  element_key = %q\n  resources   = file(\"${path.module}/elements/%s\")\n}\n",
				label, e.def["key"], e.file)
			addrs = append(addrs, "cloudelements_element_extension."+label)
			importIDs = append(importIDs, fmt.Sprint(e.def["key"]))
			continue
		}
		writeFile(t, filepath.Join(cli.dir, "elements", e.file), string(pretty))
		// Several documented bodies share a key or a name ("Churros"): each
		// gets its own, as one account needs.
		key := fmt.Sprintf("replay%d", i)
		name := fmt.Sprint(e.def["name"])
		fmt.Fprintf(&b, "resource \"cloudelements_element\" %q {\n  key        = %q\n  name       = %s\n  definition = file(\"${path.module}/elements/%s\")\n",
			label, key, hclQuote(name), e.file)
		if len(e.secrets) > 0 {
			fmt.Fprintf(&b, "  sensitive_defaults = %s\n", hclMap(e.secrets))
		}
		b.WriteString("}\n")
		addrs = append(addrs, "cloudelements_element."+label)
		importIDs = append(importIDs, key)
	}
	config := b.String()
	cli.write(config)
	cli.run("init", "-input=false", "-upgrade")
	cli.run("apply", "-auto-approve", "-input=false")
	if got := len(mock.CustomElements()); got != custom {
		t.Fatalf("the mock holds %d custom elements, want %d", got, custom)
	}
	if out, err := cli.try("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Fatalf("the plan after creating is not empty (%v):\n%s", err, out)
	}
	cli.run(append([]string{"state", "rm"}, addrs...)...)
	var imports strings.Builder
	for i, addr := range addrs {
		fmt.Fprintf(&imports, "import {\n  to = %s\n  id = %q\n}\n", addr, importIDs[i])
	}
	cli.write(config + imports.String())
	// An import never reads secret defaults: the elements with
	// sensitive_defaults plan that change alone, and the apply writes it.
	withSecrets := 0
	for _, e := range all {
		if len(e.secrets) > 0 {
			withSecrets++
		}
	}
	plan := cli.run("plan", "-input=false")
	if want := fmt.Sprintf("Plan: %d to import, 0 to add, %d to change, 0 to destroy.", len(addrs), withSecrets); !strings.Contains(plan, want) {
		t.Fatalf("want %q after forgetting the elements:\n%s", want, plan)
	}
	cli.run("apply", "-auto-approve", "-input=false")
	if out, err := cli.try("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Fatalf("the plan after importing is not empty (%v):\n%s", err, out)
	}
	cli.run("destroy", "-auto-approve", "-input=false")
	if n := len(mock.CustomElements()); n != 0 {
		t.Fatalf("%d custom elements left after destroy", n)
	}
	for _, e := range all {
		if e.extended {
			if left := mock.AccountResources(fmt.Sprint(e.def["key"])); len(left) != 0 {
				t.Errorf("%d account resources left on %v after destroy", len(left), e.def["key"])
			}
		}
	}
}

// TestElementReplay_mockAnswers is the replay without a CLI: each
// documented definition's request body, sent to the mock, comes back as an
// element the definition describes, in its stored form too.
func TestElementReplay_mockAnswers(t *testing.T) {
	all, _ := loadReplayElements(t)
	for _, e := range all {
		if e.extended {
			continue
		}
		mock := newTestMock(t, mockapi.Options{})
		def, _ := json.Marshal(e.def)
		body, err := elementdef.RequestBody(string(def), "replay", fmt.Sprint(e.def["name"]), e.secrets)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := elementdef.Parse(string(body))
		answer, _ := json.Marshal(mockJSON(t, mock, "POST", "/elements", v))
		keys := make([]string, 0, len(e.secrets))
		for k := range e.secrets {
			keys = append(keys, k)
		}
		stored, err := elementdef.StoredFor(answer, string(def), keys)
		if err != nil {
			t.Fatal(err)
		}
		if !elementdef.Equivalent(string(def), stored) {
			t.Errorf("%s: the mock's answer is another element: %v", e.file, elementdef.Differences(string(def), stored))
		}
	}
}
