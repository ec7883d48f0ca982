// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestCreateShapeAndDefaults(t *testing.T) {
	h := newHarness(t, Options{Now: fixedClock()})
	r := h.do("POST", "/instances", `{
		"element": {"key": "fake"},
		"providerData": {"code": "grant"},
		"configuration": {
			"oauth.callback.url": "https://app.example.com/cb",
			"oauth.api.key": "client-id",
			"oauth.api.secret": "client-secret",
			"event.notification.enabled": true,
			"event.vendor.type": "webhook",
			"event.poller.refresh_interval": 15,
			"event.notification.callback.url": "https://app.example.com/events",
			"event.notification.signature.key": "sig",
			"some.Password": "pw",
			"gone": null
		},
		"tags": ["Docs", "<b>bold</b>", "Docs"],
		"name": "<i>API</i> Instance"
	}`)
	wantStatus(t, r, 200)
	m := r.obj(t)
	id := idOf(t, m)
	if id < 1000 {
		t.Errorf("id %d", id)
	}
	if got := r.header.Get("Elements-Element-Instance-Id"); got != strconv.FormatInt(id, 10) {
		t.Errorf("elements-element-instance-id %q", got)
	}
	want := map[string]any{
		"name": "API Instance", "createdDate": "2017-11-30T21:53:35Z",
		"element":   map[string]any{"id": 1.0, "key": "fake", "name": "Fake"},
		"elementId": 1.0, "tags": []any{"Docs", "bold"}, "provisionInteractions": []any{},
		"valid": true, "disabled": false, "maxCacheSize": 0.0, "cacheTimeToLive": 0.0,
		"eventsEnabled": true, "eventsNotificationCallbackUrl": "https://app.example.com/events",
		"traceLoggingEnabled": false, "cachingEnabled": false, "externalAuthentication": "none",
		"configuration": map[string]any{
			"oauth.callback.url":               "https://app.example.com/cb",
			"oauth.api.key":                    "client-id",
			"oauth.api.secret":                 "client-secret", // shown in clear, as documented
			"event.notification.enabled":       "true",
			"event.vendor.type":                "webhook",
			"event.poller.refresh_interval":    "15",
			"event.notification.callback.url":  "https://app.example.com/events",
			"event.notification.signature.key": Masked,
			"some.Password":                    Masked,
			"filter.response.nulls":            "true",
		},
	}
	for k, v := range want {
		if !reflect.DeepEqual(m[k], v) {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	if tok, _ := m["token"].(string); len(tok) < 20 {
		t.Errorf("token %q", tok)
	}
	if _, has := m["providerData"]; has {
		t.Error("providerData returned")
	}
	if u, _ := m["user"].(map[string]any); u["id"] == nil || u["emailAddress"] == nil {
		t.Errorf("user %v", m["user"])
	}
	stored, ok := h.s.Instance(id)
	if !ok || stored.Configuration["some.Password"] != "pw" || stored.ProviderData["code"] != "grant" ||
		stored.ElementKey != "fake" || stored.ElementID != 1 || stored.Token != m["token"] {
		t.Errorf("stored %+v", stored)
	}

	// a second create gets a larger id; no events: no callback field, defaults added
	m2 := h.create(map[string]any{"name": "b", "configuration": map[string]any{"x": false}})
	if idOf(t, m2) <= id {
		t.Errorf("ids not increasing: %d then %d", id, idOf(t, m2))
	}
	if _, has := m2["eventsNotificationCallbackUrl"]; has || m2["eventsEnabled"] != false {
		t.Errorf("events fields %v %v", m2["eventsEnabled"], m2["eventsNotificationCallbackUrl"])
	}
	cfg := m2["configuration"].(map[string]any)
	if cfg["x"] != "false" || cfg["event.notification.enabled"] != "false" || cfg["filter.response.nulls"] != "true" {
		t.Errorf("configuration %v", cfg)
	}
}

// documentedCreate creates an instance of a catalog element with its
// required inputs filled in (and a code for OAuth elements).
func (h *harness) documentedCreate(key string, extra map[string]any) map[string]any {
	h.t.Helper()
	e, ok := LookupElement(key)
	if !ok {
		h.t.Fatalf("no element %s", key)
	}
	cfg := map[string]any{}
	for _, in := range e.Inputs {
		if in.Required {
			cfg[in.Key] = "value-of-" + in.Key
		}
	}
	for k, v := range extra {
		cfg[k] = v
	}
	body := map[string]any{"element": map[string]any{"key": key}, "name": key + " instance", "configuration": cfg}
	if e.OAuth {
		body["providerData"] = map[string]any{"code": "grant"}
	}
	return h.create(body)
}

func TestCreateDocumentedElements(t *testing.T) {
	null := any(nil)
	cases := []struct {
		key  string
		want map[string]any // configuration values in the response; null = present as null
		gone []string       // keys absent from the response
		top  map[string]any // top-level fields
	}{
		{"paypalv2", map[string]any{
			"event.notification.callback.url": "false", "event.vendor.type": "webhooks",
			"event.notification.enabled": "false", "base.url": "https://api.paypal.com/v1",
			"event.notification.subscription.id": null, "oauth.user.refresh_interval": "3600",
			"oauth.api.secret": "value-of-oauth.api.secret", "oauth.api.key": "value-of-oauth.api.key",
		}, []string{"filter.response.nulls"}, map[string]any{"eventsNotificationCallbackUrl": "false", "eventsEnabled": false}},
		{"stripe", map[string]any{
			"event.vendor.type": "polling", "event.poller.refresh_interval": "15",
			"event.poller.configuration":      `{"events":{"url":"/hubs/payment/events?where=created >'${epoch}'","idField":"id"}}`,
			"event.notification.callback.url": null, "password": Masked,
		}, nil, nil},
		{"chargebee", map[string]any{
			"event.vendor.type": "polling", "event.poller.refresh_interval": "15",
			"event.poller.configuration": `{"events":{"url":"/hubs/payment/events?where=start_time='${epoch}'","idField":""}}`,
			"password":                   "value-of-password", // the docs show it in clear
		}, nil, nil},
		{"docusign", map[string]any{
			"event.vendor.type": "polling", "event.poller.refresh_interval": "5", // documented: 5, not 15
			"event.poller.urls": "envelopes|/hubs/esignature/envelopes?where=from_date='${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}'",
		}, []string{"oauth.user.token", "event.poller.configuration"}, nil}, // no code sent: no credentials
		{"wufoo", map[string]any{"password": Masked, "username": "value-of-username", "event.vendor.type": "webhooks"},
			nil, map[string]any{"eventsNotificationCallbackUrl": "false"}},
		{"sfdc", map[string]any{"oauth.api.key": Masked, "oauth.api.secret": Masked,
			"oauth.callback.url": "value-of-oauth.callback.url", "filter.response.nulls": "true", "event.notification.enabled": "false"},
			[]string{"oauth.user.token"}, nil},
		{"box", map[string]any{"oauth.user.refresh_time": "1496784574729", "oauth.user.refresh_interval": null,
			"oauth.user.id": "263773421", "event.notification.signature.key": null},
			nil, nil},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			h := newHarness(t, Options{})
			m := h.documentedCreate(c.key, nil)
			cfg := cfgOf(t, m)
			for k, v := range c.want {
				got, has := cfg[k]
				if !has || !reflect.DeepEqual(got, v) {
					t.Errorf("%s = %#v (present %v), want %#v", k, got, has, v)
				}
			}
			for _, k := range c.gone {
				if v, has := cfg[k]; has {
					t.Errorf("%s present: %v", k, v)
				}
			}
			for k, v := range c.top {
				if !reflect.DeepEqual(m[k], v) {
					t.Errorf("%s = %#v, want %#v", k, m[k], v)
				}
			}
			e, _ := LookupElement(c.key)
			el := m["element"].(map[string]any)
			if el["key"] != c.key || el["id"] != float64(e.ID) || m["elementId"] != float64(e.ID) {
				t.Errorf("element %v, elementId %v, want id %d", el, m["elementId"], e.ID)
			}
			// stored in clear, nulls apart
			st, _ := h.s.Instance(idOf(t, m))
			for k, v := range cfg {
				if _, isNull := st.Configuration[k]; v == nil && isNull {
					t.Errorf("%s: null stored as a value", k)
				}
			}
			for _, k := range e.Masked {
				if st.Configuration[k] == Masked && k != "password" {
					t.Errorf("%s stored masked", k)
				}
			}
		})
	}
}

// OAuth credentials: fresh token values for token-like keys, the documented
// value for the others, nulls kept; all of them in clear.
func TestCreateOAuthCredentials(t *testing.T) {
	h := newHarness(t, Options{})
	a := cfgOf(t, h.documentedCreate("paypalv2", nil))
	b := cfgOf(t, h.documentedCreate("paypalv2", nil))
	e, _ := LookupElement("paypalv2")
	for _, k := range []string{"oauth.user.token", "oauth.user.refresh_token"} {
		got, _ := a[k].(string)
		if got == "" || got == Masked || got == *e.Credentials[k] || got == b[k] {
			t.Errorf("%s = %q: want a fresh clear value", k, got)
		}
	}
	if a["oauth.user.refresh_time"] != *e.Credentials["oauth.user.refresh_time"] {
		t.Errorf("refresh_time %v", a["oauth.user.refresh_time"])
	}
	// twitter is documented without OAuth; its credentials come only with a code
	plain := h.create(map[string]any{"element": map[string]any{"key": "twitter"}, "name": "t"})
	coded := h.create(map[string]any{"element": map[string]any{"key": "twitter"}, "name": "t", "providerData": map[string]any{"code": "c"}})
	if _, has := cfgOf(t, plain)["oauth.user.token.secret"]; has {
		t.Error("credentials without a code")
	}
	if v, _ := cfgOf(t, coded)["oauth.user.token.secret"].(string); v == "" || v == Masked {
		t.Errorf("oauth.user.token.secret %q", v)
	}
}

func TestCreateTags(t *testing.T) {
	h := newHarness(t, Options{})
	cases := []struct {
		body map[string]any
		want any
	}{
		{map[string]any{"name": "<b>@churros-xss</b>"}, []any{"@churros-xss"}}, // no tags: the name
		{map[string]any{"name": "n", "tags": nil}, []any{"n"}},
		{map[string]any{"name": "n", "tags": []string{}}, nil}, // omitted
		{map[string]any{"name": "n", "tags": []any{"a", map[string]any{"id": 3, "name": "b"}}}, []any{"a", "b"}},
	}
	for _, c := range cases {
		m := h.create(c.body)
		if !reflect.DeepEqual(m["tags"], c.want) {
			t.Errorf("%v: tags %#v, want %#v", c.body, m["tags"], c.want)
		}
	}
	// dropbox's documented tags are {id, name} objects
	m := h.documentedCreate("dropbox", nil)
	tags, _ := m["tags"].([]any)
	if len(tags) != 1 {
		t.Fatalf("dropbox tags %v", m["tags"])
	}
	tag := tags[0].(map[string]any)
	if tag["name"] != "dropbox instance" || tag["id"] == nil || tag["id"].(float64) <= 0 {
		t.Errorf("dropbox tag %v", tag)
	}
	again := h.documentedCreate("dropbox", nil)
	if !reflect.DeepEqual(again["tags"], m["tags"]) {
		t.Errorf("tag ids not stable: %v vs %v", again["tags"], m["tags"])
	}
}

func TestCreateCatalogAndValidation(t *testing.T) {
	h := newHarness(t, Options{})
	paypal, _ := LookupElement("paypalv2")
	oauthCfg := `"configuration":{"oauth.api.key":"k","oauth.api.secret":"s","oauth.callback.url":"u"}`
	ok := []struct {
		path string
		body string
		key  string
	}{
		{"/instances", `{"element":{"id":1},"name":"n"}`, "fake"},
		{"/instances", `{"element":{"id":"2244"},"name":"n","providerData":{"code":"c"},` + oauthCfg + `}`, "paypalv2"},
		{"/elements/hubspot/instances", `{"name":"n"}`, "hubspot"},
		{"/elements/" + strconv.FormatInt(paypal.ID, 10) + "/instances", `{"name":"n","providerData":{"code":"c"},` + oauthCfg + `}`, "paypalv2"},
		{"/elements/fake/instances", `{"name":"n"}`, "fake"},
		{"/elements/FreshBooks%20Classic/instances", `{"name":"n"}`, "FreshBooks Classic"},
	}
	for _, c := range ok {
		r := h.do("POST", c.path, c.body)
		wantStatus(t, r, 200)
		if el := r.obj(t)["element"].(map[string]any); el["key"] != c.key {
			t.Errorf("%s %s: element %v", c.path, c.body, el)
		}
	}
	bad := []struct{ path, body, msg string }{
		{"/instances", `{"element":{"key":"x"},"name":"n"}`, "No element found with key 'x'"},
		{"/instances", `{"element":{"id":99},"name":"n"}`, "No element found with id '99'"},
		{"/instances", `{"element":{"id":39},"name":"n"}`, "No element found with id '39'"}, // a shared documented id
		{"/instances", `{"name":"n"}`, ""},
		{"/elements/nope/instances", `{"name":"n"}`, ""},
		{"/instances", `{"element":{"key":"fake"}}`, ""},
		{"/instances", `{"element":{"key":"fake"},"name":""}`, ""},
		{"/instances", `{"element":{"key":"fake"},"name":"<b></b>"}`, ""},
		{"/instances", `{"element":{"key":"fake"},"name":5}`, ""},
		{"/instances", `{"element":{"key":"sfdc"},"name":"n",` + oauthCfg + `}`, "providerData.code is required to authenticate an instance of element 'sfdc'"},
		{"/instances", `{"element":{"key":"sfdc"},"name":"n","providerData":{"code":""},` + oauthCfg + `}`, ""},
		{"/instances", `{"element":{"key":"sfdc"},"name":"n","providerData":{"code":"c"}}`,
			"Missing required configuration entries for element 'sfdc': oauth.api.key, oauth.api.secret, oauth.callback.url"},
		{"/instances", `{"element":{"key":"wufoo"},"name":"n","configuration":{"username":"u","password":null}}`,
			"Missing required configuration entries for element 'wufoo': password"},
		{"/instances", `{"element":{"key":"fake"},"name":"n","configuration":{"event.vendor.type":"push"}}`, ""},
		{"/instances", `{"element":{"key":"fake"},"name":"n","configuration":{"event.poller.configuration":"{nope"}}`, ""},
		{"/instances", `{"element":{"key":"fake"},"name":"n","configuration":[1]}`, ""},
		{"/instances", `{"element":{"key":"fake"},"name":"n","tags":"x"}`, ""},
	}
	for _, c := range bad {
		r := h.do("POST", c.path, c.body)
		wantStatus(t, r, 400)
		m := r.obj(t)
		if m["requestId"] == nil || m["message"] == "" {
			t.Errorf("error body %s", r.body)
		}
		if c.msg != "" && m["message"] != c.msg {
			t.Errorf("message %v, want %q", m["message"], c.msg)
		}
	}
	for _, vt := range []string{"webhook", "webhooks", "polling"} {
		wantStatus(t, h.do("POST", "/instances", map[string]any{"element": map[string]any{"key": "fake"}, "name": "n",
			"configuration": map[string]any{"event.vendor.type": vt, "event.poller.configuration": `{"contacts":{"url":"/c","idField":"id"}}`}}), 200)
	}
	// poller configuration sent as an object is stored as compact JSON text
	m := h.create(map[string]any{"name": "n", "configuration": map[string]any{"event.poller.configuration": map[string]any{"c": map[string]any{"url": "/c"}}}})
	if got := m["configuration"].(map[string]any)["event.poller.configuration"]; got != `{"c":{"url":"/c"}}` {
		t.Errorf("poller configuration %v", got)
	}
}

// Every catalog element can be created from its required inputs, and the
// response carries its documented element object with the mock's id.
func TestCreateEveryCatalogElement(t *testing.T) {
	h := newHarness(t, Options{})
	ids := map[int64]string{}
	for _, e := range Elements() {
		if prev, dup := ids[e.ID]; dup {
			t.Errorf("id %d of %s and %s", e.ID, prev, e.Key)
		}
		ids[e.ID] = e.Key
		m := h.documentedCreate(e.Key, nil)
		el := m["element"].(map[string]any)
		if el["id"] != float64(e.ID) || el["key"] != e.Key {
			t.Errorf("%s: element %v", e.Key, el)
		}
		for _, k := range []string{"configuration", "provisionInteractions", "user"} {
			if _, nested := el[k]; nested {
				t.Errorf("%s: instance field %s inside element", e.Key, k)
			}
		}
		cfg := cfgOf(t, m)
		for k := range e.ServerKeys {
			if _, has := cfg[k]; !has && e.Documented {
				t.Errorf("%s: server key %s missing", e.Key, k)
			}
		}
		for k, v := range cfg {
			if s, _ := v.(string); s == Masked && !e.Masks(k) && !strings.Contains(k, "password") {
				t.Errorf("%s: %s masked", e.Key, k)
			}
		}
	}
	if len(ids) != 116 {
		t.Errorf("%d elements, want 115 documented + fake", len(ids))
	}
}

func TestMaskingPerElement(t *testing.T) {
	cases := []struct {
		elem, key string
		masked    bool
	}{
		{"sfdc", "oauth.api.key", true}, {"sfdc", "oauth.api.secret", true}, // the test suite asserts it
		{"paypalv2", "oauth.api.key", false}, {"paypalv2", "oauth.api.secret", false}, // the docs show it
		{"wufoo", "password", true}, {"chargebee", "password", false},
		{"fake", "db.PassWord", true}, {"fake", "client_secret", false}, {"fake", "plain", false},
		{"fake", "event.notification.signature.key", true}, {"paypalv2", "event.notification.signature.key", true},
		{"jira", "password", true},
	}
	h := newHarness(t, Options{})
	for _, c := range cases {
		m := h.documentedCreate(c.elem, map[string]any{c.key: "v"})
		got := cfgOf(t, m)[c.key]
		if (got == Masked) != c.masked {
			t.Errorf("%s %s = %v, masked want %v", c.elem, c.key, got, c.masked)
		}
		if st, _ := h.s.Instance(idOf(t, m)); st.Configuration[c.key] != "v" {
			t.Errorf("%s %s stored as %q", c.elem, c.key, st.Configuration[c.key])
		}
	}
}

func TestGetAndDelete(t *testing.T) {
	h := newHarness(t, Options{})
	m := h.create(map[string]any{"name": "n"})
	id := idOf(t, m)
	path := "/instances/" + itoa(id)
	r := h.do("GET", path, nil)
	wantStatus(t, r, 200)
	var got map[string]any
	r.json(t, &got)
	if !reflect.DeepEqual(got, m) {
		t.Errorf("GET %v\nPOST %v", got, m)
	}
	tokAuth := testAuth + ", Element " + m["token"].(string)
	wantStatus(t, h.do("GET", path, nil, "Authorization", tokAuth), 200)

	r = h.do("DELETE", path, nil)
	wantStatus(t, r, 200)
	if string(r.body) != "{}\n" {
		t.Errorf("delete body %q", r.body)
	}
	wantStatus(t, h.do("GET", path, nil), 404)
	wantStatus(t, h.do("DELETE", path, nil), 404)
	wantStatus(t, h.do("GET", "/instances", nil, "Authorization", tokAuth), 401)
	if _, ok := h.s.Instance(id); ok {
		t.Error("still stored")
	}
	var e map[string]any
	h.do("GET", "/instances/424242", nil).json(t, &e)
	if e["message"] == nil || e["requestId"] == nil {
		t.Errorf("404 body %v", e)
	}
	// the removed sub-resources are gone
	for _, p := range []string{path + "/configuration", path + "/configuration/1", path + "/events"} {
		wantStatus(t, h.do("GET", p, nil), 404)
	}
}
