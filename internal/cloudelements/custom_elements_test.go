// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

func TestCreateElement_answerWithoutElementIsOutcomeUnknown(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, `{"name":"no id"}`)
	})
	_, err := c.CreateElement(context.Background(), []byte(`{"name":"x"}`))
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
}

func TestListPrivateElements_pagedAndFilteredAgain(t *testing.T) {
	rec := &recorder{}
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		if r.URL.Query().Get("nextPage") == "" {
			w.Header().Set(headerNextPageToken, "p2")
			writeJSON(w, http.StatusOK, `[{"id":1,"key":"a","private":true},{"id":2,"key":"sfdc","private":false}]`)
			return
		}
		writeJSON(w, http.StatusOK, `[{"id":3,"key":"b","private":"true"}]`)
	})
	got, err := c.ListPrivateElements(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != 1 || got[1].ID != 3 {
		t.Errorf("elements = %+v, want the private ones, 1 and 3", got)
	}
	if q := rec.all()[0].RawQuery; q != "pageSize=200&where=private%3D%27true%27" {
		t.Errorf("query = %q", q)
	}
}

func TestCatalogElementID_skipsPrivateElementsReusingTheKey(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, `[{"id":9,"key":"sfdc","private":true},{"id":1,"key":"sfdc"}]`)
	})
	id, err := c.CatalogElementID(context.Background(), "sfdc")
	if err != nil || id != 1 {
		t.Errorf("id %d, err %v; want the catalog's, 1", id, err)
	}
}

func TestListElementResources_ownerAndEmpty(t *testing.T) {
	status := http.StatusOK
	c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		switch status {
		case http.StatusOK:
			writeJSON(w, status, `[{"id":5,"method":"GET","path":"/hubs/crm/x","ownerAccountId":1},{"id":6,"method":"POST","path":"/hubs/crm/y","ownerAccountId":"42"},{"id":7,"method":"GET","path":"/z"}]`)
		default:
			writeJSON(w, status, `{"message":"No resources found"}`)
		}
	})
	got, err := c.ListElementResources(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Account() || !got[1].Account() || got[2].Account() {
		t.Errorf("resources = %+v: only 6 is the account's (an owner not given is the catalog's)", got)
	}
	status = http.StatusNotFound
	if got, err := c.ListElementResources(context.Background(), 3); err != nil || len(got) != 0 {
		t.Errorf("No resources found: %v, %v", got, err)
	}
}
