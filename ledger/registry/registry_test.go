package registry

import (
	"context"
	"errors"
	"strings"
	"testing"

	"traceledger/fixtures"
	"traceledger/ledger"
)

// openLog opens a fresh log indexing registry records beside EPCIS events.
func openLog(t testing.TB) *ledger.Log {
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

// demoProduct converts a fixture product into a registration.
func demoProduct(p *fixtures.Product) Product {
	return Product{GTIN: p.GTIN, Description: p.Description, Name: p.Name, Category: Category(p.Category),
		UOM: p.UOM, Owner: p.Owner}
}

// loadDemo registers the demo's firms (approved) and products and captures its
// events, each as its recorder.
func loadDemo(t testing.TB, l *ledger.Log, r *Registry) *fixtures.Dataset {
	t.Helper()
	ctx := context.Background()
	d := fixtures.Demo()
	for i := range d.Firms {
		if err := r.RegisterFirm(ctx, demoFirm(&d.Firms[i], StatusApproved)); err != nil {
			t.Fatalf("firm %d: %v", i, err)
		}
	}
	for i := range d.Products {
		if err := r.RegisterProduct(ctx, demoProduct(&d.Products[i])); err != nil {
			t.Fatalf("product %d: %v", i, err)
		}
	}
	for i, ev := range d.Events {
		if _, err := l.Capture(ctx, d.Recorders[i], ev); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	return d
}

func TestRegisterFirmThenLookUp(t *testing.T) {
	ctx := context.Background()
	r := New(openLog(t))
	d := fixtures.Demo()
	farm := &d.Firms[0]
	if err := r.RegisterFirm(WithActor(ctx, d.Firms[8].USCC), demoFirm(farm, "")); err != nil {
		t.Fatal(err)
	}
	f, err := r.Firm(farm.USCC)
	if err != nil {
		t.Fatal(err)
	}
	if f.Status != StatusPending || f.Name != farm.Name || f.Registered.IsZero() || f.Entry != 0 ||
		!strings.HasPrefix(f.RecordID, "ni:///sha-256;") || !strings.HasSuffix(f.RecordID, "?ver=tl-registry-1") {
		t.Errorf("registered firm = %+v", f)
	}
	for _, gln := range []string{farm.Sites[0].GLN, farm.Sites[0].URI(), farm.PartyURI()} {
		if g, err := r.FirmAtGLN(gln); err != nil || g.USCC != farm.USCC {
			t.Errorf("FirmAtGLN(%s) = %v, %v", gln, g, err)
		}
	}
	gtin := fixtures.GTIN(farm.Prefixes[0], 77)
	for _, code := range []string{gtin, fixtures.LotURI(gtin, "L1"), fixtures.SSCCURI(fixtures.SSCC(farm.Prefixes[0], 3, 12)),
		"urn:epc:id:sgln:" + farm.Prefixes[0] + ".00001.0"} {
		if g, err := r.FirmForCode(code); err != nil || g.USCC != farm.USCC {
			t.Errorf("FirmForCode(%s) = %v, %v", code, g, err)
		}
	}
	if _, err := r.Firm(d.Firms[1].USCC); !errors.Is(err, ErrUnknownFirm) {
		t.Errorf("unknown firm: %v", err)
	}
	if _, err := r.FirmForCode(fixtures.GTIN(d.Firms[1].Prefixes[0], 1)); !errors.Is(err, ErrUnknownFirm) {
		t.Errorf("code of an unknown prefix: %v", err)
	}
	err = r.RegisterFirm(ctx, demoFirm(farm, ""))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "uscc" || !errors.Is(err, ErrExists) {
		t.Errorf("second registration: %v", err)
	}
}

func TestRegisterFirmNamesTheFieldAtFault(t *testing.T) {
	d := fixtures.Demo()
	good := demoFirm(&d.Firms[0], "")
	other := demoFirm(&d.Firms[1], StatusApproved)
	for _, tc := range []struct {
		name, field string
		change      func(f *Firm)
		sentinel    error
	}{
		{"bad check character", "uscc", func(f *Firm) { f.USCC = f.USCC[:17] + "0" }, nil},
		{"short USCC", "uscc", func(f *Firm) { f.USCC = f.USCC[:10] }, nil},
		{"no name", "name", func(f *Firm) { f.Name = " " }, nil},
		{"control character", "name", func(f *Firm) { f.Name = "a\x00b" }, nil},
		{"region not digits", "region", func(f *Firm) { f.Region = "15012A" }, nil},
		{"region no province", "region", func(f *Firm) { f.Region = "990000" }, nil},
		{"prefix too short", "prefixes[0]", func(f *Firm) { f.Prefixes = []string{"699"} }, nil},
		{"prefix too long", "prefixes[0]", func(f *Firm) { f.Prefixes = []string{"6990011234567"} }, nil},
		{"prefixes overlap", "prefixes[1]", func(f *Firm) { f.Prefixes = []string{"6990011", "69900112"} }, nil},
		{"prefix of another firm", "prefixes[0]", func(f *Firm) { f.Prefixes = []string{other.Prefixes[0]} }, ErrConflict},
		{"prefix inside another firm's", "prefixes[0]", func(f *Firm) { f.Prefixes = []string{other.Prefixes[0] + "5"} }, ErrConflict},
		{"site GLN check digit", "sites[0].gln", func(f *Firm) { f.Sites[0].GLN = wrongCheckDigit(f.Sites[0].GLN) }, nil},
		{"site of another firm", "sites[0].gln", func(f *Firm) { f.Sites[0].GLN = other.Sites[0].GLN }, ErrConflict},
		{"duplicate site", "sites[1].gln", func(f *Firm) { f.Sites = append(f.Sites, f.Sites[0]) }, nil},
		{"party GLN", "partyGLN", func(f *Firm) { f.PartyGLN = "123" }, nil},
		{"status", "status", func(f *Firm) { f.Status = "closed" }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := New(openLog(t))
			if err := r.RegisterFirm(context.Background(), other); err != nil {
				t.Fatal(err)
			}
			f := *good.clone()
			tc.change(&f)
			err := r.RegisterFirm(context.Background(), f)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("error %v, want one about %s", err, tc.field)
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Errorf("error %v does not wrap %v", err, tc.sentinel)
			}
			if _, err := r.Firm(f.USCC); err == nil {
				t.Error("the refused firm was registered")
			}
		})
	}
}

func TestUpdateFirmRecordsEachChangeOnItsChain(t *testing.T) {
	ctx := context.Background()
	l := openLog(t)
	r := New(l)
	d := fixtures.Demo()
	farm := &d.Firms[0]
	if err := r.RegisterFirm(ctx, demoFirm(farm, "")); err != nil {
		t.Fatal(err)
	}
	yes := true
	steps := []struct {
		u    Update
		want Status
	}{
		{Update{Status: StatusApproved}, StatusApproved},
		{Update{Status: StatusSuspended, Reason: "failed inspection"}, StatusSuspended},
		{Update{Status: StatusApproved}, StatusApproved},
		{Update{Status: StatusSuspended, Reason: "failed inspection"}, StatusSuspended}, // same as step 2: a new record
		{Update{Blacklisted: &yes, Reason: "repeat offender"}, StatusSuspended},
		{Update{Blacklisted: &yes}, StatusSuspended}, // no change: no record
	}
	for i, s := range steps {
		f, err := r.UpdateFirm(ctx, farm.USCC, s.u)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if f.Status != s.want {
			t.Errorf("step %d: status %s, want %s", i, f.Status, s.want)
		}
	}
	hist, err := l.History(FirmCode(farm.USCC))
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 6 {
		t.Fatalf("history has %d records, want 6 (registration and 5 changes)", len(hist))
	}
	for i, e := range hist { // newest first
		rec, err := ParseRecord(e.Event)
		if err != nil {
			t.Fatal(err)
		}
		if i < len(hist)-1 {
			if rec.Type != TypeFirmUpdate || rec.Prev != hist[i+1].EventID {
				t.Errorf("record %d: type %s prev %s, want an update of %s", i, rec.Type, rec.Prev, hist[i+1].EventID)
			}
		} else if rec.Type != TypeFirmRegistration {
			t.Errorf("oldest record is %s", rec.Type)
		}
	}
	changes, err := r.FirmHistory(farm.USCC)
	if err != nil || len(changes) != 6 || changes[0].Reason != "repeat offender" || !changes[0].Firm.Blacklisted ||
		changes[5].Type != TypeFirmRegistration || changes[5].Firm.Status != StatusPending || changes[1].Entry != 4 {
		t.Errorf("FirmHistory = %+v, %v", changes, err)
	}
	if _, err := r.FirmHistory(d.Firms[1].USCC); !errors.Is(err, ErrUnknownFirm) {
		t.Errorf("history of an unknown firm: %v", err)
	}
	// A fresh registry on the same log reads the same state back.
	f, err := New(l).Firm(farm.USCC)
	if err != nil || f.Status != StatusSuspended || !f.Blacklisted || f.Reason != "repeat offender" || f.Entry != 5 {
		t.Errorf("reloaded firm = %+v, %v", f, err)
	}
	if _, err := r.UpdateFirm(ctx, farm.USCC, Update{Status: "gone"}); err == nil {
		t.Error("an unknown status was accepted")
	}
	if _, err := r.UpdateFirm(ctx, d.Firms[1].USCC, Update{Status: StatusApproved}); !errors.Is(err, ErrUnknownFirm) {
		t.Errorf("update of an unknown firm: %v", err)
	}
}

func TestRegisterProduct(t *testing.T) {
	ctx := context.Background()
	r := New(openLog(t))
	d := fixtures.Demo()
	plant := d.Firm(d.Products[2].Owner)
	if err := r.RegisterFirm(ctx, demoFirm(plant, StatusApproved)); err != nil {
		t.Fatal(err)
	}
	p := demoProduct(&d.Products[2])
	if err := r.RegisterProduct(ctx, p); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{p.GTIN, p.GTIN[1:], fixtures.ProductURI(p.GTIN), fixtures.LotURI(p.GTIN, "A1")} {
		if got, err := r.Product(code); err != nil || got.Description != p.Description || got.Registered.IsZero() {
			t.Errorf("Product(%s) = %+v, %v", code, got, err)
		}
	}
	for _, tc := range []struct {
		name, field string
		change      func(p *Product)
	}{
		{"again", "gtin", func(p *Product) {}},
		{"check digit", "gtin", func(p *Product) { p.GTIN = wrongCheckDigit(p.GTIN) }},
		{"other firm's prefix", "gtin", func(p *Product) { p.GTIN = fixtures.GTIN(d.Firms[0].Prefixes[0], 5) }},
		{"unregistered owner", "owner", func(p *Product) { p.Owner = d.Firms[0].USCC }},
		{"category", "category", func(p *Product) { p.Category = "dairy" }},
		{"uom", "uom", func(p *Product) { p.UOM = "kg" }},
		{"description", "description", func(p *Product) { p.Description = "" }},
	} {
		q := p
		tc.change(&q)
		var fe *FieldError
		if err := r.RegisterProduct(ctx, q); !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: %v, want an error about %s", tc.name, err, tc.field)
		}
	}
}

func TestVerifyPassesWithRegistryRecordsAmongEvents(t *testing.T) {
	l := openLog(t)
	r := New(l)
	d := loadDemo(t, l, r)
	ctx := context.Background()
	// Registry records after events, too.
	if _, err := r.UpdateFirm(ctx, d.Firms[0].USCC, Update{Status: StatusSuspended, Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	rep, err := l.Verify(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK {
		t.Fatalf("verify: %v", rep.Err())
	}
	want := int64(len(d.Firms) + len(d.Products) + len(d.Events) + 1)
	if rep.Entries != want {
		t.Errorf("verified %d entries, want %d", rep.Entries, want)
	}
	hist, err := l.History(RegistryCode)
	if err != nil || len(hist) != len(d.Firms)+len(d.Products)+1 {
		t.Errorf("registry chain: %d records, %v", len(hist), err)
	}
	if _, err := l.Prove(FirmCode(d.Firms[0].USCC)); err != nil {
		t.Errorf("proving a firm's history: %v", err)
	}
}

func TestIndexerRefusesNonCanonicalRecords(t *testing.T) {
	ix := Indexer(ledger.EPCISIndexer)
	rec := &Record{Type: TypeFirmRegistration, Firm: &Firm{USCC: "X", Name: "n", Region: "150100", Status: StatusApproved}}
	good, err := rec.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	k, err := ix(good)
	if err != nil || k.EventID != RecordID(good) || len(k.Products) != 2 {
		t.Fatalf("Indexer(canonical) = %+v, %v", k, err)
	}
	for _, bad := range []string{
		strings.Replace(string(good), `"name":"n"`, `"name" : "n"`, 1),
		strings.Replace(string(good), `"firm":{`, `"extra":1,"firm":{`, 1),
		`{"type":"tl:Nothing"}`,
		`{"type":"tl:FirmUpdate","firm":{"uscc":"X","name":"n","region":"1","prefixes":null,"sites":null,"status":""}}`,
		`{"type":"tl:ProductRegistration"}`,
		string(good) + " ",
	} {
		if _, err := ix([]byte(bad)); !errors.Is(err, ErrBadRecord) {
			t.Errorf("Indexer(%s) = %v, want ErrBadRecord", bad, err)
		}
	}
}

// wrongCheckDigit returns code with its last digit off by one.
func wrongCheckDigit(code string) string {
	n := len(code) - 1
	return code[:n] + string(rune('0'+(code[n]-'0'+1)%10))
}
