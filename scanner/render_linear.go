package scanner

import (
	"fmt"
	"image/color"
	"strings"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/ean"
)

// Linear symbols: GS1-128 (ISO/IEC 15417 with FNC1 in first position, GS1 General
// Specifications 5.4) and EAN-13/UPC-A/EAN-8 (ISO/IEC 15420), encoded by boombuler.
const (
	// gs1128MaxData is the most data characters a GS1-128 symbol may hold (GS1 General
	// Specifications 5.4.4.3): AIs, values and FNC1 separators, not the leading FNC1.
	gs1128MaxData = 48
	// gs1128Height is the bar height in modules (zint's default; GS1's 31.75 mm at the
	// largest X is 64, readers need far less).
	gs1128Height = 50
	// eanHeight is the EAN-13/UPC-A bar height in modules: 22.85 mm at X = 0.33 mm.
	eanHeight = 69
	// ean8Height is the EAN-8 bar height in modules: 18.23 mm at X = 0.33 mm.
	ean8Height = 55
	// linearQuiet is the quiet zone each side of a linear symbol: ISO/IEC 15417 asks 10
	// modules for Code 128; EAN-13 needs 11 on the left (ISO/IEC 15420) and we give every
	// EAN/UPC at least 10 on both sides.
	linearQuiet = 10
	// linearMargin is the light margin above and below the bars; the standards ask none,
	// but an image cut flush with the bars reads badly.
	linearMargin = 5
)

// boombulerScheme draws boombuler's symbols in two exact colours, so that the modules can
// be read back from its image.Image by comparing with black.
var boombulerScheme = barcode.ColorScheme{Model: color.GrayModel, Background: color.Gray{Y: 255}, Foreground: color.Gray{Y: 0}}

// isDark reports whether boombuler painted the module at x, y in the foreground colour.
func isDark(b barcode.Barcode, x, y int) bool {
	return b.At(x, y) == boombulerScheme.Foreground
}

// encodeGS1128 encodes a GS1 element string in unbracketed form (GS 0x1D after each
// variable-length value, no leading FNC1) as GS1-128: FNC1 first, and FNC1 (boombuler's
// rune U+00F1) for each GS.
func encodeGS1128(unbracketed string) (*Symbol, error) {
	if n := len(unbracketed); n > gs1128MaxData {
		return nil, fmt.Errorf("GS1-128 holds at most %d data characters (AIs, values and separators), this data needs %d: use gs1-datamatrix or gs1-qr, or split it over two symbols", gs1128MaxData, n)
	}
	if unbracketed == "" {
		return nil, fmt.Errorf("GS1-128: no data")
	}
	content := string(code128.FNC1) + strings.ReplaceAll(unbracketed, "\x1d", string(code128.FNC1))
	bc, err := code128.EncodeWithColor(content, boombulerScheme)
	if err != nil {
		return nil, fmt.Errorf("GS1-128: %w", err)
	}
	return linearSymbol(GS1128, bc, gs1128Height, Margins{linearMargin, linearQuiet, linearMargin, linearQuiet}), nil
}

// encodeEAN encodes the digits of an EAN-13 (13 digits, also UPC-A as 0 + GTIN-12) or
// EAN-8 (8 digits), check digit included.
func encodeEAN(sym Symbology, digits string) (*Symbol, error) {
	want, height, q := 13, eanHeight, Margins{linearMargin, linearQuiet, linearMargin, 11}
	if sym == EAN8 {
		want, height, q = 8, ean8Height, Margins{linearMargin, linearQuiet, linearMargin, linearQuiet}
	}
	if len(digits) != want {
		return nil, fmt.Errorf("%s holds %d digits, got %d", sym, want, len(digits))
	}
	bc, err := ean.EncodeWithColor(digits, boombulerScheme)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", sym, digits, err)
	}
	return linearSymbol(sym, bc, height, q), nil
}

// linearSymbol turns boombuler's one-row bar pattern into a grid of height rows.
func linearSymbol(sym Symbology, bc barcode.Barcode, height int, q Margins) *Symbol {
	w := bc.Bounds().Dx()
	bars := make([]bool, w)
	for x := range bars {
		bars[x] = isDark(bc, x, 0)
	}
	return newSymbol(sym, w, height, q, func(x, _ int) bool { return bars[x] })
}

// guardExtension is how far, in modules, the guard bars of an EAN/UPC with its digits
// printed reach below the other bars, down between the digit groups (ISO/IEC 15420).
const guardExtension = 5

// layoutEAN gives an EAN/UPC symbol the standard look of its human-readable digits:
// the guard bars (and UPC-A's first and last digit) extended downwards, the digits in
// groups between them, and the first digit of EAN-13 and UPC-A (and UPC-A's last) in
// the quiet zone beside the bars. Module columns below are within the symbol proper.
func (s *Symbol) layoutEAN() {
	var long [][2]int // bars that reach down, as module ranges
	var spans []hriSpan
	d := s.Data
	switch s.Symbology {
	case EAN13:
		long = [][2]int{{0, 3}, {45, 50}, {92, 95}}
		spans = []hriSpan{{d[:1], -4}, {d[1:7], 24}, {d[7:], 71}}
	case UPCA:
		u := d[1:] // the GTIN-12
		long = [][2]int{{0, 10}, {45, 50}, {85, 95}}
		spans = []hriSpan{{u[:1], -4}, {u[1:6], 27.5}, {u[6:11], 67.5}, {u[11:], 99}}
	case EAN8:
		long = [][2]int{{0, 3}, {31, 36}, {64, 67}}
		spans = []hriSpan{{d[:4], 17}, {d[4:], 50}}
	default:
		return
	}
	w, q := s.Width, s.Quiet
	bottom := s.Height - q.Bottom // first row below the bars
	mods := make([]bool, w*(s.Height+guardExtension))
	copy(mods, s.Modules[:bottom*w])
	bars := s.Modules[q.Top*w : (q.Top+1)*w]
	for y := bottom; y < bottom+guardExtension; y++ {
		for _, r := range long {
			copy(mods[y*w+q.Left+r[0]:y*w+q.Left+r[1]], bars[q.Left+r[0]:q.Left+r[1]])
		}
	}
	s.Modules, s.Height = mods, s.Height+guardExtension
	for i := range spans {
		spans[i].x += float64(q.Left)
	}
	s.hri, s.hriTop = spans, float64(bottom)+0.5
}
