// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package formuladef

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/jsonvalue"
)

// Reshape is the definition to keep in state after a read whose answer
// (body) describes another formula than prior, the definition in state
// (the configuration's text, after any apply): the server's formula, in
// prior's form. A plan then shows only what differs from the
// configuration, whatever form it is written in (by hand, a doctor export,
// or a GET /formulas/{id} body with its server fields):
//
//   - steps and variables keep prior's order (matched by name and key);
//     steps and variables the server added come after them, in its order;
//     triggers are matched as equal, then by position;
//   - fields the comparison ignores keep prior's presence and values: the
//     server fields (ids, dates), the arguments (name, description,
//     active), and the fields the server fills in (engine,
//     debugLoggingEnabled, a variable's required, a script's
//     scriptEngine) are neither added nor dropped;
//   - a part (step, trigger, variable) or field that means the same is
//     prior's, unchanged; one that differs takes the server's values.
//
// prior returned unchanged means the formulas are the same. The result is
// always Equivalent to the server's formula: where prior's form cannot be
// kept, the server's values are used (Stored, at worst).
func Reshape(prior string, body json.RawMessage) (string, error) {
	stored, err := Stored(body)
	if err != nil {
		return "", err
	}
	p, err := Parse(prior)
	if err != nil {
		return stored, nil
	}
	s, _ := Parse(stored) // Stored writes an object
	if equivalentObjects(p, s) {
		return prior, nil
	}
	out := map[string]any{}
	for k, pv := range p {
		sv, inS := s[k]
		switch {
		case slices.Contains(serverFields, k) || slices.Contains(argumentFields, k):
			out[k] = pv // never compared: kept as written
		case k == "steps":
			out[k] = mergeParts(pv, sv, "steps", "name")
		case k == "configuration":
			out[k] = mergeParts(pv, sv, "configuration", "key")
		case k == "triggers":
			out[k] = mergeTriggers(pv, sv)
		case !inS:
			if equivalentObjects(map[string]any{k: pv}, map[string]any{}) {
				out[k] = pv // a default, or a field the server fills in
			}
		default:
			out[k] = mergeValue(pv, sv)
			if !equivalentObjects(map[string]any{k: out[k]}, map[string]any{k: sv}) {
				out[k] = sv
			}
		}
	}
	for k, sv := range s {
		if _, done := p[k]; !done {
			out[k] = sv
		}
	}
	pruneAdded(out, p, func(candidate map[string]any) bool { return equivalentObjects(candidate, s) })
	if !equivalentObjects(out, s) {
		return stored, nil
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// part wraps one step, trigger or variable in a definition, to compare it
// as the comparison of whole definitions does.
func part(list string, v any) map[string]any {
	return map[string]any{list: []any{v}}
}

// mergeParts merges a list of parts keyed by a field (steps by name,
// variables by key): prior's parts that the server still has, in prior's
// order, each merged with the server's; then the server's others.
func mergeParts(pv, sv any, list, key string) any {
	pItems, ok := pv.([]any)
	sByKey, keyed := jsonvalue.KeyedBy(sv, key)
	if !ok || (!keyed && sv != nil) {
		return sv
	}
	out := []any{}
	used := map[string]bool{}
	for _, item := range pItems {
		po, ok := item.(map[string]any)
		name, named := po[key].(string)
		if !ok || !named || used[name] {
			continue
		}
		so, found := sByKey[name].(map[string]any)
		if !found {
			continue // removed on the server
		}
		used[name] = true
		out = append(out, mergePart(po, so, list))
	}
	sItems, _ := sv.([]any)
	for _, item := range sItems {
		if name, _ := item.(map[string]any)[key].(string); !used[name] {
			out = append(out, item)
		}
	}
	return out
}

// mergeTriggers merges trigger lists: prior's triggers equal to one of the
// server's are kept; the others are merged with the server's left, by
// position; the server's others follow.
func mergeTriggers(pv, sv any) any {
	pItems, ok := pv.([]any)
	sItems, _ := sv.([]any)
	if !ok {
		return sv
	}
	same := func(a, b any) bool { return equivalentObjects(part("triggers", a), part("triggers", b)) }
	left := slices.Clone(sItems)
	matched := make([]any, len(pItems))
	for i, p := range pItems {
		for j, s := range left {
			if same(p, s) {
				matched[i] = p
				left = slices.Delete(left, j, j+1)
				break
			}
		}
	}
	var out []any
	for i, p := range pItems {
		switch {
		case matched[i] != nil:
			out = append(out, p)
		case len(left) > 0:
			po, pok := p.(map[string]any)
			so, sok := left[0].(map[string]any)
			if pok && sok {
				out = append(out, mergePart(po, so, "triggers"))
			} else {
				out = append(out, left[0])
			}
			left = left[1:]
		}
	}
	return append(out, left...)
}

// mergePart merges one part: prior's when it means the same as the
// server's; else prior's fields with the server's values, keeping the
// fields the comparison ignores as prior has them.
func mergePart(po, so map[string]any, list string) any {
	same := func(v map[string]any) bool { return equivalentObjects(part(list, v), part(list, so)) }
	if same(po) {
		return po
	}
	m := map[string]any{}
	for k, pv := range po {
		sv, inS := so[k]
		switch {
		case slices.Contains(partServerFields, k):
			m[k] = pv
		case !inS:
			trial := copyObject(so)
			trial[k] = pv
			if same(trial) {
				m[k] = pv // a default, or filled in: no difference
			}
		default:
			m[k] = mergeValue(pv, sv)
		}
	}
	for k, sv := range so {
		if _, done := po[k]; !done {
			m[k] = sv
		}
	}
	pruneAdded(m, po, same)
	if !same(m) {
		return so
	}
	return m
}

// mergeValue is prior's value where it equals the server's (numbers and
// numeric text alike, lists of flow names in any order); objects are
// merged key by key; anything else is the server's.
func mergeValue(pv, sv any) any {
	if reflect.DeepEqual(jsonvalue.NormalizeScalars(jsonvalue.Copy(pv)), jsonvalue.NormalizeScalars(jsonvalue.Copy(sv))) {
		return pv
	}
	if pl, ok := pv.([]any); ok {
		if sl, ok := sv.([]any); ok && reflect.DeepEqual(jsonvalue.SortedValues(normalized(pl)), jsonvalue.SortedValues(normalized(sl))) {
			return pv
		}
	}
	po, pok := pv.(map[string]any)
	so, sok := sv.(map[string]any)
	if !pok || !sok {
		return sv
	}
	out := map[string]any{}
	for k, v := range po {
		if s, ok := so[k]; ok {
			out[k] = mergeValue(v, s)
		} else {
			out[k] = v // dropped unless the comparison ignores it (pruneAdded, the callers' checks)
		}
	}
	for k, v := range so {
		if _, done := po[k]; !done {
			out[k] = v
		}
	}
	return out
}

func normalized(l []any) []any {
	out := make([]any, len(l))
	for i, v := range l {
		out[i] = jsonvalue.NormalizeScalars(jsonvalue.Copy(v))
	}
	return out
}

// pruneAdded removes from m, at every depth, what m holds and prior does
// not, or what prior holds that the server dropped, wherever the result
// still satisfies same (called with the whole candidate): fields the
// server fills in (a script's scriptEngine) are not added to prior's form,
// and a field removed on the server goes.
func pruneAdded(m, prior map[string]any, same func(map[string]any) bool) {
	root := m
	var walk func(cur, pr map[string]any)
	walk = func(cur, pr map[string]any) {
		for _, k := range slices.Sorted(maps.Keys(cur)) {
			v := cur[k]
			pv, inPrior := pr[k]
			if !inPrior {
				delete(cur, k)
				if same(root) {
					continue
				}
				cur[k] = v
				continue
			}
			if vo, ok := v.(map[string]any); ok {
				if po, ok := pv.(map[string]any); ok {
					walk(vo, po)
				}
			}
		}
	}
	walk(m, prior)
}

// IgnoredAdditions names what definition holds that prior does not and the
// comparison ignores (server fields such as accountId or a step's id,
// defaults, fields the server fills in), as "accountId" or
// `steps["notify"].id`: what a plan from prior to definition shows beside
// the real change, when prior was read from the API (after an import) in
// another form than the configuration's.
func IgnoredAdditions(prior, definition string) []string {
	p, errP := Parse(prior)
	d, errD := Parse(definition)
	if errP != nil || errD != nil {
		return nil
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(d)) {
		if _, has := p[k]; !has && equivalentObjects(map[string]any{k: d[k]}, map[string]any{}) {
			out = append(out, k)
		}
	}
	for list, key := range map[string]string{"steps": "name", "configuration": "key"} {
		pParts, _ := jsonvalue.KeyedBy(p[list], key)
		for _, dp := range jsonvalue.Objects(d[list]) {
			name, _ := dp[key].(string)
			pp, ok := pParts[name].(map[string]any)
			if !ok {
				continue
			}
			for _, k := range slices.Sorted(maps.Keys(dp)) {
				if _, has := pp[k]; has {
					continue
				}
				trial := copyObject(pp)
				trial[k] = dp[k]
				if equivalentObjects(part(list, trial), part(list, pp)) {
					out = append(out, fmt.Sprintf("%s[%q].%s", list, name, k))
				}
			}
		}
	}
	pTriggers, dTriggers := jsonvalue.Objects(p["triggers"]), jsonvalue.Objects(d["triggers"])
	if len(pTriggers) == len(dTriggers) { // triggers have no name: by position
		for i, dt := range dTriggers {
			for _, k := range slices.Sorted(maps.Keys(dt)) {
				if _, has := pTriggers[i][k]; has {
					continue
				}
				trial := copyObject(pTriggers[i])
				trial[k] = dt[k]
				if equivalentObjects(part("triggers", trial), part("triggers", pTriggers[i])) {
					out = append(out, fmt.Sprintf("triggers[%d].%s", i, k))
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// copyObject deep-copies a decoded JSON object.
func copyObject(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = jsonvalue.Copy(v)
	}
	return out
}
