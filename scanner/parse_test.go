package scanner

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// A parseCase is one input with what parsing must make of it: the bracketed form of
// the elements read and the problems found, each by AI, position in the input and a
// part of the message.
type parseCase struct {
	name string
	in   string
	opts Options
	want string    // Bracketed() of the result ("" for no elements)
	errs []wantErr // nil when the input is valid
}

type wantErr struct {
	ai  string
	pos int
	msg string // a substring of the message
}

func (w wantErr) String() string { return fmt.Sprintf("(%s)@%d %q", w.ai, w.pos, w.msg) }

// checkParse runs parse on c.in and compares the result with c.
func checkParse(t *testing.T, parse func(string, Options) (Data, error), c parseCase) {
	t.Helper()
	d, err := parse(c.in, c.opts)
	if got := d.Bracketed(); got != c.want {
		t.Errorf("%s: Bracketed() = %q, want %q", c.name, got, c.want)
	}
	if err == nil {
		if c.errs != nil {
			t.Errorf("%s: parse(%q) is valid, want errors %v", c.name, c.in, c.errs)
		}
		return
	}
	var es Errors
	if !errors.As(err, &es) || len(es) == 0 {
		t.Fatalf("%s: parse(%q) error %T %v, want a non-empty Errors", c.name, c.in, err, err)
	}
	if c.errs == nil {
		t.Errorf("%s: parse(%q) = %v, want valid", c.name, c.in, err)
		return
	}
	if len(es) != len(c.errs) {
		t.Errorf("%s: parse(%q) = %v, want %d errors %v", c.name, c.in, err, len(c.errs), c.errs)
		return
	}
	for i, w := range c.errs {
		e := es[i]
		if e.AI != w.ai || e.Position != w.pos || !strings.Contains(e.Message, w.msg) {
			t.Errorf("%s: parse(%q) error %d = (%s)@%d %q, want %v", c.name, c.in, i, e.AI, e.Position, e.Message, w)
		}
	}
}

func TestParseDispatchesOnTheInputForm(t *testing.T) {
	const want = "(01)09520123456788(10)ABC123(17)251231"
	for _, c := range []parseCase{
		{name: "bracketed", in: "(01)09520123456788(10)ABC123(17)251231", want: want},
		{name: "unbracketed ^", in: "^010952012345678810ABC123^17251231", want: want},
		{name: "unbracketed GS", in: "010952012345678810ABC123\x1d17251231", want: want},
		{name: "unbracketed leading GS", in: "\x1d010952012345678810ABC123\x1d17251231", want: want},
		{name: "scan data", in: "]d2010952012345678810ABC123\x1d17251231", want: want},
		{name: "Digital Link", in: "https://id.gs1.org/01/09520123456788/10/ABC123?17=251231", want: want},
		{name: "Digital Link http", in: "http://example.com/01/09520123456788/10/ABC123?17=251231", want: want},
		{name: "empty", in: "", errs: []wantErr{{"", 0, "empty input"}}},
		{name: "not GS1", in: "hello", errs: []wantErr{{"", 0, "not GS1 data"}}},
		{name: "mixed-case scheme", in: "HtTps://a/01/09520123456788", errs: []wantErr{{"", 0, "http:// or https://"}}},
	} {
		checkParse(t, Parse, c)
	}
}

func TestParseKeepsTheSymbology(t *testing.T) {
	d, err := Parse("]Q3011231231231233310ABC123", Options{})
	if err != nil || d.Symbology != "]Q3" {
		t.Errorf("Parse(]Q3...) = %+v, %v; want symbology ]Q3", d, err)
	}
	d, err = Parse("(01)12312312312333", Options{})
	if err != nil || d.Symbology != "" {
		t.Errorf("Parse((01)...) = %+v, %v; want no symbology", d, err)
	}
}

func TestErrorsAreInInputOrder(t *testing.T) {
	_, err := Parse("(01)09520123456789(17)251301(21)A~", Options{})
	var es Errors
	if !errors.As(err, &es) || len(es) != 3 {
		t.Fatalf("got %v, want 3 errors", err)
	}
	for i := 1; i < len(es); i++ {
		if es[i].Position < es[i-1].Position {
			t.Errorf("errors out of order: %v", es)
		}
	}
	if es[0].AI != "01" || es[1].AI != "17" || es[2].AI != "21" {
		t.Errorf("errors name AIs %s, %s, %s; want 01, 17, 21", es[0].AI, es[1].AI, es[2].AI)
	}
}

func TestLocOffsetMapsValueOffsetsToInput(t *testing.T) {
	for _, c := range []struct {
		l    loc
		n    int
		want int
	}{
		{loc{val: 4}, 3, 7},
		{loc{val: 4, raw: `a\(b`, enc: '\\'}, 2, 7},   // "a(b": b is after the backslash
		{loc{val: 10, raw: "A%2Fb", enc: '%'}, 2, 14}, // "A/b": b is after %2F
		{loc{val: 10, raw: "%zz", enc: '%'}, 1, 11},   // not an escape: one for one
		{loc{val: 3, pad: 1}, 0, 3},                   // the padding zero maps to the start
		{loc{val: 3, pad: 1}, 13, 15},
	} {
		if got := c.l.offset(c.n); got != c.want {
			t.Errorf("%+v.offset(%d) = %d, want %d", c.l, c.n, got, c.want)
		}
	}
}

func TestHostileInputIsBounded(t *testing.T) {
	for _, in := range []string{
		"^" + strings.Repeat("10A^", 3000),
		strings.Repeat("(10)A", 3000),
		"]d2" + strings.Repeat("10A\x1d", 3000),
		"https://a/01/09520123456788?" + strings.Repeat("99=A&", 3000),
		"https://a/01/09520123456788" + strings.Repeat("/10/A", 3000),
		"^" + strings.Repeat("^", 3000),
	} {
		d, err := Parse(in, Options{})
		var es Errors
		if !errors.As(err, &es) || len(es) > maxErrors+1 {
			t.Errorf("Parse(%.20q...) = %d errors (%v), want some and at most %d", in, len(es), err, maxErrors+1)
		}
		if len(d.Elements) > maxElements {
			t.Errorf("Parse(%.20q...) kept %d elements, want at most %d", in, len(d.Elements), maxElements)
		}
	}
	// 64 AIs are fine.
	in := "(01)09520123456788" + strings.Repeat("(99)X", maxElements-1)
	if d, err := Parse(in, Options{}); err != nil || len(d.Elements) != maxElements {
		t.Errorf("Parse(64 AIs) = %d elements, %v", len(d.Elements), err)
	}
}

func ExampleParse() {
	d, err := Parse("]d2010952012345678810ABC123\x1d17251231", Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	uri, _ := d.DigitalLink("")
	fmt.Println(d.Symbology, d.Bracketed())
	fmt.Println(uri)

	_, err = Parse("(01)09520123456789(17)251301", Options{})
	fmt.Println(err)
	// Output:
	// ]d2 (01)09520123456788(10)ABC123(17)251231
	// https://id.gs1.org/01/09520123456788/10/ABC123?17=251231
	// AI (01) at position 17: invalid check digit, want 8; AI (17) at position 24: month 13 out of range
}
