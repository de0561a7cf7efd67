package ledger

import (
	"errors"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// The appender is the log's single writer, in two stages so that the work of one
// commit overlaps the write of the one before it:
//
//   - the sequencer (appender) takes whatever appends are waiting, up to a
//     transaction's worth, and stages them: assigns indexes, links, tree hashes,
//     index rows and a signed checkpoint, reading the log and, if a commit is
//     still being written, that commit's staged state (it cannot be read back yet);
//   - the writer writes one staged batch at a time in one synced transaction.
//
// A commit is finished, and its callers answered, only once the writer reports
// it durable: that is the group commit, one sync for many callers, and an
// acknowledged append is a durable one. A commit staged on top of one whose write
// fails is staged again on the log as it is; a group too big for one transaction
// is split, and an append too big alone fails alone.

// A staged commit is a group of appends with everything its batch writes: the
// state the log has once the batch is durable.
type staged struct {
	group   []*appendReq
	results [][]Appended
	batch   *Batch
	size    int64 // entries before the commit
	next    int64 // entries after it
	hashes  map[int64]tlog.Hash
	heads   map[string]head
	ids     map[string]Appended
	posts   map[string]*[]byte // full posting rows written
	codes   []string           // codes with no chain before
	now     time.Time
	archive bool  // the checkpoint is also archived
	err     error // staging or writing failed
}

// appender is the sequencer; see above.
func (l *Log) appender() {
	defer close(l.stopped)
	toWriter := make(chan *staged)
	written := make(chan *staged)
	go func() {
		for st := range toWriter {
			st.err = l.store.Write(st.batch)
			written <- st
		}
	}()
	defer close(toWriter)

	var inflight *staged     // sent to the writer, not yet finished
	var queue [][]*appendReq // groups to commit before taking new appends
	var carry *appendReq     // taken, but did not fit in the last group
	for {
		var group []*appendReq
		if len(queue) > 0 {
			group, queue = queue[0], queue[1:]
		} else {
			first := carry
			carry = nil
			if first == nil {
				var done <-chan *staged
				if inflight != nil {
					done = written
				}
				select {
				case first = <-l.reqs:
				case st := <-done:
					queue = append(queue, l.finish(st)...)
					inflight = nil
					continue
				case <-l.closing:
					if inflight != nil {
						queue = append(queue, l.finish(<-written)...)
					}
					for _, g := range queue {
						answer(g, ErrClosed)
					}
					l.failWaiting()
					return
				}
			}
			g := l.collect(first)
			// While a commit is being written, appends keep arriving: gather
			// them until the group is full (then stage it at once, beside the
			// write) or the write is done. Staging a small group early would
			// only make more, smaller commits, each with its own sync.
			for inflight != nil && g.carry == nil && !g.full(l) {
				select {
				case r := <-l.reqs:
					g.add(l, r)
				case st := <-written:
					queue = append(queue, l.finish(st)...)
					inflight = nil
				}
			}
			group, carry = g.group, g.carry
		}
		st := l.stage(group, inflight)
		if inflight != nil {
			done := <-written
			retry := l.finish(done)
			inflight = nil
			if done.err != nil {
				// st was staged on a commit that did not happen: stage it again.
				queue = append(append(retry, group), queue...)
				continue
			}
		}
		switch {
		case st.err != nil:
			answer(group, st.err)
		case st.next == st.size: // nothing new: every record was a duplicate
			l.finish(st)
		default:
			toWriter <- st
			inflight = st
		}
	}
}

// A gathering is a group of appends being collected for one commit.
type gathering struct {
	group  []*appendReq
	n, est int        // records and estimated bytes
	carry  *appendReq // taken, but does not fit: it starts the next group
}

// full reports whether the group holds a transaction's worth of records or bytes.
func (g *gathering) full(l *Log) bool {
	return g.n >= l.opts.MaxBatchRecords || g.est >= l.batchBudget()
}

// add puts r in the group, or makes it the carry when it does not fit.
func (g *gathering) add(l *Log, r *appendReq) {
	if len(g.group) > 0 && (g.n+len(r.recs) > l.opts.MaxBatchRecords || g.est+r.est > l.batchBudget()) {
		g.carry = r
		return
	}
	g.group = append(g.group, r)
	g.n += len(r.recs)
	g.est += r.est
}

// collect gathers the appends waiting now, starting with first, up to the records
// and bytes of one transaction.
func (l *Log) collect(first *appendReq) *gathering {
	g := &gathering{}
	g.add(l, first)
	for g.carry == nil && !g.full(l) {
		select {
		case r := <-l.reqs:
			g.add(l, r)
		default:
			return g
		}
	}
	return g
}

// answer fails every append of a group with err.
func answer(group []*appendReq, err error) {
	for _, r := range group {
		r.res, r.err = nil, err
		close(r.done)
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

// finish ends a staged commit the writer has written (or one with nothing to
// write): on success it advances the log and answers the callers; on failure it
// answers them with the error, except for a group too big for one transaction,
// whose halves it returns to be committed again.
func (l *Log) finish(st *staged) (retry [][]*appendReq) {
	if st.err != nil {
		l.tail.reset() // the store may or may not hold the rows
		if errors.Is(st.err, ErrBatchTooBig) && len(st.group) > 1 {
			half := len(st.group) / 2
			return [][]*appendReq{st.group[:half], st.group[half:]}
		}
		answer(st.group, st.err)
		return nil
	}
	if st.next > st.size {
		l.tail.committed(st.size, st.next, st.posts)
		if st.archive {
			l.lastArchive = st.now
		}
		for code, h := range st.heads {
			l.heads.put(code, h)
		}
		for id := range st.ids {
			switch {
			case l.known.ids != nil:
				l.known.ids.add(id)
			case l.knownReady != nil:
				l.recent = append(l.recent, id)
			}
		}
		for _, code := range st.codes {
			switch {
			case l.known.codes != nil:
				l.known.codes.add(code)
			case l.knownReady != nil:
				l.recent = append(l.recent, "\x00"+code)
			}
		}
		l.size.Store(st.next)
		if l.opts.OnCommit != nil {
			l.opts.OnCommit(int(st.next-st.size), st.next)
		}
	}
	for gi, r := range st.group {
		r.res = st.results[gi]
		close(r.done)
	}
	return nil
}

// takeKnown hands the appender the filters loadKnown built, once they are ready.
func (l *Log) takeKnown() {
	if l.knownReady == nil {
		return
	}
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

// stage assigns indexes, links, tree hashes and index rows to the records of
// group on top of the log and of base, the commit still being written (nil when
// none is), and builds its batch with a new signed checkpoint.
func (l *Log) stage(group []*appendReq, base *staged) *staged {
	l.takeKnown()
	size := l.size.Load()
	lastArchive := l.lastArchive
	var under overlay
	if base != nil {
		size = base.next
		under = overlay{base}
		if base.archive {
			lastArchive = base.now
		}
	}
	recs := 0
	for _, r := range group {
		recs += len(r.recs)
	}
	// Sized for the synthetic supply chain's mix, so that they seldom grow.
	st := &staged{
		group: group, results: make([][]Appended, len(group)), batch: &Batch{Rows: make([]Row, 0, 4*recs+32)},
		size: size, next: size,
		hashes: make(map[int64]tlog.Hash, 2*recs), heads: make(map[string]head, 2*recs),
		ids: make(map[string]Appended, recs), posts: make(map[string]*[]byte, 4*recs),
		now: l.opts.Now().UTC(),
	}
	st.archive = st.now.Sub(lastArchive) >= l.opts.ArchiveInterval
	st.err = l.store.View(func(r Reader) error { return l.stageIn(r, st, under) })
	return st
}

// stageIn is stage's work on one store snapshot r.
func (l *Log) stageIn(r Reader, st *staged, under overlay) error {
	hashes := newStoreHashes(r, st.hashes)
	hashes.base = under.hashes()
	size, batch := st.size, st.batch
	// Posting rows of the chunk at the end of the log may already hold entries
	// of earlier commits: extend them.
	var postErr error
	post := func(key, rec []byte) {
		if row, ok := st.posts[string(key)]; ok {
			*row = append(*row, rec...)
			return
		}
		var v []byte
		if size&(1<<chunkShift-1) != 0 {
			if c, _ := postingChunk(key); c == size>>chunkShift {
				old, known := under.post(key)
				if !known {
					old, known = l.tail.lookup(c, key)
				}
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
		v = append(v, rec...)
		st.posts[string(key)] = &v
	}
	for gi, req := range st.group {
		res := make([]Appended, len(req.recs))
		for i := range req.recs {
			p := &req.recs[i]
			a, dup, err := l.existing(r, hashes, st.ids, under, p.rec.EventID)
			if err != nil {
				return err
			}
			if dup {
				res[i] = a
				continue
			}
			n := st.next
			e := &Entry{
				Index: n, RecordTime: st.now,
				EventID: p.rec.EventID, GivenID: p.rec.GivenID, Firm: p.rec.Firm,
				Event: p.rec.Event,
			}
			if len(p.keys.Products) > 0 {
				e.Links = make([]Link, len(p.keys.Products))
			}
			for j, code := range p.keys.Products {
				h, ok, err := l.headOf(r, hashes, st.heads, under, code)
				if err != nil {
					return err
				}
				e.Links[j] = Link{Code: code, Prev: -1}
				if ok {
					e.Links[j].Prev, e.Links[j].PrevHash = h.index, h.hash
				} else {
					st.codes = append(st.codes, code)
				}
			}
			enc, err := e.Marshal()
			if err != nil {
				return err
			}
			leaf := LeafHash(enc)
			stored, err := tlog.StoredHashesForRecordHash(n, leaf, hashes)
			if err != nil {
				return err
			}
			base := tlog.StoredHashIndex(0, n)
			for j, h := range stored {
				st.hashes[base+int64(j)] = h
			}
			batch.Put(entryKey(n), enc)
			p.rows.emit(n, batch.Put, post)
			if postErr != nil {
				return postErr
			}
			for _, code := range p.keys.Products {
				st.heads[code] = head{index: n, hash: leaf}
			}
			a = Appended{Index: n, EventID: e.EventID, Hash: leaf}
			st.ids[e.EventID] = a
			res[i] = a
			st.next++
		}
		st.results[gi] = res
	}
	if st.next == size {
		return nil
	}
	if err := putHashRows(batch, hashes, size, st.next); err != nil {
		return err
	}
	for key, v := range st.posts {
		batch.Put([]byte(key), *v)
	}
	root, err := tlog.TreeHash(st.next, hashes)
	if err != nil {
		return err
	}
	cp, err := signCheckpoint(l.signer, st.next, root)
	if err != nil {
		return err
	}
	batch.Put([]byte(keyCheckpoint), cp)
	if st.archive {
		batch.Put(archiveKey(st.next), cp)
	}
	return nil
}

// overlay is what a staged commit reads before the store: the state of the commit
// still being written, if any.
type overlay struct{ base *staged }

// hashes returns the tree hashes the commit being written adds.
func (o overlay) hashes() map[int64]tlog.Hash {
	if o.base == nil {
		return nil
	}
	return o.base.hashes
}

// post returns the posting row of key as the commit being written left it.
func (o overlay) post(key []byte) ([]byte, bool) {
	if o.base == nil {
		return nil, false
	}
	if v, ok := o.base.posts[string(key)]; ok {
		return *v, true
	}
	return nil, false
}

// head returns the chain head of code as the commit being written left it.
func (o overlay) head(code string) (head, bool) {
	if o.base == nil {
		return head{}, false
	}
	h, ok := o.base.heads[code]
	return h, ok
}

// id returns where the commit being written put an event hash ID.
func (o overlay) id(id string) (Appended, bool) {
	if o.base == nil {
		return Appended{}, false
	}
	a, ok := o.base.ids[id]
	return a, ok
}
