package scanner

import (
	"image/png"
	"io"
	"testing"
)

// benchInputs is a typical label's data per symbology: GTIN, lot and expiry, or the GTIN
// alone for EAN/UPC.
var benchInputs = map[Symbology]string{
	GS1128:        "(01)09506000134352(17)261231(10)LOT42A",
	GS1DataMatrix: "(01)09506000134352(17)261231(10)LOT42A",
	GS1QR:         "(01)09506000134352(17)261231(10)LOT42A",
	DLQR:          "(01)09506000134352(17)261231(10)LOT42A",
	DLDataMatrix:  "(01)09506000134352(17)261231(10)LOT42A",
	EAN13:         "9506000134352",
	UPCA:          "012345678905",
	EAN8:          "96385074",
}

// BenchmarkRender measures issuing one symbol from text input to a finished image, per
// symbology and format, at the default 4-pixel module. The target is >= 5000
// GS1 DataMatrix PNGs per second per core (<= 200 us/op for gs1-datamatrix/png).
func BenchmarkRender(b *testing.B) {
	for _, sym := range Symbologies() {
		for _, format := range []string{"png", "svg"} {
			b.Run(sym.String()+"/"+format, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					s, err := Render(sym, benchInputs[sym], RenderOptions{HRI: true})
					if err != nil {
						b.Fatal(err)
					}
					if format == "png" {
						err = s.PNG(io.Discard)
					} else {
						err = s.SVG(io.Discard)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRenderBaselineImagePNG is the same-run baseline for the PNG figures: the
// symbols drawn as image.Paletted and written by the standard library's image/png at
// BestSpeed with pooled buffers, the obvious way that writePNG replaces.
func BenchmarkRenderBaselineImagePNG(b *testing.B) {
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &benchPNGPool{}}
	for _, sym := range []Symbology{GS1128, GS1DataMatrix, GS1QR, EAN13} {
		b.Run(sym.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s, err := Render(sym, benchInputs[sym], RenderOptions{HRI: true})
				if err != nil {
					b.Fatal(err)
				}
				if err := enc.Encode(io.Discard, s.Image()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchPNGPool is a png.EncoderBufferPool, so the baseline does not pay for a new
// compressor per image.
type benchPNGPool struct{ b *png.EncoderBuffer }

func (p *benchPNGPool) Get() *png.EncoderBuffer  { return p.b }
func (p *benchPNGPool) Put(b *png.EncoderBuffer) { p.b = b }
