package scanner

import (
	"errors"
	"strconv"
	"strings"
)

// Formatting writes Data back out in the element string forms: bracketed for people,
// unbracketed (GS separated) for barcode encoders, and scan data as a reader would
// transmit it. The Digital Link form is in digitallink.go.

// Bracketed returns the bracketed element string of d in element order, "(01)09520123456788(10)ABC\(1",
// with each "(" in a value escaped as "\(" so that ParseBracketed reads it back.
func (d Data) Bracketed() string {
	n := 0
	for _, e := range d.Elements {
		n += len(e.AI) + 2 + len(e.Value)
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, e := range d.Elements {
		sb.WriteByte('(')
		sb.WriteString(e.AI)
		sb.WriteByte(')')
		v := e.Value
		for {
			k := strings.IndexByte(v, '(')
			if k < 0 {
				break
			}
			sb.WriteString(v[:k])
			sb.WriteString(`\(`)
			v = v[k+1:]
		}
		sb.WriteString(v)
	}
	return sb.String()
}

// Unbracketed returns the element string of d as a GS1 symbol encodes it, without the
// leading FNC1: AIs and values in element order, with GS (0x1D) standing for FNC1 after
// each value whose AI does not have a predefined length (GS1 General Specifications
// 7.8.5), except after the last. Barcode encoders map GS to FNC1.
func (d Data) Unbracketed() string {
	n := 0
	for _, e := range d.Elements {
		n += len(e.AI) + len(e.Value) + 1
	}
	var sb strings.Builder
	sb.Grow(n)
	for i, e := range d.Elements {
		sb.WriteString(e.AI)
		sb.WriteString(e.Value)
		if i < len(d.Elements)-1 {
			if a := LookupAI(e.AI); a == nil || !a.Predefined {
				sb.WriteByte(GS)
			}
		}
	}
	return sb.String()
}

// ScanData returns d as a barcode reader would transmit it from a symbol of the given
// AIM symbology identifier: "]C1", "]d2", "]Q3", "]e0" or "]J1" and the unbracketed
// element string; "]E0" and the 13 digits of a GTIN-13 (or UPC-A with a leading 0) or
// "]E4" and the 8 digits of a GTIN-8, when d is only an (01) that fits; "]Q1", "]d1"
// or "]C0" and the canonical Digital Link URI of d.
func (d Data) ScanData(symbology string) (string, error) {
	sym := lookupSymbology(symbology)
	if sym == nil {
		return "", errors.New("scanner: unsupported symbology identifier " + quoteString(symbology))
	}
	if len(d.Elements) == 0 {
		return "", errors.New("scanner: no GS1 data to write as " + sym.name + " scan data")
	}
	switch sym.kind {
	case 'e':
		pad := 14 - sym.n
		if len(d.Elements) != 1 || d.Elements[0].AI != "01" || len(d.Elements[0].Value) != 14 ||
			strings.TrimLeft(d.Elements[0].Value[:pad], "0") != "" {
			return "", errors.New("scanner: " + sym.name + " carries only a GTIN-" + strconv.Itoa(sym.n) +
				" as AI (01) with " + strconv.Itoa(pad) + " leading zeros")
		}
		return sym.id + d.Elements[0].Value[pad:], nil
	case 'p':
		uri, err := d.DigitalLink("")
		if err != nil {
			return "", err
		}
		return sym.id + uri, nil
	}
	return sym.id + d.Unbracketed(), nil
}
