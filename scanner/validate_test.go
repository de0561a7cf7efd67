package scanner

import (
	"errors"
	"testing"
)

// The rules are exercised through ParseBracketed, whose positions are easy to count:
// in "(01)09520123456788(17)251231" the value of (17) starts at 22.

func TestValidateValues(t *testing.T) {
	noreq := Options{NoRequisite: true}
	const g = "(01)09520123456788"
	for _, c := range []parseCase{
		// GS1 mod-10 check digits.
		{name: "GTIN check digit", in: g, want: g},
		{name: "GTIN bad check digit", in: "(01)09520123456789", want: "(01)09520123456789", errs: []wantErr{{"01", 17, "check digit, want 8"}}},
		{name: "SSCC check digit", in: "(00)123456789012345675", want: "(00)123456789012345675"},
		{name: "SSCC bad check digit", in: "(00)123456789012345670", want: "(00)123456789012345670", errs: []wantErr{{"00", 21, "check digit"}}},
		{name: "GLN bad check digit", in: "(414)9520123456789", want: "(414)9520123456789", errs: []wantErr{{"414", 17, "check digit"}}},

		// Dates: which AIs allow day 00, month ranges, leap years.
		{name: "expiry day 00", in: g + "(17)251200", want: g + "(17)251200"},
		{name: "production day 00", in: g + "(11)251200", want: g + "(11)251200"},
		{name: "release date day 00", in: "(4326)251200", opts: noreq, want: "(4326)251200", errs: []wantErr{{"4326", 10, "day"}}},
		{name: "month 13", in: g + "(17)251301", want: g + "(17)251301", errs: []wantErr{{"17", 24, "month"}}},
		{name: "month 00", in: g + "(17)250001", want: g + "(17)250001", errs: []wantErr{{"17", 24, "month"}}},
		{name: "31 April", in: g + "(17)250431", want: g + "(17)250431", errs: []wantErr{{"17", 26, "day"}}},
		{name: "29 February in a leap year", in: g + "(17)240229", want: g + "(17)240229"},
		{name: "29 February in 2000", in: g + "(17)000229", want: g + "(17)000229"},
		{name: "29 February in a common year", in: g + "(17)230229", want: g + "(17)230229", errs: []wantErr{{"17", 26, "day"}}},
		{name: "30 February", in: g + "(17)240230", want: g + "(17)240230", errs: []wantErr{{"17", 26, "day"}}},

		// Lengths.
		{name: "GTIN 13 digits", in: "(01)9520123456788", want: "(01)9520123456788", errs: []wantErr{{"01", 17, "too short"}}},
		{name: "GTIN 15 digits", in: "(01)095201234567880", want: "(01)095201234567880", errs: []wantErr{{"01", 18, "too long"}}},
		{name: "lot at 20", in: g + "(10)ABCDEFGHIJ1234567890", want: g + "(10)ABCDEFGHIJ1234567890"},
		{name: "lot at 21", in: g + "(10)ABCDEFGHIJ1234567890X", want: g + "(10)ABCDEFGHIJ1234567890X", errs: []wantErr{{"10", 42, "too long"}}},
		{name: "N..6 at 7", in: g + "(242)1234567", want: g + "(242)1234567", errs: []wantErr{{"242", 29, "too long"}}},
		{name: "date of 5 digits", in: g + "(17)25123", want: g + "(17)25123", errs: []wantErr{{"17", 27, "too short"}}},

		// Character sets.
		{name: "CSET 82 lower case and punctuation", in: g + "(21)aZ09!%&*+-./:;<=>?_", want: g + "(21)aZ09!%&*+-./:;<=>?_"},
		{name: "~ not CSET 82", in: g + "(21)ABC~1", want: g + "(21)ABC~1", errs: []wantErr{{"21", 25, "'~' not in CSET 82"}}},
		{name: "space not CSET 82", in: g + "(21)A B", want: g + "(21)A B", errs: []wantErr{{"21", 23, "' ' not in CSET 82"}}},
		{name: "letter in numeric", in: "(01)0952012345678A", want: "(01)0952012345678A", errs: []wantErr{{"01", 17, "not in N"}}},
		{name: "CSET 39", in: "(8010)9520123#-/AB", want: "(8010)9520123#-/AB"},
		{name: "_ not CSET 39", in: "(8010)123456_", want: "(8010)123456_", errs: []wantErr{{"8010", 12, "not in CSET 39"}}},
		{name: "lower case not CSET 39", in: "(8010)9520123ab", want: "(8010)9520123ab", errs: []wantErr{{"8010", 13, "not in CSET 39"}}},
		{name: ": not CSET 64", in: "(00)123456789012345675(8030)ABC:123", want: "(00)123456789012345675(8030)ABC:123",
			errs: []wantErr{{"8030", 31, "not in CSET 64"}}},
		{name: "CSET 64", in: "(00)123456789012345675(8030)AB-_12", want: "(00)123456789012345675(8030)AB-_12"},
		{name: "wrong CSET 64 padding", in: "(00)123456789012345675(8030)123=", want: "(00)123456789012345675(8030)123=",
			errs: []wantErr{{"8030", 31, "padding"}}},
	} {
		checkParse(t, ParseBracketed, c)
	}
}

func TestValidateAssociations(t *testing.T) {
	noreq := Options{NoRequisite: true}
	const g = "(01)09520123456788"
	for _, c := range []parseCase{
		// Requisite AIs.
		{name: "serial alone", in: "(21)12345", want: "(21)12345", errs: []wantErr{{"21", 0, "requires (01), (03), or (8006)"}}},
		{name: "serial alone, check off", in: "(21)12345", opts: noreq, want: "(21)12345"},
		{name: "requisite after the AI", in: "(21)ABC123(01)12345678901231", want: "(21)ABC123(01)12345678901231"},
		{name: "content needs count", in: "(00)006141411234567890(02)09520123456788", want: "(00)006141411234567890(02)09520123456788",
			errs: []wantErr{{"02", 22, "requires (37)"}}},
		{name: "content and count", in: "(00)006141411234567890(02)09520123456788(37)25", want: "(00)006141411234567890(02)09520123456788(37)25"},
		{name: "two rules, one unmet", in: g + "(250)X", want: g + "(250)X", errs: []wantErr{{"250", 18, "requires (21)"}}},
		{name: "two rules met", in: g + "(21)S(250)X", want: g + "(21)S(250)X"},
		{name: "group alternative unmet", in: g + "(8030)AAAA", want: g + "(8030)AAAA", errs: []wantErr{{"8030", 18, "(01) with (21)"}}},
		{name: "group alternative met", in: g + "(21)S(8030)AAAA", want: g + "(21)S(8030)AAAA"},
		{name: "an AI does not satisfy itself", in: "(8011)123", want: "(8011)123", errs: []wantErr{{"8011", 0, "requires (8010)"}}},

		// Mutually exclusive AIs.
		{name: "GTIN and content", in: "(01)12345678901231(02)12345678901231", opts: noreq, want: "(01)12345678901231(02)12345678901231",
			errs: []wantErr{{"02", 18, "must not appear with (01)"}}},
		{name: "serial and TPX", in: "(21)ABC123(235)XYZ", opts: noreq, want: "(21)ABC123(235)XYZ",
			errs: []wantErr{{"235", 10, "must not appear with (21)"}}},
		{name: "two decimal positions of one measure", in: g + "(3103)000195(3102)001950", want: g + "(3103)000195(3102)001950",
			errs: []wantErr{{"3102", 30, "must not appear with (3103)"}}},
		{name: "pattern exclusion", in: "(3940)1234(3941)9999", opts: noreq, want: "(3940)1234(3941)9999",
			errs: []wantErr{{"3941", 10, "must not appear with (3940)"}}},
		{name: "an AI does not exclude itself", in: g + "(3103)000195(3103)000195", want: g + "(3103)000195(3103)000195"},

		// Duplicates.
		{name: "identical repeat allowed", in: g + "(10)ABC(10)ABC", want: g + "(10)ABC(10)ABC"},
		{name: "repeat with another value", in: g + "(10)ABC(10)XYZ", want: g + "(10)ABC(10)XYZ",
			errs: []wantErr{{"10", 25, `repeated with a different value: "ABC" then "XYZ"`}}},
		{name: "repeated key", in: "(01)09520123456788(01)12345678901231", want: "(01)09520123456788(01)12345678901231",
			errs: []wantErr{{"01", 18, "repeated with a different value"}}},

		// A signature needs a serialised key.
		{name: "signature over a GDTI without serial", in: "(253)9520123456788(8030)AAAA", want: "(253)9520123456788(8030)AAAA",
			errs: []wantErr{{"253", 0, "serial component"}}},
		{name: "signature over a GDTI with serial", in: "(253)9520123456788X1(8030)AAAA", want: "(253)9520123456788X1(8030)AAAA"},
	} {
		checkParse(t, ParseBracketed, c)
	}
}

func TestDataValidateLocatesErrorsInTheBracketedForm(t *testing.T) {
	d := Data{Elements: []Element{{"01", "09520123456788"}, {"10", "A(B~"}, {"17", "251301"}}}
	err := d.Validate(Options{})
	var es Errors
	if !errors.As(err, &es) || len(es) != 2 {
		t.Fatalf("Validate() = %v, want 2 errors", err)
	}
	// (01)09520123456788(10)A\(B~(17)251301: "~" at 26, the month at 33.
	if es[0].AI != "10" || es[0].Position != 26 || es[1].AI != "17" || es[1].Position != 33 {
		t.Errorf("Validate() = %v; want (10) at 26 and (17) at 33", es)
	}
	if err := (Data{Elements: []Element{{"23", "X"}}}).Validate(Options{}); err == nil {
		t.Error("Validate() of an unknown AI: want an error")
	}
	if err := (Data{Elements: []Element{{"01", "09520123456788"}, {"10", "A(B"}}}).Validate(Options{}); err != nil {
		t.Errorf("Validate() of valid data = %v", err)
	}
}

func TestDescribeRequisite(t *testing.T) {
	for _, c := range []struct {
		rule []string
		want string
	}{
		{[]string{"37"}, "(37)"},
		{[]string{"01", "02"}, "(01) or (02)"},
		{[]string{"01+21", "02", "35nn"}, "(01) with (21), (02), or (35nn)"},
	} {
		if got := describeRequisite(c.rule); got != c.want {
			t.Errorf("describeRequisite(%q) = %q, want %q", c.rule, got, c.want)
		}
	}
}
