package scanner

import (
	"fmt"
	"strings"

	"github.com/makiuchi-d/gozxing"
)

// gs is the group separator a scanner transmits for FNC1 in GS1 symbols.
const gs = "\x1d"

// scanDataOf turns a gozxing result into scan data as a scanner transmits it (see
// Decoder): AIM symbology identifier, then the data. gozxing reports the identifier
// for the symbologies we read; where it is missing it is derived from the format.
func scanDataOf(r *gozxing.Result) (string, error) {
	text := r.GetText()
	sym, _ := r.GetResultMetadata()[gozxing.ResultMetadataType_SYMBOLOGY_IDENTIFIER].(string)
	switch f := r.GetBarcodeFormat(); f {
	case gozxing.BarcodeFormat_CODE_128:
		if sym == "" {
			sym = "]C0"
		}
		switch sym {
		case "]C1":
			// With ASSUME_GS1 gozxing writes the leading FNC1 as the text "]C1" and each
			// later FNC1 as GS; the identifier is ours to add, once.
			text = strings.TrimPrefix(text, "]C1")
		case "]C2":
			// FNC1 in second position follows the one-character application indicator
			// and is not transmitted (ISO/IEC 15417 Annex).
			if len(text) >= 2 && text[1:2] == gs {
				text = text[:1] + text[2:]
			}
		}
		return sym + latin1(text), nil
	case gozxing.BarcodeFormat_DATA_MATRIX:
		if sym == "" {
			sym = "]d1"
		}
		if (sym == "]d2" || sym == "]d5") && strings.HasPrefix(text, gs) {
			// gozxing writes the leading FNC1 as GS; the identifier already says GS1.
			text = text[1:]
		}
		if sym <= "]d3" { // no ECI: the default character set applies
			text = latin1(text)
		}
		return sym + text, nil
	case gozxing.BarcodeFormat_QR_CODE:
		if sym == "" {
			sym = "]Q1"
		}
		return sym + text, nil
	case gozxing.BarcodeFormat_EAN_13:
		return "]E0" + text, nil
	case gozxing.BarcodeFormat_UPC_A:
		return "]E0" + "0" + text, nil
	case gozxing.BarcodeFormat_UPC_E:
		upca, err := upcEToUPCA(text)
		if err != nil {
			return "", err
		}
		return "]E0" + "0" + upca, nil
	case gozxing.BarcodeFormat_EAN_8:
		return "]E4" + text, nil
	case gozxing.BarcodeFormat_RSS_14:
		// GS1 DataBar carries AI (01) implicitly; ISO/IEC 24724 transmits it.
		return "]e0" + "01" + text, nil
	case gozxing.BarcodeFormat_RSS_EXPANDED:
		return "]e0" + text, nil
	default:
		return "", fmt.Errorf("unsupported barcode format %v", f)
	}
}

// latin1 converts the bytes gozxing returns for Code 128 and DataMatrix, whose
// default character set is ISO/IEC 8859-1 (FNC4 and Upper Shift reach 128-255), into
// UTF-8, so that Go strings hold characters and not stray bytes.
func latin1(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			r := make([]rune, len(s))
			for j := 0; j < len(s); j++ {
				r[j] = rune(s[j])
			}
			return string(r)
		}
	}
	return s
}

// upcEToUPCA expands an 8-digit UPC-E (number system, six digits, check digit) to the
// 12-digit UPC-A it abbreviates (GS1 General Specifications 5.2.2.4.2, Figure
// 5.2.2.4.2-1: the last of the six digits says where the zeros go).
func upcEToUPCA(e string) (string, error) {
	if len(e) != 8 || strings.Trim(e, "0123456789") != "" {
		return "", fmt.Errorf("UPC-E %q: want 8 digits", e)
	}
	ns, d, check := e[:1], e[1:7], e[7:]
	var body string
	switch d[5] {
	case '0', '1', '2':
		body = d[:2] + d[5:6] + "0000" + d[2:5]
	case '3':
		body = d[:3] + "00000" + d[3:5]
	case '4':
		body = d[:4] + "00000" + d[4:5]
	default:
		body = d[:5] + "0000" + d[5:6]
	}
	return ns + body + check, nil
}
