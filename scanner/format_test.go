package scanner

import "testing"

func elements(kv ...string) Data {
	var d Data
	for i := 0; i < len(kv); i += 2 {
		d.Elements = append(d.Elements, Element{AI: kv[i], Value: kv[i+1]})
	}
	return d
}

func TestBracketed(t *testing.T) {
	for _, c := range []struct {
		d    Data
		want string
	}{
		{Data{}, ""},
		{elements("01", "09520123456788", "10", "ABC123"), "(01)09520123456788(10)ABC123"},
		{elements("10", "A(B(", "21", "(x)"), `(10)A\(B\((21)\(x)`},
	} {
		if got := c.d.Bracketed(); got != c.want {
			t.Errorf("Bracketed(%v) = %q, want %q", c.d.Elements, got, c.want)
		}
	}
}

func TestUnbracketedPutsGSAfterVariableLengthAIs(t *testing.T) {
	for _, c := range []struct {
		d    Data
		want string
	}{
		{elements("01", "09520123456788"), "0109520123456788"},
		{elements("01", "09520123456788", "10", "ABC", "17", "251231"), "010952012345678810ABC\x1d17251231"},
		{elements("01", "09520123456788", "17", "251231", "10", "ABC"), "01095201234567881725123110ABC"},
		{elements("10", "ABC", "21", "XYZ", "99", "Q"), "10ABC\x1d21XYZ\x1d99Q"},
		{elements("3103", "000195", "4326", "251231", "01", "09520123456788"), "3103000195" + "4326251231\x1d" + "0109520123456788"},
		{elements("23", "X", "01", "09520123456788"), "23X\x1d0109520123456788"}, // unknown: treated as variable length
	} {
		if got := c.d.Unbracketed(); got != c.want {
			t.Errorf("Unbracketed(%v) = %q, want %q", c.d.Elements, got, c.want)
		}
	}
}

func TestScanData(t *testing.T) {
	lot := elements("01", "09520123456788", "10", "ABC", "17", "251231")
	gtin := elements("01", "09520123456788")
	for _, c := range []struct {
		d    Data
		sym  string
		want string
	}{
		{lot, "]d2", "]d2010952012345678810ABC\x1d17251231"},
		{lot, "]C1", "]C1010952012345678810ABC\x1d17251231"},
		{lot, "]Q3", "]Q3010952012345678810ABC\x1d17251231"},
		{lot, "]e0", "]e0010952012345678810ABC\x1d17251231"},
		{lot, "]J1", "]J1010952012345678810ABC\x1d17251231"},
		{gtin, "]E0", "]E09520123456788"},
		{elements("01", "00416000336108"), "]E0", "]E00416000336108"},
		{elements("01", "00000002345673"), "]E4", "]E402345673"},
		{lot, "]Q1", "]Q1https://id.gs1.org/01/09520123456788/10/ABC?17=251231"},
		{gtin, "]d1", "]d1https://id.gs1.org/01/09520123456788"},
	} {
		got, err := c.d.ScanData(c.sym)
		if err != nil || got != c.want {
			t.Errorf("ScanData(%s) of %v = %q, %v; want %q", c.sym, c.d.Elements, got, err, c.want)
		}
		// What is written reads back as the same data.
		back, err := ParseScanData(got, Options{})
		if err != nil || back.Bracketed() != c.d.Bracketed() || back.Symbology != c.sym {
			t.Errorf("ParseScanData(%q) = %v (%s), %v; want %s", got, back.Bracketed(), back.Symbology, err, c.d.Bracketed())
		}
	}
	for _, c := range []struct {
		d   Data
		sym string
	}{
		{Data{}, "]d2"},
		{lot, "]X9"},
		{lot, "]E0"}, // more than a GTIN
		{elements("01", "19520123456785"), "]E0"}, // GTIN-14 with indicator 1
		{gtin, "]E4"},                                 // a GTIN-13 is not a GTIN-8
		{elements("10", "ABC"), "]Q1"},                // no primary key for a Digital Link
		{elements("00", "006141411234567890"), "]E0"}, // not a GTIN
		{elements("01", "0952012345678"), "]E0"},      // 13 characters
	} {
		if got, err := c.d.ScanData(c.sym); err == nil {
			t.Errorf("ScanData(%s) of %v = %q, want an error", c.sym, c.d.Elements, got)
		}
	}
}
