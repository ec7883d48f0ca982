// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package readbatch

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// Defaults of the read batcher: the reads that go by id before a listing is
// fetched, how long a listing lasts without a read (and how long the count
// of recent reads lasts), and how long it lasts at most.
const (
	DefaultAfter         = 2
	defaultBatchWindow   = 5 * time.Second
	defaultListingMaxAge = time.Minute
)

// Batcher serves the instance resource's reads from one listing
// (GET /instances, all pages) when a Terraform run refreshes many instances,
// instead of one GET /instances/{id} each. It belongs to one provider
// process and does nothing until the first read.
//
// The rules, each one for correctness whatever the API's listing does:
//   - The first `after` reads in a window go by id. A further read within
//     the window fetches one listing; concurrent reads wait for it
//     (singleflight).
//   - A listing serves reads while they keep coming (each within `window`
//     of the one before), for at most `maxAge` after it arrived, then is
//     dropped: one listing serves a whole refresh, however long it takes
//     Terraform, and nothing older than `maxAge` is ever served.
//   - An instance missing from the listing is read by id: only that read
//     can report it gone.
//   - An entry serves one read, then leaves the listing, as does the entry
//     of an instance Terraform read by id: a refresh reads each instance
//     once, and what the listing holds shrinks as the refresh goes (the
//     memory it takes is the batcher's cost; entries are compact,
//     listedInstance). A second read of an instance goes by id.
//   - A write through the provider (invalidate) drops the instance's entry,
//     also from a listing in flight during the write.
//   - An entry is used only when it carries everything a read by id
//     returns, element by element, since what the API masks depends on
//     the element. The comparison rule: the entries of an element are
//     trusted once the entry of an instance of that element read by id
//     within the window (and not written since) equals that read exactly
//     (reflect.DeepEqual of the decoded cloudelements.Instance: name,
//     element, tags, configuration with its masking and nulls, token,
//     flags, dates). Right after the listing, the batcher reads by id one
//     entry of each element the waiting reads want that no such read
//     vouched for yet (toVerify). A later element's first read goes by id
//     while that element's other reads wait for it (entry). A single
//     difference distrusts the listing API for the rest of the process
//     (batching stops). Each entry must also have an id, an element key
//     and a configuration object.
//   - A failed listing stops batching for the process too; reads go by id.
//
// So a refresh of N instances that lasts less than `maxAge` costs at most
// N + 2 + V requests with the credentials check (N reads by id, one
// listing if it has one page, V verification reads: one per element of the
// reads waiting for the listing, at most Terraform's parallelism), and,
// when the listing agrees, its pages, the first `after` reads and one
// read by id per element read.
type Batcher struct {
	get func(context.Context, int64) (*cloudelements.Instance, error)
	// list fetches the listing, handing over each page as it arrives.
	list   func(ctx context.Context, page func([]cloudelements.Instance)) error
	now    func() time.Time
	after  int
	window time.Duration
	maxAge time.Duration
	off    bool // batch_reads = false: every read goes by id
	logf   func(ctx context.Context, msg string, fields map[string]any)
	// waiting, when set (tests), is called as a read starts waiting for a
	// listing in flight.
	waiting func(id int64)

	mu          sync.Mutex
	distrusted  bool // a listing failed, or an entry differed from a read by id
	windowStart time.Time
	reads       int                               // reads since windowStart
	samples     map[int64]*cloudelements.Instance // answers of reads by id in this window
	listing     *instanceListing                  // the last listing, or nil
	inflight    *instanceListing                  // a listing being fetched, or nil
	gen         uint64                            // counts writes
	written     map[int64]uint64                  // instance -> gen of its last write
}

// instanceListing is one fetched listing.
type instanceListing struct {
	done    chan struct{} // closed when fetched
	startAt uint64        // gen when the fetch started
	at      time.Time     // when it arrived
	used    time.Time     // when it last served a read
	err     error
	entries map[int64]*listedInstance // served entries leave
	trusted map[string]bool           // element keys whose entry equalled a read by id
	waiting []int64                   // reads waiting for the fetch (guarded by b.mu)
	probing map[string]chan struct{}  // element key -> closed when its vouching read ends (b.mu)
}

// Options are a Batcher's settings; the zero value batches with the
// defaults.
type Options struct {
	// Tags narrows the listing to the instances carrying all of them (the
	// provider's default_tags: the managed set).
	Tags []string
	// Off reads every instance by id (batch_reads = false).
	Off bool
	// Window replaces defaultBatchWindow when non-zero (tests).
	Window time.Duration
	// Logf, when set, receives the batcher's debug lines.
	Logf func(ctx context.Context, msg string, fields map[string]any)
}

// New returns the batcher of one provider process.
func New(client *cloudelements.Client, opts Options) *Batcher {
	tags := opts.Tags
	window := defaultBatchWindow
	if opts.Window > 0 {
		window = opts.Window
	}
	return &Batcher{
		off:  opts.Off,
		logf: opts.Logf,
		get:  client.GetInstance,
		list: func(ctx context.Context, page func([]cloudelements.Instance)) error {
			// With default tags, list only what carries them: the managed
			// set.
			return client.EachInstancePage(ctx, cloudelements.ListInstancesOptions{Tags: tags, PageSize: cloudelements.DefaultPageSize}, page)
		},
		now:    time.Now,
		after:  DefaultAfter,
		window: window,
		maxAge: defaultListingMaxAge,
	}
}

// read returns instance id, from a listing when the rules above allow, else
// by id (always when batching is off).
func (b *Batcher) Read(ctx context.Context, id int64) (*cloudelements.Instance, error) {
	if b.off {
		return b.get(ctx, id)
	}
	var probed func()
	if l := b.listingFor(ctx, id); l != nil {
	wait:
		for {
			in, busy, probe := b.entry(l, id)
			switch {
			case in != nil:
				return in, nil
			case busy == nil:
				probed = probe
				break wait
			}
			select {
			case <-busy:
			case <-ctx.Done():
				break wait
			}
		}
	}
	in, err := b.get(ctx, id)
	if err == nil {
		b.sample(id, in)
	}
	if probed != nil {
		probed()
	}
	return in, err
}

// listingFor returns a listing usable now for the read of id, fetching one
// when this read is past the first `after` of the window; nil means read
// by id.
func (b *Batcher) listingFor(ctx context.Context, id int64) *instanceListing {
	b.mu.Lock()
	now := b.now()
	if b.distrusted {
		b.mu.Unlock()
		return nil
	}
	if b.listing != nil && (now.Sub(b.listing.used) > b.window || now.Sub(b.listing.at) > b.maxAge) {
		b.listing = nil
	}
	if b.listing != nil {
		l := b.listing
		l.used = now
		b.mu.Unlock()
		if l.err != nil {
			return nil
		}
		return l
	}
	if b.inflight == nil {
		if b.windowStart.IsZero() || now.Sub(b.windowStart) > b.window {
			b.windowStart, b.reads, b.samples = now, 0, map[int64]*cloudelements.Instance{}
		}
		b.reads++
		if b.reads <= b.after {
			b.mu.Unlock()
			return nil
		}
		b.inflight = &instanceListing{done: make(chan struct{}), startAt: b.gen, trusted: map[string]bool{}}
		go b.fetch(context.WithoutCancel(ctx), b.inflight)
	}
	l := b.inflight
	l.waiting = append(l.waiting, id)
	b.mu.Unlock()
	if b.waiting != nil {
		b.waiting(id)
	}
	select {
	case <-l.done:
	case <-ctx.Done():
		return nil
	}
	if l.err != nil {
		return nil
	}
	return l
}

// fetch lists the instances for l and installs it as the current listing.
// It runs detached from the read that started it, so a cancelled read does
// not fail the reads waiting on it; the client's own retries bound it.
func (b *Batcher) fetch(ctx context.Context, l *instanceListing) {
	entries, err := b.listEntries(ctx)
	b.mu.Lock()
	if err != nil {
		if b.logf != nil {
			b.logf(ctx, "listing instances for batched reads failed; reading by id from now on", map[string]any{"error": err.Error()})
		}
		b.distrusted = true
	}
	l.err, l.entries = err, entries
	for id, s := range b.samples {
		b.check(l, id, s, true)
	}
	var verify []int64
	if err == nil && !b.distrusted {
		verify = b.toVerify(l)
	}
	b.mu.Unlock()
	// The waiting reads' elements without a matching read by id in this
	// window (those reads may still be in flight): read one entry of each
	// by id to compare, at once.
	var wg sync.WaitGroup
	for _, id := range verify {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in, err := b.get(ctx, id)
			b.mu.Lock()
			defer b.mu.Unlock()
			if err == nil {
				b.check(l, id, in, false)
			}
		}()
	}
	wg.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	l.waiting = nil
	for id, g := range b.written {
		if g > l.startAt {
			delete(entries, id)
		}
	}
	b.written = nil
	l.at = b.now()
	l.used = l.at
	b.listing, b.inflight = l, nil
	close(l.done)
}

// toVerify picks the entries to read by id after a fetch: one per element
// of the reads waiting for it (the read that started the fetch always is)
// that no read by id has vouched for yet, the entry of a waiting read,
// which then serves it. Reads of other elements later go by id, one per
// element (entry). b.mu is held.
func (b *Batcher) toVerify(l *instanceListing) []int64 {
	picked := map[string]int64{}
	for _, id := range l.waiting {
		if e, ok := l.entries[id]; ok && !l.trusted[e.in.Element.Key] {
			if p, seen := picked[e.in.Element.Key]; !seen || id < p {
				picked[e.in.Element.Key] = id
			}
		}
	}
	return slices.Sorted(maps.Values(picked))
}

// listEntries lists the instances as listing entries, leaving out those
// without an id, an element key or a configuration object. Each page is
// made compact as it arrives (listedInstance): the decoded form of at most
// one page is alive at a time.
func (b *Batcher) listEntries(ctx context.Context) (map[int64]*listedInstance, error) {
	table := newListingTable()
	entries := map[int64]*listedInstance{}
	err := b.list(ctx, func(page []cloudelements.Instance) {
		for i := range page {
			in := &page[i]
			if in.ID > 0 && in.Element.Key != "" && in.Configuration != nil {
				entries[int64(in.ID)] = table.compact(in)
			}
		}
	})
	return entries, err
}

// entry returns the listing's entry for id when it may serve the read, and
// drops it from the listing: a refresh reads each instance once, so the
// listing shrinks as it serves (a second read of the instance goes by id).
//
// When the entry's element is not trusted yet, one read at a time vouches
// for it: the first gets probe, reads by id (which checks the entry) and
// then calls probe; the others get busy, wait for it to close, and ask
// again. So an element's first reads cost one read by id, not one each.
// With no entry, or a distrusted listing, all are nil: read by id.
func (b *Batcher) entry(l *instanceListing, id int64) (in *cloudelements.Instance, busy <-chan struct{}, probe func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := l.entries[id]
	if !ok || b.distrusted {
		return nil, nil, nil
	}
	key := e.in.Element.Key
	if l.trusted[key] {
		delete(l.entries, id)
		return e.expand(), nil, nil
	}
	if ch, ok := l.probing[key]; ok {
		return nil, ch, nil
	}
	ch := make(chan struct{})
	if l.probing == nil {
		l.probing = map[string]chan struct{}{}
	}
	l.probing[key] = ch
	return nil, nil, func() {
		b.mu.Lock()
		delete(l.probing, key)
		b.mu.Unlock()
		close(ch)
	}
}

// sample records a read by id, and checks it against the current listing.
func (b *Batcher) sample(id int64, in *cloudelements.Instance) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.samples == nil {
		b.samples = map[int64]*cloudelements.Instance{}
	}
	b.samples[id] = in
	if b.listing != nil && b.listing.err == nil {
		b.check(b.listing, id, in, true)
	}
}

// check compares the listing's entry for id with a read by id (the rule in
// the type's doc); b.mu is held. served: the read by id answered Terraform,
// so the entry will not serve it and leaves the listing (not so for the
// batcher's own verification read).
func (b *Batcher) check(l *instanceListing, id int64, byID *cloudelements.Instance, served bool) {
	entry, ok := l.entries[id]
	if !ok {
		return
	}
	equal := reflect.DeepEqual(*entry.expand(), *byID)
	if served {
		delete(l.entries, id)
	}
	if equal {
		l.trusted[entry.in.Element.Key] = true
		return
	}
	b.distrusted = true
}

// invalidate drops what a listing says about id: the provider just wrote
// it (create, update, enable or disable, delete).
func (b *Batcher) Invalidate(id int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.gen++
	if b.inflight != nil {
		if b.written == nil {
			b.written = map[int64]uint64{}
		}
		b.written[id] = b.gen
	}
	if b.listing != nil {
		delete(b.listing.entries, id)
	}
	delete(b.samples, id)
}
