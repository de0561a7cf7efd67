package lotrecord

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"traceledger/ledger/recall"
	"traceledger/scanner"
)

func parse(t testing.TB, uri string) scanner.Data {
	t.Helper()
	d, err := scanner.ParseDigitalLink(uri, scanner.Options{ZeroSuppressedGTIN: true})
	if err != nil {
		t.Fatalf("%s: %v", uri, err)
	}
	return d
}

func TestBuildDemoLots(t *testing.T) {
	l, ds := demoLog(t)
	b := &Builder{Log: l, Dir: demoDirectory{ds}}
	c := ds.Codes
	tests := []struct {
		code, kind, product, producer, origin string
		quantity                              float64
		inspections                           int
		firstResult                           string
	}{
		{c.RawMilkLots[0], KindLot, "Raw cow milk", "91150121MA0CL0010F", "6990011000011", 1250, 1, "conformant"},
		{c.RejectedLot, KindLot, "Raw cow milk", "91150123MA0HL0023K", "6990012000010", 600, 1, "non_conformant"},
		{c.PasteurisedLot, KindLot, "Pasteurised standardised milk, bulk", "91150105MA0QC0030D", "6990021000018", 2220, 1, "conformant"},
		{c.YogurtLot, KindLot, "Plain set yogurt, 100 g cup", "91150105MA0QC0030D", "6990021000018", 19600, 1, "conformant"},
		{c.MultipackLot, KindLot, "Plain yogurt multipack, 4 x 100 g", "91150104MA0BJ00436", "6990022000017", 4900, 1, "conformant"},
		{c.CheeseWheels[0], KindInstance, "Gouda-style cheese wheel, 2 kg", "91150105MA0QC0030D", "6990021000018", 0, 1, "conformant"},
		{c.GiftBoxes[0], KindInstance, "Cheese gift box, 2 wheels", "91150104MA0BJ00436", "6990022000017", 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			r, err := b.Build(parse(t, tt.code))
			if err != nil {
				t.Fatal(err)
			}
			if r.Code != tt.code || r.Requested != tt.code || r.Kind != tt.kind || r.Fallback != "" {
				t.Errorf("code %s requested %s kind %s fallback %q", r.Code, r.Requested, r.Kind, r.Fallback)
			}
			if r.Product == nil || r.Product.Description != tt.product {
				t.Errorf("product %+v", r.Product)
			}
			if r.Producer == nil || r.Producer.USCC != tt.producer || r.Producer.Name == "" {
				t.Errorf("producer %+v", r.Producer)
			}
			if r.Origin == nil || r.Origin.GLN != tt.origin || r.Origin.Name == "" {
				t.Errorf("origin %+v", r.Origin)
			}
			if tt.quantity != 0 && (r.Quantity == nil || r.Quantity.Value != tt.quantity) {
				t.Errorf("quantity %+v", r.Quantity)
			}
			if r.ProductionDate == "" || r.Expiry == "" {
				t.Errorf("production %q expiry %q", r.ProductionDate, r.Expiry)
			}
			if r.Status != StatusActive || r.Recall != nil {
				t.Errorf("status %s recall %+v", r.Status, r.Recall)
			}
			if len(r.Inspections) != tt.inspections {
				t.Fatalf("%d inspections", len(r.Inspections))
			}
			if tt.inspections > 0 {
				in := r.Inspections[0]
				if in.Result != tt.firstResult || in.Standard == "" || len(in.Items) == 0 || in.Lab == nil {
					t.Errorf("inspection %+v", in)
				}
			}
			if !r.Verification.Verified || r.Verification.Entries == 0 {
				t.Errorf("verification %+v", r.Verification)
			}
			for i := 1; i < len(r.Journey); i++ {
				if r.Journey[i].Time.After(r.Journey[i-1].Time) {
					t.Errorf("journey not newest first at %d", i)
				}
			}
			if r.Counterfeit.Suspect {
				t.Errorf("counterfeit %+v", r.Counterfeit)
			}
		})
	}
}

// A multipack lot's journey goes on through the pallets it was packed on: shipped to
// the distribution centre and on to the retailers.
func TestJourneyFollowsPallets(t *testing.T) {
	l, ds := demoLog(t)
	r, err := (&Builder{Log: l, Dir: demoDirectory{ds}}).Build(parse(t, ds.Codes.MultipackLot))
	if err != nil {
		t.Fatal(err)
	}
	var via, receivedAtRetailer bool
	for _, s := range r.Journey {
		if s.Via != "" {
			via = true
		}
		if s.BizStep == "receiving" && s.Location != nil && s.Location.Firm != nil && strings.Contains(s.Location.Firm.NameEN, "Supermarket") {
			receivedAtRetailer = true
		}
	}
	if !via || !receivedAtRetailer {
		t.Errorf("journey misses the pallets' moves: %+v", r.Journey)
	}
}

func TestWalkUpAndNeverIssued(t *testing.T) {
	l, ds := demoLog(t)
	b := &Builder{Log: l, Dir: demoDirectory{ds}}
	gtin := "06990021000025" // yogurt
	tests := []struct {
		uri, code, fallback string
		neverIssued         bool
	}{
		{"https://id.gs1.org/01/" + gtin + "/10/NOSUCHLOT", "https://id.gs1.org/01/" + gtin, KindProduct, false},
		{"https://id.gs1.org/01/" + gtin + "/10/YG260303/21/FAKE1", ds.Codes.YogurtLot, KindLot, true},
		{"https://id.gs1.org/01/06990021000032/21/FAKE2", "https://id.gs1.org/01/06990021000032", KindProduct, true},
		{"https://id.gs1.org/01/" + gtin, "https://id.gs1.org/01/" + gtin, "", false},
	}
	for _, tt := range tests {
		r, err := b.Build(parse(t, tt.uri))
		if err != nil {
			t.Fatalf("%s: %v", tt.uri, err)
		}
		if r.Code != tt.code || r.Fallback != tt.fallback || r.Counterfeit.NeverIssued != tt.neverIssued || r.Counterfeit.Suspect != tt.neverIssued {
			t.Errorf("%s: code %s fallback %q counterfeit %+v", tt.uri, r.Code, r.Fallback, r.Counterfeit)
		}
		if tt.fallback != "" && !strings.Contains(r.FallbackReason, "not on the ledger") {
			t.Errorf("%s: fallback reason %q", tt.uri, r.FallbackReason)
		}
	}
	for _, uri := range []string{
		"https://id.gs1.org/01/09520123456788/10/X", // GTIN neither registered nor on the ledger
		"https://id.gs1.org/00/095201234567891235",
		"https://id.gs1.org/414/9520123456788",
	} {
		if _, err := b.Build(parse(t, uri)); !errors.Is(err, ErrUnknown) {
			t.Errorf("%s: %v, want ErrUnknown", uri, err)
		}
	}
}

// A recall of the pasteurised lot reaches every lot made from it: each shows
// "recalled" with the recall's ID and reason, and so do the wheels packed in it.
func TestRecallShows(t *testing.T) {
	l, ds := demoLog(t)
	sc, err := (&recall.Tracer{Log: l}).Scope(ds.Codes.PasteurisedLot)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 7, 9, 0, 0, 0, time.UTC)
	st, err := recall.Start(context.Background(), l, sc, recall.Request{Reason: "Listeria found", Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	b := &Builder{Log: l, Dir: demoDirectory{ds}}
	for _, code := range []string{ds.Codes.PasteurisedLot, ds.Codes.YogurtLot, ds.Codes.MultipackLot, ds.Codes.CheeseWheels[3], ds.Codes.GiftBoxes[1]} {
		r, err := b.Build(parse(t, code))
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != StatusRecalled || r.Recall == nil || r.Recall.ID != st.ID || r.Recall.Reason != "Listeria found" || !r.Recall.Date.Equal(at) {
			t.Errorf("%s: status %s recall %+v", code, r.Status, r.Recall)
		}
		if !r.Verification.Verified {
			t.Errorf("%s: %+v", code, r.Verification)
		}
	}
	r, err := b.Build(parse(t, ds.Codes.RawMilkLots[0]))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusActive {
		t.Errorf("source lot %s", r.Status)
	}
}

func TestGS1Date(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{"260304": "2026-03-04", "260200": "2026-02-28", "281300": "", "2603": ""} {
		if got := gs1Date(in, now); got != want {
			t.Errorf("gs1Date(%q) = %q, want %q", in, got, want)
		}
	}
}
