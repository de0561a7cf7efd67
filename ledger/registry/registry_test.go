package registry

import (
	"context"
	"errors"
	"testing"

	"traceledger/fixtures"
	"traceledger/ledger"
)

// openLog opens a fresh log indexing registry records beside EPCIS events.
func openLog(t *testing.T) *ledger.Log {
	t.Helper()
	l, err := ledger.Open(t.TempDir(), ledger.DefaultOptions().WithIndexer(Indexer(ledger.EPCISIndexer)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// demoFirm converts a fixture firm into a registration.
func demoFirm(f *fixtures.Firm, status Status) Firm {
	out := Firm{USCC: f.USCC, Name: f.Name, NameEN: f.NameEN, Region: f.Region, PartyGLN: f.PartyGLN,
		Prefixes: f.Prefixes, Status: status}
	for _, s := range f.Sites {
		out.Sites = append(out.Sites, Site{GLN: s.GLN, Name: s.Name, Address: s.Address})
	}
	return out
}

func TestRegisterFirmThenLookUp(t *testing.T) {
	ctx := context.Background()
	l := openLog(t)
	r := New(l)
	d := fixtures.Demo()
	farm := &d.Firms[0]
	if err := r.RegisterFirm(ctx, demoFirm(farm, "")); err != nil {
		t.Fatal(err)
	}
	f, err := r.Firm(farm.USCC)
	if err != nil {
		t.Fatal(err)
	}
	if f.Status != StatusPending || f.Name != farm.Name || f.Registered.IsZero() {
		t.Errorf("registered firm = %+v", f)
	}
	if g, err := r.FirmAtGLN(farm.Sites[0].GLN); err != nil || g.USCC != farm.USCC {
		t.Errorf("FirmAtGLN = %v, %v", g, err)
	}
	if _, err := r.Firm(d.Firms[1].USCC); !errors.Is(err, ErrUnknownFirm) {
		t.Errorf("unknown firm: %v", err)
	}
}
