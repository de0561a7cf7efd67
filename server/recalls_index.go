package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
	"traceledger/ledger/recall"
)

// The recall index: one small record per recall in the ledger's Meta space,
// keyed by the recall's UUID, listing the codes it started from and the lots it
// published recall events for. GET /api/v1/recalls/{id} reads it instead of scanning
// the log; it is derived data, written when the recall starts through the API and
// rebuilt from the recall events (the disposition index, never the whole log) for a
// recall started elsewhere (`traceledger recall`).
const prefixRecall = "recall/"

// recallRecord is the index record of one recall.
type recallRecord struct {
	ID        string    `json:"id"`
	Reason    string    `json:"reason"`
	Codes     []string  `json:"codes"` // the canonical codes it started from
	Lots      []string  `json:"lots"`  // every lot (or instance) given a recall event
	StartedBy string    `json:"startedBy,omitempty"`
	Started   time.Time `json:"started"`
}

// errNoRecall is returned for a recall ID with no recall events on the ledger.
var errNoRecall = errors.New("no such recall")

// recallUUID returns the bare UUID of a recall ID ("urn:uuid:…" or bare), or false.
func recallUUID(id string) (string, bool) {
	u, err := uuid.Parse(strings.TrimPrefix(id, "urn:uuid:"))
	if err != nil || (!strings.HasPrefix(id, "urn:uuid:") && len(id) != 36) {
		return "", false
	}
	return u.String(), true
}

// recallIndex reads and writes recall records.
type recallIndex struct {
	kv  KV
	log *ledger.Log
}

func (x recallIndex) get(id string) (*recallRecord, bool, error) {
	u, _ := recallUUID(id)
	b, found, err := x.kv.Get([]byte(prefixRecall + u))
	if err != nil || !found {
		return nil, false, err
	}
	var r recallRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, false, fmt.Errorf("recall index: %s: %w", id, err)
	}
	return &r, true, nil
}

func (x recallIndex) put(r *recallRecord) error {
	u, ok := recallUUID(r.ID)
	if !ok {
		return fmt.Errorf("recall index: %q is not a recall ID", r.ID)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return x.kv.Put([]byte(prefixRecall+u), b)
}

// published counts the record's lots whose recall event is on the ledger, by the
// given-ID index (one lookup per lot).
func (x recallIndex) published(r *recallRecord) (int, error) {
	n := 0
	for _, l := range r.Lots {
		have, err := x.log.Indexed(ledger.ByGivenID, recall.EventID(r.ID, l), 0, 1)
		if err != nil {
			return 0, err
		}
		if len(have) > 0 {
			n++
		}
	}
	return n, nil
}

// rebuild makes the record of recall id from its recall events: the entries with
// disposition "recalled" (the disposition index: recall events only, not the whole
// log) whose tl:recall extension names id. The codes the recall started from are
// not in the events; they are the recalled lots no other recalled lot leads to when
// that set gives the recall's ID back (recall.ID), and all its lots otherwise (the
// forward closure, hence the scope's lots, is the same either way).
func (x recallIndex) rebuild(id string, tr *recall.Tracer) (*recallRecord, error) {
	u, _ := recallUUID(id)
	id = "urn:uuid:" + u
	r := &recallRecord{ID: id}
	const page = 1024
	for from := int64(0); ; {
		ns, err := x.log.Indexed(ledger.ByDisposition, "recalled", from, page)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			if err := x.take(r, n); err != nil {
				return nil, err
			}
		}
		if len(ns) < page {
			break
		}
		from = ns[len(ns)-1] + 1
	}
	if len(r.Lots) == 0 {
		return nil, errNoRecall
	}
	slices.Sort(r.Lots)
	r.Lots = slices.Compact(r.Lots)
	r.Codes = r.Lots
	if len(r.Lots) <= 64 {
		reached := map[string]bool{}
		for _, l := range r.Lots {
			t, err := tr.Forward(l)
			if err != nil {
				return nil, err
			}
			for _, o := range t.Lots {
				if o != l {
					reached[o] = true
				}
			}
		}
		var roots []string
		for _, l := range r.Lots {
			if !reached[l] {
				roots = append(roots, l)
			}
		}
		if len(roots) > 0 && recall.ID(roots, r.Reason) == id {
			r.Codes = roots
		}
	}
	return r, nil
}

// take adds entry n to r when it is a recall event of r's recall.
func (x recallIndex) take(r *recallRecord, n int64) error {
	en, err := x.log.Get(n)
	if err != nil {
		return err
	}
	ev, err := epcis.ParseEvent(en.Event, nil)
	if err != nil {
		return nil // not an event (a registry record): not a recall event either
	}
	var ext struct{ ID, Reason string }
	for _, f := range ev.Extensions {
		if f.Name == recall.RecallField {
			_ = json.Unmarshal(f.Value, &ext)
		}
	}
	if ext.ID != r.ID {
		return nil
	}
	var lot string
	switch {
	case len(ev.QuantityList) > 0:
		lot = ev.QuantityList[0].EPCClass
	case len(ev.EPCList) > 0:
		lot = ev.EPCList[0]
	}
	if lot == "" || recall.EventID(r.ID, lot) != ev.EventID {
		return nil
	}
	r.Lots = append(r.Lots, lot)
	r.Reason = ext.Reason
	if t, err := epcis.ParseTime(ev.EventTime); err == nil && (r.Started.IsZero() || t.Before(r.Started)) {
		r.Started = t.UTC()
	}
	if r.StartedBy == "" {
		r.StartedBy = en.Firm
	}
	return nil
}
