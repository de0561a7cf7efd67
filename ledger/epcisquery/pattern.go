package epcisquery

import (
	"fmt"
	"strings"
)

// A Pattern is one value of a MATCH_ parameter (EPCIS 2.0 section 8.2.7.1.1): an
// identifier, which matches itself in any of its forms (EPC URN, Digital Link on any
// stem: both are compared canonically), or an EPC pattern URI
// ("urn:epc:idpat:sgtin:0614141.107346.*") whose '*' fields match anything.
//
// The ledger stores GS1 identifiers as Digital Link URIs, which do not show where
// the company prefix ends, so a pattern is turned into a test on the Digital Link's
// primary key instead: its AI, and the digits the pattern fixes at their place in
// the key (an SGTIN's indicator digit is the item reference's first digit and sits
// before the company prefix in the GTIN).
type Pattern struct {
	// Exact is the canonical identifier when the value is not a pattern.
	Exact string
	// AI is the Digital Link primary key's AI a pattern applies to ("01", "00", "414"...).
	AI string
	// KeyAt and KeyPart: the primary key must hold KeyPart at byte KeyAt.
	KeyAt   int
	KeyPart string
	// WholeKey marks a KeyPart that is the whole primary key (any qualifiers follow).
	WholeKey bool
}

// Indexable reports whether the pattern names one identifier, which the product
// index can look up.
func (p Pattern) Indexable() bool { return p.Exact != "" }

// Match reports whether a canonical identifier (as the ledger stores it) matches.
func (p Pattern) Match(id string) bool {
	if p.Exact != "" {
		return id == p.Exact
	}
	rest, ok := strings.CutPrefix(id, dlStem)
	if !ok {
		return false
	}
	ai, rest, _ := strings.Cut(rest, "/")
	if ai != p.AI {
		return false
	}
	key, _, _ := strings.Cut(rest, "/")
	if p.WholeKey {
		return key == p.KeyPart
	}
	return len(key) >= p.KeyAt+len(p.KeyPart) && key[p.KeyAt:p.KeyAt+len(p.KeyPart)] == p.KeyPart
}

// dlStem is the stem of canonical GS1 Digital Link URIs.
const dlStem = "https://id.gs1.org/"

// patternParam reads the values of a MATCH_ parameter.
func patternParam(name string, raw []string) ([]Pattern, error) {
	vs, err := splitValues(name, raw)
	if err != nil {
		return nil, err
	}
	out := make([]Pattern, len(vs))
	for i, v := range vs {
		p, err := ParsePattern(v)
		if err != nil {
			return nil, &ParamError{name, err.Error()}
		}
		out[i] = p
	}
	return out, nil
}

// ParsePattern reads one MATCH_ value: an identifier or an EPC pattern URI.
func ParsePattern(v string) (Pattern, error) {
	rest, ok := strings.CutPrefix(v, "urn:epc:idpat:")
	if !ok {
		c, err := canonical(v)
		if err != nil {
			return Pattern{}, err
		}
		return Pattern{Exact: c}, nil
	}
	scheme, body, ok := strings.Cut(rest, ":")
	if !ok {
		return Pattern{}, fmt.Errorf("%q: an EPC pattern is urn:epc:idpat:SCHEME:FIELDS", v)
	}
	f := strings.Split(body, ".")
	bad := func(why string) (Pattern, error) { return Pattern{}, fmt.Errorf("%q: %s", v, why) }
	// Fields fixed from the left, then only '*': the EPC Tag Data Standard's pattern
	// forms (section 8: a wildcard field is followed only by wildcard fields).
	fixed := 0
	for fixed < len(f) && f[fixed] != "*" {
		fixed++
	}
	for _, x := range f[fixed:] {
		if x != "*" {
			return bad("a field after a '*' must be '*' too")
		}
	}
	want := map[string]int{"sgtin": 3, "sscc": 2, "sgln": 3, "grai": 3, "giai": 2}
	n, known := want[scheme]
	if !known {
		return bad("EPC patterns of scheme " + scheme + " are not supported (sgtin, sscc, sgln, grai, giai are)")
	}
	if len(f) != n {
		return bad(fmt.Sprintf("a %s pattern has %d fields", scheme, n))
	}
	if fixed == n {
		return bad("a pattern with no '*' is an identifier: use urn:epc:id:")
	}
	if fixed > 0 && !digits(f[0]) {
		return bad("the company prefix must be digits")
	}
	switch scheme {
	case "sgtin": // CP.IR.serial: GTIN = IR[0] CP IR[1:] check
		switch fixed {
		case 0:
			return Pattern{AI: "01"}, nil
		case 1:
			return Pattern{AI: "01", KeyAt: 1, KeyPart: f[0]}, nil
		}
		if !digits(f[1]) || len(f[0])+len(f[1]) != 13 {
			return bad("company prefix and item reference must be 13 digits together")
		}
		g := f[1][:1] + f[0] + f[1][1:]
		return Pattern{AI: "01", KeyPart: g + checkDigit(g), WholeKey: true}, nil
	case "sscc": // CP.SR: SSCC = SR[0] CP SR[1:] check
		if fixed == 0 {
			return Pattern{AI: "00"}, nil
		}
		return Pattern{AI: "00", KeyAt: 1, KeyPart: f[0]}, nil
	case "sgln": // CP.LR.ext: GLN = CP LR check
		switch fixed {
		case 0:
			return Pattern{AI: "414"}, nil
		case 1:
			return Pattern{AI: "414", KeyPart: f[0]}, nil
		}
		if !digits(f[1]) || len(f[0])+len(f[1]) != 12 {
			return bad("company prefix and location reference must be 12 digits together")
		}
		g := f[0] + f[1]
		return Pattern{AI: "414", KeyPart: g + checkDigit(g), WholeKey: true}, nil
	case "grai": // CP.AT.serial: GRAI = 0 CP AT check serial
		switch fixed {
		case 0:
			return Pattern{AI: "8003"}, nil
		case 1:
			return Pattern{AI: "8003", KeyAt: 1, KeyPart: f[0]}, nil
		}
		if !digits(f[1]) || len(f[0])+len(f[1]) != 12 {
			return bad("company prefix and asset type must be 12 digits together")
		}
		g := f[0] + f[1]
		return Pattern{AI: "8003", KeyPart: "0" + g + checkDigit(g)}, nil
	default: // giai: CP.IAR: GIAI = CP IAR
		if fixed == 0 {
			return Pattern{AI: "8004"}, nil
		}
		return Pattern{AI: "8004", KeyPart: f[0]}, nil
	}
}

// digits reports whether s is a non-empty string of ASCII digits.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// checkDigit is the GS1 mod-10 check digit of a digit string (GS1 General
// Specifications 7.9.1): weights 3 and 1 alternating from the right.
func checkDigit(s string) string {
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return string(rune('0' + (10-sum%10)%10))
}
