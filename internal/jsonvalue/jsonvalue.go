// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package jsonvalue holds the operations on decoded JSON (any, from
// encoding/json with UseNumber) that the asset definitions share: formulas
// and elements are compared as documents whose server fields, defaults and
// order are no difference.
package jsonvalue

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
)

// DecodeObject decodes s, which must hold one JSON object. Numbers stay
// json.Number, so ids and large values keep their digits; what says what
// kind of document is expected, for the error.
func DecodeObject(s, what string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("not valid JSON: more than one value")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("not a JSON object: " + what)
	}
	return m, nil
}

// Copy deep-copies a decoded JSON value.
func Copy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = Copy(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = Copy(x)
		}
		return out
	default:
		return v
	}
}

// Objects returns the objects in a JSON list (other items skipped).
func Objects(v any) []map[string]any {
	l, _ := v.([]any)
	out := make([]map[string]any, 0, len(l))
	for _, item := range l {
		if o, ok := item.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

// DropNulls deletes, in place, every object field whose value is null:
// absent and null mean the same (churros:src/test/platform/formulas/faar.js#L86-97).
func DropNulls(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if x == nil {
				delete(t, k)
				continue
			}
			DropNulls(x)
		}
	case []any:
		for _, x := range t {
			DropNulls(x)
		}
	}
}

// KeyedBy turns a list of objects into a map by the string field; ok is
// false (and the list is kept) when an item lacks the field or repeats it.
func KeyedBy(v any, field string) (map[string]any, bool) {
	l, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make(map[string]any, len(l))
	for _, item := range l {
		o, ok := item.(map[string]any)
		if !ok {
			return nil, false
		}
		k, ok := o[field].(string)
		if _, dup := out[k]; !ok || dup {
			return nil, false
		}
		out[k] = o
	}
	return out, true
}

// SortedValues sorts a list by each item's JSON encoding: a set.
func SortedValues(l []any) []any {
	type keyed struct {
		key string
		v   any
	}
	ks := make([]keyed, len(l))
	for i, v := range l {
		b, _ := json.Marshal(v)
		ks[i] = keyed{string(b), v}
	}
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].key < ks[j].key })
	out := make([]any, len(l))
	for i, k := range ks {
		out[i] = k.v
	}
	return out
}

// NormalizeScalars rewrites, in place, every number and every string that
// is a number into one form, so 5, 5.0 and "5" compare equal.
func NormalizeScalars(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = NormalizeScalars(x)
		}
	case []any:
		for i, x := range t {
			t[i] = NormalizeScalars(x)
		}
	case json.Number:
		return numberKey(string(t))
	case string:
		if _, err := strconv.ParseFloat(t, 64); err == nil && json.Valid([]byte(t)) {
			return numberKey(t)
		}
	}
	return v
}

// numberKey is the canonical form of a JSON number literal.
func numberKey(s string) any {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return numeric(strconv.FormatInt(n, 10))
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return numeric(strconv.FormatFloat(f, 'g', -1, 64))
	}
	return s
}

// numeric marks a normalized number, so it never equals a string that is
// not one.
type numeric string

// CollectStrings calls fn with every string in a decoded JSON value.
func CollectStrings(v any, fn func(string)) {
	switch t := v.(type) {
	case string:
		fn(t)
	case map[string]any:
		for _, x := range t {
			CollectStrings(x, fn)
		}
	case []any:
		for _, x := range t {
			CollectStrings(x, fn)
		}
	}
}

// IgnoreUnlessBoth deletes each key from both maps unless both have it:
// the fields a server fills in when a definition leaves them out are
// compared only when both sides have them.
func IgnoreUnlessBoth(a, b map[string]any, keys ...string) {
	for _, k := range keys {
		_, inA := a[k]
		_, inB := b[k]
		if !inA || !inB {
			delete(a, k)
			delete(b, k)
		}
	}
}
