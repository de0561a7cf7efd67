package recall

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"traceledger/ledger/epcis"
)

func scopeLot(t *testing.T, sc *Scope, id string) ScopeLot {
	t.Helper()
	for _, l := range sc.Lots {
		if l.ID == id {
			return l
		}
	}
	t.Fatalf("lot %s not in scope", id)
	return ScopeLot{}
}

func TestScopeSplitAccountsForEveryPallet(t *testing.T) {
	c, m, n, pallets := split(t)
	sc, err := c.tracer().Scope(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Lots) != 1 {
		t.Fatalf("lots %+v", sc.Lots)
	}
	got := scopeLot(t, sc, m)
	want := ScopeLot{ID: m, GTIN: gtin(1), Lot: "M1", QuantityProduced: 1000, QuantityShipped: 1000, UOM: "EA", Via: []string{}}
	if !equalLot(got, want) {
		t.Errorf("lot\n got  %+v\n want %+v", got, want)
	}
	equal(t, "units", sc.LogisticUnits, pallets)
	if len(sc.Locations) != 5 {
		t.Fatalf("locations %+v", sc.Locations)
	}
	for i, l := range sc.Locations {
		wantFirm := firm(10 + i)
		if i == 4 {
			wantFirm = "" // never recorded anything
		}
		if l.ID != site(10+i) || l.Firm != wantFirm || l.Quantity != 200 || !slices.Equal(l.Lots, []string{m}) {
			t.Errorf("location %d: %+v", i, l)
		}
	}
	if sc.AccountedFor != 1 {
		t.Errorf("accountedFor %v", sc.AccountedFor)
	}
	// The neighbour on the shared pallet is not affected.
	for _, l := range sc.Lots {
		if l.ID == n {
			t.Errorf("neighbour %s in scope", n)
		}
	}
}

func equalLot(a, b ScopeLot) bool {
	return a.ID == b.ID && a.GTIN == b.GTIN && a.Lot == b.Lot && a.QuantityProduced == b.QuantityProduced &&
		a.QuantityShipped == b.QuantityShipped && a.UOM == b.UOM && slices.Equal(a.Via, b.Via)
}

func TestScopeDiamondQuantitiesAndPaths(t *testing.T) {
	c, id := diamond(t)
	sc, err := c.tracer().Scope(id["S"])
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range sc.Lots {
		ids = append(ids, l.ID)
	}
	equal(t, "lots", ids, []string{id["S"], id["B"], id["C"]})
	s, b, cc := scopeLot(t, sc, id["S"]), scopeLot(t, sc, id["B"]), scopeLot(t, sc, id["C"])
	if s.QuantityProduced != 500 || s.QuantityShipped != 500 || s.UOM != "KGM" || len(s.Via) != 0 {
		t.Errorf("S %+v", s)
	}
	if b.QuantityProduced != 900 || b.QuantityShipped != 0 || !slices.Equal(b.Via, []string{id["S"]}) {
		t.Errorf("B %+v", b)
	}
	if cc.QuantityProduced != 3000 || cc.QuantityShipped != 1000 || cc.UOM != "EA" ||
		!slices.Equal(cc.Via, []string{id["S"], id["B"]}) {
		t.Errorf("C %+v", cc)
	}
	var locs []string
	for _, l := range sc.Locations {
		locs = append(locs, l.ID)
		switch l.ID {
		case site(2):
			if l.Quantity != 500 || l.Firm != firm(2) || !slices.Equal(l.Lots, []string{id["S"]}) {
				t.Errorf("plant %+v", l)
			}
		case site(7):
			if l.Quantity != 1000 || l.Firm != firm(7) || !slices.Equal(l.Lots, []string{id["C"]}) {
				t.Errorf("consignee %+v", l)
			}
		}
	}
	equal(t, "locations", locs, []string{site(2), site(7)})
	if sc.AccountedFor != 1 {
		t.Errorf("accountedFor %v", sc.AccountedFor)
	}
}

func TestScopeCountsInstancesInTheirLot(t *testing.T) {
	c, id, wheels := serials(t, testIndexer)
	sc, err := c.tracer().Scope(id["P"])
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range sc.Lots {
		ids = append(ids, l.ID)
	}
	equal(t, "lots", ids, []string{id["P"], id["W"], id["G"]})
	w := scopeLot(t, sc, id["W"])
	if w.QuantityProduced != 4 || w.QuantityShipped != 3 || w.UOM != "EA" || w.Lot != "W1" {
		t.Errorf("wheel lot %+v", w)
	}
	equal(t, "members", sc.Members[id["W"]], wheels)
	g := scopeLot(t, sc, id["G"])
	if g.QuantityProduced != 1 || g.QuantityShipped != 1 || g.GTIN != gtin(4) {
		t.Errorf("gift box %+v", g)
	}
	if len(sc.Locations) != 1 || sc.Locations[0].Quantity != 4 { // 3 wheels + 1 box
		t.Errorf("locations %+v", sc.Locations)
	}
	// Wheel 4 stayed at the plant: on hand, accounted for.
	if sc.AccountedFor != 1 {
		t.Errorf("accountedFor %v", sc.AccountedFor)
	}
}

func TestScopeUnlocatedShipmentIsNotAccountedFor(t *testing.T) {
	c := newChain(t, testIndexer)
	l := lot(1, "X")
	c.commission(2, l, 100, "EA")
	e := c.base(epcis.ObjectEvent, epcis.ActionObserve, 2)
	e.QuantityList = []epcis.Quantity{q(l, 40, "EA")}
	e.BizStep, e.Disposition = "shipping", "in_transit"
	c.add(2, e) // shipped, destination unknown, never received
	sc, err := c.tracer().Scope(l)
	if err != nil {
		t.Fatal(err)
	}
	if sc.AccountedFor != 0.6 {
		t.Errorf("accountedFor %v, want 0.6", sc.AccountedFor)
	}
	if got := scopeLot(t, sc, l); got.QuantityShipped != 40 {
		t.Errorf("shipped %v", got.QuantityShipped)
	}
}

func TestScopeJSONContract(t *testing.T) {
	c, m, _, _ := split(t)
	sc, err := c.tracer().Scope(m)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	equal(t, "top-level keys", keys, []string{"lots", "logisticUnits", "locations", "accountedFor"})
	var lots []map[string]json.RawMessage
	json.Unmarshal(got["lots"], &lots)
	keys = nil
	for k := range lots[0] {
		keys = append(keys, k)
	}
	equal(t, "lot keys", keys, []string{"id", "gtin", "lot", "quantityProduced", "quantityShipped", "uom", "via"})
	var locs []map[string]json.RawMessage
	json.Unmarshal(got["locations"], &locs)
	keys = nil
	for k := range locs[0] {
		keys = append(keys, k)
	}
	equal(t, "location keys", keys, []string{"id", "firm", "lots", "quantity"})
}

func TestCSVHasTheFSMAColumnsAndOneRowPerLotPerEvent(t *testing.T) {
	c, id := diamond(t)
	sc, err := c.tracer().Scope(id["S"])
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sc.WriteCSV(&buf, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range []string{"Traceability Lot Code", "Product Description", "Quantity", "Unit of Measure",
		"Event Type", "Location GLN", "Location Name", "Date", "Reference Document Type",
		"Reference Document Number", "Traceability Lot Code Source"} {
		if !slices.Contains(rows[0], col) {
			t.Errorf("no column %q in %q", col, rows[0])
		}
	}
	var got []string
	for _, r := range rows[1:] {
		if len(r) != len(CSVHeader) {
			t.Fatalf("row %q has %d fields", r, len(r))
		}
		got = append(got, strings.Join([]string{r[0], r[4], r[2], r[3], r[5], r[8], r[9], r[10]}, "|"))
	}
	g := func(loc string) string { return strings.TrimPrefix(loc, stem+"/414/") }
	equal(t, "rows", got, []string{
		id["S"] + "|commissioning|500|KGM|" + g(site(3)) + "|EPCIS event|" + c.eventID(1) + "|" + g(site(3)),
		id["S"] + "|shipping|500|KGM|" + g(site(3)) + "|Despatch Advice|D2|" + g(site(3)),
		id["S"] + "|receiving|500|KGM|" + g(site(2)) + "|Despatch Advice|D2|" + g(site(3)),
		id["S"] + "|transformation|500|KGM|" + g(site(2)) + "|EPCIS event|" + c.eventID(7) + "|" + g(site(3)),
		id["B"] + "|transformation|900|KGM|" + g(site(2)) + "|EPCIS event|" + c.eventID(7) + "|" + g(site(2)),
		id["B"] + "|transformation|900|KGM|" + g(site(2)) + "|EPCIS event|" + c.eventID(8) + "|" + g(site(2)),
		id["C"] + "|transformation|3000|EA|" + g(site(2)) + "|EPCIS event|" + c.eventID(8) + "|" + g(site(2)),
		id["C"] + "|shipping|1000|EA|" + g(site(2)) + "|Despatch Advice|D3|" + g(site(2)),
		id["C"] + "|receiving|1000|EA|" + g(site(7)) + "|Despatch Advice|D3|" + g(site(2)),
	})
	for _, r := range rows[1:] {
		if len(r[7]) != 10 || r[7][4] != '-' {
			t.Errorf("date %q is not YYYY-MM-DD", r[7])
		}
	}
}

// eventID returns the hash ID of the i-th event appended.
func (c *chain) eventID(i int) string { return c.events[i].HashID() }

func TestStartAppendsOneBatchAndIsIdempotent(t *testing.T) {
	c, id, wheels := serials(t, testIndexer)
	sc, err := c.tracer().Scope(id["P"])
	if err != nil {
		t.Fatal(err)
	}
	before := c.log.Size()
	now := func() time.Time { return time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC) }
	st, err := Start(context.Background(), c.log, sc, Request{Reason: "Listeria", Firm: firm(2), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(st.ID, "urn:uuid:") || st.ID != ID([]string{id["P"]}, "Listeria") {
		t.Errorf("recall ID %q", st.ID)
	}
	if len(st.Appended) != 3 || c.log.Size() != before+3 {
		t.Fatalf("appended %d (log %d -> %d)", len(st.Appended), before, c.log.Size())
	}
	// Every affected code, wheels included, now has the recall as its latest entry.
	for _, code := range append([]string{id["P"], id["W"], id["G"]}, wheels...) {
		h, err := c.log.History(code)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		ev, err := epcis.ParseEvent(h[0].Event, nil)
		if err != nil {
			t.Fatal(err)
		}
		k := ev.Keys()
		if k.Disposition != "recalled" || !slices.Equal(k.PersistentSet, []string{"recalled"}) {
			t.Errorf("%s latest entry is %s/%v", code, k.Disposition, k.PersistentSet)
		}
		if len(ev.Extensions) != 1 || !strings.Contains(string(ev.Extensions[0].Value), st.ID) {
			t.Errorf("%s recall event extension %v", code, ev.Extensions)
		}
	}
	// Again, later, with the codes in another form of the same set: nothing new.
	later := func() time.Time { return now().Add(time.Hour) }
	sc2, err := c.tracer().Scope(id["P"], id["P"])
	if err != nil {
		t.Fatal(err)
	}
	st2, err := Start(context.Background(), c.log, sc2, Request{Reason: "Listeria", Now: later})
	if err != nil {
		t.Fatal(err)
	}
	if st2.ID != st.ID || len(st2.Appended) != 0 || st2.Skipped != 3 || c.log.Size() != before+3 {
		t.Errorf("second start: %+v, log size %d", st2, c.log.Size())
	}
	// Another reason is another recall.
	st3, err := Start(context.Background(), c.log, sc2, Request{Reason: "Foreign body", Now: later})
	if err != nil {
		t.Fatal(err)
	}
	if st3.ID == st.ID || len(st3.Appended) != 3 {
		t.Errorf("other reason: %+v", st3)
	}
	// The recall events do not change the scope.
	sc4, err := c.tracer().Scope(id["P"])
	if err != nil {
		t.Fatal(err)
	}
	if len(sc4.Lots) != len(sc.Lots) || len(sc4.Locations) != len(sc.Locations) {
		t.Errorf("scope changed after recall: %+v", sc4)
	}
}
