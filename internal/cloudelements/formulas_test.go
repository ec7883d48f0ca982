// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// The create answer of the legacy use-case page is a one-element array
// (devportal:docs/legacy/formulas/use-cases.md#L151-255); an object works too.
func TestCreateFormula_objectOrArrayAnswer(t *testing.T) {
	for name, answer := range map[string]string{
		"object": `{"id": 7, "name": "f", "active": false, "description": "d", "steps": []}`,
		"array":  `[{"id": "7", "name": "f", "active": "false", "description": "d", "steps": []}]`,
	} {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{}
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				rec.add(r)
				writeJSON(w, http.StatusOK, answer)
			})
			f, err := c.CreateFormula(context.Background(), []byte(`{"name":"f"}`))
			if err != nil {
				t.Fatal(err)
			}
			if f.ID != 7 || f.Name != "f" || f.Active || f.Description != "d" {
				t.Errorf("formula = %+v", f)
			}
			if !strings.HasPrefix(strings.TrimSpace(string(f.Body)), "{") {
				t.Errorf("Body is not the object: %s", f.Body)
			}
			got := rec.all()
			if len(got) != 1 || got[0].Method != http.MethodPost || got[0].Path != testBasePath+"/formulas" {
				t.Fatalf("requests = %+v", got)
			}
			jsonEqual(t, got[0].Body, `{"name":"f"}`)
		})
	}
}

func TestCreateFormula_answerWithoutFormulaIsOutcomeUnknown(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, `[]`)
	})
	_, err := c.CreateFormula(context.Background(), []byte(`{"name":"f"}`))
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
}

func TestListFormulas_byNameExactAndEmpty(t *testing.T) {
	rec := &recorder{}
	status := http.StatusOK
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		if status == http.StatusNotFound {
			writeJSON(w, status, `{"message":"No formulas found"}`)
			return
		}
		writeJSON(w, status, `[{"id":1,"name":"it's"},{"id":2,"name":"it's too"}]`)
	})
	got, err := c.ListFormulas(context.Background(), ListFormulasOptions{Name: "it's"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != 1 {
		t.Errorf("formulas = %+v, want only id 1", got)
	}
	if q := rec.all()[0].RawQuery; q != "where=name+%3D+%27it%27%27s%27" {
		t.Errorf("query = %q", q)
	}
	status = http.StatusNotFound
	got, err = c.ListFormulas(context.Background(), ListFormulasOptions{})
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("404 listing = %v, %v; want an empty list", got, err)
	}
}

func TestDeleteFormula_goneIsSuccessRefusalIsAPIError(t *testing.T) {
	status := http.StatusNotFound
	c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, status, `{"requestId":"r1","message":"Formula has instances"}`)
	})
	if err := c.DeleteFormula(context.Background(), 3); err != nil {
		t.Errorf("404: %v", err)
	}
	status = http.StatusConflict
	err := c.DeleteFormula(context.Background(), 3)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusConflict {
		t.Fatalf("err = %v, want an APIError 409", err)
	}
}

func TestFormulaInstance_decodeAndRequest(t *testing.T) {
	rec := &recorder{}
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		writeJSON(w, http.StatusOK, `{"id": 12, "formula": {"id": 5, "active": true}, "name": "n",
			"createdDate": "2017-01-01T00:00:00Z", "active": false,
			"configuration": {"crm": 123, "flag": true, "none": null},
			"settings": {"notification.email": "a@example.com", "formula.instance.time.to.live": "3600"}}`)
	})
	active := true
	ttl := int64(3600)
	fi, err := c.ReplaceFormulaInstance(context.Background(), 5, 12, FormulaInstanceRequest{
		Name: "n", Active: &active, Configuration: map[string]string{"crm": "123"},
		Settings: &FormulaInstanceSettings{TimeToLive: &ttl},
	})
	if err != nil {
		t.Fatal(err)
	}
	if fi.ID != 12 || fi.FormulaID != 5 || fi.Active || fi.CreatedDate != "2017-01-01T00:00:00Z" {
		t.Errorf("instance = %+v", fi)
	}
	if fi.Configuration["crm"] != "123" || fi.Configuration["flag"] != "true" || len(fi.Configuration) != 2 {
		t.Errorf("configuration = %v", fi.Configuration)
	}
	if fi.Settings.NotificationEmail == nil || *fi.Settings.NotificationEmail != "a@example.com" ||
		fi.Settings.TimeToLive == nil || *fi.Settings.TimeToLive != 3600 || fi.Settings.API != nil {
		t.Errorf("settings = %+v", fi.Settings)
	}
	r := rec.all()[0]
	if r.Method != http.MethodPut || r.Path != testBasePath+"/formulas/5/instances/12" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	jsonEqual(t, r.Body, `{"name":"n","active":true,"configuration":{"crm":"123"},"settings":{"formula.instance.time.to.live":3600}}`)
}

// ClearSettings go out as null settings next to the ones set; without them
// the body is unchanged.
func TestFormulaInstanceRequest_clearSettings(t *testing.T) {
	email := "a@example.com"
	cases := []struct {
		req  FormulaInstanceRequest
		want string
	}{
		{FormulaInstanceRequest{Name: "n"}, `{"name":"n"}`},
		{FormulaInstanceRequest{Name: "n", ClearSettings: []string{"notification.webhook.url"}},
			`{"name":"n","settings":{"notification.webhook.url":null}}`},
		{FormulaInstanceRequest{Name: "n", Settings: &FormulaInstanceSettings{NotificationEmail: &email},
			ClearSettings: []string{"notification.webhook.url", "notification.email"}},
			`{"name":"n","settings":{"notification.email":"a@example.com","notification.webhook.url":null}}`},
	}
	for _, tc := range cases {
		b, err := json.Marshal(tc.req)
		if err != nil {
			t.Fatal(err)
		}
		jsonEqual(t, b, tc.want)
	}
}

func TestSetFormulaInstanceActive_methods(t *testing.T) {
	rec := &recorder{}
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		w.WriteHeader(http.StatusOK)
	})
	for _, on := range []bool{true, false} {
		if err := c.SetFormulaInstanceActive(context.Background(), 5, 12, on); err != nil {
			t.Fatal(err)
		}
	}
	got := rec.all()
	if got[0].Method != http.MethodPut || got[1].Method != http.MethodDelete || got[0].Path != testBasePath+"/formulas/5/instances/12/active" {
		t.Errorf("requests = %s %s, %s", got[0].Method, got[0].Path, got[1].Method)
	}
}

func TestListFormulaExecutions_followsPages(t *testing.T) {
	rec := &recorder{}
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		if r.URL.Query().Get("nextPage") == "" {
			w.Header().Set(headerNextPageToken, "p2")
			writeJSON(w, http.StatusOK, `[{"id":1,"formulaInstanceId":12,"status":"success"}]`)
			return
		}
		writeJSON(w, http.StatusOK, `[{"id":"2","formulaInstanceId":"12","status":"pending","createdDate":"x"}]`)
	})
	got, err := c.ListFormulaExecutions(context.Background(), 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].ID != 2 || got[1].FormulaInstanceID != 12 || got[1].Status != "pending" {
		t.Errorf("executions = %+v", got)
	}
	reqs := rec.all()
	if len(reqs) != 2 || reqs[0].Path != testBasePath+"/formulas/instances/12/executions" ||
		!strings.Contains(reqs[0].RawQuery, "pageSize=200") || !strings.Contains(reqs[1].RawQuery, "nextPage=p2") {
		t.Errorf("requests = %+v", reqs)
	}
}

// TestListAllFormulaInstances: GET /formulas/instances, by element instance
// when asked, each entry with its formula's id; an abridged entry has no
// configuration.
func TestListAllFormulaInstances(t *testing.T) {
	var rec recorder
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		writeJSON(w, 200, `[{"id": 7, "name": "a", "formula": {"id": 3, "name": "f"}, "configuration": {"crm": "12"}},
		  {"id": 8, "name": "b", "formula": {"id": 4}}]`)
	})
	got, err := c.ListAllFormulaInstances(context.Background(), 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].FormulaID != 3 || got[0].Configuration["crm"] != "12" || got[1].FormulaID != 4 || got[1].Configuration != nil {
		t.Errorf("instances %+v", got)
	}
	if r := rec.all()[0]; r.Path != testBasePath+"/formulas/instances" || r.RawQuery != "elementInstanceId=12" {
		t.Errorf("request %s ?%s", r.Path, r.RawQuery)
	}
}
