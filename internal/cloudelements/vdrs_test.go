// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"sync/atomic"
	"testing"
)

func TestVdrCalls(t *testing.T) {
	ctx := context.Background()
	const transformationJSON = `{"level": "organization", "objectName": "myContacts", "vendorName": "Contact",
	 "startDate": "2017-04-24 21:05:05.51129", "fields": [{"type": "string", "path": "id", "vendorPath": "Id", "level": "organization"},
	 {"type": "string", "path": "x", "vendorPath": "X", "level": "account"}],
	 "configuration": [{"type": "passThrough", "properties": {"fromVendor": false, "toVendor": false}, "level": "organization"}],
	 "script": {"body": "done(transformedObject);", "mimeType": "application/javascript", "level": "organization", "filterEmptyResponse": false},
	 "isLegacy": false}`
	tests := []struct {
		name     string
		call     func(c *Client) (any, error)
		method   string
		path     string
		wantBody string
		resp     string
		want     any
	}{
		{
			name: "create definition",
			call: func(c *Client) (any, error) {
				return c.CreateObjectDefinition(ctx, "my Contact", ObjectDefinition{Fields: []ObjectField{{Path: "id", Type: "string"}}})
			},
			method: "POST", path: "/organizations/objects/my%20Contact/definitions",
			wantBody: `{"fields":[{"path":"id","type":"string"}]}`,
			resp:     `{"fields": [{"type": "string", "path": "id"}], "level": "organization"}`,
			want:     &ObjectDefinition{Fields: []ObjectField{{Path: "id", Type: "string"}}, Level: "organization"},
		},
		{
			name: "replace definition",
			call: func(c *Client) (any, error) {
				return c.ReplaceObjectDefinition(ctx, "c", ObjectDefinition{})
			},
			method: "PUT", path: "/organizations/objects/c/definitions",
			wantBody: `{"fields":[]}`,
			resp:     `{"fields": [], "level": "organization"}`,
			want:     &ObjectDefinition{Fields: []ObjectField{}, Level: "organization"},
		},
		{
			name:   "get definition",
			call:   func(c *Client) (any, error) { return c.GetObjectDefinition(ctx, "c") },
			method: "GET", path: "/organizations/objects/c/definitions",
			resp: `{"fields": [{"type": "date", "path": "b", "level": "organization"}, {"type": "string", "path": "a", "level": "account"}], "level": "organization"}`,
			want: &ObjectDefinition{Fields: []ObjectField{{Path: "b", Type: "date", Level: "organization"}, {Path: "a", Type: "string", Level: "account"}}, Level: "organization"},
		},
		{
			name:   "delete definition",
			call:   func(c *Client) (any, error) { return nil, c.DeleteObjectDefinition(ctx, "c") },
			method: "DELETE", path: "/organizations/objects/c/definitions",
		},
		{
			name:   "list transformations of an object",
			call:   func(c *Client) (any, error) { return c.ListObjectTransformations(ctx, "c") },
			method: "GET", path: "/organizations/objects/c/transformations",
			resp: `[{"level": "organization", "element": {"key": "sfdc"}}, {"level": "account", "elementKey": "hubspot"}]`,
			want: []ObjectTransformation{{Level: "organization", Element: Element{Key: "sfdc"}}, {Level: "account", ElementKey: "hubspot"}},
		},
		{
			name: "create transformation",
			call: func(c *Client) (any, error) {
				return c.CreateTransformation(ctx, "sfdc", "myContacts", Transformation{
					VendorName:    "Contact",
					Fields:        []TransformationField{{Path: "id", Type: "string", VendorPath: "Id"}},
					Configuration: json.RawMessage(`[{"type":"passThrough"}]`),
					Script:        &TransformationScript{Body: "done(transformedObject);"},
				})
			},
			method: "POST", path: "/organizations/elements/sfdc/transformations/myContacts",
			wantBody: `{"vendorName":"Contact","fields":[{"path":"id","type":"string","vendorPath":"Id"}],"configuration":[{"type":"passThrough"}],"script":{"body":"done(transformedObject);"}}`,
			resp:     transformationJSON,
		},
		{
			name: "replace transformation",
			call: func(c *Client) (any, error) {
				return c.ReplaceTransformation(ctx, "sfdc", "myContacts", Transformation{VendorName: "Contact"})
			},
			method: "PUT", path: "/organizations/elements/sfdc/transformations/myContacts",
			wantBody: `{"vendorName":"Contact","fields":[]}`,
			resp:     transformationJSON,
		},
		{
			name:   "delete transformation",
			call:   func(c *Client) (any, error) { return nil, c.DeleteTransformation(ctx, "sfdc", "a/b") },
			method: "DELETE", path: "/organizations/elements/sfdc/transformations/a%2Fb",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rec recorder
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				rec.add(r)
				writeJSON(w, 200, tc.resp)
			})
			got, err := tc.call(c)
			if err != nil {
				t.Fatal(err)
			}
			reqs := rec.all()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if want, _ := url.PathUnescape(tc.path); r.Path != testBasePath+want {
				t.Errorf("path %s, want %s", r.Path, testBasePath+want)
			}
			if r.Method != tc.method {
				t.Errorf("method %s, want %s", r.Method, tc.method)
			}
			if tc.wantBody == "" && len(r.Body) > 0 {
				t.Errorf("unexpected body %s", r.Body)
			}
			if tc.wantBody != "" {
				jsonEqual(t, r.Body, tc.wantBody)
			}
			if tc.want != nil && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v\nwant %#v", got, tc.want)
			}
			if tr, ok := got.(*Transformation); ok {
				if tr.VendorName != "Contact" || len(tr.OrganizationFields()) != 1 || tr.Script == nil || tr.Script.Body != "done(transformedObject);" ||
					tr.StartDate == "" || tr.IsLegacy == nil || *tr.IsLegacy {
					t.Errorf("transformation %+v", tr)
				}
			}
		})
	}
}

func TestVdrEscapedPaths(t *testing.T) {
	var raw atomic.Value
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		raw.Store(r.URL.EscapedPath())
		writeJSON(w, 200, `{"fields": []}`)
	})
	if _, err := c.GetObjectDefinition(context.Background(), "a/b c"); err != nil {
		t.Fatal(err)
	}
	if got := raw.Load(); got != testBasePath+"/organizations/objects/a%2Fb%20c/definitions" {
		t.Errorf("path %v", got)
	}
	if _, err := c.GetObjectDefinition(context.Background(), " "); err == nil {
		t.Error("an empty name was sent")
	}
}

func TestVdrWriteWithoutBodyReadsBack(t *testing.T) {
	var rec recorder
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		if r.Method == http.MethodGet {
			writeJSON(w, 200, `{"vendorName": "Account", "fields": [{"path": "id", "vendorPath": "Id"}], "level": "organization"}`)
			return
		}
		w.WriteHeader(200) // "HTTP 200 on success", no JSON
	})
	got, err := c.CreateTransformation(context.Background(), "sfdc", "account", Transformation{VendorName: "Account"})
	if err != nil || got.VendorName != "Account" || rec.count() != 2 {
		t.Fatalf("got %+v, %v after %d requests", got, err, rec.count())
	}
}

func TestVdrErrors(t *testing.T) {
	ctx := context.Background()
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, 404, `{"requestId": "r1", "message": "No transformations found"}`)
		case http.MethodDelete:
			writeJSON(w, 409, `{"requestId": "r2", "message": "Object definition is in use"}`)
		}
	}, func(cfg *Config) { cfg.MaxRetries = 0 })
	list, err := c.ListObjectTransformations(ctx, "c")
	if err != nil || len(list) != 0 || list == nil {
		t.Errorf("list = %#v, %v; want an empty list", list, err)
	}
	if _, err := c.GetTransformation(ctx, "sfdc", "c"); !errors.Is(err, ErrNotFound) {
		t.Errorf("get: %v, want ErrNotFound", err)
	}
	err = c.DeleteObjectDefinition(ctx, "c")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 409 || apiErr.Message != "Object definition is in use" || apiErr.RequestID != "r2" {
		t.Errorf("delete: %v", err)
	}
}

func TestVdrPostNotRetriedAfterDroppedConnection(t *testing.T) {
	var posts atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		dropConnection(w, r)
	})
	_, err := c.CreateTransformation(context.Background(), "sfdc", "c", Transformation{VendorName: "V"})
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("transformation: %v, want ErrOutcomeUnknown", err)
	}
	_, err = c.CreateObjectDefinition(context.Background(), "c", ObjectDefinition{})
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("definition: %v, want ErrOutcomeUnknown", err)
	}
	if n := posts.Load(); n != 2 {
		t.Errorf("%d POSTs reached the server, want 2 (one each, no retry)", n)
	}
}

// TestVdrLists: the definitions list and an element's transformations
// list, with the top-level "level" key left out and a 404 "No ... found"
// read as empty.
func TestVdrLists(t *testing.T) {
	ctx := context.Background()
	answers := map[string]string{
		testBasePath + "/organizations/objects/definitions": `{"level": "organization",
		  "myContacts": {"fields": [{"type": "string", "path": "id", "level": "organization"}], "level": "organization"}}`,
		testBasePath + "/organizations/elements/sfdc/transformations": `{"level": "organization",
		  "myContacts": {"vendorName": "Contact", "fields": [{"path": "id", "vendorPath": "Id", "type": "string"}]}}`,
	}
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if body, ok := answers[r.URL.Path]; ok {
			writeJSON(w, 200, body)
			return
		}
		writeJSON(w, 404, `{"message": "No transformations found"}`)
	}, func(cfg *Config) { cfg.MaxRetries = 0 })
	defs, err := c.ListObjectDefinitions(ctx)
	if err != nil || len(defs) != 1 || defs["myContacts"] == nil || defs["myContacts"].Fields[0].Path != "id" {
		t.Errorf("definitions %#v, %v", defs, err)
	}
	trs, err := c.ListElementTransformations(ctx, "sfdc")
	if err != nil || len(trs) != 1 || trs["myContacts"].VendorName != "Contact" {
		t.Errorf("transformations %#v, %v", trs, err)
	}
	none, err := c.ListElementTransformations(ctx, "hubspot")
	if err != nil || none == nil || len(none) != 0 {
		t.Errorf("an empty list: %#v, %v", none, err)
	}
}
