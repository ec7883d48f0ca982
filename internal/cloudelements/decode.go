// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FlexInt is an integer that decodes from a JSON number or a numeric string
// ("12345"); "" and null decode to 0. It encodes as a JSON number.
type FlexInt int64

// String returns the decimal form.
func (n FlexInt) String() string { return strconv.FormatInt(int64(n), 10) }

// MarshalJSON encodes n as a JSON number.
func (n FlexInt) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, int64(n), 10), nil
}

// UnmarshalJSON accepts a number, a numeric string or null.
func (n *FlexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*n = 0
			return nil
		}
	}
	v, ok := parseIntegral(s)
	if !ok {
		return fmt.Errorf("cloudelements: %q is not an integer", clip(s, 40))
	}
	*n = FlexInt(v)
	return nil
}

// parseIntegral parses an integer, also written as an integral float (1.2e4).
func parseIntegral(s string) (int64, bool) {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

// FlexBool is a boolean that decodes from true/false, "true"/"false" (any
// case) and null (false).
type FlexBool bool

// UnmarshalJSON accepts a boolean, a boolean string or null.
func (b *FlexBool) UnmarshalJSON(data []byte) error {
	switch v := strings.ToLower(strings.Trim(strings.TrimSpace(string(data)), `"`)); v {
	case "true":
		*b = true
	case "false", "null", "":
		*b = false
	default:
		return fmt.Errorf("cloudelements: %q is not a boolean", clip(v, 40))
	}
	return nil
}

// UnmarshalJSON accepts a definition's defaultValue as any scalar.
func (d *ConfigDefinition) UnmarshalJSON(b []byte) error {
	type plain ConfigDefinition
	aux := struct {
		*plain
		DefaultValue json.RawMessage `json:"defaultValue"`
	}{plain: (*plain)(d)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	v, err := scalarText(aux.DefaultValue)
	if err != nil {
		return fmt.Errorf("cloudelements: defaultValue of %q: %w", clip(d.Key, 100), err)
	}
	d.DefaultValue = v
	return nil
}

// Tags is a list of tag names. It decodes ["a","b"] and the old shape
// [{"id":12,"name":"a"}] (names kept); null decodes to an empty list. It
// encodes as a JSON array of strings, [] when empty.
type Tags []string

// MarshalJSON encodes the tags as an array of strings, never null.
func (t Tags) MarshalJSON() ([]byte, error) {
	if t == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]string(t))
}

// UnmarshalJSON accepts strings and {"name": ...} objects; nulls are skipped.
func (t *Tags) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*t = Tags{}
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(b, &items); err != nil {
		return fmt.Errorf("cloudelements: tags must be an array: %w", err)
	}
	out := make(Tags, 0, len(items))
	for _, it := range items {
		it = bytes.TrimSpace(it)
		if len(it) == 0 {
			continue
		}
		switch it[0] {
		case '"':
			if s, ok := plainString(it); ok {
				out = append(out, s)
				continue
			}
			var s string
			if err := json.Unmarshal(it, &s); err != nil {
				return err
			}
			out = append(out, s)
		case '{':
			var o struct {
				Name *string `json:"name"`
			}
			if err := json.Unmarshal(it, &o); err != nil {
				return fmt.Errorf("cloudelements: tag object: %w", err)
			}
			if o.Name != nil {
				out = append(out, *o.Name)
			}
		case 'n': // null
		default:
			return errors.New("cloudelements: a tag must be a string or an object with a name")
		}
	}
	*t = out
	return nil
}

// scalarText turns one JSON value into the string the API stores: strings
// as they are, numbers and booleans as written, objects and arrays as
// compact JSON. null and an absent value give nil.
func scalarText(raw json.RawMessage) (*string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var s string
	switch raw[0] {
	case '"':
		if plain, ok := plainString(raw); ok {
			s = plain
			break
		}
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
	case '{', '[':
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return nil, err
		}
		s = buf.String()
	default:
		if !json.Valid(raw) {
			return nil, errors.New("cloudelements: invalid JSON value")
		}
		s = string(raw)
	}
	return &s, nil
}

// plainString is the text of a JSON string without escapes, the common
// case, without a decoder (a listing decodes some 30 values per instance).
// ok is false when raw needs the decoder: escapes, control or non-ASCII
// bytes (which it checks or replaces), or a malformed string.
func plainString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	body := raw[1 : len(raw)-1]
	for _, c := range body {
		if c == '\\' || c == '"' || c < 0x20 || c >= 0x80 {
			return "", false
		}
	}
	return string(body), true
}

// textOf is scalarText with "" for null and for anything undecodable.
func textOf(raw json.RawMessage) string {
	p, err := scalarText(raw)
	if err != nil || p == nil {
		return ""
	}
	return *p
}

// UnmarshalJSON decodes an instance tolerantly: configuration values may be
// strings, null (nil), numbers, booleans or objects (kept as JSON text);
// createdDate may be a string or a number.
func (in *Instance) UnmarshalJSON(b []byte) error {
	type plain Instance
	aux := struct {
		*plain
		CreatedDate   json.RawMessage            `json:"createdDate"`
		Configuration map[string]json.RawMessage `json:"configuration"`
	}{plain: (*plain)(in)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if aux.CreatedDate != nil {
		in.CreatedDate = textOf(aux.CreatedDate)
	}
	if aux.Configuration != nil {
		in.Configuration = make(map[string]*string, len(aux.Configuration))
		for k, v := range aux.Configuration {
			p, err := scalarText(v)
			if err != nil {
				return fmt.Errorf("cloudelements: configuration value of %q: %w", clip(k, 100), err)
			}
			in.Configuration[k] = p
		}
	}
	if in.ElementID == 0 {
		in.ElementID = in.Element.ID
	}
	if in.Element.ID == 0 {
		in.Element.ID = in.ElementID
	}
	return nil
}

// decodeInstance decodes one instance from a response body. An empty body,
// null, a non-object or an HTML page is an error.
func decodeInstance(body []byte, contentType string) (*Instance, error) {
	if err := checkJSONBody(body, contentType); err != nil {
		return nil, err
	}
	t := bytes.TrimSpace(body)
	if t[0] != '{' {
		return nil, errors.New("expected a JSON object")
	}
	var in Instance
	if err := json.Unmarshal(t, &in); err != nil {
		return nil, err
	}
	return &in, nil
}
