package recall

import (
	"slices"
	"testing"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
)

// diamond: raw lots R (site 1) and S (site 3) go to a plant (site 2), which makes A
// from R and B from R and S, then C from A and B: R feeds C by two paths.
func diamond(t *testing.T) (*chain, map[string]string) {
	c := newChain(t, testIndexer)
	ids := map[string]string{"R": lot(1, "R1"), "S": lot(2, "S1"), "A": lot(3, "A1"), "B": lot(4, "B1"), "C": lot(5, "C1")}
	c.commission(1, ids["R"], 1000, "KGM")
	c.commission(3, ids["S"], 500, "KGM")
	c.move(1, 2, nil, []epcis.Quantity{q(ids["R"], 1000, "KGM")}, "D1", true)
	c.move(3, 2, nil, []epcis.Quantity{q(ids["S"], 500, "KGM")}, "D2", true)
	c.transform(2, []epcis.Quantity{q(ids["R"], 600, "KGM")}, []epcis.Quantity{q(ids["A"], 600, "KGM")}, nil, "")
	c.transform(2, []epcis.Quantity{q(ids["R"], 400, "KGM"), q(ids["S"], 500, "KGM")},
		[]epcis.Quantity{q(ids["B"], 900, "KGM")}, nil, "")
	c.transform(2, []epcis.Quantity{q(ids["A"], 600, "KGM"), q(ids["B"], 900, "KGM")},
		[]epcis.Quantity{q(ids["C"], 3000, "EA")}, nil, "")
	c.move(2, 7, nil, []epcis.Quantity{q(ids["C"], 1000, "EA")}, "D3", true)
	return c, ids
}

func TestBackDiamondFindsEveryUpstreamLotOnce(t *testing.T) {
	c, id := diamond(t)
	tr, err := c.tracer().Back(id["C"])
	if err != nil {
		t.Fatal(err)
	}
	if tr.Origin != id["C"] {
		t.Errorf("origin %q", tr.Origin)
	}
	equal(t, "lots", tr.Lots, []string{id["A"], id["B"], id["R"], id["S"]})
	equal(t, "roots", tr.Roots, []string{id["R"], id["S"]})
	equal(t, "locations", tr.Locations, []string{site(1), site(2), site(3)})
	equal(t, "firms", tr.Firms, []string{firm(1), firm(2), firm(3)})
	equal(t, "units", tr.LogisticUnits, nil)
	var kinds []string
	for _, e := range tr.Edges {
		if e.EventID == "" {
			t.Errorf("edge %v has no event ID", e)
		}
		kinds = append(kinds, e.From+" "+e.Kind+" "+e.To)
	}
	equal(t, "edges", kinds, []string{
		id["A"] + " transformation " + id["C"], id["B"] + " transformation " + id["C"],
		id["R"] + " transformation " + id["A"], id["R"] + " transformation " + id["B"],
		id["S"] + " transformation " + id["B"], id["C"] + " receiving " + site(2),
		id["R"] + " receiving " + site(1), id["S"] + " receiving " + site(3),
	})
	if p := tr.Paths[id["S"]]; !slices.Equal(p, []string{id["C"], id["B"]}) {
		t.Errorf("path to S = %q", p)
	}
}

func TestForwardDiamondReachesEveryProductAndConsignee(t *testing.T) {
	c, id := diamond(t)
	tr, err := c.tracer().Forward(id["S"])
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "lots", tr.Lots, []string{id["B"], id["C"]})
	equal(t, "roots", tr.Roots, nil)
	equal(t, "locations", tr.Locations, []string{site(2), site(7)})
	equal(t, "firms", tr.Firms, []string{firm(2), firm(7)})

	tr, err = c.tracer().Forward(id["R"])
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "lots from R", tr.Lots, []string{id["A"], id["B"], id["C"]})
}

// split: lot M (1000 EA, plant site 2) goes out on five pallets of 200 to five
// retailers (sites 10-14); the last pallet also carries a neighbour lot N, and the
// last retailer never records the receipt.
func split(t *testing.T) (*chain, string, string, []string) {
	c := newChain(t, testIndexer)
	m, n := lot(1, "M1"), lot(2, "N1")
	c.commission(2, m, 1000, "EA")
	c.commission(2, n, 50, "EA")
	var pallets []string
	for i := range 5 {
		p := sscc(100 + i)
		pallets = append(pallets, p)
		qs := []epcis.Quantity{q(m, 200, "EA")}
		if i == 4 {
			qs = append(qs, q(n, 50, "EA"))
		}
		c.pack(2, p, nil, qs)
		c.move(2, 10+i, []string{p}, nil, "P"+string(rune('A'+i)), i != 4)
	}
	return c, m, n, pallets
}

func TestForwardSplitAcrossPallets(t *testing.T) {
	c, m, _, pallets := split(t)
	tr, err := c.tracer().Forward(m)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "lots", tr.Lots, nil)
	equal(t, "units", tr.LogisticUnits, pallets)
	equal(t, "locations", tr.Locations, []string{site(10), site(11), site(12), site(13), site(14)})
	// site 14 never recorded anything: its firm is unknown.
	equal(t, "firms", tr.Firms, []string{firm(10), firm(11), firm(12), firm(13)})
}

func TestBackNeverWalksUpOrAcrossAPallet(t *testing.T) {
	c, m, n, pallets := split(t)
	tr, err := c.tracer().Back(m)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "lots", tr.Lots, nil)
	equal(t, "units", tr.LogisticUnits, nil)
	equal(t, "roots", tr.Roots, []string{m})
	equal(t, "locations", tr.Locations, []string{site(2)})

	tr, err = c.tracer().Back(pallets[4])
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "pallet contents", tr.Lots, []string{m, n})
	equal(t, "pallet roots", tr.Roots, []string{m, n})
}

// serials: pasteurised milk P (site 2, from raw lot R) becomes four cheese wheels
// commissioned into lot W1 by ILMD; wheels 1 and 2 go into gift box G1, which is
// palletised with wheel 3 and shipped; a second lot K is commissioned with its
// instances named beside it in the quantity list.
func serials(t *testing.T, ix ledger.Indexer) (*chain, map[string]string, []string) {
	c := newChain(t, ix)
	id := map[string]string{"R": lot(1, "R1"), "P": lot(2, "P1"), "W": lot(3, "W1"), "G": inst(4, "G1"),
		"K": lot(5, "K1"), "pallet": sscc(7)}
	var wheels []string
	for i := 1; i <= 4; i++ {
		wheels = append(wheels, inst(3, "W1-"+string(rune('0'+i))))
	}
	c.commission(1, id["R"], 100, "KGM")
	c.transform(2, []epcis.Quantity{q(id["R"], 100, "KGM")}, []epcis.Quantity{q(id["P"], 90, "LTR")}, nil, "")
	c.transform(2, []epcis.Quantity{q(id["P"], 40, "LTR")}, nil, wheels, "W1")
	e := c.base(epcis.ObjectEvent, epcis.ActionAdd, 2)
	e.EPCList = []string{id["G"]}
	e.BizStep, e.Disposition = "commissioning", "active"
	c.add(2, e)
	c.pack(2, id["G"], wheels[:2], nil)
	c.pack(2, id["pallet"], []string{id["G"], wheels[2]}, nil)
	c.move(2, 9, []string{id["pallet"]}, nil, "S1", true)
	k := c.base(epcis.ObjectEvent, epcis.ActionAdd, 2)
	k.EPCList = []string{inst(5, "K1-1"), inst(5, "K1-2")}
	k.QuantityList = []epcis.Quantity{q(id["K"], 2, "EA")}
	k.BizStep, k.Disposition = "commissioning", "active"
	c.add(2, k)
	return c, id, wheels
}

func TestSerialsInsideLots(t *testing.T) {
	c, id, wheels := serials(t, testIndexer)
	tr, err := c.tracer().Forward(id["P"])
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "forward lots", tr.Lots, append([]string{id["W"], id["G"]}, wheels...))
	equal(t, "forward units", tr.LogisticUnits, []string{id["pallet"]})
	equal(t, "forward locations", tr.Locations, []string{site(9)})

	tr, err = c.tracer().Back(wheels[0])
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "back lots", tr.Lots, []string{id["W"], id["P"], id["R"]})
	equal(t, "back roots", tr.Roots, []string{id["R"]})

	// The gift box: its wheels and on to their source; not the pallet above it.
	tr, err = c.tracer().Back(id["G"])
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "gift box back", tr.Lots, []string{wheels[0], wheels[1], id["W"], id["P"], id["R"]})
	equal(t, "gift box units", tr.LogisticUnits, nil)

	// Instances named beside their lot in the commissioning event are part of it.
	tr, err = c.tracer().Forward(id["K"])
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "K members", tr.Lots, []string{inst(5, "K1-1"), inst(5, "K1-2")})
}

func TestLotOfILMDInstancesNeedsMemberEdges(t *testing.T) {
	// A lot whose instances name it only in their ILMD has no entries of its own: the
	// walk finds them through the index's instance -> lot member edges, which the log's
	// EPCIS indexer (epcis.Keys, kind "lot") and memberIndexer both make.
	for name, ix := range map[string]ledger.Indexer{"EPCISIndexer": testIndexer, "memberIndexer": memberIndexer} {
		c, id, wheels := serials(t, ix)
		tr, err := c.tracer().Forward(id["W"])
		if err != nil {
			t.Fatal(err)
		}
		equal(t, name+": forward", tr.Lots, append([]string{id["G"]}, wheels...))
		equal(t, name+": units", tr.LogisticUnits, []string{id["pallet"]})
		tr, err = c.tracer().Back(id["W"])
		if err != nil {
			t.Fatal(err)
		}
		equal(t, name+": back from the lot", tr.Lots, []string{id["P"], id["R"]})
		equal(t, name+": back from the lot: roots", tr.Roots, []string{id["R"]})
	}
}

func TestCyclesAndMissingLinks(t *testing.T) {
	c := newChain(t, testIndexer)
	a, b, ghost := lot(1, "A"), lot(2, "B"), lot(3, "GHOST")
	c.commission(2, a, 10, "KGM")
	c.transform(2, []epcis.Quantity{q(a, 10, "KGM")}, []epcis.Quantity{q(b, 10, "KGM")}, nil, "")
	// Rework: B goes back into A (a cycle), and a lot never recorded (ghost) is named as
	// an input.
	c.transform(2, []epcis.Quantity{q(b, 5, "KGM"), q(ghost, 1, "KGM")}, []epcis.Quantity{q(a, 5, "KGM")}, nil, "")
	tr, err := c.tracer().Back(a)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "back lots", tr.Lots, []string{b, ghost})
	equal(t, "back roots", tr.Roots, []string{ghost})
	tr, err = c.tracer().Forward(a)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "forward lots", tr.Lots, []string{b})

	// A code the ledger has never seen: an empty walk, the code its own root.
	unknown := lot(9, "NOPE")
	tr, err = c.tracer().Back(unknown)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "unknown lots", tr.Lots, nil)
	equal(t, "unknown roots", tr.Roots, []string{unknown})
}

func TestBoundsStopTheWalk(t *testing.T) {
	c := newChain(t, testIndexer)
	prev := lot(1, "L0")
	c.commission(2, prev, 1, "EA")
	for i := 1; i <= 10; i++ {
		next := lot(1, "L"+string(rune('0'+i%10))+string(rune('a'+i)))
		c.transform(2, []epcis.Quantity{q(prev, 1, "EA")}, []epcis.Quantity{q(next, 1, "EA")}, nil, "")
		prev = next
	}
	tr, err := (&Tracer{Log: c.log, MaxDepth: 3}).Forward(lot(1, "L0"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Lots) != 3 || !tr.Truncated {
		t.Errorf("MaxDepth 3: %d lots, truncated %v", len(tr.Lots), tr.Truncated)
	}
	tr, err = (&Tracer{Log: c.log}).Forward(lot(1, "L0"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Lots) != 10 || tr.Truncated {
		t.Errorf("no bound: %d lots, truncated %v", len(tr.Lots), tr.Truncated)
	}
}

func TestNoCode(t *testing.T) {
	c := newChain(t, testIndexer)
	if _, err := c.tracer().Back(""); err != ErrNoCode {
		t.Errorf("Back(\"\") = %v", err)
	}
	if _, err := c.tracer().Forward(); err != ErrNoCode {
		t.Errorf("Forward() = %v", err)
	}
}
