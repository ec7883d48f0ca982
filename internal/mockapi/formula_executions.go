// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FormulaExecution is one run of a formula instance, as
// GET /formulas/instances/{id}/executions lists it.
type FormulaExecution struct {
	ID                int64     `json:"id"`
	FormulaInstanceID int64     `json:"formulaInstanceId"`
	Status            string    `json:"status"`
	CreatedDate       time.Time `json:"createdDate"`
	// EventID is the id of the event log entry that triggered the run.
	EventID string `json:"eventId,omitempty"`
}

// resolveVariable returns what a trigger property means for one formula
// instance: "${config.key}" and "${key}" read the instance's configuration,
// anything else is taken literally.
func resolveVariable(v any, cfg map[string]any) string {
	var s string
	switch t := v.(type) {
	case string:
		s = t
	default:
		if t == nil {
			return ""
		}
		s = strings.TrimSpace(stringOf(t))
	}
	if inner, found := strings.CutPrefix(s, "${"); found && strings.HasSuffix(inner, "}") {
		key := strings.TrimSuffix(inner, "}")
		if val, has := cfg[key]; has {
			return stringOf(val)
		}
		val, _ := cfg[strings.TrimPrefix(key, "config.")]
		return stringOf(val)
	}
	return s
}

func stringOf(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case interface{ String() string }:
		return t.String()
	default:
		b, _ := json.Marshal(t)
		return string(b)
	}
}

// runFormulas records an execution for every active instance of an active
// formula whose event trigger listens to element instance instID
// (s.mu held). eventID names the event log entry.
func (s *Server) runFormulas(instID int64, eventID string) {
	want := strconv.FormatInt(instID, 10)
	for _, fi := range s.formulas.sortedInstances() {
		f, found := s.formulas.formulas[fi.formulaID]
		if !found || f.body["active"] != true || fi.body["active"] != true {
			continue
		}
		cfg, _ := fi.body["configuration"].(map[string]any)
		trigs, _ := objects(f.body, "triggers")
		for _, tr := range trigs {
			props, _ := tr["properties"].(map[string]any)
			if stringField(tr, "type") != "event" || props == nil || resolveVariable(props["elementInstanceId"], cfg) != want {
				continue
			}
			fi.executions = append(fi.executions, FormulaExecution{
				ID: s.formulas.newID(), FormulaInstanceID: fi.id, Status: "success",
				CreatedDate: s.now().UTC(), EventID: eventID,
			})
			break
		}
	}
}

// listFormulaExecutions serves GET /formulas/instances/{instanceId}/executions
// (and the formula-scoped path): oldest first, paged with pageSize and
// nextPage like GET /instances.
func (s *Server) listFormulaExecutions(rc *reqCtx) result {
	fi, res := s.instanceByParam(rc)
	if res != nil {
		return *res
	}
	q := rc.query
	if q.Get("eventId") != "" && q.Get("objectId") != "" {
		return rc.fail(http.StatusBadRequest, "Give eventId or objectId, not both")
	}
	pageSize, after, bad := s.pageParams(rc)
	if bad != nil {
		return *bad
	}
	var matched []FormulaExecution
	for _, ex := range fi.executions {
		if ev := q.Get("eventId"); ev == "" || ev == ex.EventID {
			matched = append(matched, ex)
		}
	}
	page := []FormulaExecution{}
	last, more := after, false
	for _, ex := range matched {
		if ex.ID <= after {
			continue
		}
		if len(page) == pageSize {
			more = true
			break
		}
		page = append(page, ex)
		last = ex.ID
	}
	out := ok(page)
	out.header = http.Header{
		"Elements-Total-Count":    {strconv.Itoa(len(matched))},
		"Elements-Returned-Count": {strconv.Itoa(len(page))},
	}
	if more {
		out.header.Set("Elements-Next-Page-Token", encodePageToken(last))
	}
	return out
}

// FormulaExecutions returns the executions of a formula instance, oldest
// first.
func (s *Server) FormulaExecutions(instanceID int64) []FormulaExecution {
	s.mu.Lock()
	defer s.mu.Unlock()
	fi, found := s.formulas.instances[instanceID]
	if !found {
		return nil
	}
	return append([]FormulaExecution(nil), fi.executions...)
}

// formulasListen reports whether an event of an element instance reaches its
// formulas: events must be enabled on a live instance; no callback URL is
// needed (unverified: the platform's formula engine consumes the events it
// processes, whatever the webhook settings).
func formulasListen(cfg map[string]string, disabled bool) bool {
	return strings.EqualFold(cfg["event.notification.enabled"], "true") && !disabled
}
