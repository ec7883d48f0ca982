// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package readbatch

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// TestListingTableCompacts: an entry expands back to exactly what was
// listed (nulls, an empty configuration, nil and empty tags included),
// owning its map and value pointers, while entries share their keys and
// equal values.
func TestListingTableCompacts(t *testing.T) {
	entry := func(id int64, tags cloudelements.Tags) cloudelements.Instance {
		v := strings.Clone("https://hooks.example.com/e")
		own := strings.Clone("value of " + strings.Join(tags, ","))
		return cloudelements.Instance{
			ID: cloudelements.FlexInt(id), Name: "a", Token: "tok", Valid: true, CreatedDate: "2026-12-03",
			Element: cloudelements.Element{ID: 7, Key: strings.Clone("sageone"), Name: "Sage One"},
			Tags:    tags,
			Configuration: map[string]*string{
				strings.Clone("event.notification.callback.url"): &v, "nulled": nil, "own": &own,
			},
		}
	}
	cases := map[string]cloudelements.Instance{
		"tags":       entry(1, cloudelements.Tags{strings.Clone("team")}),
		"same keys":  entry(2, cloudelements.Tags{strings.Clone("team")}),
		"nil tags":   entry(3, nil),
		"empty tags": entry(4, cloudelements.Tags{}),
		"empty configuration": {
			ID: 5, Name: "b", Element: cloudelements.Element{Key: "sfdc"}, Configuration: map[string]*string{},
		},
	}
	table := newListingTable()
	compact := map[string]*listedInstance{}
	for name, in := range cases {
		listed := in
		compact[name] = table.compact(&listed)
		if !reflect.DeepEqual(listed, in) {
			t.Errorf("%s: compact changed what it was given", name)
		}
	}
	for name, in := range cases {
		got := compact[name].expand()
		if !reflect.DeepEqual(*got, in) {
			t.Errorf("%s: expanded\n%+v\nwant\n%+v", name, *got, in)
		}
	}
	if table.compact(&cloudelements.Instance{ID: 9}) != nil {
		t.Error("an instance without a configuration object has a compact form")
	}

	a, b := compact["tags"], compact["same keys"]
	if a.keys != b.keys {
		t.Error("two entries with the same configuration keys do not share them")
	}
	const key = "event.notification.callback.url"
	i := 0
	for (*a.keys)[i] != key {
		i++
	}
	if a.vals[i] != b.vals[i] || unsafe.StringData(a.in.Tags[0]) != unsafe.StringData(b.in.Tags[0]) {
		t.Error("equal values or tags of two entries are not shared")
	}
	ea, eb := a.expand(), b.expand()
	if ea.Configuration[key] == eb.Configuration[key] || ea.Configuration[key] == a.vals[i] {
		t.Error("an expanded entry shares a value pointer: a change through it would change another")
	}
	*ea.Configuration[key] = "changed"
	ea.Tags[0] = "changed"
	if *a.expand().Configuration[key] != *cases["tags"].Configuration[key] || a.in.Tags[0] != "team" {
		t.Error("a change to an expanded entry changed the listing")
	}
}
