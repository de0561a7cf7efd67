package scanner

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
)

// SVG writes the symbol as an SVG image drawn from the module grid: one path of
// rectangles in module units (viewBox), so it stays crisp at any size; width and height
// give the size at Module pixels a module. The human-readable line, when there is one,
// is SVG text in a monospace font under the bars.
func (s *Symbol) SVG(w io.Writer) error {
	m := max(s.Module, 1)
	width, height := float64(s.Width), float64(s.Height)
	var (
		spans           []hriSpan
		textY, fontSize float64
	)
	if s.Text != "" {
		var top float64
		var fixed bool
		spans, top, fixed = s.hriLayout()
		// Glyphs about 7 modules high, narrower when a free line would not fit (a
		// monospace advance is about 0.6 em); EAN/UPC digits at 9, an advance of about
		// 5.4 modules in their 7-module pitch.
		fontSize = 9
		if !fixed {
			fontSize = min(7, (width-2)/(0.6*float64(len(s.Text))))
		}
		textY = top + fontSize*0.8 // baseline
		height = max(height, top+fontSize+float64(s.Quiet.Bottom))
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%s" height="%s" viewBox="0 0 %s %s" shape-rendering="crispEdges">`+"\n",
		num(width*float64(m)), num(height*float64(m)), num(width), num(height))
	fmt.Fprintf(bw, `<rect width="%s" height="%s" fill="#fff"/>`+"\n", num(width), num(height))
	bw.WriteString(`<path fill="#000" d="`)
	s.writeRects(bw)
	bw.WriteString("\"/>\n")
	for _, sp := range spans {
		fmt.Fprintf(bw, `<text x="%s" y="%s" font-family="monospace" font-size="%s" text-anchor="middle" fill="#000">`,
			num(sp.x), num(textY), num(fontSize))
		if err := xmlEscapeText(bw, sp.text); err != nil {
			return err
		}
		bw.WriteString("</text>\n")
	}
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

// writeRects writes the dark modules as path rectangles: each horizontal run of dark
// modules, extended down over the rows that repeat it exactly, so that a bar of a linear
// symbol is one rectangle and a 2D symbol needs about one per run.
func (s *Symbol) writeRects(w *bufio.Writer) {
	type rect struct{ x0, x1, y0 int } // a run x0..x1 repeated from row y0 down
	var open, next []rect
	for y := 0; y <= s.Height; y++ {
		next = next[:0]
		k := 0 // open is ordered by x0, as are the runs of a row
		for x := 0; y < s.Height && x < s.Width; {
			if !s.Modules[y*s.Width+x] {
				x++
				continue
			}
			x0 := x
			for x < s.Width && s.Modules[y*s.Width+x] {
				x++
			}
			r := rect{x0, x, y}
			for k < len(open) && open[k].x0 < x0 {
				s.emitRect(w, open[k].x0, open[k].x1, open[k].y0, y)
				k++
			}
			if k < len(open) && open[k].x0 == x0 && open[k].x1 == x {
				r.y0 = open[k].y0
				k++
			}
			next = append(next, r)
		}
		for ; k < len(open); k++ {
			s.emitRect(w, open[k].x0, open[k].x1, open[k].y0, y)
		}
		open, next = next, open
	}
}

// emitRect writes one rectangle of the path: columns x0..x1, rows y0..y1 (ends excluded).
func (s *Symbol) emitRect(w *bufio.Writer, x0, x1, y0, y1 int) {
	fmt.Fprintf(w, "M%d %dh%dv%dh-%dz", x0, y0, x1-x0, y1-y0, x1-x0)
}

// num formats a length in the shortest decimal form.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// xmlEscapeText writes s with XML's special characters escaped.
func xmlEscapeText(w io.Writer, s string) error { return xml.EscapeText(w, []byte(s)) }
