package scanner

import (
	"image"
	"image/color"
	"image/png"
	"io"
	"sync"
)

// symbolPalette is the two colours of every raster symbol: index 0 light, 1 dark. Two
// colours make the PNG encoder write 1 bit per pixel.
var symbolPalette = color.Palette{color.Gray{Y: 255}, color.Gray{Y: 0}}

// pngEncoder favours speed: symbols are mostly flat runs that compress well at any level,
// and issuing barcodes in bulk is a hot path. Its buffer pool lets concurrent writers
// reuse the compressor state instead of allocating it per image.
var pngEncoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &pngBufferPool{}}

// pngBufferPool is a png.EncoderBufferPool over sync.Pool.
type pngBufferPool struct{ p sync.Pool }

func (b *pngBufferPool) Get() *png.EncoderBuffer {
	if v, ok := b.p.Get().(*png.EncoderBuffer); ok {
		return v
	}
	return nil
}

func (b *pngBufferPool) Put(e *png.EncoderBuffer) { b.p.Put(e) }

// PNG writes the symbol as a 1-bit greyscale-palette PNG, Module pixels a module, with the
// human-readable line under it when the symbol has one.
func (s *Symbol) PNG(w io.Writer) error {
	return pngEncoder.Encode(w, s.Image())
}

// Image draws the symbol as a two-colour paletted image (index 1 dark), Module pixels a
// module, with the human-readable line under it when the symbol has one.
func (s *Symbol) Image() *image.Paletted {
	m := max(s.Module, 1)
	w, h := s.Width*m, s.Height*m
	var text *textRaster
	textTop := 0
	if s.Text != "" {
		text = rasterText(s.Text, m, w)
		textTop = (s.Height - s.Quiet.Bottom + 1) * m
		w = max(w, text.width+2*m)
		h = max(h, textTop+text.height+s.Quiet.Bottom*m)
	}
	img := image.NewPaletted(image.Rect(0, 0, w, h), symbolPalette)
	left := (w - s.Width*m) / 2 // centred when the text made the image wider
	for y := 0; y < s.Height; y++ {
		row := s.Modules[y*s.Width : (y+1)*s.Width]
		first := img.Pix[y*m*img.Stride+left : y*m*img.Stride+left+s.Width*m]
		for x, dark := range row {
			if dark {
				px := first[x*m : x*m+m]
				for i := range px {
					px[i] = 1
				}
			}
		}
		for r := 1; r < m; r++ {
			copy(img.Pix[(y*m+r)*img.Stride+left:], first)
		}
	}
	if text != nil {
		text.drawInto(img, (w-text.width)/2, textTop)
	}
	return img
}
