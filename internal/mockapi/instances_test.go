package mockapi

import (
	"reflect"
	"strconv"
	"testing"
)

func TestCreateShapeAndDefaults(t *testing.T) {
	h := newHarness(t, Options{Now: fixedClock()})
	r := h.do("POST", "/instances", `{
		"element": {"key": "campaignmonitor"},
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
		"element":   map[string]any{"id": 5127.0, "key": "campaignmonitor", "name": "Campaign Monitor"},
		"elementId": 5127.0, "tags": []any{"Docs", "bold"}, "provisionInteractions": []any{},
		"valid": true, "disabled": false, "maxCacheSize": 0.0, "cacheTimeToLive": 0.0,
		"eventsEnabled": true, "eventsNotificationCallbackUrl": "https://app.example.com/events",
		"traceLoggingEnabled": false, "cachingEnabled": false, "externalAuthentication": "none",
		"configuration": map[string]any{
			"oauth.callback.url":               "https://app.example.com/cb",
			"oauth.api.key":                    "client-id",
			"oauth.api.secret":                 Masked,
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
	if !ok || stored.Configuration["oauth.api.secret"] != "client-secret" || stored.ProviderData["code"] != "grant" ||
		stored.ElementKey != "campaignmonitor" || stored.ElementID != 5127 || stored.Token != m["token"] {
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
	if tags, _ := m2["tags"].([]any); tags == nil || len(tags) != 0 {
		t.Errorf("tags %#v, want []", m2["tags"])
	}
}

func TestCreateCatalogAndValidation(t *testing.T) {
	h := newHarness(t, Options{})
	ok := []struct {
		path string
		body string
		key  string
	}{
		{"/instances", `{"element":{"id":1},"name":"n"}`, "fake"},
		{"/instances", `{"element":{"id":"5127"},"name":"n","providerData":{"code":"c"}}`, "campaignmonitor"},
		{"/elements/hubspot/instances", `{"name":"n","providerData":{"code":"c"}}`, "hubspot"},
		{"/elements/2/instances", `{"name":"n","providerData":{"code":"c"}}`, "sfdc"},
		{"/elements/fake/instances", `{"name":"n"}`, "fake"},
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
		{"/instances", `{"name":"n"}`, ""},
		{"/elements/nope/instances", `{"name":"n"}`, ""},
		{"/instances", `{"element":{"key":"fake"}}`, ""},
		{"/instances", `{"element":{"key":"fake"},"name":""}`, ""},
		{"/instances", `{"element":{"key":"fake"},"name":"<b></b>"}`, ""},
		{"/instances", `{"element":{"key":"fake"},"name":5}`, ""},
		{"/instances", `{"element":{"key":"sfdc"},"name":"n"}`, ""},
		{"/instances", `{"element":{"key":"hubspot"},"name":"n","providerData":{"code":""}}`, ""},
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

func TestMaskingPerElement(t *testing.T) {
	h := newHarness(t, Options{})
	cfg := map[string]any{"oauth.api.key": "id", "oauth.api.secret": "s", "Client_SECRET_x": "s", "db.PassWord": "p",
		"event.notification.signature.key": "k", "plain": "v"}
	sf := h.create(map[string]any{"element": map[string]any{"key": "sfdc"}, "name": "n", "configuration": cfg, "providerData": map[string]any{"code": "c"}})
	hs := h.create(map[string]any{"element": map[string]any{"key": "hubspot"}, "name": "n", "configuration": cfg, "providerData": map[string]any{"code": "c"}})
	for _, c := range []struct {
		m   map[string]any
		key string
		val string
	}{
		{sf, "oauth.api.key", Masked}, {hs, "oauth.api.key", "id"},
		{sf, "oauth.api.secret", Masked}, {hs, "Client_SECRET_x", Masked}, {hs, "db.PassWord", Masked},
		{hs, "event.notification.signature.key", Masked}, {sf, "plain", "v"},
	} {
		if got := c.m["configuration"].(map[string]any)[c.key]; got != c.val {
			t.Errorf("%v %s = %v, want %s", c.m["element"], c.key, got, c.val)
		}
	}
	if st, _ := h.s.Instance(idOf(t, sf)); st.Configuration["oauth.api.key"] != "id" {
		t.Error("stored value masked")
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
}
