package scanner

import (
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
	"time"

	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/datamatrix"
	"github.com/boombuler/barcode/qr"
)

// FuzzDecodeImageBytes feeds arbitrary bytes, seeded with small valid PNG, JPEG and GIF
// symbols and truncations of them, to DecodeImageBytes: it must return, within the
// budget and the pixel limit, either scan data or an error, never panic. The pixel
// limit is lowered so that a mutated header cannot make one run allocate much.
func FuzzDecodeImageBytes(f *testing.F) {
	dm, err := datamatrix.Encode("\xe8" + "0109501101530003" + "10A")
	symbols := []image.Image{symbolImage(f, must(f, dm, err), 2, 1, 0)}
	q, err := qr.Encode("https://id.gs1.org/01/09501101530003", qr.L, qr.Auto)
	symbols = append(symbols, symbolImage(f, must(f, q, err), 1, 4, 0))
	c, err := code128.Encode("\u00f1" + "0109501101530003")
	symbols = append(symbols, symbolImage(f, must(f, c, err), 1, 10, 8))
	for _, img := range symbols {
		for _, enc := range []func(*bytes.Buffer, image.Image) error{
			func(b *bytes.Buffer, m image.Image) error { return png.Encode(b, m) },
			func(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, nil) },
			func(b *bytes.Buffer, m image.Image) error { return gif.Encode(b, m, nil) },
		} {
			var buf bytes.Buffer
			if err := enc(&buf, img); err != nil {
				f.Fatal(err)
			}
			file := buf.Bytes()
			f.Add(file)
			f.Add(file[:len(file)/2])
			f.Add(file[:len(file)-1])
		}
	}
	f.Add([]byte("GIF89a\xff\xff\xff\xff\x00\x00\x00;"))
	d := Decoder{Budget: 200 * time.Millisecond, MaxPixels: 1 << 20}
	f.Fuzz(func(t *testing.T, b []byte) {
		start := time.Now()
		text, err := d.DecodeImageBytes(b)
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("DecodeImageBytes took %v with a %v budget", took, d.Budget)
		}
		if err == nil && (len(text) < 3 || text[0] != ']') {
			t.Errorf("DecodeImageBytes = %q: no symbology identifier", text)
		}
		if err != nil && text != "" {
			t.Errorf("DecodeImageBytes returned %q with error %v", text, err)
		}
	})
}
