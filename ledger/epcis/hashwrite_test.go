package epcis

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"traceledger/scanner"
)

// The fast paths of the hash (hashwrite.go, plainDL, the hand-written number and time
// readers) must give exactly what the general algorithm and the regular expressions it
// was first written with give. These tests hold them to it.

// checkPreHashWriter compares the direct writer with the general algorithm on e.
func checkPreHashWriter(t testing.TB, name string, e *Event) (fast bool) {
	t.Helper()
	if !e.fastPreHash() {
		return false
	}
	w := getPreHasher(e.Namespaces)
	w.write(e)
	got := string(w.b)
	w.release()
	if want := e.treePreHash(); got != want {
		t.Errorf("%s: the pre-hash writer and the general algorithm differ:\nwriter %s\ntree   %s", name, got, want)
	}
	return true
}

// nestedExtensionEvent has nested extension values of every shape the pre-hash
// writer writes itself (hashext.go) and of those it leaves to the general path.
const nestedExtensionEvent = `{"@context":[{"ex":"https://ex.example/","rdfs":"http://www.w3.org/2000/01/rdf-schema#"}],` +
	`"type":"ObjectEvent","eventTime":"2020-01-01T00:00:00Z","action":"ADD","epcList":["https://id.gs1.org/01/09520123456788/21/1"],` +
	`"ilmd":{"ex:report":{"ex:lab":"ex:lab1","ex:n":2,"rdfs:comment":"x","comment":"y","ex:items":[{"ex:v":3.10,"ex:ok":true,"ex:z":null},` +
	`{"ex:v":" 0150.50 ","ex:w":"  "},"ex:bare",7,{}],"ex:empty":[],"ex:obj":{},"ex:b":{"ex:source":"s","ex:destination":"d"},` +
	`"http://ex.example/abs":"urn:epcglobal:cbv:bizstep:shipping","ex:id":"urn:epc:id:sgtin:0614141.107346.2017"}},` +
	`"ex:top":[{"ex:a":"2"},{"ex:a":"1"},"ex:c"],"ex:deep":{"ex:a":{"ex:b":{"ex:c":[{"ex:d":"e"}]}}},` +
	`"ex:nestedArray":[[1,2],[3]],"ex:typed":{"type":"ex:T","ex:v":1},"ex:text":{"#text":"t","ex:v":1},"ex:grouped":{"ex:aList":[1]}}`

func TestPreHashWriterMatchesTree(t *testing.T) {
	local := map[string]string{"lotEvent": lotEvent, "referenceEvent": referenceEvent,
		"extension strings": `{"@context":[{"ex":"https://ex.example/"}],"type":"ObjectEvent","eventTime":"2020-01-01T00:00:00Z",` +
			`"action":"ADD","epcList":["https://id.gs1.org/01/09520123456788/21/1"],` +
			`"ilmd":{"ex:a":" 0150.50 ","ex:b":"  ","ex:c":"+1e2","ex:d":" é x ","ex:e":"ex:f","ex:g":"2026-01-07","ex:h":"","ex:i":"<&>"},` +
			`"ex:j":"-0.0","ex:k":" urn:epcglobal:cbv:bizstep:shipping","ex:l":"1e400"}`}
	local["nested extensions"] = nestedExtensionEvent
	for _, be := range benchEvents {
		local[be.name] = benchEvent(be.tmpl, 3)
	}
	for name, doc := range local {
		e := mustEvent(t, doc)
		if !checkPreHashWriter(t, name, e) {
			t.Errorf("%s does not take the pre-hash writer", name)
		}
		// Its stored form too, as verify hashes it.
		stored, err := e.CanonicalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !checkPreHashWriter(t, name+" stored", mustEvent(t, string(stored))) {
			t.Errorf("%s stored does not take the pre-hash writer", name)
		}
	}
}

// TestPreHashWriterMatchesTreeOnSharedEvents runs the comparison over every JSON-LD
// event of the official vectors and the valid capture documents, as read and as
// stored.
func TestPreHashWriterMatchesTreeOnSharedEvents(t *testing.T) {
	fast, all := 0, 0
	for name, e := range sharedEvents(t) {
		all++
		if checkPreHashWriter(t, name, e) {
			fast++
		}
		c := *e
		if c.Normalize() == nil {
			checkPreHashWriter(t, name+" normalized", &c)
		}
	}
	t.Logf("%d of %d events take the pre-hash writer", fast, all)
}

// FuzzPreHashWriter: for any document, the writer and the general algorithm agree.
func FuzzPreHashWriter(f *testing.F) {
	for _, be := range benchEvents {
		f.Add([]byte(benchEvent(be.tmpl, 1)))
	}
	f.Add([]byte(lotEvent))
	f.Add([]byte(referenceEvent))
	f.Add([]byte(nestedExtensionEvent))
	f.Add([]byte(`{"@context":[{"ex":"https://ex.example/"}],"type":"ObjectEvent","eventTime":" 2020-01-01T00:00:00,5+0100",` +
		`"epcList":[" ","https://id.gs1.org/01/09520123456788/21/A_1","urn:epc:id:sgtin:0614141.011111.987"],` +
		`"quantityList":[{"epcClass":"https://id.gs1.org/01/09520123456789/10/x","quantity":1.50},{"quantity":0}],` +
		`"bizTransactionList":[{"type":"po","bizTransaction":" "},{"bizTransaction":"urn:epcglobal:cbv:bt:1:2"}],` +
		`"sourceList":[{"type":"urn:epcglobal:cbv:sdt:location","source":"ex:here"}],"persistentDisposition":{"set":[],"unset":["recalled"]},` +
		`"ilmd":{"ex:a":[1,"2",{"ex:b":true}],"ex:c":null,"ex:d":{"ex:eList":[{"ex:f":"g"}]}},"ex:h":" x ","ex:i":["ex:j"]}`))
	seedFiles(f, "*.jsonld")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseDocument(data)
		if err != nil {
			return
		}
		for i, e := range doc.Events {
			checkPreHashWriter(t, fmt.Sprint("event ", i), e)
			c := *e
			if c.Normalize() == nil {
				checkPreHashWriter(t, fmt.Sprint("normalized event ", i), &c)
			}
		}
	})
}

// The regular expressions the number and time readers were first written with.
var (
	decimalPattern  = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)
	hashTimePattern = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)$`)
	jsonNumberRE    = regexp.MustCompile(`^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$`)
	offsetPattern   = regexp.MustCompile(`^[+-](0\d|1[0-4]):[0-5]\d$`)
	uomPattern      = regexp.MustCompile(`^[0-9A-Z]{2,3}$`)
)

// patternHashNumber is hashNumber as first written.
func patternHashNumber(s string) string {
	t := strings.TrimSpace(s)
	if t == "" || !(t[0] >= '0' && t[0] <= '9' || t[0] == '+' || t[0] == '-' || t[0] == '.') || !decimalPattern.MatchString(t) {
		return s
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return s
	}
	if f == math.Trunc(f) {
		i, _ := big.NewFloat(f).Int(nil)
		return i.String()
	}
	if a := math.Abs(f); a >= 1e-4 && a < 1e16 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'e', -1, 64)
}

// patternTimestamp is parseTimestamp as first written.
func patternTimestamp(s string) (time.Time, bool) {
	m := hashTimePattern.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	frac := m[7]
	if len(frac) > 6 {
		frac = frac[:6]
	}
	ns := 0
	if frac != "" {
		ns = atoi((frac + "000000")[:6]) * 1000
	}
	loc := time.UTC
	if z := m[8]; z != "Z" && z != "z" {
		digits := strings.ReplaceAll(z[1:], ":", "")
		off := atoi(digits[:2]) * 3600
		if len(digits) == 4 {
			off += atoi(digits[2:]) * 60
		}
		if z[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	mo, d, h, mi, sec := atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5]), atoi(m[6])
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(atoi(m[1]), time.Month(mo), d, h, mi, sec, ns, loc)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

func checkTextReaders(t testing.TB, s string) {
	t.Helper()
	if got, want := hashNumber(s), patternHashNumber(s); got != want {
		t.Errorf("hashNumber(%q) = %q, the pattern gives %q", s, got, want)
	}
	if got, want := cbvURNToWeb(s), cbvURNReplacer.Replace(s); got != want {
		t.Errorf("cbvURNToWeb(%q) = %q, the replacer gives %q", s, got, want)
	}
	if got, want := isDecimal(s), decimalPattern.MatchString(s); got != want {
		t.Errorf("isDecimal(%q) = %v, the pattern gives %v", s, got, want)
	}
	if got, want := isJSONNumber(s), jsonNumberRE.MatchString(s); got != want {
		t.Errorf("isJSONNumber(%q) = %v, the pattern gives %v", s, got, want)
	}
	if got, want := isOffset(s), offsetPattern.MatchString(s); got != want {
		t.Errorf("isOffset(%q) = %v, the pattern gives %v", s, got, want)
	}
	if got, want := isUOM(s), uomPattern.MatchString(s); got != want {
		t.Errorf("isUOM(%q) = %v, the pattern gives %v", s, got, want)
	}
	got, ok := parseTimestamp(s)
	want, wok := patternTimestamp(s)
	if ok != wok || ok && !got.Equal(want) {
		t.Errorf("parseTimestamp(%q) = %v, %v; the pattern gives %v, %v", s, got, ok, want, wok)
	}
	if wok {
		if got, want := hashTime(s), layoutHashTime(want); got != want {
			t.Errorf("hashTime(%q) = %q, the layout gives %q", s, got, want)
		}
	}
}

// layoutHashTime is hashTime of a timestamp as first written: rounded to the
// millisecond half to even, written with time's layout.
func layoutHashTime(t time.Time) string {
	t = t.UTC()
	us := t.Nanosecond() / 1000
	ms := us / 1000
	if r := us % 1000; r > 500 || (r == 500 && ms%2 == 1) {
		ms++
	}
	t = t.Truncate(time.Second).Add(time.Duration(ms) * time.Millisecond)
	return t.Format("2006-01-02T15:04:05.000Z")
}

var textReaderCases = []string{
	"", "0", "00", "000150", "150", "150.0", "+150", "-0", "-0.0", "0150.50", "1e2", "1E+2", "1e", "1.", ".5", ".",
	"+", "-", "0.00001", "12.1", "abc", "0x10", "2019-10-21", " 42 ", "9007199254740993", "123456789012345",
	"1234567890123456", "99999999999999999999", "1e400", "-1e400", "1.5e-7", "١٢",
	"2020-03-04T11:00:30+01:00", "2020-03-04T10:00:30.1234567Z", "2023-02-02T11:04:03.1415Z",
	"2020-03-04t10:00Z", "2020-03-04 10:00:30,5 \t+0130", "2020-03-04T10:00:30.+01:00", "2020-03-04T10:00:30.Z",
	"2020-02-30T10:00:00Z", "2020-13-01T00:00:00Z", "2020-01-01T24:00:00Z", "2020-01-01T00:60:00Z",
	"2020-01-01T00:00:60Z", "2020-01-01T00:00:00+1", "2020-01-01T00:00:00+01:0", "2020-01-01T00:00:00+0100x",
	"2020-01-01T00:00:00-14:00", "2020-01-01T00:00:00+99:99", "0000-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
	"2020-01-01T00:00", "2020-01-01T00:00:00", "2020-01-01T00:00:00 Z", "2020-01-01T00:00:00\vZ",
	"2020-01-01T00:00:0Z", "2020-01-01T00:00:00.000000000001Z", "2020-12-31T23:59:59.9996Z", "0999-01-01T00:00:00Z",
	"0000-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "2024-02-29T23:00:00-01:00", "2020-01-01T00:00:00.0005Z",
	"urn:epcglobal:cbv:bizstep:shipping", " urn:epcglobal:cbv:disp:active", "urn:epcglobal:cbv:bt:1:2",
	"urn:epcglobal:cbv:bt:urn:epcglobal:cbv:sdt:x", "urn:epcglobal:cbv:urn:epcglobal:cbv:er:y", "xurn:epcglobal:cbv:btt:po",
	"urn:epcglobal:cbv:", "urn:epcglobal:cbv:btt", "urn:epcglobal:cbv:mda:lotNumber urn:epcglobal:cbv:disp:a",
	"+08:00", "-14:59", "+15:00", "+1:00", "08:00", "+08:60", "+08:0a", "KGM", "KG", "K", "KGMS", "kgm", "4H", "+08:00\n",
	"1969-12-31T23:59:59.9995Z", "1970-01-01T00:00:00+00:01", "1900-02-29T00:00:00Z", "2000-02-29T12:00:00+13:00",
	"0000-02-29T00:00:00Z", "0001-01-01T00:00:00+00:01", "1600-03-01T00:00:00+14:00", "2100-02-28T23:59:59.9999-00:01",
	"2026-01-05T12:00:00+08:00", "2026-04-31T00:00:00Z", "2026-06-30T23:59:59.999500Z",
	"3.66", "-3.66", "0.5", "-0.5", "0.0001", "0.00009", "0.00012", "12.50", "012.5", "1.", "-.5", "+3.5", " 2.9 ",
	"123456789012.345", "1234567890123.456", "0.123456789012345", "0.1234567890123456", "9999999999999.99",
	"99999999999999.9", "999999999999999.9", "0.000100", "100000.000001", "1.0", "-0.0", "13.9\n",
}

// TestCivilDaysMatchesTime holds the day arithmetic of appendHashTime to package
// time over every day of years 0 to 9999 and a little beyond.
func TestCivilDaysMatchesTime(t *testing.T) {
	for d := time.Date(-2, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 10002; d = d.AddDate(0, 0, 1) {
		want := d.Unix() / 86400
		if got := civilDays(d.Year(), int(d.Month()), d.Day()); got != want {
			t.Fatalf("civilDays(%v) = %d, want %d", d, got, want)
		}
		if y, m, dd := civilDate(want); y != d.Year() || m != int(d.Month()) || dd != d.Day() {
			t.Fatalf("civilDate(%d) = %d-%d-%d, want %v", want, y, m, dd, d)
		}
	}
}

func TestTextReadersMatchPatterns(t *testing.T) {
	for _, s := range textReaderCases {
		checkTextReaders(t, s)
	}
}

func FuzzTextReaders(f *testing.F) {
	for _, s := range textReaderCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkTextReaders(t, s) })
}

// checkPlainDL holds the plain Digital Link shortcut to package scanner: the canonical
// form, the validity and the hash form must be what parsing gives.
func checkPlainDL(t testing.TB, s string) {
	t.Helper()
	gotDL, gotOK, gotErr := CanonicalID(s)
	wantDL, wantOK, wantErr := parseCanonicalID(s)
	if gotDL != wantDL || gotOK != wantOK || (gotErr == nil) != (wantErr == nil) {
		t.Errorf("CanonicalID(%q) = %q, %v, %v; scanner gives %q, %v, %v", s, gotDL, gotOK, gotErr, wantDL, wantOK, wantErr)
	}
	if key, qual, ok := plainDL(s); ok {
		_, err := scanner.ParseDigitalLink(s, scanner.Options{})
		if validDL(key, qual) != (err == nil) {
			t.Errorf("validDL(%q) = %v, scanner says %v", s, validDL(key, qual), err)
		}
	}
	if s != "" {
		v := &validator{event: -1}
		checkID(v, "id", s)
		if idProblem(s) != (len(v.errs) > 0) {
			t.Errorf("idProblem(%q) = %v, checkID says %v", s, idProblem(s), v.errs)
		}
	}
	hashForm := func(f func(string) (string, bool)) string {
		if dl, ok := f(s); ok {
			return dl
		}
		return s
	}
	if got, want := hashForm(hashIdentifier), hashForm(parseHashIdentifier); got != want {
		t.Errorf("hashIdentifier(%q) = %q, scanner gives %q", s, got, want)
	}
}

func TestPlainDLAgreesWithScanner(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	digits := func(n int) string { return randDigits(r, n) }
	const valueChars = "AZaz09-._~%/!*+ :'\"?#é"
	val := func() string {
		b := make([]byte, r.IntN(23))
		for i := range b {
			if r.IntN(4) == 0 {
				b[i] = valueChars[r.IntN(len(valueChars))]
			} else {
				b[i] = byte('A' + r.IntN(26))
			}
		}
		return string(b)
	}
	// withCheck returns n digits ending in a valid check digit most of the time.
	withCheck := func(n int) string {
		d := digits(n - 1)
		if r.IntN(5) == 0 {
			return d + digits(1)
		}
		return d + string(scanner.CheckDigit(d))
	}
	cases := []string{
		"https://id.gs1.org/01/09520123456788", "https://id.gs1.org/01/09520123456788/10/ABC",
		"https://id.gs1.org/01/09520123456788/21/1", "https://id.gs1.org/01/09520123456788/22/1",
		"https://id.gs1.org/01/09520123456788/10/", "https://id.gs1.org/01/09520123456788/",
		"https://id.gs1.org/01/09520123456788/10/A/21/B", "https://id.gs1.org/01/9520123456788",
		"https://id.gs1.org/00/106141411234567897", "https://id.gs1.org/414/9520123456788/254/32a",
		"https://id.gs1.org/414/9520123456788/10/32a", "https://id.gs1.org/417/9520123456788",
		"https://id.gs1.org/417/9520123456788/254/1", "https://id.gs1.org/01/09520123456788/10/ABCDEFGHIJKLMNOPQRSTU",
		"https://id.gs1.org/01/09520123456788/10/lot", "https://id.gs1.org/01/09520123456788?17=201225",
		"https://id.gs1.org/01/00000000000000/21/0", "https://id.gs1.org/00/000000000000000000",
	}
	for range 3000 {
		switch r.IntN(4) {
		case 0:
			cases = append(cases, "https://id.gs1.org/01/"+withCheck(14)+[]string{"", "/10/", "/21/", "/22/"}[r.IntN(4)]+val())
		case 1:
			cases = append(cases, "https://id.gs1.org/414/"+withCheck(13)+[]string{"", "/254/"}[r.IntN(2)]+val())
		case 2:
			cases = append(cases, "https://id.gs1.org/00/"+withCheck(18))
		default:
			cases = append(cases, "https://id.gs1.org/417/"+withCheck(13+r.IntN(2)-r.IntN(2)))
		}
	}
	for _, s := range cases {
		checkPlainDL(t, s)
	}
}

func FuzzPlainDL(f *testing.F) {
	f.Add("https://id.gs1.org/01/09520123456788/10/ABC")
	f.Add("https://id.gs1.org/414/9520123456788/254/32a")
	f.Add("https://id.gs1.org/00/106141411234567897")
	f.Add("https://id.gs1.org/417/9520123456788")
	f.Add("urn:epc:id:sgtin:0614141.011111.987")
	f.Add("https://example.com/01/09520123456788")
	f.Add("not a uri")
	f.Fuzz(func(t *testing.T, s string) { checkPlainDL(t, s) })
}

// TestHashNumberFractions holds hashNumber's shortcut for plain fractions to the
// pattern and float formatting, on fractions of every length of integer part and
// fraction up to 17 digits, with and without leading and trailing zeros.
func TestHashNumberFractions(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	digits := func(n int) string { return randDigits(r, n) }
	for range 200000 {
		s := digits(r.IntN(17)) + "." + digits(1+r.IntN(17))
		if r.IntN(3) == 0 {
			s = "-" + s
		}
		if got, want := hashNumber(s), patternHashNumber(s); got != want {
			t.Fatalf("hashNumber(%q) = %q, the pattern gives %q", s, got, want)
		}
	}
}

// randDigits returns n random decimal digits from r.
func randDigits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}
