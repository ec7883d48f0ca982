// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package readbatch

import (
	"context"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// BenchmarkReadBatcherListing fetches the listing a batched refresh holds:
// 1000 documented sageone instances (what `make bench` manages) from the
// mock, 200 a page. Besides time and allocations per listing it reports
// the bytes the listing keeps alive (retained-B/op, measured after a GC
// with the listing still referenced), which a refresh holds while it
// runs and which the garbage collector's target multiplies.
//
//	go test ./internal/readbatch/ -run '^$' -bench BenchmarkReadBatcherListing -benchtime=20x -count=3
func BenchmarkReadBatcherListing(b *testing.B) {
	const n = 1000
	mock := mockapi.New(mockapi.Options{UserSecret: "u", OrganizationSecret: "o"})
	info, ok := mockapi.LookupElement("sageone")
	if !ok {
		b.Fatal("the mock's catalog has no sageone")
	}
	cfg := map[string]string{}
	for _, in := range info.Inputs {
		if in.Required {
			cfg[in.Key] = "bench-" + in.Key
		}
	}
	for i := range n {
		if _, err := mock.SeedDocumented("sageone", "bench-"+strconv.Itoa(i), cfg, info.OAuth); err != nil {
			b.Fatal(err)
		}
	}
	srv := httptest.NewServer(mock)
	b.Cleanup(srv.Close)
	client, err := cloudelements.NewClient(cloudelements.Config{BaseURL: srv.URL + mockapi.Prefix, UserSecret: "u", OrganizationSecret: "o"})
	if err != nil {
		b.Fatal(err)
	}
	batcher := New(client, Options{})
	ctx := context.Background()

	var retained uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		list, err := batcher.listEntries(ctx)
		if err != nil || len(list) != n {
			b.Fatalf("listing: %d instances, %v", len(list), err)
		}
		if i == b.N-1 {
			b.StopTimer()
			before := benchHeapAfterGC()
			runtime.KeepAlive(list)
			list = nil
			retained = before - benchHeapAfterGC()
		}
		runtime.KeepAlive(list)
	}
	b.ReportMetric(float64(retained), "retained-B/op")
}

func benchHeapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
