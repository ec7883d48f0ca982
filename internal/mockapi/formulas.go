// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The account the mock's formulas belong to (the API stamps the caller's
// user and account on every formula).
const (
	formulaUserID    = 1001
	formulaAccountID = 2001
)

// formulaStore holds formulas, formula instances and their executions. Its
// zero value is empty and usable; every method expects Server.mu held.
type formulaStore struct {
	formulas  map[int64]*formulaRecord
	instances map[int64]*formulaInstanceRecord // by instance id
	lastID    int64                            // one sequence for every id below
}

// formulaRecord is one formula template: body is the formula as the API
// answers it (server fields included), steps in the order sent.
type formulaRecord struct {
	id   int64
	body map[string]any
}

func (fs *formulaStore) newID() int64 {
	fs.lastID++
	return fs.lastID
}

func (fs *formulaStore) put(f *formulaRecord) {
	if fs.formulas == nil {
		fs.formulas = map[int64]*formulaRecord{}
	}
	fs.formulas[f.id] = f
}

// sortedInstances returns every formula instance, sorted by id.
func (fs *formulaStore) sortedInstances() []*formulaInstanceRecord {
	out := make([]*formulaInstanceRecord, 0, len(fs.instances))
	for _, fi := range fs.instances {
		out = append(out, fi)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// instancesOf returns the instances of one formula, sorted by id.
func (fs *formulaStore) instancesOf(formulaID int64) []*formulaInstanceRecord {
	var out []*formulaInstanceRecord
	for _, fi := range fs.sortedInstances() {
		if fi.formulaID == formulaID {
			out = append(out, fi)
		}
	}
	return out
}

// decodeJSONObject parses an object body keeping numbers as sent.
func decodeJSONObject(body []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errors.New("a JSON request body is required")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("malformed JSON request body: %v", err)
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		return nil, errors.New("the request body must be a JSON object")
	}
	return m, nil
}

// deepCopy returns a copy of a decoded JSON value sharing nothing with it.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = deepCopy(e)
		}
		return out
	default:
		return v
	}
}

func copyObject(m map[string]any) map[string]any {
	out, _ := deepCopy(m).(map[string]any)
	return out
}

// objects reads an optional array of objects at key (nil when absent or null).
func objects(m map[string]any, key string) ([]map[string]any, error) {
	v, has := m[key]
	if !has || v == nil {
		return nil, nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		return nil, fmt.Errorf("'%s' must be an array", key)
	}
	out := make([]map[string]any, len(arr))
	for i, e := range arr {
		o, isObj := e.(map[string]any)
		if !isObj {
			return nil, fmt.Errorf("'%s' entry %d must be an object", key, i)
		}
		out[i] = o
	}
	return out, nil
}

func stringField(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func setDefault(m map[string]any, key string, v any) {
	if cur, has := m[key]; !has || cur == nil {
		m[key] = v
	}
}

// formulaError is a refusal with its status.
type formulaError struct {
	status int
	msg    string
}

func (e *formulaError) Error() string { return e.msg }

func badFormula(format string, args ...any) *formulaError {
	return &formulaError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// normalizeFormula turns a sent formula into the stored one (ids from fs,
// server defaults filled in). prev, when set, is the stored formula a PUT
// replaces: its server fields and the ids of same-named steps and
// same-keyed variables are kept.
func (s *Server) normalizeFormula(in map[string]any, prev *formulaRecord) (map[string]any, *formulaError) {
	fs := &s.formulas
	f := copyObject(in)
	for _, k := range []string{"id", "userId", "accountId", "createdDate", "api"} {
		delete(f, k)
	}
	if prev != nil && s.readings.formulaPutOmitted == FormulaPutKeep {
		for k, v := range prev.body {
			if _, has := f[k]; !has {
				f[k] = deepCopy(v)
			}
		}
	}
	nameRaw, hasName := f["name"]
	name, isStr := nameRaw.(string)
	if !hasName || nameRaw == nil {
		return nil, badFormula("'name' is required")
	}
	if !isStr {
		return nil, badFormula("'name' must be a string")
	}
	if name = stripHTML(name); name == "" {
		return nil, badFormula("'name' is required and must not be empty")
	}
	f["name"] = name
	oldIDs := map[string]any{}
	if prev != nil {
		for _, k := range []string{"steps", "configuration"} {
			list, _ := objects(prev.body, k)
			for _, e := range list {
				oldIDs[k+"\x00"+stringField(e, "name")+stringField(e, "key")] = e["id"]
			}
		}
	}
	reuse := func(kind, ident string) any {
		if id, has := oldIDs[kind+"\x00"+ident]; has && id != nil {
			return id
		}
		return fs.newID()
	}
	id := int64(0)
	if prev != nil {
		id = prev.id
	} else {
		id = fs.newID()
	}

	cfg, err := objects(f, "configuration")
	if err != nil {
		return nil, badFormula("%v", err)
	}
	keys := map[string]bool{}
	outCfg := make([]any, 0, len(cfg))
	for i, c := range cfg {
		key := stringField(c, "key")
		if key == "" {
			return nil, badFormula("configuration entry %d: 'key' is required", i)
		}
		if keys[key] {
			return nil, &formulaError{status: http.StatusConflict,
				msg: fmt.Sprintf("A configuration with the key '%s' already exists for this formula", key)}
		}
		keys[key] = true
		c = copyObject(c)
		c["id"] = reuse("configuration", key)
		setDefault(c, "required", false)
		outCfg = append(outCfg, c)
	}

	steps, err := objects(f, "steps")
	if err != nil {
		return nil, badFormula("%v", err)
	}
	names := map[string]bool{}
	outSteps := make([]map[string]any, 0, len(steps))
	for i, st := range steps {
		sn := stringField(st, "name")
		if sn == "" {
			return nil, badFormula("step %d: 'name' is required", i)
		}
		if names[sn] {
			return nil, badFormula("Duplicate step name '%s': step names must be unique within a formula", sn)
		}
		names[sn] = true
		st = copyObject(st)
		st["id"], st["formulaId"] = reuse("steps", sn), id
		setDefault(st, "onSuccess", []any{})
		setDefault(st, "onFailure", []any{})
		outSteps = append(outSteps, st)
	}
	if s.readings.formulaStepOrder == FormulaStepsByName {
		sort.SliceStable(outSteps, func(i, j int) bool {
			return stringField(outSteps[i], "name") < stringField(outSteps[j], "name")
		})
	}

	trigs, err := objects(f, "triggers")
	if err != nil {
		return nil, badFormula("%v", err)
	}
	outTrigs := make([]any, 0, len(trigs))
	for i, tr := range trigs {
		tr = copyObject(tr)
		var prevTrig map[string]any
		if prev != nil {
			if pt, _ := objects(prev.body, "triggers"); i < len(pt) {
				prevTrig = pt[i]
			}
		}
		if prevTrig != nil && prevTrig["id"] != nil {
			tr["id"] = prevTrig["id"]
		} else {
			tr["id"] = fs.newID()
		}
		tr["formulaId"] = id
		setDefault(tr, "async", true)
		setDefault(tr, "name", "trigger")
		setDefault(tr, "onFailure", []any{})
		outTrigs = append(outTrigs, tr)
	}

	list := make([]any, len(outSteps))
	for i, st := range outSteps {
		list[i] = st
	}
	f["configuration"], f["steps"], f["triggers"] = outCfg, list, outTrigs
	setDefault(f, "active", true)
	setDefault(f, "singleThreaded", false)
	delete(f, "api") // derived from method and uri
	if m, u := stringField(f, "method"), stringField(f, "uri"); m != "" && u != "" {
		f["api"] = m + " " + u
	}
	for k, v := range f {
		if v == nil { // null removes the key, as for method and uri
			delete(f, k)
		}
	}
	f["id"], f["userId"], f["accountId"] = id, formulaUserID, formulaAccountID
	if prev != nil {
		f["createdDate"] = prev.body["createdDate"]
	} else {
		f["createdDate"] = s.now().UTC().Truncate(time.Second).Format(time.RFC3339)
	}
	return f, nil
}

// formulaByParam parses the {id} of a formula route and finds the formula.
func (s *Server) formulaByParam(rc *reqCtx) (*formulaRecord, *result) {
	raw := rc.rm.params["id"]
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		res := rc.fail(http.StatusBadRequest, "Invalid formula id '%s': must be a number", raw)
		return nil, &res
	}
	f, found := s.formulas.formulas[id]
	if !found {
		res := rc.fail(http.StatusNotFound, "No formula found with id %d", id)
		return nil, &res
	}
	return f, nil
}

// createFormula serves POST /formulas.
func (s *Server) createFormula(rc *reqCtx) result {
	in, err := decodeJSONObject(rc.body)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	f, ferr := s.normalizeFormula(in, nil)
	if ferr != nil {
		return rc.fail(ferr.status, "%s", ferr.msg)
	}
	rec := &formulaRecord{body: f}
	rec.id, _ = f["id"].(int64)
	s.formulas.put(rec)
	return ok(copyObject(f))
}

// formulaScoped serves GET, PUT and DELETE /formulas/{id}.
func (s *Server) formulaScoped(rc *reqCtx) result {
	rec, res := s.formulaByParam(rc)
	if res != nil {
		return *res
	}
	switch rc.method {
	case "GET":
		return ok(copyObject(rec.body))
	case "PUT":
		in, err := decodeJSONObject(rc.body)
		if err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
		f, ferr := s.normalizeFormula(in, rec)
		if ferr != nil {
			return rc.fail(ferr.status, "%s", ferr.msg)
		}
		rec.body = f
		return ok(copyObject(f))
	default: // DELETE
		if n := len(s.formulas.instancesOf(rec.id)); n > 0 {
			return rc.fail(http.StatusConflict,
				"Formula %d still has %d formula instance(s): delete its instances before the formula", rec.id, n)
		}
		delete(s.formulas.formulas, rec.id)
		return ok(struct{}{})
	}
}

// exportFormula serves GET /formulas/{id}/export: the formula as GET
// /formulas/{id} answers it (churros:src/test/platform/formulas/formulas.js#L140-152);
// an unknown id is 404 (#L218-220).
func (s *Server) exportFormula(rc *reqCtx) result {
	rec, res := s.formulaByParam(rc)
	if res != nil {
		return *res
	}
	return ok(copyObject(rec.body))
}

// whereName matches the CEQL filters on name the vendor's tools send:
// name = 'x' and name in ('a','b'), with two quotes for one.
var (
	whereEq = regexp.MustCompile(`^\s*name\s*=\s*'((?:[^']|'')*)'\s*$`)
	whereIn = regexp.MustCompile(`^\s*name\s+in\s*\((.*)\)\s*$`)
	quoted  = regexp.MustCompile(`'((?:[^']|'')*)'`)
)

func parseWhereNames(where string) ([]string, bool) {
	unq := func(s string) string { return strings.ReplaceAll(s, "''", "'") }
	if m := whereEq.FindStringSubmatch(where); m != nil {
		return []string{unq(m[1])}, true
	}
	if m := whereIn.FindStringSubmatch(where); m != nil {
		var out []string
		for _, q := range quoted.FindAllStringSubmatch(m[1], -1) {
			out = append(out, unq(q[1]))
		}
		return out, len(out) > 0
	}
	return nil, false
}

// listFormulas serves GET /formulas.
func (s *Server) listFormulas(rc *reqCtx) result {
	var names []string
	if w := rc.query.Get("where"); w != "" {
		var parsed bool
		if names, parsed = parseWhereNames(w); !parsed {
			return rc.fail(http.StatusBadRequest, "Invalid where clause '%s'", w)
		}
	}
	abridged := rc.query.Get("abridged") == "true"
	ids := make([]int64, 0, len(s.formulas.formulas))
	for id := range s.formulas.formulas {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := []any{}
	for _, id := range ids {
		f := s.formulas.formulas[id].body
		if names != nil && !containsString(names, stringField(f, "name")) {
			continue
		}
		c := copyObject(f)
		if abridged {
			delete(c, "steps")
		}
		out = append(out, c)
	}
	if len(out) == 0 && s.readings.emptyFormulas404 {
		return rc.fail(http.StatusNotFound, "No formulas found")
	}
	return ok(out)
}

func containsString(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// Formula returns a copy of the stored formula as the API answers it.
func (s *Server) Formula(id int64) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, found := s.formulas.formulas[id]
	if !found {
		return nil, false
	}
	return copyObject(rec.body), true
}

// FormulaCount is how many formulas the store holds.
func (s *Server) FormulaCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.formulas.formulas)
}

// MutateFormula changes a stored formula behind the provider's back (an edit
// in the console): fn gets a copy of the formula, which is then stored as is.
// It reports whether the formula exists.
func (s *Server) MutateFormula(id int64, fn func(map[string]any)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, found := s.formulas.formulas[id]
	if !found {
		return false
	}
	body := copyObject(rec.body)
	fn(body)
	body["id"] = id
	rec.body = body
	return true
}

// RemoveFormula deletes a formula and its instances out of band. It reports
// whether the formula existed.
func (s *Server) RemoveFormula(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, found := s.formulas.formulas[id]; !found {
		return false
	}
	for _, fi := range s.formulas.instancesOf(id) {
		delete(s.formulas.instances, fi.id)
	}
	delete(s.formulas.formulas, id)
	return true
}
