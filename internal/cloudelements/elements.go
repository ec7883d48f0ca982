// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// ElementSummary is one element of GET /elements: only the fields the
// provider reads are decoded.
type ElementSummary struct {
	ID   FlexInt `json:"id"`
	Key  string  `json:"key"`
	Name string  `json:"name"`
}

// ListElements reads the element catalog, GET /elements, following the
// Elements-Next-Page-Token header (pageSize at most 200, as documented at
// docs.cloud-elements.com/home/elements-api-reference).
func (c *Client) ListElements(ctx context.Context) ([]ElementSummary, error) {
	out := []ElementSummary{}
	seen := map[string]bool{}
	q := url.Values{"pageSize": {strconv.Itoa(DefaultPageSize)}}
	for {
		r, err := c.do(ctx, http.MethodGet, "/elements", q, nil)
		if err != nil {
			return nil, err
		}
		var page []ElementSummary
		if err := r.decode(&page); err != nil {
			return nil, err
		}
		out = append(out, page...)
		next := strings.TrimSpace(r.header.Get(headerNextPageToken))
		switch {
		case next == "" || len(page) == 0:
			return out, nil
		case seen[next]:
			return nil, errors.New("GET /elements: the API sent a page token it had sent before; stopping to avoid an endless listing")
		}
		seen[next] = true
		q.Set("nextPage", next)
	}
}
