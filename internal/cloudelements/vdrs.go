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
	"strings"
)

// Common resources (virtual data resources, VDRs) at the organization level:
// an object definition names an object and its fields, and a transformation
// per element maps those fields to the vendor's object. Paths and shapes:
// devportal:_includes/transformations.md#L28-L257,
// devportal:docs/guides/common-resources/migrate.md#L26-L140.

// LevelOrganization is the level the organization endpoints work at; the
// API adds it to definitions, fields and configuration entries.
const LevelOrganization = "organization"

// ObjectField is one field of an object definition.
type ObjectField struct {
	Path  string `json:"path"`
	Type  string `json:"type"`
	Level string `json:"level,omitempty"` // added by the API
}

// ObjectDefinition is an object definition (a common resource's fields).
type ObjectDefinition struct {
	Fields []ObjectField `json:"fields"`
	Level  string        `json:"level,omitempty"` // added by the API
}

// OrganizationFields returns the fields of the organization level: those
// marked so and those without a level. Account-level fields of the same
// object belong to other owners.
func (d *ObjectDefinition) OrganizationFields() []ObjectField {
	var out []ObjectField
	for _, f := range d.Fields {
		if f.Level == "" || f.Level == LevelOrganization {
			out = append(out, f)
		}
	}
	return out
}

// TransformationField maps one path of the common resource to a vendor path.
type TransformationField struct {
	Path       string `json:"path"`
	Type       string `json:"type,omitempty"`
	VendorPath string `json:"vendorPath"`
	VendorType string `json:"vendorType,omitempty"`
	Level      string `json:"level,omitempty"` // added by the API
	// Configuration is the field's own configuration list, kept as sent.
	Configuration json.RawMessage `json:"configuration,omitempty"`
}

// TransformationScript is a transformation's JavaScript.
type TransformationScript struct {
	Body string `json:"body"`
	// Set by the API (doctor:test/assets/snapshot_export_103230_2020-11-27T05_53_21/vdrs/autotaskVDR/autotaskVDR.json#L1).
	MimeType            string `json:"mimeType,omitempty"`
	Level               string `json:"level,omitempty"`
	FilterEmptyResponse *bool  `json:"filterEmptyResponse,omitempty"`
}

// Transformation maps a common resource to one element's vendor object.
type Transformation struct {
	Level      string                `json:"level,omitempty"`      // added by the API
	ObjectName string                `json:"objectName,omitempty"` // added by the API
	ElementKey string                `json:"elementKey,omitempty"` // added by the API
	VendorName string                `json:"vendorName"`
	StartDate  string                `json:"startDate,omitempty"` // added by the API
	Fields     []TransformationField `json:"fields"`
	// Configuration is the transformation's configuration list (entries
	// such as {"type": "passThrough", "properties": {...}}), kept as sent;
	// absent when nil.
	Configuration json.RawMessage       `json:"configuration,omitempty"`
	Script        *TransformationScript `json:"script,omitempty"`
	IsLegacy      *bool                 `json:"isLegacy,omitempty"`
}

// OrganizationFields returns the organization-level fields (see
// ObjectDefinition.OrganizationFields).
func (t *Transformation) OrganizationFields() []TransformationField {
	var out []TransformationField
	for _, f := range t.Fields {
		if f.Level == "" || f.Level == LevelOrganization {
			out = append(out, f)
		}
	}
	return out
}

// ObjectTransformation is one entry of GET
// /organizations/objects/{objectName}/transformations: an element that
// maps the object (doctor:src/core/commonResources/findTransformations.js#L5-12).
type ObjectTransformation struct {
	Level      string  `json:"level,omitempty"`
	Element    Element `json:"element"`
	ElementKey string  `json:"elementKey,omitempty"`
	VendorName string  `json:"vendorName,omitempty"`
}

// Key is the element's key, wherever the answer put it.
func (o ObjectTransformation) Key() string {
	if o.Element.Key != "" {
		return o.Element.Key
	}
	return o.ElementKey
}

func definitionPath(objectName string) string {
	return "/organizations/objects/" + url.PathEscape(objectName) + "/definitions"
}

func transformationPath(elementKey, objectName string) string {
	return "/organizations/elements/" + url.PathEscape(elementKey) + "/transformations/" + url.PathEscape(objectName)
}

func checkName(method, what string, names ...string) error {
	for _, n := range names {
		if strings.TrimSpace(n) == "" {
			return fmt.Errorf("%s %s: empty name", method, what)
		}
	}
	return nil
}

// hasBody reports whether a 2xx answer carries a JSON value.
func (r *response) hasBody() bool {
	t := bytes.TrimSpace(r.body)
	return len(t) > 0 && !bytes.Equal(t, []byte("null")) && !bytes.Equal(t, []byte("{}"))
}

// GetObjectDefinition reads an organization-level object definition:
// GET /organizations/objects/{objectName}/definitions.
func (c *Client) GetObjectDefinition(ctx context.Context, objectName string) (*ObjectDefinition, error) {
	if err := checkName(http.MethodGet, "/organizations/objects/{objectName}/definitions", objectName); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodGet, definitionPath(objectName), nil, nil)
	if err != nil {
		return nil, err
	}
	var d ObjectDefinition
	if err := r.decodeObject(&d); err != nil {
		return nil, err
	}
	return &d, nil
}

// CreateObjectDefinition creates an organization-level object definition:
// POST /organizations/objects/{objectName}/definitions. The API answers with
// the definition; an answer without one is followed by a GET. Like every
// POST it is not retried once it may have reached the server (see the
// package doc and ErrOutcomeUnknown).
func (c *Client) CreateObjectDefinition(ctx context.Context, objectName string, def ObjectDefinition) (*ObjectDefinition, error) {
	return c.writeDefinition(ctx, http.MethodPost, objectName, def)
}

// ReplaceObjectDefinition replaces an organization-level object definition:
// PUT /organizations/objects/{objectName}/definitions.
func (c *Client) ReplaceObjectDefinition(ctx context.Context, objectName string, def ObjectDefinition) (*ObjectDefinition, error) {
	return c.writeDefinition(ctx, http.MethodPut, objectName, def)
}

func (c *Client) writeDefinition(ctx context.Context, method, objectName string, def ObjectDefinition) (*ObjectDefinition, error) {
	if err := checkName(method, "/organizations/objects/{objectName}/definitions", objectName); err != nil {
		return nil, err
	}
	if def.Fields == nil {
		def.Fields = []ObjectField{}
	}
	r, err := c.do(ctx, method, definitionPath(objectName), nil, def)
	if err != nil {
		return nil, err
	}
	if !r.hasBody() {
		return c.GetObjectDefinition(ctx, objectName)
	}
	var out ObjectDefinition
	if err := r.decodeObject(&out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteObjectDefinition deletes an organization-level object definition:
// DELETE /organizations/objects/{objectName}/definitions. The API answers
// 409 while a transformation still maps it. One already gone (404) is success.
func (c *Client) DeleteObjectDefinition(ctx context.Context, objectName string) error {
	if err := checkName(http.MethodDelete, "/organizations/objects/{objectName}/definitions", objectName); err != nil {
		return err
	}
	return c.deleteGone(ctx, definitionPath(objectName))
}

// ListObjectTransformations lists the transformations of an object, at
// every level: GET /organizations/objects/{objectName}/transformations. An
// answer of 404 "No ... found" is an empty list.
func (c *Client) ListObjectTransformations(ctx context.Context, objectName string) ([]ObjectTransformation, error) {
	if err := checkName(http.MethodGet, "/organizations/objects/{objectName}/transformations", objectName); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodGet, "/organizations/objects/"+url.PathEscape(objectName)+"/transformations", nil, nil)
	if noneFound(err) {
		return []ObjectTransformation{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := []ObjectTransformation{}
	if err := r.decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// GetTransformation reads an element's organization-level transformation of
// an object: GET /organizations/elements/{keyOrId}/transformations/{objectName}.
func (c *Client) GetTransformation(ctx context.Context, elementKey, objectName string) (*Transformation, error) {
	if err := checkName(http.MethodGet, "/organizations/elements/{keyOrId}/transformations/{objectName}", elementKey, objectName); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodGet, transformationPath(elementKey, objectName), nil, nil)
	if err != nil {
		return nil, err
	}
	var t Transformation
	if err := r.decodeObject(&t); err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateTransformation creates (or replaces) an element's organization-level
// transformation: POST /organizations/elements/{keyOrId}/transformations/{objectName}.
// The object definition must exist first. An answer without the
// transformation is followed by a GET; POST retry rules as in the package doc.
func (c *Client) CreateTransformation(ctx context.Context, elementKey, objectName string, t Transformation) (*Transformation, error) {
	return c.writeTransformation(ctx, http.MethodPost, elementKey, objectName, t)
}

// ReplaceTransformation replaces an element's organization-level
// transformation: PUT /organizations/elements/{keyOrId}/transformations/{objectName}.
func (c *Client) ReplaceTransformation(ctx context.Context, elementKey, objectName string, t Transformation) (*Transformation, error) {
	return c.writeTransformation(ctx, http.MethodPut, elementKey, objectName, t)
}

func (c *Client) writeTransformation(ctx context.Context, method, elementKey, objectName string, t Transformation) (*Transformation, error) {
	if err := checkName(method, "/organizations/elements/{keyOrId}/transformations/{objectName}", elementKey, objectName); err != nil {
		return nil, err
	}
	if t.Fields == nil {
		t.Fields = []TransformationField{}
	}
	r, err := c.do(ctx, method, transformationPath(elementKey, objectName), nil, t)
	if err != nil {
		return nil, err
	}
	if !r.hasBody() {
		return c.GetTransformation(ctx, elementKey, objectName)
	}
	var out Transformation
	if err := r.decodeObject(&out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteTransformation deletes an element's organization-level
// transformation: DELETE /organizations/elements/{keyOrId}/transformations/{objectName}.
// One already gone (404) is success.
func (c *Client) DeleteTransformation(ctx context.Context, elementKey, objectName string) error {
	if err := checkName(http.MethodDelete, "/organizations/elements/{keyOrId}/transformations/{objectName}", elementKey, objectName); err != nil {
		return err
	}
	return c.deleteGone(ctx, transformationPath(elementKey, objectName))
}

// noneFound reports an answer of 404 "No ... found": how the API says a
// list has nothing in it (doctor's client reads it so:
// doctor:src/utils/http.js#L29-31).
func noneFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && strings.HasPrefix(apiErr.Message, "No ")
}

// listMembers reads a GET answer that is a JSON object of name -> object
// (an empty map for a 404 "No ... found"), leaving out the members that are
// not objects: the definitions list mixes a top-level "level":
// "organization" into its map (devportal:_includes/transformations.md#L142).
// what names a member in errors.
func listMembers[T any](ctx context.Context, c *Client, path, what string) (map[string]*T, error) {
	r, err := c.do(ctx, http.MethodGet, path, nil, nil)
	if noneFound(err) {
		return map[string]*T{}, nil
	}
	if err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := r.decodeObject(&raw); err != nil {
		return nil, err
	}
	out := make(map[string]*T, len(raw))
	for name, v := range raw {
		if t := bytes.TrimSpace(v); len(t) == 0 || t[0] != '{' {
			continue
		}
		var m T
		if err := json.Unmarshal(v, &m); err != nil {
			return nil, r.decodeErr(fmt.Errorf("%s %q: %w", what, clip(name, 100), err))
		}
		out[name] = &m
	}
	return out, nil
}

// ListObjectDefinitions lists the organization's object definitions by
// name: GET /organizations/objects/definitions
// (devportal:_includes/transformations.md#L82-143). An answer of 404
// "No ... found" is an empty list.
func (c *Client) ListObjectDefinitions(ctx context.Context) (map[string]*ObjectDefinition, error) {
	return listMembers[ObjectDefinition](ctx, c, "/organizations/objects/definitions", "object definition")
}

// ListElementTransformations lists an element's organization-level
// transformations by object name: GET
// /organizations/elements/{keyOrId}/transformations
// (doctor:src/core/commonResources/createTransformations.js#L6). An answer
// of 404 "No ... found" is an empty list; members that are not objects
// (a top-level "level", as in the definitions list) are left out.
func (c *Client) ListElementTransformations(ctx context.Context, elementKey string) (map[string]*Transformation, error) {
	if err := checkName(http.MethodGet, "/organizations/elements/{keyOrId}/transformations", elementKey); err != nil {
		return nil, err
	}
	return listMembers[Transformation](ctx, c, "/organizations/elements/"+url.PathEscape(elementKey)+"/transformations", "transformation")
}
