package recall

import (
	"context"
	"slices"
	"testing"

	"traceledger/fixtures"
	"traceledger/ledger"
)

// demoLog appends the fixtures' demo dairy chain to a temp log.
func demoLog(t testing.TB, ix ledger.Indexer) (*ledger.Log, *fixtures.Dataset) {
	t.Helper()
	d := fixtures.Demo()
	l, err := ledger.Open(t.TempDir(), ledger.DefaultOptions().WithIndexer(ix))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	for i, e := range d.Events {
		b, err := e.CanonicalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Append(context.Background(), ledger.Record{Event: b, Firm: d.Recorders[i]}); err != nil {
			t.Fatal(err)
		}
	}
	return l, d
}

// demoDirectory answers from the dataset what a registry would.
type demoDirectory struct{ d *fixtures.Dataset }

func (dd demoDirectory) FirmAt(loc string) string {
	if f := dd.d.FirmAt(gln(loc)); f != nil {
		return f.USCC
	}
	return ""
}

func (dd demoDirectory) LocationName(loc string) string {
	for _, f := range dd.d.Firms {
		for _, s := range f.Sites {
			if s.URI() == loc {
				return s.Name
			}
		}
	}
	return ""
}

func (dd demoDirectory) ProductDescription(g string) string {
	if p := dd.d.Product(g); p != nil {
		return p.Description
	}
	return ""
}

func siteOf(f *fixtures.Firm) string { return f.Sites[0].URI() }

func TestDemoBackFromMultipacks(t *testing.T) {
	l, d := demoLog(t, testIndexer)
	c := d.Codes
	tr, err := (&Tracer{Log: l}).Back(c.MultipackLot)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "lots", tr.Lots, append([]string{c.YogurtLot, c.PasteurisedLot}, c.RawMilkLots...))
	equal(t, "roots", tr.Roots, c.RawMilkLots)
	equal(t, "units", tr.LogisticUnits, nil)
	farmA, farmB, dairy, packer := &d.Firms[0], &d.Firms[1], &d.Firms[2], &d.Firms[3]
	equal(t, "locations", tr.Locations, []string{siteOf(farmA), siteOf(farmB), siteOf(dairy), siteOf(packer)})
	equal(t, "firms", tr.Firms, []string{farmA.USCC, farmB.USCC, dairy.USCC, packer.USCC})

	// A gift box: its two wheels, their lot, the milk, the farms' lots.
	tr, err = (&Tracer{Log: l}).Back(c.GiftBoxes[0])
	if err != nil {
		t.Fatal(err)
	}
	cheeseLot := lotCode(gtinOf(c.CheeseWheels[0]), "CH260303")
	equal(t, "gift box lots", tr.Lots, append([]string{c.CheeseWheels[0], c.CheeseWheels[1], cheeseLot, c.PasteurisedLot}, c.RawMilkLots...))
	equal(t, "gift box roots", tr.Roots, c.RawMilkLots)
}

func TestDemoForwardFromARawLotReachesEveryShop(t *testing.T) {
	l, d := demoLog(t, testIndexer)
	c := d.Codes
	tr, err := (&Tracer{Log: l}).Forward(c.RawMilkLots[0])
	if err != nil {
		t.Fatal(err)
	}
	cheeseLot := lotCode(gtinOf(c.CheeseWheels[0]), "CH260303")
	want := []string{c.PasteurisedLot, c.YogurtLot, c.MultipackLot, cheeseLot}
	want = append(append(want, c.CheeseWheels...), c.GiftBoxes...)
	equal(t, "lots", tr.Lots, want)
	equal(t, "units", tr.LogisticUnits, c.Pallets)
	var sites, firms []string
	for _, f := range d.Firms[2:7] { // dairy, packer, DC, two shops
		sites = append(sites, siteOf(&f))
		firms = append(firms, f.USCC)
	}
	equal(t, "locations", tr.Locations, sites)
	equal(t, "firms", tr.Firms, firms)
	if slices.Contains(tr.Lots, c.RejectedLot) || slices.Contains(tr.Lots, c.RawMilkLots[1]) {
		t.Error("forward walk reached a sibling raw lot")
	}
}

func TestDemoScope(t *testing.T) {
	l, d := demoLog(t, testIndexer)
	c := d.Codes
	sc, err := (&Tracer{Log: l, Directory: demoDirectory{d}}).Scope(c.YogurtLot)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, lt := range sc.Lots {
		ids = append(ids, lt.ID)
	}
	equal(t, "lots", ids, []string{c.YogurtLot, c.MultipackLot})
	mp := scopeLot(t, sc, c.MultipackLot)
	if mp.QuantityProduced != 4900 || mp.QuantityShipped != 4900 || mp.UOM != "EA" ||
		!slices.Equal(mp.Via, []string{c.YogurtLot}) {
		t.Errorf("multipacks %+v", mp)
	}
	equal(t, "units", sc.LogisticUnits, c.Pallets)
	got := map[string]float64{}
	for _, loc := range sc.Locations {
		got[loc.ID] = loc.Quantity
		if loc.Firm == "" {
			t.Errorf("%s has no firm", loc.ID)
		}
	}
	packer, dc, shop1, shop2 := siteOf(&d.Firms[3]), siteOf(&d.Firms[4]), siteOf(&d.Firms[5]), siteOf(&d.Firms[6])
	wantQ := map[string]float64{packer: 19600, dc: 4900, shop1: 3400, shop2: 1500}
	if len(got) != len(wantQ) {
		t.Errorf("locations %v, want %v", got, wantQ)
	}
	for k, v := range wantQ {
		if got[k] != v {
			t.Errorf("%s: quantity %v, want %v", k, got[k], v)
		}
	}
	if sc.AccountedFor != 1 {
		t.Errorf("accountedFor %v", sc.AccountedFor)
	}
}
