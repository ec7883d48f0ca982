// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package readbatch

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// fakeInstances answers the batcher's reads by id and listings from a map,
// counting requests; listed, when set, rewrites what the listing returns.
type fakeInstances struct {
	mu      sync.Mutex
	byID    map[int64]cloudelements.Instance
	gets    atomic.Int64
	lists   atomic.Int64
	listErr error
	listed  func(cloudelements.Instance) cloudelements.Instance
	gate    chan struct{} // when set, a listing waits for it
	listed1 chan struct{} // closed when the first listing starts
	once    sync.Once
	getGate func(id int64) chan struct{} // when set and not nil for id, a read by id waits for it
}

func fakeInstance(id int64) cloudelements.Instance {
	v := cloudelements.MaskedValue
	return cloudelements.Instance{
		ID: cloudelements.FlexInt(id), Name: fmt.Sprintf("i%d", id), Element: cloudelements.Element{Key: "sfdc"},
		Token: "tok", Tags: cloudelements.Tags{"t"}, Configuration: map[string]*string{"password": &v, "x": nil},
	}
}

func newFakeInstances(n int) *fakeInstances {
	f := &fakeInstances{byID: map[int64]cloudelements.Instance{}, listed1: make(chan struct{})}
	for id := int64(1); id <= int64(n); id++ {
		f.byID[id] = fakeInstance(id)
	}
	return f
}

func (f *fakeInstances) get(_ context.Context, id int64) (*cloudelements.Instance, error) {
	f.gets.Add(1)
	if f.getGate != nil {
		if g := f.getGate(id); g != nil {
			<-g
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	in, ok := f.byID[id]
	if !ok {
		return nil, cloudelements.ErrNotFound
	}
	return &in, nil
}

// list answers the listing in pages of three.
func (f *fakeInstances) list(_ context.Context, page func([]cloudelements.Instance)) error {
	f.lists.Add(1)
	f.once.Do(func() { close(f.listed1) })
	if f.gate != nil {
		<-f.gate
	}
	if f.listErr != nil {
		return f.listErr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]cloudelements.Instance, 0, len(f.byID))
	for _, in := range f.byID {
		if f.listed != nil {
			in = f.listed(in)
		}
		out = append(out, in)
	}
	for len(out) > 0 {
		n := min(3, len(out))
		page(out[:n])
		out = out[n:]
	}
	return nil
}

// testClock is a clock tests move by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func testBatcher(f *fakeInstances) (*Batcher, *testClock) {
	clock := &testClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	return &Batcher{get: f.get, list: f.list, now: clock.Now, after: 2, window: 5 * time.Second, maxAge: time.Minute}, clock
}

// readAll reads ids 1..n in order and checks each answer equals the read by id.
func readAll(t *testing.T, b *Batcher, f *fakeInstances, n int) {
	t.Helper()
	for id := int64(1); id <= int64(n); id++ {
		got, err := b.Read(context.Background(), id)
		if err != nil {
			t.Fatalf("read %d: %v", id, err)
		}
		if want := f.byID[id]; got.Name != want.Name || got.ID != want.ID {
			t.Fatalf("read %d: got %+v, want %+v", id, got, want)
		}
	}
}

func expectCounts(t *testing.T, f *fakeInstances, gets, lists int64) {
	t.Helper()
	if g, l := f.gets.Load(), f.lists.Load(); g != gets || l != lists {
		t.Fatalf("requests: %d reads by id and %d listings, want %d and %d", g, l, gets, lists)
	}
}

func TestReadBatcherServesFromOneListing(t *testing.T) {
	f := newFakeInstances(50)
	b, _ := testBatcher(f)
	readAll(t, b, f, 50)
	// Two reads by id (the samples), one listing, the rest from it.
	expectCounts(t, f, 2, 1)
}

func TestReadBatcherVerifiesWithoutSamples(t *testing.T) {
	f := newFakeInstances(10)
	b, _ := testBatcher(f)
	b.after = 0 // the first read lists: no read by id to compare with yet
	readAll(t, b, f, 10)
	// One listing, one read by id of its first entry, the rest from it.
	expectCounts(t, f, 1, 1)
	f = newFakeInstances(10)
	f.listed = func(in cloudelements.Instance) cloudelements.Instance { in.Token = ""; return in }
	b, _ = testBatcher(f)
	b.after = 0
	readAll(t, b, f, 10)
	// The verification differed: every read goes by id.
	expectCounts(t, f, 11, 1)
}

// TestReadBatcherServesEachEntryOnce: an entry leaves the listing when it
// serves a read, keeping what it served intact; a second read of the
// instance goes by id.
func TestReadBatcherServesEachEntryOnce(t *testing.T) {
	f := newFakeInstances(10)
	b, _ := testBatcher(f)
	var served []*cloudelements.Instance
	for id := int64(1); id <= 10; id++ {
		in, err := b.Read(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		served = append(served, in)
	}
	expectCounts(t, f, 2, 1)
	if n := len(b.listing.entries); n != 0 {
		t.Errorf("the listing still holds %d entries after serving them all", n)
	}
	for _, in := range served {
		if want := f.byID[int64(in.ID)]; !reflect.DeepEqual(*in, want) {
			t.Errorf("served %+v, want %+v", *in, want)
		}
	}
	again, err := b.Read(context.Background(), 5)
	if err != nil || !reflect.DeepEqual(*again, f.byID[5]) {
		t.Fatalf("second read of 5: %+v, %v", again, err)
	}
	expectCounts(t, f, 3, 1)
}

func TestReadBatcherOff(t *testing.T) {
	f := newFakeInstances(10)
	b, _ := testBatcher(f)
	b.off = true
	readAll(t, b, f, 10)
	expectCounts(t, f, 10, 0)
}

func TestReadBatcherWindow(t *testing.T) {
	f := newFakeInstances(10)
	b, clock := testBatcher(f)
	readAll(t, b, f, 5)
	expectCounts(t, f, 2, 1)
	// The listing is dropped after the window: the next run starts over.
	clock.add(6 * time.Second)
	readAll(t, b, f, 5)
	expectCounts(t, f, 4, 2)
	// Reads spread wider than the window never batch.
	g := newFakeInstances(4)
	b, clock = testBatcher(g)
	for id := int64(1); id <= 4; id++ {
		if _, err := b.Read(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		clock.add(3 * time.Second)
	}
	expectCounts(t, g, 4, 0)
}

// TestReadBatcherListingLastsTheRefresh: a listing serves reads as long as
// they keep coming, up to maxAge after it arrived, then the next reads
// start over (two by id, one listing).
func TestReadBatcherListingLastsTheRefresh(t *testing.T) {
	f := newFakeInstances(40)
	b, clock := testBatcher(f)
	for id := int64(1); id <= 40; id++ {
		got, err := b.Read(context.Background(), id)
		if err != nil || got.ID != f.byID[id].ID {
			t.Fatalf("read %d: %+v, %v", id, got, err)
		}
		if id == 30 {
			// 30 reads 2 s apart, the listing 58 s old: still one listing.
			expectCounts(t, f, 2, 1)
		}
		clock.add(2 * time.Second)
	}
	// Past a minute, the listing was dropped even though reads continued.
	expectCounts(t, f, 4, 2)
}

func TestReadBatcherInvalidate(t *testing.T) {
	f := newFakeInstances(10)
	b, _ := testBatcher(f)
	readAll(t, b, f, 3)
	expectCounts(t, f, 2, 1)
	// The provider wrote instance 5: its listing entry is stale.
	f.mu.Lock()
	in := f.byID[5]
	in.Name = "renamed"
	f.byID[5] = in
	f.mu.Unlock()
	b.Invalidate(5)
	got, err := b.Read(context.Background(), 5)
	if err != nil || got.Name != "renamed" {
		t.Fatalf("read after a write: %+v, %v; want the new name", got, err)
	}
	expectCounts(t, f, 3, 1)
}

func TestReadBatcherInvalidateDuringListing(t *testing.T) {
	f := newFakeInstances(10)
	f.gate = make(chan struct{})
	b, _ := testBatcher(f)
	readAll(t, b, f, 2)
	done := make(chan error)
	go func() {
		_, err := b.Read(context.Background(), 3) // starts the listing, which waits
		done <- err
	}()
	<-f.listed1
	b.Invalidate(7) // written while the listing is in flight
	close(f.gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := b.Read(context.Background(), 7); err != nil {
		t.Fatal(err)
	}
	expectCounts(t, f, 3, 1)
}

func TestReadBatcherMissingIsConfirmedByID(t *testing.T) {
	f := newFakeInstances(10)
	b, _ := testBatcher(f)
	readAll(t, b, f, 3)
	// Gone from the listing only (a listing that filters it out): the read
	// by id still finds it.
	delete(b.listing.entries, 6)
	if got, err := b.Read(context.Background(), 6); err != nil || int64(got.ID) != 6 {
		t.Fatalf("read 6: %+v, %v", got, err)
	}
	// Gone for real: reported by the read by id.
	if _, err := b.Read(context.Background(), 99); !errors.Is(err, cloudelements.ErrNotFound) {
		t.Fatalf("read 99: %v, want ErrNotFound", err)
	}
	expectCounts(t, f, 4, 1)
}

func TestReadBatcherIncompleteEntries(t *testing.T) {
	cases := map[string]func(cloudelements.Instance) cloudelements.Instance{
		"no configuration": func(in cloudelements.Instance) cloudelements.Instance { in.Configuration = nil; return in },
		"no element": func(in cloudelements.Instance) cloudelements.Instance {
			in.Element = cloudelements.Element{}
			return in
		},
		"other masking": func(in cloudelements.Instance) cloudelements.Instance {
			v := "***"
			in.Configuration = map[string]*string{"password": &v, "x": nil}
			return in
		},
		"no nulls": func(in cloudelements.Instance) cloudelements.Instance {
			in.Configuration = map[string]*string{"password": in.Configuration["password"]}
			return in
		},
		"no tags":  func(in cloudelements.Instance) cloudelements.Instance { in.Tags = nil; return in },
		"no token": func(in cloudelements.Instance) cloudelements.Instance { in.Token = ""; return in },
	}
	for name, listed := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFakeInstances(10)
			f.listed = listed
			b, _ := testBatcher(f)
			readAll(t, b, f, 10)
			// Every read goes by id; one listing was tried.
			expectCounts(t, f, 10, 1)
		})
	}
}

func TestReadBatcherListingFails(t *testing.T) {
	f := newFakeInstances(10)
	f.listErr = errors.New("boom")
	b, clock := testBatcher(f)
	readAll(t, b, f, 10)
	// Not retried, not even in a later window.
	expectCounts(t, f, 10, 1)
	clock.add(time.Minute)
	readAll(t, b, f, 10)
	expectCounts(t, f, 20, 1)
}

func TestReadBatcherSingleflight(t *testing.T) {
	f := newFakeInstances(40)
	f.gate = make(chan struct{})
	b, _ := testBatcher(f)
	readAll(t, b, f, 2)
	var wg sync.WaitGroup
	errs := make(chan error, 38)
	for id := int64(3); id <= 40; id++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := b.Read(context.Background(), id)
			if err == nil && int64(got.ID) != id {
				err = fmt.Errorf("read %d answered %d", id, got.ID)
			}
			errs <- err
		}()
	}
	<-f.listed1
	close(f.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	expectCounts(t, f, 2, 1)
}

func TestReadBatcherCancelledReadFallsBack(t *testing.T) {
	f := newFakeInstances(5)
	f.gate = make(chan struct{})
	defer close(f.gate)
	b, _ := testBatcher(f)
	readAll(t, b, f, 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// The waiting read gives up on the listing; the read by id reports the
	// cancellation as the client would (here: the fake ignores it).
	if got, err := b.Read(ctx, 3); err != nil || int64(got.ID) != 3 {
		t.Fatalf("read 3: %+v, %v", got, err)
	}
}

// twoElements is n instances of sfdc (ids 1..n) and n of hubspot (n+1..2n).
func twoElements(n int) *fakeInstances {
	f := newFakeInstances(2 * n)
	for id := int64(n + 1); id <= int64(2*n); id++ {
		in := f.byID[id]
		in.Element.Key = "hubspot"
		f.byID[id] = in
	}
	return f
}

// TestReadBatcherTrustsPerElement: an element's entries serve reads only
// once a read by id of that element matched; a listing that differs for
// one element only never serves that element's listed values.
func TestReadBatcherTrustsPerElement(t *testing.T) {
	f := twoElements(10)
	b, _ := testBatcher(f)
	readAll(t, b, f, 20)
	// sfdc: two samples, then the listing; hubspot: its first read by id
	// vouches for the rest.
	expectCounts(t, f, 3, 1)

	f = twoElements(10)
	f.listed = func(in cloudelements.Instance) cloudelements.Instance {
		if in.Element.Key == "hubspot" {
			masked := cloudelements.MaskedValue
			in.Configuration = map[string]*string{"password": &masked, "x": &masked}
		}
		return in
	}
	b, _ = testBatcher(f)
	for id := int64(1); id <= 20; id++ {
		got, err := b.Read(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if want := f.byID[id]; !reflect.DeepEqual(*got, want) {
			t.Fatalf("read %d served %+v, want %+v", id, *got, want)
		}
	}
	// sfdc from the listing; hubspot's first read by id differed: from
	// then on everything by id.
	expectCounts(t, f, 12, 1)
}

// TestReadBatcherVerifiesWaitingElements: reads of two elements waiting for
// the listing, neither vouched for by a read by id: one verification read
// per element, then both served from the listing.
func TestReadBatcherVerifiesWaitingElements(t *testing.T) {
	f := twoElements(5)
	b, _ := testBatcher(f)
	b.after = 0
	f.gate = make(chan struct{})
	ids := []int64{2, 3, 7, 8} // sfdc and hubspot
	waiting := make(chan int64, len(ids))
	b.waiting = func(id int64) { waiting <- id }
	var wg sync.WaitGroup
	got := make([]*cloudelements.Instance, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = b.Read(context.Background(), id)
		}()
	}
	// Let every read reach the listing before it answers.
	for range ids {
		<-waiting
	}
	close(f.gate)
	wg.Wait()
	for i, id := range ids {
		if got[i] == nil || !reflect.DeepEqual(*got[i], f.byID[id]) {
			t.Errorf("read %d: %+v", id, got[i])
		}
	}
	// One listing, one verification read each for sfdc (2) and hubspot (7).
	expectCounts(t, f, 2, 1)
}

// TestReadBatcherOneProbePerElement: reads of an element nobody vouched for
// yet, arriving together after the listing, cost one read by id: the
// others wait for it, then are served from the listing.
func TestReadBatcherOneProbePerElement(t *testing.T) {
	f := twoElements(10)
	b, _ := testBatcher(f)
	readAll(t, b, f, 5) // sfdc: two samples, the listing, three served
	expectCounts(t, f, 2, 1)
	gate, probing := make(chan struct{}), make(chan int64, 10)
	f.getGate = func(id int64) chan struct{} {
		if id > 10 {
			probing <- id
			return gate
		}
		return nil
	}
	var wg sync.WaitGroup
	got := make([]*cloudelements.Instance, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = b.Read(context.Background(), int64(11+i))
		}()
	}
	<-probing // the probe is in flight
	close(gate)
	wg.Wait()
	for i, in := range got {
		if want := f.byID[int64(11+i)]; in == nil || !reflect.DeepEqual(*in, want) {
			t.Errorf("read %d: %+v", 11+i, in)
		}
	}
	expectCounts(t, f, 3, 1)
}
