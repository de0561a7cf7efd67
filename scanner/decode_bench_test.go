package scanner

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/boombuler/barcode/datamatrix"
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
