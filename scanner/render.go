package scanner

import (
	"fmt"
	"strings"
)

// Render reads input in any form Parse accepts (bracketed, unbracketed, scan data,
// Digital Link URI, EPC URN) and encodes it as sym; for EAN-13, UPC-A and EAN-8 it also
// takes a bare GTIN of 8, 12, 13 or 14 digits. Invalid input is refused with the
// parser's error, naming the AI and position.
func Render(sym Symbology, input string, opts RenderOptions) (*Symbol, error) {
	if gtin, ok := bareGTIN(input); ok && (sym == EAN13 || sym == UPCA || sym == EAN8) {
		d := Data{Elements: []Element{{AI: "01", Value: gtin}}}
		return Encode(sym, d, opts)
	}
	d, err := Parse(input, Options{})
	if err != nil {
		return nil, err
	}
	return Encode(sym, d, opts)
}

// Encode encodes GS1 data as a symbol of the given symbology:
//
//   - gs1-128, gs1-datamatrix, gs1-qr: the element string, FNC1 first and GS1's
//     separators (GS1-128 refuses more than 48 data characters);
//   - dl-qr, dl-datamatrix: the GS1 Digital Link URI of d on opts.Stem, as plain data;
//   - ean13, upca, ean8: d must be exactly one (01) GTIN that the symbol can hold:
//     a GTIN-13 (or GTIN-12) in EAN-13, a GTIN-12 in UPC-A, a GTIN-8 in EAN-8.
//
// d is validated first (Data.Validate), so data built by hand is refused just as typed
// input is.
func Encode(sym Symbology, d Data, opts RenderOptions) (*Symbol, error) {
	if len(d.Elements) == 0 {
		return nil, fmt.Errorf("%s: no GS1 data to encode", sym)
	}
	if err := d.Validate(Options{}); err != nil {
		return nil, err
	}
	var (
		s   *Symbol
		err error
		hri string
	)
	switch sym {
	case GS1128:
		s, err = encodeGS1128(d.Unbracketed())
		hri = hriText(d)
	case GS1DataMatrix:
		s, err = encodeDataMatrix(d.Unbracketed(), true)
	case GS1QR:
		s, err = encodeQR(d.Unbracketed(), true)
	case DLQR, DLDataMatrix:
		uri, e := d.DigitalLink(opts.Stem)
		if e != nil {
			return nil, fmt.Errorf("%s: %w", sym, e)
		}
		if sym == DLQR {
			s, err = encodeQR(uri, false)
		} else {
			s, err = encodeDataMatrix(uri, false)
		}
		if err == nil {
			s.Data = uri
		}
	case EAN13, UPCA, EAN8:
		digits, e := eanDigits(sym, d)
		if e != nil {
			return nil, e
		}
		s, err = encodeEAN(sym, digits)
		if err == nil {
			s.Data, hri = digits, eanText(sym, digits)
		}
	default:
		return nil, fmt.Errorf("unknown symbology %d", sym)
	}
	if err != nil {
		return nil, err
	}
	if s.Data == "" {
		s.Data = d.Unbracketed()
	}
	if s.Module, err = opts.moduleSize(s.Width); err != nil {
		return nil, err
	}
	if opts.HRI {
		s.Text = hri
		if sym == EAN13 || sym == UPCA || sym == EAN8 {
			s.layoutEAN()
		}
	}
	return s, nil
}

// eanDigits returns the digits an EAN/UPC symbol of d holds: 13 for EAN-13 and for
// UPC-A (a GTIN-12 with a leading 0, as readers transmit it after "]E0"), 8 for EAN-8.
// The symbol holds a GTIN and nothing else, and only a GTIN of its own length.
func eanDigits(sym Symbology, d Data) (string, error) {
	for _, e := range d.Elements {
		if e.AI != "01" {
			return "", fmt.Errorf("%s holds a GTIN (01) alone: AI (%s) cannot go in it; use gs1-128, gs1-datamatrix or gs1-qr", sym, e.AI)
		}
	}
	if len(d.Elements) != 1 {
		return "", fmt.Errorf("%s holds one GTIN (01), the data has %d", sym, len(d.Elements))
	}
	g := d.Elements[0].Value
	if len(g) != 14 {
		return "", fmt.Errorf("AI (01) at position 0: GTIN %q is not 14 digits", g)
	}
	if sym != EAN8 && g[:6] == "000000" {
		// Six leading zeros make a GTIN-14 a GTIN-8, which only an EAN-8 carries.
		return "", fmt.Errorf("AI (01): %s is a GTIN-8 (14 digits starting 000000); use ean8", g)
	}
	switch sym {
	case EAN13:
		if g[0] != '0' {
			return "", fmt.Errorf("AI (01): %s is a GTIN-14 (indicator digit %c); EAN-13 holds a GTIN-13 or GTIN-12, use gs1-128 or gs1-datamatrix", g, g[0])
		}
		return g[1:], nil
	case UPCA:
		if g[:2] != "00" {
			return "", fmt.Errorf("AI (01): %s is not a GTIN-12 (14 digits starting 00); UPC-A holds a GTIN-12 only, use ean13", g)
		}
		return g[1:], nil
	default:
		if g[:6] != "000000" {
			return "", fmt.Errorf("AI (01): %s is not a GTIN-8 (14 digits starting 000000); EAN-8 holds a GTIN-8 only", g)
		}
		return g[6:], nil
	}
}

// eanText is the human-readable line of an EAN/UPC symbol, grouped as on packs:
// "9 506000 134352", "0 12345 67890 5", "9638 5074".
func eanText(sym Symbology, digits string) string {
	switch sym {
	case EAN13:
		return digits[:1] + " " + digits[1:7] + " " + digits[7:]
	case UPCA:
		u := digits[1:]
		return u[:1] + " " + u[1:6] + " " + u[6:11] + " " + u[11:]
	}
	return digits[:4] + " " + digits[4:]
}

// hriText is the human-readable line under a GS1-128: each AI in parentheses followed by
// its value as it is, "(01)09506000134352(10)AB(1" (no escapes: it is for people).
func hriText(d Data) string {
	var sb strings.Builder
	for _, e := range d.Elements {
		sb.WriteString("(" + e.AI + ")" + e.Value)
	}
	return sb.String()
}
