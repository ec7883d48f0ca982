// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// tiny is the retry delay tests configure.
func tiny(int) time.Duration { return time.Millisecond }

// delivery is one request a receiver got.
type delivery struct {
	header http.Header
	body   []byte
}

// receiver is an httptest callback endpoint; answer picks the status of the
// n-th request (from 1); status 0 drops the connection.
type receiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []delivery
	answer func(n int, w http.ResponseWriter, r *http.Request) int
}

func newReceiver(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request) int) *receiver {
	t.Helper()
	rv := &receiver{answer: answer}
	rv.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("receiver read: %v", err)
		}
		rv.mu.Lock()
		rv.got = append(rv.got, delivery{header: r.Header.Clone(), body: b})
		n := len(rv.got)
		rv.mu.Unlock()
		status := 200
		if rv.answer != nil {
			status = rv.answer(n, w, r)
		}
		if status == 0 {
			hj, _ := w.(http.Hijacker)
			conn, _, err := hj.Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(rv.srv.Close)
	return rv
}

func (rv *receiver) deliveries() []delivery {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	return append([]delivery(nil), rv.got...)
}

// eventsInstance creates a fake instance with events on and the given
// callback and extra configuration; returns its id and token.
func (h *harness) eventsInstance(callback string, extra map[string]any) (int64, string) {
	h.t.Helper()
	cfg := map[string]any{"event.notification.enabled": true, "event.vendor.type": "webhook",
		"event.notification.callback.url": callback}
	for k, v := range extra {
		cfg[k] = v
	}
	m := h.create(map[string]any{"name": "ev", "configuration": cfg})
	return idOf(h.t, m), m["token"].(string)
}

func (h *harness) postEvent(id int64, key string, body any, hdr ...string) resp {
	h.t.Helper()
	return h.do("POST", fmt.Sprintf("/events/%s?elementInstanceId=%d", key, id), body, hdr...)
}

func (h *harness) wait() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.s.WaitForDeliveries(ctx); err != nil {
		h.t.Fatalf("WaitForDeliveries: %v", err)
	}
}

type eventItemJSON struct {
	Date       string `json:"date"`
	ElementKey string `json:"elementKey"`
	EventType  string `json:"eventType"`
	ObjectID   string `json:"objectId"`
	ObjectType string `json:"objectType"`
}

type notification struct {
	EventID    string `json:"eventId"`
	InstanceID int64  `json:"instanceId"`
	Response   struct {
		Events []eventItemJSON `json:"events"`
	} `json:"response"`
	NotificationID string `json:"notificationId"`
	Message        struct {
		EventID    string          `json:"eventId"`
		UserID     int64           `json:"userId"`
		InstanceID int64           `json:"instanceId"`
		ElementKey string          `json:"elementKey"`
		Raw        json.RawMessage `json:"raw"`
		Events     []eventItemJSON `json:"events"`
	} `json:"message"`
}

func decodeNotification(t *testing.T, b []byte) notification {
	t.Helper()
	var n notification
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&n); err != nil {
		t.Fatalf("notification %s: %v", b, err)
	}
	return n
}

func TestEventDeliverySigned(t *testing.T) {
	rv := newReceiver(t, nil)
	h := newHarness(t, Options{DeliveryBackoff: tiny, Now: fixedClock()})
	id, _ := h.eventsInstance(rv.srv.URL+"/hook", map[string]any{"event.notification.signature.key": "s3cr3t"})

	r := h.postEvent(id, "fake", `{"objectType":"contacts","objectId":"42","eventType":"CREATED"}`)
	wantStatus(t, r, 200)
	var ack struct{ ID, Status string }
	r.json(t, &ack)
	if ack.ID == "" || ack.Status != "RECEIVED" {
		t.Fatalf("ack %s", r.body)
	}
	h.wait()

	got := rv.deliveries()
	if len(got) != 1 {
		t.Fatalf("%d deliveries", len(got))
	}
	d := got[0]
	if ct := d.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if d.header.Get("Elements-Webhook-Id") != ack.ID {
		t.Errorf("Elements-Webhook-Id %q, want %q", d.header.Get("Elements-Webhook-Id"), ack.ID)
	}
	// recompute the signature independently over the raw bytes received
	mac := hmac.New(sha256.New, []byte("s3cr3t"))
	mac.Write(d.body)
	want := "sha256=" + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if sig := d.header.Get("Elements-Webhook-Signature"); !hmac.Equal([]byte(sig), []byte(want)) {
		t.Errorf("signature %q, want %q", sig, want)
	}

	n := decodeNotification(t, d.body)
	m := n.Message
	if m.EventID != ack.ID || m.UserID != 123456 || m.InstanceID != id || m.ElementKey != "fake" {
		t.Errorf("message %s", d.body)
	}
	// the vendor pages' top-level shape, beside the message
	if n.EventID != ack.ID || n.NotificationID != ack.ID || n.InstanceID != id ||
		!reflect.DeepEqual(n.Response.Events, m.Events) {
		t.Errorf("top level %s", d.body)
	}
	if !strings.HasPrefix(string(d.body), `{"eventId":"`+ack.ID+`","instanceId":`) {
		t.Errorf("field order %s", d.body)
	}
	if string(m.Raw) != `{"objectType":"contacts","objectId":"42","eventType":"CREATED"}` {
		t.Errorf("raw %s", m.Raw)
	}
	if len(m.Events) != 1 {
		t.Fatalf("events %s", d.body)
	}
	e := m.Events[0]
	if e.EventType != "CREATED" || e.ObjectID != "42" || e.ObjectType != "contacts" || e.ElementKey != "fake" || e.Date != "2017-11-30T21:53:35Z" {
		t.Errorf("event %+v", e)
	}

	log := h.s.Events(id)
	if len(log) != 1 {
		t.Fatalf("log %+v", log)
	}
	ev := log[0]
	if ev.ID != ack.ID || ev.Status != EventNotified || ev.Attempts != 1 || ev.LastStatusCode != 200 || ev.LastError != "" ||
		ev.EventType != "CREATED" || ev.ObjectID != "42" || ev.ObjectType != "contacts" || ev.Note != "" {
		t.Errorf("log entry %+v", ev)
	}
	if string(ev.Body) != string(d.body) || ev.Headers.Get("Elements-Webhook-Signature") != want {
		t.Errorf("log body/headers %s %v", ev.Body, ev.Headers)
	}
	// the hook hands out copies
	log[0].Body[0], log[0].Headers = 'X', nil
	if h.s.Events(id)[0].Body[0] != '{' || h.s.Events(id)[0].Headers == nil {
		t.Error("Events shares storage")
	}

	if h.s.RequestCount("POST", "/events/{elementKey}") != 1 {
		t.Errorf("RequestCount %d", h.s.RequestCount("POST", "/events/{elementKey}"))
	}
}

func TestEventDeliveryUnsignedAndOrder(t *testing.T) {
	rv := newReceiver(t, nil)
	h := newHarness(t, Options{DeliveryBackoff: tiny})
	id, _ := h.eventsInstance(rv.srv.URL, map[string]any{"event.notification.signature.key": ""})
	wantStatus(t, h.postEvent(id, "fake", map[string]any{"objectType": "a", "objectId": 1, "eventType": "updated"}), 200)
	wantStatus(t, h.postEvent(id, "fake", map[string]any{"vendor": "thing"}), 200)
	h.wait()
	got := rv.deliveries()
	if len(got) != 2 {
		t.Fatalf("%d deliveries", len(got))
	}
	for _, d := range got {
		if _, has := d.header["Elements-Webhook-Signature"]; has {
			t.Errorf("signature sent without a key: %v", d.header)
		}
		if d.header.Get("Elements-Webhook-Id") == "" {
			t.Error("no Elements-Webhook-Id")
		}
	}
	log := h.s.Events(id) // newest first
	if len(log) != 2 || log[0].EventType != "UNKNOWN" || log[1].EventType != "UPDATED" || log[1].ObjectID != "1" {
		t.Fatalf("log %+v", log)
	}
	if log[0].ObjectID != "" || log[0].ObjectType != "" || string(log[0].Raw) != `{"vendor":"thing"}` {
		t.Errorf("unknown entry %+v", log[0])
	}
	if log[0].ID == log[1].ID {
		t.Error("ids repeat")
	}
}

func TestEventShapes(t *testing.T) {
	now := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		raw  string
		want []EventItem
	}{
		{`null`, []EventItem{{EventType: "UNKNOWN"}}},
		{`[1,2]`, []EventItem{{EventType: "UNKNOWN"}}},
		{`{"events":[]}`, []EventItem{{EventType: "UNKNOWN"}}},
		{`{"events":"x"}`, []EventItem{{EventType: "UNKNOWN"}}},
		{`{"objectType":"c","eventType":"MOVED"}`, []EventItem{{EventType: "UNKNOWN", ObjectType: "c"}}},
		{`{"events":[{"objectType":"c","objectId":7,"eventType":"deleted","date":"2019-05-06T07:08:09+02:00"},{"eventType":"CREATED"}]}`,
			[]EventItem{{EventType: "DELETED", ObjectType: "c", ObjectID: "7", Date: "2019-05-06T05:08:09Z"}, {EventType: "CREATED"}}},
	}
	for _, c := range cases {
		got := parseVendorEvents(json.RawMessage(c.raw), "k", now)
		if len(got) != len(c.want) {
			t.Errorf("%s: %+v", c.raw, got)
			continue
		}
		for i, w := range c.want {
			w.ElementKey = "k"
			if w.Date == "" {
				w.Date = "2020-01-02T03:04:05Z"
			}
			if got[i] != w {
				t.Errorf("%s [%d]: %+v, want %+v", c.raw, i, got[i], w)
			}
		}
	}

	// an empty body is accepted: raw null, one UNKNOWN event
	rv := newReceiver(t, nil)
	h := newHarness(t, Options{})
	id, _ := h.eventsInstance(rv.srv.URL, nil)
	wantStatus(t, h.postEvent(id, "fake", nil), 200)
	h.wait()
	n := decodeNotification(t, rv.deliveries()[0].body)
	if string(n.Message.Raw) != "null" || len(n.Message.Events) != 1 || n.Message.Events[0].EventType != "UNKNOWN" {
		t.Errorf("notification %+v", n)
	}
}

func TestEventSplit(t *testing.T) {
	batch := func(n int) map[string]any {
		evs := make([]map[string]any, n)
		for i := range evs {
			evs[i] = map[string]any{"objectType": "contacts", "objectId": fmt.Sprint(i), "eventType": "UPDATED"}
		}
		return map[string]any{"events": evs}
	}
	for _, c := range []struct {
		vendorType string
		n          int
		sizes      []int
	}{
		{"webhook", 45, []int{20, 20, 5}},
		{"webhooks", 20, []int{20}},
		{"polling", 25, []int{10, 10, 5}},
	} {
		t.Run(c.vendorType, func(t *testing.T) {
			rv := newReceiver(t, nil)
			h := newHarness(t, Options{})
			id, _ := h.eventsInstance(rv.srv.URL, map[string]any{"event.vendor.type": c.vendorType})
			r := h.postEvent(id, "fake", batch(c.n))
			wantStatus(t, r, 200)
			var ack struct {
				ID       string
				EventIDs []string
			}
			r.json(t, &ack)
			h.wait()
			got := rv.deliveries()
			if len(got) != len(c.sizes) || len(ack.EventIDs) != len(c.sizes) {
				t.Fatalf("%d deliveries, ack %s", len(got), r.body)
			}
			seen := map[string]bool{}
			objects := map[string]bool{}
			sizes := map[int]int{}
			for _, d := range got {
				n := decodeNotification(t, d.body)
				if n.Message.EventID != d.header.Get("Elements-Webhook-Id") || seen[n.Message.EventID] {
					t.Errorf("webhook id %q / %q", n.Message.EventID, d.header.Get("Elements-Webhook-Id"))
				}
				seen[n.Message.EventID] = true
				sizes[len(n.Message.Events)]++
				for _, e := range n.Message.Events {
					objects[e.ObjectID] = true
				}
			}
			if len(objects) != c.n {
				t.Errorf("%d distinct objects delivered, want %d", len(objects), c.n)
			}
			want := map[int]int{}
			for _, s := range c.sizes {
				want[s]++
			}
			if fmt.Sprint(sizes) != fmt.Sprint(want) {
				t.Errorf("batch sizes %v, want %v", sizes, want)
			}
			for i, eid := range ack.EventIDs {
				w := ack.ID
				if i > 0 {
					w = fmt.Sprintf("%s-%d", ack.ID, i+1)
				}
				if eid != w || !seen[eid] {
					t.Errorf("event id %d = %q, want %q (delivered %v)", i, eid, w, seen[eid])
				}
			}
			log := h.s.Events(id)
			if len(log) != len(c.sizes) || log[len(log)-1].ID != ack.ID || len(log[len(log)-1].Items) != c.sizes[0] {
				t.Errorf("log %+v", log)
			}
			for _, e := range log {
				if e.Status != EventNotified {
					t.Errorf("entry %s status %s", e.ID, e.Status)
				}
			}
		})
	}
}

func TestEventRetryUntilSuccess(t *testing.T) {
	rv := newReceiver(t, func(n int, _ http.ResponseWriter, _ *http.Request) int {
		switch n {
		case 1:
			return 500
		case 2:
			return 0 // connection error
		}
		return 204
	})
	var mu sync.Mutex
	var calls []int
	h := newHarness(t, Options{DeliveryBackoff: func(a int) time.Duration {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, a)
		return time.Millisecond
	}})
	id, _ := h.eventsInstance(rv.srv.URL, map[string]any{"event.notification.signature.key": "k"})
	wantStatus(t, h.postEvent(id, "fake", `{"objectType":"x","objectId":"1","eventType":"CREATED"}`), 200)
	h.wait()
	got := rv.deliveries()
	if len(got) != 3 {
		t.Fatalf("%d attempts", len(got))
	}
	for _, d := range got[1:] {
		if string(d.body) != string(got[0].body) || d.header.Get("Elements-Webhook-Signature") != got[0].header.Get("Elements-Webhook-Signature") ||
			d.header.Get("Elements-Webhook-Id") != got[0].header.Get("Elements-Webhook-Id") {
			t.Error("retries differ from the first attempt")
		}
	}
	ev := h.s.Events(id)[0]
	if ev.Status != EventNotified || ev.Attempts != 3 || ev.LastStatusCode != 204 || ev.LastError != "" {
		t.Errorf("entry %+v", ev)
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(calls) != "[1 2]" {
		t.Errorf("backoff called with %v", calls)
	}
}

func TestEventGiveUp(t *testing.T) {
	for _, c := range []struct{ opt, want int }{{3, 3}, {0, 10}} {
		rv := newReceiver(t, func(int, http.ResponseWriter, *http.Request) int { return 503 })
		h := newHarness(t, Options{DeliveryAttempts: c.opt, DeliveryBackoff: tiny})
		id, _ := h.eventsInstance(rv.srv.URL, nil)
		wantStatus(t, h.postEvent(id, "fake", `{}`), 200)
		h.wait()
		if n := len(rv.deliveries()); n != c.want {
			t.Errorf("DeliveryAttempts %d: %d attempts, want %d", c.opt, n, c.want)
		}
		ev := h.s.Events(id)[0]
		if ev.Status != EventFailed || ev.Attempts != c.want || ev.LastStatusCode != 503 || !strings.Contains(ev.LastError, "503") {
			t.Errorf("entry %+v", ev)
		}
	}

	// an unreachable callback: connection errors, status code 0
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	h := newHarness(t, Options{DeliveryAttempts: 2, DeliveryBackoff: tiny})
	id, _ := h.eventsInstance(dead.URL, nil)
	wantStatus(t, h.postEvent(id, "fake", `{}`), 200)
	h.wait()
	ev := h.s.Events(id)[0]
	if ev.Status != EventFailed || ev.Attempts != 2 || ev.LastStatusCode != 0 || ev.LastError == "" {
		t.Errorf("entry %+v", ev)
	}
}

func TestEventNotDispatched(t *testing.T) {
	rv := newReceiver(t, nil)
	h := newHarness(t, Options{DeliveryBackoff: tiny})
	off, _ := h.eventsInstance(rv.srv.URL, map[string]any{"event.notification.enabled": "false"})
	disabled, _ := h.eventsInstance(rv.srv.URL, nil)
	wantStatus(t, h.do("DELETE", "/instances/"+itoa(disabled)+"/enabled", nil), 200)
	noURL, _ := h.eventsInstance("", nil)

	for _, c := range []struct {
		id   int64
		note string
	}{{off, "events are disabled"}, {disabled, "instance is disabled"}, {noURL, "no callback URL"}} {
		r := h.postEvent(c.id, "fake", `{"objectType":"x","objectId":"1","eventType":"DELETED"}`)
		wantStatus(t, r, 200)
		h.wait()
		log := h.s.Events(c.id)
		if len(log) != 1 || log[0].Status != EventReceived || !strings.Contains(log[0].Note, c.note) ||
			log[0].Attempts != 0 || log[0].Headers != nil || log[0].EventType != "DELETED" {
			t.Errorf("instance %d: log %+v", c.id, log)
		}
	}
	if n := len(rv.deliveries()); n != 0 {
		t.Errorf("%d deliveries", n)
	}
	var wire []map[string]any
	h.doURL("GET", fmt.Sprintf("%s/__admin/instances/%d/events", h.srv.URL, off), nil).json(t, &wire)
	if len(wire) != 1 || wire[0]["status"] != "RECEIVED" || !strings.Contains(fmt.Sprint(wire[0]["note"]), "disabled") {
		t.Errorf("wire %v", wire)
	}
}

func TestEventAuthAndErrors(t *testing.T) {
	rv := newReceiver(t, nil)
	h := newHarness(t, Options{})
	id, tok := h.eventsInstance(rv.srv.URL, nil)
	other, otherTok := h.eventsInstance(rv.srv.URL, nil)
	hub := h.s.Seed(Instance{Name: "hub", ElementKey: "hubspot"})
	body := `{"objectType":"x","objectId":"1","eventType":"CREATED"}`

	// token only: the vendor's form
	wantStatus(t, h.do("POST", "/events/fake", body, "Authorization", "Element "+tok), 200)
	wantStatus(t, h.do("POST", "/events/fake", body, "Authorization", "  Element   "+otherTok+" "), 200)
	// the full form with an Element token, no elementInstanceId
	wantStatus(t, h.do("POST", "/events/fake", body, "Authorization", testAuth+", Element "+tok), 200)
	h.wait()
	if len(h.s.Events(id)) != 2 || len(h.s.Events(other)) != 1 || len(rv.deliveries()) != 3 {
		t.Errorf("logs %d/%d, deliveries %d", len(h.s.Events(id)), len(h.s.Events(other)), len(rv.deliveries()))
	}

	cases := []struct {
		name, path, auth string
		want             int
	}{
		{"dead token", "/events/fake", "Element nope", 401},
		{"no auth", "/events/fake", "", 401},
		{"token only with elementInstanceId", "/events/fake?elementInstanceId=" + itoa(id), "Element " + tok, 401},
		{"bearer", "/events/fake", "Bearer " + tok, 401},
		{"no instance named", "/events/fake", testAuth, 400},
		{"unknown instance", "/events/fake?elementInstanceId=999999", testAuth, 404},
		{"non-numeric instance", "/events/fake?elementInstanceId=abc", testAuth, 400},
		{"key mismatch by id", "/events/hubspot?elementInstanceId=" + itoa(id), testAuth, 400},
		{"key mismatch by token", "/events/fake", "Element " + hub.Token, 400},
		{"unknown key", "/events/nope?elementInstanceId=" + itoa(hub.ID), testAuth, 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantStatus(t, h.do("POST", c.path, body, "Authorization", c.auth), c.want)
		})
	}
	wantStatus(t, h.postEvent(id, "fake", `{"a":`), 400)
	wantStatus(t, h.postEvent(id, "fake", `{}`, "Content-Type", "text/plain"), 415)
	r := h.do("GET", "/events/fake", nil, "Authorization", "Element "+tok)
	wantStatus(t, r, 405)
	if r.header.Get("Allow") != "POST" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	// token-only auth is for the events route alone
	wantStatus(t, h.do("GET", "/instances", nil, "Authorization", "Element "+tok), 401)
	wantStatus(t, h.do("GET", "/instances/"+itoa(id), nil, "Authorization", "Element "+tok), 401)
	// a matching hubspot event passes
	wantStatus(t, h.postEvent(hub.ID, "hubspot", `{}`), 200)
	h.wait()
	if h.s.RequestCount("POST", "/events/{elementKey}") != 3+len(cases)+3 {
		t.Errorf("RequestCount %d", h.s.RequestCount("POST", "/events/{elementKey}"))
	}
}

func TestEventInstanceDeletedStopsRetries(t *testing.T) {
	rv := newReceiver(t, func(int, http.ResponseWriter, *http.Request) int { return 500 })
	var h *harness
	var id int64
	h = newHarness(t, Options{DeliveryBackoff: func(int) time.Duration {
		h.s.Remove(id)
		return time.Millisecond
	}})
	id, _ = h.eventsInstance(rv.srv.URL, nil)
	wantStatus(t, h.postEvent(id, "fake", `{}`), 200)
	h.wait()
	if n := len(rv.deliveries()); n != 1 {
		t.Errorf("%d attempts after the instance was deleted", n)
	}
}

func TestWaitForDeliveries(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	rv := newReceiver(t, func(int, http.ResponseWriter, *http.Request) int {
		arrived <- struct{}{}
		<-release
		return 200
	})
	h := newHarness(t, Options{})
	if err := h.s.WaitForDeliveries(context.Background()); err != nil {
		t.Fatalf("idle server: %v", err)
	}
	id, _ := h.eventsInstance(rv.srv.URL, nil)
	wantStatus(t, h.postEvent(id, "fake", `{}`), 200)
	<-arrived
	if st := h.s.Events(id)[0].Status; st != EventDispatched {
		t.Errorf("status while in flight %s", st)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := h.s.WaitForDeliveries(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("WaitForDeliveries with a cancelled ctx: %v", err)
	}
	close(release)
	h.wait()
	if st := h.s.Events(id)[0].Status; st != EventNotified {
		t.Errorf("status %s", st)
	}
}

func TestCloseStopsDeliveries(t *testing.T) {
	// a pending retry is dropped
	arrived := make(chan struct{}, 10)
	rv := newReceiver(t, func(int, http.ResponseWriter, *http.Request) int {
		arrived <- struct{}{}
		return 500
	})
	h := newHarness(t, Options{DeliveryBackoff: func(int) time.Duration { return time.Hour }})
	id, _ := h.eventsInstance(rv.srv.URL, nil)
	wantStatus(t, h.postEvent(id, "fake", `{}`), 200)
	<-arrived
	h.s.Close()
	h.s.Close() // twice is fine
	h.wait()
	if n := len(rv.deliveries()); n != 1 {
		t.Errorf("%d attempts", n)
	}
	ev := h.s.Events(id)[0]
	if ev.Status != EventFailed || ev.Attempts != 1 || !strings.Contains(ev.LastError, "closed") {
		t.Errorf("entry %+v", ev)
	}
	// events after Close are logged, not dispatched
	wantStatus(t, h.postEvent(id, "fake", `{}`), 200)
	h.wait()
	if ev := h.s.Events(id)[0]; ev.Status != EventReceived || !strings.Contains(ev.Note, "closed") || len(rv.deliveries()) != 1 {
		t.Errorf("after close %+v", ev)
	}

	// an attempt in flight is cancelled
	inflight := make(chan struct{}, 1)
	blocking := newReceiver(t, func(_ int, _ http.ResponseWriter, r *http.Request) int {
		inflight <- struct{}{}
		<-r.Context().Done()
		return 200
	})
	h2 := newHarness(t, Options{})
	id2, _ := h2.eventsInstance(blocking.srv.URL, nil)
	wantStatus(t, h2.postEvent(id2, "fake", `{}`), 200)
	<-inflight
	h2.s.Close()
	if ev := h2.s.Events(id2)[0]; ev.Status != EventFailed || ev.Attempts != 1 {
		t.Errorf("cancelled entry %+v", ev)
	}
}

func TestEventAdminEndpoints(t *testing.T) {
	rv := newReceiver(t, nil)
	h := newHarness(t, Options{})
	id, tok := h.eventsInstance(rv.srv.URL, map[string]any{"event.notification.signature.key": "k"})
	r := h.doURL("POST", fmt.Sprintf("%s/__admin/events/fake?elementInstanceId=%d", h.srv.URL, id),
		`{"objectType":"deals","objectId":"9","eventType":"UPDATED"}`)
	wantStatus(t, r, 200)
	var ack struct{ ID, Status string }
	r.json(t, &ack)
	wantStatus(t, h.doURL("POST", h.srv.URL+"/__admin/events/fake", `{}`, "Authorization", "Element "+tok), 200)
	wantStatus(t, h.doURL("POST", h.srv.URL+"/__admin/events/fake?elementInstanceId=999999", `{}`), 404)
	wantStatus(t, h.doURL("POST", fmt.Sprintf("%s/__admin/events/sfdc?elementInstanceId=%d", h.srv.URL, id), `{}`), 400)
	h.wait()
	if h.s.RequestCount("", "") != 1 { // the create only
		t.Errorf("admin calls recorded: %d", h.s.RequestCount("", ""))
	}
	r = h.doURL("GET", fmt.Sprintf("%s/__admin/instances/%d/events", h.srv.URL, id), nil)
	wantStatus(t, r, 200)
	var log []struct {
		ID      string
		Status  string
		Body    notification
		Headers http.Header
	}
	r.json(t, &log)
	if len(log) != 2 || log[1].ID != ack.ID || log[1].Status != "NOTIFIED" || log[1].Body.Message.Events[0].ObjectID != "9" ||
		log[1].Headers.Get("Elements-Webhook-Signature") == "" {
		t.Errorf("admin log %s", r.body)
	}
	wantStatus(t, h.doURL("GET", h.srv.URL+"/__admin/instances/999999/events", nil), 404)
	wantStatus(t, h.doURL("GET", h.srv.URL+"/__admin/instances/x/events", nil), 400)
}

func TestExponentialBackoff(t *testing.T) {
	b := ExponentialBackoff(time.Second, 5*time.Second)
	var got []time.Duration
	for a := 1; a <= 5; a++ {
		got = append(got, b(a))
	}
	if fmt.Sprint(got) != "[1s 2s 4s 5s 5s]" {
		t.Errorf("schedule %v", got)
	}
	if ExponentialBackoff(time.Second, 0)(11) != 1024*time.Second {
		t.Error("uncapped schedule")
	}
}
