package scanner

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/datamatrix"
	"github.com/boombuler/barcode/ean"
	"github.com/boombuler/barcode/qr"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

// symbolImage draws a symbol's modules at px pixels each with quiet modules of white
// around it; linear symbols (one module high) are drawn height modules high.
func symbolImage(t testing.TB, bc image.Image, px, quiet, height int) *image.Gray {
	t.Helper()
	b := bc.Bounds()
	mh := b.Dy()
	if mh == 1 {
		mh = height
	}
	img := image.NewGray(image.Rect(0, 0, (b.Dx()+2*quiet)*px, (mh+2*quiet)*px))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for my := 0; my < mh; my++ {
		for mx := 0; mx < b.Dx(); mx++ {
			sy := b.Min.Y + min(my, b.Dy()-1)
			if r, _, _, _ := bc.At(b.Min.X+mx, sy).RGBA(); r >= 0x8000 {
				continue
			}
			for y := 0; y < px; y++ {
				off := img.PixOffset((quiet+mx)*px, (quiet+my)*px+y)
				for x := 0; x < px; x++ {
					img.Pix[off+x] = 0
				}
			}
		}
	}
	return img
}

// inScene places sym at (x, y) on a w x h grey, slightly noisy background with a dark
// bar elsewhere (a label's edge), so that neither a detector searching from the
// centre nor the pure-symbol path finds it: only a search of the inked regions does.
func inScene(sym *image.Gray, w, h, x, y int) *grayImage {
	g := newGray(w, h)
	seed := uint32(7)
	for i := range g.pix {
		seed = seed*1664525 + 1013904223
		g.pix[i] = 150 + byte(seed>>28)
	}
	for by := 100; by < 140; by++ {
		for bx := 60; bx < 400; bx++ {
			g.pix[by*w+bx] = 20
		}
	}
	b := sym.Bounds()
	for sy := 0; sy < b.Dy(); sy++ {
		copy(g.pix[(y+sy)*w+x:], sym.Pix[sy*sym.Stride:sy*sym.Stride+b.Dx()])
	}
	return g
}

// bitMatrixImage is symbolImage for a symbol drawn by a gozxing writer (one pixel per
// module, quiet zone included).
type bitMatrixImage struct{ m *gozxing.BitMatrix }

func (b bitMatrixImage) ColorModel() color.Model { return color.GrayModel }
func (b bitMatrixImage) Bounds() image.Rectangle {
	return image.Rect(0, 0, b.m.GetWidth(), b.m.GetHeight())
}
func (b bitMatrixImage) At(x, y int) color.Color {
	if b.m.Get(x, y) {
		return color.Gray{0}
	}
	return color.Gray{255}
}

func must(t testing.TB, bc barcode.Barcode, err error) barcode.Barcode {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return bc
}

func gs1QR(t testing.TB, content string) image.Image {
	t.Helper()
	m, err := zxqr.NewQRCodeWriter().Encode(content, gozxing.BarcodeFormat_QR_CODE, 0, 0,
		map[gozxing.EncodeHintType]interface{}{gozxing.EncodeHintType_GS1_FORMAT: true})
	if err != nil {
		t.Fatal(err)
	}
	return bitMatrixImage{m}
}

func upcE(t testing.TB, content string) image.Image {
	t.Helper()
	m, err := oned.NewUPCEWriter().Encode(content, gozxing.BarcodeFormat_UPC_E, 0, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	return bitMatrixImage{m}
}

// TestDecodeImageScanData pins down the exact scan data, identifier and bytes, that a
// scanner would transmit for each symbology we read.
func TestDecodeImageScanData(t *testing.T) {
	const fnc1 = "\xe8" // boombuler's DataMatrix FNC1 codeword
	tests := []struct {
		name string
		img  func(t testing.TB) image.Image
		want string
	}{
		{"GS1 DataMatrix with separator", func(t testing.TB) image.Image {
			bc, err := datamatrix.Encode(fnc1 + "0109501101530003" + "17261231" + "10ABC-12" + fnc1 + "21S/1")
			return symbolImage(t, must(t, bc, err), 4, 1, 0)
		}, "]d2" + "0109501101530003" + "17261231" + "10ABC-12" + gs + "21S/1"},
		{"plain DataMatrix holding a Digital Link", func(t testing.TB) image.Image {
			bc, err := datamatrix.Encode("https://id.gs1.org/01/09501101530003/10/AB%2F1")
			return symbolImage(t, must(t, bc, err), 3, 2, 0)
		}, "]d1https://id.gs1.org/01/09501101530003/10/AB%2F1"},
		{"GS1-128", func(t testing.TB) image.Image {
			bc, err := code128.Encode("\u00f1" + "0109501101530003" + "10LOT7" + "\u00f1" + "3103000500")
			return symbolImage(t, must(t, bc, err), 2, 10, 40)
		}, "]C1" + "0109501101530003" + "10LOT7" + gs + "3103000500"},
		{"plain Code 128", func(t testing.TB) image.Image {
			bc, err := code128.Encode("Code 128")
			return symbolImage(t, must(t, bc, err), 2, 10, 40)
		}, "]C0Code 128"},
		{"plain QR", func(t testing.TB) image.Image {
			bc, err := qr.Encode("https://example.com/01/09501101530003", qr.M, qr.Auto)
			return symbolImage(t, must(t, bc, err), 4, 4, 0)
		}, "]Q1https://example.com/01/09501101530003"},
		{"GS1 QR (FNC1 first position)", func(t testing.TB) image.Image {
			return symbolImage(t, gs1QR(t, "0109501101530003"+"10ABC"+gs+"17261231"), 4, 0, 0)
		}, "]Q3" + "0109501101530003" + "10ABC" + gs + "17261231"},
		{"EAN-13", func(t testing.TB) image.Image {
			bc, err := ean.Encode("9501101530003")
			return symbolImage(t, must(t, bc, err), 2, 11, 50)
		}, "]E09501101530003"},
		{"UPC-A, transmitted as EAN-13", func(t testing.TB) image.Image {
			bc, err := ean.Encode("0036000291452")
			return symbolImage(t, must(t, bc, err), 2, 11, 50)
		}, "]E00036000291452"},
		{"EAN-8", func(t testing.TB) image.Image {
			bc, err := ean.Encode("96385074")
			return symbolImage(t, must(t, bc, err), 2, 11, 50)
		}, "]E496385074"},
		{"UPC-E, transmitted expanded as EAN-13", func(t testing.TB) image.Image {
			return symbolImage(t, upcE(t, "01234565"), 2, 11, 50)
		}, "]E00012345000065"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeImage(tt.img(t))
			if err != nil {
				t.Fatalf("DecodeImage: %v", err)
			}
			if got != tt.want {
				t.Errorf("DecodeImage = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDecodeImageHardCases covers what photos do to symbols: turns, inversion, size
// and lossy compression.
func TestDecodeImageHardCases(t *testing.T) {
	dm := func(t testing.TB, px int) *image.Gray {
		bc, err := datamatrix.Encode("\xe8" + "0109501101530003" + "10LOT42")
		return symbolImage(t, must(t, bc, err), px, 2, 0)
	}
	c128 := func(t testing.TB) *image.Gray {
		bc, err := code128.Encode("\u00f1" + "0109501101530003" + "10LOT42")
		return symbolImage(t, must(t, bc, err), 2, 10, 40)
	}
	const wantDM = "]d2010950110153000310LOT42"
	const wantC128 = "]C1010950110153000310LOT42"
	tests := []struct {
		name string
		img  func(t testing.TB) *grayImage
		want string
	}{
		{"Code 128 turned a quarter", func(t testing.TB) *grayImage {
			return grayOf(c128(t)).rotate90(1)
		}, wantC128},
		{"Code 128 upside down", func(t testing.TB) *grayImage { return grayOf(c128(t)).rotate90(2) }, wantC128},
		{"Code 128 tilted 10 degrees", func(t testing.TB) *grayImage { return grayOf(c128(t)).rotate(10) }, wantC128},
		{"short Code 128 tilted 20 degrees: no row crosses every bar", func(t testing.TB) *grayImage {
			bc, err := code128.Encode("\u00f1" + "0109501101530003" + "10LOT42")
			return grayOf(symbolImage(t, must(t, bc, err), 3, 10, 12)).rotate(-20)
		}, wantC128},
		{"DataMatrix tilted 30 degrees", func(t testing.TB) *grayImage { return grayOf(dm(t, 6)).rotate(30) }, wantDM},
		{"DataMatrix light on dark", func(t testing.TB) *grayImage { return grayOf(dm(t, 5)).invert() }, wantDM},
		{"DataMatrix at 1.5 pixels per module", func(t testing.TB) *grayImage {
			return grayOf(dm(t, 3)).resize(0.5)
		}, wantDM},
		{"large DataMatrix with 40-pixel modules", func(t testing.TB) *grayImage { return grayOf(dm(t, 40)) }, wantDM},
		{"small DataMatrix off-centre in a 4-megapixel scene", func(t testing.TB) *grayImage {
			return inScene(dm(t, 10), 2400, 1600, 1000, 600)
		}, wantDM},
		{"DataMatrix in the corner of a VGA scene", func(t testing.TB) *grayImage {
			return inScene(dm(t, 4), 640, 480, 520, 20)
		}, wantDM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.img(t)
			got, err := unhurried.DecodeImage(&image.Gray{Pix: g.pix, Stride: g.w, Rect: image.Rect(0, 0, g.w, g.h)})
			if err != nil {
				t.Fatalf("DecodeImage: %v", err)
			}
			if got != tt.want {
				t.Errorf("DecodeImage = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDecodeImageBytesFormats reads the same symbol from PNG, JPEG and GIF files, and
// from a PNG with transparency, whose background must count as white.
func TestDecodeImageBytesFormats(t *testing.T) {
	bc, err := datamatrix.Encode("\xe8" + "0109501101530003" + "21X1")
	img := symbolImage(t, must(t, bc, err), 4, 2, 0)
	transparent := image.NewNRGBA(img.Bounds())
	for i, v := range img.Pix {
		if v == 0 {
			transparent.Pix[4*i+3] = 255 // opaque black ink on a transparent sheet
		}
	}
	encode := map[string]func(*bytes.Buffer, image.Image) error{
		"png":  func(b *bytes.Buffer, m image.Image) error { return png.Encode(b, m) },
		"jpeg": func(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, &jpeg.Options{Quality: 60}) },
		"gif":  func(b *bytes.Buffer, m image.Image) error { return gif.Encode(b, m, nil) },
	}
	for name, enc := range encode {
		images := []image.Image{img}
		if name == "png" { // the only one of the three with an alpha channel
			images = append(images, transparent)
		}
		for _, m := range images {
			var buf bytes.Buffer
			if err := enc(&buf, m); err != nil {
				t.Fatal(err)
			}
			got, err := DecodeImageBytes(buf.Bytes())
			if want := "]d2" + "0109501101530003" + "21X1"; err != nil || got != want {
				t.Errorf("%s %T: DecodeImageBytes = %q, %v; want %q", name, m, got, err, want)
			}
		}
	}
}

func TestDecodeImageErrors(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 300, 200))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	if _, err := DecodeImage(blank); !errors.Is(err, ErrNoBarcode) {
		t.Errorf("blank image: err = %v, want ErrNoBarcode", err)
	}
	if _, err := DecodeImage(image.NewGray(image.Rect(0, 0, 0, 0))); !errors.Is(err, ErrNoBarcode) {
		t.Errorf("empty image: err = %v, want ErrNoBarcode", err)
	}
	if _, err := (Decoder{MaxPixels: 300*200 - 1}).DecodeImage(blank); !errors.Is(err, ErrImageTooLarge) {
		t.Errorf("image over MaxPixels: err = %v, want ErrImageTooLarge", err)
	}
	// A GIF header claiming 65535 x 65535 pixels (4.3 gigapixels) and nothing else:
	// refused from the header, before any pixel is allocated.
	huge := []byte("GIF89a\xff\xff\xff\xff\x00\x00\x00;")
	if _, err := DecodeImageBytes(huge); !errors.Is(err, ErrImageTooLarge) {
		t.Errorf("huge GIF header: err = %v, want ErrImageTooLarge", err)
	}
	if _, err := DecodeImageBytes([]byte("not an image")); err == nil || errors.Is(err, ErrNoBarcode) {
		t.Errorf("garbage: err = %v, want an image format error", err)
	}
}

// TestDecodeBudget checks that the budget bounds a hopeless search and that the first,
// cheap attempt runs even when the budget is already spent.
func TestDecodeBudget(t *testing.T) {
	noise := image.NewGray(image.Rect(0, 0, 1200, 900))
	seed := uint32(1)
	for i := range noise.Pix {
		seed = seed*1664525 + 1013904223
		noise.Pix[i] = byte(seed >> 24)
	}
	start := time.Now()
	_, err := (Decoder{Budget: 50 * time.Millisecond}).DecodeImage(noise)
	if !errors.Is(err, ErrNoBarcode) {
		t.Errorf("noise: err = %v, want ErrNoBarcode", err)
	}
	// the bound is checked between attempts; one attempt on 1 megapixel takes well under 1 s
	if d := time.Since(start); d > time.Second {
		t.Errorf("search over noise took %v with a 50 ms budget", d)
	}
	bc, err := datamatrix.Encode("\xe8" + "0109501101530003")
	img := symbolImage(t, must(t, bc, err), 4, 2, 0)
	if got, err := (Decoder{Budget: time.Nanosecond}).DecodeImage(img); err != nil || got != "]d20109501101530003" {
		t.Errorf("clean symbol with spent budget: %q, %v", got, err)
	}
}

func TestUPCEToUPCA(t *testing.T) {
	// GS1 General Specifications figure 5.2.2.4.2-1, one row per last-digit rule
	tests := []struct{ upce, upca string }{
		{"01234505", "012000003455"},
		{"01234514", "012100003454"},
		{"01234523", "012200003453"},
		{"01234531", "012300000451"},
		{"01234543", "012340000053"},
		{"01234558", "012345000058"},
		{"01234565", "012345000065"},
		{"04252614", "042100005264"},
	}
	for _, tt := range tests {
		got, err := upcEToUPCA(tt.upce)
		if err != nil || got != tt.upca {
			t.Errorf("upcEToUPCA(%q) = %q, %v; want %q", tt.upce, got, err, tt.upca)
		}
	}
	for _, bad := range []string{"", "0123456", "0123456A", "012345678"} {
		if _, err := upcEToUPCA(bad); err == nil {
			t.Errorf("upcEToUPCA(%q) succeeded", bad)
		}
	}
}

// TestScanDataOf pins the conversion of gozxing's results, including the quirks: the
// "]C1" text gozxing writes for a leading FNC1 under ASSUME_GS1, the leading GS of a
// GS1 DataMatrix, Latin-1 bytes, and DataBar's implicit AI (01).
func TestScanDataOf(t *testing.T) {
	res := func(f gozxing.BarcodeFormat, sym, text string) *gozxing.Result {
		r := gozxing.NewResult(text, nil, nil, f)
		if sym != "" {
			r.PutMetadata(gozxing.ResultMetadataType_SYMBOLOGY_IDENTIFIER, sym)
		}
		return r
	}
	tests := []struct {
		r    *gozxing.Result
		want string
	}{
		{res(gozxing.BarcodeFormat_CODE_128, "]C1", "]C10109501101530003"+gs+"10A"), "]C10109501101530003" + gs + "10A"},
		{res(gozxing.BarcodeFormat_CODE_128, "]C0", "]C1 literally"), "]C0]C1 literally"},
		{res(gozxing.BarcodeFormat_CODE_128, "]C2", "A"+gs+"BC"), "]C2ABC"},
		{res(gozxing.BarcodeFormat_CODE_128, "]C0", "\xf3a"), "]C0óa"},
		{res(gozxing.BarcodeFormat_CODE_128, "", "abc"), "]C0abc"},
		{res(gozxing.BarcodeFormat_DATA_MATRIX, "]d2", gs+"0109501101530003"), "]d20109501101530003"},
		{res(gozxing.BarcodeFormat_DATA_MATRIX, "]d1", gs+"x\xe9"), "]d1" + gs + "xé"},
		{res(gozxing.BarcodeFormat_QR_CODE, "]Q3", "0109501101530003"), "]Q30109501101530003"},
		{res(gozxing.BarcodeFormat_QR_CODE, "", "hello"), "]Q1hello"},
		{res(gozxing.BarcodeFormat_EAN_13, "]E0", "9501101530003"), "]E09501101530003"},
		{res(gozxing.BarcodeFormat_UPC_A, "]E0", "036000291452"), "]E00036000291452"},
		{res(gozxing.BarcodeFormat_EAN_8, "]E4", "96385074"), "]E496385074"},
		{res(gozxing.BarcodeFormat_UPC_E, "]E0", "01234565"), "]E00012345000065"},
		{res(gozxing.BarcodeFormat_RSS_14, "]e0", "09501101530003"), "]e00109501101530003"},
	}
	for _, tt := range tests {
		got, err := scanDataOf(tt.r)
		if err != nil || got != tt.want {
			t.Errorf("scanDataOf(%v %q) = %q, %v; want %q", tt.r.GetBarcodeFormat(), tt.r.GetText(), got, err, tt.want)
		}
	}
	if _, err := scanDataOf(res(gozxing.BarcodeFormat_AZTEC, "]z0", "x")); err == nil {
		t.Error("scanDataOf(Aztec) succeeded; want unsupported format")
	}
}
