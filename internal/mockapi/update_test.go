// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

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
		"configuration": map[string]any{"k1": "v1", "k2": "v2", "api.password": "s"}})
	id := idOf(t, m)
	path := "/instances/" + itoa(id)

	r := h.do("PATCH", path, map[string]any{"configuration": map[string]any{"k1": "new", "k2": nil, "k3": 7, "filter.response.nulls": nil}})
	wantStatus(t, r, 200)
	p := r.obj(t)
	want := map[string]any{"k1": "new", "k3": "7", "api.password": Masked, "filter.response.nulls": "true", "event.notification.enabled": "false"}
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
	if _, has := p["tags"]; has {
		t.Errorf("tags %v, want none (omitted)", p["tags"])
	}
	st, _ := h.s.Instance(id)
	if st.ProviderData["x"] != "y" || st.Configuration["api.password"] != "s" {
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

// What a null does in PATCH is unverified: every reading of Options.PatchNull.
func TestPatchNullReadings(t *testing.T) {
	str := func(s string) *string { return &s }
	cases := []struct {
		mode PatchNullMode
		elem string
		key  string
		want *string // nil: absent
		null bool    // present as JSON null
	}{
		{"", "fake", "user.key", nil, false},
		{PatchNullRemove, "fake", "user.key", nil, false},
		{PatchNullRemove, "fake", "filter.response.nulls", str("true"), false}, // stated default re-added
		{PatchNullRemove, "paypalv2", "base.url", nil, false},
		{PatchNullIgnore, "fake", "user.key", str("v"), false},
		{PatchNullIgnore, "paypalv2", "base.url", str("https://api.paypal.com/v1"), false},
		{PatchNullReset, "fake", "user.key", nil, false},
		{PatchNullReset, "fake", "event.notification.enabled", str("false"), false},
		{PatchNullReset, "paypalv2", "pagination.max", str("10"), false},
		{PatchNullReset, "paypalv2", "event.notification.subscription.id", nil, true}, // documented null
	}
	for _, c := range cases {
		t.Run(string(c.mode)+"/"+c.elem+"/"+c.key, func(t *testing.T) {
			h := newHarness(t, Options{PatchNull: c.mode})
			in, err := h.s.SeedDocumented(c.elem, "n", paypalInputs(map[string]string{"user.key": "v"}), c.elem == "paypalv2")
			if err != nil {
				t.Fatal(err)
			}
			path := "/instances/" + itoa(in.ID)
			// change the key first, so a reset is visible
			wantStatus(t, h.do("PATCH", path, map[string]any{"configuration": map[string]any{c.key: "changed"}}), 200)
			r := h.do("PATCH", path, map[string]any{"configuration": map[string]any{c.key: nil}})
			wantStatus(t, r, 200)
			got, has := cfgOf(t, r.obj(t))[c.key]
			switch {
			case c.null:
				if !has || got != nil {
					t.Errorf("%s = %v (present %v), want null", c.key, got, has)
				}
			case c.want == nil:
				if has {
					t.Errorf("%s = %v, want absent", c.key, got)
				}
			case c.mode == PatchNullIgnore:
				if got != "changed" {
					t.Errorf("%s = %v, want unchanged", c.key, got)
				}
			case got != *c.want:
				t.Errorf("%s = %v, want %s", c.key, got, *c.want)
			}
		})
	}
}

// paypalInputs adds the required inputs of paypalv2 to cfg (harmless for fake).
func paypalInputs(cfg map[string]string) map[string]string {
	out := map[string]string{"oauth.api.key": "client-id", "oauth.api.secret": "client-secret",
		"oauth.callback.url": "https://app.example.com/cb"}
	for k, v := range cfg {
		out[k] = v
	}
	return out
}

func TestPut(t *testing.T) {
	h := newHarness(t, Options{})
	m := h.create(map[string]any{"name": "n", "tags": []string{"a"},
		"providerData": map[string]any{"code": "c1"}, "configuration": map[string]any{"k1": "v1", "k2": "v2"}})
	id := idOf(t, m)
	path := "/instances/" + itoa(id)

	p := h.do("PUT", path, map[string]any{"name": "m", "configuration": map[string]any{"k2": true}}).obj(t)
	want := map[string]any{"k2": "true", "filter.response.nulls": "true", "event.notification.enabled": "false"}
	if _, hasTags := p["tags"]; p["name"] != "m" || hasTags || !reflect.DeepEqual(cfgOf(t, p), want) {
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

// Keys a PUT leaves out are unverified: both readings of Options.PutAbsentKeys.
func TestPutAbsentKeys(t *testing.T) {
	for _, c := range []struct {
		mode            PutAbsentMode
		keepsUser       bool
		baseURL         string
		userKeyPresence bool
	}{
		{"", false, "https://api.paypal.com/v1", false},
		{PutAbsentRemove, false, "https://api.paypal.com/v1", false},
		{PutAbsentKeep, true, "https://changed", true},
	} {
		t.Run(string(c.mode), func(t *testing.T) {
			h := newHarness(t, Options{PutAbsentKeys: c.mode})
			in, err := h.s.SeedDocumented("paypalv2", "n", paypalInputs(map[string]string{"user.key": "v"}), true)
			if err != nil {
				t.Fatal(err)
			}
			path := "/instances/" + itoa(in.ID)
			wantStatus(t, h.do("PATCH", path, map[string]any{"configuration": map[string]any{"base.url": "https://changed"}}), 200)
			r := h.do("PUT", path, map[string]any{"name": "n", "configuration": map[string]any{"oauth.api.key": "new-id", "gone": nil}})
			wantStatus(t, r, 200)
			cfg := cfgOf(t, r.obj(t))
			if _, has := cfg["user.key"]; has != c.userKeyPresence {
				t.Errorf("user.key present %v", has)
			}
			if cfg["base.url"] != c.baseURL || cfg["oauth.api.key"] != "new-id" {
				t.Errorf("configuration %v", cfg)
			}
			if _, has := cfg["gone"]; has {
				t.Error("a null in a PUT was stored")
			}
			// server keys are there in both readings, nulls included
			if v, has := cfg["event.notification.subscription.id"]; !has || v != nil {
				t.Errorf("server key null %v %v", v, has)
			}
		})
	}
}

// The vendor's re-authentication recipe: GET the instance, drop the two
// tokens, add providerData.code, PUT the body back with ?reAuthenticate=true.
func TestReAuthenticateRecipe(t *testing.T) {
	for _, elem := range []string{"paypalv2", "sfdc"} {
		t.Run(elem, func(t *testing.T) {
			h := newHarness(t, Options{})
			in, err := h.s.SeedDocumented(elem, "n", paypalInputs(nil), true)
			if err != nil {
				t.Fatal(err)
			}
			path := "/instances/" + itoa(in.ID)
			body := h.do("GET", path, nil).obj(t)
			cfg := cfgOf(t, body)
			delete(cfg, "oauth.user.token")
			delete(cfg, "oauth.user.refresh_token")
			body["providerData"] = map[string]any{"code": "new-code"}
			r := h.do("PUT", path+"?reAuthenticate=true", body)
			wantStatus(t, r, 200)
			out := r.obj(t)
			if out["token"] == in.Token {
				t.Error("token not renewed")
			}
			st, _ := h.s.Instance(in.ID)
			// masked values sent back keep what is stored (sfdc masks both)
			if st.Configuration["oauth.api.key"] != "client-id" || st.Configuration["oauth.api.secret"] != "client-secret" {
				t.Errorf("stored client %q %q", st.Configuration["oauth.api.key"], st.Configuration["oauth.api.secret"])
			}
			if elem == "paypalv2" {
				for _, k := range []string{"oauth.user.token", "oauth.user.refresh_token"} {
					if st.Configuration[k] == "" || st.Configuration[k] == in.Configuration[k] {
						t.Errorf("%s not fresh: %q (was %q)", k, st.Configuration[k], in.Configuration[k])
					}
				}
				if st.Configuration["oauth.user.refresh_interval"] != "3600" || st.Configuration["base.url"] != "https://api.paypal.com/v1" {
					t.Errorf("stored %v", st.Configuration)
				}
			}
			if !reflect.DeepEqual(st.NullConfiguration, in.NullConfiguration) {
				t.Errorf("nulls %v, were %v", st.NullConfiguration, in.NullConfiguration)
			}
			// without a code: 400
			delete(body, "providerData")
			wantStatus(t, h.do("PUT", path+"?reAuthenticate=true", body), 400)
		})
	}
}

func TestEnableDisable(t *testing.T) {
	h := newHarness(t, Options{})
	m := h.create(map[string]any{"name": "n"})
	tok, _ := m["token"].(string)
	id := idOf(t, m)
	path := "/instances/" + itoa(id)
	byToken := []string{"Authorization", testAuth + ", Element " + tok}
	cases := []struct {
		method, path string
		hdr          []string
		disabled     bool
	}{
		{"DELETE", path + "/enabled", nil, true},                     // the test suite's path
		{"PUT", path + "/enabled", nil, false},                       //
		{"DELETE", "/instances/enabled", byToken, true},              // the documented path
		{"PUT", "/instances/enabled", byToken, false},                //
		{"DELETE", "/instances/enabled/", byToken, true},             // trailing slash
		{"PUT", "/instances/enabled?ignored=1", byToken, false},      //
		{"DELETE", path + "/enabled", nil, true},                     // and mixed
		{"PUT", "/instances/enabled", byToken, false},                //
		{"PUT", "/instances/enabled", byToken, false},                // idempotent
		{"DELETE", "/instances/" + itoa(id) + "/enabled", nil, true}, //
	}
	for i, c := range cases {
		r := h.do(c.method, c.path, nil, c.hdr...)
		wantStatus(t, r, 200)
		if o := r.obj(t); o["disabled"] != c.disabled || idOf(t, o) != id {
			t.Errorf("%d %s %s: %v", i, c.method, c.path, o)
		}
		if st, _ := h.s.Instance(id); st.Disabled != c.disabled {
			t.Errorf("%d: stored disabled %v", i, st.Disabled)
		}
	}
	// a disabled instance is still read and updated over the platform API
	wantStatus(t, h.do("GET", path, nil), 200)
	wantStatus(t, h.do("PATCH", path, map[string]any{"name": "x"}), 200)
	wantStatus(t, h.do("PUT", path, map[string]any{"name": "x"}), 200)

	wantStatus(t, h.do("PUT", "/instances/enabled", nil), 400)                                             // no Element part
	wantStatus(t, h.do("PUT", "/instances/enabled", nil, "Authorization", testAuth+", Element nope"), 401) // dead token
	wantStatus(t, h.do("PUT", "/instances/enabled", nil, "Authorization", "Element "+tok), 401)            // token alone
	wantStatus(t, h.do("GET", "/instances/enabled", nil, byToken...), 405)
	if n := h.s.RequestCount("PUT", "/instances/enabled"); n != 7 {
		t.Errorf("RequestCount %d", n)
	}
	wantStatus(t, h.do("DELETE", path, nil), 200)
	wantStatus(t, h.do("PUT", path+"/enabled", nil), 404)
	wantStatus(t, h.do("PUT", "/instances/enabled", nil, byToken...), 401) // the token died with it
}
