package recall

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"

	"traceledger/fixtures"
	"traceledger/ledger"
	"traceledger/ledger/registry"
)

// registeredDemo is the demo chain on a log that also holds the registry of its firms
// and products, as the server keeps them.
func registeredDemo(t *testing.T) (*ledger.Log, *fixtures.Dataset, *registry.Registry) {
	t.Helper()
	l, d := demoLog(t, registry.Indexer(ledger.EPCISIndexer))
	r := registry.New(l)
	ctx := context.Background()
	for _, f := range d.Firms {
		rf := registry.Firm{USCC: f.USCC, Name: f.Name, NameEN: f.NameEN, Region: f.Region, Prefixes: f.Prefixes,
			PartyGLN: f.PartyGLN, Status: registry.StatusApproved}
		for _, s := range f.Sites {
			rf.Sites = append(rf.Sites, registry.Site{GLN: s.GLN, Name: s.Name, Address: s.Address})
		}
		if err := r.RegisterFirm(ctx, rf); err != nil {
			t.Fatalf("register %s: %v", f.USCC, err)
		}
	}
	for _, p := range d.Products {
		rp := registry.Product{GTIN: p.GTIN, Description: p.Description, Name: p.Name,
			Category: registry.Category(p.Category), UOM: p.UOM, Owner: p.Owner}
		if err := r.RegisterProduct(ctx, rp); err != nil {
			t.Fatalf("register %s: %v", p.GTIN, err)
		}
	}
	return l, d, r
}

func TestRegistryDirectoryNamesTheCSV(t *testing.T) {
	l, d, r := registeredDemo(t)
	dir := RegistryDirectory{Registry: r}
	sc, err := (&Tracer{Log: l, Directory: dir}).Scope(d.Codes.YogurtLot)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Lots) != 2 || len(sc.Locations) != 4 {
		t.Fatalf("scope with registry records in the log: %+v", sc)
	}
	var buf bytes.Buffer
	if err := sc.WriteCSV(&buf, dir); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	yog, shop2 := d.Product(gtinOf(d.Codes.YogurtLot)), d.Firms[6].Sites[0]
	var sawDesc, sawShop bool
	for _, row := range rows[1:] {
		sawDesc = sawDesc || row[0] == d.Codes.YogurtLot && row[1] == yog.Description
		sawShop = sawShop || row[5] == shop2.GLN && row[6] == shop2.Name && row[4] == "receiving"
	}
	if !sawDesc || !sawShop {
		t.Errorf("descriptions %v, shop names %v in\n%s", sawDesc, sawShop, buf.String())
	}
	if got := dir.FirmAt(shop2.URI()); got != d.Firms[6].USCC {
		t.Errorf("FirmAt = %q", got)
	}
	if got := dir.FirmAt(stem + "/414/9506000000015"); got != "" {
		t.Errorf("FirmAt unknown = %q", got)
	}
	tr, err := (&Tracer{Log: l}).Back(d.Codes.MultipackLot)
	if err != nil || len(tr.Roots) != 2 {
		t.Errorf("back walk with registry records: %+v, %v", tr, err)
	}
}
