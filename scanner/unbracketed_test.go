package scanner

import "testing"

func TestParseUnbracketed(t *testing.T) {
	noreq := Options{NoRequisite: true}
	for _, c := range []parseCase{
		{name: "FNC1 after variable-length (10)", in: "^010952012345678810ABC123^17251231", want: "(01)09520123456788(10)ABC123(17)251231"},
		{name: "no FNC1 after (10): (17) is part of the lot", in: "^010952012345678810ABC12317251231", want: "(01)09520123456788(10)ABC12317251231"},
		{name: "predefined lengths need no FNC1", in: "^01095201234567881725123110ABC", want: "(01)09520123456788(17)251231(10)ABC"},
		{name: "redundant FNC1 after predefined length", in: "^0109520123456788^10ABC", want: "(01)09520123456788(10)ABC"},
		{name: "trailing FNC1", in: "^0109520123456788^", want: "(01)09520123456788"},
		{name: "trailing FNC1 after variable length", in: "^242123456^", opts: noreq, want: "(242)123456"},
		{name: "GS separators", in: "^0109520123456788" + "10ABC\x1d" + "21XYZ", want: "(01)09520123456788(10)ABC(21)XYZ"},
		{name: "raw GS form", in: "0109520123456788" + "10ABC\x1d" + "21XYZ", want: "(01)09520123456788(10)ABC(21)XYZ"},
		{name: "variable length too long without FNC1", in: "^2421234567", opts: noreq, want: "(242)1234567",
			errs: []wantErr{{"242", 10, "too long"}}},
		{name: "variable length max then more data", in: "^0109520123456788" + "10ABCDEFGHIJ1234567890X", want: "(01)09520123456788(10)ABCDEFGHIJ1234567890X",
			errs: []wantErr{{"10", 39, "too long"}}},
		{name: "predefined length cut short by FNC1", in: "^01123^10ABC", want: "(01)123(10)ABC",
			errs: []wantErr{{"01", 6, "too short"}}},
		{name: "no AI for the rest", in: "^01123456789012312", want: "(01)12345678901231", errs: []wantErr{{"", 17, "no known AI"}}},
		{name: "unknown AI", in: "^23ABC", errs: []wantErr{{"", 1, `no known AI at "23A"`}}},
		{name: "double FNC1", in: "^0109520123456788^10ABC^^21X", want: "(01)09520123456788(10)ABC(21)X",
			errs: []wantErr{{"", 24, "separator where an AI should start"}}},
		{name: "FNC1 alone", in: "^", errs: []wantErr{{"", 1, "no AI data"}}},
		{name: "empty predefined value at the end", in: "^0109520123456788" + "17", want: "(01)09520123456788",
			errs: []wantErr{{"17", 19, "empty value"}}},
		{name: "bad check digit located", in: "^0112345678901234", want: "(01)12345678901234", errs: []wantErr{{"01", 16, "check digit"}}},
		{name: "day 00 not allowed in (4326)", in: "^4326201200", opts: noreq, want: "(4326)201200", errs: []wantErr{{"4326", 9, "day"}}},
	} {
		checkParse(t, ParseUnbracketed, c)
	}
}
