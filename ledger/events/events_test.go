package events

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"traceledger/ledger/epcis"
)

// Codes of the tests: a plant (company prefix 6990021) with site 6990021000018, a
// packer (6990031) with site 6990031000015.
const (
	tGTIN    = "06990021000025"
	tSite    = "6990021000018"
	tParty   = "6990021000001"
	tDstSite = "6990031000015"
	tDstPty  = "6990031000008"
	tSSCC    = "069900210000000018"
	tRawGTIN = "06990011000011"
)

var tNow = time.Date(2026, 3, 5, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))

func lotRequest() LotRequest {
	return LotRequest{GTIN: tGTIN, Lot: "YG260303", Quantity: 1200, Unit: "EA",
		ProductionDate: "2026-03-03", ExpiryDate: "2026-03-24", BestBeforeDate: "2026-03-21",
		CountryOfOrigin: "CN", Site: tSite, Time: "2026-03-03T10:00:00+08:00"}
}

func moveRequest() MoveRequest {
	return MoveRequest{
		Source:      Party{Site: tSite, Party: tParty},
		Destination: Party{Site: tDstSite, Party: tDstPty},
		Goods: Goods{Lots: []LotQuantity{{GTIN: tGTIN, Lot: "YG260303", Quantity: 600, Unit: "EA"}},
			SSCCs: []string{tSSCC}, Items: []string{"(01)06990021000032(21)CH1"}},
		DespatchAdvice: []string{"DA-1001"}, PurchaseOrders: []string{"PO-77"},
		Time: "2026-03-04T07:00:00+08:00",
	}
}

// TestBuildersMakeValidStableEvents checks every builder's event against EPCIS 2.0
// (Validate), its CBV business step and disposition, and that its hash ID does not
// change between builds or releases (the pinned prefixes).
func TestBuildersMakeValidStableEvents(t *testing.T) {
	withInputs := lotRequest()
	withInputs.Inputs = []LotQuantity{{Code: "https://example.com/01/06990011000011/10/RM260302A", Quantity: 1500.5, Unit: "KGM"},
		{GTIN: tRawGTIN, Lot: "RM260302B", Quantity: 800, Unit: "KGM"}}
	build := map[string]func() (*epcis.Event, error){
		"lot":       func() (*epcis.Event, error) { return CommissionLot(lotRequest(), tNow) },
		"transform": func() (*epcis.Event, error) { return CommissionLot(withInputs, tNow) },
		"pack": func() (*epcis.Event, error) {
			return Pack(PackRequest{SSCC: tSSCC, Site: tSite, Time: "2026-03-04T06:00:00+08:00",
				Goods: Goods{Lots: []LotQuantity{{GTIN: tGTIN, Lot: "YG260303", Quantity: 600, Unit: "EA"}},
					Items: []string{"]d20106990021000032" + "21CH1"}}}, tNow)
		},
		"ship":    func() (*epcis.Event, error) { return Ship(moveRequest(), tNow) },
		"receive": func() (*epcis.Event, error) { return Receive(moveRequest(), tNow) },
		"inspect": func() (*epcis.Event, error) {
			return Inspect(InspectionRequest{Code: "(01)06990021000025(10)YG260303(17)260324", Kind: "sampling",
				Standard: "GB 19302-2010", SampleSize: 5, Inspector: "Li Wei", Site: tDstSite,
				Items: []TestResult{{Name: "protein", Value: 3.1, Unit: "g/100g", Min: ptr(2.9)}},
				Time:  "2026-03-04T09:00:00+08:00"}, tNow)
		},
		"serials": func() (*epcis.Event, error) {
			return CommissionSerials(SerialsRequest{GTIN: tGTIN, Lot: "YG260303", Count: 2, Site: tSite,
				Time: "2026-03-03T11:00:00+08:00"}, []string{"Ab3-_x", "Zz9"}, tNow)
		},
	}
	// The hash IDs are pinned: a change means the same request would now be stored as
	// another event, which breaks idempotent retries of the native API.
	want := map[string]struct{ typ, bizStep, disp, hash string }{
		"lot":       {epcis.ObjectEvent, "commissioning", "active", "ni:///sha-256;816955ee1106862c05fbf0fa3f14654fb9c3e93e96cd499bcb7e190a18bba457?ver=CBV2.0"},
		"transform": {epcis.TransformationEvent, "commissioning", "active", "ni:///sha-256;d2a877e07b47840355f6284661047477b7cedf1a15dbc3d73541efd9e1043424?ver=CBV2.0"},
		"pack":      {epcis.AggregationEvent, "packing", "in_progress", "ni:///sha-256;11ffbc082081d751441815f78a169810a77ebcde5abc4bdb407efe5c82842e29?ver=CBV2.0"},
		"ship":      {epcis.ObjectEvent, "shipping", "in_transit", "ni:///sha-256;28adf79d207e28edcadf791c2055bc279749e43413ce040aaa40b1a2b47be7b0?ver=CBV2.0"},
		"receive":   {epcis.ObjectEvent, "receiving", "in_progress", "ni:///sha-256;65aa3bb183766be65814dbf7a71e002a725f08652f37702ac9815dd169eed868?ver=CBV2.0"},
		"inspect":   {epcis.ObjectEvent, "sampling", "conformant", "ni:///sha-256;ce71b7f542ba44116694fb0bad037b3e2ac741c06d522bd89643b8f14e8975fb?ver=CBV2.0"},
		"serials":   {epcis.ObjectEvent, "commissioning", "active", "ni:///sha-256;95ffd55a75baccfdeedd915f0bd6a0c10f6f7aceb0aa592a93dd9206db9daa1e?ver=CBV2.0"},
	}
	for name, b := range build {
		t.Run(name, func(t *testing.T) {
			ev, err := b()
			if err != nil {
				t.Fatal(err)
			}
			if err := ev.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			w := want[name]
			if ev.Type != w.typ || ev.BizStep != w.bizStep || ev.Disposition != w.disp {
				t.Errorf("got %s %s/%s, want %s %s/%s", ev.Type, ev.BizStep, ev.Disposition, w.typ, w.bizStep, w.disp)
			}
			again, _ := b()
			if ev.HashID() != again.HashID() {
				t.Errorf("hash ID changed between builds: %s, %s", ev.HashID(), again.HashID())
			}
			// The stored form keeps the hash ID.
			data, err := ev.CanonicalJSON()
			if err != nil {
				t.Fatal(err)
			}
			back, err := epcis.ParseEvent(data, nil)
			if err != nil {
				t.Fatal(err)
			}
			if back.HashID() != ev.HashID() {
				t.Errorf("hash ID after the round trip %s, want %s", back.HashID(), ev.HashID())
			}
			if w.hash != "" && ev.HashID() != w.hash {
				t.Errorf("hash ID %s, want %s", ev.HashID(), w.hash)
			}
		})
	}
}

func ptr(v float64) *float64 { return &v }

func TestCommissionLotContent(t *testing.T) {
	ev, err := CommissionLot(lotRequest(), tNow)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ev.QuantityList[0].EPCClass, "https://id.gs1.org/01/06990021000025/10/YG260303"; got != want {
		t.Errorf("class %s, want %s", got, want)
	}
	if ev.QuantityList[0].Quantity != "1200" || ev.QuantityList[0].UOM != "EA" {
		t.Errorf("quantity %+v", ev.QuantityList[0])
	}
	ilmd := map[string]string{}
	for _, f := range ev.ILMD {
		ilmd[f.Name] = string(f.Value)
	}
	for k, v := range map[string]string{"cbvmda:lotNumber": `"YG260303"`, "cbvmda:productionDate": `"2026-03-03"`,
		"cbvmda:itemExpirationDate": `"2026-03-24"`, "cbvmda:bestBeforeDate": `"2026-03-21"`, "cbvmda:countryOfOrigin": `"CN"`} {
		if ilmd[k] != v {
			t.Errorf("ILMD %s = %s, want %s", k, ilmd[k], v)
		}
	}
	if ev.EventTimeZoneOffset != "+08:00" || ev.ReadPoint.ID != "https://id.gs1.org/414/"+tSite {
		t.Errorf("time zone %s, read point %s", ev.EventTimeZoneOffset, ev.ReadPoint.ID)
	}
	// No time: now, with now's offset.
	r := lotRequest()
	r.Time = ""
	ev, err = CommissionLot(r, tNow)
	if err != nil || ev.EventTime != "2026-03-05T08:00:00+08:00" {
		t.Errorf("default time %q, %v", ev.EventTime, err)
	}
}

// TestBadRequestsNameTheField checks that each fault is reported under the request's
// JSON field.
func TestBadRequestsNameTheField(t *testing.T) {
	tests := []struct {
		name  string
		build func() error
		field string
	}{
		{"lot without gtin", func() error { r := lotRequest(); r.GTIN = ""; _, err := CommissionLot(r, tNow); return err }, "gtin"},
		{"gtin check digit", func() error {
			r := lotRequest()
			r.GTIN = "06990021000026"
			_, err := CommissionLot(r, tNow)
			return err
		}, "gtin"},
		{"lot too long", func() error {
			r := lotRequest()
			r.Lot = strings.Repeat("L", 21)
			_, err := CommissionLot(r, tNow)
			return err
		}, "lot"},
		{"lot bad char", func() error { r := lotRequest(); r.Lot = "YG 1"; _, err := CommissionLot(r, tNow); return err }, "lot"},
		{"zero quantity", func() error { r := lotRequest(); r.Quantity = 0; _, err := CommissionLot(r, tNow); return err }, "quantity"},
		{"bad unit", func() error { r := lotRequest(); r.Unit = "kg"; _, err := CommissionLot(r, tNow); return err }, "unit"},
		{"no unit", func() error { r := lotRequest(); r.Unit = ""; _, err := CommissionLot(r, tNow); return err }, "unit"},
		{"bad site", func() error {
			r := lotRequest()
			r.Site = "6990021000019"
			_, err := CommissionLot(r, tNow)
			return err
		}, "site"},
		{"no production date", func() error { r := lotRequest(); r.ProductionDate = ""; _, err := CommissionLot(r, tNow); return err }, "productionDate"},
		{"expiry before production", func() error {
			r := lotRequest()
			r.ExpiryDate = "2026-03-01"
			_, err := CommissionLot(r, tNow)
			return err
		}, "expiryDate"},
		{"bad time", func() error { r := lotRequest(); r.Time = "yesterday"; _, err := CommissionLot(r, tNow); return err }, "time"},
		{"future time", func() error {
			r := lotRequest()
			r.Time = "2027-01-01T00:00:00Z"
			_, err := CommissionLot(r, tNow)
			return err
		}, "time"},
		{"input without quantity", func() error {
			r := lotRequest()
			r.Inputs = []LotQuantity{{GTIN: tRawGTIN, Lot: "A"}}
			_, err := CommissionLot(r, tNow)
			return err
		}, "inputs[0].quantity"},
		{"input is a serial", func() error {
			r := lotRequest()
			r.Inputs = []LotQuantity{{Code: "(01)06990011000011(21)X", Quantity: 1}}
			_, err := CommissionLot(r, tNow)
			return err
		}, "inputs[0].code"},
		{"input is the output", func() error {
			r := lotRequest()
			r.Inputs = []LotQuantity{{GTIN: r.GTIN, Lot: r.Lot, Quantity: 1}}
			_, err := CommissionLot(r, tNow)
			return err
		}, "inputs[0]"},
		{"pack into a GTIN", func() error {
			_, err := Pack(PackRequest{SSCC: "(01)06990021000025", Site: tSite, Goods: Goods{SSCCs: []string{tSSCC}}}, tNow)
			return err
		}, "sscc"},
		{"pack nothing", func() error { _, err := Pack(PackRequest{SSCC: tSSCC, Site: tSite}, tNow); return err }, "lots"},
		{"pack a lot as an item", func() error {
			_, err := Pack(PackRequest{SSCC: tSSCC, Site: tSite, Goods: Goods{Items: []string{"(01)06990021000025(10)A"}}}, tNow)
			return err
		}, "items[0]"},
		{"ship bad sscc", func() error {
			r := moveRequest()
			r.SSCCs = []string{"069900210000000019"}
			_, err := Ship(r, tNow)
			return err
		}, "ssccs[0]"},
		{"ship to itself", func() error { r := moveRequest(); r.Destination.Site = tSite; _, err := Ship(r, tNow); return err }, "destination.site"},
		{"ship bad party", func() error { r := moveRequest(); r.Source.Party = "123"; _, err := Ship(r, tNow); return err }, "source.party"},
		{"ship bad document", func() error {
			r := moveRequest()
			r.DespatchAdvice = []string{"a b"}
			_, err := Ship(r, tNow)
			return err
		}, "despatchAdvice[0]"},
		{"receive lot quantity negative", func() error {
			r := moveRequest()
			r.Lots[0].Quantity = -1
			_, err := Receive(r, tNow)
			return err
		}, "lots[0].quantity"},
		{"inspect no code", func() error {
			_, err := Inspect(InspectionRequest{Site: tSite, Result: "conformant"}, tNow)
			return err
		}, "code"},
		{"inspect a location", func() error {
			_, err := Inspect(InspectionRequest{Code: "(414)" + tSite, Site: tSite, Result: "conformant"}, tNow)
			return err
		}, "code"},
		{"inspect bad kind", func() error {
			_, err := Inspect(InspectionRequest{Code: tSSCC, Kind: "audit", Site: tSite, Result: "conformant"}, tNow)
			return err
		}, "kind"},
		{"inspect result contradicts items", func() error {
			_, err := Inspect(InspectionRequest{Code: "(00)" + tSSCC, Site: tSite, Result: "conformant",
				Items: []TestResult{{Name: "fat", Value: 2, Min: ptr(3.1)}}}, tNow)
			return err
		}, "result"},
		{"inspect infinite limit", func() error {
			_, err := Inspect(InspectionRequest{Code: "(00)" + tSSCC, Site: tSite,
				Items: []TestResult{{Name: "fat", Value: 2, Max: ptr(math.Inf(1))}}}, tNow)
			return err
		}, "items[0].max"},
		{"inspect pass contradicts limits", func() error {
			yes := true
			_, err := Inspect(InspectionRequest{Code: "(00)" + tSSCC, Site: tSite,
				Items: []TestResult{{Name: "fat", Value: 2, Min: ptr(3.1), Pass: &yes}}}, tNow)
			return err
		}, "items[0].pass"},
		{"inspect no result", func() error {
			_, err := Inspect(InspectionRequest{Code: "(00)" + tSSCC, Site: tSite}, tNow)
			return err
		}, "result"},
		{"serials count", func() error {
			_, err := SerialsRequest{GTIN: tGTIN, Lot: "L", Count: MaxSerials + 1, Site: tSite}.Check()
			return err
		}, "count"},
		{"serials bad serial", func() error {
			_, err := CommissionSerials(SerialsRequest{GTIN: tGTIN, Lot: "L", Site: tSite}, []string{"ok", "not ok"}, tNow)
			return err
		}, "serials[1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.build()
			var ve epcis.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a ValidationError", err)
			}
			for _, fe := range ve {
				if fe.Field == tc.field {
					return
				}
			}
			t.Errorf("no fault on %q in %v", tc.field, err)
		})
	}
}

func TestInspectDecidesResultFromItems(t *testing.T) {
	ev, err := Inspect(InspectionRequest{Code: "https://id.gs1.org/01/06990021000025/10/YG260303", Site: tSite,
		Standard: "GB 19302-2010", Items: []TestResult{{Name: "protein", Value: 3.1, Min: ptr(2.9)},
			{Name: "coliforms", Value: 430, Max: ptr(100)}}}, tNow)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Disposition != "non_conformant" || ev.BizStep != "inspecting" {
		t.Errorf("got %s/%s", ev.BizStep, ev.Disposition)
	}
	in, ok := InspectionOf(ev)
	if !ok || in.Conformant() || !in.Items[0].Pass || in.Items[1].Pass || in.Standard != "GB 19302-2010" {
		t.Errorf("inspection %+v", in)
	}
	if len(ev.QuantityList) != 1 || ev.QuantityList[0].Quantity != "" || len(ev.EPCList) != 0 {
		t.Errorf("a lot is inspected as a class without quantity: %+v %v", ev.QuantityList, ev.EPCList)
	}
}

func TestParseCodeKinds(t *testing.T) {
	tests := []struct {
		in   string
		kind CodeKind
		uri  string
	}{
		{"(01)06990021000025", KindClass, "https://id.gs1.org/01/06990021000025"},
		{"]d2010699002100002510YG260303\x1d17260324", KindLot, "https://id.gs1.org/01/06990021000025/10/YG260303"},
		{"https://example.com/01/06990021000025/21/A%2FB?17=260324", KindInstance, "https://id.gs1.org/01/06990021000025/21/A%2FB"},
		{"urn:epc:id:sscc:6990021.0000000001", KindSSCC, "https://id.gs1.org/00/069900210000000018"},
		{"(414)6990021000018", KindOther, "https://id.gs1.org/414/6990021000018"},
		{"(8004)6990021ASSET7", KindInstance, "https://id.gs1.org/8004/6990021ASSET7"},
	}
	for _, tc := range tests {
		c, err := ParseCode(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if c.Kind != tc.kind || c.URI != tc.uri {
			t.Errorf("%q: kind %d %s, want %d %s", tc.in, c.Kind, c.URI, tc.kind, tc.uri)
		}
	}
	for _, bad := range []string{"", "hello", "(01)06990021000026", "(10)ABC"} {
		if _, err := ParseCode(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"(01)06990021000025(10)A", "]d2010699002100002521X\x1d10L", "https://id.gs1.org/00/069900210000000018",
		"urn:epc:id:sgtin:6990021.000002.ABC", "(414)6990021000018", "^0106990021000025", "(8003)06990021000025X1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			return
		}
		// A code read back from its canonical URI is the same code.
		again, err := ParseCode(c.URI)
		if err != nil {
			t.Fatalf("%q: canonical %s does not parse: %v", s, c.URI, err)
		}
		if again.URI != c.URI || again.Kind != c.Kind {
			t.Fatalf("%q: %s (%d) reads back as %s (%d)", s, c.URI, c.Kind, again.URI, again.Kind)
		}
	})
}
