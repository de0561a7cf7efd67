package recall

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
	"traceledger/ledger/events"
)

// Namespace and NamespacePrefix name the extension field recall events carry
// ("tl:recall": {"id": recall ID, "reason": text}); the namespace is traceledger's own,
// the one ledger/events writes inspection results under.
const (
	Namespace       = events.Namespace
	NamespacePrefix = events.NamespacePrefix
	// RecallField is the extension field's name.
	RecallField = NamespacePrefix + ":recall"
)

// recallSpace is the UUID namespace recall IDs are made in (UUIDv5, RFC 9562).
var recallSpace = uuid.NewSHA1(uuid.NameSpaceURL, []byte(Namespace+"recall"))

// ID returns the recall ID of a recall of the given lots for reason: a name-based
// UUID (version 5) of the reason and the sorted, de-duplicated canonical codes, as
// "urn:uuid:…". The same command on the same codes gives the same ID however often it
// is run and in whatever order the codes are given, which is what makes Start
// idempotent.
func ID(codes []string, reason string) string {
	cs := slices.Clone(codes)
	slices.Sort(cs)
	cs = slices.Compact(cs)
	return uuid.NewSHA1(recallSpace, []byte(reason+"\n"+strings.Join(cs, "\n"))).URN()
}

// EventID is the capturer-given eventID of the recall event of lot in recall id: a
// UUIDv5 of the two, so that Start finds what an earlier run appended and a recall's
// events can be looked up by ID (ledger.ByGivenID) without scanning the log.
func EventID(id, lot string) string {
	u, err := uuid.Parse(strings.TrimPrefix(id, "urn:uuid:"))
	if err != nil {
		u = recallSpace
	}
	return uuid.NewSHA1(u, []byte(lot)).URN()
}

// A Publisher is what Start needs of the log: the given-ID index (to find recall
// events appended before) and Append. *ledger.Log satisfies it.
type Publisher interface {
	Indexed(f ledger.Field, value string, from int64, limit int) ([]int64, error)
	Append(ctx context.Context, recs ...ledger.Record) ([]ledger.Appended, error)
}

// A Request says who starts a recall and why.
type Request struct {
	Reason string
	Firm   string           // submitting firm (USCC), may be empty
	Now    func() time.Time // clock of the recall events; time.Now when nil
}

// A Started recall: its ID and what Start appended (nothing when every recall event
// was already on the ledger).
type Started struct {
	ID       string
	Appended []ledger.Appended
	Skipped  int // recall events already on the ledger
}

// Event returns the recall event of one affected lot (or instance): an EPCIS 2.0
// ObjectEvent, action OBSERVE, bizStep "holding" (the goods are held, not sold; CBV
// has no "recalling" step), disposition "recalled" and persistentDisposition set
// ["recalled"], naming the lot in its quantityList and its affected instances in its
// epcList so that every one of their codes is chained to it, with the recall ID and
// reason in the tl:recall extension field and a given eventID derived from both.
func Event(id, reason, lot string, members []string, at time.Time) *epcis.Event {
	ext, _ := json.Marshal(map[string]string{"id": id, "reason": reason})
	ev := &epcis.Event{
		Type:                  epcis.ObjectEvent,
		EventTime:             at.UTC().Format(time.RFC3339Nano),
		EventTimeZoneOffset:   "+00:00",
		EventID:               EventID(id, lot),
		Action:                epcis.ActionObserve,
		BizStep:               "holding",
		Disposition:           "recalled",
		PersistentDisposition: &epcis.PersistentDisposition{Set: []string{"recalled"}},
		Extensions:            []epcis.Field{{Name: RecallField, Value: ext}},
		Namespaces:            map[string]string{NamespacePrefix: Namespace},
	}
	if isLot(lot) {
		ev.QuantityList = []epcis.Quantity{{EPCClass: lot}}
		ev.EPCList = slices.Clone(members)
	} else {
		ev.EPCList = append([]string{lot}, members...)
	}
	return ev
}

// Start publishes a recall of the scope's lots: in one ledger batch, a recall Event for
// every affected lot (and affected instance outside an affected lot) whose recall event
// for this recall ID is not on the ledger yet. Running it again appends nothing.
func Start(ctx context.Context, p Publisher, sc *Scope, req Request) (*Started, error) {
	if sc == nil || len(sc.Origins) == 0 {
		return nil, ErrNoCode
	}
	now := req.Now
	if now == nil {
		now = time.Now
	}
	at := now()
	st := &Started{ID: ID(sc.Origins, req.Reason)}
	var recs []ledger.Record
	for _, l := range sc.Lots {
		given := EventID(st.ID, l.ID)
		have, err := p.Indexed(ledger.ByGivenID, given, 0, 1)
		if err != nil {
			return nil, fmt.Errorf("recall: look up %s: %w", given, err)
		}
		if len(have) > 0 {
			st.Skipped++
			continue
		}
		ev := Event(st.ID, req.Reason, l.ID, sc.Members[l.ID], at)
		if err := ev.Validate(); err != nil {
			return nil, fmt.Errorf("recall: event for %s: %w", l.ID, err)
		}
		b, err := ev.CanonicalJSON()
		if err != nil {
			return nil, fmt.Errorf("recall: event for %s: %w", l.ID, err)
		}
		recs = append(recs, ledger.Record{Event: b, EventID: ev.HashID(), GivenID: given, Firm: req.Firm})
	}
	if len(recs) == 0 {
		return st, nil
	}
	app, err := p.Append(ctx, recs...)
	if err != nil {
		return nil, fmt.Errorf("recall: append %d recall events: %w", len(recs), err)
	}
	st.Appended = app
	return st, nil
}
