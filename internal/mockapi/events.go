// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Event statuses of the event log (Server.Events, GET /__admin/instances/{id}/events).
const (
	EventNew        = "NEW"        // never left in the log: entries are logged as RECEIVED at once
	EventReceived   = "RECEIVED"   // logged; not (or not yet) dispatched; Note says why when it never will be
	EventDispatched = "DISPATCHED" // an attempt is in flight or a retry is pending
	EventNotified   = "NOTIFIED"   // the callback answered 2xx
	EventFailed     = "FAILED"     // the last attempt failed, or delivery was stopped (LastError says why)
)

// Defaults of the delivery options.
const (
	DefaultDeliveryAttempts = 10 // 1 + 9 retries, like the real API
	DefaultDeliveryTimeout  = 10 * time.Second
	maxDefaultBackoff       = 5 * time.Minute
	webhookBatch            = 20 // events per notification for webhook vendors
	pollingBatch            = 10 // ... and for polling vendors
	eventsRoute             = "/events/{elementKey}"
	notificationUserID      = 123456 // the sandbox user's id, as on instances
)

// ExponentialBackoff returns a delivery schedule: base after the first
// failed attempt, doubling after each further one, capped at max (max <= 0:
// no cap).
func ExponentialBackoff(base, max time.Duration) func(attempt int) time.Duration {
	return func(attempt int) time.Duration {
		d := base
		for i := 1; i < attempt; i++ {
			d *= 2
			if max > 0 && d >= max {
				return max
			}
		}
		if max > 0 && d > max {
			return max
		}
		return d
	}
}

// EventItem is one object-level event inside a notification.
type EventItem struct {
	Date       string `json:"date"` // RFC 3339
	ElementKey string `json:"elementKey"`
	EventType  string `json:"eventType"` // CREATED, UPDATED, DELETED or UNKNOWN
	ObjectID   string `json:"objectId"`
	ObjectType string `json:"objectType"`
}

// Event is one entry of an instance's event log: one notification to the
// callback URL. A vendor event carrying more events than fit one notification
// (20 for webhook vendors, 10 for polling) is logged as several entries, with
// ids <id>, <id>-2, <id>-3, ... where <id> is the id POST /events answered.
// EventType, ObjectID and ObjectType are those of the notification's first
// item; Items holds them all.
type Event struct {
	ID             string
	InstanceID     int64
	ElementKey     string
	Status         string // EventReceived, EventDispatched, EventNotified, EventFailed
	EventType      string
	ObjectID       string
	ObjectType     string
	Items          []EventItem
	CreatedDate    time.Time
	Attempts       int             // delivery attempts made so far
	LastStatusCode int             // status of the last attempt; 0 if none or no response
	LastError      string          // why the last attempt failed or delivery stopped; "" on success
	Note           string          // why the event was not dispatched at all ("" when it was)
	Raw            json.RawMessage // the vendor payload as received (null when the body was empty)
	Body           []byte          // the notification body sent (also set, unsent, when not dispatched)
	Headers        http.Header     // headers of the last attempt; nil when never sent
}

func (e *Event) clone() Event {
	out := *e
	out.Items = append([]EventItem(nil), e.Items...)
	out.Raw = append(json.RawMessage(nil), e.Raw...)
	out.Body = append([]byte(nil), e.Body...)
	out.Headers = e.Headers.Clone()
	return out
}

// eventJSON is an event log entry as GET /__admin/instances/{id}/events answers it.
type eventJSON struct {
	ID             string      `json:"id"`
	InstanceID     int64       `json:"instanceId"`
	ElementKey     string      `json:"elementKey"`
	Status         string      `json:"status"`
	EventType      string      `json:"eventType"`
	ObjectID       string      `json:"objectId"`
	ObjectType     string      `json:"objectType"`
	CreatedDate    string      `json:"createdDate"`
	Attempts       int         `json:"attempts"`
	LastStatusCode int         `json:"lastStatusCode"`
	LastError      string      `json:"lastError,omitempty"`
	Note           string      `json:"note,omitempty"`
	Events         []EventItem `json:"events"`
}

func toEventJSON(e *Event) eventJSON {
	return eventJSON{
		ID: e.ID, InstanceID: e.InstanceID, ElementKey: e.ElementKey, Status: e.Status,
		EventType: e.EventType, ObjectID: e.ObjectID, ObjectType: e.ObjectType,
		CreatedDate: e.CreatedDate.UTC().Format(time.RFC3339),
		Attempts:    e.Attempts, LastStatusCode: e.LastStatusCode, LastError: e.LastError, Note: e.Note,
		Events: append([]EventItem{}, e.Items...),
	}
}

// Events returns copies of an instance's event log entries, newest first;
// nil when the instance does not exist.
func (s *Server) Events(id int64) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.instances[id]
	if !ok {
		return nil
	}
	out := make([]Event, 0, len(rec.events))
	for i := len(rec.events) - 1; i >= 0; i-- {
		out = append(out, rec.events[i].clone())
	}
	return out
}

// WaitForDeliveries blocks until no delivery is in flight or waiting for a
// retry, or until ctx ends (then it returns ctx.Err()).
func (s *Server) WaitForDeliveries(ctx context.Context) error {
	s.mu.Lock()
	idle := s.idle
	s.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops background deliveries: in-flight attempts are cancelled,
// pending retries dropped (those events end FAILED with LastError saying
// so), and events received afterwards are logged but not dispatched. It waits
// for the delivery goroutines to return. Safe to call more than once. The
// API keeps serving.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	idle := s.idle
	s.mu.Unlock()
	s.stop()
	<-idle
	if s.ownClient {
		s.client.CloseIdleConnections()
	}
}

// startDelivery and endDelivery count deliveries in flight (s.mu held).
func (s *Server) startDelivery() {
	if s.inflight == 0 {
		s.idle = make(chan struct{})
	}
	s.inflight++
}

func (s *Server) endDelivery() {
	s.inflight--
	if s.inflight == 0 {
		close(s.idle)
	}
}

// ingestResponse is the answer of POST /events/{elementKey}.
type ingestResponse struct {
	ID       string   `json:"id"`
	Status   string   `json:"status"`
	EventIDs []string `json:"eventIds"`
}

// ingestEvent serves POST /events/{elementKey} (s.mu held). fullAuth tells
// whether the caller proved the user and organization secrets (always true
// for the admin route); the Element token, if any, comes from the
// Authorization header.
func (s *Server) ingestEvent(rc *reqCtx, fullAuth bool) result {
	key := rc.rm.params["elementKey"]
	var rec *record
	if rc.query.Has("elementInstanceId") {
		if !fullAuth {
			return rc.fail(http.StatusUnauthorized, "Invalid Organization or User secret, or invalid Element token provided.")
		}
		v := rc.query.Get("elementInstanceId")
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return rc.fail(http.StatusBadRequest, "Invalid elementInstanceId '%s': must be a number", v)
		}
		if rec = s.instances[id]; rec == nil {
			return rc.fail(http.StatusNotFound, "No instance found with id %d", id)
		}
	} else {
		tok := elementToken(rc.r.Header.Get("Authorization"))
		if tok == "" {
			return rc.fail(http.StatusBadRequest, "The instance is required: give elementInstanceId or an Element token")
		}
		if rec = s.recordByToken(tok); rec == nil {
			return rc.fail(http.StatusNotFound, "No instance found for the given Element token")
		}
	}
	if rec.inst.ElementKey != key {
		return rc.fail(http.StatusBadRequest, "Element key '%s' does not match instance %d of element '%s'", key, rec.inst.ID, rec.inst.ElementKey)
	}
	raw := json.RawMessage("null")
	if len(bytes.TrimSpace(rc.body)) > 0 {
		var buf bytes.Buffer
		if err := json.Compact(&buf, rc.body); err != nil {
			return rc.fail(http.StatusBadRequest, "malformed JSON request body: %v", err)
		}
		raw = buf.Bytes()
	}
	ids := s.receive(rec, raw)
	return ok(ingestResponse{ID: ids[0], Status: EventReceived, EventIDs: ids})
}

// elementToken returns the token of an Authorization header that is either
// "Element <token>" alone or the full "User .., Organization .., Element ..".
func elementToken(h string) string {
	parts := strings.Split(h, ",")
	last := strings.Fields(parts[len(parts)-1])
	if (len(parts) == 1 || len(parts) == 3) && len(last) == 2 && last[0] == "Element" {
		return last[1]
	}
	return ""
}

// elementOnlyAuth reports whether h is "Element <token>" for a live instance
// (s.mu held).
func (s *Server) elementOnlyAuth(h string) bool {
	if strings.Contains(h, ",") {
		return false
	}
	tok := elementToken(h)
	return tok != "" && s.recordByToken(tok) != nil
}

// receive logs a vendor payload for rec, split into notifications, and
// starts their delivery when the instance is set up for it (s.mu held).
// Returns the ids of the log entries created.
func (s *Server) receive(rec *record, raw json.RawMessage) []string {
	now := s.now().UTC()
	in := rec.inst
	items := parseVendorEvents(raw, in.ElementKey, now)
	batch := webhookBatch
	if in.Configuration["event.vendor.type"] == "polling" {
		batch = pollingBatch
	}
	cfg := in.Configuration
	callback := cfg["event.notification.callback.url"]
	note := ""
	switch {
	case !strings.EqualFold(cfg["event.notification.enabled"], "true"):
		note = "not dispatched: events are disabled (event.notification.enabled is not true)"
	case in.Disabled:
		note = "not dispatched: the instance is disabled"
	case callback == "":
		note = "not dispatched: no callback URL (event.notification.callback.url)"
	case s.closed:
		note = "not dispatched: the mock server is closed"
	}
	base := newRequestID()
	var ids []string
	for n, start := 1, 0; start < len(items); n, start = n+1, start+batch {
		chunk := items[start:min(start+batch, len(items))]
		id := base
		if n > 1 {
			id = base + "-" + strconv.Itoa(n)
		}
		ev := &Event{
			ID: id, InstanceID: in.ID, ElementKey: in.ElementKey, Status: EventReceived,
			EventType: chunk[0].EventType, ObjectID: chunk[0].ObjectID, ObjectType: chunk[0].ObjectType,
			Items: append([]EventItem(nil), chunk...), CreatedDate: now, Note: note,
			Raw: append(json.RawMessage(nil), raw...),
		}
		ev.Body = notificationBody(ev)
		rec.events = append(rec.events, ev)
		ids = append(ids, id)
		if formulasListen(cfg, in.Disabled) {
			s.runFormulas(in.ID, id)
		}
		if note != "" {
			continue
		}
		hdr := http.Header{}
		hdr.Set("Content-Type", "application/json")
		hdr.Set("User-Agent", "cloudelements-mock")
		hdr.Set("Elements-Webhook-Id", id)
		if key := cfg["event.notification.signature.key"]; key != "" {
			hdr.Set("Elements-Webhook-Signature", Sign(key, ev.Body))
		}
		s.startDelivery()
		go s.deliver(ev, in.ID, callback, ev.Body, hdr)
	}
	return ids
}

// Sign returns the Elements-Webhook-Signature value of body under key:
// "sha256=" + base64(HMAC-SHA256(key, body)).
func Sign(key string, body []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return "sha256=" + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// notificationJSON is a notification body: the vendor pages' top-level
// eventId, instanceId, response.events and notificationId, and the message
// object the vendor's test suite reads. The mock has one id per
// notification; eventId, notificationId, message.eventId and the
// Elements-Webhook-Id header all carry it.
type notificationJSON struct {
	EventID    string `json:"eventId"`
	InstanceID int64  `json:"instanceId"`
	Response   struct {
		Events []EventItem `json:"events"`
	} `json:"response"`
	NotificationID string `json:"notificationId"`
	Message        struct {
		EventID    string          `json:"eventId"`
		UserID     int64           `json:"userId"`
		InstanceID int64           `json:"instanceId"`
		ElementKey string          `json:"elementKey"`
		Raw        json.RawMessage `json:"raw"`
		Events     []EventItem     `json:"events"`
	} `json:"message"`
}

func notificationBody(ev *Event) []byte {
	var n notificationJSON
	n.EventID, n.InstanceID, n.NotificationID = ev.ID, ev.InstanceID, ev.ID
	n.Response.Events = ev.Items
	n.Message.EventID = ev.ID
	n.Message.UserID = notificationUserID
	n.Message.InstanceID = ev.InstanceID
	n.Message.ElementKey = ev.ElementKey
	n.Message.Raw = ev.Raw
	n.Message.Events = ev.Items
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(n) // cannot fail: Raw is compacted valid JSON
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// parseVendorEvents reads the optional simple shapes {"objectType", "objectId",
// "eventType"[, "date"]} and {"events": [...]}; anything else is one UNKNOWN
// event. Always returns at least one item.
func parseVendorEvents(raw json.RawMessage, elementKey string, now time.Time) []EventItem {
	unknown := []EventItem{{Date: now.Format(time.RFC3339), ElementKey: elementKey, EventType: "UNKNOWN"}}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil || obj == nil {
		return unknown
	}
	var fields []map[string]json.RawMessage
	if evs, has := obj["events"]; has {
		if json.Unmarshal(evs, &fields) != nil || len(fields) == 0 {
			return unknown
		}
	} else {
		_, t := obj["objectType"]
		_, i := obj["objectId"]
		_, e := obj["eventType"]
		if !t && !i && !e {
			return unknown
		}
		fields = []map[string]json.RawMessage{obj}
	}
	out := make([]EventItem, 0, len(fields))
	for _, f := range fields {
		it := EventItem{Date: now.Format(time.RFC3339), ElementKey: elementKey, EventType: "UNKNOWN"}
		str := func(k string) string {
			if v, err := scalarString(f[k]); err == nil && v != nil {
				return *v
			}
			return ""
		}
		it.ObjectType, it.ObjectID = str("objectType"), str("objectId")
		switch et := strings.ToUpper(str("eventType")); et {
		case "CREATED", "UPDATED", "DELETED":
			it.EventType = et
		}
		if d, err := time.Parse(time.RFC3339, str("date")); err == nil {
			it.Date = d.UTC().Format(time.RFC3339)
		}
		out = append(out, it)
	}
	return out
}

// deliver POSTs one notification until it is answered 2xx, the attempts are
// used up, the instance is deleted or the server is closed. It runs in its
// own goroutine and holds s.mu only to update the log entry.
func (s *Server) deliver(ev *Event, instID int64, callback string, body []byte, hdr http.Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.endDelivery()
	stop := func(why string) {
		ev.Status = EventFailed
		ev.LastError = why
	}
	for attempt := 1; ; attempt++ {
		switch {
		case s.closed:
			stop("delivery stopped: the mock server was closed")
			return
		case s.instances[instID] == nil:
			stop("delivery stopped: the instance was deleted")
			return
		}
		ev.Status = EventDispatched
		ev.Attempts = attempt
		ev.Headers = hdr.Clone()
		s.mu.Unlock()
		code, err := s.post(callback, body, hdr)
		s.mu.Lock()
		ev.LastStatusCode = code
		switch {
		case err == nil && code >= 200 && code < 300:
			ev.Status = EventNotified
			ev.LastError = ""
			return
		case err != nil:
			ev.LastError = err.Error()
		default:
			ev.LastError = fmt.Sprintf("callback answered %d %s", code, http.StatusText(code))
		}
		if attempt >= s.attempts {
			ev.Status = EventFailed
			return
		}
		if s.closed {
			stop("delivery stopped: the mock server was closed")
			return
		}
		s.mu.Unlock()
		t := time.NewTimer(s.backoff(attempt)) // called without s.mu: it may call back into s
		select {
		case <-t.C:
		case <-s.ctx.Done():
			t.Stop()
		}
		s.mu.Lock()
	}
}

// post makes one delivery attempt; it returns the status code (0 without a
// response) and a transport error.
func (s *Server) post(callback string, body []byte, hdr http.Header) (int, error) {
	ctx, cancel := context.WithTimeout(s.ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, callback, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header = hdr.Clone()
	res, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20))
	_ = res.Body.Close()
	return res.StatusCode, nil
}
