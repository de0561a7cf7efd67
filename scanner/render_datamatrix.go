package scanner

import (
	"fmt"
	"strings"

	"github.com/boombuler/barcode/datamatrix"
)

// dataMatrixQuiet is the quiet zone around a Data Matrix, in modules. ISO/IEC 16022 asks
// for one; we give two, which costs little and helps readers separate the finder L from
// whatever is printed beside the symbol.
const dataMatrixQuiet = 2

// encodeDataMatrix encodes content as ECC 200 Data Matrix (boombuler, ASCII encodation
// with digit pairs). With gs1 set, content is an unbracketed GS1 element string: the
// symbol starts with FNC1 (codeword 232), which makes it GS1 DataMatrix, and each GS
// separator becomes FNC1 too (GS1 General Specifications 5.6.3). boombuler switches to
// that reading when the first byte of its input is 232; bytes above 127 would otherwise
// become Upper Shift pairs, so content must be ASCII, as GS1 data and URIs are.
func encodeDataMatrix(content string, gs1 bool) (*Symbol, error) {
	sym := DLDataMatrix
	for i := 0; i < len(content); i++ {
		if content[i] >= 0x80 {
			return nil, fmt.Errorf("Data Matrix: byte 0x%02X at position %d is not ASCII", content[i], i)
		}
	}
	if gs1 {
		sym = GS1DataMatrix
		fnc1 := string([]byte{datamatrix.FNC1})
		content = fnc1 + strings.ReplaceAll(content, "\x1d", fnc1)
	}
	if content == "" {
		return nil, fmt.Errorf("Data Matrix: no data")
	}
	bc, err := datamatrix.EncodeWithColor(content, boombulerScheme)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sym, err)
	}
	b := bc.Bounds()
	q := Margins{dataMatrixQuiet, dataMatrixQuiet, dataMatrixQuiet, dataMatrixQuiet}
	return newSymbol(sym, b.Dx(), b.Dy(), q, func(x, y int) bool { return isDark(bc, x, y) }), nil
}
