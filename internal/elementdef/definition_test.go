// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package elementdef

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/jsonvalue"
)

// The documented bodies live beside the provider's replay test, which
// creates each through Terraform (testdata/elements/SOURCES.md).
const testdata = "../provider/testdata/elements/"

func readDoc(t *testing.T, name string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(testdata, name))
	if err != nil {
		t.Fatal(err)
	}
	def, err := Parse(string(raw))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return def
}

func text(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// twitterPair is the documented create (devportal create-via-api.md): the
// request with its inline secret moved out, and the server's answer with
// the one value the guide's answer changed by hand (its oauth.callback.url
// default and the placeholder secrets differ from the request's: the
// guide's artefact, not a server rule) put back.
func twitterPair(t *testing.T) (req, resp map[string]any) {
	req = readDoc(t, "devportal--element-create--1.json")
	resp = readDoc(t, "devportal--element-create-response--1.json")
	for _, e := range jsonvalue.Objects(resp["configuration"]) {
		for _, s := range jsonvalue.Objects(req["configuration"]) {
			if s["key"] == e["key"] && (e["key"] == "oauth.callback.url" || e["key"] == "oauth.api.key") {
				e["defaultValue"] = s["defaultValue"]
			}
		}
	}
	return req, resp
}

func TestEquivalent_documentedCreate(t *testing.T) {
	req, resp := twitterPair(t)
	// What the server adds: id, key from the name, hub lower-cased, the
	// /hubs/social prefix, resource and parameter ids, type api, source
	// request, expanded configuration, default entries, flags, parameters [].
	if !Equivalent(text(t, req), text(t, resp)) {
		t.Errorf("the documented request and its answer differ:\nrequest  %v\nresponse %v",
			canonical(req), canonical(resp))
	}
}

func TestEquivalent_changes(t *testing.T) {
	req, _ := twitterPair(t)
	base := text(t, req)
	edit := func(fn func(def map[string]any)) string {
		c, _ := jsonvalue.Copy(req).(map[string]any)
		fn(c)
		return text(t, c)
	}
	cases := []struct {
		name string
		b    string
		want bool
	}{
		{"reformatted", func() string { b, _ := json.MarshalIndent(req, "", "    "); return string(b) }(), true},
		{"configuration reversed", edit(func(d map[string]any) {
			l := d["configuration"].([]any)
			for i, j := 0, len(l)-1; i < j; i, j = i+1, j-1 {
				l[i], l[j] = l[j], l[i]
			}
		}), true},
		{"hub in another case", edit(func(d map[string]any) { d["hub"] = "SOCIAL" }), true},
		{"path with the hub prefix", edit(func(d map[string]any) {
			jsonvalue.Objects(d["resources"])[0]["path"] = "/hubs/social/statuses"
		}), true},
		{"key and name are arguments", edit(func(d map[string]any) { d["key"], d["name"] = "other", "Other" }), true},
		{"a resource's vendor path", edit(func(d map[string]any) {
			jsonvalue.Objects(d["resources"])[0]["vendorPath"] = "/statuses/other.json"
		}), false},
		{"a resource removed", edit(func(d map[string]any) { d["resources"] = []any{} }), false},
		{"a configuration default", edit(func(d map[string]any) {
			jsonvalue.Objects(d["configuration"])[0]["defaultValue"] = "https://api.example.com"
		}), false},
		{"a configuration entry removed", edit(func(d map[string]any) {
			d["configuration"] = d["configuration"].([]any)[1:]
		}), false},
		{"the hub", edit(func(d map[string]any) { d["hub"] = "crm" }), false},
		{"a hook added", edit(func(d map[string]any) {
			d["hooks"] = []any{map[string]any{"type": "preRequest", "body": "done({});"}}
		}), false},
	}
	for _, c := range cases {
		if got := Equivalent(base, c.b); got != c.want {
			t.Errorf("%s: Equivalent = %v, want %v", c.name, got, c.want)
		}
	}
}

// An export pasted as is (server fields and all) is the element Stored
// keeps, and Stored keeps no secret and no server field.
func TestStored_documentedExports(t *testing.T) {
	files, _ := filepath.Glob(testdata + "*.json")
	if len(files) < 10 {
		t.Fatalf("only %d documented bodies", len(files))
	}
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		stored, err := Stored(raw)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !Equivalent(string(raw), stored) {
			t.Errorf("%s: the stored form is not the same element", filepath.Base(f))
		}
		def, _ := Parse(stored)
		if got := InlineSecrets(def); len(got) > 0 {
			t.Errorf("%s: stored form holds secrets %v", filepath.Base(f), got)
		}
		if leaks := serverFieldsIn(def); len(leaks) > 0 {
			t.Errorf("%s: stored form keeps server fields %v", filepath.Base(f), leaks)
		}
	}
}

func TestInlineSecrets(t *testing.T) {
	req := readDoc(t, "devportal--element-create--1.json")
	if got := InlineSecrets(req); !reflect.DeepEqual(got, []string{"oauth.api.secret"}) {
		t.Errorf("the Element Builder tutorial's secret: got %v", got)
	}
	export := readDoc(t, "doctor-core--element-export--5.json")
	if got := InlineSecrets(export); len(got) != 0 {
		t.Errorf("an export carries no secret value, got %v", got)
	}
	masked, _ := Parse(`{"configuration":[{"key":"oauth.api.secret","defaultValue":"********"},{"key":"x","type":"PASSWORD","defaultValue":""}]}`)
	if got := InlineSecrets(masked); len(got) != 0 {
		t.Errorf("masked or empty values are no secret, got %v", got)
	}
}

func TestRequestBody(t *testing.T) {
	body, err := RequestBody(`{"id": 7, "key": "old", "name": "Old", "configuration": [{"id": 1, "key": "oauth.api.secret"}],
		"resources": [{"id": 3, "createdDate": "x", "method": "GET", "path": "/a", "parameters": [{"id": 4, "resourceId": 3, "name": "q"}]}]}`,
		"mycrm", "My CRM", map[string]string{"oauth.api.secret": "s3cret", "jks.password": "p"})
	if err != nil {
		t.Fatal(err)
	}
	got := string(body)
	for _, want := range []string{`"key":"mycrm"`, `"name":"My CRM"`, `"defaultValue":"s3cret"`,
		`{"defaultValue":"p","description":"jks.password","key":"jks.password","name":"jks.password","type":"PASSWORD"}`} {
		if !strings.Contains(got, want) {
			t.Errorf("body lacks %s: %s", want, got)
		}
	}
	for _, not := range []string{`"id"`, `"createdDate"`, `"resourceId"`, `"old"`} {
		if strings.Contains(got, not) {
			t.Errorf("body keeps %s: %s", not, got)
		}
	}
}

func TestResources(t *testing.T) {
	export := readDoc(t, "doctor-core--element-export--4.json")
	rs := Resources(export)
	configured := text(t, rs)
	// As the server holds them: ids, the hub prefix, type api.
	held := make([]map[string]any, len(rs))
	for i, r := range rs {
		c, _ := jsonvalue.Copy(r).(map[string]any)
		c["id"], c["ownerAccountId"], c["createdDate"] = json.Number("900"), json.Number("42"), "2026-01-01T00:00:00Z"
		if p, _ := c["path"].(string); !strings.HasPrefix(p, "/hubs/") {
			c["path"] = "/hubs/ecommerce" + p
		}
		if _, has := c["type"]; !has {
			c["type"] = "api"
		}
		held[len(rs)-1-i] = c
	}
	stored, err := StoredResources(held)
	if err != nil {
		t.Fatal(err)
	}
	if !ResourcesEquivalent(configured, stored) {
		t.Errorf("the export's resources and the server's differ:\n%s\n%s", configured, stored)
	}
	if !AccountResource(held[0]) || AccountResource(map[string]any{"ownerAccountId": json.Number("1")}) {
		t.Error("AccountResource: ownerAccountId 1 is the catalog's")
	}
	changed, _ := jsonvalue.Copy(rs).([]map[string]any)
	changed[0]["vendorPath"] = "/elsewhere"
	if ResourcesEquivalent(configured, text(t, changed)) {
		t.Error("a changed vendor path is a change")
	}
	if _, err := ParseResources(`[{"method":"GET","path":"/a"},{"method":"get","path":"/hubs/crm/a"}]`); err == nil {
		t.Error("two resources with one method and path are refused")
	}
	if _, err := ParseResources(`{"method":"GET"}`); err == nil {
		t.Error("an object is not a list of resources")
	}
}

func TestDerivedKey(t *testing.T) {
	if got := DerivedKey("Twitter"); got != "twitter" {
		t.Errorf("got %q", got)
	}
	if got := DerivedKey("My CRM"); got != "mycrm" {
		t.Errorf("got %q", got)
	}
}

func TestConfiguration(t *testing.T) {
	req := readDoc(t, "devportal--element-create--1.json")
	defs := Configuration(req)
	byKey := map[string]bool{}
	for _, d := range defs {
		byKey[d.Key] = true
		if d.Key == "oauth.api.secret" && (d.DefaultValue != nil || d.Type != "PASSWORD") {
			t.Errorf("the secret entry: %+v", d)
		}
	}
	for _, k := range []string{"base.url", "oauth.api.secret", "event.notification.enabled", "event.notification.callback.url"} {
		if !byKey[k] {
			t.Errorf("planned configuration lacks %s", k)
		}
	}
}

// serverFieldsIn lists the server fields left on the element or its parts
// (a resource model's swagger may hold "id" properties of its own).
func serverFieldsIn(def map[string]any) []string {
	var out []string
	check := func(where string, o map[string]any) {
		for _, k := range serverFields {
			if _, has := o[k]; has {
				out = append(out, where+"."+k)
			}
		}
	}
	check("element", def)
	for _, list := range []string{"configuration", "parameters", "hooks", "resources"} {
		for _, part := range jsonvalue.Objects(def[list]) {
			check(list, part)
			for _, sub := range []string{"parameters", "hooks"} {
				for _, p := range jsonvalue.Objects(part[sub]) {
					check(list+"."+sub, p)
				}
			}
		}
	}
	return out
}
