// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package cloudelements

// Benchmarks of the client's hot path for `terraform plan`/`apply`: decoding
// one instance, and a whole GetInstance against a local server. Run with
// `make bench` or `go test -run='^$' -bench=. -benchmem ./internal/cloudelements/`.
// Times are machine-dependent: compare sub-benchmarks of one run (client vs
// raw net/http, tolerant vs plain decode), never absolute values.
//
// retained-B/op is heap still reachable after the loop (after two GCs)
// divided by b.N: anything steadily above ~0 means every call leaks. conns/op
// is new TCP connections the server saw per call.

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
)

// benchInstanceBody is GET /instances/{id} as the mock answers it for the
// instance `make bench` creates (element "fake", two tags, events on).
const benchInstanceBody = `{"id":1000,"name":"bench-7","createdDate":"2026-11-27T09:37:12Z",` +
	`"token":"B5Chg9NbF9P53ttfiWZmouPXG2U4QDFR0kSuYHbp2iM=","element":{"id":1,"key":"fake","name":"Fake"},` +
	`"elementId":1,"tags":["bench","n-7"],"provisionInteractions":[],"valid":true,"disabled":false,` +
	`"maxCacheSize":0,"cacheTimeToLive":0,"configuration":{"event.notification.callback.url":"https://hooks.example.com/bench/7",` +
	`"event.notification.enabled":"true","event.vendor.type":"webhook","filter.response.nulls":"true"},` +
	`"eventsEnabled":true,"eventsNotificationCallbackUrl":"https://hooks.example.com/bench/7","traceLoggingEnabled":false,` +
	`"cachingEnabled":false,"externalAuthentication":"none",` +
	`"user":{"id":123456,"emailAddress":"sandbox@example.com","firstName":"Sandbox","lastName":"User"}}` + "\n"

func BenchmarkDecodeInstance(b *testing.B) {
	body := []byte(benchInstanceBody)
	b.Run("client", func(b *testing.B) { // decodeInstance: the tolerant decoder the client uses
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			in, err := decodeInstance(body, "application/json")
			if err != nil || in.ID != 1000 || len(in.Configuration) != 4 {
				b.Fatalf("decodeInstance: %v, %+v", err, in)
			}
		}
	})
	b.Run("plain-struct-baseline", func(b *testing.B) { // encoding/json into plain fields, no custom UnmarshalJSON
		type plain struct {
			ID          int64  `json:"id"`
			Name        string `json:"name"`
			CreatedDate string `json:"createdDate"`
			Token       string `json:"token"`
			Element     struct {
				ID        int64
				Key, Name string
			} `json:"element"`
			ElementID     int64             `json:"elementId"`
			Tags          []string          `json:"tags"`
			Valid         bool              `json:"valid"`
			Disabled      bool              `json:"disabled"`
			EventsEnabled bool              `json:"eventsEnabled"`
			Configuration map[string]string `json:"configuration"`
		}
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var in plain
			if err := json.Unmarshal(body, &in); err != nil || in.ID != 1000 {
				b.Fatalf("json.Unmarshal: %v", err)
			}
		}
	})
}

// benchServer answers every request with benchInstanceBody and counts new
// connections.
func benchServer(b *testing.B) (*httptest.Server, *atomic.Int64) {
	b.Helper()
	var conns atomic.Int64
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Elements-Request-Id", "0123456789abcdef01234567")
		_, _ = io.WriteString(w, benchInstanceBody)
	}))
	hs.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	hs.Start()
	b.Cleanup(hs.Close)
	return hs, &conns
}

func BenchmarkGetInstance(b *testing.B) {
	for _, par := range []int{1, 10} { // 10: Terraform's default -parallelism
		b.Run("client/parallel="+strconv.Itoa(par), func(b *testing.B) {
			hs, conns := benchServer(b)
			c, err := NewClient(Config{BaseURL: hs.URL + "/elements/api-v2", UserSecret: "u", OrganizationSecret: "o"})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			benchCalls(b, par, conns, func() error {
				_, err := c.GetInstance(ctx, 1000)
				return err
			})
		})
		b.Run("raw-net-http-baseline/parallel="+strconv.Itoa(par), func(b *testing.B) {
			hs, conns := benchServer(b)
			tr, _ := http.DefaultTransport.(*http.Transport)
			hc := &http.Client{Transport: tr.Clone()}
			benchCalls(b, par, conns, func() error {
				req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, hs.URL+"/elements/api-v2/instances/1000", nil)
				if err != nil {
					return err
				}
				resp, err := hc.Do(req)
				if err != nil {
					return err
				}
				defer resp.Body.Close()
				_, err = io.ReadAll(resp.Body)
				return err
			})
		})
	}
}

// benchCalls runs call b.N times on par goroutines and reports allocations,
// new connections per call and heap retained per call.
func benchCalls(b *testing.B, par int, conns *atomic.Int64, call func() error) {
	b.Helper()
	b.ReportAllocs()
	before := benchHeapAfterGC()
	conns.Store(0)
	b.ResetTimer()
	var next atomic.Int64
	done := make(chan error, par)
	for range par {
		go func() {
			for next.Add(1) <= int64(b.N) {
				if err := call(); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range par {
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(conns.Load())/float64(b.N), "conns/op")
	b.ReportMetric(float64(int64(benchHeapAfterGC())-int64(before))/float64(b.N), "retained-B/op")
}

func benchHeapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
