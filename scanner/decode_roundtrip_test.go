package scanner

import (
	"bytes"
	"fmt"
	"testing"
)

// TestDecodeReadsRenderedSymbols closes the loop with the renderer: every case of
// renderCases, in every symbology it names, drawn at two module sizes, must be read
// back by DecodeImageBytes to exactly the symbol's identifier and data.
func TestDecodeReadsRenderedSymbols(t *testing.T) {
	for _, c := range renderCases {
		for _, sym := range c.syms {
			for _, opts := range []RenderOptions{{Module: 2, HRI: true}, {Module: 4}} {
				t.Run(fmt.Sprintf("%s/%s/module%d", sym, c.name, opts.Module), func(t *testing.T) {
					s, err := Render(sym, c.input, opts)
					if err != nil {
						t.Fatalf("Render(%s, %q): %v", sym, c.input, err)
					}
					var buf bytes.Buffer
					if err := s.PNG(&buf); err != nil {
						t.Fatal(err)
					}
					got, err := DecodeImageBytes(buf.Bytes())
					if err != nil {
						t.Fatalf("DecodeImageBytes: %v", err)
					}
					if want := sym.AIM() + s.Data; got != want {
						t.Errorf("DecodeImageBytes = %q, want %q", got, want)
					}
				})
			}
		}
	}
}
