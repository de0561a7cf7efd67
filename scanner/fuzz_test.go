package scanner

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The fuzz tests feed each parser arbitrary input. Properties: no panic; the result is
// either valid or a non-empty Errors whose positions lie in the input; and valid data
// re-formats to an equivalent input that parses, valid, to the same elements. Seeds are
// the inputs of ../shared/testdata/gs1/vectors.tsv when it is there, and a few of ours.

var fuzzSeeds = []string{
	"(01)09520123456788(10)ABC123(17)251231",
	`(01)09520123456788(10)AB\(C(21)x`,
	"(00)006141411234567890(02)09520123456788(37)25",
	"^010952012345678810ABC123^17251231",
	"0109520123456788\x1d10ABC",
	"]d2010952012345678810ABC123\x1d17251231",
	"]C10112312312312333235XYZ\x1d10ABC",
	"]E09520123456788",
	"]E402345673",
	"]Q1https://example.com/01/12312312312333?99=TEST",
	"https://id.gs1.org/01/09520123456788/10/ABC%2F1/21/12345?17=180426&99=a+b",
	"https://a/stem/414/9520123456788/254/X?linkType=all",
	"https://a/01/12312312312333/235/T?10=L",
}

// addSeeds adds our seeds and the vectors' inputs for which keep is true.
func addSeeds(f *testing.F, keep func(string) bool) {
	for _, s := range fuzzSeeds {
		if keep(s) {
			f.Add(s)
		}
	}
	p, ok := findSharedFile("testdata/gs1/vectors.tsv")
	if !ok {
		return
	}
	file, err := os.Open(p)
	if err != nil {
		f.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) > 2 {
			if in := strings.ReplaceAll(cols[2], "{GS}", "\x1d"); keep(in) {
				f.Add(in)
			}
		}
	}
}

// findSharedFile finds ../shared/rel above the working directory, like testenv.Shared
// but without skipping: seeds are a bonus, the fuzz test runs without them.
func findSharedFile(rel string) (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		p := filepath.Join(dir, "..", "shared", rel)
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// checkResult checks the error half of a parse result: nil, or Errors located in in.
func checkResult(t *testing.T, in string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var es Errors
	if !errors.As(err, &es) || len(es) == 0 {
		t.Fatalf("parse(%q) error %T %v, want a non-empty Errors", in, err, err)
	}
	for _, e := range es {
		if e.Position < 0 || e.Position > len(in) {
			t.Fatalf("parse(%q): error position %d outside the input: %v", in, e.Position, e)
		}
		if e.Message == "" {
			t.Fatalf("parse(%q): error without a message at %d", in, e.Position)
		}
	}
}

// reparse checks that out, written from data that parsed as valid, parses valid to
// the same elements.
func reparse(t *testing.T, what, out string, parse func(string, Options) (Data, error), want []Element) {
	t.Helper()
	d, err := parse(out, Options{})
	if err != nil {
		t.Fatalf("%s %q of valid data does not parse: %v", what, out, err)
	}
	if !slices.Equal(d.Elements, want) {
		t.Fatalf("%s %q parses to %v, want %v", what, out, d.Elements, want)
	}
}

// checkDigitalLinkRoundTrip checks that valid data with a primary key goes to a Digital
// Link URI that reads back as the same elements (identical repeats once).
func checkDigitalLinkRoundTrip(t *testing.T, d Data) {
	t.Helper()
	uri, err := d.DigitalLink("")
	if err != nil {
		return // no primary key, or an AI no Digital Link can carry
	}
	back, err := ParseDigitalLink(uri, Options{})
	if err != nil {
		t.Fatalf("DigitalLink %q of valid data %s does not parse: %v", uri, d.Bracketed(), err)
	}
	var want []Element
	for _, e := range d.Elements {
		if !slices.Contains(want, e) {
			want = append(want, e)
		}
	}
	got := slices.Clone(back.Elements)
	cmp := func(a, b Element) int { return strings.Compare(a.AI+"\x00"+a.Value, b.AI+"\x00"+b.Value) }
	slices.SortFunc(got, cmp)
	slices.SortFunc(want, cmp)
	if !slices.Equal(got, want) {
		t.Fatalf("DigitalLink %q of %s reads back as %s", uri, d.Bracketed(), back.Bracketed())
	}
}

func FuzzParseBracketed(f *testing.F) {
	addSeeds(f, func(s string) bool { return strings.HasPrefix(s, "(") })
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseBracketed(in, Options{})
		checkResult(t, in, err)
		if err != nil {
			return
		}
		reparse(t, "Bracketed", d.Bracketed(), ParseBracketed, d.Elements)
		reparse(t, "Unbracketed", d.Unbracketed(), ParseUnbracketed, d.Elements)
		checkDigitalLinkRoundTrip(t, d)
	})
}

func FuzzParseUnbracketed(f *testing.F) {
	addSeeds(f, func(s string) bool { return s != "" && (s[0] == '^' || s[0] == GS || isDigit(s[0])) })
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseUnbracketed(in, Options{})
		checkResult(t, in, err)
		if err != nil {
			return
		}
		reparse(t, "Unbracketed", d.Unbracketed(), ParseUnbracketed, d.Elements)
		reparse(t, "Unbracketed with ^", "^"+strings.ReplaceAll(d.Unbracketed(), "\x1d", "^"), ParseUnbracketed, d.Elements)
		reparse(t, "Bracketed", d.Bracketed(), ParseBracketed, d.Elements)
	})
}

func FuzzParseScanData(f *testing.F) {
	addSeeds(f, func(s string) bool { return strings.HasPrefix(s, "]") })
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseScanData(in, Options{})
		checkResult(t, in, err)
		if err != nil {
			return
		}
		out, err := d.ScanData(d.Symbology)
		if err != nil {
			t.Fatalf("ScanData(%s) of valid %q: %v", d.Symbology, in, err)
		}
		reparse(t, "ScanData", out, ParseScanData, d.Elements)
	})
}

func FuzzParseDigitalLink(f *testing.F) {
	addSeeds(f, func(s string) bool { return hasPrefixFold(s, "http") })
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseDigitalLink(in, Options{ZeroSuppressedGTIN: true})
		checkResult(t, in, err)
		if err != nil {
			return
		}
		uri, err := d.DigitalLink("https://example.com/any/stem/")
		if err != nil {
			t.Fatalf("DigitalLink of valid %q: %v", in, err)
		}
		reparse(t, "DigitalLink", uri, ParseDigitalLink, d.Elements)
		reparse(t, "Bracketed", d.Bracketed(), ParseBracketed, d.Elements)
	})
}

func FuzzParse(f *testing.F) {
	addSeeds(f, func(string) bool { return true })
	f.Fuzz(func(t *testing.T, in string) {
		d, err := Parse(in, Options{})
		checkResult(t, in, err)
		if err == nil {
			if verr := d.Validate(Options{}); verr != nil {
				t.Fatalf("Parse(%q) is valid but Validate says %v", in, verr)
			}
		}
	})
}
