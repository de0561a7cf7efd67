package scanner

import (
	"image"
	"image/color"
	"math"

	"github.com/makiuchi-d/gozxing"
)

// grayImage is an 8-bit luminance raster (0 black, 255 white), row-major with no
// padding: the one form every decoding attempt works on. Rotations and scales are
// computed on it rather than on the original image, once per variant.
type grayImage struct {
	pix  []byte
	w, h int
}

func newGray(w, h int) *grayImage { return &grayImage{pix: make([]byte, w*h), w: w, h: h} }

// grayOf converts img to luminance, compositing transparency on white (a transparent
// PNG background is paper, not ink). The common decoder outputs have fast paths; the
// weights (R+2G+B)/4 are gozxing's.
func grayOf(img image.Image) *grayImage {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	g := newGray(w, h)
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			off := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(g.pix[y*w:(y+1)*w], m.Pix[off:off+w])
		}
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			off := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(g.pix[y*w:(y+1)*w], m.Y[off:off+w])
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			out := g.pix[y*w : (y+1)*w]
			for x := range out {
				p := row[4*x : 4*x+4 : 4*x+4]
				lum := (uint32(p[0]) + 2*uint32(p[1]) + uint32(p[2])) / 4
				a := uint32(p[3])
				out[x] = byte((lum*a + 255*(255-a)) / 255)
			}
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			out := g.pix[y*w : (y+1)*w]
			for x := range out {
				p := row[4*x : 4*x+4 : 4*x+4]
				// premultiplied: colour already scaled by alpha, add white for the rest
				out[x] = byte((uint32(p[0])+2*uint32(p[1])+uint32(p[2]))/4 + 255 - uint32(p[3]))
			}
		}
	case *image.Paletted:
		lut := make([]byte, 256)
		for i, c := range m.Palette {
			lut[i] = lumOf(c)
		}
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			out := g.pix[y*w : (y+1)*w]
			for x := range out {
				out[x] = lut[row[x]]
			}
		}
	default:
		for y := 0; y < h; y++ {
			out := g.pix[y*w : (y+1)*w]
			for x := range out {
				out[x] = lumOf(img.At(b.Min.X+x, b.Min.Y+y))
			}
		}
	}
	return g
}

func lumOf(c color.Color) byte {
	r, gr, b, a := c.RGBA() // premultiplied, 16 bits
	return byte(((r+2*gr+b)/4 + 0xffff - a) >> 8)
}

// rotate90 turns the image a quarter turn counter-clockwise, n times.
func (g *grayImage) rotate90(n int) *grayImage {
	switch n & 3 {
	case 0:
		return g
	case 1: // counter-clockwise: (x, y) -> (y, w-1-x)
		r := newGray(g.h, g.w)
		for y := 0; y < g.h; y++ {
			for x := 0; x < g.w; x++ {
				r.pix[(g.w-1-x)*r.w+y] = g.pix[y*g.w+x]
			}
		}
		return r
	case 2:
		r := newGray(g.w, g.h)
		n := len(g.pix)
		for i, v := range g.pix {
			r.pix[n-1-i] = v
		}
		return r
	default: // clockwise: (x, y) -> (h-1-y, x)
		r := newGray(g.h, g.w)
		for y := 0; y < g.h; y++ {
			for x := 0; x < g.w; x++ {
				r.pix[x*r.w+g.h-1-y] = g.pix[y*g.w+x]
			}
		}
		return r
	}
}

// rotate turns the image by deg degrees counter-clockwise about its centre, bilinear,
// into a canvas large enough to hold all of it; uncovered corners are white.
func (g *grayImage) rotate(deg float64) *grayImage {
	rad := deg * math.Pi / 180
	sin, cos := math.Sin(rad), math.Cos(rad)
	fw, fh := float64(g.w), float64(g.h)
	nw := int(math.Ceil(math.Abs(fw*cos) + math.Abs(fh*sin)))
	nh := int(math.Ceil(math.Abs(fw*sin) + math.Abs(fh*cos)))
	r := newGray(nw, nh)
	cx, cy := fw/2, fh/2
	ncx, ncy := float64(nw)/2, float64(nh)/2
	for y := 0; y < nh; y++ {
		dy := float64(y) + 0.5 - ncy
		for x := 0; x < nw; x++ {
			dx := float64(x) + 0.5 - ncx
			// inverse mapping: rotate the destination point back by -deg (y grows down)
			sx := cos*dx - sin*dy + cx - 0.5
			sy := sin*dx + cos*dy + cy - 0.5
			r.pix[y*nw+x] = g.sample(sx, sy)
		}
	}
	return r
}

// sample interpolates bilinearly at (x, y); outside the image is white.
func (g *grayImage) sample(x, y float64) byte {
	if x < -1 || y < -1 || x >= float64(g.w) || y >= float64(g.h) {
		return 255
	}
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	at := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= g.w || y >= g.h {
			return 255
		}
		return float64(g.pix[y*g.w+x])
	}
	top := at(x0, y0)*(1-fx) + at(x0+1, y0)*fx
	bot := at(x0, y0+1)*(1-fx) + at(x0+1, y0+1)*fx
	return byte(top*(1-fy) + bot*fy + 0.5)
}

// shrink averages f x f blocks: a cheap, alias-free reduction for large photos, where
// the binarizers' block sizes are too small for the modules.
func (g *grayImage) shrink(f int) *grayImage {
	nw, nh := g.w/f, g.h/f
	if nw == 0 || nh == 0 {
		return g
	}
	r := newGray(nw, nh)
	sum := make([]int, nw)
	for y := 0; y < nh; y++ {
		clear(sum)
		for yy := y * f; yy < y*f+f; yy++ {
			row := g.pix[yy*g.w:]
			for x := 0; x < nw; x++ {
				for _, v := range row[x*f : x*f+f] {
					sum[x] += int(v)
				}
			}
		}
		for x := range sum {
			r.pix[y*nw+x] = byte(sum[x] / (f * f))
		}
	}
	return r
}

// resize scales the image by s (bilinear); used to enlarge tiny symbols whose modules
// are one or two pixels wide.
func (g *grayImage) resize(s float64) *grayImage {
	nw, nh := int(float64(g.w)*s), int(float64(g.h)*s)
	if nw < 1 || nh < 1 {
		return g
	}
	r := newGray(nw, nh)
	for y := 0; y < nh; y++ {
		sy := (float64(y)+0.5)/s - 0.5
		for x := 0; x < nw; x++ {
			r.pix[y*nw+x] = g.sample((float64(x)+0.5)/s-0.5, sy)
		}
	}
	return r
}

// crop copies the w x h rectangle at (x, y), clipped to the image.
func (g *grayImage) crop(x, y, w, h int) *grayImage {
	w, h = min(w, g.w-x), min(h, g.h-y)
	r := newGray(w, h)
	for row := 0; row < h; row++ {
		copy(r.pix[row*w:(row+1)*w], g.pix[(y+row)*g.w+x:])
	}
	return r
}

// invert turns light-on-dark symbols into the dark-on-light ones the readers expect.
func (g *grayImage) invert() *grayImage {
	r := newGray(g.w, g.h)
	for i, v := range g.pix {
		r.pix[i] = 255 - v
	}
	return r
}

// luminance adapts the raster to gozxing. Rotation and cropping are left unsupported
// on purpose: the search does its own rotations, once, on the raster.
func (g *grayImage) luminance() gozxing.LuminanceSource {
	return &graySource{LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: g.w, Height: g.h}, g: g}
}

type graySource struct {
	gozxing.LuminanceSourceBase
	g *grayImage
}

func (s *graySource) GetRow(y int, row []byte) ([]byte, error) {
	if y < 0 || y >= s.g.h {
		return nil, gozxing.NewFormatException("row %d outside image of height %d", y, s.g.h)
	}
	if len(row) < s.g.w {
		row = make([]byte, s.g.w)
	}
	copy(row, s.g.pix[y*s.g.w:(y+1)*s.g.w])
	return row, nil
}

func (s *graySource) GetMatrix() []byte { return s.g.pix }

func (s *graySource) Invert() gozxing.LuminanceSource { return gozxing.LuminanceSourceInvert(s) }

func (s *graySource) String() string { return gozxing.LuminanceSourceString(s) }
