package scanner

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"traceledger/fixtures/testenv"
)

// cset82Punct is every punctuation character of GS1 AI encodable character set 82: the
// characters encoders most often get wrong (FNC1 look-alikes, QR's "%", XML's "&<>").
const cset82Punct = `!"%&'()*+,-./:;<=>?_`

// renderCases are inputs every symbology must carry exactly. want is the data a reader
// must transmit after the AIM identifier, written out by hand; "" means "the Digital
// Link URI of the input", checked by parsing it back to the same elements.
var renderCases = []struct {
	name  string
	syms  []Symbology
	input string
	want  string
}{
	{"gtin only", gs1Syms, "(01)09506000134352", "0109506000134352"},
	{"fixed-length AIs need no separator", gs1Syms,
		"(01)09506000134352(17)261231(3103)000189(10)LOT42", "010950600013435217261231310300018910LOT42"},
	{"separator after variable-length AI", gs1Syms,
		"(01)09506000134352(10)ABC123(17)261231", "010950600013435210ABC123\x1d17261231"},
	{"every CSET 82 punctuation character", gs1Syms,
		"^010950600013435221" + cset82Punct, "010950600013435221" + cset82Punct},
	{"punctuation then a separator", gs1Syms,
		"^010950600013435210%&<>\"'_?" + "\x1d21%%1", "010950600013435210%&<>\"'_?\x1d21%%1"},
	{"GS1-128 at its 48 characters", gs1Syms,
		"(01)09506000134352(10)ABCDEFGHIJ0123456789(21)ABCDEFG", "010950600013435210ABCDEFGHIJ0123456789\x1d21ABCDEFG"},
	{"SSCC", gs1Syms, "(00)106141411234567897", "00106141411234567897"},
	{"odd digit runs around separators", gs1Syms,
		"(01)09506000134352(10)12345(21)6(3103)000189", "010950600013435210" + "12345\x1d216\x1d3103000189"},
	{"lowercase and digits alternate", gs1Syms,
		"(01)09506000134352(10)a1b22c333d4444", "010950600013435210a1b22c333d4444"},
	{"values at maximum length", []Symbology{GS1DataMatrix, GS1QR},
		"(01)09506000134352(10)ABCDEFGHIJKLMNOPQRST(21)abcdefghijklmnopqrst(17)261231(400)" + strings.Repeat("0123456789", 3),
		"010950600013435210ABCDEFGHIJKLMNOPQRST\x1d21abcdefghijklmnopqrst\x1d17261231400" + strings.Repeat("0123456789", 3)},
	{"URL AI at 70 characters", []Symbology{GS1DataMatrix, GS1QR},
		"(01)09506000134352(8200)https://example.com/p?a=1&b=2%20x-y_z.html;" + strings.Repeat("A", 70-43),
		"01095060001343528200https://example.com/p?a=1&b=2%20x-y_z.html;" + strings.Repeat("A", 70-43)},
	{"lot with punctuation in DL", dlSyms, "(01)09506000134352(10)AB%C/1&?=+", ""},
	{"DL URI with percent-encoded values", dlSyms, "https://id.gs1.org/01/09506000134352/10/AB%25C%2F1%26%3F?17=261231", ""},
	{"DL serial with every punctuation character", dlSyms, "^010950600013435221" + cset82Punct, ""},
	{"DL SSCC", dlSyms, "(00)106141411234567897", ""},
	{"EAN-13 from a bare GTIN-13", []Symbology{EAN13}, "9506000134352", "9506000134352"},
	{"EAN-13 from an element string", []Symbology{EAN13}, "(01)09506000134352", "9506000134352"},
	{"EAN-13 from a GTIN-14 with indicator 0", []Symbology{EAN13}, "09506000134352", "9506000134352"},
	{"UPC-A from a bare GTIN-12", []Symbology{UPCA, EAN13}, "012345678905", "0012345678905"},
	{"UPC-A from an element string", []Symbology{UPCA}, "(01)00012345678905", "0012345678905"},
	{"EAN-8 from a bare GTIN-8", []Symbology{EAN8}, "96385074", "96385074"},
	{"EAN-8 from scan data", []Symbology{EAN8}, "]E496385074", "96385074"},
}

var (
	gs1Syms = []Symbology{GS1128, GS1DataMatrix, GS1QR}
	dlSyms  = []Symbology{DLQR, DLDataMatrix}
)

// TestRenderedSymbolsReadByZXing renders every case in every symbology it names, as a
// PNG, and has zxing-cpp's ZXingReader, an independent reader, read it back: it must
// report the symbology identifier and exactly the intended bytes.
func TestRenderedSymbolsReadByZXing(t *testing.T) {
	tool := testenv.Tool(t, "ZXingReader", "zxing-cpp-tools")
	dir := t.TempDir()
	for _, c := range renderCases {
		for _, sym := range c.syms {
			t.Run(sym.String()+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				s, err := Render(sym, c.input, RenderOptions{Module: 2, HRI: true})
				if err != nil {
					t.Fatalf("Render(%s, %q): %v", sym, c.input, err)
				}
				checkIntendedData(t, c.input, c.want, s)
				var buf bytes.Buffer
				if err := s.PNG(&buf); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join(dir, fmt.Sprintf("%s-%x.png", sym, c.name))
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				id, data, err := testenv.ZXingRead(tool, path)
				if err != nil {
					t.Fatal(err)
				}
				want := s.Data
				if (sym == EAN13 || sym == UPCA) && want[0] == '0' {
					// zxing-cpp reports an EAN-13 with a leading 0 as UPC-A, 12 digits.
					want = want[1:]
				}
				if id != sym.AIM() || string(data) != want {
					t.Errorf("ZXingReader read %s %q, want %s %q", id, data, sym.AIM(), want)
				}
			})
		}
	}
}

// checkIntendedData checks the symbol's data against the case: the literal bytes, or
// for Digital Link symbols a URI that parses back to the input's elements.
func checkIntendedData(t *testing.T, input, want string, s *Symbol) {
	t.Helper()
	if want != "" {
		if s.Data != want {
			t.Fatalf("Data = %q, want %q", s.Data, want)
		}
		return
	}
	in, err := Parse(input, Options{})
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(s.Data, Options{})
	if err != nil {
		t.Fatalf("Digital Link %q does not parse: %v", s.Data, err)
	}
	if !sameElements(in.Elements, back.Elements) {
		t.Fatalf("Digital Link %q holds %v, input %v", s.Data, back.Elements, in.Elements)
	}
}

// sameElements compares element lists as sets (a Digital Link may reorder AIs).
func sameElements(a, b []Element) bool {
	key := func(x Element) string { return x.AI + "\x00" + x.Value }
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		ka[i] = key(a[i])
	}
	for i := range b {
		kb[i] = key(b[i])
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}

// TestRenderRefusesDataTheSymbologyCannotHold checks each refusal names what is wrong.
func TestRenderRefusesDataTheSymbologyCannotHold(t *testing.T) {
	for _, c := range []struct {
		sym   Symbology
		input string
		want  string
	}{
		{GS1128, "(01)09506000134352(10)ABCDEFGHIJ0123456789(21)ABCDEFGH", "at most 48 data characters"},
		{EAN13, "(01)09506000134352(10)LOT1", "AI (10) cannot go in it"},
		{EAN13, "(01)19506000134359", "GTIN-14"},
		{EAN13, "(00)106141411234567897", "AI (00)"},
		{UPCA, "9506000134352", "not a GTIN-12"},
		{EAN8, "(01)09506000134352", "not a GTIN-8"},
		{EAN13, "96385074", "use ean8"},
		{UPCA, "(01)00000096385074", "use ean8"},
		{EAN8, "1234", "AI (12)"},                       // not a GTIN: parsed as AIs
		{GS1DataMatrix, "(01)09506000134353", "(01)"},   // check digit: the parser's error
		{GS1QR, "(01)09506000134352(17)261341", "(17)"}, // no 41st day
		{DLQR, "(01)09506000134352(10)LOT\x7f", "(10)"}, // not CSET 82
		{DLDataMatrix, "(10)LOT1", "(10)"},              // (10) requires (01)
		{GS1128, "", "empty"},
	} {
		_, err := Render(c.sym, c.input, RenderOptions{})
		if err == nil {
			t.Errorf("Render(%s, %q) succeeded, want error with %q", c.sym, c.input, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("Render(%s, %q) = %v, want an error with %q", c.sym, c.input, err, c.want)
		}
	}
}

// TestSymbolGridHasItsQuietZones checks the grid: the margins are light, the symbol
// touches them, and sizes follow the options.
func TestSymbolGridHasItsQuietZones(t *testing.T) {
	wantQuiet := map[Symbology]Margins{
		GS1128: {5, 10, 5, 10}, GS1DataMatrix: {2, 2, 2, 2}, GS1QR: {4, 4, 4, 4},
		DLQR: {4, 4, 4, 4}, DLDataMatrix: {2, 2, 2, 2}, EAN13: {5, 10, 5, 11}, UPCA: {5, 10, 5, 11}, EAN8: {5, 10, 5, 10},
	}
	for _, sym := range Symbologies() {
		input := "(01)09506000134352(10)LOT1"
		switch sym {
		case EAN13:
			input = "9506000134352"
		case UPCA:
			input = "012345678905"
		case EAN8:
			input = "96385074"
		}
		s, err := Render(sym, input, RenderOptions{})
		if err != nil {
			t.Fatalf("%s: %v", sym, err)
		}
		if s.Quiet != wantQuiet[sym] {
			t.Errorf("%s: Quiet = %+v, want %+v", sym, s.Quiet, wantQuiet[sym])
		}
		if s.Module != DefaultModule || len(s.Modules) != s.Width*s.Height {
			t.Errorf("%s: Module %d, %d modules for %dx%d", sym, s.Module, len(s.Modules), s.Width, s.Height)
		}
		q := s.Quiet
		var darkLeft, darkRight, darkTop, darkBottom bool
		for y := 0; y < s.Height; y++ {
			for x := 0; x < s.Width; x++ {
				inside := x >= q.Left && x < s.Width-q.Right && y >= q.Top && y < s.Height-q.Bottom
				if s.Dark(x, y) && !inside {
					t.Fatalf("%s: dark module at %d,%d in the quiet zone", sym, x, y)
				}
				if s.Dark(x, y) {
					darkLeft = darkLeft || x == q.Left
					darkRight = darkRight || x == s.Width-q.Right-1
					darkTop = darkTop || y == q.Top
					darkBottom = darkBottom || y == s.Height-q.Bottom-1
				}
			}
		}
		if !darkLeft || !darkRight || !darkTop || !darkBottom {
			t.Errorf("%s: symbol does not reach its quiet zone on every side (%v %v %v %v)", sym, darkLeft, darkRight, darkTop, darkBottom)
		}
	}
}

// TestRenderOptionsSizeTheImage checks module size, target width and their limits.
func TestRenderOptionsSizeTheImage(t *testing.T) {
	s, err := Render(GS1DataMatrix, "(01)09506000134352", RenderOptions{Width: 100})
	if err != nil {
		t.Fatal(err)
	}
	if s.Module != 100/s.Width {
		t.Errorf("Width 100 over %d modules: Module = %d", s.Width, s.Module)
	}
	img := s.Image()
	if w := img.Rect.Dx(); w > 100 || w < 100-s.Width {
		t.Errorf("image width %d for target 100", w)
	}
	for _, o := range []RenderOptions{{Width: 5}, {Width: -1}, {Module: -2}, {Module: 1000}} {
		if _, err := Render(GS1DataMatrix, "(01)09506000134352", o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
	s, err = Render(GS1QR, "(01)09506000134352", RenderOptions{Module: 7, HRI: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.Text != "" {
		t.Errorf("2D symbol has HRI %q", s.Text)
	}
	if b := s.Image().Rect; b.Dx() != 7*s.Width || b.Dy() != 7*s.Height {
		t.Errorf("image %v for %dx%d modules of 7 px", b, s.Width, s.Height)
	}
}

// TestHRIText checks the human-readable lines: bracketed AIs with raw values under
// GS1-128, grouped digits under EAN/UPC, and that they make the image taller.
func TestHRIText(t *testing.T) {
	for _, c := range []struct {
		sym         Symbology
		input, want string
	}{
		{GS1128, "^010950600013435210A(B)%", "(01)09506000134352(10)A(B)%"},
		{EAN13, "9506000134352", "9 506000 134352"},
		{UPCA, "012345678905", "0 12345 67890 5"},
		{EAN8, "96385074", "9638 5074"},
	} {
		s, err := Render(c.sym, c.input, RenderOptions{HRI: true})
		if err != nil {
			t.Fatal(err)
		}
		if s.Text != c.want {
			t.Errorf("%s %q: Text = %q, want %q", c.sym, c.input, s.Text, c.want)
		}
		if h := s.Image().Rect.Dy(); h <= s.Height*s.Module {
			t.Errorf("%s: image height %d leaves no room for the text", c.sym, h)
		}
	}
}

// TestPNGIsTheGrid decodes the PNG and compares every pixel with the module grid.
func TestPNGIsTheGrid(t *testing.T) {
	for _, sym := range []Symbology{GS1128, GS1DataMatrix, GS1QR} {
		s, err := Render(sym, "(01)09506000134352(10)LOT1", RenderOptions{Module: 3})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := s.PNG(&buf); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != 3*s.Width || b.Dy() != 3*s.Height {
			t.Fatalf("%s: PNG %v for %dx%d modules", sym, b, s.Width, s.Height)
		}
		for y := 0; y < 3*s.Height; y++ {
			for x := 0; x < 3*s.Width; x++ {
				r, _, _, _ := img.At(x, y).RGBA()
				if dark := r < 0x8000; dark != s.Dark(x/3, y/3) {
					t.Fatalf("%s: pixel %d,%d dark=%v, module dark=%v", sym, x, y, dark, !dark)
				}
			}
		}
	}
}

var svgRect = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v(\d+)h-(\d+)z`)

// TestSVGIsTheGrid paints the SVG path's rectangles back into a grid and compares it
// with the symbol's: every dark module drawn once, nothing else.
func TestSVGIsTheGrid(t *testing.T) {
	for _, sym := range Symbologies() {
		input := "(01)09506000134352(10)L&<>\"'"
		switch sym {
		case EAN13, UPCA:
			input = "012345678905"
		case EAN8:
			input = "96385074"
		}
		s, err := Render(sym, input, RenderOptions{Module: 3, HRI: true})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := s.SVG(&buf); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		head := fmt.Sprintf(`width="%d" height=`, 3*s.Width)
		if !strings.HasPrefix(out, "<svg ") || !strings.Contains(out, head) || strings.Contains(out, "<image") {
			t.Fatalf("%s: SVG head %.200s", sym, out)
		}
		if s.Text != "" {
			spans, _, _ := s.hriLayout()
			for _, sp := range spans {
				if !strings.Contains(out, ">"+xmlEscape(sp.text)+"</text>") {
					t.Errorf("%s: SVG lacks the text %q", sym, sp.text)
				}
			}
		}
		painted := make([]int, s.Width*s.Height)
		for _, m := range svgRect.FindAllStringSubmatch(out, -1) {
			v := make([]int, 5)
			for i := range v {
				v[i], _ = strconv.Atoi(m[i+1])
			}
			if v[2] != v[4] {
				t.Fatalf("%s: unbalanced rect %q", sym, m[0])
			}
			for y := v[1]; y < v[1]+v[3]; y++ {
				for x := v[0]; x < v[0]+v[2]; x++ {
					painted[y*s.Width+x]++
				}
			}
		}
		for i, n := range painted {
			if want := s.Modules[i]; n > 1 || (n == 1) != want {
				t.Fatalf("%s: module %d,%d painted %d times, dark=%v", sym, i%s.Width, i/s.Width, n, want)
			}
		}
	}
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xmlEscapeText(&b, s)
	return b.String()
}

// TestParseSymbology checks every name round-trips and unknown names are refused.
func TestParseSymbology(t *testing.T) {
	for _, s := range Symbologies() {
		got, err := ParseSymbology(strings.ToUpper(s.String()))
		if err != nil || got != s {
			t.Errorf("ParseSymbology(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseSymbology("code39"); err == nil || !strings.Contains(err.Error(), "gs1-datamatrix") {
		t.Errorf("ParseSymbology(code39) = %v", err)
	}
}

// TestEANDigitsSitBetweenLongGuards checks the EAN/UPC layout with digits: only the
// guard bars (and UPC-A's outer digits) reach below the others, and the digit groups
// read back as the symbol's digits.
func TestEANDigitsSitBetweenLongGuards(t *testing.T) {
	for _, c := range []struct {
		sym    Symbology
		input  string
		long   [][2]int
		groups string
	}{
		{EAN13, "9506000134352", [][2]int{{0, 3}, {45, 50}, {92, 95}}, "9|506000|134352"},
		{UPCA, "012345678905", [][2]int{{0, 10}, {45, 50}, {85, 95}}, "0|12345|67890|5"},
		{EAN8, "96385074", [][2]int{{0, 3}, {31, 36}, {64, 67}}, "9638|5074"},
	} {
		plain, err := Render(c.sym, c.input, RenderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		s, err := Render(c.sym, c.input, RenderOptions{HRI: true})
		if err != nil {
			t.Fatal(err)
		}
		if s.Height != plain.Height+guardExtension {
			t.Fatalf("%s: height %d, want %d", c.sym, s.Height, plain.Height+guardExtension)
		}
		q := s.Quiet
		last := s.Height - q.Bottom - 1 // the last row of the long bars
		for x := 0; x < s.Width; x++ {
			inLong := false
			for _, r := range c.long {
				inLong = inLong || (x-q.Left >= r[0] && x-q.Left < r[1])
			}
			if want := inLong && s.Dark(x, q.Top); s.Dark(x, last) != want {
				t.Fatalf("%s: module %d of the last row dark=%v, want %v", c.sym, x, !want, want)
			}
		}
		spans, _, fixed := s.hriLayout()
		var got []string
		for _, sp := range spans {
			got = append(got, sp.text)
		}
		if !fixed || strings.Join(got, "|") != c.groups {
			t.Errorf("%s: digit groups %q, want %q", c.sym, strings.Join(got, "|"), c.groups)
		}
	}
}
