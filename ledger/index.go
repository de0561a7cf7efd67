package ledger

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// IndexKeys are the data of one event that the log indexes. The log does not
// parse events: an Indexer derives these from the event's bytes, at append time
// and again when Verify rebuilds the indexes, so they are plain strings that any
// event model can produce (traceledger's EPCIS model converts its keys to these).
type IndexKeys struct {
	// EventID, when not empty, is the event hash ID computed from the event. Append
	// fills an empty Record.EventID from it and rejects a different one; Verify
	// recomputes it and compares it with the stored entry.
	EventID string
	// GivenID is the eventID the capturer wrote into the event, if any. It is
	// indexed so that lookups answer for it too; it need not be unique.
	GivenID string
	// Products are the product codes the event touches (lots, instances, logistic
	// units, canonical GS1 Digital Link): each gets a link in the per-product chain.
	Products []string
	// Locations are the read points, business locations, sources and
	// destinations of the event (GLN-based codes).
	Locations []string
	// BizStep and Disposition are the CBV values, as the event model spells them.
	BizStep, Disposition string
	// EventTime is when the event happened (not when it was recorded); the zero
	// time is not indexed.
	EventTime time.Time
	// Edges are the genealogy edges the event asserts.
	Edges []Edge
}

// An Edge is one genealogy step an event asserts, indexed both ways so that recall
// can walk backward (To -> From) and forward (From -> To), except an edge from
// goods to a place (EdgeShip, EdgeReceive): it is indexed forward only, as the
// location index already lists every entry that names the place. A place is
// where many shipments arrive, and one posting row of its arrivals, rewritten by
// every commit, filled the value log with its old copies.
type Edge struct {
	From, To string // product codes
	Kind     string // EdgeTransform, EdgeAggregate, EdgeShip or a model-specific kind
}

// Edge kinds the EPCIS model produces (an Indexer may use others).
const (
	EdgeTransform = "transform" // input lot -> output lot (TransformationEvent)
	EdgeAggregate = "aggregate" // child -> parent unit (AggregationEvent, packing)
	EdgeShip      = "ship"      // shipped code -> destination location
	// EdgeReceive goes from received goods to the source they came from (a
	// receiving event's sourceList): recall walks it to the source firm and location.
	EdgeReceive = "receive"
)

// An Indexer derives an event's index data from its canonical bytes. It must be
// deterministic: Verify calls it again and expects the same answer.
type Indexer func(event []byte) (IndexKeys, error)

// normalize sorts and de-duplicates the multi-valued fields and drops empty
// values, so that equal key sets compare equal, and rejects values the key layout
// cannot hold (NUL bytes separate the fields of index keys). Fields already in
// that form are kept as they are (Verify normalizes every entry's keys); others
// are replaced, never sorted in place, as the caller may share them.
func (k *IndexKeys) normalize() error {
	k.Products = sortedSet(k.Products)
	k.Locations = sortedSet(k.Locations)
	if !isSortedSet(k.Edges, func(e Edge) bool { return e.From == "" || e.To == "" }, compareEdges) {
		edges := make([]Edge, 0, len(k.Edges))
		for _, e := range k.Edges {
			if e.From != "" && e.To != "" {
				edges = append(edges, e)
			}
		}
		slices.SortFunc(edges, compareEdges)
		k.Edges = slices.Compact(edges)
	}
	for _, v := range k.Products {
		if err := checkNUL("product", v); err != nil {
			return err
		}
	}
	for _, v := range k.Locations {
		if err := checkNUL("location", v); err != nil {
			return err
		}
	}
	for _, e := range k.Edges {
		if err := errors.Join(checkNUL("edge", e.From), checkNUL("edge", e.To), checkNUL("edge", e.Kind)); err != nil {
			return err
		}
	}
	return errors.Join(checkNUL("givenID", k.GivenID), checkNUL("bizStep", k.BizStep), checkNUL("disposition", k.Disposition))
}

func checkNUL(field, v string) error {
	if strings.IndexByte(v, 0) >= 0 {
		return fmt.Errorf("ledger: index %s %q contains a NUL byte", field, v)
	}
	return nil
}

// compareEdges orders edges by From, To and Kind: for values without NUL bytes
// the order of From+NUL+To+NUL+Kind.
func compareEdges(a, b Edge) int {
	if c := strings.Compare(a.From, b.From); c != 0 {
		return c
	}
	if c := strings.Compare(a.To, b.To); c != 0 {
		return c
	}
	return strings.Compare(a.Kind, b.Kind)
}

// isSortedSet reports whether v has no element that drop says to drop and is
// strictly increasing in cmp's order.
func isSortedSet[T any](v []T, drop func(T) bool, cmp func(a, b T) int) bool {
	for i, x := range v {
		if drop(x) || (i > 0 && cmp(v[i-1], x) >= 0) {
			return false
		}
	}
	return true
}

func sortedSet(v []string) []string {
	if isSortedSet(v, func(s string) bool { return s == "" }, strings.Compare) {
		return v
	}
	out := make([]string, 0, len(v))
	for _, s := range v {
		if s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// entryRows are an entry's index rows before it has a place in the log: key
// prefixes to which the chunk of its index is added, and records whose first byte
// becomes its offset in the chunk. Append derives them with the record's keys, on
// every core, so that the appender only places them (emit).
type entryRows struct {
	idKey []byte     // event ID index key
	idVal []byte     // room for its value, the entry's index
	posts []postRecs // posting records
}

// postRecs is one posting record and the prefix of its row's key; prefix has room
// for the chunk number.
type postRecs struct {
	prefix, rec []byte
}

// rowsOf derives the index rows of an entry with event ID id, capturer ID given,
// firm and product codes (its links) from its index keys.
func rowsOf(id, given, firm string, codes []string, k *IndexKeys) entryRows {
	return rowsIn(nil, id, given, firm, codes, k)
}

// rowScratch is memory that rowsIn reuses from one entry to the next, for a caller
// done with an entry's rows before it asks for the next entry's (Verify digests
// them and moves on).
type rowScratch struct {
	buf   []byte
	posts []postRecs
	codes []string
}

// rowsIn is rowsOf in the memory of s; a nil s allocates.
func rowsIn(s *rowScratch, id, given, firm string, codes []string, k *IndexKeys) entryRows {
	var r entryRows
	if s != nil {
		r.posts = s.posts[:0]
		defer func() { s.posts = r.posts[:0] }()
	} else {
		r.posts = make([]postRecs, 0, len(codes)+len(k.Locations)+6+2*len(k.Edges))
	}
	// Every key prefix and record is carved out of one buffer.
	const keyRoom, recRoom = 3 + 8, 1 + 2*binary.MaxVarintLen64
	size := eventIDKeyCap(id) + 6*keyRoom + len(prefixTime) + 16 + 10 + 8 + len(given) + len(firm) + len(k.BizStep) + len(k.Disposition)
	for _, c := range codes {
		size += keyRoom + 1 + len(c)
	}
	for _, loc := range k.Locations {
		size += keyRoom + 1 + len(loc)
	}
	for _, ed := range k.Edges {
		size += 2 * (keyRoom + recRoom + len(ed.From) + len(ed.To) + len(ed.Kind))
	}
	var a arena
	switch {
	case s == nil:
		a = make(arena, size)
	case cap(s.buf) >= size:
		a = arena(s.buf[:size])
	default:
		s.buf = make([]byte, size)
		a = arena(s.buf)
	}
	r.idKey = appendEventIDKey(a.take(eventIDKeyCap(id), 0), id)
	r.idVal = a.take(8, 0)[:8]
	off := func(field byte, value string) {
		r.posts = append(r.posts, postRecs{a.prefix(field, value), append(a.take(1, 0), 0)})
	}
	for _, c := range codes {
		off(fieldProduct, c)
	}
	if given != "" {
		off(fieldGivenID, given)
	}
	for _, loc := range k.Locations {
		off(fieldLocation, loc)
	}
	if firm != "" {
		off(fieldFirm, firm)
	}
	if k.BizStep != "" {
		off(fieldBizStep, k.BizStep)
	}
	if k.Disposition != "" {
		off(fieldDisposition, k.Disposition)
	}
	if timeIndexable(k.EventTime) {
		prefix := binary.BigEndian.AppendUint64(append(a.take(len(prefixTime)+8, 8), prefixTime...), hourBits(k.EventTime))
		r.posts = append(r.posts, postRecs{prefix, binary.BigEndian.AppendUint64(append(a.take(9, 0), 0), timeBits(k.EventTime))})
	}
	if len(k.Edges) == 0 {
		return r
	}
	// An entry's records in one row go in byte order (see keys.go), which is not
	// the edges' order: sort them (the offset byte is the same in all).
	edges := len(r.posts)
	for _, ed := range k.Edges {
		r.posts = append(r.posts, postRecs{a.prefix(prefixEdgeOut[1], ed.From), a.edgeRec(ed.To, ed.Kind)})
		if !toPlace(ed.Kind) {
			r.posts = append(r.posts, postRecs{a.prefix(prefixEdgeIn[1], ed.To), a.edgeRec(ed.From, ed.Kind)})
		}
	}
	slices.SortFunc(r.posts[edges:], func(a, b postRecs) int {
		if c := bytes.Compare(a.prefix, b.prefix); c != 0 {
			return c
		}
		return bytes.Compare(a.rec, b.rec)
	})
	return r
}

// toPlace reports whether edges of the kind go from goods to a place, and so are
// indexed forward only (see Edge).
func toPlace(kind string) bool { return kind == EdgeShip || kind == EdgeReceive }

// An arena hands out pieces of one buffer, and of new ones when it runs out.
type arena []byte

// take returns an empty slice with room for n bytes and spare more.
func (a *arena) take(n, spare int) []byte {
	if len(*a) < n+spare {
		*a = make([]byte, max(n+spare, 256))
	}
	b := (*a)[0 : 0 : n+spare]
	*a = (*a)[n+spare:]
	return b
}

// prefix is multiPrefix in the arena, with room for the chunk number.
func (a *arena) prefix(field byte, value string) []byte {
	b := a.take(3+len(value), 8)
	b = append(b, prefixIndex[0], field)
	b = append(b, value...)
	return append(b, 0)
}

// edgeRec is edgeRec in the arena, for entry offset 0.
func (a *arena) edgeRec(other, kind string) []byte {
	b := append(a.take(1+2*binary.MaxVarintLen64+len(other)+len(kind), 0), 0)
	b = appendStr(b, other)
	return appendStr(b, kind)
}

// emit places the rows at entry n: put gets the rows of the entry alone (its event
// ID), post its record in each posting row it shares with the other entries of its
// chunk. The keys and records are built in r's own memory: a later emit (a commit
// retried at another index) overwrites them, so the earlier batch must be gone.
func (r *entryRows) emit(n int64, put func(key, value []byte), post func(key, rec []byte)) {
	putIndex(r.idVal, n)
	put(r.idKey, r.idVal)
	for i := range r.posts {
		p := &r.posts[i]
		p.rec[0] = byte(n)
		post(binary.BigEndian.AppendUint64(p.prefix, uint64(n>>chunkShift)), p.rec)
	}
}

// indexRows calls put and post (see emit) with the index rows of entry e, whose
// event has the index keys k. With rowsOf and emit it is the one definition of the
// indexes: Append writes these rows and Verify rebuilds them.
// The rows are built in s (may be nil) and must be done with when it returns.
func indexRows(s *rowScratch, e *Entry, k *IndexKeys, put func(key, value []byte), post func(key, rec []byte)) {
	var codes []string
	if s != nil {
		codes = s.codes[:0]
		for _, l := range e.Links {
			codes = append(codes, l.Code)
		}
		s.codes = codes
	} else {
		codes = e.Codes()
	}
	r := rowsIn(s, e.EventID, e.GivenID, e.Firm, codes, k)
	r.emit(e.Index, put, post)
}
