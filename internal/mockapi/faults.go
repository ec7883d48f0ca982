// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Fault makes matching requests misbehave. See InjectFault.
type Fault struct {
	Method     string        // "" = any
	Route      string        // "" = any; else a templated route such as "/instances/{id}"
	Count      int           // how many matching requests it hits; 0 -> 1; -1 -> forever
	Status     int           // FaultStatus: the status to answer (error body shape, Elements-Request-Id)
	RetryAfter string        // sets the Retry-After header when non-empty (on every mode that answers)
	Latency    time.Duration // delay before acting/answering; a cancelled request context ends it (nothing is done)
	// LatencyAfterAct delays the answer after the request was carried out
	// (a slow response to a create that did happen); a cancelled request
	// context ends it, with no answer sent.
	LatencyAfterAct time.Duration
	Mode            FaultMode
}

// FaultMode selects how a Fault misbehaves.
type FaultMode int

const (
	// FaultStatus answers Status without acting. With Status 0 the request is
	// served normally (useful with Latency alone).
	FaultStatus FaultMode = iota
	// FaultCommitThenDrop carries the request out, then closes the
	// connection without a response.
	FaultCommitThenDrop
	// FaultDropBeforeAct closes the connection without acting.
	FaultDropBeforeAct
	// FaultInvalidJSON acts, then answers 200 with `{"id": 1, "name": `.
	FaultInvalidJSON
	// FaultHTMLPage answers 502 with a proxy's HTML error page, without acting
	// (and without an Elements-Request-Id: a gateway answered).
	FaultHTMLPage
	// FaultEmptyBody acts, then answers 200 with an empty body.
	FaultEmptyBody
	// FaultStringID acts normally but encodes instance "id"s as JSON strings.
	FaultStringID
	// FaultHugeBody acts, then answers 200 with a valid 11 MiB JSON object.
	FaultHugeBody
	// FaultNullConfigValue acts normally, but one configuration value comes
	// back as JSON null: the alphabetically first key that is not a server
	// default (filter.response.nulls, event.notification.enabled), else the
	// first key.
	FaultNullConfigValue
	// FaultSparseInstance acts normally, but the instance in the answer
	// lacks elementId, element.id, valid and createdDate. Unverified: no
	// public source shows an update answer without them; it tests that a
	// client does not trust an answer to restate what cannot change.
	FaultSparseInstance
	// FaultInvalidates acts, then stores the instance as invalid
	// (valid false) and answers so. Unverified: how the API re-validates an
	// instance whose credentials change is not documented; this is the
	// reading where the vendor refuses the new credentials.
	FaultInvalidates
)

var faultModeNames = []string{"FaultStatus", "FaultCommitThenDrop", "FaultDropBeforeAct", "FaultInvalidJSON",
	"FaultHTMLPage", "FaultEmptyBody", "FaultStringID", "FaultHugeBody", "FaultNullConfigValue",
	"FaultSparseInstance", "FaultInvalidates"}

func (m FaultMode) String() string {
	if m >= 0 && int(m) < len(faultModeNames) {
		return faultModeNames[m]
	}
	return "FaultMode(" + strconv.Itoa(int(m)) + ")"
}

type faultState struct {
	f         Fault
	remaining int // -1 = forever
}

// InjectFault queues a fault. Faults are consumed in order of injection: a
// request takes the first un-exhausted fault whose Method (case-insensitive)
// and Route match it.
func (s *Server) InjectFault(f Fault) {
	if f.Count == 0 {
		f.Count = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultState{f: f, remaining: f.Count})
}

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// pendingFaults returns the queued faults with their remaining counts.
func (s *Server) pendingFaults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Fault, 0, len(s.faults))
	for _, fs := range s.faults {
		f := fs.f
		f.Count = fs.remaining
		out = append(out, f)
	}
	return out
}

// takeFault consumes the first matching fault (s.mu held).
func (s *Server) takeFault(method, route string) *Fault {
	for i, fs := range s.faults {
		if fs.remaining == 0 ||
			(fs.f.Method != "" && !strings.EqualFold(fs.f.Method, method)) ||
			(fs.f.Route != "" && fs.f.Route != route) {
			continue
		}
		f := fs.f
		if fs.remaining > 0 {
			fs.remaining--
			if fs.remaining == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &f
	}
	return nil
}

const htmlErrorPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

// serveFaulted answers a request under fault f (nil: normally) and returns
// the status sent, 0 when nothing was sent.
func (s *Server) serveFaulted(w http.ResponseWriter, rc *reqCtx, f *Fault, act func() result) int {
	if f == nil {
		res := act()
		writeResult(w, rc, res)
		return res.status
	}
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-rc.r.Context().Done():
			t.Stop()
			return 0
		case <-t.C:
		}
	}
	extra := http.Header{}
	if f.RetryAfter != "" {
		extra.Set("Retry-After", f.RetryAfter)
	}
	switch f.Mode {
	case FaultStatus:
		if f.Status == 0 {
			break
		}
		msg := http.StatusText(f.Status)
		if f.Status == http.StatusTooManyRequests {
			msg = "Rate limit exceeded, please retry later"
		}
		res := rc.fail(f.Status, "%s", msg)
		res.header = extra
		writeResult(w, rc, res)
		return f.Status
	case FaultDropBeforeAct:
		drop(w)
		return 0
	case FaultHTMLPage:
		writeRaw(w, nil, http.StatusBadGateway, extra, "text/html; charset=utf-8", []byte(htmlErrorPage))
		return http.StatusBadGateway
	}

	res := act()
	if f.LatencyAfterAct > 0 {
		t := time.NewTimer(f.LatencyAfterAct)
		select {
		case <-rc.r.Context().Done():
			t.Stop()
			return 0
		case <-t.C:
		}
	}
	for k, vs := range res.header {
		extra[k] = vs
	}
	res.header = extra
	switch f.Mode {
	case FaultCommitThenDrop:
		drop(w)
		return 0
	case FaultInvalidJSON:
		writeRaw(w, rc, http.StatusOK, res.header, "application/json", []byte(`{"id": 1, "name": `))
		return http.StatusOK
	case FaultEmptyBody:
		writeRaw(w, rc, http.StatusOK, res.header, "application/json", nil)
		return http.StatusOK
	case FaultHugeBody:
		writeRaw(w, rc, http.StatusOK, res.header, "application/json", hugeBody())
		return http.StatusOK
	case FaultStringID:
		res.body = stringIDs(res.body)
	case FaultNullConfigValue:
		res.body = nullOneConfigValue(res.body)
	case FaultSparseInstance:
		res.body = sparseInstance(res.body)
	case FaultInvalidates:
		res.body = s.invalidate(res.body)
	}
	writeResult(w, rc, res)
	return res.status
}

// drop closes the connection without a response.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // HTTP/2 or no hijacking: abort the response
}

func hugeBody() []byte {
	const size = 11 << 20
	var b bytes.Buffer
	b.Grow(size + 16)
	b.WriteString(`{"padding":"`)
	b.Write(bytes.Repeat([]byte("x"), size))
	b.WriteString(`"}`)
	return b.Bytes()
}

func stringIDs(body any) any {
	switch v := body.(type) {
	case instanceJSON:
		v.ID = itoa64(v.ID)
		return v
	case []instanceJSON:
		out := make([]instanceJSON, len(v))
		for i, in := range v {
			in.ID = itoa64(in.ID)
			out[i] = in
		}
		return out
	}
	return body
}

func itoa64(id any) any {
	if n, ok := id.(int64); ok {
		return strconv.FormatInt(n, 10)
	}
	return id
}

// nullKey picks the configuration key whose value a FaultNullConfigValue nulls.
func nullKey(keys []string) string {
	sort.Strings(keys)
	for _, k := range keys {
		if _, def := statedDefaults[k]; !def {
			return k
		}
	}
	if len(keys) > 0 {
		return keys[0]
	}
	return ""
}

func nullOneConfigValue(body any) any {
	nullIn := func(in instanceJSON) instanceJSON {
		keys := make([]string, 0, len(in.Configuration))
		for k := range in.Configuration {
			keys = append(keys, k)
		}
		if k := nullKey(keys); k != "" {
			in.Configuration[k] = nil
		}
		return in
	}
	switch v := body.(type) {
	case instanceJSON:
		return nullIn(v)
	case []instanceJSON:
		for i := range v {
			v[i] = nullIn(v[i])
		}
		return v
	}
	return body
}

// sparseInstance drops, from an instance answer, the fields that never
// change after a create.
func sparseInstance(body any) any {
	in, isInstance := body.(instanceJSON)
	if !isInstance {
		return body
	}
	raw, err := json.Marshal(in)
	if err != nil {
		return body
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return body
	}
	delete(m, "elementId")
	delete(m, "valid")
	delete(m, "createdDate")
	if e, isObject := m["element"].(map[string]any); isObject {
		delete(e, "id")
	}
	return m
}

// invalidate marks the answered instance invalid, in the store and in the
// answer.
func (s *Server) invalidate(body any) any {
	in, isInstance := body.(instanceJSON)
	if !isInstance {
		return body
	}
	id, _ := in.ID.(int64)
	s.mu.Lock()
	if rec := s.instances[id]; rec != nil {
		rec.inst.Valid = false
	}
	s.mu.Unlock()
	in.Valid = false
	return in
}
