package mockapi

import (
	"fmt"
	"net/url"
	"testing"
)

func listNames(t *testing.T, r resp) []string {
	t.Helper()
	var list []map[string]any
	r.json(t, &list)
	names := []string{}
	for _, m := range list {
		names = append(names, m["name"].(string))
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
