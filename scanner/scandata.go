package scanner

import (
	"strconv"
	"strings"
)

// Scan data is what a barcode reader transmits: a three-character AIM symbology
// identifier ("]" + symbology letter + modifier, ISO/IEC 15424) and then the message.
// For GS1 symbols the modifier says the data is GS1 element strings: FNC1 in first
// position is implied by the identifier and not transmitted, and every other FNC1 is
// sent as GS (0x1D). EAN/UPC symbols carry a bare GTIN. Plain (non-GS1) QR Code,
// DataMatrix and Code 128 symbols may carry a GS1 Digital Link URI instead.
//
// GS1 General Specifications 5.1.2 and the GS1 Barcode Syntax Engine (scandata.c) list
// the identifiers; the ones understood here are in symbologies.

// A symbology describes what follows one AIM symbology identifier.
type symbology struct {
	id   string // "]d2"
	name string // for people: "GS1 DataMatrix"
	kind byte   // 'g' GS1 element strings, 'e' EAN/UPC digits, 'p' plain data (may be a Digital Link URI)
	n    int    // for 'e': how many digits
}

// symbologies are the AIM symbology identifiers that ParseScanData and Data.ScanData
// understand.
var symbologies = []symbology{
	{"]C1", "GS1-128", 'g', 0},
	{"]d2", "GS1 DataMatrix", 'g', 0},
	{"]Q3", "GS1 QR Code", 'g', 0},
	{"]e0", "GS1 DataBar", 'g', 0},
	{"]J1", "GS1 DotCode", 'g', 0},
	{"]E0", "EAN-13 / UPC-A", 'e', 13},
	{"]E4", "EAN-8", 'e', 8},
	{"]Q1", "QR Code", 'p', 0},
	{"]d1", "DataMatrix", 'p', 0},
	{"]C0", "Code 128", 'p', 0},
}

func lookupSymbology(id string) *symbology {
	for i := range symbologies {
		if symbologies[i].id == id {
			return &symbologies[i]
		}
	}
	return nil
}

// SymbologyName returns the name of the symbology of an AIM symbology identifier
// ("]d2" -> "GS1 DataMatrix"), or "" when this package does not know it.
func SymbologyName(id string) string {
	if s := lookupSymbology(id); s != nil {
		return s.name
	}
	return ""
}

// ParseScanData reads and validates scan data as a barcode reader transmits it:
// "]d2010952012345678810ABC123<GS>17251231" (GS = 0x1D). GS1 symbols (]C1, ]d2, ]Q3,
// ]e0, ]J1) carry element strings; a trailing GS is tolerated, a leading one is an
// error, and "^" is not allowed since FNC1 is sent as GS. EAN-13/UPC-A (]E0, 13 digits)
// and EAN-8 (]E4, 8 digits) yield AI (01) with the GTIN padded to 14 digits. Plain
// QR Code, DataMatrix and Code 128 (]Q1, ]d1, ]C0) are GS1 data only when they carry a
// GS1 Digital Link URI. The returned Data keeps the symbology identifier.
func ParseScanData(s string, opts Options) (Data, error) {
	var b builder
	id := ""
	if sym := parseScanData(&b, s, opts); sym != nil {
		id = sym.id
	}
	return b.finish(id, opts)
}

// parseScanData splits s into b and returns the symbology it names, nil when unknown.
func parseScanData(b *builder, s string, opts Options) *symbology {
	if len(s) < 3 || s[0] != ']' {
		b.fail("", 0, "missing AIM symbology identifier (]XY) at the start of scan data")
		return nil
	}
	sym := lookupSymbology(s[:3])
	if sym == nil {
		b.fail("", 0, "unsupported symbology identifier "+excerpt(s[:3], 3))
		return nil
	}
	data := s[3:]
	switch sym.kind {
	case 'g':
		if data == "" {
			b.fail("", 3, "no AI data after "+sym.id)
			return sym
		}
		if i := strings.IndexByte(data, '^'); i >= 0 {
			b.giveUp("", 3+i, `"^" is not allowed in scan data: FNC1 is transmitted as GS (0x1D)`)
			return sym
		}
		p := 3
		if s[p] == GS {
			b.fail("", p, "GS before the first AI: FNC1 in first position is implied by "+sym.id)
			for p < len(s) && s[p] == GS {
				p++
			}
		}
		splitElementString(b, s, p, false)
	case 'e':
		if len(data) != sym.n {
			b.fail("01", 3, sym.name+" scan data must be "+strconv.Itoa(sym.n)+" digits, got "+strconv.Itoa(len(data)))
			return sym
		}
		for i := 0; i < len(data); i++ {
			if !isDigit(data[i]) {
				b.fail("01", 3+i, "non-digit "+quoteByte(data[i])+" in "+sym.name+" scan data")
				return sym
			}
		}
		pad := 14 - sym.n
		b.add("01", "00000000000000"[:pad]+data, loc{ai: 3, val: 3, pad: pad})
	case 'p':
		if !hasPrefixFold(data, "http://") && !hasPrefixFold(data, "https://") {
			b.fail("", 3, sym.name+" ("+sym.id+") data is not GS1 data: neither GS1 element strings nor a GS1 Digital Link URI")
			return sym
		}
		parseDigitalLink(b, s, 3, opts)
	}
	return sym
}
