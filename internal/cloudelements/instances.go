// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

func instancePath(id int64) string { return "/instances/" + strconv.FormatInt(id, 10) }

func checkID(method, what string, id int64) error {
	if id <= 0 {
		return fmt.Errorf("%s %s: invalid id %d", method, what, id)
	}
	return nil
}

// instance decodes the instance in r. When the body has no id, the
// elements-element-instance-id header is used, then knownID (the id in the
// request path); a create without any id is an error.
func (r *response) instance(knownID int64) (*Instance, error) {
	in, err := decodeInstance(r.body, r.header.Get("Content-Type"))
	if err != nil {
		return nil, r.decodeErr(err)
	}
	if in.ID == 0 {
		if v, err := strconv.ParseInt(strings.TrimSpace(r.header.Get(headerInstanceID)), 10, 64); err == nil && v > 0 {
			in.ID = FlexInt(v)
		} else if knownID > 0 {
			in.ID = FlexInt(knownID)
		} else {
			return nil, r.decodeErr(errors.New("the instance has no id (neither in the body nor in the elements-element-instance-id header)"))
		}
	}
	return in, nil
}

// CreateInstance creates (authenticates) an instance: POST /instances. See the
// package doc for its retry rule and ErrOutcomeUnknown.
func (c *Client) CreateInstance(ctx context.Context, req CreateInstanceRequest) (*Instance, error) {
	r, err := c.do(ctx, http.MethodPost, "/instances", nil, req)
	if err != nil {
		return nil, err
	}
	return r.instance(0)
}

// GetInstance reads one instance: GET /instances/{id}.
func (c *Client) GetInstance(ctx context.Context, id int64) (*Instance, error) {
	if err := checkID(http.MethodGet, "/instances/{id}", id); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodGet, instancePath(id), nil, nil)
	if err != nil {
		return nil, err
	}
	return r.instance(id)
}

// ListInstances reads all instances matching opts, following the
// Elements-Next-Page-Token header. "No instances found" (404) is an empty
// list.
func (c *Client) ListInstances(ctx context.Context, opts ListInstancesOptions) ([]Instance, error) {
	out := []Instance{}
	err := c.EachInstancePage(ctx, opts, func(page []Instance) {
		out = append(out, page...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EachInstancePage lists instances as ListInstances does, handing each page
// to fn as it arrives, so a caller that keeps a compact form of the entries
// never holds every decoded page at once.
func (c *Client) EachInstancePage(ctx context.Context, opts ListInstancesOptions, fn func(page []Instance)) error {
	size := opts.PageSize
	if size <= 0 {
		size = DefaultPageSize
	}
	q := url.Values{}
	for _, t := range opts.Tags {
		if t != "" {
			q.Add("tags[]", t)
		}
	}
	if opts.SearchText != "" {
		q.Set("searchText", opts.SearchText)
	}
	return c.pages(ctx, "/instances", q, size, func(r *response) (int, error) {
		var page []Instance
		if err := r.decode(&page); err != nil {
			return 0, err
		}
		fn(page)
		return len(page), nil
	})
}

// UpdateInstance changes an instance partially: PATCH /instances/{id}.
func (c *Client) UpdateInstance(ctx context.Context, id int64, req UpdateInstanceRequest) (*Instance, error) {
	if err := checkID(http.MethodPatch, "/instances/{id}", id); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodPatch, instancePath(id), nil, req)
	if err != nil {
		return nil, err
	}
	return r.instance(id)
}

// ReplaceInstance replaces an instance: PUT /instances/{id}, with
// ?reAuthenticate=true when reAuthenticate is set (providerData.code then
// re-runs the OAuth exchange).
func (c *Client) ReplaceInstance(ctx context.Context, id int64, req ReplaceInstanceRequest, reAuthenticate bool) (*Instance, error) {
	if err := checkID(http.MethodPut, "/instances/{id}", id); err != nil {
		return nil, err
	}
	var q url.Values
	if reAuthenticate {
		q = url.Values{"reAuthenticate": {"true"}}
	}
	r, err := c.do(ctx, http.MethodPut, instancePath(id), q, req)
	if err != nil {
		return nil, err
	}
	return r.instance(id)
}

// DeleteInstance deletes an instance: DELETE /instances/{id}. One already
// gone (404) is success.
func (c *Client) DeleteInstance(ctx context.Context, id int64) error {
	if err := checkID(http.MethodDelete, "/instances/{id}", id); err != nil {
		return err
	}
	return c.deleteGone(ctx, instancePath(id))
}

// SetInstanceEnabled enables or disables an instance. With the instance's
// token it uses the documented form, PUT (enable) or DELETE (disable)
// /instances/enabled with "Element <token>" in the Authorization header;
// without one, /instances/{id}/enabled, which the vendor's test suite uses.
func (c *Client) SetInstanceEnabled(ctx context.Context, id int64, token string, enabled bool) error {
	if err := checkID(http.MethodPut, "/instances/{id}/enabled", id); err != nil {
		return err
	}
	method := http.MethodDelete
	if enabled {
		method = http.MethodPut
	}
	path := instancePath(id) + "/enabled"
	if token != "" {
		path = "/instances/enabled"
	}
	_, err := c.send(ctx, sendOptions{elementToken: token}, method, path, nil, nil)
	return err
}

// GetElement reads an element and its configuration definitions:
// GET /elements/{keyOrId}. When that answer carries no definitions they
// are read from GET /elements/{keyOrId}/configuration.
func (c *Client) GetElement(ctx context.Context, keyOrID string) (*ElementDetails, error) {
	if keyOrID == "" {
		return nil, errors.New("GET /elements/{keyOrId}: no element key")
	}
	p := "/elements/" + url.PathEscape(keyOrID)
	r, err := c.do(ctx, http.MethodGet, p, nil, nil)
	if err != nil {
		return nil, err
	}
	var e ElementDetails
	if err := r.decodeObject(&e); err != nil {
		return nil, err
	}
	if e.Configuration == nil {
		r, err := c.do(ctx, http.MethodGet, p+"/configuration", nil, nil)
		if err != nil {
			return nil, err
		}
		if err := r.decode(&e.Configuration); err != nil {
			return nil, err
		}
	}
	return &e, nil
}

// OAuthURL returns an element's OAuth consent link:
// GET /elements/{key}/oauth/url?apiKey=&apiSecret=&callbackUrl=&state=.
// The secret travels in the query, as the API wants; it never appears in
// errors or logs.
func (c *Client) OAuthURL(ctx context.Context, req OAuthURLRequest) (string, error) {
	if req.ElementKey == "" {
		return "", errors.New("GET /elements/{key}/oauth/url: no element key")
	}
	q := url.Values{}
	q.Set("apiKey", req.APIKey)
	q.Set("apiSecret", req.APISecret)
	q.Set("callbackUrl", req.CallbackURL)
	if req.State != "" {
		q.Set("state", req.State)
	}
	if req.Scope != "" {
		q.Set("scope", req.Scope)
	}
	r, err := c.do(ctx, http.MethodGet, "/elements/"+url.PathEscape(req.ElementKey)+"/oauth/url", q, nil)
	if err != nil {
		return "", err
	}
	var out struct {
		OAuthURL string `json:"oauthUrl"`
	}
	if err := r.decodeObject(&out); err != nil {
		return "", err
	}
	if out.OAuthURL == "" {
		return "", r.decodeErr(errors.New("the answer has no oauthUrl"))
	}
	return out.OAuthURL, nil
}

// ErrNotTheAPI matches errors of CheckCredentials when the base URL answers,
// but not as the Cloud Elements API does: an HTML page, or a 404 other than
// the API's own "No instances found". Usually the base URL lacks the
// /elements/api-v2 path.
var ErrNotTheAPI = errors.New("cloudelements: the base URL does not answer as the Cloud Elements API")

// noInstancesFound is the message of the API's 404 for a listing that
// matches nothing. The 404 itself is an unverified reading (the mock's
// EmptySearch404 option), so CheckCredentials accepts it by this message only.
const noInstancesFound = "No instances found"

// CheckCredentials makes the smallest authenticated request the provider
// knows, GET /instances?pageSize=1, to learn whether the secrets are
// accepted. The API's 404 "No instances found" counts as accepted; another
// 404 or a body that is not JSON matches ErrNotTheAPI. A failed dial
// (connection refused) is not retried: nobody listening is the answer.
func (c *Client) CheckCredentials(ctx context.Context) error {
	r, err := c.send(ctx, sendOptions{noDialRetry: true}, http.MethodGet, "/instances", url.Values{"pageSize": {"1"}}, nil)
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound:
		if strings.EqualFold(apiErr.Message, noInstancesFound) {
			return nil
		}
		return fmt.Errorf("%w: %w", ErrNotTheAPI, err)
	case err != nil:
		return err
	}
	if err := checkJSONBody(r.body, r.header.Get("Content-Type")); err != nil {
		return fmt.Errorf("%w: GET /instances: %w", ErrNotTheAPI, err)
	}
	return nil
}
