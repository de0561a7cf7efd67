package epcis

import "time"

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

func classes(qs []Quantity) []string {
	out := make([]string, 0, len(qs))
	for _, q := range qs {
		if q.EPCClass != "" {
			out = append(out, q.EPCClass)
		}
	}
	return out
}

// Keys derives the event's index keys.
func (e *Event) Keys() Keys {
	var k Keys
	seen := map[string]bool{}
	add := func(ids ...[]string) []string {
		var got []string
		for _, list := range ids {
			for _, id := range list {
				c := canonicalOrSelf(id)
				got = append(got, c)
				if !seen[c] {
					seen[c] = true
					k.Products = append(k.Products, c)
				}
			}
		}
		return got
	}
	var parent []string
	if e.ParentID != "" {
		parent = add([]string{e.ParentID})
	}
	goods := add(e.EPCList, classes(e.QuantityList))
	children := add(e.ChildEPCs, classes(e.ChildQuantityList))
	inputs := add(e.InputEPCList, classes(e.InputQuantityList))
	outputs := add(e.OutputEPCList, classes(e.OutputQuantityList))

	if e.ReadPoint != nil && e.ReadPoint.ID != "" {
		k.ReadPoint = canonicalOrSelf(e.ReadPoint.ID)
	}
	if e.BizLocation != nil && e.BizLocation.ID != "" {
		k.BizLocation = canonicalOrSelf(e.BizLocation.ID)
	}
	for _, s := range e.SourceList {
		k.Sources = append(k.Sources, SourceDest{SourceDestTypes.BareOrURI(s.Type), canonicalOrSelf(s.Value)})
	}
	for _, d := range e.DestinationList {
		k.Destinations = append(k.Destinations, SourceDest{SourceDestTypes.BareOrURI(d.Type), canonicalOrSelf(d.Value)})
	}
	k.BizStep = BizSteps.BareOrURI(e.BizStep)
	k.Disposition = Dispositions.BareOrURI(e.Disposition)
	if pd := e.PersistentDisposition; pd != nil {
		for _, s := range pd.Set {
			k.PersistentSet = append(k.PersistentSet, Dispositions.BareOrURI(s))
		}
		for _, s := range pd.Unset {
			k.PersistentUnset = append(k.PersistentUnset, Dispositions.BareOrURI(s))
		}
	}
	if t, err := ParseTime(e.EventTime); err == nil {
		k.EventTime = t
	}
	k.EventID = e.EventID

	switch e.Type {
	case TransformationEvent:
		for _, in := range inputs {
			for _, out := range outputs {
				k.Edges = append(k.Edges, Edge{in, out, EdgeTransformation})
			}
		}
	case AggregationEvent:
		if len(parent) == 1 && (e.Action == ActionAdd || e.Action == ActionObserve) {
			for _, c := range children {
				k.Edges = append(k.Edges, Edge{c, parent[0], EdgeAggregation})
			}
		}
	}
	// What moves in a shipment or receipt: the goods of an Object/Transaction event,
	// or the parent unit and its children of an Aggregation event.
	moved := append(append(append([]string{}, parent...), goods...), children...)
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
	return k
}
