package mockapi

import (
	"reflect"
	"testing"
)

func cfgOf(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	return m["configuration"].(map[string]any)
}

func TestPatch(t *testing.T) {
	h := newHarness(t, Options{})
	m := h.create(map[string]any{"name": "n", "tags": []string{"a", "b"},
		"configuration": map[string]any{"k1": "v1", "k2": "v2", "api.secret": "s"}})
	id := idOf(t, m)
	path := "/instances/" + itoa(id)

	r := h.do("PATCH", path, map[string]any{"configuration": map[string]any{"k1": "new", "k2": nil, "k3": 7, "filter.response.nulls": nil}})
	wantStatus(t, r, 200)
	p := r.obj(t)
	want := map[string]any{"k1": "new", "k3": "7", "api.secret": Masked, "filter.response.nulls": "true", "event.notification.enabled": "false"}
	if !reflect.DeepEqual(cfgOf(t, p), want) {
		t.Errorf("config %v", cfgOf(t, p))
	}
	if p["name"] != "n" || !reflect.DeepEqual(p["tags"], []any{"a", "b"}) || p["token"] != m["token"] {
		t.Errorf("untouched fields changed: %v", p)
	}
	p = h.do("PATCH", path, map[string]any{"name": "<p>renamed</p>", "tags": []string{"c"}, "providerData": map[string]any{"x": "y"}}).obj(t)
	if p["name"] != "renamed" || !reflect.DeepEqual(p["tags"], []any{"c"}) || p["providerData"] != nil {
		t.Errorf("patched %v", p)
	}
	p = h.do("PATCH", path, map[string]any{"tags": []string{}}).obj(t)
	if !reflect.DeepEqual(p["tags"], []any{}) {
		t.Errorf("tags %v", p["tags"])
	}
	st, _ := h.s.Instance(id)
	if st.ProviderData["x"] != "y" || st.Configuration["api.secret"] != "s" {
		t.Errorf("stored %+v", st)
	}
	for _, bad := range []any{`{`, map[string]any{"name": ""}, map[string]any{"tags": "x"},
		map[string]any{"configuration": map[string]any{"event.vendor.type": "x"}}} {
		wantStatus(t, h.do("PATCH", path, bad), 400)
	}
	if st2, _ := h.s.Instance(id); !reflect.DeepEqual(st, st2) {
		t.Error("failed PATCH changed the instance")
	}
	wantStatus(t, h.do("PATCH", "/instances/999999", map[string]any{"name": "x"}), 404)
}

func TestPut(t *testing.T) {
	h := newHarness(t, Options{})
	m := h.create(map[string]any{"element": map[string]any{"key": "hubspot"}, "name": "n", "tags": []string{"a"},
		"providerData": map[string]any{"code": "c1"}, "configuration": map[string]any{"k1": "v1", "k2": "v2"}})
	id := idOf(t, m)
	path := "/instances/" + itoa(id)

	p := h.do("PUT", path, map[string]any{"name": "m", "configuration": map[string]any{"k2": true}}).obj(t)
	want := map[string]any{"k2": "true", "filter.response.nulls": "true", "event.notification.enabled": "false"}
	if p["name"] != "m" || !reflect.DeepEqual(p["tags"], []any{}) || !reflect.DeepEqual(cfgOf(t, p), want) {
		t.Errorf("put %v", p)
	}
	if p["token"] != m["token"] {
		t.Error("token changed without reAuthenticate")
	}
	wantStatus(t, h.do("PUT", path, map[string]any{"configuration": map[string]any{}}), 400)
	wantStatus(t, h.do("PUT", path+"?reAuthenticate=true", map[string]any{"name": "m"}), 400)
	wantStatus(t, h.do("PUT", path+"?reAuthenticate=true", map[string]any{"name": "m", "providerData": map[string]any{"code": ""}}), 400)
	if st, _ := h.s.Instance(id); st.Token != m["token"] || st.Name != "m" {
		t.Errorf("failed PUT changed the instance: %+v", st)
	}
	r := h.do("PUT", path+"?reAuthenticate=true", map[string]any{"name": "m", "tags": []string{"t"}, "providerData": map[string]any{"code": "c2"}})
	wantStatus(t, r, 200)
	p = r.obj(t)
	if p["token"] == m["token"] || p["token"] == "" || !reflect.DeepEqual(p["tags"], []any{"t"}) {
		t.Errorf("reauth %v", p)
	}
	if st, _ := h.s.Instance(id); st.ProviderData["code"] != "c2" || st.Token != p["token"] {
		t.Errorf("stored %+v", st)
	}
	wantStatus(t, h.do("GET", "/instances", nil, "Authorization", testAuth+", Element "+m["token"].(string)), 401)
	wantStatus(t, h.do("GET", "/instances", nil, "Authorization", testAuth+", Element "+p["token"].(string)), 200)
}

func TestEnableDisable(t *testing.T) {
	h := newHarness(t, Options{})
	id := idOf(t, h.create(map[string]any{"name": "n"}))
	path := "/instances/" + itoa(id)
	r := h.do("DELETE", path+"/enabled", nil)
	wantStatus(t, r, 200)
	if r.obj(t)["disabled"] != true {
		t.Error("not disabled")
	}
	for _, c := range []struct{ method, path string }{
		{"GET", path + "/configuration"}, {"GET", path + "/events"}, {"PATCH", path + "/configuration/1"},
	} {
		r := h.do(c.method, c.path, map[string]any{"propertyValue": "x"})
		wantStatus(t, r, 403)
		if r.obj(t)["message"] == nil {
			t.Error("403 without message")
		}
	}
	wantStatus(t, h.do("GET", path, nil), 200)
	wantStatus(t, h.do("PATCH", path, map[string]any{"name": "x"}), 200)
	wantStatus(t, h.do("PUT", path, map[string]any{"name": "x"}), 200)
	r = h.do("PUT", path+"/enabled", nil)
	wantStatus(t, r, 200)
	if r.obj(t)["disabled"] != false {
		t.Error("not enabled")
	}
	wantStatus(t, h.do("GET", path+"/events", nil), 200)
	wantStatus(t, h.do("DELETE", path+"/enabled", nil), 200)
	wantStatus(t, h.do("DELETE", path, nil), 200)
	wantStatus(t, h.do("PUT", path+"/enabled", nil), 404)
}

func TestConfigurationRecords(t *testing.T) {
	h := newHarness(t, Options{})
	m := h.create(map[string]any{"element": map[string]any{"key": "sfdc"}, "name": "n", "providerData": map[string]any{"code": "c"},
		"configuration": map[string]any{"oauth.api.key": "id", "b": "1"}})
	path := "/instances/" + itoa(idOf(t, m)) + "/configuration"
	var recs []configRecord
	h.do("GET", path, nil).json(t, &recs)
	byKey := map[string]configRecord{}
	for _, r := range recs {
		byKey[r.Key] = r
	}
	if len(recs) != 4 || *byKey["oauth.api.key"].PropertyValue != Masked || *byKey["b"].PropertyValue != "1" || byKey["b"].ID == 0 {
		t.Fatalf("records %s", h.do("GET", path, nil).body)
	}
	var again []configRecord
	h.do("GET", path, nil).json(t, &again)
	if !reflect.DeepEqual(recs, again) {
		t.Error("ids not stable")
	}
	rec := byKey["b"]
	rp := path + "/" + itoa(rec.ID)
	r := h.do("PATCH", rp, map[string]any{"id": rec.ID, "key": "b", "propertyValue": "2"})
	wantStatus(t, r, 200)
	var got configRecord
	r.json(t, &got)
	if got.ID != rec.ID || got.Key != "b" || *got.PropertyValue != "2" {
		t.Errorf("patched record %+v", got)
	}
	if st, _ := h.s.Instance(idOf(t, m)); st.Configuration["b"] != "2" {
		t.Error("not stored")
	}
	wantStatus(t, h.do("PATCH", rp, map[string]any{"key": "b", "propertyValue": false}), 200)
	r = h.do("GET", rp, nil)
	r.json(t, &got)
	if *got.PropertyValue != "false" {
		t.Errorf("bool value %v", *got.PropertyValue)
	}
	key := byKey["oauth.api.key"]
	r = h.do("PATCH", path+"/"+itoa(key.ID), map[string]any{"id": key.ID, "key": "oauth.api.key", "propertyValue": "new-id"})
	if r.json(t, &got); *got.PropertyValue != Masked {
		t.Errorf("masked record came back %v", *got.PropertyValue)
	}
	wantStatus(t, h.do("PATCH", rp, map[string]any{"key": "other", "propertyValue": "x"}), 400)
	wantStatus(t, h.do("PATCH", rp, map[string]any{"key": "b"}), 400)
	wantStatus(t, h.do("PATCH", rp, map[string]any{"key": "b", "propertyValue": nil}), 400)
	wantStatus(t, h.do("PATCH", path+"/99999", map[string]any{"propertyValue": "x"}), 404)
	wantStatus(t, h.do("PATCH", path+"/abc", map[string]any{"propertyValue": "x"}), 400)

	// a key removed by PATCH keeps its id when it comes back
	ip := "/instances/" + itoa(idOf(t, m))
	h.do("PATCH", ip, map[string]any{"configuration": map[string]any{"b": nil}})
	wantStatus(t, h.do("GET", rp, nil), 404)
	h.do("PATCH", ip, map[string]any{"configuration": map[string]any{"b": "3"}})
	wantStatus(t, h.do("GET", rp, nil), 200)
}

func TestEventsEmpty(t *testing.T) {
	h := newHarness(t, Options{})
	id := idOf(t, h.create(map[string]any{"name": "n"}))
	r := h.do("GET", "/instances/"+itoa(id)+"/events", nil)
	wantStatus(t, r, 200)
	if string(r.body) != "[]\n" {
		t.Errorf("events %q", r.body)
	}
	wantStatus(t, h.do("GET", "/instances/999999/events", nil), 404)
}
