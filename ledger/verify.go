package ledger

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// Verify recomputes everything in the log from its entries and compares it with
// what is stored:
//
//   - every entry decodes canonically and is stored under its own index, with no gaps;
//   - every per-product link names the previous entry under its code by index and
//     leaf hash (the newest entry under a code, its chain's head, is the last
//     record of its product index, checked with the other index rows);
//   - every stored tree hash equals the hash recomputed from the entries' leaf hashes;
//   - every checkpoint (the latest and the archived ones) carries a valid signature
//     of this log's key and the root of the recomputed tree of its size, and the
//     latest covers every entry;
//   - every index row (event hash ID, product, given ID, location, firm, bizStep,
//     disposition, time, genealogy edges) equals the rows rebuilt from the entries
//     with the Indexer, none missing and none extra.
//
// Everything is read from one snapshot, so Verify runs beside appends. Indexes are
// compared by keyed multiset digests per family and range of 4096 entries, and
// only a range whose digests differ is rebuilt row by row to name the entry. The
// report names the first bad entry; the error is for I/O and setup failures.

// A Problem is one thing Verify found wrong.
type Problem struct {
	Entry int64  `json:"entry"` // the entry at fault, -1 when none can be named
	What  string `json:"what"`
}

// A VerifyReport is the outcome of Verify.
type VerifyReport struct {
	Entries     int64     `json:"entries"`     // entries checked
	TreeHashes  int64     `json:"treeHashes"`  // stored tree hashes checked
	IndexRows   int64     `json:"indexRows"`   // index rows rebuilt
	Checkpoints int       `json:"checkpoints"` // signed checkpoints checked
	OK          bool      `json:"ok"`
	FirstBad    int64     `json:"firstBad"` // lowest entry named by a problem, -1 if none
	Problems    []Problem `json:"problems"` // the first maxProblems problems, lowest entry first
}

// Err returns nil for an intact log, or an error naming the first bad entry and
// what differs.
func (r *VerifyReport) Err() error {
	if r.OK {
		return nil
	}
	p := r.Problems[0]
	if p.Entry >= 0 {
		return fmt.Errorf("%w: entry %d: %s", ErrTampered, p.Entry, p.What)
	}
	return fmt.Errorf("%w: %s", ErrTampered, p.What)
}

// ErrTampered is wrapped by VerifyReport.Err.
var ErrTampered = errors.New("ledger: log does not verify")

const (
	maxProblems = 100
	bucketSize  = 4096 // entries per index digest range
)

// Verify opens the log in dir, verifies it and closes it.
func Verify(dir string, opts Options, progress func(done, total int64)) (*VerifyReport, error) {
	l, err := Open(dir, opts)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	return l.Verify(progress)
}

// verifier is the state of one Verify run.
type verifier struct {
	l    *Log
	r    Reader
	seed maphash.Seed
	mix  [3]uint64 // random keys of rowHash
	// spentLeaves are chunks of leaf hashes the tree check is done with, for the
	// entry pass to fill again.
	spentLeaves chan []tlog.Hash
	latest      *Checkpoint // the latest checkpoint, if it opened
	mu          sync.Mutex
	report      *VerifyReport
}

func (v *verifier) problem(entry int64, format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.report.Problems = append(v.report.Problems, Problem{Entry: entry, What: fmt.Sprintf(format, args...)})
}

// digest is a keyed multiset hash of index rows: equal sets of rows give equal
// digests whatever the order, and the random key keeps anyone from crafting a
// different set with the same digest.
type digest struct{ sum, xor uint64 }

type digestKey struct {
	family string
	bucket int64
}

// famSlots is the number of row families a digestSet tells apart: one per first
// byte, one per second byte under prefixIndex, and one for the empty key.
const famSlots = 2*256 + 1

// famSlot numbers the family rowFamily names, without building its string: Verify
// digests every row, and a string-keyed map lookup per row was a tenth of its time.
func famSlot(key []byte) int {
	switch {
	case len(key) >= 2 && key[0] == prefixIndex[0]:
		return 256 + int(key[1])
	case len(key) == 0:
		return 2 * 256
	}
	return int(key[0])
}

// slotFamily is the family string of a famSlot.
func slotFamily(slot int) string { return slotFamilies[slot] }

// slotFamilies are the family strings by famSlot, made once: rowFamily runs for
// every stored row, and a two-byte string made from the key is an allocation.
var slotFamilies = func() (fams [famSlots]string) {
	for slot := range fams {
		switch {
		case slot == 2*256:
			fams[slot] = ""
		case slot >= 256:
			fams[slot] = prefixIndex[:1] + string([]byte{byte(slot - 256)})
		default:
			fams[slot] = string([]byte{byte(slot)})
		}
	}
	return fams
}()

// A digestSet holds the digests of rows by family slot and range of entries.
type digestSet [famSlots][]digest

// keyHash is the keyed hash of a row's key, which rowHash takes: the records of a
// stored posting row share it.
func (v *verifier) keyHash(key []byte) uint64 { return maphash.Bytes(v.seed, key) }

// rowHash is the keyed hash of one row, or one record of a posting row: its key's
// hash (keyHash) and its value's (or record's) mixed together by a 128-bit product
// with random keys. Mixing, rather than adding or xoring the two, keeps two rows
// that swap values from digesting as the rows they were. A value of up to 8 bytes
// (an entry index, the offset of a posting record) is taken as a number instead of
// being hashed (12 ns a row instead of 13 for hashing the value and the pair, and
// 15 for hashing key and value in one maphash.Hash; every row is digested twice).
func (v *verifier) rowHash(keyHash uint64, value []byte) uint64 {
	var vh uint64
	if len(value) <= 8 {
		var b [8]byte
		copy(b[:], value)
		vh = binary.LittleEndian.Uint64(b[:]) ^ uint64(len(value))*v.mix[0]
	} else {
		vh = maphash.Bytes(v.seed, value)
	}
	hi, lo := bits.Mul64(keyHash^v.mix[1], vh^v.mix[2])
	return hi ^ lo
}

// add adds the row hash s of a row of entry n to d.
func (d *digestSet) add(slot int, n int64, s uint64) {
	b := int(n / bucketSize)
	ds := d[slot]
	if b >= len(ds) {
		ds = append(ds, make([]digest, b+1-len(ds))...)
		d[slot] = ds
	}
	ds[b].sum += s
	ds[b].xor ^= s*0x9e3779b97f4a7c15 + 1
}

// merge adds the rows of o to d.
func (d *digestSet) merge(o *digestSet) {
	for slot, ds := range o {
		if n := len(ds); n > len(d[slot]) {
			d[slot] = append(d[slot], make([]digest, n-len(d[slot]))...)
		}
		for b, x := range ds {
			d[slot][b].sum += x.sum
			d[slot][b].xor ^= x.xor
		}
	}
}

// differ lists the families and ranges whose digests differ between a and b.
func differ(a, b *digestSet) []digestKey {
	var bad []digestKey
	for slot := range famSlots {
		x, y := a[slot], b[slot]
		for i := range max(len(x), len(y)) {
			var dx, dy digest
			if i < len(x) {
				dx = x[i]
			}
			if i < len(y) {
				dy = y[i]
			}
			if dx != dy {
				bad = append(bad, digestKey{slotFamily(slot), int64(i)})
			}
		}
	}
	return bad
}

// Verify checks the whole log; see the comment at the top of verify.go. progress,
// when not nil, is called now and then with entries done and the total.
func (l *Log) Verify(progress func(done, total int64)) (*VerifyReport, error) {
	if l.opts.Indexer == nil {
		return nil, errors.New("ledger: verify: no Indexer in Options")
	}
	rep := &VerifyReport{FirstBad: -1}
	err := l.store.View(func(r Reader) error {
		v := &verifier{l: l, r: r, seed: maphash.MakeSeed(), report: rep}
		for i := range v.mix {
			v.mix[i] = rand.Uint64() | 1
		}
		return v.run(progress)
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(rep.Problems, func(i, j int) bool {
		a, b := rep.Problems[i].Entry, rep.Problems[j].Entry
		if a < 0 || b < 0 {
			return a >= 0 && b < 0
		}
		return a < b
	})
	if len(rep.Problems) > 0 && rep.Problems[0].Entry >= 0 {
		rep.FirstBad = rep.Problems[0].Entry
	}
	if len(rep.Problems) > maxProblems {
		rep.Problems = rep.Problems[:maxProblems]
	}
	rep.OK = len(rep.Problems) == 0
	return rep, nil
}

func (v *verifier) run(progress func(done, total int64)) error {
	total, err := v.l.countSnapshot(v.r)
	if err != nil {
		return err
	}
	cps, err := v.checkpoints()
	if err != nil {
		return err
	}
	// The tree check and the scan of the stored index rows run beside the entry pass.
	leaves := make(chan []tlog.Hash, 16)
	v.spentLeaves = make(chan []tlog.Hash, 16+2) // chunks of leaves checkTree is done with
	var wg sync.WaitGroup
	var treeErr, rowsErr error
	actual := new(digestSet)
	wg.Add(2)
	go func() { defer wg.Done(); treeErr = v.checkTree(leaves, total, cps) }()
	go func() { defer wg.Done(); rowsErr = v.scanRows(actual, total) }()
	expected := new(digestSet)
	entryErr := v.checkEntries(leaves, expected, total, progress)
	close(leaves)
	wg.Wait()
	if err := errors.Join(entryErr, treeErr, rowsErr); err != nil {
		return err
	}
	bad := differ(expected, actual)
	slices.SortFunc(bad, func(a, b digestKey) int {
		if a.bucket != b.bucket {
			return int(a.bucket - b.bucket)
		}
		return strings.Compare(a.family, b.family)
	})
	for _, k := range bad {
		if err := v.diffRows(k, total); err != nil {
			return err
		}
		if len(v.report.Problems) >= maxProblems {
			break
		}
	}
	if progress != nil {
		progress(total, total)
	}
	return nil
}

// countSnapshot returns one more than the last entry index in the snapshot.
func (l *Log) countSnapshot(r Reader) (int64, error) {
	n := int64(0)
	err := r.Scan([]byte(prefixEntry), nil, true, func(k, _ []byte) (bool, error) {
		if len(k) == len(prefixEntry)+8 {
			n = getIndex(k[len(prefixEntry):]) + 1
		}
		return false, nil
	})
	return n, err
}

// checkpoints opens every stored checkpoint; the latest comes first.
func (v *verifier) checkpoints() ([]*Checkpoint, error) {
	var cps []*Checkpoint
	msg, err := v.r.Get([]byte(keyCheckpoint))
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return nil, err
	default:
		cp, err := openCheckpoint(bytes.Clone(msg), v.l.verifier)
		if err != nil {
			v.problem(-1, "latest checkpoint: %v", err)
		} else {
			cps = append(cps, cp)
			v.latest = cp
		}
	}
	err = v.r.Scan([]byte(prefixArchive), nil, false, func(k, val []byte) (bool, error) {
		if len(k) != len(prefixArchive)+8 {
			v.problem(-1, "malformed archived checkpoint key %q", k)
			return true, nil
		}
		size := getIndex(k[len(prefixArchive):])
		cp, err := openCheckpoint(bytes.Clone(val), v.l.verifier)
		if err != nil {
			v.problem(max(size-1, -1), "archived checkpoint %d: %v", size, err)
		} else if cp.Size != size {
			v.problem(max(size-1, -1), "archived checkpoint %d is for size %d", size, cp.Size)
		} else {
			cps = append(cps, cp)
		}
		return true, nil
	})
	return cps, err
}

// verifyItem is one entry on its way through the entry pass.
type verifyItem struct {
	n      int64
	val    []byte
	gapped bool // an earlier entry is missing: the tree can no longer be recomputed
	leaf   tlog.Hash
	e      *Entry // &entry, nil when the entry is unusable (reported)
	entry  Entry  // decoded in place, its links' room reused with the batch
}

// verifyBatch is a run of consecutive entries handled by one worker.
type verifyBatch struct {
	items []verifyItem
	// buf holds the items' values, which their decoded entries' strings are views
	// of: the entry pass reuses a batch, buf and all, once its entries are checked
	// in order (allocating it anew was most of Verify's garbage).
	buf  []byte
	done chan struct{}
}

// A batch holds up to batchEntries entries and batchBytes of their values (more
// for a larger value alone).
const (
	batchEntries = 256
	batchBytes   = 384 << 10
)

// checkEntries is the entry pass: canonical decoding, indexes in place, chains,
// and the index rows each entry should have. Decoding, hashing and the Indexer
// (the costly part: it parses the event) run on every core; the chain check and
// the leaves for the tree check follow in entry order.
func (v *verifier) checkEntries(leaves chan<- []tlog.Hash, expected *digestSet, total int64, progress func(done, total int64)) error {
	workers := max(1, runtime.GOMAXPROCS(0))
	work := make(chan *verifyBatch, 2*workers)
	ordered := make(chan *verifyBatch, 4*workers)
	digests := make([]*digestSet, workers)
	rows := make([]int64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		digests[w] = new(digestSet)
		wg.Add(1)
		go func() {
			defer wg.Done()
			scratch := &rowScratch{}
			n := int64(0) // counted here: rows[w] shares its cache line with the other workers'
			for b := range work {
				for i := range b.items {
					n += v.checkEntry(&b.items[i], digests[w], scratch)
				}
				close(b.done)
			}
			rows[w] = n
		}()
	}
	// Batches whose entries are all checked, for the scan to fill again. Up to as
	// many as the channels above hold, and the one being filled, are in use at once.
	free := make(chan *verifyBatch, 6*workers+2)
	newBatch := func() *verifyBatch {
		select {
		case b := <-free:
			b.items, b.buf, b.done = b.items[:0], b.buf[:0], make(chan struct{})
			return b
		default:
			return &verifyBatch{items: make([]verifyItem, 0, batchEntries), buf: make([]byte, 0, batchBytes), done: make(chan struct{})}
		}
	}
	// Sized for a code per two entries (the synthetic chain has about 0.4), up to
	// 64k codes: growing the map from empty cost about 1.5% of Verify's CPU.
	heads := &chainHeads{at: make(map[string]int, min(total/2, 1<<16))}
	seqDone := make(chan struct{})
	go func() {
		defer close(seqDone)
		chunk := make([]tlog.Hash, 0, 1024)
		for b := range ordered {
			<-b.done
			for _, it := range b.items {
				if !it.gapped {
					chunk = append(chunk, it.leaf)
					if len(chunk) == cap(chunk) {
						leaves <- chunk
						select {
						case chunk = <-v.spentLeaves:
						default:
							chunk = make([]tlog.Hash, 0, 1024)
						}
					}
				}
				if it.e != nil {
					v.checkLinks(it.e, it.leaf, heads)
				}
			}
			// Nothing refers to the batch's values any more: the problems
			// reported copied what they name, and the chain heads own their codes.
			select {
			case free <- b:
			default:
			}
		}
		if len(chunk) > 0 {
			leaves <- chunk
		}
	}()

	next := int64(0)
	gapped := false
	// Counted here, and the report's counters set at the end: the tree check counts
	// in the same cache line as it goes.
	entries := int64(0)
	batch := newBatch()
	send := func() {
		if len(batch.items) > 0 {
			ordered <- batch
			work <- batch
			batch = newBatch()
		}
	}
	err := v.r.Scan([]byte(prefixEntry), nil, false, func(k, val []byte) (bool, error) {
		if len(k) != len(prefixEntry)+8 {
			v.problem(next, "malformed entry key %x", k)
			return true, nil
		}
		n := getIndex(k[len(prefixEntry):])
		if n != next {
			v.problem(next, "entry missing (entries %d to %d absent)", next, n-1)
			gapped = true
		}
		next = n + 1
		// The values of a batch share its buffer, which must not move once it
		// holds one: a value that does not fit starts the next batch.
		if cap(batch.buf)-len(batch.buf) < len(val) {
			send()
			if cap(batch.buf) < len(val) {
				batch.buf = make([]byte, 0, len(val))
			}
		}
		start := len(batch.buf)
		batch.buf = append(batch.buf, val...)
		// The item is set field by field so that its entry keeps its links' room.
		if len(batch.items) < cap(batch.items) {
			batch.items = batch.items[:len(batch.items)+1]
		} else {
			batch.items = append(batch.items, verifyItem{})
		}
		it := &batch.items[len(batch.items)-1]
		it.n, it.val, it.gapped, it.e = n, batch.buf[start:len(batch.buf):len(batch.buf)], gapped, nil
		if len(batch.items) == batchEntries {
			send()
		}
		entries++
		if progress != nil && entries%bucketSize == 0 {
			progress(entries, total)
		}
		return true, nil
	})
	send()
	close(work)
	close(ordered)
	wg.Wait()
	<-seqDone
	v.report.Entries = entries
	if err != nil {
		return err
	}
	for w := range workers {
		v.report.IndexRows += rows[w]
		expected.merge(digests[w])
	}
	return nil
}

// checkEntry decodes one entry, checks it is stored at its own index and matches
// its event's index data, and digests the index rows it should have. It returns
// how many rows that is.
func (v *verifier) checkEntry(it *verifyItem, expected *digestSet, scratch *rowScratch) int64 {
	n := it.n
	it.leaf = LeafHash(it.val)
	e := &it.entry
	if err := decodeEntryInto(e, it.val, true); err != nil {
		v.problem(n, "%v", err)
		return 0
	}
	if e.Index != n {
		v.problem(n, "entry stored at index %d says it is entry %d (moved or reordered)", n, e.Index)
		return 0
	}
	it.e = e
	keys, err := v.l.opts.Indexer(e.Event)
	if err == nil {
		err = keys.normalize()
	}
	if err != nil {
		v.problem(n, "indexer: %v", err)
		return 0
	}
	if keys.EventID != "" && keys.EventID != e.EventID {
		v.problem(n, "event hash ID is %q, recomputed %q", e.EventID, keys.EventID)
	}
	if !linksMatch(e.Links, keys.Products) {
		v.problem(n, "chained under %q, event touches %q", e.Codes(), keys.Products)
	}
	rows := int64(0)
	indexRows(scratch, e, &keys, func(key, value []byte) {
		rows++
		expected.add(famSlot(key), n, v.rowHash(v.keyHash(key), value))
	}, func(key, rec []byte) {
		rows++
		// A posting row is digested record by record (its records are in
		// order, which scanRows checks), so no row needs assembling here.
		expected.add(famSlot(key), n&^(1<<chunkShift-1), v.rowHash(v.keyHash(key), rec))
	})
	it.val, e.Event = nil, nil // done with the bytes
	return rows
}

// chainHeads are the newest entry seen under each code, by code. The entry pass's
// codes are views of its scan buffers (decodeEntry with alias), so a code becomes
// a key of its own copy, once, and a head already there is updated in place: a
// map assignment would replace the key with the view, and keep the buffer.
type chainHeads struct {
	at    map[string]int // code -> its head in list
	heads []head
}

// linksMatch reports whether the links' codes are codes, in order (e.Codes() equals
// codes, without making the list).
func linksMatch(links []Link, codes []string) bool {
	if len(links) != len(codes) {
		return false
	}
	for i, l := range links {
		if l.Code != codes[i] {
			return false
		}
	}
	return true
}

// checkLinks checks an entry's per-product links against the newest entry seen
// under each code, and makes the entry the newest.
func (v *verifier) checkLinks(e *Entry, leaf tlog.Hash, c *chainHeads) {
	for _, l := range e.Links {
		i, ok := c.at[l.Code]
		var h head
		if ok {
			h = c.heads[i]
		}
		switch {
		case !ok && l.Prev != -1:
			v.problem(e.Index, "link for %s points to entry %d, but the code has no earlier entry", l.Code, l.Prev)
		case ok && (l.Prev != h.index || l.PrevHash != h.hash):
			v.problem(e.Index, "link for %s points to entry %d %v, previous entry under the code is %d %v",
				l.Code, l.Prev, l.PrevHash, h.index, h.hash)
		}
		if !ok {
			i = len(c.heads)
			c.at[strings.Clone(l.Code)] = i
			c.heads = append(c.heads, head{})
		}
		c.heads[i] = head{index: e.Index, hash: leaf}
	}
}

// checkTree recomputes the stored tree hashes from the leaf hashes and compares
// them with the stored ones, and every checkpoint's root with the recomputed tree.
func (v *verifier) checkTree(leaves <-chan []tlog.Hash, total int64, cps []*Checkpoint) error {
	if latest := v.latest; latest != nil && latest.Size != total {
		v.problem(min(latest.Size, total), "latest checkpoint covers %d entries, the log has %d", latest.Size, total)
	}
	slices.SortFunc(cps, func(a, b *Checkpoint) int { return int(a.Size - b.Size) })
	var tree treeStack
	var bad []badHash
	// Counted here, and set in the report at the end (see checkEntries).
	var treeHashes int64
	var checkpoints int
	defer func() { v.report.TreeHashes, v.report.Checkpoints = treeHashes, checkpoints }()
	// pend[head:] holds the stored hashes of records next .. tree.n-1, not yet
	// compared, in storage order (record n has storedHashCount(n) of them).
	var pend []tlog.Hash
	head := 0
	next := int64(0)
	scanned := false // the stored rows are all read: pend need not grow
	stopped := false
	checkCheckpoints := func() {
		n := tree.n
		for len(cps) > 0 && cps[0].Size <= n {
			cp := cps[0]
			cps = cps[1:]
			if cp.Size < n {
				continue // beyond a gap; reported there
			}
			checkpoints++
			if root := tree.root(); root != cp.Root {
				v.problem(n-1, "checkpoint of size %d has root %v, entries give %v", n, cp.Root, root)
			}
		}
	}
	more := func() bool {
		chunk, ok := <-leaves
		if !ok {
			return false
		}
		for _, leaf := range chunk {
			if scanned {
				pend, head = tree.add(pend[:0], leaf), 0
			} else {
				pend = tree.add(pend, leaf)
			}
			checkCheckpoints()
		}
		select {
		case v.spentLeaves <- chunk[:0]:
		default:
		}
		return true
	}
	err := v.r.Scan([]byte(prefixHash), nil, false, func(k, val []byte) (bool, error) {
		if stopped {
			return false, nil
		}
		if len(k) != len(prefixHash)+8 {
			v.problem(-1, "malformed tree hash key %x", k)
			return true, nil
		}
		row := getIndex(k[len(prefixHash):])
		first := row << hashRowShift
		if row < 0 || row > math.MaxInt64>>hashRowShift || first != next {
			v.problem(next, "tree hashes of entry %d missing", next)
			stopped = true
			return false, nil
		}
		for tree.n-next < 1<<hashRowShift && more() {
		}
		if tree.n == next {
			v.problem(first, "tree hashes of entry %d beyond the entries", first)
			return false, nil
		}
		recs := min(tree.n-next, 1<<hashRowShift)
		// Fewer leaves than the row should cover means a gap in the entries
		// (reported by the entry pass): what follows cannot be recomputed.
		complete := recs == min(1<<hashRowShift, total-first)
		off, p := 0, 0
		for i := range recs {
			rec := first + i
			c := storedHashCount(rec)
			if len(val)-off < c*tlog.HashSize {
				v.problem(rec, "tree hashes of entry %d missing", rec)
				stopped = true
				return false, nil
			}
			for level, h := range pend[head+p : head+p+c] {
				if got := val[off : off+tlog.HashSize]; !bytes.Equal(got, h[:]) {
					lo := (rec + 1) - 1<<level
					bad = append(bad, badHash{level, lo >> level, fmt.Sprintf("tree hash of entries %d to %d (level %d) is %x, entries give %v",
						lo, rec, level, got, h)})
				}
				off += tlog.HashSize
			}
			p += c
			treeHashes += int64(c)
		}
		if !complete {
			stopped = true
			return false, nil
		}
		if off != len(val) {
			rec := first + recs
			v.problem(rec, "tree hashes of entry %d beyond the entries", rec)
		}
		if head += p; head >= len(pend)/2 {
			pend, head = pend[:copy(pend, pend[head:])], 0
		}
		next = first + recs
		return true, nil
	})
	scanned = true
	for more() {
	}
	if err == nil && !stopped && tree.n > next {
		v.problem(next, "tree hashes of entry %d missing", next)
	}
	for range leaves { // drain if stopped early
	}
	// A changed leaf makes every stored hash above it differ too: name the leaf,
	// and name a subtree only when no leaf under it differs (its hash was edited).
	var leafBad []int64 // sorted, as the scan is in entry order
	for _, b := range bad {
		if b.level == 0 {
			leafBad = append(leafBad, b.rec)
		}
	}
	for _, b := range bad {
		lo, hi := b.rec<<b.level, (b.rec+1)<<b.level
		i, _ := slices.BinarySearch(leafBad, lo)
		explained := b.level > 0 && i < len(leafBad) && leafBad[i] < hi
		if !explained {
			v.problem(b.rec<<b.level, "%s", b.what)
		}
	}
	return err
}

// badHash is a stored tree hash that differs from the recomputed one.
type badHash struct {
	level int
	rec   int64
	what  string
}

// frontierReader reads the tree hashes computed so far (Verify and the rebuild
// of derived rows recompute the tree from the leaves): a hash not in frontier is
// an error.
func frontierReader(frontier map[int64]tlog.Hash) tlog.HashReader {
	return tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			h, ok := frontier[x]
			if !ok {
				return nil, fmt.Errorf("ledger: tree hash %d not computed", x)
			}
			out[i] = h
		}
		return out, nil
	})
}

// pruneFrontier drops computed tree hashes that no later record or tree hash of
// size >= n reads: only the roots of the complete subtrees making up n remain.
func pruneFrontier(frontier map[int64]tlog.Hash, n int64) {
	keep := map[int64]bool{}
	for level := 0; n>>level > 0; level++ {
		if (n>>level)&1 == 1 {
			keep[tlog.StoredHashIndex(level, (n>>level)-1)] = true
		}
	}
	for k := range frontier {
		if !keep[k] {
			delete(frontier, k)
		}
	}
}

// derivedPrefixes are the key prefixes of derived data: the event hash ID index
// and every other index.
var derivedPrefixes = []string{prefixEventID, prefixIndex}

// scanRows digests the stored index rows by family and entry range.
func (v *verifier) scanRows(actual *digestSet, total int64) error {
	var recs [][]byte // the records of one row, reused
	for _, p := range derivedPrefixes {
		err := v.r.Scan([]byte(p), nil, false, func(k, val []byte) (bool, error) {
			n, ok := rowEntry(k, val)
			if !ok || n < 0 || n >= total {
				v.problem(max(min(n, total), -1), "index row %q -> %x names no entry of the log", k, val)
				return true, nil
			}
			slot := famSlot(k)
			fam := slotFamilies[slot]
			kh := v.keyHash(k)
			if !isPosting(fam) {
				actual.add(slot, n, v.rowHash(kh, val))
				return true, nil
			}
			recs = recs[:0]
			if len(val) == 0 || !postingRecords(fam, val, func(rec []byte) { recs = append(recs, rec) }) {
				// Cannot match any record (a record's hash is never flipped so): the
				// row-by-row diff names the entry.
				actual.add(slot, n, ^v.rowHash(kh, val))
				return true, nil
			}
			for i, rec := range recs {
				if i > 0 && bytes.Compare(rec, recs[i-1]) <= 0 {
					v.problem(n|int64(rec[0]), "index row %q -> %x lists entries out of order", k, val)
					break
				}
				actual.add(slot, n, v.rowHash(kh, rec))
			}
			return true, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// rowFamily names the index a derived row belongs to.
func rowFamily(key []byte) string { return slotFamilies[famSlot(key)] }

// rowEntry returns the entry a derived row refers to; for a posting row, the
// first entry of its chunk.
func rowEntry(key, val []byte) (int64, bool) {
	switch fam := rowFamily(key); {
	case fam == prefixEventID:
		return valueIndex(val, 8)
	case isPosting(fam):
		c, ok := postingChunk(key)
		if !ok || c > math.MaxInt64>>chunkShift {
			return -1, false
		}
		return c << chunkShift, true
	}
	return -1, false
}

// postingDiff names the first entry whose record differs between two versions
// of a posting row (nil for a missing one).
func postingDiff(key, a, b []byte) int64 {
	c, _ := postingChunk(key)
	fam := rowFamily(key)
	for {
		na, nb := postingRecLen(fam, a), postingRecLen(fam, b)
		switch {
		case len(a) == 0 && len(b) == 0:
			return c << chunkShift
		case len(a) == 0:
			return c<<chunkShift | int64(b[0])
		case len(b) == 0:
			return c<<chunkShift | int64(a[0])
		case na == 0 || nb == 0 || !bytes.Equal(a[:na], b[:nb]):
			return c<<chunkShift | int64(min(a[0], b[0]))
		}
		a, b = a[na:], b[nb:]
	}
}

func valueIndex(val []byte, size int) (int64, bool) {
	if len(val) != size {
		return -1, false
	}
	return getIndex(val), true
}

// diffRows rebuilds one family's rows for one range of entries, compares them row
// by row with the stored ones and reports each difference against its entry.
func (v *verifier) diffRows(k digestKey, total int64) error {
	lo, hi := k.bucket*bucketSize, min((k.bucket+1)*bucketSize, total)
	want := map[string]string{}
	{
		for n := lo; n < hi; n++ {
			val, err := v.r.Get(entryKey(n))
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			e, err := UnmarshalEntry(val)
			if err != nil || e.Index != n {
				continue // reported by the entry pass
			}
			keys, err := v.l.opts.Indexer(e.Event)
			if err != nil || keys.normalize() != nil {
				continue
			}
			indexRows(nil, e, &keys, func(key, value []byte) {
				if rowFamily(key) == k.family {
					want[string(key)] = string(value)
				}
			}, func(key, rec []byte) {
				if rowFamily(key) == k.family {
					want[string(key)] += string(rec)
				}
			})
		}
	}
	prefix := k.family
	err := v.r.Scan([]byte(prefix), nil, false, func(key, val []byte) (bool, error) {
		if rowFamily(key) != k.family {
			return true, nil
		}
		n, ok := rowEntry(key, val)
		if !ok || n < lo || n >= hi {
			return true, nil
		}
		w, ok := want[string(key)]
		switch {
		case !ok && isPosting(k.family):
			v.problem(postingDiff(key, val, nil), "index row %q -> %x should not exist", key, val)
		case !ok:
			v.problem(n, "index row %q -> %x should not exist", key, val)
		case w != string(val) && isPosting(k.family):
			v.problem(postingDiff(key, val, []byte(w)), "index row %q is %x, should be %x", key, val, w)
		case w != string(val):
			m, _ := rowEntry(key, []byte(w))
			v.problem(m, "index row %q is %x, should be %x", key, val, w)
		}
		delete(want, string(key))
		return true, nil
	})
	if err != nil {
		return err
	}
	missing := slices.Sorted(func(yield func(string) bool) {
		for key := range want {
			if !yield(key) {
				return
			}
		}
	})
	for _, key := range missing {
		n, _ := rowEntry([]byte(key), []byte(want[key]))
		if isPosting(k.family) {
			n = postingDiff([]byte(key), nil, []byte(want[key]))
		}
		v.problem(n, "index row %q -> %x missing", key, want[key])
	}
	return nil
}
