package recall

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
)

// testIndexer is the log's EPCIS Indexer, as the server and the command line use it.
var testIndexer ledger.Indexer = ledger.EPCISIndexer

// memberIndexer is testIndexer plus the instance -> lot edges (kind "lot") an indexer
// should add for instances commissioned into a lot by their ILMD lotNumber.
func memberIndexer(b []byte) (ledger.IndexKeys, error) {
	ik, err := testIndexer(b)
	if err != nil {
		return ik, err
	}
	s, err := parseStep(&ledger.Entry{Event: b})
	if err != nil {
		return ik, err
	}
	var insts []string
	for inst := range s.lotOf {
		insts = append(insts, inst)
	}
	slices.Sort(insts)
	for _, inst := range insts {
		ik.Edges = append(ik.Edges, ledger.Edge{From: inst, To: s.lotOf[inst], Kind: "lot"})
	}
	return ik, nil
}

// chain builds scenarios: events at sites, recorded by firms, appended to a temp log.
type chain struct {
	t      testing.TB
	log    *ledger.Log
	clock  time.Time
	events []*epcis.Event
	firms  []string
}

func newChain(t testing.TB, ix ledger.Indexer) *chain {
	t.Helper()
	l, err := ledger.Open(t.TempDir(), ledger.DefaultOptions().WithIndexer(ix))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return &chain{t: t, log: l, clock: time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)}
}

const gcp = "9506000"

// Identifiers of the scenarios: GTIN item i, lot codes, serials, SSCCs, sites and
// firms (site n is run by firm n).
func gtin(i int) string {
	d := gcp + fmt.Sprintf("%05d", i)
	d = "0" + d
	return d + checkDigit(d)
}

func checkDigit(d string) string {
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if (len(d)-1-i)%2 == 0 {
			v *= 3
		}
		sum += v
	}
	return strconv.Itoa((10 - sum%10) % 10)
}

func lot(i int, l string) string  { return stem + "/01/" + gtin(i) + "/10/" + l }
func inst(i int, s string) string { return stem + "/01/" + gtin(i) + "/21/" + s }
func sscc(n int) string {
	d := "3" + gcp + fmt.Sprintf("%09d", n)
	return stem + "/00/" + d + checkDigit(d)
}
func site(n int) string {
	d := gcp + fmt.Sprintf("%05d", n)
	return stem + "/414/" + d + checkDigit(d)
}
func firm(n int) string { return fmt.Sprintf("91150100MA0TEST%02dX", n) }

func (c *chain) base(typ, action string, at int) *epcis.Event {
	c.clock = c.clock.Add(time.Minute)
	return &epcis.Event{Type: typ, Action: action, EventTime: c.clock.Format(time.RFC3339),
		EventTimeZoneOffset: "+00:00", ReadPoint: &epcis.Location{ID: site(at)},
		BizLocation: &epcis.Location{ID: site(at)}}
}

func q(code string, n float64, uom string) epcis.Quantity {
	return epcis.Quantity{EPCClass: code, Quantity: strconv.FormatFloat(n, 'f', -1, 64), UOM: uom}
}

// add appends an event recorded by the firm of site at.
func (c *chain) add(at int, e *epcis.Event) *epcis.Event {
	c.t.Helper()
	if err := e.Validate(); err != nil {
		c.t.Fatalf("scenario event invalid: %v", err)
	}
	b, err := e.CanonicalJSON()
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.log.Append(context.Background(), ledger.Record{Event: b, Firm: firm(at)}); err != nil {
		c.t.Fatal(err)
	}
	c.events = append(c.events, e)
	return e
}

// commission makes lot code (quantity n) at site at.
func (c *chain) commission(at int, code string, n float64, uom string) *epcis.Event {
	e := c.base(epcis.ObjectEvent, epcis.ActionAdd, at)
	e.QuantityList = []epcis.Quantity{q(code, n, uom)}
	e.BizStep, e.Disposition = "commissioning", "active"
	return c.add(at, e)
}

// transform consumes ins and makes outs (quantity lists) and outEPCs at site at, with
// an optional ILMD lotNumber for the instances.
func (c *chain) transform(at int, ins, outs []epcis.Quantity, outEPCs []string, lotNumber string) *epcis.Event {
	e := c.base(epcis.TransformationEvent, "", at)
	e.InputQuantityList, e.OutputQuantityList, e.OutputEPCList = ins, outs, outEPCs
	e.BizStep, e.Disposition = "commissioning", "active"
	if lotNumber != "" {
		e.ILMD = []epcis.Field{{Name: "cbvmda:lotNumber", Value: []byte(strconv.Quote(lotNumber))}}
		e.Namespaces = map[string]string{"cbvmda": "urn:epcglobal:cbv:mda:"}
	}
	return c.add(at, e)
}

// pack aggregates children (EPCs and quantities) into parent at site at.
func (c *chain) pack(at int, parent string, children []string, qs []epcis.Quantity) *epcis.Event {
	e := c.base(epcis.AggregationEvent, epcis.ActionAdd, at)
	e.ParentID, e.ChildEPCs, e.ChildQuantityList = parent, children, qs
	e.BizStep, e.Disposition = "packing", "in_progress"
	return c.add(at, e)
}

// move ships epcs and qs from site `from` to site `to` (and receives them there when
// received is set), with despatch advice doc.
func (c *chain) move(from, to int, epcs []string, qs []epcis.Quantity, doc string, received bool) {
	lists := func(e *epcis.Event) {
		e.EPCList, e.QuantityList = epcs, qs
		e.SourceList = []epcis.SourceDest{{Type: "location", Value: site(from)}}
		e.DestinationList = []epcis.SourceDest{{Type: "location", Value: site(to)}}
		e.BizTransactionList = []epcis.BizTransaction{{Type: "desadv", Value: "urn:epcglobal:cbv:bt:" + gcp + "000017:" + doc}}
	}
	e := c.base(epcis.ObjectEvent, epcis.ActionObserve, from)
	e.BizStep, e.Disposition = "shipping", "in_transit"
	lists(e)
	c.add(from, e)
	if received {
		r := c.base(epcis.ObjectEvent, epcis.ActionObserve, to)
		r.BizStep, r.Disposition = "receiving", "in_progress"
		lists(r)
		c.add(to, r)
	}
}

func (c *chain) tracer() *Tracer { return &Tracer{Log: c.log} }

// equal fails the test when got and want differ as sets (both are sorted first).
func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if g == nil {
		g = []string{}
	}
	if w == nil {
		w = []string{}
	}
	if !slices.Equal(g, w) {
		t.Errorf("%s:\n got  %q\n want %q", what, g, w)
	}
}
