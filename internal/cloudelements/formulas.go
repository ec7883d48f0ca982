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

// Formula is a formula template as the API returns it. Body keeps the whole
// object, server fields included, for callers that compare definitions.
type Formula struct {
	ID          int64
	Name        string
	Description string
	Active      bool
	Body        json.RawMessage
}

// ListFormulasOptions narrows ListFormulas. Name, when set, asks the API for
// the formulas of that exact name (CEQL where name = '...').
type ListFormulasOptions struct {
	Name string
}

// FormulaInstanceSettings are the documented settings of a formula instance
// (devportal:docs/guides/formulasC2/formula-instance.md#L38-60).
type FormulaInstanceSettings struct {
	NotificationEmail      *string `json:"notification.email,omitempty"`
	NotificationWebhookURL *string `json:"notification.webhook.url,omitempty"`
	API                    *string `json:"api,omitempty"`
	// TimeToLive is formula.instance.time.to.live in seconds.
	TimeToLive *int64 `json:"formula.instance.time.to.live,omitempty"`
}

// FormulaInstance is a formula bound to its variables' values.
type FormulaInstance struct {
	ID            int64
	FormulaID     int64
	Name          string
	Active        bool
	Configuration map[string]string // variable key -> value
	Settings      FormulaInstanceSettings
	CreatedDate   string
}

// FormulaInstanceRequest is the body of a formula instance create or replace.
type FormulaInstanceRequest struct {
	Name          string                   `json:"name"`
	Active        *bool                    `json:"active,omitempty"`
	Configuration map[string]string        `json:"configuration,omitempty"`
	Settings      *FormulaInstanceSettings `json:"settings,omitempty"`
	// ClearSettings are settings keys (such as "notification.webhook.url")
	// sent as null, so they are removed whether a PUT replaces the settings
	// or merges them into the stored ones (not documented). A key Settings
	// sets is sent with its value.
	ClearSettings []string `json:"-"`
}

// MarshalJSON writes the request, with ClearSettings as null settings.
func (r FormulaInstanceRequest) MarshalJSON() ([]byte, error) {
	type plain FormulaInstanceRequest
	if len(r.ClearSettings) == 0 {
		return json.Marshal(plain(r))
	}
	settings := map[string]any{}
	if r.Settings != nil {
		b, err := json.Marshal(r.Settings)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &settings); err != nil {
			return nil, err
		}
	}
	for _, k := range r.ClearSettings {
		if _, set := settings[k]; !set {
			settings[k] = nil
		}
	}
	return json.Marshal(struct {
		plain
		Settings map[string]any `json:"settings"`
	}{plain(r), settings})
}

// FormulaExecution is one run of a formula instance.
type FormulaExecution struct {
	ID                int64
	FormulaInstanceID int64
	Status            string
	CreatedDate       string
}

func formulaPath(id int64) string { return "/formulas/" + strconv.FormatInt(id, 10) }

func formulaInstancePath(formulaID, id int64) string {
	return formulaPath(formulaID) + "/instances/" + strconv.FormatInt(id, 10)
}

// formula decodes the formula in r. The legacy use-case page shows the
// create answer wrapped in a one-element array
// (devportal:docs/legacy/formulas/use-cases.md#L151-255); both forms are
// accepted. knownID (the id in the request path) fills a missing id.
func (r *response) formula(knownID int64) (*Formula, error) {
	if err := checkJSONBody(r.body, r.header.Get("Content-Type")); err != nil {
		return nil, r.decodeErr(err)
	}
	body := bytes.TrimSpace(r.body)
	if body[0] == '[' {
		var arr []json.RawMessage
		if err := json.Unmarshal(body, &arr); err != nil {
			return nil, r.decodeErr(err)
		}
		if len(arr) != 1 {
			return nil, r.decodeErr(fmt.Errorf("expected one formula, got %d", len(arr)))
		}
		body = bytes.TrimSpace(arr[0])
	}
	f, err := decodeFormula(body)
	if err != nil {
		return nil, r.decodeErr(err)
	}
	if f.ID == 0 {
		if knownID <= 0 {
			return nil, r.decodeErr(errors.New("the formula has no id"))
		}
		f.ID = knownID
	}
	return f, nil
}

func decodeFormula(body json.RawMessage) (*Formula, error) {
	if len(body) == 0 || body[0] != '{' {
		return nil, errors.New("expected a JSON object")
	}
	var aux struct {
		ID          FlexInt   `json:"id"`
		Name        string    `json:"name"`
		Description *string   `json:"description"`
		Active      *FlexBool `json:"active"`
	}
	if err := json.Unmarshal(body, &aux); err != nil {
		return nil, err
	}
	f := &Formula{ID: int64(aux.ID), Name: aux.Name, Body: append(json.RawMessage(nil), body...), Active: true}
	if aux.Description != nil {
		f.Description = *aux.Description
	}
	if aux.Active != nil {
		f.Active = bool(*aux.Active)
	}
	return f, nil
}

// CreateFormula creates a formula template: POST /formulas. Like every POST
// it is not retried once sent (see the package doc and ErrOutcomeUnknown).
func (c *Client) CreateFormula(ctx context.Context, body json.RawMessage) (*Formula, error) {
	r, err := c.do(ctx, http.MethodPost, "/formulas", nil, body)
	if err != nil {
		return nil, err
	}
	return r.formula(0)
}

// GetFormula reads one formula: GET /formulas/{id}.
func (c *Client) GetFormula(ctx context.Context, id int64) (*Formula, error) {
	if err := checkID(http.MethodGet, "/formulas/{id}", id); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodGet, formulaPath(id), nil, nil)
	if err != nil {
		return nil, err
	}
	return r.formula(id)
}

// ReplaceFormula replaces a formula template with body: PUT /formulas/{id},
// the whole template, as the vendor's asset tool updates
// (doctor:src/core/formulas/createFormulas.js#L79).
func (c *Client) ReplaceFormula(ctx context.Context, id int64, body json.RawMessage) (*Formula, error) {
	if err := checkID(http.MethodPut, "/formulas/{id}", id); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodPut, formulaPath(id), nil, body)
	if err != nil {
		return nil, err
	}
	return r.formula(id)
}

// DeleteFormula deletes a formula template: DELETE /formulas/{id}. A formula
// already gone (404) is success. The API refuses a formula that still has
// instances (devportal:docs/guides/formulasC2/build-template.md#L228); that
// answer is returned as an *APIError.
func (c *Client) DeleteFormula(ctx context.Context, id int64) error {
	if err := checkID(http.MethodDelete, "/formulas/{id}", id); err != nil {
		return err
	}
	return c.deleteGone(ctx, formulaPath(id))
}

// ListFormulas lists formula templates: GET /formulas, with
// where=name = '<name>' when opts.Name is set
// (doctor:src/core/formulas/getFormulas.js#L16-19). An answer "No formulas
// found" (404) is an empty list; only exact name matches are returned.
func (c *Client) ListFormulas(ctx context.Context, opts ListFormulasOptions) ([]Formula, error) {
	var q url.Values
	if opts.Name != "" {
		q = url.Values{"where": {"name = '" + strings.ReplaceAll(opts.Name, "'", "''") + "'"}}
	}
	r, err := c.do(ctx, http.MethodGet, "/formulas", q, nil)
	if errors.Is(err, ErrNotFound) {
		return []Formula{}, nil
	}
	if err != nil {
		return nil, err
	}
	var raw []json.RawMessage
	if err := r.decode(&raw); err != nil {
		return nil, err
	}
	out := make([]Formula, 0, len(raw))
	for i, b := range raw {
		f, err := decodeFormula(bytes.TrimSpace(b))
		if err != nil {
			return nil, r.decodeErr(fmt.Errorf("formula %d: %w", i, err))
		}
		if opts.Name != "" && f.Name != opts.Name {
			continue
		}
		out = append(out, *f)
	}
	return out, nil
}

// wireFormulaInstance is a formula instance as the API sends it
// (devportal:docs/legacy/formulas/use-cases.md#L286-303).
type wireFormulaInstance struct {
	ID      FlexInt `json:"id"`
	Formula struct {
		ID FlexInt `json:"id"`
	} `json:"formula"`
	Name          string                     `json:"name"`
	Active        *FlexBool                  `json:"active"`
	Configuration map[string]json.RawMessage `json:"configuration"`
	Settings      map[string]json.RawMessage `json:"settings"`
	CreatedDate   json.RawMessage            `json:"createdDate"`
}

func (w *wireFormulaInstance) instance(formulaID int64) (*FormulaInstance, error) {
	fi := &FormulaInstance{ID: int64(w.ID), FormulaID: int64(w.Formula.ID), Name: w.Name, Active: true}
	if fi.FormulaID == 0 {
		fi.FormulaID = formulaID
	}
	if w.Active != nil {
		fi.Active = bool(*w.Active)
	}
	if w.CreatedDate != nil {
		fi.CreatedDate = textOf(w.CreatedDate)
	}
	if w.Configuration != nil {
		fi.Configuration = make(map[string]string, len(w.Configuration))
		for k, v := range w.Configuration {
			p, err := scalarText(v)
			if err != nil {
				return nil, fmt.Errorf("configuration value of %q: %w", clip(k, 100), err)
			}
			if p != nil {
				fi.Configuration[k] = *p
			}
		}
	}
	text := func(k string) *string {
		v, ok := w.Settings[k]
		if !ok {
			return nil
		}
		p, err := scalarText(v)
		if err != nil {
			return nil
		}
		return p
	}
	fi.Settings.NotificationEmail = text("notification.email")
	fi.Settings.NotificationWebhookURL = text("notification.webhook.url")
	fi.Settings.API = text("api")
	if v, ok := w.Settings["formula.instance.time.to.live"]; ok {
		var n FlexInt
		if err := json.Unmarshal(v, &n); err != nil {
			return nil, fmt.Errorf("settings formula.instance.time.to.live: %w", err)
		}
		if string(bytes.TrimSpace(v)) != "null" {
			ttl := int64(n)
			fi.Settings.TimeToLive = &ttl
		}
	}
	return fi, nil
}

func (r *response) formulaInstance(formulaID, knownID int64) (*FormulaInstance, error) {
	var w wireFormulaInstance
	if err := r.decodeObject(&w); err != nil {
		return nil, err
	}
	fi, err := w.instance(formulaID)
	if err != nil {
		return nil, r.decodeErr(err)
	}
	if fi.ID == 0 {
		if knownID <= 0 {
			return nil, r.decodeErr(errors.New("the formula instance has no id"))
		}
		fi.ID = knownID
	}
	return fi, nil
}

// CreateFormulaInstance creates an instance of formula formulaID:
// POST /formulas/{id}/instances. Not retried once sent.
func (c *Client) CreateFormulaInstance(ctx context.Context, formulaID int64, req FormulaInstanceRequest) (*FormulaInstance, error) {
	if err := checkID(http.MethodPost, "/formulas/{id}/instances", formulaID); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodPost, formulaPath(formulaID)+"/instances", nil, req)
	if err != nil {
		return nil, err
	}
	return r.formulaInstance(formulaID, 0)
}

// GetFormulaInstance reads one: GET /formulas/{id}/instances/{instanceId}.
func (c *Client) GetFormulaInstance(ctx context.Context, formulaID, id int64) (*FormulaInstance, error) {
	if err := checkFormulaInstanceIDs(http.MethodGet, formulaID, id); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodGet, formulaInstancePath(formulaID, id), nil, nil)
	if err != nil {
		return nil, err
	}
	return r.formulaInstance(formulaID, id)
}

// ReplaceFormulaInstance replaces one with the whole request:
// PUT /formulas/{id}/instances/{instanceId}.
func (c *Client) ReplaceFormulaInstance(ctx context.Context, formulaID, id int64, req FormulaInstanceRequest) (*FormulaInstance, error) {
	if err := checkFormulaInstanceIDs(http.MethodPut, formulaID, id); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodPut, formulaInstancePath(formulaID, id), nil, req)
	if err != nil {
		return nil, err
	}
	return r.formulaInstance(formulaID, id)
}

// DeleteFormulaInstance deletes one; already gone (404) is success.
func (c *Client) DeleteFormulaInstance(ctx context.Context, formulaID, id int64) error {
	if err := checkFormulaInstanceIDs(http.MethodDelete, formulaID, id); err != nil {
		return err
	}
	return c.deleteGone(ctx, formulaInstancePath(formulaID, id))
}

// ListFormulaInstances lists the instances of one formula:
// GET /formulas/{id}/instances. "No ... found" (404) is an empty list.
func (c *Client) ListFormulaInstances(ctx context.Context, formulaID int64) ([]FormulaInstance, error) {
	if err := checkID(http.MethodGet, "/formulas/{id}/instances", formulaID); err != nil {
		return nil, err
	}
	return c.listFormulaInstances(ctx, formulaPath(formulaID)+"/instances", nil, formulaID)
}

// ListAllFormulaInstances lists the instances of every formula:
// GET /formulas/instances (churros:src/test/platform/formulas/faar.js#L34-36),
// with elementInstanceId when elementInstanceID is set: the instances bound
// to that element instance (churros:src/test/platform/formulas/instances.js#L112-121).
// Entries name their formula (formula.id). "No ... found" (404) is an
// empty list. Whether an entry carries the configuration and settings a
// read by id answers is not documented: Configuration is nil when it does
// not.
func (c *Client) ListAllFormulaInstances(ctx context.Context, elementInstanceID int64) ([]FormulaInstance, error) {
	var q url.Values
	if elementInstanceID != 0 {
		q = url.Values{"elementInstanceId": {strconv.FormatInt(elementInstanceID, 10)}}
	}
	return c.listFormulaInstances(ctx, "/formulas/instances", q, 0)
}

func (c *Client) listFormulaInstances(ctx context.Context, path string, q url.Values, formulaID int64) ([]FormulaInstance, error) {
	r, err := c.do(ctx, http.MethodGet, path, q, nil)
	if errors.Is(err, ErrNotFound) {
		return []FormulaInstance{}, nil
	}
	if err != nil {
		return nil, err
	}
	var ws []wireFormulaInstance
	if err := r.decode(&ws); err != nil {
		return nil, err
	}
	out := make([]FormulaInstance, 0, len(ws))
	for i := range ws {
		fi, err := ws[i].instance(formulaID)
		if err != nil {
			return nil, r.decodeErr(fmt.Errorf("formula instance %d: %w", i, err))
		}
		out = append(out, *fi)
	}
	return out, nil
}

// SetFormulaInstanceActive activates (PUT) or deactivates (DELETE)
// /formulas/{id}/instances/{instanceId}/active
// (churros:src/test/platform/formulas/instances.js#L46-56).
func (c *Client) SetFormulaInstanceActive(ctx context.Context, formulaID, id int64, active bool) error {
	method := http.MethodDelete
	if active {
		method = http.MethodPut
	}
	if err := checkFormulaInstanceIDs(method, formulaID, id); err != nil {
		return err
	}
	_, err := c.do(ctx, method, formulaInstancePath(formulaID, id)+"/active", nil, nil)
	return err
}

// ListFormulaExecutions lists the executions of a formula instance:
// GET /formulas/instances/{instanceId}/executions, at the largest page size,
// following Elements-Next-Page-Token
// (churros:src/test/platform/formulas/pagination.js#L41-69).
func (c *Client) ListFormulaExecutions(ctx context.Context, instanceID int64) ([]FormulaExecution, error) {
	if err := checkID(http.MethodGet, "/formulas/instances/{id}/executions", instanceID); err != nil {
		return nil, err
	}
	path := "/formulas/instances/" + strconv.FormatInt(instanceID, 10) + "/executions"
	out := []FormulaExecution{}
	err := c.pages(ctx, path, url.Values{}, DefaultPageSize, func(r *response) (int, error) {
		var page []struct {
			ID                FlexInt         `json:"id"`
			FormulaInstanceID FlexInt         `json:"formulaInstanceId"`
			Status            string          `json:"status"`
			CreatedDate       json.RawMessage `json:"createdDate"`
		}
		if err := r.decode(&page); err != nil {
			return 0, err
		}
		for _, e := range page {
			out = append(out, FormulaExecution{ID: int64(e.ID), FormulaInstanceID: int64(e.FormulaInstanceID), Status: e.Status, CreatedDate: textOf(e.CreatedDate)})
		}
		return len(page), nil
	})
	return out, err
}

func checkFormulaInstanceIDs(method string, formulaID, id int64) error {
	if err := checkID(method, "/formulas/{id}/instances/{instanceId}", formulaID); err != nil {
		return err
	}
	return checkID(method, "/formulas/{id}/instances/{instanceId}", id)
}
