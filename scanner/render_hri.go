package scanner

import (
	"image"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// The human-readable interpretation (HRI) under a linear symbol, drawn into raster images
// with the 7x13 bitmap font of golang.org/x/image: no system font is needed, and integer
// scaling keeps the glyphs as crisp as the bars.

// hriGlyphW and hriGlyphH are the cell size of basicfont.Face7x13 in pixels.
const hriGlyphW, hriGlyphH = 7, 13

// A textRaster is one line of text drawn at 1x, to be painted scaled up.
type textRaster struct {
	mask          *image.Alpha // the line at 1x
	scale         int
	width, height int // painted size in pixels
}

// rasterText draws s at 1x, to be painted at the given integer scale.
func rasterText(s string, scale int) *textRaster {
	mask := image.NewAlpha(image.Rect(0, 0, hriGlyphW*len(s), hriGlyphH))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: basicfont.Face7x13, Dot: fixed.P(0, basicfont.Face7x13.Ascent)}
	d.DrawString(s)
	return &textRaster{mask: mask, scale: scale, width: mask.Rect.Dx() * scale, height: hriGlyphH * scale}
}

// hriScale is the glyph scale for a free line of n characters under a symbol of module
// size m pixels and width w pixels: glyphs about 7 modules high, smaller when the line
// would not fit the symbol's width, never below 1x (the image then grows instead).
func hriScale(n, m, w int) int {
	scale := max(1, 7*m/hriGlyphH)
	for scale > 1 && n*hriGlyphW*scale > w-2*m {
		scale--
	}
	return scale
}

// eanDigitScale is the glyph scale of EAN/UPC digits at module size m: a digit cell of
// about 5 modules in the 7-module pitch of the bars above it.
func eanDigitScale(m int) int { return max(1, 3*m/4) }

// drawInto paints the text black into b with its top left corner at x0, y0.
func (t *textRaster) drawInto(b *bitmap, x0, y0 int) {
	r := t.mask.Rect
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if t.mask.AlphaAt(x, y).A < 0x80 {
				continue
			}
			for py := y0 + y*t.scale; py < y0+(y+1)*t.scale; py++ {
				b.setDark(py, x0+x*t.scale, x0+(x+1)*t.scale)
			}
		}
	}
}
