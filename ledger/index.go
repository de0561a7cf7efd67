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

// indexRows calls put with the rows that belong to entry e alone (its event hash
// ID) and post with its record in each posting row it shares with the other
// entries of its chunk (see keys.go). It is the one definition of
// the indexes: Append writes these rows and Verify rebuilds them.
func indexRows(e *Entry, k *IndexKeys, put func(key, value []byte), post func(key, rec []byte)) {
	var ix [8]byte
	putIndex(ix[:], e.Index)
	put(eventIDKey(e.EventID), ix[:])
	off := []byte{byte(e.Index)}
	for _, l := range e.Links {
		post(postingKey(fieldProduct, l.Code, e.Index), off)
	}
	if e.GivenID != "" {
		post(postingKey(fieldGivenID, e.GivenID, e.Index), off)
	}
	for _, loc := range k.Locations {
		post(postingKey(fieldLocation, loc, e.Index), off)
	}
	if e.Firm != "" {
		post(postingKey(fieldFirm, e.Firm, e.Index), off)
	}
	if k.BizStep != "" {
		post(postingKey(fieldBizStep, k.BizStep, e.Index), off)
	}
	if k.Disposition != "" {
		post(postingKey(fieldDisposition, k.Disposition, e.Index), off)
	}
	if timeIndexable(k.EventTime) {
		rec := binary.BigEndian.AppendUint64([]byte{byte(e.Index)}, timeBits(k.EventTime))
		post(timeRowKey(k.EventTime, e.Index), rec)
	}
	if len(k.Edges) == 0 {
		return
	}
	// An entry's records in one row go in byte order (see keys.go), which is not
	// the edges' order: sort the few (key, record) pairs.
	type keyRec struct{ key, rec []byte }
	recs := make([]keyRec, 0, 2*len(k.Edges))
	for _, ed := range k.Edges {
		recs = append(recs,
			keyRec{postingKey(prefixEdgeOut[1], ed.From, e.Index), edgeRec(e.Index, ed.To, ed.Kind)},
			keyRec{postingKey(prefixEdgeIn[1], ed.To, e.Index), edgeRec(e.Index, ed.From, ed.Kind)})
	}
	slices.SortFunc(recs, func(a, b keyRec) int {
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		return bytes.Compare(a.rec, b.rec)
	})
	for _, r := range recs {
		post(r.key, r.rec)
	}
}
