package scanner

// Data.EPC, the inverse of ParseEPC: GS1 element strings written as an EPC URI (TDS 2.x
// section 7's correspondence read backwards), for EPCIS partners that still exchange
// URNs. The URI layouts and escaping rules are described at the top of epc.go.

import (
	"errors"
	"fmt"
	"strings"
)

// EPC returns the EPC URI of the GS1 key d carries, the inverse of ParseEPC. gcpLength is
// the length of the key's GS1 company prefix (6 to 12): the URI writes it apart from the
// reference, and neither element strings nor a Digital Link say where it ends, so the
// caller must know (from the firm's registration, or GS1's prefix list).
//
// The most specific identifier wins: (01) with (21) is an SGTIN even when (10) is there
// too; (01) with (10) an LGTIN class URI; (01), (8003), (253), (255), (8006) or (8010)
// without a serial an idpat URI with "*" for the serial. Data attributes (dates, weights,
// (22), ...) have no place in an EPC URI and are left out. Data with no key, with several
// keys, or with values the AI table rejects is an error.
func (d Data) EPC(gcpLength int) (string, error) {
	if gcpLength < epcGCPMin || gcpLength > epcGCPMax {
		return "", fmt.Errorf("scanner: EPC URI: GS1 company prefix length %d, want 6 to 12", gcpLength)
	}
	var key *Element
	vals := map[string]string{}
	for i := range d.Elements {
		e := &d.Elements[i]
		if prev, dup := vals[e.AI]; dup && prev != e.Value {
			return "", fmt.Errorf("scanner: EPC URI: AI (%s) appears twice with different values", e.AI)
		}
		vals[e.AI] = e.Value
		if epcKeyAIs[e.AI] {
			if key != nil && key.AI != e.AI {
				return "", fmt.Errorf("scanner: EPC URI: data carries two GS1 keys, (%s) and (%s); an EPC URI names one", key.AI, e.AI)
			}
			key = e
		}
	}
	if key == nil {
		return "", errors.New("scanner: EPC URI: data carries no GS1 key that an EPC scheme names ((00), (01), (253), (255), (401), (402), (414), (417), (8003), (8004), (8006), (8010), (8017), (8018))")
	}
	f := epcFormatter{vals: vals, gcp: gcpLength}
	for _, ai := range []string{key.AI, "21", "10", "235", "254", "8011"} {
		if v, ok := vals[ai]; ok {
			if err := f.checkValue(ai, v); err != nil {
				return "", err
			}
		}
	}
	return f.format(key.AI, key.Value)
}

// epcKeyAIs are the GS1 keys that have an EPC scheme.
var epcKeyAIs = map[string]bool{
	"00": true, "01": true, "253": true, "255": true, "401": true, "402": true, "414": true,
	"417": true, "8003": true, "8004": true, "8006": true, "8010": true, "8017": true, "8018": true,
}

type epcFormatter struct {
	vals map[string]string
	gcp  int
}

func (f *epcFormatter) checkValue(ai, v string) error {
	a := LookupAI(ai)
	if a == nil {
		return fmt.Errorf("scanner: EPC URI: AI (%s) not in the table", ai)
	}
	if le := a.CheckValue(v); le != nil {
		return fmt.Errorf("scanner: EPC URI: AI (%s) %q at position %d: %s", ai, v, le.Pos, le.Message)
	}
	return nil
}

func (f *epcFormatter) errorf(ai, format string, args ...any) error {
	return fmt.Errorf("scanner: EPC URI: AI (%s): %s", ai, fmt.Sprintf(format, args...))
}

// split cuts a numeric key body at the company prefix length, checking that it fits.
func (f *epcFormatter) split(ai, body string) (cp, ref string, err error) {
	if f.gcp > len(body) {
		return "", "", f.errorf(ai, "GS1 company prefix length %d is longer than the key's %d-digit body", f.gcp, len(body))
	}
	return body[:f.gcp], body[f.gcp:], nil
}

func (f *epcFormatter) format(ai, v string) (string, error) {
	vals := f.vals
	switch ai {
	case "01", "8006":
		// GTIN-14: indicator, company prefix, item reference, check digit.
		if f.gcp > 12 {
			return "", f.errorf(ai, "GS1 company prefix length %d leaves no item reference", f.gcp)
		}
		body := v[1:f.gcp+1] + "." + v[:1] + v[f.gcp+1:13]
		if ai == "8006" {
			body += "." + v[14:16] + "." + v[16:18]
			if s, ok := vals["21"]; ok {
				return "urn:epc:id:itip:" + body + "." + gs3a3Escape(s), nil
			}
			if _, ok := vals["10"]; ok {
				return "", f.errorf(ai, "an ITIP with a lot (10) and no serial (21) has no EPC URI")
			}
			return "urn:epc:idpat:itip:" + body + ".*", nil
		}
		_, hasSerial := vals["21"]
		tpx, hasTPX := vals["235"]
		switch {
		case hasSerial && hasTPX:
			return "", f.errorf(ai, "(21) and (235) exclude each other")
		case hasSerial:
			return "urn:epc:id:sgtin:" + body + "." + gs3a3Escape(vals["21"]), nil
		case hasTPX:
			return "urn:epc:id:upui:" + body + "." + gs3a3Escape(tpx), nil
		}
		if lot, ok := vals["10"]; ok {
			return "urn:epc:class:lgtin:" + body + "." + gs3a3Escape(lot), nil
		}
		return "urn:epc:idpat:sgtin:" + body + ".*", nil
	case "00":
		return "urn:epc:id:sscc:" + v[1:f.gcp+1] + "." + v[:1] + v[f.gcp+1:17], nil
	case "414", "417":
		cp, ref, err := f.split(ai, v[:12])
		if err != nil {
			return "", err
		}
		if ai == "417" {
			return "urn:epc:id:pgln:" + cp + "." + ref, nil
		}
		ext := "0"
		if e, ok := vals["254"]; ok {
			if e == "0" {
				return "", f.errorf("254", "extension \"0\" cannot be written: an SGLN extension of 0 means no extension")
			}
			ext = gs3a3Escape(e)
		}
		return "urn:epc:id:sgln:" + cp + "." + ref + "." + ext, nil
	case "8003":
		cp, ref, err := f.split(ai, v[1:13])
		if err != nil {
			return "", err
		}
		if len(v) == 14 {
			return "urn:epc:idpat:grai:" + cp + "." + ref + ".*", nil
		}
		return "urn:epc:id:grai:" + cp + "." + ref + "." + gs3a3Escape(v[14:]), nil
	case "253", "255":
		cp, ref, err := f.split(ai, v[:12])
		if err != nil {
			return "", err
		}
		scheme := map[string]string{"253": "gdti", "255": "sgcn"}[ai]
		if len(v) == 13 {
			return "urn:epc:idpat:" + scheme + ":" + cp + "." + ref + ".*", nil
		}
		return "urn:epc:id:" + scheme + ":" + cp + "." + ref + "." + gs3a3Escape(v[13:]), nil
	case "8017", "8018":
		cp, ref, err := f.split(ai, v[:17])
		if err != nil {
			return "", err
		}
		scheme := map[string]string{"8017": "gsrnp", "8018": "gsrn"}[ai]
		return "urn:epc:id:" + scheme + ":" + cp + "." + ref, nil
	case "402":
		cp, ref, err := f.split(ai, v[:16])
		if err != nil {
			return "", err
		}
		return "urn:epc:id:gsin:" + cp + "." + ref, nil
	case "8004", "401", "8010":
		if len(v) <= f.gcp {
			return "", f.errorf(ai, "GS1 company prefix length %d leaves no reference in %q", f.gcp, v)
		}
		cp := v[:f.gcp]
		for i := 0; i < len(cp); i++ {
			if cp[i] < '0' || cp[i] > '9' {
				return "", f.errorf(ai, "character %s at position %d inside the %d-digit company prefix", quoteByte(cp[i]), i, f.gcp)
			}
		}
		switch ai {
		case "8004":
			return "urn:epc:id:giai:" + cp + "." + gs3a3Escape(v[f.gcp:]), nil
		case "401":
			return "urn:epc:id:ginc:" + cp + "." + gs3a3Escape(v[f.gcp:]), nil
		}
		ref := cpiEscape(v[f.gcp:])
		if s, ok := vals["8011"]; ok {
			return "urn:epc:id:cpi:" + cp + "." + ref + "." + s, nil
		}
		return "urn:epc:idpat:cpi:" + cp + "." + ref + ".*", nil
	}
	return "", f.errorf(ai, "no EPC scheme")
}

// gs3a3Escape writes a CSET 82 value as an EPC URI component.
func gs3a3Escape(s string) string {
	return epcEscape(s, gs3a3Reserved)
}

// cpiEscape writes a CSET 39 CPI part reference as an EPC URI component.
func cpiEscape(s string) string {
	return epcEscape(s, "#/")
}

func epcEscape(s, reserved string) string {
	if !strings.ContainsAny(s, reserved) {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(reserved, c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
