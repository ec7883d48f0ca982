// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"
)

func TestSeedMutateRemove(t *testing.T) {
	h := newHarness(t, Options{Now: fixedClock()})
	a := h.s.Seed(Instance{Name: "a", Configuration: map[string]string{"k": "v"}})
	if a.ID < 1000 || a.Token == "" || a.ElementKey != "fake" || a.ElementID != 1 || !a.Valid ||
		a.Configuration["filter.response.nulls"] != "true" || a.CreatedDate != time.Date(2017, 11, 30, 21, 53, 35, 0, time.UTC) {
		t.Errorf("seeded %+v", a)
	}
	b := h.s.Seed(Instance{ID: 5000, Name: "b", ElementKey: "sfdc", Token: "tok", Tags: []string{"x"}})
	if sfdc, _ := LookupElement("sfdc"); b.ID != 5000 || b.ElementID != sfdc.ID || b.Token != "tok" {
		t.Errorf("seeded %+v", b)
	}
	// by documented id; a documented element gets its server keys, nulls kept apart
	c := h.s.Seed(Instance{Name: "c", ElementID: 2244, NullConfiguration: []string{"x", "base.url"},
		Configuration: map[string]string{"x": "set wins"}})
	if c.ID <= 5000 || c.ElementKey != "paypalv2" || c.Configuration["pagination.max"] != "10" || c.Configuration["x"] != "set wins" ||
		!reflect.DeepEqual(c.NullConfiguration, []string{"base.url", "event.notification.subscription.id"}) {
		t.Errorf("seeded %+v", c)
	}
	if h.s.RequestCount("", "") != 0 {
		t.Error("Seed counted a request")
	}
	m := h.create(map[string]any{"name": "d"})
	if idOf(t, m) <= c.ID {
		t.Errorf("created id %d after seeded %d", idOf(t, m), c.ID)
	}
	r := h.do("GET", "/instances/5000", nil)
	wantStatus(t, r, 200)
	if o := r.obj(t); o["token"] != "tok" || o["element"].(map[string]any)["key"] != "sfdc" {
		t.Errorf("seeded instance served as %v", o)
	}
	wantStatus(t, h.do("GET", "/instances", nil, "Authorization", testAuth+", Element tok"), 200)

	// copies, never internal pointers
	got, _ := h.s.Instance(a.ID)
	got.Configuration["k"] = "changed"
	got.Tags = append(got.Tags, "leak")
	if again, _ := h.s.Instance(a.ID); again.Configuration["k"] != "v" || len(again.Tags) != 0 {
		t.Error("Instance returned internal state")
	}
	list := h.s.Instances()
	if len(list) != 4 || list[0].ID != a.ID || list[1].ID != 5000 || list[3].Name != "d" {
		t.Errorf("Instances %+v", list)
	}
	list[1].Tags[0] = "leak"
	if st, _ := h.s.Instance(5000); st.Tags[0] != "x" {
		t.Error("Instances returned internal state")
	}

	// drift
	if !h.s.Mutate(a.ID, func(in *Instance) {
		in.Name = "drifted"
		in.ID = 1 // ignored
		in.Configuration["k"] = "v2"
		in.Disabled = true
		in.Valid = false
		in.NullConfiguration = []string{"n2", "k", "n1", "n1"}
	}) {
		t.Fatal("Mutate reported missing")
	}
	o := h.do("GET", "/instances/"+itoa(a.ID), nil).obj(t)
	if o["name"] != "drifted" || cfgOf(t, o)["k"] != "v2" || o["disabled"] != true || o["valid"] != false {
		t.Errorf("after Mutate %v", o)
	}
	if v, has := cfgOf(t, o)["n1"]; !has || v != nil {
		t.Errorf("null key rendered as %v", v)
	}
	if st, _ := h.s.Instance(a.ID); !reflect.DeepEqual(st.NullConfiguration, []string{"n1", "n2"}) {
		t.Errorf("nulls not normalised: %v", st.NullConfiguration)
	}
	if h.s.Mutate(424242, func(*Instance) {}) {
		t.Error("Mutate of a missing instance")
	}
	if !h.s.Remove(a.ID) || h.s.Remove(a.ID) {
		t.Error("Remove results")
	}
	wantStatus(t, h.do("GET", "/instances/"+itoa(a.ID), nil), 404)
}

func TestConcurrentUse(t *testing.T) {
	h := newHarness(t, Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := h.create(map[string]any{"name": fmt.Sprint("c", i), "tags": []string{"t"}})
			id := idOf(t, m)
			p := "/instances/" + itoa(id)
			h.do("PATCH", p, map[string]any{"configuration": map[string]any{"k": i}})
			h.do("GET", "/instances?tags[]=t", nil)
			h.s.Mutate(id, func(in *Instance) { in.Name = "m" })
			_ = h.s.Instances()
			_ = h.s.Requests()
			_ = h.s.RequestCount("GET", "")
			h.s.InjectFault(Fault{Route: "/nothing"})
			h.do("DELETE", p, nil)
		}()
	}
	wg.Wait()
	if n := len(h.s.Instances()); n != 0 {
		t.Errorf("%d left", n)
	}
	if n := h.s.RequestCount("", ""); n != 8*4 {
		t.Errorf("%d requests", n)
	}
}
