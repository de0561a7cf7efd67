package scanner

import "fmt"

// A Symbol is an encoded barcode: its grid of modules with the quiet zones around it, the
// exact data a reader will transmit, and the human-readable line to print under it. The
// grid is the whole truth about the symbol; the PNG and SVG writers only paint it, so
// both outputs are the same symbol at any size.
type Symbol struct {
	Symbology Symbology
	// Width and Height are the size of the grid in modules, quiet zones included.
	Width, Height int
	// Modules holds the grid row by row (Width*Height entries); true is a dark module.
	Modules []bool
	// Quiet is the light margin on each side of the symbol proper, in modules, already
	// part of the grid: readers need it to find the symbol's edges.
	Quiet Margins
	// Data is what a reader transmits after the AIM symbology identifier: the element
	// string with GS (0x1D) separators, the Digital Link URI, or the EAN/UPC digits.
	Data string
	// Text is the human-readable interpretation printed under a linear symbol, or "".
	Text string
	// Module is the size of one module in pixels when drawn.
	Module int

	// hri, when set, places Text in pieces centred at module columns with their top at
	// module row hriTop: Encode lays out EAN/UPC digits between the guard bars. Without
	// it Text is one line centred under the symbol.
	hri    []hriSpan
	hriTop float64
}

// An hriSpan is one piece of the human-readable line, centred at module column x.
type hriSpan struct {
	text string
	x    float64
}

// hriLayout returns the pieces of the human-readable line and the module row of their
// top, and whether they are laid out at fixed places (EAN/UPC digit groups) rather than
// one free line that may shrink to fit.
func (s *Symbol) hriLayout() (spans []hriSpan, top float64, fixed bool) {
	if len(s.hri) > 0 {
		return s.hri, s.hriTop, true
	}
	return []hriSpan{{s.Text, float64(s.Width) / 2}}, float64(s.Height-s.Quiet.Bottom) + 1, false
}

// Margins are the widths of a symbol's quiet zones, in modules.
type Margins struct {
	Top, Right, Bottom, Left int
}

// Dark reports whether the module at column x, row y of the grid is dark. Modules outside
// the grid are light.
func (s *Symbol) Dark(x, y int) bool {
	if x < 0 || y < 0 || x >= s.Width || y >= s.Height {
		return false
	}
	return s.Modules[y*s.Width+x]
}

// newSymbol lays an encoded symbol of w x h modules (dark(x, y) tells each module) into a
// grid with the quiet zones q around it.
func newSymbol(sym Symbology, w, h int, q Margins, dark func(x, y int) bool) *Symbol {
	s := &Symbol{
		Symbology: sym,
		Width:     w + q.Left + q.Right,
		Height:    h + q.Top + q.Bottom,
		Quiet:     q,
	}
	s.Modules = make([]bool, s.Width*s.Height)
	for y := 0; y < h; y++ {
		row := s.Modules[(y+q.Top)*s.Width+q.Left:]
		for x := 0; x < w; x++ {
			row[x] = dark(x, y)
		}
	}
	return s
}

// RenderOptions tunes how a symbol is drawn. The zero value draws 4-pixel modules with
// no human-readable line and Digital Links on GS1's canonical stem.
type RenderOptions struct {
	// Module is the size of one module in pixels; 0 means 4.
	Module int
	// Width, when not 0, asks for an image at most this many pixels wide: the module size
	// becomes the largest whole number of pixels that fits, so the symbol stays crisp. It
	// overrides Module. A width too small for one pixel per module is an error.
	Width int
	// HRI prints the human-readable interpretation under linear symbols: the bracketed
	// element string under GS1-128, the digits under EAN/UPC. 2D symbols have none.
	HRI bool
	// Stem is the Digital Link URI stem for dl-qr and dl-datamatrix, e.g.
	// "https://example.com"; "" means "https://id.gs1.org".
	Stem string
}

// DefaultModule is the module size in pixels when RenderOptions asks for none: large
// enough for phone cameras and label printers at 203 dpi.
const DefaultModule = 4

// moduleSize resolves the module size in pixels for a grid gridWidth modules wide.
func (o RenderOptions) moduleSize(gridWidth int) (int, error) {
	if o.Width != 0 {
		if o.Width < gridWidth { // also refuses a negative width
			return 0, fmt.Errorf("target width %d px is narrower than the symbol's %d modules", o.Width, gridWidth)
		}
		return o.Width / gridWidth, nil
	}
	switch {
	case o.Module == 0:
		return DefaultModule, nil
	case o.Module < 0 || o.Module > 100:
		return 0, fmt.Errorf("module size %d px out of range 1-100", o.Module)
	}
	return o.Module, nil
}
