package scanner

import (
	"fmt"
	"strings"
)

// A Symbology is one kind of barcode traceledger issues, together with the GS1 meaning of
// its content: GS1-128 and GS1 DataMatrix carry element strings, the dl- kinds carry a GS1
// Digital Link URI as plain data, and the EAN/UPC kinds carry a GTIN alone.
type Symbology uint8

const (
	// GS1128 is Code 128 with FNC1 in first position (ISO/IEC 15417, GS1 General
	// Specifications 5.4): at most 48 data characters.
	GS1128 Symbology = iota + 1
	// GS1DataMatrix is ECC 200 Data Matrix with FNC1 in first position (ISO/IEC 16022).
	GS1DataMatrix
	// GS1QR is QR Code with the FNC1-in-first-position mode (ISO/IEC 18004 7.4.8).
	GS1QR
	// DLQR is a plain QR Code holding a GS1 Digital Link URI, the form GS1 recommends on
	// consumer-facing packs: any phone camera opens it.
	DLQR
	// DLDataMatrix is a plain Data Matrix holding a GS1 Digital Link URI.
	DLDataMatrix
	// EAN13 is an EAN-13 holding a GTIN-13 (or a GTIN-12 with a leading 0).
	EAN13
	// UPCA is a UPC-A holding a GTIN-12; readers report it as an EAN-13 with a leading 0.
	UPCA
	// EAN8 is an EAN-8 holding a GTIN-8.
	EAN8
)

// symbologyNames are the names of the command line and the API, in Symbology order.
var symbologyNames = [...]string{
	GS1128:        "gs1-128",
	GS1DataMatrix: "gs1-datamatrix",
	GS1QR:         "gs1-qr",
	DLQR:          "dl-qr",
	DLDataMatrix:  "dl-datamatrix",
	EAN13:         "ean13",
	UPCA:          "upca",
	EAN8:          "ean8",
}

// Symbologies lists every symbology traceledger issues, in a stable order (for help texts
// and tests).
func Symbologies() []Symbology {
	return []Symbology{GS1128, GS1DataMatrix, GS1QR, DLQR, DLDataMatrix, EAN13, UPCA, EAN8}
}

// ParseSymbology returns the symbology with the given name ("gs1-128", "gs1-datamatrix",
// "gs1-qr", "dl-qr", "dl-datamatrix", "ean13", "upca", "ean8"; case-insensitive).
func ParseSymbology(name string) (Symbology, error) {
	for _, s := range Symbologies() {
		if strings.EqualFold(name, symbologyNames[s]) {
			return s, nil
		}
	}
	names := make([]string, 0, len(symbologyNames))
	for _, s := range Symbologies() {
		names = append(names, symbologyNames[s])
	}
	return 0, fmt.Errorf("unknown symbology %q (want one of %s)", name, strings.Join(names, ", "))
}

// String returns the symbology's name as ParseSymbology accepts it.
func (s Symbology) String() string {
	if s >= GS1128 && s <= EAN8 {
		return symbologyNames[s]
	}
	return fmt.Sprintf("Symbology(%d)", uint8(s))
}

// AIM returns the AIM symbology identifier a reader transmits before the data of such a
// symbol (ISO/IEC 15424): "]C1", "]d2", "]Q3", "]Q1", "]d1", "]E0" (EAN-13 and UPC-A) or
// "]E4". Tests compare it with what an independent reader reports.
func (s Symbology) AIM() string {
	switch s {
	case GS1128:
		return "]C1"
	case GS1DataMatrix:
		return "]d2"
	case GS1QR:
		return "]Q3"
	case DLQR:
		return "]Q1"
	case DLDataMatrix:
		return "]d1"
	case EAN13, UPCA:
		return "]E0"
	case EAN8:
		return "]E4"
	}
	return ""
}

// Linear reports whether the symbology is a one-dimensional (bar) code, which gets its
// human-readable interpretation printed under the bars.
func (s Symbology) Linear() bool {
	return s == GS1128 || s == EAN13 || s == UPCA || s == EAN8
}
