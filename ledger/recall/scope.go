package recall

import (
	"cmp"
	"slices"
	"traceledger/ledger/epcis"
)

// A Scope is what a recall of some lots has to reach: the forward walk from every
// given lot (given lots included), as `traceledger recall --json` prints it.
//
//   - Lots are the affected lots and the affected instances that are not part of an
//     affected lot (an instance commissioned into an affected lot is counted in it),
//     with the quantity made and the quantity shipped from where it was made or held
//     (legs from a place it was received at are not counted twice), its unit, and the
//     path of codes from a given lot that makes it affected.
//   - LogisticUnits are the units that contain any of them.
//   - Locations are the consignees: every location an affected good (or a unit holding
//     one) was shipped to or received at, with the firm there, which lots reached it
//     and how much of them.
//   - AccountedFor is the share of the quantity produced that is either shipped to a
//     known location or still where it was made or held (produced minus shipped), over
//     lots with a known produced quantity; 0 when none has one.
type Scope struct {
	Lots          []ScopeLot      `json:"lots"`
	LogisticUnits []string        `json:"logisticUnits"`
	Locations     []ScopeLocation `json:"locations"`
	AccountedFor  float64         `json:"accountedFor"`

	// Origins are the lots the recall starts from, canonical, in the order given.
	Origins []string `json:"-"`
	// Members maps an affected lot to its affected instances.
	Members map[string][]string `json:"-"`
	// Events are the tracking events of the affected goods, for the FSMA 204 export.
	Events []TrackingEvent `json:"-"`
	// Truncated is set when a bound stopped the walk before it was complete.
	Truncated bool `json:"-"`
}

// A ScopeLot is one affected lot (or instance) of a Scope.
type ScopeLot struct {
	ID               string   `json:"id"`
	GTIN             string   `json:"gtin"`
	Lot              string   `json:"lot"`
	QuantityProduced float64  `json:"quantityProduced"`
	QuantityShipped  float64  `json:"quantityShipped"`
	UOM              string   `json:"uom"`
	Via              []string `json:"via"`
}

// A ScopeLocation is one consignee of a Scope.
type ScopeLocation struct {
	ID       string   `json:"id"`
	Firm     string   `json:"firm"`
	Lots     []string `json:"lots"`
	Quantity float64  `json:"quantity"`
}

// A TrackingEvent is one event of one affected lot, with the lot's quantity in it: the
// rows of the FSMA 204 export.
type TrackingEvent struct {
	Lot       string // affected lot (or instance) Digital Link
	Kind      string // commissioning, transformation, shipping, receiving
	Quantity  float64
	UOM       string
	Location  string // where it happened
	Other     string // ship-to location of a shipment, ship-from of a receipt
	Time      string // event time as written (RFC 3339 with offset)
	EventID   string
	Docs      []Doc
	Firm      string // recorder
	entry     int64
	producing bool // the event made the lot (its location is the lot code's source)
}

// A Doc is a business document an event refers to: its CBV type and identifier.
type Doc struct{ Type, ID string }

// Scope computes the recall scope of lots (any codes: lots, instances or units).
func (t *Tracer) Scope(codes ...string) (*Scope, error) {
	g, err := t.forward(codes)
	if err != nil {
		return nil, err
	}
	w := g.w
	sc := &Scope{Lots: []ScopeLot{}, LogisticUnits: []string{}, Locations: []ScopeLocation{},
		Origins: g.origins, Members: map[string][]string{}, Truncated: g.truncated}

	// Group the affected goods: an instance whose lot is affected is that lot.
	inScope := map[string]bool{}
	for _, c := range g.order {
		inScope[c] = true
	}
	group := func(c string) string {
		if l, ok := w.lotOf[c]; ok && inScope[l] && isInstance(c) {
			return l
		}
		return c
	}
	lots := map[string]*ScopeLot{}
	var order []string
	for _, c := range g.order {
		switch {
		case isUnit(c):
			sc.LogisticUnits = append(sc.LogisticUnits, c)
		case isTradeItem(c):
			gr := group(c)
			if gr != c {
				sc.Members[gr] = append(sc.Members[gr], c)
				continue
			}
			lot := &ScopeLot{ID: c, GTIN: gtinOf(c), Lot: lotNumberOf(c), Via: g.path(c)}
			if isInstance(c) {
				if l, ok := w.lotOf[c]; ok {
					lot.Lot = lotNumberOf(l)
				}
			}
			lots[c] = lot
			order = append(order, c)
		}
	}

	// Every step read is a candidate tracking event; what it did to each affected
	// group, with quantities through the units that carried them.
	steps := make([]*step, 0, len(w.steps))
	for _, s := range w.steps {
		if s != nil {
			steps = append(steps, s)
		}
	}
	slices.SortFunc(steps, func(a, b *step) int { return cmp.Compare(a.entry, b.entry) })
	produced := map[string]float64{}
	madeAt := map[string]map[string]bool{}
	receivedAt := map[string]map[string]bool{}
	type legs struct{ shipped, located float64 }
	shipped := map[string]*legs{}
	atLoc := map[string]map[string][2]float64{} // location -> group -> {shipped to, received}
	addAt := func(loc, gr string, i int, q float64) {
		m := atLoc[loc]
		if m == nil {
			m = map[string][2]float64{}
			atLoc[loc] = m
		}
		v := m[gr]
		v[i] += q
		m[gr] = v
	}
	mark := func(m map[string]map[string]bool, gr, loc string) {
		if m[gr] == nil {
			m[gr] = map[string]bool{}
		}
		m[gr][loc] = true
	}
	for _, s := range steps {
		switch {
		case s.isMaking():
			made := s.outputs
			if s.typ != epcis.TransformationEvent {
				made = s.goods
			}
			kind := KindTransformation
			if s.typ != epcis.TransformationEvent {
				kind = KindCommissioning
			}
			for gr, q := range w.contents(made, inScope, group, false) {
				if lots[gr] == nil {
					continue
				}
				produced[gr] += q.qty
				if lots[gr].UOM == "" {
					lots[gr].UOM = q.uom
				}
				mark(madeAt, gr, s.location)
				sc.Events = append(sc.Events, s.tracking(gr, kind, q, "", true))
			}
			for gr, q := range w.contents(s.inputs, inScope, group, false) {
				if lots[gr] != nil {
					sc.Events = append(sc.Events, s.tracking(gr, KindTransformation, q, "", false))
				}
			}
		case s.isReceipt():
			at := receiptLocation(s)
			from := first(locations(s.sources))
			for gr, q := range w.contents(s.moved(), inScope, group, true) {
				if lots[gr] == nil {
					continue
				}
				mark(receivedAt, gr, at)
				addAt(at, gr, 1, q.qty)
				w.noteFirm(at, s.firm)
				sc.Events = append(sc.Events, s.tracking(gr, KindReceiving, q, from, false))
			}
		}
	}
	for _, s := range steps {
		if !s.isShipment() {
			continue
		}
		dests := locations(s.dests)
		for gr, q := range w.contents(s.moved(), inScope, group, true) {
			if lots[gr] == nil {
				continue
			}
			for _, d := range dests {
				addAt(d, gr, 0, q.qty)
			}
			sc.Events = append(sc.Events, s.tracking(gr, KindShipping, q, first(dests), false))
			if receivedAt[gr][s.location] && !madeAt[gr][s.location] {
				continue // a later leg of goods already counted when they left
			}
			l := shipped[gr]
			if l == nil {
				l = &legs{}
				shipped[gr] = l
			}
			l.shipped += q.qty
			if len(dests) > 0 || shipmentReceived(s, receivedAt[gr]) {
				l.located += q.qty
			}
		}
	}

	var total, accounted float64
	for _, c := range order {
		lot := lots[c]
		lot.QuantityProduced = produced[c]
		if l := shipped[c]; l != nil {
			lot.QuantityShipped = l.shipped
		}
		if lot.UOM == "" && isInstance(c) || lot.UOM == "" && len(sc.Members[c]) > 0 {
			lot.UOM = "EA"
		}
		if p := lot.QuantityProduced; p > 0 {
			var located float64
			if l := shipped[c]; l != nil {
				located = l.located
			}
			total += p
			accounted += min(p, located+max(0, p-lot.QuantityShipped))
		}
		sc.Lots = append(sc.Lots, *lot)
	}
	if total > 0 {
		sc.AccountedFor = accounted / total
	}
	for loc, m := range atLoc {
		sl := ScopeLocation{ID: loc, Lots: []string{}}
		for gr, v := range m {
			sl.Lots = append(sl.Lots, gr)
			sl.Quantity += max(v[0], v[1])
		}
		f, err := w.firmAt(loc)
		if err != nil {
			return nil, err
		}
		sl.Firm = f
		slices.Sort(sl.Lots)
		sc.Locations = append(sc.Locations, sl)
	}
	slices.SortFunc(sc.Lots, func(a, b ScopeLot) int { return cmp.Compare(a.ID, b.ID) })
	slices.Sort(sc.LogisticUnits)
	slices.SortFunc(sc.Locations, func(a, b ScopeLocation) int { return cmp.Compare(a.ID, b.ID) })
	for _, m := range sc.Members {
		slices.Sort(m)
	}
	slices.SortFunc(sc.Events, func(a, b TrackingEvent) int {
		return cmp.Or(cmp.Compare(a.Lot, b.Lot), cmp.Compare(a.entry, b.entry), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Quantity, b.Quantity))
	})
	return sc, nil
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// shipmentReceived says whether goods shipped with no destination location were
// received somewhere all the same.
func shipmentReceived(s *step, receivedAt map[string]bool) bool {
	for loc := range receivedAt {
		if loc != s.location {
			return true
		}
	}
	return false
}

// amount is a quantity of one affected group in one event.
type amount struct {
	qty float64
	uom string
}

// contents returns how much of each affected group the listed goods hold: a lot's
// quantity, one per instance, and, with throughUnits, what the affected units and
// parent instances among them were packed with (nested, each code counted once).
func (w *walk) contents(list []item, inScope map[string]bool, group func(string) string, throughUnits bool) map[string]amount {
	out := map[string]amount{}
	seen := map[string]bool{}
	var add func(it item)
	add = func(it item) {
		if !inScope[it.code] {
			return
		}
		// A lot's quantities add up across the units carrying it; a unit or an
		// instance is one thing, counted once however it is reached.
		if !isLot(it.code) {
			if seen[it.code] {
				return
			}
			seen[it.code] = true
		}
		if isTradeItem(it.code) {
			gr := group(it.code)
			a := out[gr]
			a.qty += it.qty
			if a.uom == "" {
				a.uom = it.uom
				if isInstance(it.code) {
					a.uom = "EA"
				}
			}
			out[gr] = a
		}
		if !throughUnits || isLot(it.code) {
			return
		}
		ss, err := w.stepsOf(it.code)
		if err != nil {
			return
		}
		for _, s := range ss {
			if s.packs() && s.parent == it.code {
				for _, c := range s.children {
					add(c)
				}
			}
		}
	}
	for _, it := range list {
		add(it)
	}
	return out
}

// tracking makes the tracking event of group gr in s.
func (s *step) tracking(gr, kind string, q amount, other string, producing bool) TrackingEvent {
	te := TrackingEvent{Lot: gr, Kind: kind, Quantity: q.qty, UOM: q.uom, Location: s.location, Other: other,
		Time: s.rawTime, EventID: s.eventID, Firm: s.firm, entry: s.entry, producing: producing}
	for _, d := range s.docs {
		te.Docs = append(te.Docs, Doc{Type: d.Type, ID: d.Value})
	}
	return te
}
