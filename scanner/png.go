package scanner

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"io"
	"sync"
)

// Raster output. A symbol is two colours on a pixel grid of whole modules, so it is drawn
// straight into a 1-bit bitmap, row by row, and written as a 1-bit greyscale PNG by the
// small encoder below (PNG, ISO/IEC 15948): every pixel row of a module row after the
// first uses the Up filter, which makes it all zeros, so deflate has almost nothing to do.
// image/png would ask for each pixel through the image.Image interface; this writes a
// GS1 DataMatrix PNG several times faster (BenchmarkRender).

// A bitmap is a 1-bit image in PNG's greyscale bit order: rows of stride bytes, the
// leftmost pixel in the high bit, 1 for white and 0 for black.
type bitmap struct {
	w, h, stride int
	pix          []byte
}

// newBitmap returns an all-white bitmap.
func newBitmap(w, h int) *bitmap {
	b := &bitmap{w: w, h: h, stride: (w + 7) / 8}
	b.pix = bytes.Repeat([]byte{0xFF}, b.stride*h)
	return b
}

// setDark paints pixels x0..x1 (end excluded) of row y black.
func (b *bitmap) setDark(y, x0, x1 int) {
	row := b.pix[y*b.stride : (y+1)*b.stride]
	for x := x0; x < x1; x++ {
		row[x>>3] &^= 0x80 >> (x & 7)
	}
}

// dark reports whether the pixel at x, y is black.
func (b *bitmap) dark(x, y int) bool {
	return b.pix[y*b.stride+x>>3]&(0x80>>(x&7)) == 0
}

// raster draws the symbol at Module pixels a module, with its human-readable line under
// it when it has one (a free line wider than the symbol widens the image, the symbol
// centred).
func (s *Symbol) raster() *bitmap {
	m := max(s.Module, 1)
	w, h := s.Width*m, s.Height*m
	var (
		spans   []hriSpan
		texts   []*textRaster
		textTop int
	)
	if s.Text != "" {
		var top float64
		var fixed bool
		spans, top, fixed = s.hriLayout()
		textTop = int(top * float64(m))
		for _, sp := range spans {
			scale := eanDigitScale(m)
			if !fixed {
				scale = hriScale(len(sp.text), m, w)
			}
			t := rasterText(sp.text, scale)
			texts = append(texts, t)
			if !fixed {
				w = max(w, t.width+2*m)
			}
			h = max(h, textTop+t.height+s.Quiet.Bottom*m)
		}
	}
	b := newBitmap(w, h)
	left := (w - s.Width*m) / 2
	for y := 0; y < s.Height; y++ {
		py := y * m
		row := s.Modules[y*s.Width : (y+1)*s.Width]
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			x0 := x
			for x < len(row) && row[x] {
				x++
			}
			b.setDark(py, left+x0*m, left+x*m)
		}
		for r := 1; r < m; r++ {
			copy(b.pix[(py+r)*b.stride:(py+r+1)*b.stride], b.pix[py*b.stride:(py+1)*b.stride])
		}
	}
	for i, t := range texts {
		t.drawInto(b, left+int(spans[i].x*float64(m))-t.width/2, textTop)
	}
	return b
}

// symbolPalette is the two colours of Image: index 0 light, 1 dark.
var symbolPalette = color.Palette{color.Gray{Y: 255}, color.Gray{Y: 0}}

// Image draws the symbol as a two-colour paletted image (index 1 dark), Module pixels a
// module, with the human-readable line under it when the symbol has one: the same
// pixels as PNG writes, for callers that work with image.Image.
func (s *Symbol) Image() *image.Paletted {
	b := s.raster()
	img := image.NewPaletted(image.Rect(0, 0, b.w, b.h), symbolPalette)
	for y := 0; y < b.h; y++ {
		for x := 0; x < b.w; x++ {
			if b.dark(x, y) {
				img.Pix[y*img.Stride+x] = 1
			}
		}
	}
	return img
}

// PNG writes the symbol as a 1-bit greyscale PNG, Module pixels a module, with the
// human-readable line under it when the symbol has one.
func (s *Symbol) PNG(w io.Writer) error {
	return writePNG(w, s.raster())
}

// pngState is the reusable memory of one PNG write: the compressed data and its
// compressor, pooled because issuing symbols in bulk is a hot path.
type pngState struct {
	idat bytes.Buffer
	zw   *zlib.Writer
	prev []byte
	line []byte
}

var pngStates = sync.Pool{New: func() any {
	st := &pngState{}
	st.zw, _ = zlib.NewWriterLevel(&st.idat, zlib.BestSpeed)
	return st
}}

// pngSignature opens every PNG file.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// writePNG encodes b: IHDR (bit depth 1, colour type 0 greyscale), one IDAT, IEND.
func writePNG(w io.Writer, b *bitmap) error {
	st := pngStates.Get().(*pngState)
	defer pngStates.Put(st)
	st.idat.Reset()
	st.zw.Reset(&st.idat)
	st.line = append(st.line[:0], make([]byte, 1+b.stride)...)
	for y := 0; y < b.h; y++ {
		row := b.pix[y*b.stride : (y+1)*b.stride]
		if y > 0 && bytes.Equal(row, st.prev) {
			st.line[0] = 2 // Up: the row minus the one above, all zeros
			clear(st.line[1:])
		} else {
			st.line[0] = 0 // None
			copy(st.line[1:], row)
		}
		if _, err := st.zw.Write(st.line); err != nil {
			return err
		}
		st.prev = row
	}
	if err := st.zw.Close(); err != nil {
		return err
	}
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(b.w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(b.h))
	ihdr[8], ihdr[9] = 1, 0 // bit depth 1, greyscale; compression, filter, interlace 0
	if _, err := w.Write(pngSignature); err != nil {
		return err
	}
	if err := writeChunk(w, "IHDR", ihdr[:]); err != nil {
		return err
	}
	if err := writeChunk(w, "IDAT", st.idat.Bytes()); err != nil {
		return err
	}
	return writeChunk(w, "IEND", nil)
}

// writeChunk writes one PNG chunk: length, type, data, CRC-32 of type and data.
func writeChunk(w io.Writer, typ string, data []byte) error {
	var head [8]byte
	binary.BigEndian.PutUint32(head[:4], uint32(len(data)))
	copy(head[4:], typ)
	crc := crc32.NewIEEE()
	crc.Write(head[4:])
	crc.Write(data)
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], crc.Sum32())
	for _, p := range [][]byte{head[:], data, tail[:]} {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return nil
}
