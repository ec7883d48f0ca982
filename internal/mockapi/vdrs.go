// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// Common resources (VDRs) at the organization level: object definitions and
// transformations. SPEC.md lists each behaviour with its source.

const (
	vdrDefinitionRoute      = "/organizations/objects/{objectName}/definitions"
	vdrObjectTransformRoute = "/organizations/objects/{objectName}/transformations"
	vdrTransformationRoute  = "/organizations/elements/{keyOrId}/transformations/{objectName}"
	// The lists terraform query reads.
	vdrDefinitionsRoute            = "/organizations/objects/definitions"
	vdrElementTransformationsRoute = "/organizations/elements/{keyOrId}/transformations"

	levelOrganization = "organization"
	// startDateLayout is the documented 'YYYY-MM-DD hh:mm:ss.ffffff'
	// (devportal:docs/guides/common-resources/migrate.md#L95).
	startDateLayout = "2006-01-02 15:04:05.000000"
)

// VDROptions are the readings of common-resource behaviour no public source
// settles (SPEC.md); the zero value is the default reading of each.
type VDROptions struct {
	// FieldOrder: "sorted" (default; fields sorted by path, case-insensitive)
	// or "as-sent".
	FieldOrder string
	// UndefinedPaths: what a transformation field whose path the object
	// definition does not define does: "reject" (default, 400) or "accept"
	// (stored without a type).
	UndefinedPaths string
	// ExistingDefinition: POST of a definition that exists: "conflict"
	// (default, 409) or "replace".
	ExistingDefinition string
	// TypeChange: what a definition PUT that changes a field's type does to
	// the transformations mapping that field: "keep" (default; each keeps
	// the type it was written with, as types are taken from the definition
	// when a transformation is written) or "propagate" (they take the new
	// type).
	TypeChange string
	// EmptyList: what GET /organizations/objects/definitions and GET
	// /organizations/elements/{keyOrId}/transformations answer when there
	// is nothing to list: "object" (default; the map with nothing in it) or
	// "not-found" (404 "No ... found", as doctor's client expects of empty
	// searches).
	EmptyList string
	// TransformationListLevel: whether GET
	// /organizations/elements/{keyOrId}/transformations mixes a top-level
	// "level": "organization" into its objectName -> transformation map, as
	// the definitions list is documented to: "level" (default) or "none".
	TransformationListLevel string
}

func (o VDROptions) validate() []error {
	var errs []error
	check := func(field, v string, allowed ...string) {
		if v != "" && !slices.Contains(allowed, v) {
			errs = append(errs, fmt.Errorf("options: VDRs.%s %q: want one of %q", field, v, allowed))
		}
	}
	check("FieldOrder", o.FieldOrder, "sorted", "as-sent")
	check("UndefinedPaths", o.UndefinedPaths, "reject", "accept")
	check("ExistingDefinition", o.ExistingDefinition, "conflict", "replace")
	check("TypeChange", o.TypeChange, "keep", "propagate")
	check("EmptyList", o.EmptyList, "object", "not-found")
	check("TransformationListLevel", o.TransformationListLevel, "level", "none")
	return errs
}

// DefinitionField is one field of a stored object definition.
type DefinitionField struct {
	Path  string `json:"path"`
	Type  string `json:"type"`
	Level string `json:"level"`
}

// Definition is an organization-level object definition as the mock stores
// it. Accessors return copies.
type Definition struct {
	ObjectName string            `json:"objectName"`
	Fields     []DefinitionField `json:"fields"`
}

// TransformationField is one field of a stored transformation. Extra holds
// the members the mock keeps as sent (vendorType, configuration).
type TransformationField struct {
	Path       string                     `json:"path"`
	Type       string                     `json:"type,omitempty"`
	VendorPath string                     `json:"vendorPath"`
	Level      string                     `json:"level"`
	Extra      map[string]json.RawMessage `json:"extra,omitempty"`
}

// Transformation is an organization-level transformation as the mock
// stores it. Configuration entries and the script are kept as JSON objects.
type Transformation struct {
	ElementKey    string                `json:"elementKey"`
	ObjectName    string                `json:"objectName"`
	VendorName    string                `json:"vendorName"`
	StartDate     time.Time             `json:"startDate"`
	Fields        []TransformationField `json:"fields"`
	Configuration []map[string]any      `json:"configuration,omitempty"`
	Script        map[string]any        `json:"script,omitempty"`
	IsLegacy      bool                  `json:"isLegacy"`
}

// vdrStore holds the organization's definitions and transformations; s.mu
// guards it.
type vdrStore struct {
	opts            VDROptions
	definitions     map[string]*Definition
	transformations map[string]*Transformation // elementKey + "/" + objectName
}

func newVdrStore(o VDROptions) vdrStore {
	o.FieldOrder = cmp.Or(o.FieldOrder, "sorted")
	o.UndefinedPaths = cmp.Or(o.UndefinedPaths, "reject")
	o.ExistingDefinition = cmp.Or(o.ExistingDefinition, "conflict")
	o.TypeChange = cmp.Or(o.TypeChange, "keep")
	o.EmptyList = cmp.Or(o.EmptyList, "object")
	o.TransformationListLevel = cmp.Or(o.TransformationListLevel, "level")
	return vdrStore{opts: o, definitions: map[string]*Definition{}, transformations: map[string]*Transformation{}}
}

func transformationKey(elementKey, objectName string) string { return elementKey + "/" + objectName }

func (d Definition) clone() Definition {
	d.Fields = slices.Clone(d.Fields)
	return d
}

func (t Transformation) clone() Transformation {
	var c Transformation
	raw, _ := json.Marshal(t)
	_ = json.Unmarshal(raw, &c)
	c.StartDate = t.StartDate
	return c
}

// serveVdrs answers the common-resource routes; s.mu is held.
func (s *Server) serveVdrs(rc *reqCtx) result {
	name := rc.rm.params["objectName"]
	switch rc.rm.route {
	case vdrDefinitionsRoute:
		return s.listDefinitions(rc)
	case vdrElementTransformationsRoute:
		return s.listElementTransformations(rc, s.vdrElementKey(rc.rm.params["keyOrId"]))
	case vdrDefinitionRoute:
		switch rc.method {
		case http.MethodGet:
			d, found := s.vdrs.definitions[name]
			if !found {
				return rc.fail(http.StatusNotFound, "No object definition found for '%s'", name)
			}
			return ok(s.definitionJSON(d))
		case http.MethodDelete:
			return s.deleteDefinition(rc, name)
		}
		return s.writeDefinition(rc, name)
	case vdrObjectTransformRoute:
		return ok(s.objectTransformations(name))
	}
	key := s.vdrElementKey(rc.rm.params["keyOrId"])
	tk := transformationKey(key, name)
	switch rc.method {
	case http.MethodGet:
		t, found := s.vdrs.transformations[tk]
		if !found {
			return rc.fail(http.StatusNotFound, "No transformation found for element '%s' and object '%s'", key, name)
		}
		return ok(s.transformationJSON(t))
	case http.MethodDelete:
		if _, found := s.vdrs.transformations[tk]; !found {
			return rc.fail(http.StatusNotFound, "No transformation found for element '%s' and object '%s'", key, name)
		}
		delete(s.vdrs.transformations, tk)
		return ok(struct{}{})
	}
	return s.writeTransformation(rc, key, name)
}

// vdrElementKey resolves an element key or id through the catalog; anything
// else is taken as a key (no source shows an unknown element).
func (s *Server) vdrElementKey(keyOrID string) string {
	if e, ok := LookupElement(keyOrID); ok {
		return e.Key
	}
	return keyOrID
}

// sortByPath sorts fields by path (case-insensitive) unless
// VDROptions.FieldOrder keeps them as sent.
func (s *Server) sortByPath(n int, path func(i int) string, swap func(i, j int)) {
	if s.vdrs.opts.FieldOrder != "sorted" {
		return
	}
	sort.Sort(byPath{n: n, path: path, swap: swap})
}

type byPath struct {
	n    int
	path func(i int) string
	swap func(i, j int)
}

func (x byPath) Len() int           { return x.n }
func (x byPath) Less(i, j int) bool { return pathLess(x.path(i), x.path(j)) }
func (x byPath) Swap(i, j int)      { x.swap(i, j) }

func pathLess(a, b string) bool {
	if la, lb := strings.ToLower(a), strings.ToLower(b); la != lb {
		return la < lb
	}
	return a < b
}

func (s *Server) definitionJSON(d *Definition) map[string]any {
	fields := make([]map[string]any, len(d.Fields))
	for i, f := range d.Fields {
		fields[i] = map[string]any{"type": f.Type, "path": f.Path, "level": f.Level}
	}
	return map[string]any{"fields": fields, "level": levelOrganization}
}

func (s *Server) writeDefinition(rc *reqCtx, name string) result {
	body, err := decodeObject(rc.body)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	var in struct {
		Fields []struct {
			Path string `json:"path"`
			Type string `json:"type"`
		} `json:"fields"`
	}
	raw, _ := json.Marshal(body)
	if err := json.Unmarshal(raw, &in); err != nil {
		return rc.fail(http.StatusBadRequest, "Invalid object definition: %v", err)
	}
	if _, has := body["fields"]; !has {
		return rc.fail(http.StatusBadRequest, "An object definition needs fields")
	}
	_, exists := s.vdrs.definitions[name]
	switch {
	case rc.method == http.MethodPost && exists && s.vdrs.opts.ExistingDefinition == "conflict":
		return rc.fail(http.StatusConflict, "An object definition named '%s' already exists", name)
	case rc.method == http.MethodPut && !exists:
		return rc.fail(http.StatusNotFound, "No object definition found for '%s'", name)
	}
	d := &Definition{ObjectName: name, Fields: []DefinitionField{}}
	seen := map[string]bool{}
	for _, f := range in.Fields {
		if f.Path == "" || f.Type == "" {
			return rc.fail(http.StatusBadRequest, "Every field needs a path and a type")
		}
		if seen[f.Path] {
			return rc.fail(http.StatusBadRequest, "Field '%s' is defined twice", f.Path)
		}
		seen[f.Path] = true
		d.Fields = append(d.Fields, DefinitionField{Path: f.Path, Type: f.Type, Level: levelOrganization})
	}
	s.sortByPath(len(d.Fields), func(i int) string { return d.Fields[i].Path },
		func(i, j int) { d.Fields[i], d.Fields[j] = d.Fields[j], d.Fields[i] })
	s.vdrs.definitions[name] = d
	if s.vdrs.opts.TypeChange == "propagate" {
		s.propagateTypes(d)
	}
	return ok(s.definitionJSON(d))
}

// propagateTypes gives the transformations of d's object the types d
// defines (VDROptions.TypeChange "propagate").
func (s *Server) propagateTypes(d *Definition) {
	types := map[string]string{}
	for _, f := range d.Fields {
		types[f.Path] = f.Type
	}
	for _, t := range s.vdrs.transformations {
		if t.ObjectName != d.ObjectName {
			continue
		}
		for i := range t.Fields {
			if typ, ok := types[t.Fields[i].Path]; ok {
				t.Fields[i].Type = typ
			}
		}
	}
}

// listDefinitions serves GET /organizations/objects/definitions: a map of
// object name to definition, with the documented top-level "level" key.
func (s *Server) listDefinitions(rc *reqCtx) result {
	if len(s.vdrs.definitions) == 0 && s.vdrs.opts.EmptyList == "not-found" {
		return rc.fail(http.StatusNotFound, "No object definitions found")
	}
	out := map[string]any{"level": levelOrganization}
	for name, d := range s.vdrs.definitions {
		out[name] = s.definitionJSON(d)
	}
	return ok(out)
}

// listElementTransformations serves GET
// /organizations/elements/{keyOrId}/transformations: a map of object name
// to the element's transformation.
func (s *Server) listElementTransformations(rc *reqCtx, key string) result {
	out := map[string]any{}
	for _, t := range s.vdrs.transformations {
		if t.ElementKey == key {
			out[t.ObjectName] = s.transformationJSON(t)
		}
	}
	if len(out) == 0 && s.vdrs.opts.EmptyList == "not-found" {
		return rc.fail(http.StatusNotFound, "No transformations found for element '%s'", key)
	}
	if s.vdrs.opts.TransformationListLevel == "level" {
		out["level"] = levelOrganization
	}
	return ok(out)
}

// mappedBy lists the element keys whose transformations map objectName.
func (s *Server) mappedBy(name string) []string {
	var keys []string
	for _, t := range s.vdrs.transformations {
		if t.ObjectName == name {
			keys = append(keys, t.ElementKey)
		}
	}
	sort.Strings(keys)
	return keys
}

func (s *Server) deleteDefinition(rc *reqCtx, name string) result {
	if _, found := s.vdrs.definitions[name]; !found {
		return rc.fail(http.StatusNotFound, "No object definition found for '%s'", name)
	}
	if keys := s.mappedBy(name); len(keys) > 0 {
		return rc.fail(http.StatusConflict, "Object definition '%s' is used by the transformations of %s; delete them first",
			name, strings.Join(keys, ", "))
	}
	delete(s.vdrs.definitions, name)
	return ok(struct{}{})
}

func (s *Server) objectTransformations(name string) []map[string]any {
	out := []map[string]any{}
	for _, key := range s.mappedBy(name) {
		t := s.vdrs.transformations[transformationKey(key, name)]
		out = append(out, map[string]any{"level": levelOrganization, "element": map[string]any{"key": key},
			"objectName": name, "vendorName": t.VendorName})
	}
	return out
}

func (s *Server) transformationJSON(t *Transformation) map[string]any {
	fields := make([]map[string]any, len(t.Fields))
	for i, f := range t.Fields {
		m := map[string]any{"path": f.Path, "vendorPath": f.VendorPath, "level": f.Level}
		if f.Type != "" {
			m["type"] = f.Type
		}
		for k, v := range f.Extra {
			m[k] = v
		}
		fields[i] = m
	}
	out := map[string]any{
		"level": levelOrganization, "objectName": t.ObjectName, "elementKey": t.ElementKey,
		"vendorName": t.VendorName, "startDate": t.StartDate.UTC().Format(startDateLayout),
		"fields": fields, "isLegacy": t.IsLegacy,
	}
	if t.Configuration != nil {
		out["configuration"] = t.Configuration
	}
	if t.Script != nil {
		out["script"] = t.Script
	}
	return out
}

// transformationBody is what a transformation POST or PUT carries. Members
// the mock does not model (level, startDate, objectName, elementKey) are
// ignored: the documented migration posts a GET body unchanged.
type transformationBody struct {
	VendorName    string                       `json:"vendorName"`
	Fields        []map[string]json.RawMessage `json:"fields"`
	Configuration []map[string]any             `json:"configuration"`
	Script        map[string]any               `json:"script"`
	IsLegacy      *bool                        `json:"isLegacy"`
}

func (s *Server) writeTransformation(rc *reqCtx, key, name string) result {
	if _, err := decodeObject(rc.body); err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	var in transformationBody
	if err := json.Unmarshal(rc.body, &in); err != nil {
		return rc.fail(http.StatusBadRequest, "Invalid transformation: %v", err)
	}
	def, found := s.vdrs.definitions[name]
	if !found {
		return rc.fail(http.StatusBadRequest, "No object definition found for '%s': create it before its transformations", name)
	}
	tk := transformationKey(key, name)
	prior, exists := s.vdrs.transformations[tk]
	if rc.method == http.MethodPut && !exists {
		return rc.fail(http.StatusNotFound, "No transformation found for element '%s' and object '%s'", key, name)
	}
	legacy := in.IsLegacy != nil && *in.IsLegacy
	if exists && !prior.IsLegacy && legacy {
		return rc.fail(http.StatusBadRequest, "A transformation script cannot go back from the v2 engine to v1 (isLegacy)")
	}
	types := map[string]string{}
	for _, f := range def.Fields {
		types[f.Path] = f.Type
	}
	t := &Transformation{ElementKey: key, ObjectName: name, VendorName: in.VendorName, IsLegacy: legacy,
		StartDate: s.now(), Fields: []TransformationField{}}
	if exists {
		t.StartDate = prior.StartDate
	}
	for _, raw := range in.Fields {
		f, err := transformationField(raw)
		if err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
		typ, defined := types[f.Path]
		if !defined && s.vdrs.opts.UndefinedPaths == "reject" {
			return rc.fail(http.StatusBadRequest, "Field '%s' is not defined in object '%s'", f.Path, name)
		}
		f.Type = typ
		t.Fields = append(t.Fields, f)
	}
	s.sortByPath(len(t.Fields), func(i int) string { return t.Fields[i].Path },
		func(i, j int) { t.Fields[i], t.Fields[j] = t.Fields[j], t.Fields[i] })
	for _, c := range in.Configuration {
		if c == nil {
			continue
		}
		if _, has := c["level"]; !has {
			c["level"] = levelOrganization
		}
		t.Configuration = append(t.Configuration, c)
	}
	if in.Script != nil {
		t.Script = map[string]any{"mimeType": "application/javascript", "level": levelOrganization, "filterEmptyResponse": false}
		for k, v := range in.Script {
			t.Script[k] = v
		}
	}
	s.vdrs.transformations[tk] = t
	return ok(s.transformationJSON(t))
}

func transformationField(raw map[string]json.RawMessage) (TransformationField, error) {
	var f TransformationField
	str := func(k string) string {
		var v string
		_ = json.Unmarshal(raw[k], &v)
		return v
	}
	f.Path, f.VendorPath = str("path"), str("vendorPath")
	if f.Path == "" {
		return f, errors.New("every transformation field needs a path")
	}
	f.Level = levelOrganization
	for k, v := range raw {
		switch k {
		case "path", "vendorPath", "type", "level":
		default:
			if string(v) != "null" {
				if f.Extra == nil {
					f.Extra = map[string]json.RawMessage{}
				}
				f.Extra[k] = v
			}
		}
	}
	return f, nil
}

// Definition returns a copy of the stored organization-level definition.
func (s *Server) Definition(objectName string) (Definition, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.vdrs.definitions[objectName]
	if !ok {
		return Definition{}, false
	}
	return d.clone(), true
}

// Definitions returns copies of all definitions, sorted by name.
func (s *Server) Definitions() []Definition {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Definition, 0, len(s.vdrs.definitions))
	for _, d := range s.vdrs.definitions {
		out = append(out, d.clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ObjectName < out[j].ObjectName })
	return out
}

// MutateDefinition changes a stored definition behind the provider's back
// (drift). fn gets a copy; its fields are stored as left (level
// "organization" where empty). Reports whether the definition exists.
func (s *Server) MutateDefinition(objectName string, fn func(*Definition)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.vdrs.definitions[objectName]
	if !ok {
		return false
	}
	c := d.clone()
	fn(&c)
	c.ObjectName = objectName
	for i := range c.Fields {
		if c.Fields[i].Level == "" {
			c.Fields[i].Level = levelOrganization
		}
	}
	s.vdrs.definitions[objectName] = &c
	return true
}

// RemoveDefinition deletes a definition behind the provider's back, even a
// mapped one. Reports whether it existed.
func (s *Server) RemoveDefinition(objectName string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.vdrs.definitions[objectName]
	delete(s.vdrs.definitions, objectName)
	return ok
}

// Transformation returns a copy of a stored transformation.
func (s *Server) Transformation(elementKey, objectName string) (Transformation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.vdrs.transformations[transformationKey(elementKey, objectName)]
	if !ok {
		return Transformation{}, false
	}
	return t.clone(), true
}

// Transformations returns copies of all transformations, sorted by element
// key and object name.
func (s *Server) Transformations() []Transformation {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, 0, len(s.vdrs.transformations))
	for k := range s.vdrs.transformations {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Transformation, len(keys))
	for i, k := range keys {
		out[i] = s.vdrs.transformations[k].clone()
	}
	return out
}

// MutateTransformation changes a stored transformation behind the
// provider's back. Reports whether it exists.
func (s *Server) MutateTransformation(elementKey, objectName string, fn func(*Transformation)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	tk := transformationKey(elementKey, objectName)
	t, ok := s.vdrs.transformations[tk]
	if !ok {
		return false
	}
	c := t.clone()
	fn(&c)
	c.ElementKey, c.ObjectName = elementKey, objectName
	s.vdrs.transformations[tk] = &c
	return true
}

// RemoveTransformation deletes a transformation behind the provider's back.
// Reports whether it existed.
func (s *Server) RemoveTransformation(elementKey, objectName string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	tk := transformationKey(elementKey, objectName)
	_, ok := s.vdrs.transformations[tk]
	delete(s.vdrs.transformations, tk)
	return ok
}
