// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestFlexInt(t *testing.T) {
	for in, want := range map[string]FlexInt{
		`12345`: 12345, `"12345"`: 12345, `" 7 "`: 7, `""`: 0, `null`: 0, `-3`: -3, `1.2e4`: 12000, `"9223372036854775807"`: 9223372036854775807,
	} {
		var n FlexInt
		if err := json.Unmarshal([]byte(in), &n); err != nil || n != want {
			t.Errorf("%s: got %d, %v; want %d", in, n, err, want)
		}
	}
	for _, in := range []string{`"abc"`, `true`, `1.5`, `{}`, `[]`, `"1e400"`, `9223372036854775808`} {
		var n FlexInt
		if err := json.Unmarshal([]byte(in), &n); err == nil {
			t.Errorf("%s: no error (got %d)", in, n)
		}
	}
	b, err := json.Marshal(struct {
		A FlexInt `json:"a"`
		E Element `json:"e"`
	}{A: 42})
	if err != nil || string(b) != `{"a":42,"e":{}}` {
		t.Errorf("marshal: %s, %v", b, err)
	}
	if FlexInt(42).String() != "42" || FlexInt(-1).String() != "-1" {
		t.Error("String")
	}
}

func TestTags(t *testing.T) {
	for in, want := range map[string]Tags{
		`["a","b"]`: {"a", "b"},
		`[{"id":12,"name":"x"},{"id":13,"name":"y"}]`: {"x", "y"},
		`[{"id":12,"name":"x"},"z",null,{"id":1}]`:    {"x", "z"},
		`null`: {},
		`[]`:   {},
	} {
		var got Tags
		if err := json.Unmarshal([]byte(in), &got); err != nil || !reflect.DeepEqual(got, want) || got == nil {
			t.Errorf("%s: got %#v, %v; want %#v", in, got, err, want)
		}
	}
	for _, in := range []string{`"a"`, `[1]`, `[true]`, `{"name":"a"}`, `[{"name":5}]`} {
		var got Tags
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
	for tags, want := range map[*Tags]string{new(Tags): `[]`, {"a"}: `["a"]`} {
		if b, err := json.Marshal(*tags); err != nil || string(b) != want {
			t.Errorf("marshal %v: %s, %v", *tags, b, err)
		}
	}
}

func TestDecodeInstanceTolerance(t *testing.T) {
	in, err := decodeInstance([]byte(`{"id":"12345","name":"n","createdDate":1512078815000,
		"element":{"id":"5127","key":"k"},"tags":[{"id":1,"name":"old"}],
		"configuration":{"s":"v","nul":null,"b":true,"n":15,"o":{"contacts":{"url":"/hubs/crm/contacts"}}},
		"unknown":{"deep":[1,2,3]}}`), "application/json")
	if err != nil {
		t.Fatal(err)
	}
	want := &Instance{
		ID: 12345, Name: "n", CreatedDate: "1512078815000",
		Element: Element{ID: 5127, Key: "k"}, ElementID: 5127, Tags: Tags{"old"},
		Configuration: map[string]*string{
			"s": ptr("v"), "nul": nil, "b": ptr("true"), "n": ptr("15"), "o": ptr(`{"contacts":{"url":"/hubs/crm/contacts"}}`),
		},
	}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("got  %+v\nwant %+v", in, want)
	}
	if v, ok := in.Configuration["nul"]; !ok || v != nil {
		t.Error("null configuration value must be a present nil pointer")
	}
	in, err = decodeInstance([]byte(`{"id":1,"configuration":null,"tags":null}`), "")
	if err != nil || in.Configuration != nil || in.Tags == nil {
		t.Errorf("nulls: %+v, %v", in, err)
	}
}

func FuzzDecodeInstance(f *testing.F) {
	for _, seed := range []string{
		instanceJSON,
		`{"id":"12345","tags":[{"id":12,"name":"x"}],"configuration":{"a":null,"b":true,"c":{"x":[1]}}}`,
		`{"id":1.5}`, `{"id":"abc"}`, `{"tags":"x"}`, `{"tags":[1]}`, `{"configuration":[]}`,
		`{"element":null,"elementId":"7","createdDate":{}}`, `null`, `[]`, ``, `<html></html>`, `{"id":`,
		`{"id":1e999}`, `{"configuration":{"k":"\ud800"}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := decodeInstance(data, "application/json")
		if err == nil && in == nil {
			t.Fatal("nil instance without error")
		}
		var tags Tags
		_ = json.Unmarshal(data, &tags)
		var n FlexInt
		_ = json.Unmarshal(data, &n)
		_ = excerpt(data)
	})
}

// plainString decodes exactly what encoding/json decodes, or leaves it to it.
func TestPlainStringAgreesWithDecoder(t *testing.T) {
	for _, raw := range []string{
		`""`, `"plain"`, `"https://example.com/a?b=c&d=e"`, `"a\"b"`, `"a\\b"`, `"tab\there"`,
		`"\u00e9"`, "\"é\"", "\"\xff\"", "\"a\x01b\"", `"unterminated`, `"`, `x"`, `"a"b"`, `12`, `null`,
	} {
		got, ok := plainString([]byte(raw))
		var want string
		err := json.Unmarshal([]byte(raw), &want)
		switch {
		case ok && err != nil:
			t.Errorf("%q: plainString took %q, the decoder refuses it: %v", raw, got, err)
		case ok && got != want:
			t.Errorf("%q: plainString %q, decoder %q", raw, got, want)
		}
	}
	for _, raw := range []string{`""`, `"plain"`, `"https://example.com/a?b=c"`} {
		if _, ok := plainString([]byte(raw)); !ok {
			t.Errorf("%q: left to the decoder", raw)
		}
	}
}
