package ledger

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestRecordKeys holds the trust model of Record.Keys: Append uses keys the caller
// derived instead of running the Indexer (the log then matches one built from
// the bytes alone), and keys that do not match the event show up in Verify at
// their entry.
func TestRecordKeys(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(k *IndexKeys)
		wantBad string // "" when the log verifies
	}{
		{"same as the indexer", func(*IndexKeys) {}, ""},
		{"extra product", func(k *IndexKeys) { k.Products = append(k.Products, "https://id.gs1.org/01/09506000134376/10/X") }, "chained under"},
		{"wrong location", func(k *IndexKeys) { k.Locations = []string{"https://id.gs1.org/414/9506000000009"} }, "index row"},
		{"wrong hash ID", func(k *IndexKeys) { k.EventID = "ni:///sha-256;" + strings.Repeat("f", 64) + "?ver=CBV2.0" }, "event hash ID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := openTest(t, t.TempDir())
			var recs []Record
			for i := range 300 {
				r := synthetic(i)
				k, err := testIndexer(r.Event)
				if err != nil {
					t.Fatal(err)
				}
				if i == 137 {
					tc.edit(&k)
				}
				r.Keys = &k
				recs = append(recs, r)
			}
			if _, err := l.Append(context.Background(), recs...); err != nil {
				t.Fatal(err)
			}
			rep, err := l.Verify(nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantBad == "" {
				if !rep.OK {
					t.Fatalf("verify: %v", rep.Err())
				}
				return
			}
			if rep.OK || rep.FirstBad != 137 || !strings.Contains(rep.Problems[0].What, tc.wantBad) {
				t.Fatalf("verify: first bad %d, %+v; want entry 137 (%s)", rep.FirstBad, rep.Problems, tc.wantBad)
			}
		})
	}
}

// flakyStore fails the writes whose numbers are in fail, slowly, so that many
// appends wait meanwhile.
type flakyStore struct {
	Store
	writes atomic.Int64
	fail   map[int64]bool
}

var errInjected = errors.New("injected write failure")

func (s *flakyStore) Write(b *Batch) error {
	n := s.writes.Add(1)
	time.Sleep(5 * time.Millisecond)
	if s.fail[n] {
		return errInjected
	}
	return s.Store.Write(b)
}

// TestAppenderSurvivesWriteFailures drives the appender with many concurrent
// callers, records repeated across calls, and injected write failures: every
// acknowledged record is stored once, every failed one is reported as failed and
// not stored, later groups are not disturbed, and the log verifies.
func TestAppenderSurvivesWriteFailures(t *testing.T) {
	dir := t.TempDir()
	bs, err := openBadger(filepath.Join(dir, "store"), DefaultOptions().withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	fs := &flakyStore{Store: bs, fail: map[int64]bool{3: true, 4: true, 9: true, 17: true}}
	l, err := Open(dir, DefaultOptions().WithIndexer(testIndexer).withStore(fs))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	const callers, perCaller = 16, 40
	var mu sync.Mutex
	acked := map[string]Appended{}
	failed := 0
	var wg sync.WaitGroup
	for c := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perCaller {
				// Callers c and c+1 share half their records.
				rec := synthetic(c/2*perCaller + i)
				res, err := l.Append(context.Background(), rec)
				mu.Lock()
				switch {
				case errors.Is(err, errInjected):
					failed++
				case err != nil:
					t.Error(err)
				default:
					if a, ok := acked[res[0].EventID]; ok && a.Index != res[0].Index {
						t.Errorf("%s stored at %d and %d", res[0].EventID, a.Index, res[0].Index)
					}
					acked[res[0].EventID] = res[0]
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if failed == 0 {
		t.Fatal("no injected failure reached a caller")
	}
	for id, a := range acked {
		e, err := l.Get(a.Index)
		if err != nil || e.EventID != id {
			t.Fatalf("acknowledged %s at %d: %v, %v", id, a.Index, e, err)
		}
	}
	if n := l.Size(); n != int64(len(acked)) {
		t.Fatalf("log size %d, %d distinct records acknowledged", n, len(acked))
	}
	rep, err := l.Verify(nil)
	if err != nil || !rep.OK {
		t.Fatalf("verify: %+v %v", rep, err)
	}
}

// smallTxnStore refuses, as too big for one transaction, every batch holding more
// than max entries.
type smallTxnStore struct {
	Store
	max     int
	refused atomic.Int64
}

func (s *smallTxnStore) Write(b *Batch) error {
	n := 0
	for _, r := range b.Rows {
		if len(r.Key) == len(prefixEntry)+8 && string(r.Key[:1]) == prefixEntry {
			n++
		}
	}
	if n > s.max {
		s.refused.Add(1)
		return ErrBatchTooBig
	}
	time.Sleep(time.Millisecond) // let appends gather into groups meanwhile
	return s.Store.Write(b)
}

// TestGroupsTooBigForOneTransactionAreSplit: the appender halves a group of
// appends that the store finds too big until each part fits, so every caller's
// records are stored; an append too big on its own fails alone, storing nothing.
func TestGroupsTooBigForOneTransactionAreSplit(t *testing.T) {
	dir := t.TempDir()
	bs, err := openBadger(filepath.Join(dir, "store"), DefaultOptions().withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	small := &smallTxnStore{Store: bs, max: 3}
	l, err := Open(dir, DefaultOptions().WithIndexer(testIndexer).withStore(small))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	const callers = 32
	var wg sync.WaitGroup
	for c := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 4 {
				if _, err := l.Append(context.Background(), synthetic(c*4+i)); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if small.refused.Load() == 0 {
		t.Fatal("no group was too big: the split was not exercised")
	}
	if _, err := l.Append(context.Background(), synthetic(1000), synthetic(1001), synthetic(1002), synthetic(1003)); !errors.Is(err, ErrBatchTooBig) {
		t.Fatalf("an append of 4 records on a store of 3 per transaction: %v, want ErrBatchTooBig", err)
	}
	if n := l.Size(); n != callers*4 {
		t.Fatalf("log size %d, want %d", n, callers*4)
	}
	rep, err := l.Verify(nil)
	if err != nil || !rep.OK {
		t.Fatalf("verify: %+v %v", rep, err)
	}
}

// gatedStore holds every write, once armed, until the test lets it go (with the
// error to return), and counts the snapshots taken, so that a test can stage a
// commit while the one before it is being written.
type gatedStore struct {
	Store
	armed   atomic.Bool
	entered chan struct{}
	release chan error
	views   atomic.Int64
}

func (s *gatedStore) View(fn func(r Reader) error) error {
	s.views.Add(1)
	return s.Store.View(fn)
}

func (s *gatedStore) Write(b *Batch) error {
	if s.armed.Load() {
		s.entered <- struct{}{}
		if err := <-s.release; err != nil {
			return err
		}
	}
	return s.Store.Write(b)
}

// TestCommitStagedOnOneBeingWritten stages a full commit while the one before it
// is held in the writer: the later commit sees the earlier one's event IDs, chain
// heads, tree hashes and posting rows although the store does not hold them yet;
// when the earlier write fails, the later commit is staged again on the log as it
// is, and its callers never see the failed one.
func TestCommitStagedOnOneBeingWritten(t *testing.T) {
	for _, fail := range []bool{false, true} {
		t.Run(fmt.Sprintf("first write fails=%v", fail), func(t *testing.T) {
			dir := t.TempDir()
			bs, err := openBadger(filepath.Join(dir, "store"), DefaultOptions().withDefaults())
			if err != nil {
				t.Fatal(err)
			}
			gs := &gatedStore{Store: bs, entered: make(chan struct{}), release: make(chan error)}
			// Groups of two records are full: the appender stages a full group
			// while the commit before it is written (a smaller one waits).
			opts := DefaultOptions().WithIndexer(testIndexer).withStore(gs)
			opts.MaxBatchRecords = 2
			l, err := Open(dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			appendAll(t, l, synthetic(100), synthetic(101)) // a chunk under way, some chains
			gs.armed.Store(true)

			type result struct {
				res []Appended
				err error
			}
			first, second := make(chan result, 1), make(chan result, 1)
			go func() {
				res, err := l.Append(context.Background(), synthetic(0), synthetic(1))
				first <- result{res, err}
			}()
			<-gs.entered // the first commit is in the writer
			views := gs.views.Load()
			go func() {
				// synthetic(1) again, and synthetic(10), which shares synthetic(0)'s lot.
				res, err := l.Append(context.Background(), synthetic(1), synthetic(10))
				second <- result{res, err}
			}()
			for gs.views.Load() == views { // the second commit is being staged
				time.Sleep(time.Millisecond)
			}
			time.Sleep(20 * time.Millisecond)
			var injected error
			if fail {
				injected = errInjected
			}
			gs.release <- injected
			<-gs.entered // the second commit (staged again after a failure)
			gs.release <- nil

			a, b := <-first, <-second
			if b.err != nil {
				t.Fatalf("second append: %v", b.err)
			}
			if fail {
				if !errors.Is(a.err, errInjected) {
					t.Fatalf("first append: %v, want the injected failure", a.err)
				}
				if b.res[0].Duplicate || b.res[0].Index != 2 || b.res[1].Index != 3 {
					t.Fatalf("second append after the failed first: %+v", b.res)
				}
			} else {
				if a.err != nil {
					t.Fatalf("first append: %v", a.err)
				}
				if !b.res[0].Duplicate || b.res[0].Index != a.res[1].Index || b.res[1].Index != 4 {
					t.Fatalf("second append %+v on first %+v", b.res, a.res)
				}
				e, err := l.Get(4)
				if err != nil {
					t.Fatal(err)
				}
				if link := e.Links[0]; link.Prev != 2 || link.PrevHash != a.res[0].Hash {
					t.Fatalf("entry 4 links to %d %v, want entry 2 %v", link.Prev, link.PrevHash, a.res[0].Hash)
				}
			}
			gs.armed.Store(false)
			rep, err := l.Verify(nil)
			if err != nil || !rep.OK {
				t.Fatalf("verify: %+v %v", rep, err)
			}
		})
	}
}

// TestSubmittedBatchesKeepTheirOrder: batches submitted one after another, none
// waited for before the next, are stored in the order they were submitted.
func TestSubmittedBatchesKeepTheirOrder(t *testing.T) {
	l := openTest(t, t.TempDir())
	var waits []func() ([]Appended, error)
	for b := range 20 {
		var recs []Record
		for i := range 7 {
			recs = append(recs, synthetic(b*7+i))
		}
		wait, err := l.Submit(context.Background(), recs...)
		if err != nil {
			t.Fatal(err)
		}
		waits = append(waits, wait)
	}
	next := int64(0)
	for b, wait := range waits {
		res, err := wait()
		if err != nil {
			t.Fatalf("batch %d: %v", b, err)
		}
		for i, a := range res {
			if a.Duplicate || a.Index != next {
				t.Fatalf("batch %d record %d stored at %d (duplicate %v), want %d", b, i, a.Index, a.Duplicate, next)
			}
			next++
		}
	}
}

// TestAppendsArrivingDuringAWriteShareTheNextCommit: single appends that arrive
// while a commit is being written are gathered into one commit after it (group
// commit), not staged one by one beside the write.
func TestAppendsArrivingDuringAWriteShareTheNextCommit(t *testing.T) {
	dir := t.TempDir()
	bs, err := openBadger(filepath.Join(dir, "store"), DefaultOptions().withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	gs := &gatedStore{Store: bs, entered: make(chan struct{}), release: make(chan error)}
	l, err := Open(dir, DefaultOptions().WithIndexer(testIndexer).withStore(gs))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	gs.armed.Store(true)
	first := make(chan error, 1)
	go func() { _, err := l.Append(context.Background(), synthetic(0)); first <- err }()
	<-gs.entered
	const later = 5
	done := make(chan error, later)
	for i := range later {
		go func() { _, err := l.Append(context.Background(), synthetic(1+i)); done <- err }()
	}
	time.Sleep(50 * time.Millisecond) // the appender has taken them meanwhile
	gs.release <- nil
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	<-gs.entered // the next commit
	gs.release <- nil
	for range later {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-gs.entered:
			t.Fatal("the appends that waited were split over more than one commit")
		case <-time.After(10 * time.Second):
			t.Fatal("appends not answered")
		}
	}
	if n := l.Size(); n != 1+later {
		t.Fatalf("size %d, want %d", n, 1+later)
	}
}
