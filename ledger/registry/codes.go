package registry

import (
	"fmt"
	"strings"

	"traceledger/ledger/epcis"
	"traceledger/scanner"
)

// keyDigits returns the digits of a GS1 key that begin with the GS1 company
// prefix of the firm that issued it, and the key itself (AI and value), for a
// code written as a GS1 Digital Link URI, an EPC URI, or the bare digits of a
// GTIN (8, 12, 13 or 14), GLN (13) or SSCC (18).
//
// Keys built from a GTIN or SSCC carry a leading indicator or extension digit
// before the prefix (GS1 General Specifications 1.4); GRAI (AI 8003) a leading
// zero; every other key starts with the prefix.
func keyDigits(code string) (digits string, key scanner.Element, err error) {
	if code != "" && strings.Trim(code, "0123456789") == "" {
		switch len(code) {
		case 8, 12, 14:
			g, err := NormalizeGTIN("code", code)
			if err != nil {
				return "", key, err
			}
			return g[1:], scanner.Element{AI: "01", Value: g}, nil
		case 13:
			if err := checkDigits("code", "GLN or GTIN-13", code, 13); err != nil {
				return "", key, err
			}
			return code, scanner.Element{AI: "414", Value: code}, nil
		case 18:
			if err := checkDigits("code", "SSCC", code, 18); err != nil {
				return "", key, err
			}
			return code[1:], scanner.Element{AI: "00", Value: code}, nil
		}
		return "", key, fmt.Errorf("%q is not a GTIN, GLN or SSCC", code)
	}
	dl, ok, err := epcis.CanonicalID(code)
	if err != nil {
		return "", key, err
	}
	if !ok {
		return "", key, fmt.Errorf("%q is not a GS1 identifier", code)
	}
	d, err := scanner.ParseDigitalLink(dl, scanner.Options{})
	if err != nil {
		return "", key, err
	}
	key, ok = d.PrimaryKey()
	if !ok {
		return "", key, fmt.Errorf("%q has no GS1 primary key", code)
	}
	switch key.AI {
	case "01", "00", "8003", "8006":
		if len(key.Value) < 2 {
			return "", key, fmt.Errorf("%q: AI (%s) is too short", code, key.AI)
		}
		return key.Value[1:], key, nil
	}
	return key.Value, key, nil
}

// glnOf returns the GLN of a location or party code: a Digital Link with AI 414
// or 417 (sub-location extension ignored), an SGLN or PGLN EPC URI, or 13 digits.
func glnOf(code string) (string, error) {
	_, key, err := keyDigits(code)
	if err != nil {
		return "", err
	}
	if key.AI != "414" && key.AI != "417" {
		return "", fmt.Errorf("%q is not a GLN (AI 414 or 417)", code)
	}
	return key.Value, nil
}

// ownsDigits reports whether key digits start with one of the prefixes.
func ownsDigits(prefixes []string, digits string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(digits, p) {
			return true
		}
	}
	return false
}
