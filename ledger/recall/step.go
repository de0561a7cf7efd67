package recall

import (
	"fmt"
	"strconv"
	"time"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
)

// A step is one ledger entry as the walks see it: the event's type and CBV values,
// the goods it names in each role with their quantities (identifiers canonical), where
// it happened, its business documents, and which instances it commissions into which
// lot. Steps are read once per walk and shared by every code that reaches them.
type step struct {
	entry   int64
	eventID string
	firm    string // submitting firm (USCC)
	time    time.Time
	rawTime string // the event time as written, for exports

	typ, action          string
	bizStep, disposition string
	location             string // bizLocation, else readPoint

	parent          string
	goods, children []item // epcList/quantityList; childEPCs/childQuantityList
	inputs, outputs []item
	sources, dests  []epcis.SourceDest
	docs            []epcis.BizTransaction

	// lotOf maps an instance this event commissions (ADD, or a transformation output)
	// to the lot it belongs to.
	lotOf map[string]string
}

// An item is one good named by an event: an EPC (instance, unit: count 1) or a quantity
// list element (a lot or class, with its quantity when given).
type item struct {
	code   string
	qty    float64
	hasQty bool
	uom    string
}

// parseStep reads a ledger entry's event into a step.
func parseStep(en *ledger.Entry) (*step, error) {
	ev, err := epcis.ParseEvent(en.Event, nil)
	if err != nil {
		return nil, fmt.Errorf("recall: entry %d: %w", en.Index, err)
	}
	s := &step{
		entry: en.Index, eventID: en.EventID, firm: en.Firm, rawTime: ev.EventTime,
		typ: ev.Type, action: ev.Action,
		bizStep:     epcis.BizSteps.BareOrURI(ev.BizStep),
		disposition: epcis.Dispositions.BareOrURI(ev.Disposition),
		docs:        ev.BizTransactionList,
	}
	if t, err := epcis.ParseTime(ev.EventTime); err == nil {
		s.time = t
	}
	if ev.BizLocation != nil && ev.BizLocation.ID != "" {
		s.location = canon(ev.BizLocation.ID)
	} else if ev.ReadPoint != nil {
		s.location = canon(ev.ReadPoint.ID)
	}
	if ev.ParentID != "" {
		s.parent = canon(ev.ParentID)
	}
	s.goods = items(ev.EPCList, ev.QuantityList)
	s.children = items(ev.ChildEPCs, ev.ChildQuantityList)
	s.inputs = items(ev.InputEPCList, ev.InputQuantityList)
	s.outputs = items(ev.OutputEPCList, ev.OutputQuantityList)
	for _, sd := range ev.SourceList {
		s.sources = append(s.sources, epcis.SourceDest{Type: epcis.SourceDestTypes.BareOrURI(sd.Type), Value: canon(sd.Value)})
	}
	for _, sd := range ev.DestinationList {
		s.dests = append(s.dests, epcis.SourceDest{Type: epcis.SourceDestTypes.BareOrURI(sd.Type), Value: canon(sd.Value)})
	}
	s.lotOf = commissionedLots(s, ev)
	return s, nil
}

func items(epcs []string, qs []epcis.Quantity) []item {
	if len(epcs)+len(qs) == 0 {
		return nil
	}
	out := make([]item, 0, len(epcs)+len(qs))
	for _, e := range epcs {
		out = append(out, item{code: canon(e), qty: 1, hasQty: true})
	}
	for _, q := range qs {
		it := item{code: canon(q.EPCClass), uom: q.UOM}
		if q.Quantity != "" {
			if v, err := strconv.ParseFloat(q.Quantity, 64); err == nil {
				it.qty, it.hasQty = v, true
			}
		}
		out = append(out, it)
	}
	return out
}

// commissionedLots says which lot each instance the event creates belongs to: an
// ObjectEvent ADD (or a TransformationEvent's outputs) whose ILMD names a lotNumber puts
// its instances into that lot of their GTIN; otherwise, an instance listed beside
// exactly one lot of its own GTIN in the same event's quantity list belongs to it.
func commissionedLots(s *step, ev *epcis.Event) map[string]string {
	var made []item
	switch {
	case s.typ == epcis.TransformationEvent:
		made = s.outputs
	case s.typ == epcis.ObjectEvent && s.action == epcis.ActionAdd:
		made = s.goods
	default:
		return nil
	}
	lotNumber := ev.ILMDLotNumber()
	var m map[string]string
	for _, it := range made {
		if !isInstance(it.code) {
			continue
		}
		g := gtinOf(it.code)
		lot := ""
		if lotNumber != "" {
			lot = lotCode(g, lotNumber)
		} else {
			for _, o := range made {
				if isLot(o.code) && gtinOf(o.code) == g {
					if lot != "" && lot != o.code {
						lot = "" // two lots of the GTIN: ambiguous
						break
					}
					lot = o.code
				}
			}
		}
		if lot != "" {
			if m == nil {
				m = map[string]string{}
			}
			m[it.code] = lot
		}
	}
	return m
}

// moved returns the goods a shipping or receiving event moves: the parent unit and
// children of an aggregation, the goods of any other event.
func (s *step) moved() []item {
	out := make([]item, 0, 1+len(s.goods)+len(s.children))
	if s.parent != "" {
		out = append(out, item{code: s.parent, qty: 1, hasQty: true})
	}
	return append(append(out, s.goods...), s.children...)
}

// makes says whether the step creates code: a transformation output or an ADD.
func (s *step) makes(code string) (item, bool) {
	switch {
	case s.typ == epcis.TransformationEvent:
		return find(s.outputs, code)
	case s.typ == epcis.ObjectEvent && s.action == epcis.ActionAdd:
		return find(s.goods, code)
	}
	return item{}, false
}

// packs says whether the step is an aggregation of parent (ADD or OBSERVE: a DELETE
// unpacks).
func (s *step) packs() bool {
	return s.typ == epcis.AggregationEvent && s.parent != "" && s.action != epcis.ActionDelete
}

func find(list []item, code string) (item, bool) {
	for _, it := range list {
		if it.code == code {
			return it, true
		}
	}
	return item{}, false
}

// locations returns the location identifiers of a source or destination list.
func locations(sds []epcis.SourceDest) []string {
	var out []string
	for _, sd := range sds {
		if sd.Type == "location" || isLocation(sd.Value) {
			out = append(out, sd.Value)
		}
	}
	return out
}
