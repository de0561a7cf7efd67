package epcis

import (
	"strings"

	"traceledger/scanner"
)

// Identifiers in events are EPC URIs (urn:epc:id:…, urn:epc:class:lgtin:…,
// urn:epc:idpat:…) or GS1 Digital Link URIs on any stem; both are parsed by package
// scanner. Their canonical form, for storage and indexes, is the Digital Link URI on
// https://id.gs1.org. Anything else (a URI of another scheme, e.g. "geo:…" or a
// business transaction URL) is not a GS1 identifier and stays as written.

// isGS1Candidate reports whether s is written as a GS1 identifier: an EPC URI or an
// http(s) URI whose path carries at least one "/digits/" step.
func isGS1Candidate(s string) bool {
	if scanner.IsEPCURN(s) {
		return true
	}
	if !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
		return false
	}
	rest := s[strings.Index(s, "//")+2:]
	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		return false
	}
	path := rest[slash:]
	if q := strings.IndexAny(path, "?#"); q >= 0 {
		path = path[:q]
	}
	for path != "" {
		seg := path
		if i := strings.IndexByte(path, '/'); i >= 0 {
			seg, path = path[:i], path[i+1:]
		} else {
			path = ""
		}
		if len(seg) >= 2 && len(seg) <= 4 && allDigits(seg) || shortNameSet[seg] {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Most identifiers the ledger sees are already canonical: every stored event's are,
// and so are those of any capturer that writes what it was given back. plainDL
// recognises the plain shapes of those — a GTIN (with a lot or a serial), an SSCC, a
// GLN (with an extension) or a party GLN on https://id.gs1.org, with values of
// letters, digits, "-", "." and "_" only — without going through package scanner.
// Their canonical form (CanonicalID) and their hash form (hashIdentifier) are the text
// itself whether or not scanner accepts them: both re-emit the path as parsed, and
// those characters are escaped by neither. validDL says whether scanner accepts one.

// plainDLKeys are the primary keys plainDL knows: the key's digit count and the one key
// qualifier that may follow it.
var plainDLKeys = [...]struct {
	ai     string
	digits int
	quals  [2]string
}{
	{"01", 14, [2]string{"10", "21"}},
	{"00", 18, [2]string{}},
	{"414", 13, [2]string{"254"}},
	{"417", 13, [2]string{}},
}

// plainDL reports whether s is a canonical Digital Link of a plain shape; key is its
// primary key value and qual its key qualifier value ("" when none).
func plainDL(s string) (key, qual string, ok bool) {
	const stem = scanner.CanonicalStem + "/"
	if len(s) <= len(stem) || s[:len(stem)] != stem {
		return "", "", false
	}
	p := s[len(stem):]
	i := strings.IndexByte(p, '/')
	if i < 0 {
		return "", "", false
	}
	ai := p[:i]
	p = p[i+1:]
	for n := range plainDLKeys {
		k := &plainDLKeys[n]
		if k.ai != ai {
			continue
		}
		if len(p) < k.digits || !allDigits(p[:k.digits]) {
			return "", "", false
		}
		key, p = p[:k.digits], p[k.digits:]
		if p == "" {
			return key, "", true
		}
		if p[0] != '/' {
			return "", "", false
		}
		p = p[1:]
		j := strings.IndexByte(p, '/')
		if j < 0 || (p[:j] != k.quals[0] || k.quals[0] == "") && (p[:j] != k.quals[1] || k.quals[1] == "") {
			return "", "", false
		}
		qual = p[j+1:]
		if qual == "" {
			return "", "", false
		}
		for n := 0; n < len(qual); n++ {
			c := qual[n]
			if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
				return "", "", false
			}
		}
		return key, qual, true
	}
	return "", "", false
}

// validDL is scanner's verdict on a plain canonical Digital Link (plainDL's key and
// qualifier): the key's check digit holds and the qualifier (a CSET 82 value, as every
// character plainDL allows is) has at most 20 characters. TestPlainDLAgreesWithScanner
// holds it to scanner.ParseDigitalLink.
func validDL(key, qual string) bool {
	if len(qual) > 20 {
		return false
	}
	return scanner.CheckDigit(key[:len(key)-1]) == key[len(key)-1]
}

// parseGS1 parses a GS1 identifier written as an EPC URI or a Digital Link URI.
func parseGS1(s string) (scanner.Data, error) {
	if scanner.IsEPCURN(s) {
		return scanner.ParseEPC(s)
	}
	return scanner.ParseDigitalLink(expandShortNames(s), scanner.Options{})
}

// shortNames maps the path short names of GS1 Digital Link 1.0 ("/gtin/", "/ser/", ...)
// to their AIs; CBV 2.0 hashing and our canonical form write AIs.
var shortNames = strings.NewReplacer(
	"/gtin/", "/01/", "/itip/", "/8006/", "/cpid/", "/8010/", "/gln/", "/414/",
	"/party/", "/417/", "/gsrnp/", "/8017/", "/gsrn/", "/8018/", "/gcn/", "/255/",
	"/sscc/", "/00/", "/gdti/", "/253/", "/ginc/", "/401/", "/gsin/", "/402/",
	"/grai/", "/8003/", "/giai/", "/8004/", "/cpv/", "/22/", "/lot/", "/10/", "/ser/", "/21/",
)

var shortNameSet = map[string]bool{"gtin": true, "itip": true, "cpid": true, "gln": true, "party": true,
	"gsrnp": true, "gsrn": true, "gcn": true, "sscc": true, "gdti": true, "ginc": true, "gsin": true,
	"grai": true, "giai": true, "cpv": true, "lot": true, "ser": true}

// expandShortNames rewrites Digital Link short names in a URI's path to AIs.
func expandShortNames(uri string) string {
	q := strings.IndexAny(uri, "?#")
	if q < 0 {
		q = len(uri)
	}
	return shortNames.Replace(uri[:q]) + uri[q:]
}

// CanonicalID returns the canonical GS1 Digital Link URI (on https://id.gs1.org) of an
// identifier written as an EPC URI or as a Digital Link URI on any stem. ok is false
// when s is not written as a GS1 identifier at all (another URI scheme), in which case
// s is returned unchanged; err is set when it is written as one but is invalid (a bad
// check digit, a malformed EPC URI, ...).
func CanonicalID(s string) (dl string, ok bool, err error) {
	if key, qual, plain := plainDL(s); plain && validDL(key, qual) {
		return s, true, nil
	}
	return parseCanonicalID(s)
}

// parseCanonicalID is CanonicalID through package scanner.
func parseCanonicalID(s string) (dl string, ok bool, err error) {
	if !isGS1Candidate(s) {
		return s, false, nil
	}
	d, err := parseGS1(s)
	if err != nil {
		if !scanner.IsEPCURN(s) && !looksLikeDigitalLink(s) {
			return s, false, nil
		}
		return s, true, err
	}
	dl, err = pathOnly(d).DigitalLink(scanner.CanonicalStem)
	if err != nil {
		return s, true, err
	}
	return dl, true, nil
}

// looksLikeDigitalLink reports whether an http(s) URI ends with a path that names a
// GS1 Digital Link primary key ("/01/…", "/00/…", "/414/…", ...), so that a fault in it
// is an invalid identifier rather than some other web address.
func looksLikeDigitalLink(s string) bool {
	path := s
	if q := strings.IndexAny(path, "?#"); q >= 0 {
		path = path[:q]
	}
	segs := strings.Split(path, "/")
	for i := len(segs) - 2; i >= 3; i-- {
		if a := scanner.LookupAI(segs[i]); a != nil && a.DLPrimaryKey {
			return true
		}
	}
	return false
}

// pathOnly keeps the primary key and its key qualifiers, dropping data attributes.
func pathOnly(d scanner.Data) scanner.Data {
	key, ok := d.PrimaryKey()
	if !ok {
		return d
	}
	quals := map[string]bool{}
	if a := scanner.LookupAI(key.AI); a != nil {
		for _, seq := range a.DLQualifiers {
			for _, q := range seq {
				quals[q] = true
			}
		}
	}
	out := scanner.Data{Elements: []scanner.Element{key}}
	for _, e := range d.Elements {
		if quals[e.AI] {
			out.Elements = append(out.Elements, e)
		}
	}
	return out
}

// hashIdentifier converts a GS1 identifier to the form the CBV 2.0 event hash uses
// (CBV 2.0 section 8.9.3): the Digital Link URI on https://id.gs1.org with only the
// most specific level of identification (a serial drops the lot, the CPV (22) is
// dropped, query attributes are dropped), values escaped as in EPC URIs plus the
// characters "!()*+,:" (as the reference implementation writes them). ok is false when
// text is not a (valid) GS1 identifier.
func hashIdentifier(text string) (string, bool) {
	if _, _, plain := plainDL(text); plain {
		return text, true
	}
	return parseHashIdentifier(text)
}

// parseHashIdentifier is hashIdentifier through package scanner.
func parseHashIdentifier(text string) (string, bool) {
	if !isGS1Candidate(text) {
		return "", false
	}
	var d scanner.Data
	var err error
	if scanner.IsEPCURN(text) {
		d, err = scanner.ParseEPC(text)
	} else {
		if !strings.Contains(text, ".") {
			return "", false
		}
		d, err = scanner.ParseDigitalLink(expandShortNames(text), scanner.Options{ZeroSuppressedGTIN: true, NoRequisite: true})
	}
	if err != nil {
		return "", false
	}
	d = pathOnly(d)
	has := map[string]bool{}
	for _, e := range d.Elements {
		has[e.AI] = true
	}
	var b strings.Builder
	b.WriteString(scanner.CanonicalStem)
	for i, e := range d.Elements {
		if i > 0 && (e.AI == "22" || e.AI == "10" && has["21"]) {
			continue
		}
		b.WriteByte('/')
		b.WriteString(e.AI)
		b.WriteByte('/')
		hashEscape(&b, e.Value)
	}
	return b.String(), true
}

// hashEscapeChars are %-escaped in hash identifiers: those EPC URIs escape, "#" (CPI),
// and the ones the reference implementation adds.
const hashEscapeChars = "\"%&/<>?#!()*+,:"

func hashEscape(b *strings.Builder, v string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(v); i++ {
		c := v[i]
		if strings.IndexByte(hashEscapeChars, c) >= 0 || c < 0x21 || c > 0x7e {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
}
