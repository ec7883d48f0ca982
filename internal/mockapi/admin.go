// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// AdminHandler returns the admin endpoints (also mounted by ServeHTTP under
// AdminPrefix). They need no auth and are neither recorded nor faulted:
//
//	GET    /__admin/instances  the store, unmasked, as a JSON array of Instance
//	GET    /__admin/requests   {"counts": {"GET /instances/{id}": 2, ...}, "total": n}
//	DELETE /__admin/requests   forget recorded requests
//	GET    /__admin/faults     queued faults with remaining counts
//	POST   /__admin/faults     queue a Fault given as JSON (see below)
//	DELETE /__admin/faults     drop every queued fault
//	POST   /__admin/events/{elementKey}?elementInstanceId=N
//	                           a vendor event, as POST /events/{elementKey}
//	                           without auth (an "Element <token>" Authorization
//	                           may name the instance instead)
//	GET    /__admin/instances/{id}/events
//	                           the event log, newest first, with each
//	                           notification's body and last-attempt headers
//
// A fault body: {"method":"POST","route":"/instances","count":1,"status":503,
// "retryAfter":"2","latency":"250ms","mode":"commit_then_drop"}. Field names
// are case-insensitive; "latency" is a Go duration string or a number of
// nanoseconds; "mode" is a FaultMode number or name ("FaultHTMLPage",
// "HTMLPage", "html_page" all work).
func (s *Server) AdminHandler() http.Handler { return s.admin }

func (s *Server) newAdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /__admin/instances", func(w http.ResponseWriter, r *http.Request) {
		list := s.Instances()
		for i := range list {
			if list[i].Tags == nil {
				list[i].Tags = []string{}
			}
		}
		adminJSON(w, http.StatusOK, list)
	})
	mux.HandleFunc("GET /__admin/requests", func(w http.ResponseWriter, r *http.Request) {
		counts := map[string]int{}
		reqs := s.Requests()
		for _, rq := range reqs {
			counts[rq.Method+" "+rq.Route]++
		}
		adminJSON(w, http.StatusOK, map[string]any{"counts": counts, "total": len(reqs)})
	})
	mux.HandleFunc("DELETE /__admin/requests", func(w http.ResponseWriter, r *http.Request) {
		s.ResetRequests()
		adminJSON(w, http.StatusOK, struct{}{})
	})
	mux.HandleFunc("GET /__admin/faults", func(w http.ResponseWriter, r *http.Request) {
		out := []faultJSON{}
		for _, f := range s.pendingFaults() {
			out = append(out, toFaultJSON(f))
		}
		adminJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("POST /__admin/faults", func(w http.ResponseWriter, r *http.Request) {
		var in faultJSON
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			adminJSON(w, http.StatusBadRequest, map[string]string{"message": "malformed fault: " + err.Error()})
			return
		}
		f, err := in.fault()
		if err != nil {
			adminJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
			return
		}
		s.InjectFault(f)
		if f.Count == 0 {
			f.Count = 1
		}
		adminJSON(w, http.StatusOK, toFaultJSON(f))
	})
	mux.HandleFunc("DELETE /__admin/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		adminJSON(w, http.StatusOK, struct{}{})
	})
	mux.HandleFunc("POST /__admin/events/{elementKey}", func(w http.ResponseWriter, r *http.Request) {
		rc := &reqCtx{r: r, query: r.URL.Query(), reqID: newRequestID(), method: r.Method,
			rm: routeMatch{route: eventsRoute, known: true, inAPI: true,
				params: map[string]string{"elementKey": r.PathValue("elementKey")}}}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
		var res result
		switch {
		case err != nil:
			res = rc.fail(http.StatusBadRequest, "Could not read the request body: %v", err)
		case len(body) > maxBodyBytes:
			res = rc.fail(http.StatusRequestEntityTooLarge, "Request body too large")
		default:
			rc.body = body
			s.mu.Lock()
			res = s.ingestEvent(rc, true)
			s.mu.Unlock()
		}
		writeResult(w, rc, res)
	})
	mux.HandleFunc("GET /__admin/instances/{id}/events", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			adminJSON(w, http.StatusBadRequest, map[string]string{"message": "instance id must be a number"})
			return
		}
		if _, found := s.Instance(id); !found {
			adminJSON(w, http.StatusNotFound, map[string]string{"message": fmt.Sprintf("No instance found with id %d", id)})
			return
		}
		out := []adminEventJSON{}
		for _, e := range s.Events(id) {
			out = append(out, adminEventJSON{eventJSON: toEventJSON(&e), Body: json.RawMessage(e.Body), Headers: e.Headers})
		}
		adminJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("/__admin/", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusNotFound, map[string]string{"message": "unknown admin endpoint"})
	})
	return mux
}

// adminEventJSON is an event log entry with the notification it carries.
type adminEventJSON struct {
	eventJSON
	Body    json.RawMessage `json:"body,omitempty"`
	Headers http.Header     `json:"headers,omitempty"`
}

func adminJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.MarshalIndent(v, "", "  ")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// faultJSON is the admin wire form of a Fault.
type faultJSON struct {
	Method     string          `json:"method,omitempty"`
	Route      string          `json:"route,omitempty"`
	Count      int             `json:"count,omitempty"`
	Status     int             `json:"status,omitempty"`
	RetryAfter string          `json:"retryAfter,omitempty"`
	Latency    json.RawMessage `json:"latency,omitempty"`
	Mode       json.RawMessage `json:"mode,omitempty"`
}

func toFaultJSON(f Fault) faultJSON {
	out := faultJSON{Method: f.Method, Route: f.Route, Count: f.Count, Status: f.Status, RetryAfter: f.RetryAfter}
	out.Mode, _ = json.Marshal(f.Mode.String())
	if f.Latency != 0 {
		out.Latency, _ = json.Marshal(f.Latency.String())
	}
	return out
}

func (in faultJSON) fault() (Fault, error) {
	f := Fault{Method: strings.ToUpper(in.Method), Route: in.Route, Count: in.Count, Status: in.Status, RetryAfter: in.RetryAfter}
	if len(in.Latency) > 0 && !isNull(in.Latency) {
		var str string
		if json.Unmarshal(in.Latency, &str) == nil {
			d, err := time.ParseDuration(str)
			if err != nil {
				return f, fmt.Errorf("latency: %v", err)
			}
			f.Latency = d
		} else {
			var n int64
			if err := json.Unmarshal(in.Latency, &n); err != nil {
				return f, fmt.Errorf("latency must be a duration string or nanoseconds")
			}
			f.Latency = time.Duration(n)
		}
	}
	if len(in.Mode) > 0 && !isNull(in.Mode) {
		m, err := parseFaultMode(in.Mode)
		if err != nil {
			return f, err
		}
		f.Mode = m
	}
	return f, nil
}

func parseFaultMode(raw json.RawMessage) (FaultMode, error) {
	var n int
	if json.Unmarshal(raw, &n) == nil {
		if n < 0 || n >= len(faultModeNames) {
			return 0, fmt.Errorf("unknown fault mode %d", n)
		}
		return FaultMode(n), nil
	}
	var str string
	if err := json.Unmarshal(raw, &str); err != nil {
		return 0, fmt.Errorf("mode must be a number or a name")
	}
	norm := func(x string) string {
		x = strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(x))
		return strings.TrimPrefix(x, "fault")
	}
	for i, name := range faultModeNames {
		if norm(name) == norm(str) {
			return FaultMode(i), nil
		}
	}
	if n, err := strconv.Atoi(str); err == nil && n >= 0 && n < len(faultModeNames) {
		return FaultMode(n), nil
	}
	return 0, fmt.Errorf("unknown fault mode %q", str)
}
