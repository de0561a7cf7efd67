package epcis

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"traceledger/scanner"
)

// Keys is what the ledger indexes an event under, derived from the event alone so
// that verify can rebuild every index from the stored events. Identifiers are
// canonical (GS1 Digital Link on https://id.gs1.org for GS1 identifiers, other URIs as
// written); CBV values are bare for standard ones and the URI otherwise.
type Keys struct {
	// Products are the product codes the event touches, each once, in event order:
	// parentID, epcList, childEPCs, inputEPCList, outputEPCList and the EPC classes of
	// every quantity list (lots "/01/…/10/…" and product classes "/01/…"). The
	// per-product hash chains and the product index are keyed by them.
	Products []string
	// ReadPoint and BizLocation are the location identifiers (GLN Digital Links,
	// "/414/…[/254/…]"), "" when absent.
	ReadPoint   string
	BizLocation string
	// Sources and Destinations carry their CBV type (bare) and canonical identifier.
	Sources      []SourceDest
	Destinations []SourceDest
	BizStep      string
	Disposition  string
	// PersistentSet lists the dispositions the event sets persistently ("recalled").
	PersistentSet []string
	// PersistentUnset lists the ones it lifts.
	PersistentUnset []string
	// EventTime is the event time; zero when it does not parse.
	EventTime time.Time
	// EventID is the identifier the capturer gave ("" when none): indexed beside the
	// hash ID so that either finds the event.
	EventID string
	// Edges are the genealogy links the event makes.
	Edges []Edge
}

// An EdgeKind says how an Edge links two codes.
type EdgeKind string

// The genealogy links recall walks (DESIGN.md section 6).
const (
	// EdgeTransformation links each input of a TransformationEvent to each output.
	EdgeTransformation EdgeKind = "transformation"
	// EdgeAggregation links a child to its parent unit (AggregationEvent with action
	// ADD or OBSERVE).
	EdgeAggregation EdgeKind = "aggregation"
	// EdgeShipped links goods shipped (bizStep shipping) to each destination.
	EdgeShipped EdgeKind = "shipped_to"
	// EdgeReceived links goods received (bizStep receiving) to each source.
	EdgeReceived EdgeKind = "received_from"
	// EdgeLotMember links an instance to the lot it was commissioned into by the
	// event's ILMD lotNumber (an ObjectEvent ADD or a TransformationEvent output),
	// so that a walk from the lot finds its instances although no event names the
	// lot itself. "lot" is one of ledger/recall's MemberKinds.
	EdgeLotMember EdgeKind = "lot"
)

// An Edge is one directed genealogy link: From an input, child or shipped good To an
// output, parent or location/party.
type Edge struct {
	From string
	To   string
	Kind EdgeKind
}

// canonicalOrSelf is the canonical form of an identifier, or the identifier itself
// when it is not a (valid) GS1 identifier.
func canonicalOrSelf(s string) string {
	if dl, ok, err := CanonicalID(s); ok && err == nil {
		return dl
	}
	return s
}

// A canonMemo remembers the last two identifiers canonicalOrSelf was asked for: an
// event names the same location as its read point, its business location and a
// source or destination.
type canonMemo struct {
	in, out [2]string
}

// canon is canonicalOrSelf(s).
func (m *canonMemo) canon(s string) string {
	switch s {
	case m.in[0]:
		return m.out[0]
	case m.in[1]:
		return m.out[1]
	}
	c := canonicalOrSelf(s)
	m.in[1], m.out[1] = m.in[0], m.out[0]
	m.in[0], m.out[0] = s, c
	return c
}

// Keys derives the event's index keys. Its slices are its own; its strings may be the
// Event's, or slices of them (HashAndKeys copies the ones that are slices of the
// caller's bytes).
func (e *Event) Keys() Keys {
	var k Keys
	// The canonical identifiers in event order, in one slice: parent, goods (epcList
	// and quantityList), children, inputs, outputs.
	n := len(e.EPCList) + len(e.QuantityList) + len(e.ChildEPCs) + len(e.ChildQuantityList) +
		len(e.InputEPCList) + len(e.InputQuantityList) + len(e.OutputEPCList) + len(e.OutputQuantityList) + 1
	buf := make([]string, 2*n) // ids and products share one allocation
	ps := productSet{ids: buf[:0:n], products: buf[n:n], n: n}
	if e.ParentID != "" {
		ps.add(e.ParentID)
	}
	nParent := len(ps.ids)
	ps.group(e.EPCList, e.QuantityList)
	childLo, childHi := ps.group(e.ChildEPCs, e.ChildQuantityList)
	inLo, inHi := ps.group(e.InputEPCList, e.InputQuantityList)
	outLo, outHi := ps.group(e.OutputEPCList, e.OutputQuantityList)
	ids := ps.ids
	if len(ps.products) > 0 {
		k.Products = ps.products
	}
	children, inputs, outputs := ids[childLo:childHi], ids[inLo:inHi], ids[outLo:outHi]
	// What moves in a shipment or receipt: the goods of an Object/Transaction event,
	// or the parent unit and its children of an Aggregation event.
	moved := ids[:childHi]

	var places canonMemo
	if e.ReadPoint != nil && e.ReadPoint.ID != "" {
		k.ReadPoint = places.canon(e.ReadPoint.ID)
	}
	if e.BizLocation != nil && e.BizLocation.ID != "" {
		k.BizLocation = places.canon(e.BizLocation.ID)
	}
	k.Sources, k.Destinations = keySourceDests(e.SourceList, e.DestinationList, &places)
	k.BizStep = BizSteps.BareOrURI(e.BizStep)
	k.Disposition = Dispositions.BareOrURI(e.Disposition)
	if pd := e.PersistentDisposition; pd != nil {
		k.PersistentSet = bareList(pd.Set)
		k.PersistentUnset = bareList(pd.Unset)
	}
	if t, err := ParseTime(e.EventTime); err == nil {
		k.EventTime = t
	}
	k.EventID = e.EventID

	// Instances made by the event (an ADD's goods, a transformation's outputs) under
	// the lot its ILMD names.
	var made []string
	switch {
	case e.Type == TransformationEvent:
		made = outputs
	case e.Type == ObjectEvent && e.Action == ActionAdd:
		made = ids[nParent:childLo]
	}
	var lotNumber string
	if len(made) > 0 && len(e.ILMD) > 0 {
		lotNumber = ilmdLotNumber(e.ILMD)
	}
	members := 0
	if lotNumber != "" {
		for _, id := range made {
			if isInstanceDL(id) {
				members++
			}
		}
	}

	edges := members
	aggregates := e.Type == AggregationEvent && nParent == 1 && (e.Action == ActionAdd || e.Action == ActionObserve)
	switch {
	case e.Type == TransformationEvent:
		edges += len(inputs) * len(outputs)
	case aggregates:
		edges += len(children)
	}
	switch k.BizStep {
	case "shipping":
		edges += len(moved) * len(k.Destinations)
	case "receiving":
		edges += len(moved) * len(k.Sources)
	}
	if edges == 0 {
		return k
	}
	k.Edges = make([]Edge, 0, edges)
	switch {
	case e.Type == TransformationEvent:
		for _, in := range inputs {
			for _, out := range outputs {
				k.Edges = append(k.Edges, Edge{in, out, EdgeTransformation})
			}
		}
	case aggregates:
		for _, c := range children {
			k.Edges = append(k.Edges, Edge{c, ids[0], EdgeAggregation})
		}
	}
	switch k.BizStep {
	case "shipping":
		for _, g := range moved {
			for _, d := range k.Destinations {
				k.Edges = append(k.Edges, Edge{g, d.Value, EdgeShipped})
			}
		}
	case "receiving":
		for _, g := range moved {
			for _, s := range k.Sources {
				k.Edges = append(k.Edges, Edge{g, s.Value, EdgeReceived})
			}
		}
	}
	if members > 0 {
		for _, id := range made {
			if isInstanceDL(id) {
				gtin := id[len(scanner.CanonicalStem)+4 : len(scanner.CanonicalStem)+18]
				if lot := lotDL(gtin, lotNumber); lot != "" {
					k.Edges = append(k.Edges, Edge{id, lot, EdgeLotMember})
				}
			}
		}
	}
	return k
}

// ILMDLotNumber returns the lot number the event's ILMD gives (see ilmdLotNumber),
// "" when none. Keys chains the instances the event commissions under that lot, and
// the recall walk reads it to do the same; both must read it alike.
func (e *Event) ILMDLotNumber() string { return ilmdLotNumber(e.ILMD) }

// ilmdLotNumber returns the lot number an ILMD gives (CBV master data attribute
// urn:epcglobal:cbv:mda:lotNumber, under whatever prefix it is written), "" when none.
func ilmdLotNumber(ilmd []Field) string {
	for _, f := range ilmd {
		// The name's local part (after its last ':', '#' or '/') is "lotNumber".
		rest, ok := strings.CutSuffix(f.Name, "lotNumber")
		if !ok || rest != "" && strings.IndexByte(":#/", rest[len(rest)-1]) < 0 {
			continue
		}
		if body, plain := plainStringJSON(f.Value); plain {
			if len(body) > 0 {
				return string(body) // what json.Unmarshal gives, without reflection
			}
			continue
		}
		var v string
		if json.Unmarshal(f.Value, &v) == nil && v != "" {
			return v
		}
	}
	return ""
}

// isInstanceDL says whether a canonical identifier is a serialised trade item
// (https://id.gs1.org/01/{gtin14}/21/{serial}).
func isInstanceDL(id string) bool {
	p, ok := strings.CutPrefix(id, scanner.CanonicalStem)
	return ok && len(p) > 22 && strings.HasPrefix(p, "/01/") && p[18:22] == "/21/"
}

// lotDL is the canonical Digital Link of lot number lot of a GTIN, "" when the two
// do not make a valid identifier (a lot number too long or outside CSET 82).
func lotDL(gtin, lot string) string {
	d := scanner.Data{Elements: []scanner.Element{{AI: "01", Value: gtin}, {AI: "10", Value: lot}}}
	if d.Validate(scanner.Options{}) != nil {
		return ""
	}
	dl, err := d.DigitalLink(scanner.CanonicalStem)
	if err != nil {
		return ""
	}
	return dl
}

// A productSet gathers an event's canonical identifiers in event order (ids) and its
// product codes, each once (products).
type productSet struct {
	ids, products []string
	seen          map[string]bool // built only for events with many products
	n             int
}

func (s *productSet) add(id string) {
	c := canonicalOrSelf(id)
	s.ids = append(s.ids, c)
	switch {
	case s.seen != nil:
		if s.seen[c] {
			return
		}
		s.seen[c] = true
	case slices.Contains(s.products, c):
		return
	case len(s.products) >= 16:
		s.seen = make(map[string]bool, s.n)
		for _, p := range s.products {
			s.seen[p] = true
		}
		s.seen[c] = true
	}
	s.products = append(s.products, c)
}

// group adds a list and a quantity list and returns where their identifiers are in ids.
func (s *productSet) group(epcs []string, qs []Quantity) (lo, hi int) {
	lo = len(s.ids)
	for _, id := range epcs {
		s.add(id)
	}
	for _, q := range qs {
		if q.EPCClass != "" {
			s.add(q.EPCClass)
		}
	}
	return lo, len(s.ids)
}

// keySourceDests are a source and a destination list with bare CBV types and
// canonical identifiers (nil when empty), in one allocation.
func keySourceDests(sources, dests []SourceDest, places *canonMemo) (keySources, keyDests []SourceDest) {
	n := len(sources) + len(dests)
	if n == 0 {
		return nil, nil
	}
	out := make([]SourceDest, n)
	for i, s := range sources {
		out[i] = SourceDest{SourceDestTypes.BareOrURI(s.Type), places.canon(s.Value)}
	}
	for i, s := range dests {
		out[len(sources)+i] = SourceDest{SourceDestTypes.BareOrURI(s.Type), places.canon(s.Value)}
	}
	if len(sources) > 0 {
		keySources = out[:len(sources):len(sources)]
	}
	if len(dests) > 0 {
		keyDests = out[len(sources):]
	}
	return keySources, keyDests
}

// bareList is a list of dispositions in their storage form (nil when empty).
func bareList(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = Dispositions.BareOrURI(s)
	}
	return out
}
