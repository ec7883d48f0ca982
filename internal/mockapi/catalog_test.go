// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"encoding/json"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestElementsCatalog(t *testing.T) {
	list := Elements()
	if len(list) != 116 || list[0].Key != "fake" || list[0].ID != 1 || list[0].OAuth {
		t.Fatalf("%d elements, first %+v", len(list), list[0])
	}
	byKey := map[string]ElementInfo{}
	for _, e := range list {
		byKey[e.Key] = e
	}
	// unique documented ids are kept; shared or missing ones are synthetic
	for key, want := range map[string]int64{"paypalv2": 2244, "wufoo": 685, "stripe": 483, "dropbox": 14} {
		if byKey[key].ID != want {
			t.Errorf("%s id %d, want %d", key, byKey[key].ID, want)
		}
	}
	for _, key := range []string{"sfdc", "campaignmonitor", "jira", "constantcontact", "box"} {
		if id := byKey[key].ID; id < syntheticIDBase {
			t.Errorf("%s id %d, want synthetic", key, id)
		}
	}
	sfdc := byKey["sfdc"]
	if !sfdc.OAuth || !reflect.DeepEqual(sfdc.Masked, []string{"oauth.api.key", "oauth.api.secret"}) || sfdc.Documented {
		t.Errorf("sfdc %+v", sfdc)
	}
	stripe := byKey["stripe"]
	if *stripe.ServerKeys["event.poller.refresh_interval"] != "15" || stripe.ServerKeys["bulk.relations"] != nil ||
		!reflect.DeepEqual(stripe.Methods, []string{"polling"}) || stripe.VendorType != "polling" {
		t.Errorf("stripe %+v", stripe)
	}
	if !byKey["dropbox"].TagObjects || byKey["wufoo"].TagObjects {
		t.Error("TagObjects")
	}
	// copies: changing one does not change the catalog
	*stripe.ServerKeys["base.url"] = "changed"
	stripe.Inputs[0].Key = "changed"
	if again, _ := LookupElement("stripe"); *again.ServerKeys["base.url"] == "changed" || again.Inputs[0].Key == "changed" {
		t.Error("Elements shares the catalog")
	}
	if e, ok := LookupElement("2244"); !ok || e.Key != "paypalv2" {
		t.Errorf("by id: %+v %v", e, ok)
	}
	if _, ok := LookupElement("39"); ok {
		t.Error("a shared documented id resolves")
	}
	// input types: PASSWORD only for password/secret/token keys
	types := map[string]string{}
	for _, e := range list {
		for _, in := range e.Inputs {
			types[in.Key] = in.Type
		}
	}
	for key, want := range map[string]string{"oauth.api.key": "TEXTFIELD_128", "oauth.api.secret": "PASSWORD",
		"password": "PASSWORD", "api.key": "TEXTFIELD_128", "document.tagging": "BOOLEAN", "oauth.callback.url": "TEXTFIELD_128"} {
		if types[key] != want {
			t.Errorf("%s type %s, want %s", key, types[key], want)
		}
	}
}

// Starting a server and serving the fake element never parses the catalog.
// Run in a child process: other tests have loaded it in this one.
func TestCatalogParsedLazily(t *testing.T) {
	if os.Getenv("MOCKAPI_LAZY_CHILD") == "1" {
		h := newHarness(t, Options{})
		id := idOf(t, h.create(map[string]any{"name": "n"}))
		wantStatus(t, h.do("GET", "/instances/"+itoa(id), nil), 200)
		wantStatus(t, h.do("GET", "/instances", nil), 200)
		if catalogData != nil {
			t.Fatal("catalog parsed")
		}
		wantStatus(t, h.do("GET", "/elements/sfdc/metadata", nil), 200)
		if catalogData == nil {
			t.Fatal("catalog not parsed when needed")
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCatalogParsedLazily$", "-test.count=1")
	cmd.Env = append(os.Environ(), "MOCKAPI_LAZY_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

func TestElementEndpoints(t *testing.T) {
	h := newHarness(t, Options{})
	paypal, _ := LookupElement("paypalv2")

	// GET /elements/{keyOrId}: the element object, its definitions, its events
	for _, kid := range []string{"paypalv2", strconv.FormatInt(paypal.ID, 10)} {
		r := h.do("GET", "/elements/"+kid, nil)
		wantStatus(t, r, 200)
		m := r.obj(t)
		if m["id"] != float64(paypal.ID) || m["key"] != "paypalv2" || m["name"] != "Paypal v2" || m["hub"] != "payment" {
			t.Errorf("element %v", m)
		}
		if ev, _ := m["events"].(map[string]any); ev["supported"] != true || !reflect.DeepEqual(ev["methods"], []any{"webhook"}) {
			t.Errorf("events %v", m["events"])
		}
		if defs, _ := m["configuration"].([]any); len(defs) == 0 {
			t.Errorf("configuration %v", m["configuration"])
		}
	}
	if m := h.do("GET", "/elements/sfdc", nil).obj(t); m["events"] != nil {
		t.Errorf("unknown events shown: %v", m["events"])
	}

	// metadata: the test suite's schema
	for _, c := range []struct {
		key       string
		supported bool
		methods   []any
	}{{"stripe", true, []any{"polling"}}, {"sfdc", false, []any{}}, {"fake", false, []any{}}} {
		m := h.do("GET", "/elements/"+c.key+"/metadata", nil).obj(t)
		ev := m["events"].(map[string]any)
		if ev["supported"] != c.supported || !reflect.DeepEqual(ev["methods"], c.methods) ||
			m["key"] != c.key || m["name"] == nil || m["id"] == nil || m["description"] == nil {
			t.Errorf("%s metadata %v", c.key, m)
		}
	}

	// unknown elements
	for _, p := range []string{"/elements/nope", "/elements/999999999999/metadata", "/elements/nope/configuration", "/elements/39"} {
		r := h.do("GET", p, nil)
		wantStatus(t, r, 404)
		if m := r.obj(t); m["requestId"] == nil || m["message"] == nil {
			t.Errorf("%s: %s", p, r.body)
		}
	}
	if m := h.do("GET", "/elements/nope", nil).obj(t); m["message"] != "No element found with key or id 'nope'" {
		t.Errorf("message %v", m["message"])
	}
	wantStatus(t, h.do("GET", "/elements/sfdc", nil, "Authorization", "User x, Organization y"), 401)
	wantStatus(t, h.do("POST", "/elements/sfdc/metadata", map[string]any{}), 405)
}

func definitionsOf(t *testing.T, h *harness, key string) map[string]map[string]any {
	t.Helper()
	r := h.do("GET", "/elements/"+key+"/configuration", nil)
	wantStatus(t, r, 200)
	var list []map[string]any
	r.json(t, &list)
	out := map[string]map[string]any{}
	for i, d := range list {
		if d["displayOrder"] != float64(i+1) {
			t.Errorf("%s: displayOrder %v at %d", key, d["displayOrder"], i)
		}
		for _, f := range []string{"key", "name", "description", "required", "type", "internal", "hideFromConsole",
			"active", "companyConfig", "resellerConfig"} {
			if _, has := d[f]; !has {
				t.Errorf("%s %v: no %s", key, d["key"], f)
			}
		}
		if _, dup := out[d["key"].(string)]; dup {
			t.Errorf("%s: %v twice", key, d["key"])
		}
		out[d["key"].(string)] = d
	}
	return out
}

func TestElementConfigurationDefinitions(t *testing.T) {
	h := newHarness(t, Options{})
	type want struct {
		typ      string
		required bool
		internal bool
		def      any // nil: no defaultValue
	}
	cases := map[string]map[string]want{
		"paypalv2": {
			"oauth.api.key":                    {"TEXTFIELD_128", true, false, nil}, // the client id: not PASSWORD
			"oauth.api.secret":                 {"PASSWORD", true, false, nil},
			"oauth.callback.url":               {"TEXTFIELD_128", true, false, nil},
			"paypalv2.sandbox":                 {"BOOLEAN", false, false, nil},
			"base.url":                         {"TEXTFIELD_128", false, true, "https://api.paypal.com/v1"},
			"oauth.user.token":                 {"PASSWORD", false, true, nil},
			"oauth.user.refresh_interval":      {"TEXTFIELD_128", false, true, nil},
			"filter.response.nulls":            {"BOOLEAN", false, false, "true"},
			"event.notification.enabled":       {"BOOLEAN", false, false, "false"},
			"event.notification.callback.url":  {"TEXTFIELD_1000", false, false, "false"},
			"event.notification.signature.key": {"PASSWORD", false, false, nil},
			"event.vendor.type":                {"TEXTFIELD_32", false, false, "webhooks"},
		},
		"stripe": {
			"event.poller.refresh_interval": {"TEXTFIELD_32", false, false, "15"},
			"event.poller.configuration": {"TEXTAREA", false, false,
				`{"events":{"url":"/hubs/payment/events?where=created >'${epoch}'","idField":"id"}}`},
			"event.vendor.type": {"TEXTFIELD_32", false, false, "polling"},
			"api.key":           {"TEXTFIELD_128", false, false, nil},
		},
		"fake": {
			"filter.response.nulls": {"BOOLEAN", false, false, "true"},
			"event.vendor.type":     {"TEXTFIELD_32", false, false, nil},
		},
	}
	for key, wants := range cases {
		defs := definitionsOf(t, h, key)
		for k, w := range wants {
			d, has := defs[k]
			if !has {
				t.Errorf("%s: no definition of %s", key, k)
				continue
			}
			if d["type"] != w.typ || d["required"] != w.required || d["internal"] != w.internal ||
				d["hideFromConsole"] != w.internal || d["defaultValue"] != w.def || d["active"] != true {
				t.Errorf("%s %s: %v, want %+v", key, k, d, w)
			}
		}
	}
	// polling keys only for polling elements
	if defs := definitionsOf(t, h, "wufoo"); defs["event.poller.configuration"] != nil || defs["event.poller.refresh_interval"] != nil {
		t.Error("poller definitions on a webhook element")
	}
	for _, e := range Elements() {
		definitionsOf(t, h, e.Key)
	}
}

func TestCatalogStatus(t *testing.T) {
	h := newHarness(t, Options{CatalogStatus: 403})
	for _, p := range []string{"/elements/sfdc", "/elements/sfdc/configuration", "/elements/sfdc/metadata",
		"/elements/nope", "/elements/sfdc/oauth/url?apiKey=k&callbackUrl=u"} {
		r := h.do("GET", p, nil)
		wantStatus(t, r, 403)
		if m := r.obj(t); m["requestId"] == nil || m["message"] != "Forbidden" {
			t.Errorf("%s: %s", p, r.body)
		}
	}
	// creating through /elements/{key}/instances is not a catalog read
	wantStatus(t, h.do("POST", "/elements/fake/instances", map[string]any{"name": "n"}), 200)
	// bad secrets still answer 401 first
	wantStatus(t, h.do("GET", "/elements/sfdc", nil, "Authorization", "nope"), 401)
}

func TestOAuthURL(t *testing.T) {
	h := newHarness(t, Options{})
	get := func(path string) resp {
		return h.do("GET", path, nil, "Authorization", "") // no auth needed
	}
	cases := []struct {
		path, want string
	}{
		{"/elements/paypalv2/oauth/url?apiKey=id&apiSecret=TOPSECRET&callbackUrl=https://app.example.com/auth&state=paypalv2",
			"https://www.paypal.com/signin/authorize?response_type=code&client_id=id&redirect_uri=https%3A%2F%2Fapp.example.com%2Fauth&state=paypalv2"},
		{"/elements/dropbox/oauth/url?apiKey=a+b&apiSecret=TOPSECRET&callbackUrl=cb&scope=files.read",
			"https://dropbox.oauth.example.com/authorize?response_type=code&client_id=a+b&redirect_uri=cb&scope=files.read"},
		{"/elements/14/oauth/url?apiKey=k&callbackUrl=cb&state=",
			"https://dropbox.oauth.example.com/authorize?response_type=code&client_id=k&redirect_uri=cb&state="},
	}
	for _, c := range cases {
		r := get(c.path)
		wantStatus(t, r, 200)
		m := r.obj(t)
		if m["oauthUrl"] != c.want || len(m) != 2 {
			t.Errorf("%s:\n got  %v\n want %s", c.path, m["oauthUrl"], c.want)
		}
		if el, _ := m["element"].(string); el == "" || el == "14" {
			t.Errorf("element %v", m["element"])
		}
		if s := string(r.body); len(s) == 0 || strings.Contains(s, "TOPSECRET") {
			t.Errorf("apiSecret leaked: %s", s)
		}
	}
	for _, c := range []struct {
		path   string
		status int
	}{
		{"/elements/paypalv2/oauth/url?callbackUrl=cb", 400},
		{"/elements/paypalv2/oauth/url?apiKey=k", 400},
		{"/elements/paypalv2/oauth/url?apiKey=&callbackUrl=cb", 400},
		{"/elements/wufoo/oauth/url?apiKey=k&callbackUrl=cb", 400}, // not OAuth
		{"/elements/fake/oauth/url?apiKey=k&callbackUrl=cb", 400},
		{"/elements/nope/oauth/url?apiKey=k&callbackUrl=cb", 404},
	} {
		wantStatus(t, get(c.path), c.status)
	}
	// bad secrets do not matter here either
	wantStatus(t, h.do("GET", "/elements/paypalv2/oauth/url?apiKey=k&callbackUrl=cb", nil, "Authorization", "User x"), 200)
	if n := h.s.RequestCount("GET", oauthURLRoute); n != 10 {
		t.Errorf("RequestCount %d", n)
	}
}

func TestSeedDocumented(t *testing.T) {
	h := newHarness(t, Options{Now: fixedClock()})
	in, err := h.s.SeedDocumented("paypalv2", "<b>Pay</b>", paypalInputs(map[string]string{"paypalv2.sandbox": "true"}), true)
	if err != nil {
		t.Fatal(err)
	}
	if h.s.RequestCount("", "") != 0 {
		t.Error("a request was counted")
	}
	created := h.documentedCreate("paypalv2", map[string]any{"paypalv2.sandbox": "true"})
	// the same keys, the same nulls, the same non-token values as a create
	cfg := cfgOf(t, created)
	if len(cfg) != len(in.Configuration)+len(in.NullConfiguration) {
		t.Errorf("seeded %d keys, created %d", len(in.Configuration)+len(in.NullConfiguration), len(cfg))
	}
	for _, k := range in.NullConfiguration {
		if v, has := cfg[k]; !has || v != nil {
			t.Errorf("%s: created %v", k, v)
		}
	}
	for k, v := range in.Configuration {
		if _, has := cfg[k]; !has {
			t.Errorf("%s not in a create", k)
		}
		if !tokenLike(k) && k != "oauth.api.key" && k != "oauth.api.secret" && k != "oauth.callback.url" && cfg[k] != v {
			t.Errorf("%s: seeded %q, created %v", k, v, cfg[k])
		}
	}
	if in.Name != "Pay" || !reflect.DeepEqual(in.Tags, []string{"Pay"}) || in.ElementID != 2244 || in.Token == "" ||
		in.Configuration["oauth.user.token"] == "" || in.ProviderData["code"] == "" {
		t.Errorf("seeded %+v", in)
	}
	if st, ok := h.s.Instance(in.ID); !ok || !reflect.DeepEqual(st, in) {
		t.Errorf("stored %+v", st)
	}
	if plain, err := h.s.SeedDocumented("wufoo", "w", map[string]string{"username": "u", "password": "p"}, false); err != nil ||
		plain.Configuration["event.notification.callback.url"] != "false" || plain.ProviderData != nil {
		t.Errorf("wufoo %+v %v", plain, err)
	}
	for _, c := range []struct {
		key, name string
		cfg       map[string]string
		oauth     bool
	}{
		{"nope", "n", nil, false},
		{"wufoo", "", map[string]string{"username": "u", "password": "p"}, false},
		{"wufoo", "n", map[string]string{"username": "u"}, false},
		{"paypalv2", "n", paypalInputs(nil), false},
		{"fake", "n", map[string]string{"event.vendor.type": "push"}, false},
	} {
		if _, err := h.s.SeedDocumented(c.key, c.name, c.cfg, c.oauth); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}

// Every OAuth element (authentication type oauth, oauth1 or oauth2 in its
// element object) defines the three keys an OAuth create sends, even when
// its documented create used another method (hubspot's used an API key);
// the ones its documented create did not send are optional.
func TestOAuthElementsDefineOAuthKeys(t *testing.T) {
	var file struct {
		Elements []catalogEntry `json:"elements"`
	}
	if err := json.Unmarshal(catalogJSON, &file); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, ce := range file.Elements {
		if !oauthAuthentication(ce.Element) {
			continue
		}
		checked++
		e, _ := LookupElement(ce.Key)
		have := map[string]ElementInput{}
		for _, in := range e.Inputs {
			have[in.Key] = in
		}
		for _, key := range oauthInputKeys {
			if _, ok := have[key]; !ok {
				t.Errorf("OAuth element %s has no %s definition", ce.Key, key)
			}
		}
	}
	if checked < 40 {
		t.Fatalf("%d OAuth elements checked: the test would prove little", checked)
	}
	hubspot, _ := LookupElement("hubspot")
	for _, in := range hubspot.Inputs {
		if strings.HasPrefix(in.Key, "oauth.") && in.Required {
			t.Errorf("hubspot's %s is required: its documented API-key create would fail", in.Key)
		}
	}
	h := newHarness(t, Options{})
	r := h.do("GET", "/elements/hubspot/configuration", nil)
	wantStatus(t, r, 200)
	for _, key := range oauthInputKeys {
		if !strings.Contains(string(r.body), `"key":"`+key+`"`) {
			t.Errorf("GET /elements/hubspot/configuration has no %s: %s", key, r.body)
		}
	}
}
