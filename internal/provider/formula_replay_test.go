// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/formuladef"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// replayFormula is one documented formula of testdata/formulas (each file
// names its public source; see SOURCES.md there).
type replayFormula struct {
	file       string
	definition map[string]any
}

// loadReplayFormulas reads the corpus. A file is either a documented record
// ({source, request, response, ...}: the request's formula, else the
// response's) or a formula itself. It returns the formulas, and the files
// left out with the reason.
func loadReplayFormulas(t *testing.T) ([]replayFormula, map[string]string) {
	t.Helper()
	files, err := filepath.Glob("testdata/formulas/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no documented formulas in testdata/formulas")
	}
	sort.Strings(files)
	var out []replayFormula
	left := map[string]string{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		def, why := formulaOfRecord(raw)
		if def == nil {
			left[filepath.Base(f)] = why
			continue
		}
		out = append(out, replayFormula{file: filepath.Base(f), definition: def})
	}
	return out, left
}

// formulaOfRecord finds the formula in a corpus file, or says why there is
// none.
func formulaOfRecord(raw []byte) (map[string]any, string) {
	doc, err := formuladef.Parse(string(raw))
	if err != nil {
		return nil, "not a JSON object"
	}
	isFormula := func(v any) (map[string]any, bool) {
		if l, ok := v.([]any); ok && len(l) == 1 { // the legacy doc wraps its answer in an array
			v = l[0]
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		for _, k := range []string{"steps", "triggers", "configuration"} {
			if _, ok := m[k]; ok {
				return m, true
			}
		}
		return m, false
	}
	_, hasRequest := doc["request"]
	_, hasResponse := doc["response"]
	if !hasRequest && !hasResponse {
		if m, ok := isFormula(doc); ok {
			return m, ""
		}
		return nil, "no configuration, triggers or steps: a fragment, not a formula"
	}
	for _, k := range []string{"request", "response"} {
		if m, ok := isFormula(doc[k]); ok {
			return m, ""
		}
	}
	return nil, "no configuration, triggers or steps in its request or response: a fragment or a partial update, not a formula"
}

// TestAccFormulaReplay_documented creates every documented formula through
// Terraform, as a user would keep it (file() of the JSON as documented,
// server fields and all): create, empty plan, import (import blocks), empty
// plan, destroy. Formulas the plan-time checks refuse, or the mock refuses as
// the documented service does, are left out and logged with the reason.
func TestAccFormulaReplay_documented(t *testing.T) {
	cli := newCLIRunner(t)
	cli.skipUnlessNewest()
	all, left := loadReplayFormulas(t)
	mock := newTestMock(t, mockapi.Options{})
	scratch := newTestMock(t, mockapi.Options{})

	var kept []replayFormula
	for _, f := range all {
		def, _ := json.Marshal(f.definition)
		if problems := formuladef.Check(f.definition); len(problems) > 0 {
			left[f.file] = "plan-time check: " + problems[0].Summary + ": " + problems[0].Detail
			continue
		}
		// What the documented service answers to this formula: a formula
		// it refuses (documented as refused) cannot be replayed.
		body, err := formuladef.RequestBody(string(def), "scratch "+f.file, nil, true, "", false)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		_ = json.Unmarshal(body, &v)
		if status, out := mockDo(t, scratch, "POST", "/formulas", v); status != http.StatusOK {
			left[f.file] = fmt.Sprintf("the API refuses it (%d %s)", status, strings.TrimSpace(string(out)))
			continue
		}
		kept = append(kept, f)
	}
	t.Logf("replaying %d documented formulas; %d files left out", len(kept), len(left))
	for _, file := range sortedStrings(left) {
		t.Logf("left out %s: %s", file, left[file])
	}
	if len(kept) == 0 {
		t.Fatal("nothing to replay")
	}

	const batch = 40
	for start := 0; start < len(kept); start += batch {
		end := min(start+batch, len(kept))
		replayBatch(t, cli, mock, kept[start:end])
	}
}

var labelUnsafe = regexp.MustCompile(`[^a-zA-Z0-9_]+`)

// replayBatch runs one configuration of formulas through create, plan,
// import, plan and destroy.
func replayBatch(t *testing.T, cli *cliRunner, mock *testMock, formulas []replayFormula) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(cli.dir, "formulas"), 0o755); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    cloudelements = { source = \"cloudelements/cloudelements\" }\n  }\n}\n")
	b.WriteString(mock.ProviderConfig())
	addrs := make([]string, len(formulas))
	for i, f := range formulas {
		label := "f_" + strings.Trim(labelUnsafe.ReplaceAllString(strings.TrimSuffix(f.file, ".json"), "_"), "_")
		addrs[i] = "cloudelements_formula." + label
		// The file as documented, pretty-printed as a user keeps it.
		pretty, _ := json.MarshalIndent(f.definition, "", "  ")
		writeFile(t, filepath.Join(cli.dir, "formulas", f.file), string(pretty))
		name := fmt.Sprintf("replay %s", strings.TrimSuffix(f.file, ".json"))
		fmt.Fprintf(&b, "resource \"cloudelements_formula\" %q {\n  name       = %q\n  definition = file(\"${path.module}/formulas/%s\")\n", label, name, f.file)
		if d, ok := f.definition["description"].(string); ok && d != "" {
			fmt.Fprintf(&b, "  description = %s\n", hclQuote(d))
		}
		if a, ok := f.definition["active"].(bool); ok && !a {
			b.WriteString("  active = false\n")
		}
		b.WriteString("}\n")
	}
	config := b.String()
	cli.write(config)
	cli.run("init", "-input=false", "-upgrade")
	cli.run("apply", "-auto-approve", "-input=false")
	if out, err := cli.try("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Fatalf("the plan after creating is not empty (%v):\n%s", err, out)
	}

	// Import: forget them, then import each by id with an import block.
	ids := map[string]string{}
	for _, addr := range addrs {
		show := cli.run("state", "show", addr)
		m := regexp.MustCompile(`(?m)^\s*id\s*=\s*"([0-9]+)"`).FindStringSubmatch(show)
		if m == nil {
			t.Fatalf("no id for %s:\n%s", addr, show)
		}
		ids[addr] = m[1]
	}
	cli.run(append([]string{"state", "rm"}, addrs...)...)
	var imports strings.Builder
	for _, addr := range addrs {
		fmt.Fprintf(&imports, "import {\n  to = %s\n  id = %q\n}\n", addr, ids[addr])
	}
	cli.write(config + imports.String())
	plan := cli.run("plan", "-input=false")
	if want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", len(addrs)); !strings.Contains(plan, want) {
		t.Fatalf("want %q after forgetting the formulas:\n%s", want, plan)
	}
	cli.run("apply", "-auto-approve", "-input=false")
	if out, err := cli.try("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Fatalf("the plan after importing is not empty (%v):\n%s", err, out)
	}
	cli.run("destroy", "-auto-approve", "-input=false")
	if n := len(mockFormulas(t, mock)); n != 0 {
		t.Fatalf("%d formulas left after destroy", n)
	}
}

func sortedStrings(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
