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
	if l.opts.ReadOnly {
		return nil, errors.New("ledger: append to a read-only log")
	}
	if l.opts.Indexer == nil {
		return nil, errors.New("ledger: append: no Indexer in Options")
	}
	if len(recs) == 0 {
		return nil, nil
	}
	req := &appendReq{done: make(chan struct{})}
	var err error
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
	select {
	case <-req.done:
		return req.res, req.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
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

// appender is the single writer. It takes whatever appends are waiting (the
// callers block on the unbuffered channel while a commit is in flight), commits
// them in one synced transaction with one signed checkpoint, then answers them.
// That is the group commit: one sync for many callers.
func (l *Log) appender() {
	defer close(l.stopped)
	var carry *appendReq
	for {
		first := carry
		carry = nil
		if first == nil {
			select {
			case first = <-l.reqs:
			case <-l.closing:
				l.failWaiting()
				return
			}
		}
		group := []*appendReq{first}
		n, est := len(first.recs), first.est
	drain:
		for n < l.opts.MaxBatchRecords && est < l.batchBudget() {
			select {
			case r := <-l.reqs:
				if n+len(r.recs) > l.opts.MaxBatchRecords || est+r.est > l.batchBudget() {
					carry = r
					break drain
				}
				group = append(group, r)
				n += len(r.recs)
				est += r.est
			default:
				break drain
			}
		}
		l.commit(group)
	}
}

func (l *Log) failWaiting() {
	for {
		select {
		case r := <-l.reqs:
			r.err = ErrClosed
			close(r.done)
		default:
			return
		}
	}
}

// commit writes a group of appends in one transaction and answers them. When the
// store finds the transaction too big it splits the group; a single append too
// big for one transaction fails alone.
func (l *Log) commit(group []*appendReq) {
	before := l.size.Load()
	err := l.commitGroup(group)
	if errors.Is(err, ErrBatchTooBig) && len(group) > 1 {
		half := len(group) / 2
		l.commit(group[:half])
		l.commit(group[half:])
		return
	}
	if after := l.size.Load(); err == nil && after > before && l.opts.OnCommit != nil {
		l.opts.OnCommit(int(after-before), after)
	}
	for _, r := range group {
		if err != nil {
			r.res, r.err = nil, err
		}
		close(r.done)
	}
}

// commitGroup assigns indexes, links, tree hashes and index rows to the records
// of group, writes them with a new signed checkpoint, and on success records the
// results in the requests and advances the log.
func (l *Log) commitGroup(group []*appendReq) error {
	if l.knownReady != nil {
		select {
		case k := <-l.knownReady:
			if k.ids != nil {
				for _, x := range l.recent {
					if code, ok := strings.CutPrefix(x, "\x00"); ok {
						k.codes.add(code)
					} else {
						k.ids.add(x)
					}
				}
			}
			l.known, l.knownReady, l.recent = k, nil, nil
		default:
		}
	}
	size := l.size.Load()
	next := size
	batch := &Batch{}
	pendingHash := make(map[int64]tlog.Hash)
	pendingHead := make(map[string]head)
	var newCodes []string
	pendingID := make(map[string]Appended)
	pendingPost := make(map[string][]byte)
	now := l.opts.Now().UTC()
	results := make([][]Appended, len(group))

	err := l.store.View(func(r Reader) error {
		hashes := newStoreHashes(r, pendingHash)
		// Posting rows of the chunk at the end of the log may already hold entries
		// of earlier commits: extend them.
		var postErr error
		post := func(key, rec []byte) {
			v, ok := pendingPost[string(key)]
			if !ok && size&(1<<chunkShift-1) != 0 {
				if c, _ := postingChunk(key); c == size>>chunkShift {
					old, known := l.tail.lookup(c, key)
					if !known {
						var err error
						old, err = r.Get(key)
						if err != nil && !errors.Is(err, ErrNotFound) {
							postErr = err
						}
					}
					v = append(make([]byte, 0, len(old)+len(rec)), old...)
				}
			}
			pendingPost[string(key)] = append(v, rec...)
		}
		for gi, req := range group {
			res := make([]Appended, len(req.recs))
			for i := range req.recs {
				p := &req.recs[i]
				a, dup, err := l.existing(r, hashes, pendingID, p.rec.EventID)
				if err != nil {
					return err
				}
				if dup {
					res[i] = a
					continue
				}
				e := &Entry{
					Index: next, RecordTime: now,
					EventID: p.rec.EventID, GivenID: p.rec.GivenID, Firm: p.rec.Firm,
					Event: p.rec.Event,
				}
				if len(p.keys.Products) > 0 {
					e.Links = make([]Link, len(p.keys.Products))
				}
				for j, code := range p.keys.Products {
					h, ok, err := l.headOf(r, hashes, pendingHead, code)
					if err != nil {
						return err
					}
					e.Links[j] = Link{Code: code, Prev: -1}
					if ok {
						e.Links[j].Prev, e.Links[j].PrevHash = h.index, h.hash
					} else {
						newCodes = append(newCodes, code)
					}
				}
				enc, err := e.Marshal()
				if err != nil {
					return err
				}
				leaf := LeafHash(enc)
				stored, err := tlog.StoredHashesForRecordHash(next, leaf, hashes)
				if err != nil {
					return err
				}
				base := tlog.StoredHashIndex(0, next)
				for j, h := range stored {
					pendingHash[base+int64(j)] = h
				}
				batch.Put(entryKey(next), enc)
				p.rows.emit(next, batch.Put, post)
				if postErr != nil {
					return postErr
				}
				for _, code := range p.keys.Products {
					pendingHead[code] = head{index: next, hash: leaf}
				}
				a = Appended{Index: next, EventID: e.EventID, Hash: leaf}
				pendingID[e.EventID] = a
				res[i] = a
				next++
			}
			results[gi] = res
		}
		if next == size {
			return nil
		}
		if err := putHashRows(batch, hashes, size, next); err != nil {
			return err
		}
		for key, v := range pendingPost {
			batch.Put([]byte(key), v)
		}
		root, err := tlog.TreeHash(next, hashes)
		if err != nil {
			return err
		}
		cp, err := signCheckpoint(l.signer, next, root)
		if err != nil {
			return err
		}
		batch.Put([]byte(keyCheckpoint), cp)
		if now.Sub(l.lastArchive) >= l.opts.ArchiveInterval {
			batch.Put(archiveKey(next), cp)
		}
		return nil
	})
	if err == nil && next > size {
		if err = l.store.Write(batch); err != nil {
			l.tail.reset()
		}
	}
	if err != nil {
		return err
	}
	if next > size {
		l.tail.committed(size, next, pendingPost)
		if now.Sub(l.lastArchive) >= l.opts.ArchiveInterval {
			l.lastArchive = now
		}
		for code, h := range pendingHead {
			l.heads.put(code, h)
		}
		for id := range pendingID {
			switch {
			case l.known.ids != nil:
				l.known.ids.add(id)
			case l.knownReady != nil:
				l.recent = append(l.recent, id)
			}
		}
		for _, code := range newCodes {
			switch {
			case l.known.codes != nil:
				l.known.codes.add(code)
			case l.knownReady != nil:
				l.recent = append(l.recent, "\x00"+code)
			}
		}
		l.size.Store(next)
	}
	for gi, req := range group {
		req.res = results[gi]
	}
	return nil
}

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

// existing reports whether an event hash ID is already in the log or earlier in
// the group, and where.
func (l *Log) existing(r Reader, hashes storeHashes, pending map[string]Appended, id string) (Appended, bool, error) {
	if a, ok := pending[id]; ok {
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

// headOf returns the newest entry under code: from this group, the cache, or the
// store (unless the filter of codes says the code has no chain yet).
func (l *Log) headOf(r Reader, hashes storeHashes, pending map[string]head, code string) (head, bool, error) {
	if h, ok := pending[code]; ok {
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
