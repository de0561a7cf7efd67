package events

import (
	"encoding/json"
	"errors"
	"testing"

	"traceledger/ledger/epcis"
)

// FuzzBuilders feeds arbitrary JSON requests to every builder: each either refuses the
// request with a ValidationError naming fields, or returns an event that validates
// (the builders call Validate themselves and report any other failure as a bug).
func FuzzBuilders(f *testing.F) {
	seeds := []any{lotRequest(), moveRequest(),
		PackRequest{SSCC: tSSCC, Site: tSite, Goods: Goods{Items: []string{"(01)06990021000032(21)CH1"}}},
		InspectionRequest{Code: "(01)06990021000025(10)YG260303", Site: tSite, Result: "conformant",
			Items: []TestResult{{Name: "fat", Value: 3, Min: ptr(3.1)}}},
		SerialsRequest{GTIN: tGTIN, Lot: "L", Count: 1, Site: tSite}}
	withInputs := lotRequest()
	withInputs.Inputs = []LotQuantity{{Code: "(01)06990011000011(10)A", Quantity: 2, Unit: "KGM"}}
	seeds = append(seeds, withInputs)
	for i, s := range seeds {
		b, _ := json.Marshal(s)
		f.Add(uint8(i), b)
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		var ev *epcis.Event
		var err error
		switch which % 6 {
		case 0:
			var r LotRequest
			if json.Unmarshal(data, &r) != nil {
				return
			}
			ev, err = CommissionLot(r, tNow)
		case 1:
			var r MoveRequest
			if json.Unmarshal(data, &r) != nil {
				return
			}
			ev, err = Ship(r, tNow)
		case 2:
			var r PackRequest
			if json.Unmarshal(data, &r) != nil {
				return
			}
			ev, err = Pack(r, tNow)
		case 3:
			var r InspectionRequest
			if json.Unmarshal(data, &r) != nil {
				return
			}
			ev, err = Inspect(r, tNow)
		case 4:
			var r SerialsRequest
			if json.Unmarshal(data, &r) != nil {
				return
			}
			if _, err = r.Check(); err == nil {
				ev, err = CommissionSerials(r, []string{"S1", "S2"}, tNow)
			}
		case 5:
			var r MoveRequest
			if json.Unmarshal(data, &r) != nil {
				return
			}
			ev, err = Receive(r, tNow)
		}
		if err != nil {
			var ve epcis.ValidationError
			if !errors.As(err, &ve) || len(ve) == 0 {
				t.Fatalf("builder %d failed without naming a field: %v", which%6, err)
			}
			return
		}
		if _, err := ev.CanonicalJSON(); err != nil {
			t.Fatalf("builder %d: event has no canonical form: %v", which%6, err)
		}
	})
}

func BenchmarkCommissionLot(b *testing.B) {
	r := lotRequest()
	r.Inputs = []LotQuantity{{GTIN: tRawGTIN, Lot: "RM260302B", Quantity: 800, Unit: "KGM"}}
	for b.Loop() {
		if _, err := CommissionLot(r, tNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCode(b *testing.B) {
	for b.Loop() {
		if _, err := ParseCode("]d20106990021000025" + "10YG260303\x1d17260324"); err != nil {
			b.Fatal(err)
		}
	}
}
