package scanner

import "testing"

func TestParseScanDataSymbologies(t *testing.T) {
	const body, want = "011231231231233310ABC123\x1d99TESTING", "(01)12312312312333(10)ABC123(99)TESTING"
	for _, c := range []parseCase{
		{name: "]C1 GS1-128", in: "]C1" + body, want: want},
		{name: "]d2 GS1 DataMatrix", in: "]d2" + body, want: want},
		{name: "]Q3 GS1 QR Code", in: "]Q3" + body, want: want},
		{name: "]e0 GS1 DataBar", in: "]e0" + body, want: want},
		{name: "]J1 GS1 DotCode", in: "]J1" + body, want: want},
		{name: "]E0 EAN-13", in: "]E09520123456788", want: "(01)09520123456788"},
		{name: "]E0 UPC-A as 13 digits", in: "]E00416000336108", want: "(01)00416000336108"},
		{name: "]E4 EAN-8", in: "]E402345673", want: "(01)00000002345673"},
		{name: "]Q1 Digital Link", in: "]Q1https://example.com/01/12312312312333?99=TEST", want: "(01)12312312312333(99)TEST"},
		{name: "]d1 Digital Link", in: "]d1HTTPS://example.com/01/12312312312333", want: "(01)12312312312333"},
		{name: "]C0 Digital Link", in: "]C0http://example.com/01/12312312312333", want: "(01)12312312312333"},

		{name: "]E0 bad check digit", in: "]E02112345678901", want: "(01)02112345678901", errs: []wantErr{{"01", 15, "check digit"}}},
		{name: "]E0 12 digits", in: "]E0416000336108", errs: []wantErr{{"01", 3, "must be 13 digits, got 12"}}},
		{name: "]E0 non-digit", in: "]E0952012345678X", errs: []wantErr{{"01", 15, "non-digit"}}},
		{name: "]E4 bad check digit", in: "]E402345674", want: "(01)00000002345674", errs: []wantErr{{"01", 10, "check digit"}}},
		{name: "]E4 13 digits", in: "]E49520123456788", errs: []wantErr{{"01", 3, "must be 8 digits"}}},
		{name: "]Q1 plain text", in: "]Q1HELLO", errs: []wantErr{{"", 3, "not GS1 data"}}},
		{name: "]d1 plain text", in: "]d1010952012345678810ABC", errs: []wantErr{{"", 3, "not GS1 data"}}},
		{name: "]Q1 bad Digital Link located in the scan data", in: "]Q1https://a/01/12312312312333?99=A~B",
			want: "(01)12312312312333(99)A~B", errs: []wantErr{{"99", 35, "'~' not in CSET 82"}}},
		{name: "unknown identifier", in: "]X0123", errs: []wantErr{{"", 0, "unsupported symbology identifier"}}},
		{name: "unknown modifier", in: "]d4010952012345678", errs: []wantErr{{"", 0, "unsupported symbology identifier"}}},
		{name: "too short", in: "]d", errs: []wantErr{{"", 0, "missing AIM symbology identifier"}}},
		{name: "identifier only", in: "]d2", errs: []wantErr{{"", 3, "no AI data"}}},
	} {
		checkParse(t, ParseScanData, c)
	}
}

func TestParseScanDataSeparators(t *testing.T) {
	for _, c := range []parseCase{
		{name: "trailing GS tolerated", in: "]d2010952012345678810ABC\x1d", want: "(01)09520123456788(10)ABC"},
		{name: "GS after a predefined length tolerated", in: "]d20109520123456788\x1d10ABC", want: "(01)09520123456788(10)ABC"},
		{name: "two variable-length AIs", in: "]e0011231231231233310ABC123\x1d99TESTING\x1d98XYZ", want: "(01)12312312312333(10)ABC123(99)TESTING(98)XYZ"},
		{name: "leading GS", in: "]d2\x1d010952012345678810ABC", want: "(01)09520123456788(10)ABC",
			errs: []wantErr{{"", 3, "GS before the first AI"}}},
		{name: "double GS", in: "]d2010952012345678810ABC\x1d\x1d21X", want: "(01)09520123456788(10)ABC(21)X",
			errs: []wantErr{{"", 25, "separator where an AI should start"}}},
		{name: "^ is not FNC1 in scan data", in: "]C101123123123123^10ABC", errs: []wantErr{{"", 17, `"^" is not allowed`}}},
		{name: "missing GS: (17) swallowed by the lot", in: "]d2010952012345678810ABC12317251231", want: "(01)09520123456788(10)ABC12317251231"},
	} {
		checkParse(t, ParseScanData, c)
	}
}

func TestSymbologyName(t *testing.T) {
	if got := SymbologyName("]d2"); got != "GS1 DataMatrix" {
		t.Errorf(`SymbologyName("]d2") = %q`, got)
	}
	if got := SymbologyName("]Z9"); got != "" {
		t.Errorf(`SymbologyName("]Z9") = %q, want ""`, got)
	}
}
