// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/json"
	"testing"
)

func TestCanonicalConfiguration(t *testing.T) {
	cases := []struct{ in, want string }{
		{``, ``},
		{`null`, ``},
		{`[]`, ``},
		{`[ {"type":"inherit", "level":"organization"} ]`, `[{"type":"inherit"}]`},
		{`[{"level":"account","type":"inherit"}]`, `[{"level":"account","type":"inherit"}]`},
		{`[{"type":"passThrough","properties":{"toVendor":false,"fromVendor":false},"level":"organization"}]`,
			`[{"properties":{"fromVendor":false,"toVendor":false},"type":"passThrough"}]`},
		{`[{"type":"applyJSOnQueryFieldValue","properties":{"toVendor":null,"x":"<b>&"}}]`,
			`[{"properties":{"toVendor":null,"x":"\u003cb\u003e\u0026"},"type":"applyJSOnQueryFieldValue"}]`},
	}
	for _, tc := range cases {
		got, err := canonicalConfiguration(json.RawMessage(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("canonicalConfiguration(%s) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := canonicalConfiguration(json.RawMessage(`{"type":"inherit"}`)); err == nil {
		t.Error("an object was accepted as a configuration list")
	}
}

func TestFieldTypePattern(t *testing.T) {
	for typ, ok := range map[string]bool{
		"string": true, "number": true, "boolean": true, "date": true,
		"array [string]": true, "array [date]": true, "array[line_items]": true,
		"text": false, "String": false, "array [text]": false, "array[]": false, "array [string": false,
		"addressInfo": false, "": false,
	} {
		if fieldTypePattern.MatchString(typ) != ok {
			t.Errorf("%q accepted = %v, want %v", typ, !ok, ok)
		}
	}
}
