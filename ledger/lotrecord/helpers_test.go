package lotrecord

import (
	"context"
	"testing"

	"traceledger/fixtures"
	"traceledger/ledger"
)

// demoDirectory is the Directory of the fixtures' demo firms and products, standing in
// for the registry.
type demoDirectory struct{ ds *fixtures.Dataset }

func (d demoDirectory) Product(gtin string) (*Product, bool) {
	p := d.ds.Product(gtin)
	if p == nil {
		return nil, false
	}
	return &Product{GTIN: p.GTIN, Description: p.Description, Name: p.Name, Category: string(p.Category), UOM: p.UOM, Owner: p.Owner}, true
}

func (d demoDirectory) Firm(uscc string) (*Firm, bool) { return convertFirm(d.ds.Firm(uscc)) }

func (d demoDirectory) FirmAtGLN(gln string) (*Firm, bool) { return convertFirm(d.ds.FirmAt(gln)) }

func convertFirm(f *fixtures.Firm) (*Firm, bool) {
	if f == nil {
		return nil, false
	}
	out := &Firm{USCC: f.USCC, Name: f.Name, NameEN: f.NameEN, Region: f.Region, PartyGLN: f.PartyGLN}
	for _, s := range f.Sites {
		out.Sites = append(out.Sites, Site{GLN: s.GLN, Name: s.Name, Address: s.Address})
	}
	return out, true
}

// demoLog returns a ledger holding the demo chain, each event captured by its recorder.
func demoLog(t testing.TB) (*ledger.Log, *fixtures.Dataset) {
	t.Helper()
	l, err := ledger.Open(t.TempDir(), ledger.DefaultOptions().WithIndexer(ledger.EPCISIndexer))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	ds := fixtures.Demo()
	ctx := context.Background()
	for i := 0; i < len(ds.Events); {
		j := i + 1
		for j < len(ds.Events) && ds.Recorders[j] == ds.Recorders[i] {
			j++
		}
		if _, err := l.Capture(ctx, ds.Recorders[i], ds.Events[i:j]...); err != nil {
			t.Fatal(err)
		}
		i = j
	}
	return l, ds
}
