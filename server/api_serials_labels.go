package server

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"net/http"

	"github.com/labstack/echo/v4"

	"traceledger/scanner"
)

// Label sheets: an A4 page (210 x 297 mm) of labels in a grid, each a symbol drawn as
// one SVG path of its dark modules (quiet zone included, so scanners find it) with
// the human-readable text under it: "(01)…(10)…" and "(21)…" on two lines, the GS1
// element string the symbol carries either way.
const (
	defaultLabelsPerPage = 24
	maxLabelsPerPage     = 100
	sheetWidth           = 210.0 // mm
	sheetHeight          = 297.0
	sheetMargin          = 10.0
)

func (h serialsHandler) labels(c echo.Context) error {
	gtin, lot, err := h.lotQuery(c)
	if err != nil {
		return err
	}
	page, perPage, err := pageParams(c, defaultLabelsPerPage, maxLabelsPerPage)
	if err != nil {
		return err
	}
	sym := scanner.DLQR
	switch name := c.QueryParam("symbology"); name {
	case "", "dl-qr":
	case "gs1-datamatrix":
		sym = scanner.GS1DataMatrix
	default:
		return BadQuery("symbology", "dl-qr or gs1-datamatrix")
	}
	all, err := h.lotSerials(gtin, lot)
	if err != nil {
		return Internal(err)
	}
	from := min((page-1)*perPage, len(all))
	to := min(from+perPage, len(all))
	if from == to {
		return NotFound(fmt.Sprintf("lot %s of GTIN %s has %d serials: no page %d of %d", lot, gtin, len(all), page, perPage)).WithField("page")
	}
	svg, err := labelSheet(sym, gtin, lot, all[from:to], perPage, h.base)
	if err != nil {
		return Internal(err)
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, "image/svg+xml", svg)
}

// labelSheet draws the labels of serials on one page laid out for perPage labels.
func labelSheet(sym scanner.Symbology, gtin, lot string, serials []string, perPage int, stem string) ([]byte, error) {
	w, hgt := sheetWidth-2*sheetMargin, sheetHeight-2*sheetMargin
	cols := max(1, int(math.Ceil(math.Sqrt(float64(perPage)*w/hgt))))
	rows := (perPage + cols - 1) / cols
	cellW, cellH := w/float64(cols), hgt/float64(rows)
	text := min(cellH*0.08, 3.5) // font size, mm
	side := min(cellW*0.9, cellH-3*text) * 0.95
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%gmm" height="%gmm" viewBox="0 0 %g %g">`+"\n",
		sheetWidth, sheetHeight, sheetWidth, sheetHeight)
	fmt.Fprintf(&b, `<rect width="%g" height="%g" fill="#fff"/>`+"\n", sheetWidth, sheetHeight)
	for i, s := range serials {
		d := scanner.Data{Elements: []scanner.Element{{AI: "01", Value: gtin}, {AI: "10", Value: lot}, {AI: "21", Value: s}}}
		symbol, err := scanner.Encode(sym, d, scanner.RenderOptions{Stem: stem})
		if err != nil {
			return nil, fmt.Errorf("label of serial %s: %w", s, err)
		}
		x := sheetMargin + float64(i%cols)*cellW + (cellW-side)/2
		y := sheetMargin + float64(i/cols)*cellH
		scale := side / float64(max(symbol.Width, symbol.Height))
		fmt.Fprintf(&b, `<g class="label" data-serial="%s">`, html.EscapeString(s))
		fmt.Fprintf(&b, `<path transform="translate(%.3f %.3f) scale(%.5f)" fill="#000" shape-rendering="crispEdges" d="%s"/>`,
			x, y, scale, modulePath(symbol))
		cx := sheetMargin + float64(i%cols)*cellW + cellW/2
		for j, line := range []string{"(01)" + gtin + "(10)" + lot, "(21)" + s} {
			fmt.Fprintf(&b, `<text x="%.3f" y="%.3f" font-family="monospace" font-size="%.2f" text-anchor="middle">%s</text>`,
				cx, y+side+text*float64(j+1)*1.1, text, html.EscapeString(line))
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>\n")
	return b.Bytes(), nil
}

// modulePath is the SVG path of a symbol's dark modules in module units: one
// rectangle per horizontal run of dark modules.
func modulePath(s *scanner.Symbol) string {
	var b bytes.Buffer
	for y := 0; y < s.Height; y++ {
		for x := 0; x < s.Width; {
			if !s.Dark(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < s.Width && s.Dark(x+run, y) {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run, run)
			x += run
		}
	}
	return b.String()
}
