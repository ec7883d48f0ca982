// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"testing"
)

func listNames(t *testing.T, r resp) []string {
	t.Helper()
	var list []map[string]any
	r.json(t, &list)
	names := []string{}
	for _, m := range list {
		name, _ := m["name"].(string)
		names = append(names, name)
	}
	return names
}

func TestListFilters(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.do("GET", "/instances", nil)
	wantStatus(t, r, 200)
	if string(r.body) != "[]\n" {
		t.Errorf("empty list %q", r.body)
	}
	h.create(map[string]any{"name": "CRM one", "tags": []string{"team-crm", "prod"}})
	h.create(map[string]any{"name": "crm two", "tags": []string{"team-crm"}})
	h.create(map[string]any{"name": "Mail", "tags": []string{"prod"}})

	cases := []struct {
		query  string
		status int
		names  []string
	}{
		{"", 200, []string{"CRM one", "crm two", "Mail"}},
		{"?hydrate=false", 200, []string{"CRM one", "crm two", "Mail"}},
		{"?tags[]=team-crm", 200, []string{"CRM one", "crm two"}},
		{"?tags%5B%5D=prod", 200, []string{"CRM one", "Mail"}},
		{"?tags[]=team-crm&tags[]=prod", 200, []string{"CRM one"}}, // all given tags
		{"?searchText=crm", 200, []string{"CRM one", "crm two"}},
		{"?searchText=CRM&tags[]=prod", 200, []string{"CRM one"}},
		{"?searchText=zzz", 404, nil},
		{"?tags[]=nope", 404, nil},
		{"?tags[]=team-crm&tags[]=nope", 404, nil},
	}
	for _, c := range cases {
		r := h.do("GET", "/instances"+c.query, nil)
		wantStatus(t, r, c.status)
		if c.status == 404 {
			if m := r.obj(t); m["message"] != "No instances found" {
				t.Errorf("%s: %v", c.query, m)
			}
			continue
		}
		if got := listNames(t, r); fmt.Sprint(got) != fmt.Sprint(c.names) {
			t.Errorf("%s: %v, want %v", c.query, got, c.names)
		}
		if r.header.Get("Elements-Total-Count") != fmt.Sprint(len(c.names)) {
			t.Errorf("%s: total count %q", c.query, r.header.Get("Elements-Total-Count"))
		}
		if r.header.Get("Elements-Next-Page-Token") != "" {
			t.Errorf("%s: unexpected next page token", c.query)
		}
	}
}

func TestListPaging(t *testing.T) {
	h := newHarness(t, Options{MaxPageSize: 3})
	var want []string
	for i := range 8 {
		name := fmt.Sprintf("i%d", i)
		want = append(want, name)
		h.create(map[string]any{"name": name})
	}
	// pageSize 50 is clamped to 3; walk the pages following the header
	var got []string
	pages := 0
	q := url.Values{"pageSize": {"50"}}
	for {
		r := h.do("GET", "/instances?"+q.Encode(), nil)
		wantStatus(t, r, 200)
		pages++
		names := listNames(t, r)
		if len(names) > 3 {
			t.Fatalf("page of %d", len(names))
		}
		if r.header.Get("Elements-Total-Count") != "8" || r.header.Get("Elements-Returned-Count") != fmt.Sprint(len(names)) {
			t.Errorf("counts %q %q", r.header.Get("Elements-Total-Count"), r.header.Get("Elements-Returned-Count"))
		}
		got = append(got, names...)
		next := r.header.Get("Elements-Next-Page-Token")
		if next == "" {
			break
		}
		q.Set("nextPage", next)
	}
	if pages != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%d pages: %v", pages, got)
	}
	// exact multiple: no token after the last full page
	r := h.do("GET", "/instances?pageSize=2&searchText=i", nil)
	for n := 1; ; n++ {
		next := r.header.Get("Elements-Next-Page-Token")
		if next == "" {
			if n != 4 {
				t.Errorf("pageSize 2 over 8 took %d pages", n)
			}
			break
		}
		r = h.do("GET", "/instances?pageSize=2&searchText=i&nextPage="+url.QueryEscape(next), nil)
		wantStatus(t, r, 200)
	}
	// default page size is the max
	if names := listNames(t, h.do("GET", "/instances", nil)); len(names) != 3 {
		t.Errorf("default page %v", names)
	}
	for _, bad := range []string{"?nextPage=!!!", "?nextPage=Zm9v", "?pageSize=0", "?pageSize=x"} {
		wantStatus(t, h.do("GET", "/instances"+bad, nil), 400)
	}
}

func TestListDefaultMaxPageSize(t *testing.T) {
	h := newHarness(t, Options{})
	for i := range 201 {
		h.s.Seed(Instance{Name: fmt.Sprint(i)})
	}
	r := h.do("GET", "/instances?pageSize=1000", nil)
	if n := len(listNames(t, r)); n != 200 || r.header.Get("Elements-Next-Page-Token") == "" {
		t.Errorf("got %d, token %q", n, r.header.Get("Elements-Next-Page-Token"))
	}
}

// tags[], searchText and the empty-search 404 are unverified on /instances:
// every reading.
func TestListFilterReadings(t *testing.T) {
	no := false
	cases := []struct {
		opts   Options
		query  string
		status int
		names  []string
	}{
		{Options{TagsFilter: TagsFilterAll}, "?tags[]=crm&tags[]=prod", 200, []string{"a"}},
		{Options{TagsFilter: TagsFilterAny}, "?tags[]=crm&tags[]=prod", 200, []string{"a", "b", "c"}},
		{Options{TagsFilter: TagsFilterAny}, "?tags[]=nope&tags[]=mail", 200, []string{"c"}},
		{Options{TagsFilter: TagsFilterIgnore}, "?tags[]=nope", 200, []string{"a", "b", "c"}},
		{Options{SearchText: SearchTextHonour}, "?searchText=B", 200, []string{"b"}},
		{Options{SearchText: SearchTextIgnore}, "?searchText=zzz", 200, []string{"a", "b", "c"}},
		{Options{}, "?searchText=zzz", 404, nil},
		{Options{EmptySearch404: &no}, "?searchText=zzz", 200, []string{}},
		{Options{EmptySearch404: &no}, "?tags[]=nope", 200, []string{}},
		{Options{EmptySearch404: &no, Paging: PagingNone}, "?tags[]=nope", 200, []string{}},
		{Options{SearchText: SearchTextIgnore, TagsFilter: TagsFilterIgnore}, "?searchText=zzz&tags[]=x", 200, []string{"a", "b", "c"}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%+v%s", c.opts, c.query), func(t *testing.T) {
			h := newHarness(t, c.opts)
			h.create(map[string]any{"name": "a", "tags": []string{"crm", "prod"}})
			h.create(map[string]any{"name": "b", "tags": []string{"crm"}})
			h.create(map[string]any{"name": "c", "tags": []string{"prod", "mail"}})
			r := h.do("GET", "/instances"+c.query, nil)
			wantStatus(t, r, c.status)
			if c.status == 200 {
				if got := listNames(t, r); fmt.Sprint(got) != fmt.Sprint(c.names) {
					t.Errorf("%v, want %v", got, c.names)
				}
			}
		})
	}
}

// Whether /instances pages is unverified: every reading of Options.Paging.
func TestListPagingReadings(t *testing.T) {
	walk := func(h *harness, pageSize int) (pages [][]string, tokens []string) {
		q := url.Values{"pageSize": {fmt.Sprint(pageSize)}}
		for range 10 {
			r := h.do("GET", "/instances?"+q.Encode(), nil)
			wantStatus(h.t, r, 200)
			names := listNames(h.t, r)
			pages = append(pages, names)
			next := r.header.Get("Elements-Next-Page-Token")
			tokens = append(tokens, next)
			// the vendor's rule for clients: stop on a short or empty page
			if next == "" || len(names) < pageSize {
				break
			}
			q.Set("nextPage", next)
		}
		return pages, tokens
	}
	cases := []struct {
		paging   PagingMode
		n, size  int
		pages    string
		tokens   []bool // a token on each page
		noHeader bool
	}{
		{PagingCursor, 4, 2, "[[i0 i1] [i2 i3]]", []bool{true, false}, false},
		{PagingCursor, 3, 2, "[[i0 i1] [i2]]", []bool{true, false}, false},
		{PagingAlwaysToken, 4, 2, "[[i0 i1] [i2 i3] []]", []bool{true, true, true}, false},
		{PagingAlwaysToken, 3, 2, "[[i0 i1] [i2]]", []bool{true, true}, false},
		{PagingAlwaysToken, 0, 2, "[[]]", []bool{true}, false},
		{PagingNone, 4, 2, "[[i0 i1 i2 i3]]", []bool{false}, true},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%d/%d", c.paging, c.n, c.size), func(t *testing.T) {
			h := newHarness(t, Options{Paging: c.paging, MaxPageSize: 3})
			for i := range c.n {
				h.create(map[string]any{"name": fmt.Sprintf("i%d", i)})
			}
			pages, tokens := walk(h, c.size)
			if fmt.Sprint(pages) != c.pages {
				t.Errorf("pages %v, want %s", pages, c.pages)
			}
			for i, tok := range tokens {
				if i < len(c.tokens) && (tok != "") != c.tokens[i] {
					t.Errorf("page %d: token %q", i, tok)
				}
			}
			r := h.do("GET", "/instances?pageSize=1", nil)
			if hasHeader := r.header.Get("Elements-Total-Count") != ""; hasHeader == c.noHeader {
				t.Errorf("Elements-Total-Count %q", r.header.Get("Elements-Total-Count"))
			}
			// pageSize is still capped (except when nothing pages)
			if names := listNames(t, h.do("GET", "/instances?pageSize=50", nil)); len(names) > 3 && !c.noHeader {
				t.Errorf("page of %d", len(names))
			}
		})
	}
}

// The ListEntries readings: an entry is what a read by id answers (full),
// or lacks its configuration, or masks every value; nothing else changes.
func TestListEntriesReadings(t *testing.T) {
	for _, mode := range []ListEntriesMode{"", ListEntriesFull, ListEntriesNoConfiguration, ListEntriesMasked} {
		t.Run(string(mode), func(t *testing.T) {
			h := newHarness(t, Options{ListEntries: mode})
			created := h.create(map[string]any{"name": "a", "configuration": map[string]any{"region": "eu", "empty": nil}})
			byID := h.do("GET", fmt.Sprintf("/instances/%v", created["id"]), nil).obj(t)
			r := h.do("GET", "/instances", nil)
			wantStatus(t, r, 200)
			var list []map[string]any
			r.json(t, &list)
			if len(list) != 1 {
				t.Fatalf("%d entries", len(list))
			}
			entry := list[0]
			want := maps.Clone(byID)
			switch mode {
			case ListEntriesNoConfiguration:
				want["configuration"] = nil
			case ListEntriesMasked:
				cfg := map[string]any{}
				for k, v := range byID["configuration"].(map[string]any) {
					if v != nil {
						v = Masked
					}
					cfg[k] = v
				}
				want["configuration"] = cfg
			}
			if !reflect.DeepEqual(entry, want) {
				t.Errorf("entry\n%v\nwant\n%v", entry, want)
			}
		})
	}
	if err := (Options{ListEntries: "sparse"}).Validate(); err == nil {
		t.Error("ListEntries sparse accepted")
	}
}
