package scanner_test

import (
	"fmt"
	"io"

	"traceledger/scanner"
)

// A producer issues the GS1 DataMatrix for a lot: the data a scanner will transmit is
// the element string with FNC1 (GS) after the variable-length lot.
func ExampleRender() {
	s, err := scanner.Render(scanner.GS1DataMatrix, "(01)09506000134352(10)LOT42(17)261231", scanner.RenderOptions{Module: 4})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s%q, %dx%d modules with quiet zones\n", s.Symbology.AIM(), s.Data, s.Width, s.Height)
	if err := s.PNG(io.Discard); err != nil { // or s.SVG(w), to a file or an HTTP response
		fmt.Println(err)
	}
	_, err = scanner.Render(scanner.EAN13, "(01)09506000134352(10)LOT42", scanner.RenderOptions{})
	fmt.Println(err)
	// Output:
	// ]d2"010950600013435210LOT42\x1d17261231", 24x24 modules with quiet zones
	// ean13 holds a GTIN (01) alone: AI (10) cannot go in it; use gs1-128, gs1-datamatrix or gs1-qr
}
