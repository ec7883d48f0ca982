// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Custom elements: the connectors an account builds in the Element Builder,
// and the resources it adds to catalog elements (ENDPOINTS.md of the
// vendor's asset tool, Area 1: devportal:docs/legacy/element-builder/create-via-api.md,
// churros:src/test/platform/elements/elements.js,
// doctor-core:src/core/elements/*.js).

// CustomElement is an element as GET /elements/{keyOrId}, POST /elements or its
// export answer it: the fields the provider reads, and the whole body.
type CustomElement struct {
	ID      int64
	Key     string
	Name    string
	Private bool
	// CreatedDate is "" when the answer has none.
	CreatedDate string
	Body        json.RawMessage
}

// ElementResource is one resource of an element
// (/elements/{keyOrId}/resources[/{id}]): the fields the provider reads,
// and the whole body.
type ElementResource struct {
	ID     int64
	Method string
	Path   string
	// OwnerAccountID is 1 for the catalog's own (system) resources; an
	// account's resources carry the account's id
	// (doctor-core:src/core/elements/createElements.js#L28-L45).
	OwnerAccountID int64
	Body           json.RawMessage
}

// Account reports whether the resource belongs to the account, not to the
// catalog.
func (r ElementResource) Account() bool { return r.OwnerAccountID != 1 }

func decodeElement(body json.RawMessage) (*CustomElement, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, errors.New("expected a JSON object")
	}
	var aux struct {
		ID          FlexInt         `json:"id"`
		Key         string          `json:"key"`
		Name        string          `json:"name"`
		Private     *FlexBool       `json:"private"`
		CreatedDate json.RawMessage `json:"createdDate"`
	}
	if err := json.Unmarshal(body, &aux); err != nil {
		return nil, err
	}
	e := &CustomElement{ID: int64(aux.ID), Key: aux.Key, Name: aux.Name, CreatedDate: textOf(aux.CreatedDate),
		Body: append(json.RawMessage(nil), body...)}
	if aux.Private != nil {
		e.Private = bool(*aux.Private)
	}
	return e, nil
}

func (r *response) element(knownID int64) (*CustomElement, error) {
	if err := checkJSONBody(r.body, r.header.Get("Content-Type")); err != nil {
		return nil, r.decodeErr(err)
	}
	e, err := decodeElement(r.body)
	if err != nil {
		return nil, r.decodeErr(err)
	}
	if e.ID == 0 {
		if knownID <= 0 {
			return nil, r.decodeErr(errors.New("the element has no id"))
		}
		e.ID = knownID
	}
	return e, nil
}

func elementPath(id int64) string { return "/elements/" + strconv.FormatInt(id, 10) }

// CreateElement creates a custom element from its whole definition:
// POST /elements (create-via-api.md#L127-131). Like every POST it is not
// retried once it may have reached the server (ErrOutcomeUnknown).
func (c *Client) CreateElement(ctx context.Context, body json.RawMessage) (*CustomElement, error) {
	r, err := c.do(ctx, http.MethodPost, "/elements", nil, body)
	if err != nil {
		return nil, err
	}
	return r.element(0)
}

// GetElementByID reads an element by its numeric id: GET /elements/{id}.
// An id is unambiguous where a private element reuses a catalog key (key
// URLs then resolve to the private one: doctor-core:src/core/elements/createElements.js#L30).
func (c *Client) GetElementByID(ctx context.Context, id int64) (*CustomElement, error) {
	if err := checkID(http.MethodGet, "/elements/{id}", id); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodGet, elementPath(id), nil, nil)
	if err != nil {
		return nil, err
	}
	return r.element(id)
}

// GetElementByKey reads an element by key: GET /elements/{key}. A private
// element that reuses a catalog key is the one answered.
func (c *Client) GetElementByKey(ctx context.Context, key string) (*CustomElement, error) {
	if key == "" {
		return nil, errors.New("GET /elements/{key}: no element key")
	}
	r, err := c.do(ctx, http.MethodGet, "/elements/"+url.PathEscape(key), nil, nil)
	if err != nil {
		return nil, err
	}
	return r.element(0)
}

// ExportElement reads an element as the vendor's asset tool exports it:
// GET /elements/{id}/export, with extendedOnly=true for the resources an
// account added to a catalog element
// (doctor-core:src/core/elements/getElements.js#L85-L107).
func (c *Client) ExportElement(ctx context.Context, id int64, extendedOnly bool) (*CustomElement, error) {
	if err := checkID(http.MethodGet, "/elements/{id}/export", id); err != nil {
		return nil, err
	}
	var q url.Values
	if extendedOnly {
		q = url.Values{"extendedOnly": {"true"}}
	}
	r, err := c.do(ctx, http.MethodGet, elementPath(id)+"/export", q, nil)
	if err != nil {
		return nil, err
	}
	return r.element(id)
}

// ReplaceElement replaces a custom element with its whole definition:
// PUT /elements/{id}, as the vendor's asset tool updates (by key there:
// doctor-core:src/core/elements/createElements.js#L143-L156; the test suite
// updates by key and by id: churros:src/test/platform/elements/elements.js#L93-L100).
// By id, so a private element deleted in the console is never mistaken for
// the catalog element whose key it reused.
func (c *Client) ReplaceElement(ctx context.Context, id int64, body json.RawMessage) (*CustomElement, error) {
	if err := checkID(http.MethodPut, "/elements/{id}", id); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodPut, elementPath(id), nil, body)
	if err != nil {
		return nil, err
	}
	return r.element(id)
}

// DeleteElement deletes a custom element: DELETE /elements/{id}
// (doctor-core:src/core/elements/removeElement.js#L13). An element already
// gone (404) is success.
func (c *Client) DeleteElement(ctx context.Context, id int64) error {
	if err := checkID(http.MethodDelete, "/elements/{id}", id); err != nil {
		return err
	}
	return c.deleteGone(ctx, elementPath(id))
}

// ListPrivateElements lists the account's custom elements:
// GET /elements?where=private='true' (doctor-core:src/core/elements/getPrivateElements.js#L28-L32),
// paged like every listing, with key = '<key>' added when key is set
// (createElements.js#L108). Only private elements are returned: the vendor's
// tool filters the answers again (getExtendedElements.js#L38-L40), so does
// this. "No elements found" (404) is an empty list.
func (c *Client) ListPrivateElements(ctx context.Context, key string) ([]CustomElement, error) {
	where := "private='true'"
	if key != "" {
		where += " AND key = '" + strings.ReplaceAll(key, "'", "''") + "'"
	}
	out := []CustomElement{}
	err := c.pages(ctx, "/elements", url.Values{"where": {where}}, DefaultPageSize, func(r *response) (int, error) {
		var raw []json.RawMessage
		if err := r.decode(&raw); err != nil {
			return 0, err
		}
		for i, b := range raw {
			e, err := decodeElement(b)
			if err != nil {
				return 0, r.decodeErr(fmt.Errorf("element %d: %w", i, err))
			}
			if e.Private && (key == "" || e.Key == key) {
				out = append(out, *e)
			}
		}
		return len(raw), nil
	})
	return out, err
}

// CatalogElementID finds the id of the catalog (not private) element with
// that key, GET /elements?where=key = '<key>', as the vendor's asset tool
// does before extending it (doctor-core:src/core/elements/createElements.js#L106-L112):
// the key URL would reach a private element that reuses the key. It
// returns ErrNotFound when there is none.
func (c *Client) CatalogElementID(ctx context.Context, key string) (int64, error) {
	if key == "" {
		return 0, errors.New("GET /elements: no element key")
	}
	var found int64
	q := url.Values{"where": {"key = '" + strings.ReplaceAll(key, "'", "''") + "'"}}
	err := c.pages(ctx, "/elements", q, DefaultPageSize, func(r *response) (int, error) {
		var raw []json.RawMessage
		if err := r.decode(&raw); err != nil {
			return 0, err
		}
		for _, b := range raw {
			if e, err := decodeElement(b); err == nil && e.Key == key && !e.Private && found == 0 {
				found = e.ID
			}
		}
		return len(raw), nil
	})
	if err != nil {
		return 0, err
	}
	if found == 0 {
		return 0, fmt.Errorf("no catalog element with key %q: %w", key, ErrNotFound)
	}
	return found, nil
}

func decodeElementResource(body json.RawMessage) (*ElementResource, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, errors.New("expected a JSON object")
	}
	var aux struct {
		ID             FlexInt  `json:"id"`
		Method         string   `json:"method"`
		Path           string   `json:"path"`
		OwnerAccountID *FlexInt `json:"ownerAccountId"`
	}
	if err := json.Unmarshal(body, &aux); err != nil {
		return nil, err
	}
	r := &ElementResource{ID: int64(aux.ID), Method: aux.Method, Path: aux.Path, Body: append(json.RawMessage(nil), body...)}
	// A resource whose owner is not said is taken as the catalog's: the
	// provider then never deletes it.
	r.OwnerAccountID = 1
	if aux.OwnerAccountID != nil {
		r.OwnerAccountID = int64(*aux.OwnerAccountID)
	}
	return r, nil
}

func elementResourcesPath(elementID int64) string { return elementPath(elementID) + "/resources" }

// ListElementResources lists an element's resources, the catalog's and the
// account's: GET /elements/{id}/resources
// (churros:src/test/platform/elementbuilder/elementextend.js#L49-L64).
func (c *Client) ListElementResources(ctx context.Context, elementID int64) ([]ElementResource, error) {
	if err := checkID(http.MethodGet, "/elements/{id}/resources", elementID); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodGet, elementResourcesPath(elementID), nil, nil)
	if errors.Is(err, ErrNotFound) {
		var apiErr *APIError
		if errors.As(err, &apiErr) && strings.HasPrefix(apiErr.Message, "No resources") {
			return []ElementResource{}, nil
		}
	}
	if err != nil {
		return nil, err
	}
	var raw []json.RawMessage
	if err := r.decode(&raw); err != nil {
		return nil, err
	}
	out := make([]ElementResource, 0, len(raw))
	for i, b := range raw {
		res, err := decodeElementResource(b)
		if err != nil {
			return nil, r.decodeErr(fmt.Errorf("resource %d: %w", i, err))
		}
		out = append(out, *res)
	}
	return out, nil
}

func (r *response) elementResource() (*ElementResource, error) {
	if err := checkJSONBody(r.body, r.header.Get("Content-Type")); err != nil {
		return nil, r.decodeErr(err)
	}
	res, err := decodeElementResource(r.body)
	if err != nil {
		return nil, r.decodeErr(err)
	}
	return res, nil
}

// CreateElementResource adds a resource to an element:
// POST /elements/{id}/resources (elementextend.js#L29-L35); the same method
// and path as a catalog resource overrides it (#L120-L133). Not retried once
// it may have reached the server (ErrOutcomeUnknown).
func (c *Client) CreateElementResource(ctx context.Context, elementID int64, body json.RawMessage) (*ElementResource, error) {
	if err := checkID(http.MethodPost, "/elements/{id}/resources", elementID); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodPost, elementResourcesPath(elementID), nil, body)
	if err != nil {
		return nil, err
	}
	return r.elementResource()
}

// ReplaceElementResource replaces one of the account's resources:
// PUT /elements/{id}/resources/{resourceId}
// (churros:src/test/platform/elements/assets/common.js#L133-L145). The
// catalog's own resources answer 404 (elementextend.js#L159-L178).
func (c *Client) ReplaceElementResource(ctx context.Context, elementID, id int64, body json.RawMessage) (*ElementResource, error) {
	if err := checkID(http.MethodPut, "/elements/{id}/resources/{resourceId}", elementID); err != nil {
		return nil, err
	}
	if err := checkID(http.MethodPut, "/elements/{id}/resources/{resourceId}", id); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodPut, elementResourcesPath(elementID)+"/"+strconv.FormatInt(id, 10), nil, body)
	if err != nil {
		return nil, err
	}
	return r.elementResource()
}

// DeleteElementResource deletes one of the account's resources:
// DELETE /elements/{id}/resources/{resourceId}. One already gone (404) is
// success.
func (c *Client) DeleteElementResource(ctx context.Context, elementID, id int64) error {
	if err := checkID(http.MethodDelete, "/elements/{id}/resources/{resourceId}", elementID); err != nil {
		return err
	}
	if err := checkID(http.MethodDelete, "/elements/{id}/resources/{resourceId}", id); err != nil {
		return err
	}
	return c.deleteGone(ctx, elementResourcesPath(elementID)+"/"+strconv.FormatInt(id, 10))
}

// DeleteElementConfiguration deletes one configuration entry of a custom
// element, addressed by key: DELETE /elements/{id}/configuration/{key}
// (churros:src/test/platform/elements/configuration.js#L9-L19). One already
// gone (404) is success.
func (c *Client) DeleteElementConfiguration(ctx context.Context, elementID int64, key string) error {
	if err := checkID(http.MethodDelete, "/elements/{id}/configuration/{key}", elementID); err != nil {
		return err
	}
	if key == "" {
		return errors.New("DELETE /elements/{id}/configuration/{key}: no key")
	}
	return c.deleteGone(ctx, elementPath(elementID)+"/configuration/"+url.PathEscape(key))
}
