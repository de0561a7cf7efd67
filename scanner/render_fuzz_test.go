package scanner

import (
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	qrdecoder "github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// FuzzRender feeds arbitrary text to Render, the path from outside input (CLI, HTTP) to
// a symbol, in every symbology: it must never panic, and whatever it issues must be
// what a reader's scan data says it is, GS1 data that parses back to the same elements.
func FuzzRender(f *testing.F) {
	for _, c := range renderCases {
		for _, sym := range c.syms {
			f.Add(uint8(sym), c.input)
		}
	}
	f.Add(uint8(GS1128), "(01)09506000134352(10)ABCDEFGHIJ0123456789(21)ABCDEFGH")
	f.Add(uint8(EAN13), "(01)09506000134352(10)LOT1")
	f.Add(uint8(DLQR), "https://id.gs1.org/01/09506000134352/10/%41%2")
	f.Fuzz(func(t *testing.T, n uint8, input string) {
		sym := Symbologies()[int(n)%len(Symbologies())]
		s, err := Render(sym, input, RenderOptions{Module: 1, HRI: true})
		if err != nil {
			return
		}
		if s.Data == "" || len(s.Modules) != s.Width*s.Height || s.Width <= 0 || s.Height <= 0 {
			t.Fatalf("%s %q: Data %q, %d modules for %dx%d", sym, input, s.Data, len(s.Modules), s.Width, s.Height)
		}
		// Render reads a bare GTIN first for EAN/UPC, else any input Parse accepts.
		var in Data
		if gtin, bare := bareGTIN(input); bare && (sym == EAN13 || sym == UPCA || sym == EAN8) {
			in = Data{Elements: []Element{{AI: "01", Value: gtin}}}
		} else if in, err = Parse(input, Options{}); err != nil {
			t.Fatalf("%s %q rendered but does not parse: %v", sym, input, err)
		}
		back, err := Parse(sym.AIM()+s.Data, Options{})
		if err != nil {
			t.Fatalf("%s %q: scan data %q does not parse: %v", sym, input, sym.AIM()+s.Data, err)
		}
		if !sameElements(in.Elements, back.Elements) {
			t.Fatalf("%s %q: symbol holds %v, input %v", sym, input, back.Elements, in.Elements)
		}
	})
}

// FuzzEncodeQR checks our QR bit stream against gozxing's QR decoder, read straight from
// the module grid: any ASCII text, with or without FNC1 in first position, must come
// back byte for byte with the right symbology modifier (3 for GS1, 1 plain), or be
// refused as too long.
func FuzzEncodeQR(f *testing.F) {
	f.Add("0109506000134352\x1d10AB%C\x1d17261231", true)
	f.Add("https://id.gs1.org/01/09506000134352/10/AB%25C", false)
	f.Add("%%\x1d%12345678901234567890abcDEF%", true)
	f.Add(strings.Repeat("0123456789", 80), true)
	f.Fuzz(func(t *testing.T, raw string, gs1 bool) {
		// Map to printable ASCII, and DEL to GS in GS1 mode, the bytes GS1 data and URIs use.
		b := []byte(raw)
		for i := range b {
			b[i] = 0x20 + b[i]%0x60
			if gs1 && b[i] == 0x7f {
				b[i] = 0x1d
			}
		}
		data := string(b)
		s, err := encodeQR(data, gs1)
		if err != nil {
			if data != "" && !strings.Contains(err.Error(), "do not fit") {
				t.Fatalf("encodeQR(%q, %v): %v", data, gs1, err)
			}
			return
		}
		q := s.Quiet
		dim := s.Width - q.Left - q.Right
		bm, _ := gozxing.NewSquareBitMatrix(dim)
		for y := 0; y < dim; y++ {
			for x := 0; x < dim; x++ {
				if s.Dark(x+q.Left, y+q.Top) {
					bm.Set(x, y)
				}
			}
		}
		res, err := qrdecoder.NewDecoder().Decode(bm, nil)
		if err != nil {
			t.Fatalf("gozxing cannot decode encodeQR(%q, %v): %v", data, gs1, err)
		}
		mod := 1
		if gs1 {
			mod = 3
		}
		if res.GetText() != data || res.GetSymbologyModifier() != mod {
			t.Fatalf("encodeQR(%q, %v) decodes to %q modifier %d", data, gs1, res.GetText(), res.GetSymbologyModifier())
		}
	})
}
