// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// formulaInstanceRecord is one formula instance: body holds id, name,
// active, createdDate, configuration and settings ("formula" is added on
// every answer from the formula itself).
type formulaInstanceRecord struct {
	id, formulaID int64
	body          map[string]any
	executions    []FormulaExecution
}

// formulaInstanceJSON is the instance as the API returns it (s.mu held).
func (s *Server) formulaInstanceJSON(fi *formulaInstanceRecord) map[string]any {
	out := copyObject(fi.body)
	out["id"] = fi.id
	ref := map[string]any{"id": fi.formulaID}
	if f, found := s.formulas.formulas[fi.formulaID]; found {
		ref["name"], ref["active"] = f.body["name"], f.body["active"]
	}
	out["formula"] = ref
	if out["settings"] == nil {
		out["settings"] = map[string]any{}
	}
	if out["configuration"] == nil {
		out["configuration"] = map[string]any{}
	}
	return out
}

// formulaVariables returns the configuration keys of a formula.
func formulaVariables(f map[string]any) map[string]bool {
	keys := map[string]bool{}
	cfg, _ := objects(f, "configuration")
	for _, c := range cfg {
		keys[stringField(c, "key")] = true
	}
	return keys
}

// missingTriggerStep names a trigger flow target that is not a step of f.
func missingTriggerStep(f map[string]any) string {
	names := map[string]bool{}
	steps, _ := objects(f, "steps")
	for _, st := range steps {
		names[stringField(st, "name")] = true
	}
	trigs, _ := objects(f, "triggers")
	for _, tr := range trigs {
		for _, k := range []string{"onSuccess", "onFailure"} {
			list, _ := tr[k].([]any)
			for _, n := range list {
				if ns, _ := n.(string); !names[ns] {
					return ns
				}
			}
		}
	}
	return ""
}

// applyInstanceFields checks and applies the name, active, configuration
// and settings of a POST or PUT body to body (which a PUT has filled with
// the stored instance).
func (s *Server) applyInstanceFields(rc *reqCtx, f *formulaRecord, in, body map[string]any, create bool) *result {
	fail := func(format string, args ...any) *result {
		res := rc.fail(http.StatusBadRequest, format, args...)
		return &res
	}
	if v, has := in["name"]; has && v != nil || create {
		name, isStr := v.(string)
		if !isStr || stripHTML(name) == "" {
			return fail("'name' is required and must be a non-empty string")
		}
		body["name"] = stripHTML(name)
	}
	if v, has := in["active"]; has && v != nil {
		b, isBool := v.(bool)
		if !isBool {
			return fail("'active' must be a boolean")
		}
		body["active"] = b
	} else if create {
		body["active"] = true
	}
	if v, has := in["configuration"]; has && v != nil {
		m, isObj := v.(map[string]any)
		if !isObj {
			return fail("'configuration' must be an object of variable key to value")
		}
		vars := formulaVariables(f.body)
		cfg := map[string]any{}
		for k, val := range m {
			if !vars[k] && s.readings.formulaUnknownKeys == FormulaUnknownKeysReject {
				return fail("Configuration key '%s' is not a variable of formula %d", k, f.id)
			}
			switch t := val.(type) {
			case string:
				cfg[k] = t
			case json.Number:
				cfg[k] = t.String()
			case bool:
				cfg[k] = strconv.FormatBool(t)
			case nil:
			default:
				return fail("Configuration value of '%s' must be a string", k)
			}
		}
		body["configuration"] = cfg
	} else if create {
		body["configuration"] = map[string]any{}
	}
	v, has := in["settings"]
	sent, isObj := v.(map[string]any)
	if has && v != nil && !isObj {
		return fail("'settings' must be an object")
	}
	switch {
	case create || s.readings.formulaInstanceSettings == FormulaSettingsReplace:
		if sent == nil {
			sent = map[string]any{}
		}
		body["settings"] = copyObject(sent)
	default: // merge
		cur, _ := body["settings"].(map[string]any)
		if cur == nil {
			cur = map[string]any{}
		}
		for k, e := range sent {
			if e == nil {
				delete(cur, k)
			} else {
				cur[k] = deepCopy(e)
			}
		}
		body["settings"] = cur
	}
	return nil
}

// createFormulaInstance serves POST /formulas/{id}/instances.
func (s *Server) createFormulaInstance(rc *reqCtx, f *formulaRecord) result {
	in, err := decodeJSONObject(rc.body)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	if missing := missingTriggerStep(f.body); missing != "" {
		return rc.fail(http.StatusBadRequest,
			"Invalid formula %d: a trigger names step '%s', which does not exist", f.id, missing)
	}
	body := map[string]any{}
	if res := s.applyInstanceFields(rc, f, in, body, true); res != nil {
		return *res
	}
	fi := &formulaInstanceRecord{id: s.formulas.newID(), formulaID: f.id, body: body}
	body["createdDate"] = s.now().UTC().Truncate(time.Second).Format(time.RFC3339)
	if s.formulas.instances == nil {
		s.formulas.instances = map[int64]*formulaInstanceRecord{}
	}
	s.formulas.instances[fi.id] = fi
	return ok(s.formulaInstanceJSON(fi))
}

// formulaInstances serves GET and POST /formulas/{id}/instances.
func (s *Server) formulaInstances(rc *reqCtx) result {
	f, res := s.formulaByParam(rc)
	if res != nil {
		return *res
	}
	if rc.method == "POST" {
		return s.createFormulaInstance(rc, f)
	}
	out := []any{}
	for _, fi := range s.formulas.instancesOf(f.id) {
		out = append(out, s.formulaInstanceListEntry(fi))
	}
	return ok(out)
}

// instanceByParam finds the formula instance of {instanceId}, under {id}
// when the route has it.
func (s *Server) instanceByParam(rc *reqCtx) (*formulaInstanceRecord, *result) {
	var f *formulaRecord
	if _, scoped := rc.rm.params["id"]; scoped {
		var res *result
		if f, res = s.formulaByParam(rc); res != nil {
			return nil, res
		}
	}
	raw := rc.rm.params["instanceId"]
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		res := rc.fail(http.StatusBadRequest, "Invalid formula instance id '%s': must be a number", raw)
		return nil, &res
	}
	fi, found := s.formulas.instances[id]
	if !found || (f != nil && fi.formulaID != f.id) {
		res := rc.fail(http.StatusNotFound, "No formula instance found with id %d", id)
		return nil, &res
	}
	return fi, nil
}

// formulaInstanceScoped serves /formulas/{id}/instances/{instanceId},
// its /active sub-resource and DELETE /formulas/instances/{instanceId}.
func (s *Server) formulaInstanceScoped(rc *reqCtx) result {
	fi, res := s.instanceByParam(rc)
	if res != nil {
		return *res
	}
	if strings.HasSuffix(rc.rm.route, "/active") {
		fi.body["active"] = rc.method == "PUT"
		return ok(s.formulaInstanceJSON(fi))
	}
	switch rc.method {
	case "GET":
		return ok(s.formulaInstanceJSON(fi))
	case "PUT":
		in, err := decodeJSONObject(rc.body)
		if err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
		body := copyObject(fi.body)
		if res := s.applyInstanceFields(rc, s.formulas.formulas[fi.formulaID], in, body, false); res != nil {
			return *res
		}
		fi.body = body
		return ok(s.formulaInstanceJSON(fi))
	default: // DELETE
		delete(s.formulas.instances, fi.id)
		return ok(struct{}{})
	}
}

// listAllFormulaInstances serves GET /formulas/instances; elementInstanceId
// keeps the instances whose configuration holds that element instance id.
func (s *Server) listAllFormulaInstances(rc *reqCtx) result {
	want := rc.query.Get("elementInstanceId")
	out := []any{}
	for _, fi := range s.formulas.sortedInstances() {
		if want != "" && !bindsElementInstance(fi, want) {
			continue
		}
		out = append(out, s.formulaInstanceListEntry(fi))
	}
	return ok(out)
}

// formulaInstanceListEntry is an instance as the listings answer it
// (Options.FormulaInstanceList).
func (s *Server) formulaInstanceListEntry(fi *formulaInstanceRecord) map[string]any {
	out := s.formulaInstanceJSON(fi)
	if s.readings.formulaInstanceList == FormulaInstanceListAbridged {
		delete(out, "configuration")
		delete(out, "settings")
	}
	return out
}

func bindsElementInstance(fi *formulaInstanceRecord, elementInstanceID string) bool {
	cfg, _ := fi.body["configuration"].(map[string]any)
	for _, v := range cfg {
		if v == elementInstanceID {
			return true
		}
	}
	return false
}

// FormulaInstance returns a copy of a stored formula instance as the API
// answers it.
func (s *Server) FormulaInstance(formulaID, id int64) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fi, found := s.formulas.instances[id]
	if !found || fi.formulaID != formulaID {
		return nil, false
	}
	return s.formulaInstanceJSON(fi), true
}

// MutateFormulaInstance changes a stored formula instance behind the
// provider's back: fn gets a copy (without "formula"), which is then stored
// as is. It reports whether the instance exists under that formula.
func (s *Server) MutateFormulaInstance(formulaID, id int64, fn func(map[string]any)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	fi, found := s.formulas.instances[id]
	if !found || fi.formulaID != formulaID {
		return false
	}
	body := copyObject(fi.body)
	fn(body)
	delete(body, "formula")
	fi.body = body
	return true
}

// RemoveFormulaInstance deletes a formula instance out of band. It reports
// whether it existed under that formula.
func (s *Server) RemoveFormulaInstance(formulaID, id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	fi, found := s.formulas.instances[id]
	if !found || fi.formulaID != formulaID {
		return false
	}
	delete(s.formulas.instances, id)
	return true
}
