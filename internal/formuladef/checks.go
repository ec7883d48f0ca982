// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package formuladef

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/jsonvalue"
)

// Problem is one error in a formula definition, found without a
// request: Summary and Detail are a diagnostic's.
type Problem struct {
	Summary, Detail string
}

// Check finds what the API would refuse or run wrongly, each
// problem naming its step or variable: a step without a name or with
// another step's name (names identify steps:
// devportal:_includes/Formulas/step-types-intro.md#L1), an onSuccess or
// onFailure naming a missing step (the instance POST is then refused:
// churros:src/test/platform/formulas/formulas.js#L91-106), an unknown
// trigger or step type, and a ${var} or ${config.var} reference to a
// variable the definition does not declare (reference.md#L243).
func Check(def map[string]any) []Problem {
	var out []Problem
	add := func(summary, format string, args ...any) {
		out = append(out, Problem{summary, fmt.Sprintf(format, args...)})
	}
	steps := map[string]bool{}
	for i, s := range jsonvalue.Objects(def["steps"]) {
		name, _ := s["name"].(string)
		switch {
		case name == "":
			add("Formula Step Without a Name", "Step %d of the definition has no name: steps are identified by their names.", i+1)
		case steps[name]:
			add("Duplicate Formula Step Name", "Two steps are named %q: step names must be unique within a formula.", name)
		}
		steps[name] = true
		if t, _ := s["type"].(string); !slices.Contains(stepTypes, t) {
			add("Unknown Formula Step Type", "Step %q has type %q; the documented step types are %s.", name, t, strings.Join(stepTypes, ", "))
		}
	}
	flow := func(what string, part map[string]any) {
		for _, k := range []string{"onSuccess", "onFailure"} {
			l, _ := part[k].([]any)
			for _, target := range l {
				if n, _ := target.(string); !steps[n] {
					add("Formula Flow Names a Missing Step", "%s: %s names step %v, which the definition does not have.", what, k, target)
				}
			}
		}
	}
	for i, t := range jsonvalue.Objects(def["triggers"]) {
		typ, _ := t["type"].(string)
		what := fmt.Sprintf("The %q trigger", typ)
		if !slices.Contains(triggerTypes, typ) {
			add("Unknown Formula Trigger Type", "Trigger %d has type %q; the documented trigger types are %s.", i+1, typ, strings.Join(triggerTypes, ", "))
		}
		flow(what, t)
		checkReferences(what, t["properties"], def, steps, add)
	}
	for _, s := range jsonvalue.Objects(def["steps"]) {
		name, _ := s["name"].(string)
		what := fmt.Sprintf("Step %q", name)
		flow(what, s)
		props, _ := s["properties"].(map[string]any)
		if t, _ := s["type"].(string); t == "script" || t == "filter" {
			// A script's body is JavaScript, where ${...} is a template
			// literal's, not the formula's.
			props = withoutKey(props, "body")
		}
		checkReferences(what, props, def, steps, add)
	}
	return out
}

// referencePattern matches a ${...} reference in a trigger or step property.
var referencePattern = regexp.MustCompile(`\$\{([^}]*)\}`)

// referenceRoots are what a reference may start with besides a variable or
// a step name: the trigger's data, earlier steps' results and the
// execution's info (devportal:docs/guides/formulasC2/reference.md).
var referenceRoots = []string{"trigger", "steps", "info", "config"}

// checkReferences reports ${config.x} references to undeclared variables,
// and bare ${x} references that name neither a variable, a step nor one of
// referenceRoots.
func checkReferences(what string, props any, def map[string]any, steps map[string]bool, add func(string, string, ...any)) {
	keys := map[string]bool{}
	for _, c := range jsonvalue.Objects(def["configuration"]) {
		if k, ok := c["key"].(string); ok {
			keys[k] = true
		}
	}
	var refs []string
	jsonvalue.CollectStrings(props, func(s string) {
		for _, m := range referencePattern.FindAllStringSubmatch(s, -1) {
			refs = append(refs, strings.TrimSpace(m[1]))
		}
	})
	sort.Strings(refs)
	refs = slices.Compact(refs)
	for _, ref := range refs {
		if rest, ok := strings.CutPrefix(ref, "config."); ok {
			if !namesOneOf(rest, keys) {
				add("Undefined Formula Variable", "%s refers to ${%s}, but the definition declares no variable with key %q in configuration.",
					what, ref, rest)
			}
			continue
		}
		root := ref
		if i := strings.IndexAny(ref, ".["); i >= 0 {
			root = ref[:i]
		}
		if slices.Contains(referenceRoots, root) || namesOneOf(ref, keys) || namesOneOf(ref, steps) {
			continue
		}
		add("Undefined Formula Variable", "%s refers to ${%s}, which is neither a variable declared in configuration nor a step.", what, ref)
	}
}

// namesOneOf reports whether ref is one of names, or a path into one
// (names may hold dots, as in "sfdc.instance.id").
func namesOneOf(ref string, names map[string]bool) bool {
	for n := range names {
		if ref == n || strings.HasPrefix(ref, n+".") || strings.HasPrefix(ref, n+"[") {
			return true
		}
	}
	return false
}

func withoutKey(m map[string]any, key string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// Variables are the keys of a definition's configuration entries.
func Variables(def map[string]any) []string {
	var out []string
	for _, c := range jsonvalue.Objects(def["configuration"]) {
		if k, ok := c["key"].(string); ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
