package scanner

import "testing"

func TestParseBracketed(t *testing.T) {
	for _, c := range []parseCase{
		{name: "GTIN lot expiry", in: "(01)09520123456788(10)ABC123(17)251231", want: "(01)09520123456788(10)ABC123(17)251231"},
		{name: "escaped (", in: `(01)09520123456788(10)AB\(C`, want: `(01)09520123456788(10)AB\(C`},
		{name: "escaped ( keeps (11) in the lot", in: `(10)12345\(11)991225`, opts: Options{NoRequisite: true}, want: `(10)12345\(11)991225`},
		{name: "escape at value start", in: `(01)09520123456788(10)\(A`, want: `(01)09520123456788(10)\(A`},
		{name: "four-digit AI", in: "(01)09520123456788(3103)000195", want: "(01)09520123456788(3103)000195"},
		{name: "error after an escape is located in the input", in: `(01)09520123456788(10)\(\(~`,
			want: `(01)09520123456788(10)\(\(~`, errs: []wantErr{{"10", 26, "'~' not in CSET 82"}}},
		{name: "no (", in: "01)09520123456788", errs: []wantErr{{"", 0, "expected ( to start an AI"}}},
		{name: "junk after value", in: "(01)09520123456788x", want: "(01)09520123456788x", errs: []wantErr{{"01", 18, "too long"}}},
		{name: "missing )", in: "(01)09520123456788(10ABC", want: "(01)09520123456788", errs: []wantErr{{"", 18, "missing )"}}},
		{name: "non-numeric AI", in: "(1A)12345", errs: []wantErr{{"1A", 0, "not 2 to 4 digits"}}},
		{name: "AI too long", in: "(12345)12345", errs: []wantErr{{"12345", 0, "not 2 to 4 digits"}}},
		{name: "unknown AI", in: "(01)09520123456788(23)X", want: "(01)09520123456788", errs: []wantErr{{"23", 18, "unknown AI (23)"}}},
		{name: "empty value", in: "(01)09520123456788(10)12345(11)", want: "(01)09520123456788(10)12345",
			errs: []wantErr{{"11", 31, "empty value"}}},
		{name: "empty value mid", in: "(01)(10)A", want: "(10)A", errs: []wantErr{{"01", 4, "empty value"}}},
		{name: "^ in value", in: "(01)09520123456788(10)12345^", want: "(01)09520123456788(10)12345^",
			errs: []wantErr{{"10", 27, "'^' not in CSET 82"}}},
		{name: "every bad value reported", in: "(01)09520123456789(11)251301", want: "(01)09520123456789(11)251301",
			errs: []wantErr{{"01", 17, "check digit"}, {"11", 24, "month"}}},
	} {
		checkParse(t, ParseBracketed, c)
	}
}
