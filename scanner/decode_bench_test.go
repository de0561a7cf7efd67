package scanner

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/datamatrix"
	"github.com/boombuler/barcode/ean"
	"github.com/boombuler/barcode/qr"
)

// cleanGS1DataMatrix is the benchmark symbol: a GS1 DataMatrix (first byte
// 232) with GTIN, expiry, lot and serial, drawn at 4 pixels per module.
func cleanGS1DataMatrix(b *testing.B) []byte {
	bc, err := datamatrix.Encode("\xe8" + "0109501101530003" + "17261231" + "10LOT42A" + "\xe8" + "21SN12345")
	img := symbolImage(b, must(b, bc, err), 4, 1, 0)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

const cleanGS1DataMatrixText = "]d2" + "0109501101530003" + "17261231" + "10LOT42A" + gs + "21SN12345"

// BenchmarkDecodeImageGS1DataMatrix decodes an already decoded image: the reader's
// own cost (target: at least 2000 per second per core, zxing-cpp's figure).
func BenchmarkDecodeImageGS1DataMatrix(b *testing.B) {
	img, err := png.Decode(bytes.NewReader(cleanGS1DataMatrix(b)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if got, err := DecodeImage(img); err != nil || got != cleanGS1DataMatrixText {
			b.Fatalf("DecodeImage = %q, %v", got, err)
		}
	}
}

// BenchmarkDecodeImageBytesGS1DataMatrix includes PNG decoding, as for an uploaded file.
func BenchmarkDecodeImageBytesGS1DataMatrix(b *testing.B) {
	file := cleanGS1DataMatrix(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		if got, err := DecodeImageBytes(file); err != nil || got != cleanGS1DataMatrixText {
			b.Fatalf("DecodeImageBytes = %q, %v", got, err)
		}
	}
}

// BenchmarkDecodeImageSymbologies decodes a clean symbol of each other kind we issue,
// for comparison with the DataMatrix figure (each is found by the first attempt).
func BenchmarkDecodeImageSymbologies(b *testing.B) {
	gs1128, err := code128.Encode("\u00f1" + "0109501101530003" + "10LOT42A" + "\u00f1" + "21SN12345")
	c128 := symbolImage(b, must(b, gs1128, err), 2, 10, 40)
	e, err := ean.Encode("9501101530003")
	ean13 := symbolImage(b, must(b, e, err), 2, 11, 50)
	q, err := qr.Encode("https://id.gs1.org/01/09501101530003/10/LOT42A/21/SN12345", qr.M, qr.Auto)
	dlqr := symbolImage(b, must(b, q, err), 4, 4, 0)
	for _, c := range []struct {
		name string
		img  image.Image
		want string
	}{
		{"GS1-128", c128, "]C1" + "0109501101530003" + "10LOT42A" + gs + "21SN12345"},
		{"EAN-13", ean13, "]E09501101530003"},
		{"DigitalLinkQR", dlqr, "]Q1https://id.gs1.org/01/09501101530003/10/LOT42A/21/SN12345"},
		{"GS1QR", symbolImage(b, gs1QR(b, "0109501101530003"+"10LOT42A"+gs+"21SN12345"), 4, 0, 0),
			"]Q3" + "0109501101530003" + "10LOT42A" + gs + "21SN12345"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got, err := DecodeImage(c.img); err != nil || got != c.want {
					b.Fatalf("DecodeImage = %q, %v", got, err)
				}
			}
		})
	}
}
