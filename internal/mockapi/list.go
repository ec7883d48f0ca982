// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// listInstances serves GET /instances: filters and paging as the
// readings say (Options.TagsFilter, SearchText, Paging, EmptySearch404).
func (s *Server) listInstances(rc *reqCtx) result {
	q := rc.query
	var tags []string
	if s.readings.tagsFilter != TagsFilterIgnore {
		for _, t := range append(q["tags[]"], q["tags"]...) {
			if t != "" {
				tags = append(tags, t)
			}
		}
	}
	search := ""
	if s.readings.searchText == SearchTextHonour {
		search = strings.ToLower(q.Get("searchText"))
	}
	var matched []Instance
	for _, rec := range s.sortedRecords() {
		if s.tagsMatch(rec.inst.Tags, tags) && strings.Contains(strings.ToLower(rec.inst.Name), search) {
			matched = append(matched, rec.inst)
		}
	}
	if (len(tags) > 0 || search != "") && len(matched) == 0 && s.readings.emptySearch404 {
		return rc.fail(http.StatusNotFound, "No instances found")
	}
	if s.readings.paging == PagingNone {
		page := make([]instanceJSON, 0, len(matched))
		for _, in := range matched {
			page = append(page, s.listEntry(in))
		}
		return ok(page)
	}
	pageSize, after, bad := s.pageParams(rc)
	if bad != nil {
		return *bad
	}
	page := []instanceJSON{}
	last, more := after, false
	for _, in := range matched {
		if in.ID <= after {
			continue
		}
		if len(page) == pageSize {
			more = true
			break
		}
		page = append(page, s.listEntry(in))
		last = in.ID
	}
	res := ok(page)
	res.header = http.Header{
		"Elements-Total-Count":    {strconv.Itoa(len(matched))},
		"Elements-Returned-Count": {strconv.Itoa(len(page))},
	}
	if more || s.readings.paging == PagingAlwaysToken {
		res.header.Set("Elements-Next-Page-Token", encodePageToken(last))
	}
	return res
}

// pageParams reads pageSize (clamped to the server's maximum) and nextPage
// (the last id served) of a paged listing.
func (s *Server) pageParams(rc *reqCtx) (pageSize int, after int64, res *result) {
	pageSize = s.maxPageSize
	if v := rc.query.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			r := rc.fail(http.StatusBadRequest, "Invalid pageSize '%s'", v)
			return 0, 0, &r
		}
		pageSize = min(n, s.maxPageSize)
	}
	if tok := rc.query.Get("nextPage"); tok != "" {
		var valid bool
		if after, valid = decodePageToken(tok); !valid {
			r := rc.fail(http.StatusBadRequest, "Invalid nextPage token '%s'", tok)
			return 0, 0, &r
		}
	}
	return pageSize, after, nil
}

// tagsMatch applies the tags[] filter per Options.TagsFilter.
func (s *Server) tagsMatch(have, want []string) bool {
	if len(want) == 0 {
		return true
	}
	if s.readings.tagsFilter == TagsFilterAny {
		return slices.ContainsFunc(want, func(w string) bool { return slices.Contains(have, w) })
	}
	return hasAllTags(have, want)
}

func hasAllTags(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Page tokens are opaque to clients: the last id served, base64url-encoded.
func encodePageToken(lastID int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("after:" + strconv.FormatInt(lastID, 10)))
}

func decodePageToken(tok string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	rest, ok := strings.CutPrefix(string(b), "after:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil && id >= 0
}

// listEntry is one instance as GET /instances answers it under the
// ListEntries reading.
func (s *Server) listEntry(in Instance) instanceJSON {
	out := s.toInstanceJSON(in)
	switch s.readings.listEntries {
	case ListEntriesNoConfiguration:
		out.Configuration = nil
	case ListEntriesMasked:
		for k, v := range out.Configuration {
			if v != nil {
				masked := Masked
				out.Configuration[k] = &masked
			}
		}
	}
	return out
}
