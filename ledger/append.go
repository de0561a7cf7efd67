package ledger

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// A Record is what a caller appends: an event's canonical bytes and who submitted
// it. The event hash ID is its identity: a record whose ID is already in the log
// is not stored again.
type Record struct {
	Event   []byte // the event's canonical bytes
	EventID string // event hash ID; may be empty when the Indexer supplies it
	GivenID string // the capturer's eventID; empty means the Indexer's GivenID
	Firm    string // the submitting firm
	// Keys, when not nil, are the event's index data already derived by the
	// caller (Capture derives them from the event it has parsed), and Append does
	// not run the Indexer on Event. They are trusted at append time: Verify
	// re-derives them from the stored bytes with the Indexer and reports every
	// entry where they differ, so wrong keys show up as a log that does not verify.
	Keys *IndexKeys
}

// Appended reports where a record is in the log.
type Appended struct {
	Index     int64     // entry index
	EventID   string    // event hash ID
	Hash      tlog.Hash // the entry's leaf hash
	Duplicate bool      // the event was already in the log (or earlier in the same call)
}

// appendReq is one Append call waiting for the appender.
type appendReq struct {
	recs []prepared
	est  int // estimated batch bytes
	res  []Appended
	err  error
	done chan struct{}
}

// prepared is a record with its index data, derived in the caller's goroutine so
// that the appender only orders, hashes and writes.
type prepared struct {
	rec  Record
	keys IndexKeys
	rows entryRows
}

// Append appends records as one atomic batch (all or nothing, for example one
// EPCIS document) and returns once they are durable, one result per record in
// order. Records whose event hash ID is already stored, or repeated in the call,
// come back with Duplicate set and the existing entry's index. Cancelling ctx
// abandons the wait but not the write: the records may still be committed.
func (l *Log) Append(ctx context.Context, recs ...Record) ([]Appended, error) {
	wait, err := l.Submit(ctx, recs...)
	if err != nil {
		return nil, err
	}
	return wait()
}

// Submit is Append in two steps: it returns once the appender has taken the
// records, and wait returns once they are durable, with Append's results. The
// appender takes submissions in order, so one goroutine that submits batches one
// after another and waits for them later keeps them in the log in that order
// while the appender stages one as it writes the one before (an import reading
// ahead does). wait must be called; ctx bounds both steps.
func (l *Log) Submit(ctx context.Context, recs ...Record) (wait func() ([]Appended, error), err error) {
	if l.opts.ReadOnly {
		return nil, errors.New("ledger: append to a read-only log")
	}
	if l.opts.Indexer == nil {
		return nil, errors.New("ledger: append: no Indexer in Options")
	}
	if len(recs) == 0 {
		return func() ([]Appended, error) { return nil, nil }, nil
	}
	req := &appendReq{done: make(chan struct{})}
	if req.recs, err = l.prepare(recs); err != nil {
		return nil, err
	}
	for i := range req.recs {
		req.est += estimate(&req.recs[i])
	}
	select {
	case l.reqs <- req:
	case <-l.closing:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return func() ([]Appended, error) {
		select {
		case <-req.done:
			return req.res, req.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}, nil
}

// parallelPrepare is the number of records from which Append derives their keys on
// every core rather than in the caller's goroutine alone.
const parallelPrepare = 64

// prepare derives every record's index data (with the Indexer unless the record
// carries its keys) and checks its identity. Large calls are spread over the cores.
func (l *Log) prepare(recs []Record) ([]prepared, error) {
	out := make([]prepared, len(recs))
	err := inParallel(len(recs), func(i int) error { return l.prepareOne(i, recs[i], &out[i]) })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// inParallel calls fn for 0 <= i < n, on every core when n is at least
// parallelPrepare per core, each core taking a run of consecutive i. It returns the
// error of the lowest i that failed among those tried (each core stops at its first).
func inParallel(n int, fn func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n/parallelPrepare)
	if workers <= 1 {
		for i := range n {
			if err := fn(i); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, workers)
	per := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w * per; i < min((w+1)*per, n); i++ {
				if errs[w] = fn(i); errs[w] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// prepareOne derives record i's index data into p.
func (l *Log) prepareOne(i int, rec Record, p *prepared) error {
	var k IndexKeys
	if rec.Keys != nil {
		k = *rec.Keys
	} else {
		var err error
		if k, err = l.opts.Indexer(rec.Event); err != nil {
			return fmt.Errorf("ledger: record %d: index: %w", i, err)
		}
	}
	if err := k.normalize(); err != nil {
		return fmt.Errorf("ledger: record %d: %w", i, err)
	}
	if rec.EventID == "" {
		rec.EventID = k.EventID
	} else if k.EventID != "" && k.EventID != rec.EventID {
		return fmt.Errorf("ledger: record %d: event ID %q differs from the Indexer's %q", i, rec.EventID, k.EventID)
	}
	if rec.EventID == "" {
		return fmt.Errorf("ledger: record %d: no event hash ID", i)
	}
	if rec.GivenID == "" {
		rec.GivenID = k.GivenID
	}
	k.GivenID = rec.GivenID
	rec.Keys = nil
	*p = prepared{rec: rec, keys: k, rows: rowsOf(rec.EventID, rec.GivenID, rec.Firm, k.Products, &k)}
	return nil
}

// estimate approximates a record's share of a transaction: the entry, its tree
// hashes and its index rows.
func estimate(p *prepared) int {
	k := &p.keys
	rows := 6 + 2*len(k.Products) + len(k.Locations) + 2*len(k.Edges)
	size := len(p.rec.Event) + 2*len(p.rec.EventID) + len(p.rec.GivenID) + 2*len(p.rec.Firm) + rows*rowOverhead
	for _, c := range k.Products {
		size += 3 * len(c)
	}
	for _, c := range k.Locations {
		size += len(c)
	}
	for _, e := range k.Edges {
		size += 2 * (len(e.From) + len(e.To) + len(e.Kind))
	}
	return size
}

// batchBudget is how many estimated bytes the appender puts in one transaction:
// half of Badger's limit (15 % of the memtable), leaving room for the estimate's error.
func (l *Log) batchBudget() int { return int(l.opts.MemTableSize * 15 / 100 / 2) }

// putHashRows puts the tree hash rows of entries size to next-1 (see tree.go): the
// row at the end of the log again, with the hashes it had and the new ones.
func putHashRows(batch *Batch, hashes storeHashes, size, next int64) error {
	for row := size >> hashRowShift; row<<hashRowShift < next; row++ {
		lo, hi := hashRowStart(row), tlog.StoredHashIndex(0, min(next, (row+1)<<hashRowShift))
		idx := make([]int64, hi-lo)
		for i := range idx {
			idx[i] = lo + int64(i)
		}
		hs, err := hashes.ReadHashes(idx)
		if err != nil {
			return err
		}
		v := make([]byte, 0, len(hs)*tlog.HashSize)
		for _, h := range hs {
			v = append(v, h[:]...)
		}
		batch.Put(hashKey(row), v)
	}
	return nil
}

// maxHeadCache bounds the appender's cache of chain heads (about 150 bytes each).
const maxHeadCache = 1 << 17

// headCache keeps recently committed chain heads in two generations: when the
// newer one is full it becomes the older one, so the heads of the codes last
// touched survive a turnover, which a single map cleared when full would drop.
type headCache struct {
	cur, old map[string]head
}

func (c *headCache) get(code string) (head, bool) {
	if h, ok := c.cur[code]; ok {
		return h, true
	}
	h, ok := c.old[code]
	return h, ok
}

func (c *headCache) put(code string, h head) {
	if c.cur == nil || len(c.cur) >= maxHeadCache/2 {
		c.old, c.cur = c.cur, make(map[string]head)
	}
	// The code may be a slice of a whole captured document (the EPCIS parser's
	// strings share its input): copy it, or the cache would keep every document
	// it ever saw a code of.
	c.cur[strings.Clone(code)] = h
}

// existing reports whether an event hash ID is already in the log, the commit
// being written or earlier in this one, and where.
func (l *Log) existing(r Reader, hashes storeHashes, pending map[string]Appended, under overlay, id string) (Appended, bool, error) {
	if a, ok := pending[id]; ok {
		a.Duplicate = true
		return a, true, nil
	}
	if a, ok := under.id(id); ok {
		a.Duplicate = true
		return a, true, nil
	}
	if l.known.ids != nil && !l.known.ids.mayHave(id) {
		return Appended{}, false, nil
	}
	v, err := r.Get(eventIDKey(id))
	if errors.Is(err, ErrNotFound) {
		return Appended{}, false, nil
	}
	if err != nil {
		return Appended{}, false, err
	}
	if len(v) != 8 {
		return Appended{}, false, fmt.Errorf("ledger: event ID index %q: malformed value", id)
	}
	n := getIndex(v)
	h, err := hashes.ReadHashes([]int64{tlog.StoredHashIndex(0, n)})
	if err != nil {
		return Appended{}, false, err
	}
	return Appended{Index: n, EventID: id, Hash: h[0], Duplicate: true}, true, nil
}

// headOf returns the newest entry under code: from this commit, the commit being
// written, the cache, or the store (unless the filter of codes says the code has
// no chain yet).
func (l *Log) headOf(r Reader, hashes storeHashes, pending map[string]head, under overlay, code string) (head, bool, error) {
	if h, ok := pending[code]; ok {
		return h, true, nil
	}
	if h, ok := under.head(code); ok {
		return h, true, nil
	}
	if h, ok := l.heads.get(code); ok {
		return h, true, nil
	}
	if l.known.codes != nil && !l.known.codes.mayHave(code) {
		return head{}, false, nil
	}
	h, err := readHead(r, hashes, code)
	if errors.Is(err, ErrUnknownCode) {
		return head{}, false, nil
	}
	return h, err == nil, err
}
