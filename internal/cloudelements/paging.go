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

// pages reads every page of a GET listing: pageSize=size, then nextPage=<the
// Elements-Next-Page-Token of the previous answer> until an answer has no
// token or no items. page decodes one answer and returns how many items it
// held. A 404 ("No ... found") ends the listing without error. The same
// token twice is an error rather than an endless loop.
func (c *Client) pages(ctx context.Context, path string, q url.Values, size int, page func(*response) (int, error)) error {
	seen := map[string]bool{}
	q.Set("pageSize", strconv.Itoa(size))
	for {
		r, err := c.do(ctx, http.MethodGet, path, q, nil)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		n, err := page(r)
		if err != nil {
			return err
		}
		next := strings.TrimSpace(r.header.Get(headerNextPageToken))
		if next == "" || n == 0 {
			return nil
		}
		if seen[next] {
			return errors.New("GET " + path + ": the API sent a page token it had sent before; stopping to avoid an endless listing")
		}
		seen[next] = true
		q.Set("nextPage", next)
	}
}
