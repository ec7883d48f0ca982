// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestCalls(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		call     func(c *Client) (any, error)
		method   string
		path     string // below the base path
		query    string
		wantBody string // "" means no body
		resp     string
		element  string // Element token expected in the Authorization header
		check    func(t *testing.T, got any)
	}{
		{
			name: "create",
			call: func(c *Client) (any, error) {
				return c.CreateInstance(ctx, CreateInstanceRequest{
					Element:       Element{Key: "campaignmonitor"},
					Name:          "API Instance",
					ProviderData:  map[string]string{"code": "grant"},
					Configuration: map[string]string{"oauth.api.key": "k"},
					Tags:          &[]string{"Docs"},
				})
			},
			method:   "POST",
			path:     "/instances",
			wantBody: `{"element":{"key":"campaignmonitor"},"name":"API Instance","providerData":{"code":"grant"},"configuration":{"oauth.api.key":"k"},"tags":["Docs"]}`,
			resp:     instanceJSON,
			check: func(t *testing.T, got any) {
				in, _ := got.(*Instance)
				want := &Instance{
					ID: 12345, Name: "API Instance", CreatedDate: "2017-11-30T21:53:35Z", Token: "ABC/Dxyz=",
					Element:   Element{ID: 5127, Key: "campaignmonitor", Name: "Campaign Monitor"},
					ElementID: 5127, Tags: Tags{"Docs"}, Valid: true, EventsEnabled: true, ExternalAuthentication: "none",
					Configuration: map[string]*string{"event.notification.enabled": ptr("true"), "oauth.api.secret": ptr(MaskedValue), "nullable": nil},
				}
				if !reflect.DeepEqual(in, want) {
					t.Errorf("instance = %+v\nwant       %+v", in, want)
				}
			},
		},
		{
			name: "create without tags leaves the field out",
			call: func(c *Client) (any, error) {
				return c.CreateInstance(ctx, CreateInstanceRequest{Element: Element{Key: "fake"}, Name: "n"})
			},
			method: "POST", path: "/instances",
			wantBody: `{"element":{"key":"fake"},"name":"n"}`,
			resp:     instanceJSON,
		},
		{
			name:   "get",
			call:   func(c *Client) (any, error) { return c.GetInstance(ctx, 12345) },
			method: "GET", path: "/instances/12345", resp: instanceJSON,
			check: func(t *testing.T, got any) {
				if in, _ := got.(*Instance); in.ID != 12345 || in.Name != "API Instance" {
					t.Errorf("got %+v", in)
				}
			},
		},
		{
			name: "update",
			call: func(c *Client) (any, error) {
				return c.UpdateInstance(ctx, 12345, UpdateInstanceRequest{
					Name:          ptr("renamed"),
					Tags:          &[]string{},
					Configuration: map[string]*string{"a": ptr("1"), "gone": nil},
				})
			},
			method: "PATCH", path: "/instances/12345",
			wantBody: `{"name":"renamed","tags":[],"configuration":{"a":"1","gone":null}}`,
			resp:     `{"id":12345,"name":"renamed","tags":[]}`,
			check: func(t *testing.T, got any) {
				if in := got.(*Instance); in.Name != "renamed" || in.Tags == nil || len(in.Tags) != 0 {
					t.Errorf("got %+v", in)
				}
			},
		},
		{
			name: "replace",
			call: func(c *Client) (any, error) {
				return c.ReplaceInstance(ctx, 12345, ReplaceInstanceRequest{Element: Element{ID: 5127}, Name: "n", Tags: []string{}}, false)
			},
			method: "PUT", path: "/instances/12345",
			wantBody: `{"element":{"id":5127},"name":"n","configuration":null,"tags":[]}`,
			resp:     instanceJSON,
		},
		{
			name: "replace reauthenticate",
			call: func(c *Client) (any, error) {
				return c.ReplaceInstance(ctx, 12345, ReplaceInstanceRequest{
					Element: Element{Key: "k"}, Name: "n", ProviderData: map[string]string{"code": "c"},
					Configuration: map[string]*string{"base.url": ptr("https://x"), "bulk.relations": nil, "password": ptr(MaskedValue)},
				}, true)
			},
			method: "PUT", path: "/instances/12345", query: "reAuthenticate=true",
			wantBody: `{"element":{"key":"k"},"name":"n","providerData":{"code":"c"},"configuration":{"base.url":"https://x","bulk.relations":null,"password":"********"},"tags":null}`,
			resp:     instanceJSON,
		},
		{
			name:   "delete",
			call:   func(c *Client) (any, error) { return nil, c.DeleteInstance(ctx, 12345) },
			method: "DELETE", path: "/instances/12345", resp: ``,
		},
		{
			name:   "enable with the instance token (documented form)",
			call:   func(c *Client) (any, error) { return nil, c.SetInstanceEnabled(ctx, 12345, "tok/en=", true) },
			method: "PUT", path: "/instances/enabled", resp: `{"id":12345,"disabled":false}`, element: "tok/en=",
		},
		{
			name:   "disable with the instance token (documented form)",
			call:   func(c *Client) (any, error) { return nil, c.SetInstanceEnabled(ctx, 12345, "tok/en=", false) },
			method: "DELETE", path: "/instances/enabled", resp: `<html>odd but ignored</html>`, element: "tok/en=",
		},
		{
			name:   "enable without a token (the test suite's form)",
			call:   func(c *Client) (any, error) { return nil, c.SetInstanceEnabled(ctx, 12345, "", true) },
			method: "PUT", path: "/instances/12345/enabled", resp: `{"id":12345,"disabled":false}`,
		},
		{
			name:   "disable without a token",
			call:   func(c *Client) (any, error) { return nil, c.SetInstanceEnabled(ctx, 12345, "", false) },
			method: "DELETE", path: "/instances/12345/enabled", resp: `{}`,
		},
		{
			name:   "element with embedded definitions",
			call:   func(c *Client) (any, error) { return c.GetElement(ctx, "sfdc") },
			method: "GET", path: "/elements/sfdc",
			resp: `{"id":"23","key":"sfdc","name":"Salesforce","hub":"crm","typeOauth":true,"authentication":{"type":"oauth2"},` +
				`"configuration":[{"key":"oauth.api.secret","type":"PASSWORD","required":"true","defaultValue":null},` +
				`{"key":"pagination.max","type":"TEXTFIELD_32","internal":true,"hideFromConsole":true,"defaultValue":200}],` +
				`"events":{"supported":true,"methods":["webhook","polling"]}}`,
			check: func(t *testing.T, got any) {
				e := got.(*ElementDetails)
				if e.ID != 23 || e.Key != "sfdc" || e.Hub != "crm" || !e.TypeOauth || e.Authentication.Type != "oauth2" ||
					len(e.Configuration) != 2 || !e.Configuration[0].Required || e.Configuration[0].DefaultValue != nil ||
					!e.Configuration[1].Internal || *e.Configuration[1].DefaultValue != "200" ||
					e.Events == nil || !e.Events.Supported || len(e.Events.Methods) != 2 {
					t.Errorf("got %+v", e)
				}
			},
		},
		{
			name: "oauth url",
			call: func(c *Client) (any, error) {
				return c.OAuthURL(ctx, OAuthURLRequest{ElementKey: "dropbox", APIKey: "k", APISecret: "s", CallbackURL: "https://app/cb", State: "st"})
			},
			method: "GET", path: "/elements/dropbox/oauth/url",
			query: "apiKey=k&apiSecret=s&callbackUrl=https%3A%2F%2Fapp%2Fcb&state=st",
			resp:  `{"oauthUrl":"https://www.dropbox.com/oauth2/authorize?client_id=k","element":"dropbox"}`,
			check: func(t *testing.T, got any) {
				if got.(string) != "https://www.dropbox.com/oauth2/authorize?client_id=k" {
					t.Errorf("got %v", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rc recorder
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				rc.add(r)
				writeJSON(w, http.StatusOK, tt.resp)
			})
			got, err := tt.call(c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			reqs := rc.all()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != tt.method || r.Path != testBasePath+tt.path || r.RawQuery != tt.query {
				t.Errorf("request %s %s?%s, want %s %s?%s", r.Method, r.Path, r.RawQuery, tt.method, testBasePath+tt.path, tt.query)
			}
			wantAuth := "User " + testUserSecret + ", Organization " + testOrgSecret
			if tt.element != "" {
				wantAuth += ", Element " + tt.element
			}
			if got, want := r.Header.Get("Authorization"), wantAuth; got != want {
				t.Errorf("Authorization = %q, want %q", got, want)
			}
			if got := r.Header.Get("Accept"); got != "application/json" {
				t.Errorf("Accept = %q", got)
			}
			if got := r.Header.Get("User-Agent"); got != testAgent {
				t.Errorf("User-Agent = %q", got)
			}
			if r.Header.Get("Idempotency-Key") != "" || r.Header.Get("X-Idempotency-Key") != "" {
				t.Error("an idempotency key was sent")
			}
			if tt.wantBody == "" {
				if len(r.Body) != 0 || r.Header.Get("Content-Type") != "" {
					t.Errorf("unexpected body %q / Content-Type %q", r.Body, r.Header.Get("Content-Type"))
				}
			} else {
				if got := r.Header.Get("Content-Type"); got != "application/json" {
					t.Errorf("Content-Type = %q", got)
				}
				jsonEqual(t, r.Body, tt.wantBody)
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func TestInvalidIDs(t *testing.T) {
	c, err := NewClient(Config{UserSecret: "u", OrganizationSecret: "o"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.GetInstance(ctx, 0); err == nil {
		t.Error("GetInstance(0): no error")
	}
	if err := c.DeleteInstance(ctx, -1); err == nil {
		t.Error("DeleteInstance(-1): no error")
	}
}

func TestInstanceIDFromHeader(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("elements-element-instance-id", "777")
		writeJSON(w, http.StatusOK, `{"name":"x","element":{"key":"k"}}`)
	})
	in, err := c.CreateInstance(context.Background(), CreateInstanceRequest{Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if in.ID != 777 {
		t.Errorf("ID = %d, want 777 from the header", in.ID)
	}
}

func TestCreateWithoutAnyID(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"name":"x"}`)
	})
	_, err := c.CreateInstance(context.Background(), CreateInstanceRequest{Name: "x"})
	if err == nil || !errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "no id") {
		t.Fatalf("err = %v, want an outcome-unknown error about the missing id", err)
	}
}

func TestGetFallsBackToPathID(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"name":"x"}`)
	})
	in, err := c.GetInstance(context.Background(), 55)
	if err != nil || in.ID != 55 {
		t.Fatalf("in = %+v, err = %v", in, err)
	}
}

func TestListInstancesPaging(t *testing.T) {
	var rc recorder
	pages := map[string]struct{ body, next string }{
		"":      {`[{"id":1,"name":"a"},{"id":"2","name":"b"}]`, "tok-1"},
		"tok-1": {`[{"id":3,"name":"c","tags":[{"id":9,"name":"old"}]}]`, "tok-2"},
		"tok-2": {`[{"id":4,"name":"d"}]`, ""},
	}
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rc.add(r)
		p, ok := pages[r.URL.Query().Get("nextPage")]
		if !ok {
			writeJSON(w, http.StatusBadRequest, `{"message":"bad token"}`)
			return
		}
		if p.next != "" {
			w.Header().Set("Elements-Next-Page-Token", p.next)
		}
		writeJSON(w, http.StatusOK, p.body)
	})
	got, err := c.ListInstances(context.Background(), ListInstancesOptions{Tags: []string{"team-crm", "Docs"}, SearchText: "API x", PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, in := range got {
		ids = append(ids, int64(in.ID))
	}
	if !reflect.DeepEqual(ids, []int64{1, 2, 3, 4}) {
		t.Errorf("ids = %v", ids)
	}
	if !reflect.DeepEqual(got[2].Tags, Tags{"old"}) {
		t.Errorf("tags = %v", got[2].Tags)
	}
	reqs := rc.all()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for i, want := range []string{"", "tok-1", "tok-2"} {
		q, err := url.ParseQuery(reqs[i].RawQuery)
		if err != nil {
			t.Fatal(err)
		}
		if reqs[i].Method != "GET" || reqs[i].Path != testBasePath+"/instances" {
			t.Errorf("request %d: %s %s", i, reqs[i].Method, reqs[i].Path)
		}
		if q.Get("pageSize") != "2" || !reflect.DeepEqual(q["tags[]"], []string{"team-crm", "Docs"}) ||
			q.Get("searchText") != "API x" || q.Get("nextPage") != want || (want == "" && q.Has("nextPage")) {
			t.Errorf("request %d query = %v", i, q)
		}
	}
}

func TestListInstancesStopsOnEmptyPage(t *testing.T) {
	var rc recorder
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rc.add(r)
		n := rc.count()
		w.Header().Set("Elements-Next-Page-Token", fmt.Sprintf("tok-%d", n))
		if n == 1 {
			writeJSON(w, http.StatusOK, `[{"id":1}]`)
			return
		}
		writeJSON(w, http.StatusOK, `[]`)
	})
	got, err := c.ListInstances(context.Background(), ListInstancesOptions{})
	if err != nil || len(got) != 1 {
		t.Fatalf("got %v, %v", got, err)
	}
	if n := rc.count(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	q, _ := url.ParseQuery(rc.all()[0].RawQuery)
	if q.Get("pageSize") != "200" || q.Has("searchText") || q.Has("tags[]") {
		t.Errorf("default query = %v", q)
	}
}

func TestListInstancesRepeatedToken(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Elements-Next-Page-Token", "same")
		writeJSON(w, http.StatusOK, `[{"id":1}]`)
	})
	if _, err := c.ListInstances(context.Background(), ListInstancesOptions{}); err == nil {
		t.Fatal("no error for a repeating page token")
	}
}

func TestListInstancesNotFoundIsEmpty(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, `{"message":"No instances found"}`)
	})
	got, err := c.ListInstances(context.Background(), ListInstancesOptions{SearchText: "nothing"})
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got) != 0 {
		t.Errorf("got %#v, want an empty non-nil slice", got)
	}
}

func TestListInstancesError(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusUnauthorized, `{"message":"Invalid Organization or User secret, or invalid Element token provided."}`)
	})
	_, err := c.ListInstances(context.Background(), ListInstancesOptions{})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || apiErr.Path != "/instances" {
		t.Fatalf("err = %v", err)
	}
}

// The credentials check tells the API's own answers from those of a server
// at the wrong path: only the API's "No instances found" 404 and a JSON body
// pass; an HTML page or another 404 matches ErrNotTheAPI.
func TestCheckCredentialsAnswers(t *testing.T) {
	cases := map[string]struct {
		status      int
		contentType string
		body        string
		notTheAPI   bool
	}{
		"instances":               {200, "application/json", `[]`, false},
		"no instances found":      {404, "application/json", `{"message":"No instances found"}`, false},
		"404 from the wrong path": {404, "application/json", `{"message":"No resource found at /instances"}`, true},
		"404 html page":           {404, "text/html", `<html><head><title>Not Found</title></head></html>`, true},
		"html page with 200":      {200, "text/html", `<!doctype html><html><body>Welcome</body></html>`, true},
		"empty body with 200":     {200, "application/json", ``, true},
		"rejected secrets (401)":  {401, "application/json", `{"message":"Invalid Organization or User secret"}`, false},
		"server error":            {500, "application/json", `{"message":"boom"}`, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			err := c.CheckCredentials(context.Background())
			if got := errors.Is(err, ErrNotTheAPI); got != tc.notTheAPI {
				t.Errorf("errors.Is(%v, ErrNotTheAPI) = %v, want %v", err, got, tc.notTheAPI)
			}
			if accepted := tc.status == 200 || tc.status == 404; accepted && !tc.notTheAPI && err != nil {
				t.Errorf("err = %v, want nil", err)
			}
		})
	}
}
