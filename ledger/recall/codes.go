package recall

import (
	"strings"

	"traceledger/ledger/epcis"
	"traceledger/scanner"
)

// What a canonical Digital Link names, by its path (DESIGN.md section 3).
const (
	stem = scanner.CanonicalStem
)

// canon returns the canonical Digital Link of an identifier as an event holds it:
// events on the ledger are stored canonical already, so this is a prefix check in
// the common case; anything else goes through epcis.CanonicalID (EPC URNs, other
// stems) and is kept as written when it is not a GS1 identifier.
func canon(s string) string {
	if strings.HasPrefix(s, stem+"/") && !strings.ContainsAny(s, "?#") {
		return s
	}
	if dl, ok, err := epcis.CanonicalID(s); ok && err == nil {
		return dl
	}
	return s
}

// path returns the Digital Link path of a canonical identifier ("/01/…/10/…"), or ""
// when it is not one.
func path(code string) string {
	if p, ok := strings.CutPrefix(code, stem); ok && strings.HasPrefix(p, "/") {
		return p
	}
	return ""
}

// isLot says whether code is a lot (/01/{gtin}/10/{lot}).
func isLot(code string) bool {
	p := path(code)
	return strings.HasPrefix(p, "/01/") && len(p) > 22 && p[18:22] == "/10/"
}

// isInstance says whether code is a serialised instance (/01/{gtin}/21/{serial}).
func isInstance(code string) bool {
	p := path(code)
	return strings.HasPrefix(p, "/01/") && len(p) > 22 && p[18:22] == "/21/"
}

// isTradeItem says whether code is a lot or an instance: goods a recall names.
func isTradeItem(code string) bool { return isLot(code) || isInstance(code) }

// isUnit says whether code is a logistic unit (/00/{sscc}).
func isUnit(code string) bool { return strings.HasPrefix(path(code), "/00/") }

// isLocation says whether code is a location (/414/{gln}[/254/{ext}]).
func isLocation(code string) bool { return strings.HasPrefix(path(code), "/414/") }

// gtinOf returns the GTIN of a lot, instance or product class, "" otherwise.
func gtinOf(code string) string {
	p := path(code)
	if !strings.HasPrefix(p, "/01/") || len(p) < 18 {
		return ""
	}
	return p[4:18]
}

// lotNumberOf returns the lot number of a lot code (percent-decoded), "" otherwise.
func lotNumberOf(code string) string {
	if !isLot(code) {
		return ""
	}
	d, err := scanner.ParseDigitalLink(code, scanner.Options{})
	if err != nil {
		return path(code)[22:]
	}
	for _, el := range d.Elements {
		if el.AI == "10" {
			return el.Value
		}
	}
	return ""
}

// lotCode returns the canonical Digital Link of lot number lot of gtin, "" when they do
// not make a valid one.
func lotCode(gtin, lot string) string {
	d := scanner.Data{Elements: []scanner.Element{{AI: "01", Value: gtin}, {AI: "10", Value: lot}}}
	if d.Validate(scanner.Options{}) != nil {
		return ""
	}
	dl, err := d.DigitalLink(stem)
	if err != nil {
		return ""
	}
	return dl
}

// CanonicalCode returns the canonical GS1 Digital Link (on https://id.gs1.org, data
// attributes dropped) of anything package scanner parses: a Digital Link on any stem,
// an EPC URN, bracketed or unbracketed element strings, or scan data with an AIM
// symbology identifier. The command line and the HTTP API accept codes in any of those
// forms and walk the canonical one.
func CanonicalCode(input string) (string, error) {
	d, err := scanner.Parse(strings.TrimSpace(input), scanner.Options{})
	if err != nil {
		return "", err
	}
	dl, err := d.DigitalLink(stem)
	if err != nil {
		return "", err
	}
	c, _, err := epcis.CanonicalID(dl)
	if err != nil {
		return "", err
	}
	return c, nil
}
