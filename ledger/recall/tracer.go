package recall

import (
	"errors"
	"fmt"
	"slices"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
)

// A Ledger is what a Tracer reads from the log: the product and location indexes, the
// genealogy edges arriving at a code, and entries. *ledger.Log satisfies it; tests and
// other stores may supply their own.
type Ledger interface {
	Indexed(f ledger.Field, value string, from int64, limit int) ([]int64, error)
	EdgesTo(code string) ([]ledger.IndexedEdge, error)
	Get(n int64) (*ledger.Entry, error)
}

// A Directory supplies what events do not carry: which registered firm runs a location,
// the location's name and a product's description (FSMA 204 asks for both in its
// export). A registry implements it; without one a Tracer works the firm out from the
// ledger (who records events at the location) and leaves names empty.
type Directory interface {
	// FirmAt returns the USCC of the firm at a location Digital Link, "" if unknown.
	FirmAt(location string) string
	// LocationName returns a location's name, "" if unknown.
	LocationName(location string) string
	// ProductDescription returns a GTIN's product description, "" if unknown.
	ProductDescription(gtin string) string
}

// Default bounds of a walk: deep enough for any real supply chain, small enough that a
// malformed or hostile graph cannot hold a request for long.
const (
	DefaultMaxDepth          = 64
	DefaultMaxCodes          = 100_000
	DefaultMaxEntriesPerCode = 10_000
)

// MemberKinds are the genealogy edge kinds (instance -> lot) an Indexer may use to say
// that an instance was commissioned as part of a lot; Forward and Back follow them from
// a lot to its instances. Without them, an instance is still found to be part of its
// lot from the events the walk reads (ILMD lotNumber, or a quantityList naming the lot
// in the commissioning event), but a walk that starts at a lot whose instances name it
// only in their ILMD cannot find them.
var MemberKinds = []string{"lot", "member", "commissioning", "lot_member"}

// A Tracer walks a ledger's genealogy. Its zero bounds mean the defaults; it holds no
// state between walks and is safe for concurrent use when its Ledger is.
type Tracer struct {
	Log       Ledger
	Directory Directory // optional
	// MaxDepth bounds the steps from the origin; MaxCodes the codes visited;
	// MaxEntriesPerCode the entries read per code (a product class or a long-lived
	// returnable unit may have millions: only the first ones are read).
	MaxDepth, MaxCodes, MaxEntriesPerCode int
}

// ErrNoCode is returned for a walk with no starting code.
var ErrNoCode = errors.New("recall: no code to start from")

// walk is the state of one walk: the steps read so far (each entry parsed once), the
// steps of each code, and the firm found at each location.
type walk struct {
	t       *Tracer
	steps   map[int64]*step
	byCode  map[string][]*step
	members map[string][]string
	firms   map[string]string
	lotOf   map[string]string
}

func (t *Tracer) newWalk() *walk {
	return &walk{t: t, steps: map[int64]*step{}, byCode: map[string][]*step{},
		members: map[string][]string{}, firms: map[string]string{}, lotOf: map[string]string{}}
}

func (t *Tracer) maxDepth() int { return orDefault(t.MaxDepth, DefaultMaxDepth) }
func (t *Tracer) maxCodes() int { return orDefault(t.MaxCodes, DefaultMaxCodes) }
func (t *Tracer) maxEntries() int {
	return orDefault(t.MaxEntriesPerCode, DefaultMaxEntriesPerCode)
}

func orDefault(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

// step returns entry n's step, reading and parsing it on first use; nil for an entry
// that holds no EPCIS event.
func (w *walk) step(n int64) (*step, error) {
	if s, ok := w.steps[n]; ok {
		return s, nil
	}
	en, err := w.t.Log.Get(n)
	if err != nil {
		return nil, fmt.Errorf("recall: read entry %d: %w", n, err)
	}
	s, err := parseStep(en)
	if err != nil {
		// Not an EPCIS event (a registry record shares the log): no genealogy step.
		w.steps[n] = nil
		return nil, nil
	}
	w.steps[n] = s
	for inst, lot := range s.lotOf {
		w.lotOf[inst] = lot
	}
	return s, nil
}

// stepsOf returns the steps of every entry under a product code, in entry order.
func (w *walk) stepsOf(code string) ([]*step, error) {
	if ss, ok := w.byCode[code]; ok {
		return ss, nil
	}
	idx, err := w.t.Log.Indexed(ledger.ByProduct, code, 0, w.t.maxEntries())
	if err != nil {
		return nil, fmt.Errorf("recall: entries of %s: %w", code, err)
	}
	ss := make([]*step, 0, len(idx))
	for _, n := range idx {
		s, err := w.step(n)
		if err != nil {
			return nil, err
		}
		if s != nil {
			ss = append(ss, s)
		}
	}
	w.byCode[code] = ss
	return ss, nil
}

// membersOf returns the instances that are part of a lot: those the index links to it
// with a member edge, those its own entries commission into it and those met so far in
// the walk whose commissioning named it, sorted.
func (w *walk) membersOf(lot string) ([]string, error) {
	if m, ok := w.members[lot]; ok {
		return m, nil
	}
	var out []string
	edges, err := w.t.Log.EdgesTo(lot)
	if err != nil {
		return nil, fmt.Errorf("recall: edges to %s: %w", lot, err)
	}
	for _, e := range edges {
		if slices.Contains(MemberKinds, e.Kind) && isInstance(e.From) {
			out = append(out, e.From)
		}
	}
	ss, err := w.stepsOf(lot)
	if err != nil {
		return nil, err
	}
	for _, s := range ss {
		for inst, l := range s.lotOf {
			if l == lot {
				out = append(out, inst)
			}
		}
	}
	// Instances met earlier in the walk whose own events put them in the lot.
	for inst, l := range w.lotOf {
		if l == lot {
			out = append(out, inst)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	w.members[lot] = out
	return out, nil
}

// firmAt returns the USCC of the firm at a location: the Directory's answer, else the
// submitter of the first event (other than an inspection or sampling, which labs record
// at other firms' sites) that happened there.
func (w *walk) firmAt(loc string) (string, error) {
	if f, ok := w.firms[loc]; ok {
		return f, nil
	}
	f := ""
	if w.t.Directory != nil {
		f = w.t.Directory.FirmAt(loc)
	}
	if f == "" {
		idx, err := w.t.Log.Indexed(ledger.ByLocation, loc, 0, 64)
		if err != nil {
			return "", fmt.Errorf("recall: entries at %s: %w", loc, err)
		}
		for _, n := range idx {
			s, err := w.step(n)
			if err != nil {
				return "", err
			}
			if s != nil && s.location == loc && s.firm != "" && s.bizStep != "inspecting" && s.bizStep != "sampling" {
				f = s.firm
				break
			}
		}
	}
	w.firms[loc] = f
	return f, nil
}

// noteFirm records that firm recorded an event at loc (a receipt: the consignee).
func (w *walk) noteFirm(loc, firm string) {
	if _, ok := w.firms[loc]; !ok && firm != "" && loc != "" {
		if w.t.Directory != nil {
			if f := w.t.Directory.FirmAt(loc); f != "" {
				firm = f
			}
		}
		w.firms[loc] = firm
	}
}

// isReceipt and isShipment classify a step by its CBV business step.
func (s *step) isReceipt() bool  { return s.bizStep == "receiving" }
func (s *step) isShipment() bool { return s.bizStep == "shipping" }

// isMaking says whether a step is a TransformationEvent or an ADD: it makes goods.
func (s *step) isMaking() bool {
	return s.typ == epcis.TransformationEvent || (s.typ == epcis.ObjectEvent && s.action == epcis.ActionAdd)
}
