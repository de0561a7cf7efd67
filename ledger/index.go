package ledger

import (
	"bytes"
	"encoding/binary"
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
// can walk backward (To -> From) and forward (From -> To).
type Edge struct {
	From, To string // product codes
	Kind     string // EdgeTransform, EdgeAggregate, EdgeShip or a model-specific kind
}

// Edge kinds the EPCIS model produces (an Indexer may use others).
const (
	EdgeTransform = "transform" // input lot -> output lot (TransformationEvent)
	EdgeAggregate = "aggregate" // child -> parent unit (AggregationEvent, packing)
	EdgeShip      = "ship"      // shipped code -> destination location
)

// An Indexer derives an event's index data from its canonical bytes. It must be
// deterministic: Verify calls it again and expects the same answer.
type Indexer func(event []byte) (IndexKeys, error)

// normalize sorts and de-duplicates the multi-valued fields and drops empty
// values, so that equal key sets compare equal, and rejects values the key layout
// cannot hold (NUL bytes separate the fields of index keys).
func (k *IndexKeys) normalize() error {
	k.Products = sortedSet(k.Products)
	k.Locations = sortedSet(k.Locations)
	edges := k.Edges[:0:0]
	for _, e := range k.Edges {
		if e.From != "" && e.To != "" {
			edges = append(edges, e)
		}
	}
	slices.SortFunc(edges, func(a, b Edge) int {
		return strings.Compare(a.From+"\x00"+a.To+"\x00"+a.Kind, b.From+"\x00"+b.To+"\x00"+b.Kind)
	})
	k.Edges = slices.Compact(edges)
	check := func(field, v string) error {
		if strings.IndexByte(v, 0) >= 0 {
			return fmt.Errorf("ledger: index %s %q contains a NUL byte", field, v)
		}
		return nil
	}
	for _, v := range k.Products {
		if err := check("product", v); err != nil {
			return err
		}
	}
	for _, v := range k.Locations {
		if err := check("location", v); err != nil {
			return err
		}
	}
	for _, e := range k.Edges {
		for _, v := range []string{e.From, e.To, e.Kind} {
			if err := check("edge", v); err != nil {
				return err
			}
		}
	}
	for f, v := range map[string]string{"givenID": k.GivenID, "bizStep": k.BizStep, "disposition": k.Disposition} {
		if err := check(f, v); err != nil {
			return err
		}
	}
	return nil
}

func sortedSet(v []string) []string {
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
	r := entryRows{idKey: eventIDKey(id)}
	r.posts = make([]postRecs, 0, len(codes)+len(k.Locations)+6+2*len(k.Edges))
	off := func(field byte, value string) {
		r.posts = append(r.posts, postRecs{multiPrefix(field, value), []byte{0}})
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
		prefix := binary.BigEndian.AppendUint64(append(make([]byte, 0, len(prefixTime)+16), prefixTime...), hourBits(k.EventTime))
		r.posts = append(r.posts, postRecs{prefix, binary.BigEndian.AppendUint64([]byte{0}, timeBits(k.EventTime))})
	}
	if len(k.Edges) == 0 {
		return r
	}
	// An entry's records in one row go in byte order (see keys.go), which is not
	// the edges' order: sort them (the offset byte is the same in all).
	edges := len(r.posts)
	for _, ed := range k.Edges {
		r.posts = append(r.posts,
			postRecs{multiPrefix(prefixEdgeOut[1], ed.From), edgeRec(0, ed.To, ed.Kind)},
			postRecs{multiPrefix(prefixEdgeIn[1], ed.To), edgeRec(0, ed.From, ed.Kind)})
	}
	slices.SortFunc(r.posts[edges:], func(a, b postRecs) int {
		if c := bytes.Compare(a.prefix, b.prefix); c != 0 {
			return c
		}
		return bytes.Compare(a.rec, b.rec)
	})
	return r
}

// emit places the rows at entry n: put gets the rows of the entry alone (its event
// ID), post its record in each posting row it shares with the other entries of its
// chunk. The keys and records are built in r's own memory: a later emit (a commit
// retried at another index) overwrites them, so the earlier batch must be gone.
func (r *entryRows) emit(n int64, put func(key, value []byte), post func(key, rec []byte)) {
	ix := make([]byte, 8)
	putIndex(ix, n)
	put(r.idKey, ix)
	for i := range r.posts {
		p := &r.posts[i]
		p.rec[0] = byte(n)
		post(binary.BigEndian.AppendUint64(p.prefix, uint64(n>>chunkShift)), p.rec)
	}
}

// indexRows calls put and post (see emit) with the index rows of entry e, whose
// event has the index keys k. With rowsOf and emit it is the one definition of the
// indexes: Append writes these rows and Verify rebuilds them.
func indexRows(e *Entry, k *IndexKeys, put func(key, value []byte), post func(key, rec []byte)) {
	r := rowsOf(e.EventID, e.GivenID, e.Firm, e.Codes(), k)
	r.emit(e.Index, put, post)
}
