package registry

import (
	"bytes"
	"testing"

	"traceledger/fixtures"
)

// FuzzParseRecord checks that a record that parses has exactly one byte form: it
// marshals back to the input, so its ID is well defined.
func FuzzParseRecord(f *testing.F) {
	d := fixtures.Demo()
	firm := demoFirm(&d.Firms[0], StatusApproved)
	prod := demoProduct(&d.Products[0])
	for _, r := range []*Record{
		{Type: TypeFirmRegistration, By: d.Firms[8].USCC, Firm: &firm},
		{Type: TypeFirmUpdate, Prev: "ni:///sha-256;00?ver=tl-registry-1", Reason: "x<y>&z", Firm: &firm},
		{Type: TypeProductRegistration, Product: &prod},
	} {
		b, err := r.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"tl:FirmRegistration","firm":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRecord(data)
		if err != nil {
			return
		}
		again, err := r.Marshal()
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("parsed record marshals to %q, %v; input %q", again, err, data)
		}
		if !IsRecord(data) {
			t.Fatalf("parsed record %q does not start with the record mark", data)
		}
	})
}

// FuzzKeyDigits checks that the code reader never panics and that the digits it
// returns are a suffix of the key's value.
func FuzzKeyDigits(f *testing.F) {
	d := fixtures.Demo()
	for _, c := range append([]string{d.Codes.PasteurisedLot, d.Codes.Pallets[0], d.Firms[0].Sites[0].URI(),
		d.Firms[0].PartyURI(), "06990011000014", "6990011000010", "069900110000000019",
		"urn:epc:id:sgtin:6990011.000001.7", "urn:uuid:1", "https://id.gs1.org/8004/6990011abc"}, d.Codes.CheeseWheels...) {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, code string) {
		digits, key, err := keyDigits(code)
		if err != nil {
			return
		}
		if len(digits) > len(key.Value) || key.Value[len(key.Value)-len(digits):] != digits {
			t.Fatalf("keyDigits(%q) = %q, key %v", code, digits, key)
		}
	})
}
