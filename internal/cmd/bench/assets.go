// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// The assets line (BENCH_ASSETS): formulas and common resources with the
// documented bodies of the provider's replay corpora, each copy under a
// name of its own, against a terraform_data floor carrying the same bodies.
const (
	formulaType = "cloudelements_formula"
	commonType  = "cloudelements_common_resource"
)

var assetTypes = []string{formulaType, commonType}

// formulaBody is one documented formula of
// internal/provider/testdata/formulas, as the replay test keeps it: the
// definition (without its name, which each copy's name argument replaces)
// in a file of its own, with the description and active it documents.
type formulaBody struct {
	file        string
	json        []byte // the definition, pretty-printed
	description string // "" when it documents none
	active      bool
}

// commonBody is one documented definition of internal/provider/testdata/vdrs:
// its organization-level fields (path -> type), as the replay test keeps it.
type commonBody struct {
	name   string
	fields map[string]string
}

// assetBodies are the documented bodies a run cycles through.
type assetBodies struct {
	formulas []formulaBody
	commons  []commonBody
	// leftOut: the bodies left out, with the reason (reported in the log).
	leftOut []string
}

// loadAssetBodies reads both corpora and keeps the bodies the replay tests
// keep: formulas whose record holds one (not a fragment) and that the
// service accepts (a scratch mock); definitions with organization-level
// fields. The provider's own plan-time checks are applied afterwards by
// probeAssets.
func loadAssetBodies(repo string) (*assetBodies, error) {
	a := &assetBodies{}
	files, err := filepath.Glob(filepath.Join(repo, "internal", "provider", "testdata", "formulas", "*.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no documented formulas in internal/provider/testdata/formulas: %v", err)
	}
	scratch := mockapi.New(mockapi.Options{UserSecret: userSecret, OrganizationSecret: orgSecret})
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		def, why := formulaOfRecord(raw)
		if def == nil {
			a.leftOut = append(a.leftOut, fmt.Sprintf("formula %s: %s", filepath.Base(f), why))
			continue
		}
		body := formulaBody{file: filepath.Base(f), active: true}
		body.description, _ = def["description"].(string)
		if v, ok := def["active"].(bool); ok {
			body.active = v
		}
		delete(def, "name")
		if body.json, err = json.MarshalIndent(def, "", "  "); err != nil {
			return nil, err
		}
		if status, out := mockPost(scratch, "/formulas", def, "scratch "+body.file); status != http.StatusOK {
			a.leftOut = append(a.leftOut, fmt.Sprintf("formula %s: the API refuses it (%d %s)", body.file, status, out))
			continue
		}
		a.formulas = append(a.formulas, body)
	}
	if a.commons, err = loadCommonBodies(repo, &a.leftOut); err != nil {
		return nil, err
	}
	return a, nil
}

// formulaOfRecord finds the formula in a corpus file, as the replay test
// does: a documented record ({source, request, response, ...}: the
// request's formula, else the response's) or a formula itself.
func formulaOfRecord(raw []byte) (map[string]any, string) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, "not a JSON object"
	}
	isFormula := func(v any) map[string]any {
		if l, ok := v.([]any); ok && len(l) == 1 { // the legacy doc wraps its answer in an array
			v = l[0]
		}
		m, _ := v.(map[string]any)
		for _, k := range []string{"steps", "triggers", "configuration"} {
			if _, ok := m[k]; ok {
				return m
			}
		}
		return nil
	}
	_, hasRequest := doc["request"]
	_, hasResponse := doc["response"]
	if !hasRequest && !hasResponse {
		if m := isFormula(doc); m != nil {
			return m, ""
		}
		return nil, "a fragment, not a formula"
	}
	for _, k := range []string{"request", "response"} {
		if m := isFormula(doc[k]); m != nil {
			return m, ""
		}
	}
	return nil, "a fragment or a partial update in its request and response, not a formula"
}

// mockPost sends one request to an in-process mock and returns its status
// and answer.
func mockPost(mock *mockapi.Server, path string, body map[string]any, name string) (int, string) {
	b := maps.Clone(body)
	b["name"] = name
	raw, _ := json.Marshal(b)
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, mockapi.Prefix+path, bytes.NewReader(raw))
	req.Header.Set("Authorization", fmt.Sprintf("User %s, Organization %s", userSecret, orgSecret))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	mock.ServeHTTP(rec, req)
	return rec.Code, strings.TrimSpace(rec.Body.String())
}

// loadCommonBodies reads the documented definitions, each distinct one
// once (the same object documented alike in several files counts once).
func loadCommonBodies(repo string, leftOut *[]string) ([]commonBody, error) {
	files, err := filepath.Glob(filepath.Join(repo, "internal", "provider", "testdata", "vdrs", "*.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no documented definitions in internal/provider/testdata/vdrs: %v", err)
	}
	var out []commonBody
	seen := map[string]bool{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var c struct {
			Definitions map[string]struct {
				Fields []struct{ Path, Type, Level string }
			} `json:"definitions"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, obj := range slices.Sorted(maps.Keys(c.Definitions)) {
			fields := map[string]string{}
			for _, fl := range c.Definitions[obj].Fields {
				if fl.Level == "" || fl.Level == "organization" { // account-level fields are not modelled
					fields[fl.Path] = fl.Type
				}
			}
			key := obj + fmt.Sprint(fields)
			switch {
			case len(fields) == 0:
				*leftOut = append(*leftOut, fmt.Sprintf("definition %s of %s: no organization-level fields", obj, filepath.Base(f)))
			case !seen[key]:
				seen[key] = true
				out = append(out, commonBody{name: obj, fields: fields})
			}
		}
	}
	return out, nil
}

var assetNameUnsafe = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// probeAssets applies the provider's plan-time checks (terraform validate)
// to every body once, each in a file of its own, and leaves out the bodies
// it refuses, as the replay tests do.
func (b *bench) probeAssets(ctx context.Context, a *assetBodies) error {
	dir := filepath.Join(b.s.out, "work", "assets-probe")
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := writeFormulaFiles(dir, a.formulas); err != nil {
		return err
	}
	files := map[string]string{}
	write := func(name, text string) error {
		files[name+".tf"] = name
		return os.WriteFile(filepath.Join(dir, name+".tf"), []byte(text), 0o644)
	}
	if err := write("provider", providerHeader("http://127.0.0.1:1"+mockapi.Prefix)); err != nil {
		return err
	}
	// Literal values, without count: terraform validate does not expand
	// count, so count.index, and any value depending on it, is unknown there
	// and goes unchecked.
	for i, f := range a.formulas {
		desc := ""
		if f.description != "" {
			desc = "\n  description = " + hclString(f.description)
		}
		if err := write(fmt.Sprintf("formula_%d", i), fmt.Sprintf("resource %q \"probe_%d\" {\n  name        = \"probe-%d\"\n  definition  = file(\"${path.module}/formulas/%s\")%s\n  active      = %t\n}\n",
			formulaType, i, i, f.file, desc, f.active)); err != nil {
			return err
		}
	}
	for i, c := range a.commons {
		if err := write(fmt.Sprintf("common_%d", i), fmt.Sprintf("resource %q \"probe_%d\" {\n  name   = %q\n  fields = %s\n}\n",
			commonType, i, commonName(c), hclMap(c.fields, "  "))); err != nil {
			return err
		}
	}
	prov, err := startProvider(ctx, b.provBin, filepath.Join(dir, "provider.log"), cleanEnv())
	if err != nil {
		return err
	}
	env := append(slices.Clip(b.tfEnv), "TF_REATTACH_PROVIDERS="+prov.reattach)
	logPath := filepath.Join(dir, "validate.json")
	res, err := runTerraform(ctx, b.s.terraform, dir, env, logPath, "validate", "-json", "-no-color")
	if _, stopErr := prov.stop(); err == nil {
		err = stopErr
	}
	if err != nil {
		return fmt.Errorf("terraform validate: %w", err)
	}
	raw, err := os.ReadFile(logPath)
	if err != nil {
		return err
	}
	var v struct {
		Diagnostics []struct {
			Severity, Summary string
			Range             *struct{ Filename string }
		}
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return fmt.Errorf("terraform validate -json (exit code %d): %w: %s", res.exitCode, err, raw)
	}
	refused := map[string]string{}
	for _, d := range v.Diagnostics {
		if d.Severity != "error" {
			continue
		}
		if d.Range == nil || files[d.Range.Filename] == "" || files[d.Range.Filename] == "provider" {
			return fmt.Errorf("terraform validate: %s (see %s)", d.Summary, rel(b.s.repo, logPath))
		}
		refused[files[d.Range.Filename]] = d.Summary
	}
	a.formulas = keep(a, a.formulas, refused, "formula", func(f formulaBody) string { return "formula " + f.file })
	a.commons = keep(a, a.commons, refused, "common", func(c commonBody) string { return "definition " + c.name })
	if len(a.formulas) == 0 || len(a.commons) == 0 {
		return fmt.Errorf("the provider refuses every documented body (%d formulas, %d common resources kept; see %s)",
			len(a.formulas), len(a.commons), rel(b.s.repo, logPath))
	}
	return nil
}

// keep returns the bodies whose probe file (<prefix>_<index>) the provider
// did not refuse, and records the others as left out.
func keep[T any](a *assetBodies, bodies []T, refused map[string]string, prefix string, name func(T) string) []T {
	var out []T
	for i, x := range bodies {
		if why, bad := refused[fmt.Sprintf("%s_%d", prefix, i)]; bad {
			a.leftOut = append(a.leftOut, fmt.Sprintf("%s: plan-time check: %s", name(x), why))
			continue
		}
		out = append(out, x)
	}
	return out
}

// writeFormulaFiles writes the formula definitions into dir/formulas, where
// the configurations read them with file(), as a user keeps them.
func writeFormulaFiles(dir string, formulas []formulaBody) error {
	if err := os.MkdirAll(filepath.Join(dir, "formulas"), 0o755); err != nil {
		return err
	}
	for _, f := range formulas {
		if err := os.WriteFile(filepath.Join(dir, "formulas", f.file), f.json, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// providerHeader is the provider's requirement and configuration ("" for
// the floor, which needs none).
func providerHeader(baseURL string) string {
	if baseURL == "" {
		return ""
	}
	return fmt.Sprintf(`terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}

provider "cloudelements" {
  base_url            = %q
  user_secret         = %q
  organization_secret = %q
}

`, baseURL, userSecret, orgSecret)
}

// formulaConfig is n formulas cycling through the bodies, each named
// bench-<index>: cloudelements_formula resources, or (floor) terraform_data
// resources whose triggers_replace carries the same arguments, the definition read
// from the same file.
func formulaConfig(n int, bodies []formulaBody, isFloor bool) string {
	items := make([]string, len(bodies))
	for i, f := range bodies {
		desc := "null"
		if f.description != "" {
			desc = hclString(f.description)
		}
		items[i] = fmt.Sprintf("{ file = %q, description = %s, active = %t }", f.file, desc, f.active)
	}
	return countedConfig(formulaType, n, items, isFloor, `name        = "bench-${count.index}"
definition  = file("${path.module}/formulas/${%[1]s.file}")
description = %[1]s.description
active      = %[1]s.active`)
}

// commonConfig is n common resources cycling through the bodies, each
// named <documented name>_<index>: cloudelements_common_resource
// resources, or (floor) terraform_data resources whose triggers_replace carries the
// same name and fields.
func commonConfig(n int, bodies []commonBody, isFloor bool) string {
	items := make([]string, len(bodies))
	for i, c := range bodies {
		items[i] = fmt.Sprintf("{\n      name = %q\n      fields = %s\n    }", commonName(c), hclMap(c.fields, "      "))
	}
	return countedConfig(commonType, n, items, isFloor, `name   = "${%[1]s.name}_${count.index}"
fields = %[1]s.fields`)
}

// countedConfig is n resources bench[i] of resourceType, or (floor)
// terraform_data resources whose triggers_replace object holds the same arguments,
// resource i taking item i modulo len(items) of a local list: args are
// the arguments, one a line, with %[1]s standing for that item.
func countedConfig(resourceType string, n int, items []string, isFloor bool, args string) string {
	var b strings.Builder
	b.WriteString("locals {\n  bodies = [\n")
	for _, it := range items {
		b.WriteString("    " + it + ",\n")
	}
	b.WriteString("  ]\n}\n\n")
	args = fmt.Sprintf(args, fmt.Sprintf("local.bodies[count.index %% %d]", len(items)))
	if isFloor {
		fmt.Fprintf(&b, "resource %q \"bench\" {\n  count = %d\n  triggers_replace = {\n    %s\n  }\n}\n", floor, n, strings.ReplaceAll(args, "\n", "\n    "))
	} else {
		fmt.Fprintf(&b, "resource %q \"bench\" {\n  count = %d\n  %s\n}\n", resourceType, n, strings.ReplaceAll(args, "\n", "\n  "))
	}
	return b.String()
}

// writeConfig writes the configuration of one assets run into dir.
func (a *assetBodies) writeConfig(dir, resource string, n int, isFloor bool, baseURL string) error {
	var cfg string
	switch resource {
	case formulaType:
		if err := writeFormulaFiles(dir, a.formulas); err != nil {
			return err
		}
		cfg = formulaConfig(n, a.formulas, isFloor)
	case commonType:
		cfg = commonConfig(n, a.commons, isFloor)
	default:
		return fmt.Errorf("no assets configuration for %q", resource)
	}
	if !isFloor {
		cfg = providerHeader(baseURL) + cfg
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o644)
}

// countAssets is how many objects of a resource type the mock holds.
func countAssets(mock *mockapi.Server, resource string) (int, error) {
	if resource == commonType {
		return len(mock.Definitions()), nil
	}
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, mockapi.Prefix+"/formulas?abridged=true", nil)
	req.Header.Set("Authorization", fmt.Sprintf("User %s, Organization %s", userSecret, orgSecret))
	rec := httptest.NewRecorder()
	mock.ServeHTTP(rec, req)
	if rec.Code == http.StatusNotFound {
		return 0, nil // no formulas: the documented 404
	}
	var l []any
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &l) != nil {
		return 0, fmt.Errorf("GET /formulas: %d %s", rec.Code, rec.Body.String())
	}
	return len(l), nil
}

// hclString quotes s as an HCL string literal: like %q, with template
// sequences (${ and %{) escaped.
func hclString(s string) string {
	q := fmt.Sprintf("%q", s)
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(q)
}

// assetRounds runs the assets line: for every round and size in
// BENCH_ASSETS, each resource type and its floor (the order reversed every
// other round) without added latency.
func (b *bench) assetRounds(ctx context.Context, maxRounds int) ([]sample, error) {
	var err error
	if b.assets, err = loadAssetBodies(b.s.repo); err != nil {
		return nil, err
	}
	if err := b.probeAssets(ctx, b.assets); err != nil {
		return nil, fmt.Errorf("assets: checking the documented bodies: %w", err)
	}
	for _, l := range b.assets.leftOut {
		b.logf("assets: left out %s", l)
	}
	b.logf("assets: cycling through %d documented formulas and %d documented common resources", len(b.assets.formulas), len(b.assets.commons))
	var out []sample
	for round := 1; round <= maxRounds; round++ {
		for _, n := range b.s.assetNs {
			if round > b.s.rounds[n] {
				continue
			}
			for _, resource := range assetTypes {
				order := []string{floor, provider}
				if round%2 == 0 {
					slices.Reverse(order)
				}
				for _, c := range order {
					got, err := b.contenderRun(ctx, c, resource, n, round, 0, ops, nil)
					out = append(out, got...)
					if err != nil {
						return out, fmt.Errorf("%s %s N=%d round %d: %w", resource, c, n, round, err)
					}
				}
			}
		}
	}
	return out, nil
}

// commonName is the documented object name, made safe for a name of the
// API's paths (each copy adds _<index>).
func commonName(c commonBody) string {
	return assetNameUnsafe.ReplaceAllString(c.name, "_")
}
