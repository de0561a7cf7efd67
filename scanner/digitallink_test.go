package scanner

import (
	"errors"
	"testing"
)

func TestParseDigitalLinkStemsAndSyntax(t *testing.T) {
	const sscc = "(00)006141411234567890"
	for _, c := range []parseCase{
		{name: "canonical", in: "https://id.gs1.org/00/006141411234567890", want: sscc},
		{name: "upper-case scheme", in: "HTTPS://a/00/006141411234567890", want: sscc},
		{name: "http", in: "http://a/00/006141411234567890", want: sscc},
		{name: "stem with a path", in: "https://a/more/stem/00/006141411234567890", want: sscc},
		{name: "fake AI in the stem", in: "https://a/00/faux/00/006141411234567890", want: sscc},
		{name: "port and IPv6", in: "https://[2001:db8::1]:8443/00/006141411234567890", want: sscc},
		{name: "fragment ignored", in: "https://a/00/006141411234567890#x/01/1", want: sscc},
		{name: "mixed-case scheme", in: "HtTp://a/00/006141411234567890", errs: []wantErr{{"", 0, "http:// or https://"}}},
		{name: "other scheme", in: "ftp://a/00/006141411234567890", errs: []wantErr{{"", 0, "http:// or https://"}}},
		{name: "no domain", in: "https:///00/006141411234567890", errs: []wantErr{{"", 8, "missing domain"}}},
		{name: "no path", in: "https://a", errs: []wantErr{{"", 9, "no path"}}},
		{name: "bad domain character", in: "https://a$b/00/006141411234567890", errs: []wantErr{{"", 9, "not allowed in a domain"}}},
		{name: "space", in: "https://a/01/0952012345678 8", errs: []wantErr{{"", 26, "not allowed in a URI"}}},
		{name: "no primary key", in: "https://a/b/c", errs: []wantErr{{"", 9, "no GS1 Digital Link primary key"}}},
		{name: "trailing slash", in: "https://a/stem/00/006141411234567890/", errs: []wantErr{{"", 9, "ends with /"}}},
		{name: "empty path value", in: "https://a/01//10/ABC", want: "(10)ABC", errs: []wantErr{{"01", 13, "empty value in the path"}}},
	} {
		checkParse(t, ParseDigitalLink, c)
	}
}

func TestParseDigitalLinkPathOrder(t *testing.T) {
	for _, c := range []parseCase{
		{name: "all qualifiers in order", in: "https://a/01/12312312312333/22/V1/10/L1/21/S1", want: "(01)12312312312333(22)V1(10)L1(21)S1"},
		{name: "qualifiers may be skipped", in: "https://a/01/12312312312333/22/V1/21/S1", want: "(01)12312312312333(22)V1(21)S1"},
		{name: "second sequence", in: "https://a/01/12312312312333/235/TPX", want: "(01)12312312312333(235)TPX"},
		{name: "GLN with extension", in: "https://a/414/9520123456788/254/EXT1", want: "(414)9520123456788(254)EXT1"},
		{name: "CPID with serial", in: "https://a/8010/9520123ABC/8011/123", want: "(8010)9520123ABC(8011)123"},
		{name: "bad order", in: "https://a/01/12312312312333/21/S1/10/L1", want: "(01)12312312312333(21)S1(10)L1",
			errs: []wantErr{{"21", 28, "out of order"}}},
		{name: "sequences mixed", in: "https://a/01/12312312312333/10/L1/235/TPX", want: "(01)12312312312333(10)L1(235)TPX",
			errs: []wantErr{{"10", 28, "out of order"}}},
		{name: "not a qualifier", in: "https://a/01/12312312312333/17/251231", want: "(01)12312312312333(17)251231",
			errs: []wantErr{{"17", 28, "not a key qualifier of (01)"}}},
		{name: "SSCC takes no qualifier", in: "https://a/00/006141411234567890/10/L1", want: "(00)006141411234567890(10)L1",
			errs: []wantErr{{"10", 32, "not a key qualifier of (00)"}, {"10", 32, "requires"}}},
		{name: "repeated qualifier", in: "https://a/01/12312312312333/10/L1/10/L1", want: "(01)12312312312333(10)L1(10)L1",
			errs: []wantErr{{"10", 28, "out of order"}}},
	} {
		checkParse(t, ParseDigitalLink, c)
	}
}

func TestParseDigitalLinkQuery(t *testing.T) {
	for _, c := range []parseCase{
		{name: "attributes in input order", in: "https://a/01/12312312312333?3103=000195&17=201225", want: "(01)12312312312333(3103)000195(17)201225"},
		{name: "other parameters ignored", in: "https://a/01/12312312312333?linkType=gs1:pip&99=X&context=a%2Fb", want: "(01)12312312312333(99)X"},
		{name: "singletons and empty parameters ignored", in: "https://a/01/12312312312333?foo&&99=X&", want: "(01)12312312312333(99)X"},
		{name: "percent-decoding", in: "https://a/01/12312312312333/10/A%2FB%2b?99=%28x%29", want: `(01)12312312312333(10)A/B+(99)\(x)`},
		{name: "+ in the path is a plus", in: "https://a/01/12312312312333/10/A+B", want: "(01)12312312312333(10)A+B"},
		{name: "+ in the query is a space", in: "https://a/01/12312312312333?99=A+B", want: "(01)12312312312333(99)A B",
			errs: []wantErr{{"99", 32, "' ' not in CSET 82"}}},
		{name: "not an escape stays", in: "https://a/01/12312312312333/10/A%zz", want: "(01)12312312312333(10)A%zz"},
		{name: "error located in the encoded value", in: "https://a/01/12312312312333/10/%41%42~", want: "(01)12312312312333(10)AB~",
			errs: []wantErr{{"10", 37, "'~' not in CSET 82"}}},
		{name: "NUL", in: "https://a/01/12312312312333/10/A%00", want: "(01)12312312312333", errs: []wantErr{{"10", 31, "NUL"}}},
		{name: "qualifier in the query", in: "https://a/01/12312312312333?10=L1", want: "(01)12312312312333(10)L1",
			errs: []wantErr{{"10", 28, "belongs in the path"}}},
		{name: "qualifier before one in the path", in: "https://a/01/12312312312333/21/S1?10=L1", want: "(01)12312312312333(21)S1(10)L1",
			errs: []wantErr{{"10", 34, "belongs in the path"}}},
		{name: "(10) is an attribute of an SSCC", in: "https://a/00/006141411234567890?02=09520123456788&37=25&10=L1",
			want: "(00)006141411234567890(02)09520123456788(37)25(10)L1"},
		{name: "not a data attribute", in: "https://a/414/9520123456788?254=X", want: "(414)9520123456788(254)X",
			errs: []wantErr{{"254", 28, "not a GS1 Digital Link data attribute"}}},
		{name: "unknown numeric parameter", in: "https://a/01/12312312312333?9999=1", want: "(01)12312312312333",
			errs: []wantErr{{"9999", 28, "unknown AI (9999)"}}},
		{name: "empty attribute", in: "https://a/01/12312312312333?17=", want: "(01)12312312312333",
			errs: []wantErr{{"17", 31, "empty value in the query"}}},
		{name: "repeat of a path AI", in: "https://a/01/12312312312333/10/L1?99=X&10=L1", want: "(01)12312312312333(10)L1(99)X(10)L1",
			errs: []wantErr{{"10", 39, "given twice"}}},
		{name: "repeat in the query with another value", in: "https://a/01/12312312312333?99=X&99=Y", want: "(01)12312312312333(99)X(99)Y",
			errs: []wantErr{{"99", 33, "repeated with a different value"}}},
		{name: "zero-suppressed GTIN in the query is padded", in: "https://a/00/006141411234567890?02=9520123456788&37=1", want: "(00)006141411234567890(02)9520123456788(37)1",
			errs: []wantErr{{"02", 48, "too short"}}},
	} {
		checkParse(t, ParseDigitalLink, c)
	}
}

func TestParseDigitalLinkZeroSuppressedGTIN(t *testing.T) {
	zs := Options{ZeroSuppressedGTIN: true}
	for _, c := range []parseCase{
		{name: "GTIN-13 refused", in: "https://a/01/2112345678900", want: "(01)2112345678900", errs: []wantErr{{"01", 13, "GTIN-13"}}},
		{name: "GTIN-12 refused", in: "https://a/01/416000336108", want: "(01)416000336108", errs: []wantErr{{"01", 13, "GTIN-12"}}},
		{name: "GTIN-8 refused", in: "https://a/01/02345673", want: "(01)02345673", errs: []wantErr{{"01", 13, "GTIN-8"}}},
		{name: "GTIN-13 padded", in: "https://a/01/2112345678900", opts: zs, want: "(01)02112345678900"},
		{name: "GTIN-12 padded", in: "https://a/01/416000336108", opts: zs, want: "(01)00416000336108"},
		{name: "GTIN-8 padded", in: "https://a/01/02345673", opts: zs, want: "(01)00000002345673"},
		{name: "padded GTIN check digit located", in: "https://a/01/02345674", opts: zs, want: "(01)00000002345674",
			errs: []wantErr{{"01", 20, "check digit"}}},
		{name: "GTIN-11 is just short", in: "https://a/01/12345678901", opts: zs, want: "(01)12345678901",
			errs: []wantErr{{"01", 24, "too short"}}},
	} {
		checkParse(t, ParseDigitalLink, c)
	}
}

func TestDigitalLinkFormat(t *testing.T) {
	el := func(kv ...string) Data {
		var d Data
		for i := 0; i < len(kv); i += 2 {
			d.Elements = append(d.Elements, Element{kv[i], kv[i+1]})
		}
		return d
	}
	for _, c := range []struct {
		name string
		d    Data
		stem string
		want string
	}{
		{"key only", el("01", "09520123456788"), "", "https://id.gs1.org/01/09520123456788"},
		{"qualifiers in fixed order", el("21", "S", "17", "251231", "01", "09520123456788", "10", "L", "22", "V"), "",
			"https://id.gs1.org/01/09520123456788/22/V/10/L/21/S?17=251231"},
		{"the sequence with most qualifiers", el("01", "09520123456788", "235", "T"), "", "https://id.gs1.org/01/09520123456788/235/T"},
		{"custom stem, trailing slash dropped", el("414", "9520123456788", "254", "A"), "https://example.com/r/", "https://example.com/r/414/9520123456788/254/A"},
		{"query in input order", el("01", "09520123456788", "3922", "0299", "17", "201225", "3103", "000195"), "",
			"https://id.gs1.org/01/09520123456788?3922=0299&17=201225&3103=000195"},
		{"percent-encoding", el("01", "09520123456788", "10", "A/B+C(D) %", "99", "x y&z=1~._-"), "",
			"https://id.gs1.org/01/09520123456788/10/A%2FB%2BC%28D%29%20%25?99=x+y%26z%3D1~._-"},
		{"identical repeat collapsed", el("01", "09520123456788", "10", "L", "10", "L", "99", "X", "99", "X"), "",
			"https://id.gs1.org/01/09520123456788/10/L?99=X"},
		{"the sequence that leaves only attributes", el("01", "12312312312333", "10", "ABC", "235", "XYZ"), "",
			"https://id.gs1.org/01/12312312312333/235/XYZ?10=ABC"},
		{"first primary key wins", el("00", "006141411234567890", "01", "09520123456788"), "",
			"https://id.gs1.org/00/006141411234567890?01=09520123456788"},
	} {
		got, err := c.d.DigitalLink(c.stem)
		if err != nil || got != c.want {
			t.Errorf("%s: DigitalLink(%q) = %q, %v; want %q", c.name, c.stem, got, err, c.want)
		}
	}

	for _, c := range []struct {
		name string
		d    Data
	}{
		{"no primary key", el("10", "L")},
		{"not an attribute", el("01", "12312312312333", "22", "V", "235", "XYZ")},
		{"not an attribute nor a qualifier", el("414", "9520123456788", "22", "V")},
		{"two values", el("01", "09520123456788", "99", "X", "99", "Y")},
		{"unknown AI", el("01", "09520123456788", "23", "X")},
	} {
		if got, err := c.d.DigitalLink(""); err == nil {
			t.Errorf("%s: DigitalLink() = %q, want an error", c.name, got)
		}
	}
	if _, err := el("10", "L").DigitalLink(""); !errors.Is(err, ErrNoPrimaryKey) {
		t.Errorf("no primary key: error %v, want ErrNoPrimaryKey", err)
	}
}

func TestDigitalLinkRoundTrip(t *testing.T) {
	for _, in := range []string{
		"(01)09520123456788(10)AB/C+D(21)x%y(17)251231(99)a b",
		"(00)006141411234567890(02)09520123456788(37)25(10)ABC",
		"(8010)9520123#-/X(8011)123",
		`(01)09520123456788(10)\((99)&=?#`,
	} {
		// Values need not be valid for formatting: (99) "a b" has a space.
		d, _ := ParseBracketed(in, Options{})
		uri, err := d.DigitalLink("https://example.com/stem")
		if err != nil {
			t.Fatalf("%s: DigitalLink: %v", in, err)
		}
		back, _ := ParseDigitalLink(uri, Options{})
		again, err := back.DigitalLink("https://example.com/stem")
		if err != nil || again != uri {
			t.Errorf("%s: %s reads back as %s (%v)", in, uri, again, err)
		}
	}
}

func TestPrimaryKey(t *testing.T) {
	d := Data{Elements: []Element{{"10", "L"}, {"414", "9520123456788"}, {"01", "09520123456788"}}}
	if e, ok := d.PrimaryKey(); !ok || e.AI != "414" {
		t.Errorf("PrimaryKey() = %v, %v; want (414)", e, ok)
	}
	if _, ok := (Data{Elements: []Element{{"10", "L"}}}).PrimaryKey(); ok {
		t.Error("PrimaryKey() of (10) alone: want none")
	}
}
