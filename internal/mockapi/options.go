// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"errors"
	"fmt"
	"slices"
)

// The readings of behaviour no public source settles (see doc.go). The zero
// value of each Options field is its default reading.

// PatchNullMode is what a JSON null does to a configuration key in
// PATCH /instances/{id}.
type PatchNullMode string

const (
	PatchNullRemove PatchNullMode = "remove" // default: the key is removed
	PatchNullIgnore PatchNullMode = "ignore" // the key keeps its value
	PatchNullReset  PatchNullMode = "reset"  // back to the element's default, else removed
)

// PutAbsentMode is what happens to configuration keys a PUT /instances/{id}
// body leaves out.
type PutAbsentMode string

const (
	PutAbsentRemove PutAbsentMode = "remove" // default: full replace, then defaults re-added
	PutAbsentKeep   PutAbsentMode = "keep"   // they keep their values
)

// TagsFilterMode is how GET /instances matches several tags[] values.
type TagsFilterMode string

const (
	TagsFilterAll    TagsFilterMode = "all"    // default: an instance carries every given tag
	TagsFilterAny    TagsFilterMode = "any"    // ... at least one of them
	TagsFilterIgnore TagsFilterMode = "ignore" // tags[] is ignored
)

// SearchTextMode is whether GET /instances honours searchText.
type SearchTextMode string

const (
	SearchTextHonour SearchTextMode = "honour" // default: case-insensitive substring of the name
	SearchTextIgnore SearchTextMode = "ignore" // searchText is ignored
)

// PagingMode is how GET /instances pages.
type PagingMode string

const (
	PagingCursor      PagingMode = "cursor"       // default: a next-page token only when more items follow
	PagingNone        PagingMode = "none"         // every item at once, no paging headers
	PagingAlwaysToken PagingMode = "always-token" // a token on every page, the last then followed by an empty page
)

// Validate reports an Options field outside its documented values. New
// panics on such Options.
func (o Options) Validate() error {
	var errs []error
	errs = append(errs, o.VDRs.validate()...)
	check := func(field, v string, allowed ...string) {
		if v != "" && !slices.Contains(allowed, v) {
			errs = append(errs, fmt.Errorf("options: %s %q: want one of %q", field, v, allowed))
		}
	}
	check("PatchNull", string(o.PatchNull), string(PatchNullRemove), string(PatchNullIgnore), string(PatchNullReset))
	check("PutAbsentKeys", string(o.PutAbsentKeys), string(PutAbsentRemove), string(PutAbsentKeep))
	check("TagsFilter", string(o.TagsFilter), string(TagsFilterAll), string(TagsFilterAny), string(TagsFilterIgnore))
	check("SearchText", string(o.SearchText), string(SearchTextHonour), string(SearchTextIgnore))
	check("Paging", string(o.Paging), string(PagingCursor), string(PagingNone), string(PagingAlwaysToken))
	if o.CatalogStatus != 0 && (o.CatalogStatus < 100 || o.CatalogStatus > 599) {
		errs = append(errs, fmt.Errorf("Options.CatalogStatus %d: want 0 or an HTTP status", o.CatalogStatus))
	}
	return errors.Join(errs...)
}

// readings is the resolved set of readings a Server uses.
type readings struct {
	patchNull      PatchNullMode
	putAbsent      PutAbsentMode
	tagsFilter     TagsFilterMode
	searchText     SearchTextMode
	paging         PagingMode
	emptySearch404 bool
	catalogStatus  int
}

func newReadings(o Options) readings {
	r := readings{patchNull: o.PatchNull, putAbsent: o.PutAbsentKeys, tagsFilter: o.TagsFilter,
		searchText: o.SearchText, paging: o.Paging, emptySearch404: true, catalogStatus: o.CatalogStatus}
	if r.patchNull == "" {
		r.patchNull = PatchNullRemove
	}
	if r.putAbsent == "" {
		r.putAbsent = PutAbsentRemove
	}
	if r.tagsFilter == "" {
		r.tagsFilter = TagsFilterAll
	}
	if r.searchText == "" {
		r.searchText = SearchTextHonour
	}
	if r.paging == "" {
		r.paging = PagingCursor
	}
	if o.EmptySearch404 != nil {
		r.emptySearch404 = *o.EmptySearch404
	}
	return r
}
