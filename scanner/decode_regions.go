package scanner

import (
	"image"
	"sort"

	"github.com/makiuchi-d/gozxing"
)

// inkRegions finds up to limit regions of g dense with dark pixels, largest first, as
// rectangles with a margin around them: where a symbol may be in a larger scene. The
// search crops each and hands it to the 2D readers, whose detectors (gozxing's
// DataMatrix detector above all) look for a symbol around the image centre.
//
// The binarized image is divided into cells; a cell is inked when a fifth of its
// pixels are dark, and 8-connected inked cells form a region.
func inkRegions(g *grayImage, limit int) []image.Rectangle {
	m, err := gozxing.NewHybridBinarizer(g.luminance()).GetBlackMatrix()
	if err != nil {
		return nil
	}
	cell := max(4, max(g.w, g.h)/160)
	gw, gh := (g.w+cell-1)/cell, (g.h+cell-1)/cell
	ink := make([]int, gw*gh)
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			if m.Get(x, y) {
				ink[(y/cell)*gw+x/cell]++
			}
		}
	}
	inked := make([]bool, gw*gh)
	for i, n := range ink {
		inked[i] = n*5 >= cell*cell
	}
	type region struct {
		box  image.Rectangle // in cells
		mass int
	}
	var regions []region
	seen := make([]bool, gw*gh)
	var stack []int
	for start := range inked {
		if !inked[start] || seen[start] {
			continue
		}
		r := region{box: image.Rect(start%gw, start/gw, start%gw+1, start/gw+1)}
		seen[start] = true
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			cx, cy := i%gw, i/gw
			r.mass += ink[i]
			r.box = r.box.Union(image.Rect(cx, cy, cx+1, cy+1))
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := cx+dx, cy+dy
					if nx < 0 || ny < 0 || nx >= gw || ny >= gh {
						continue
					}
					if j := ny*gw + nx; inked[j] && !seen[j] {
						seen[j] = true
						stack = append(stack, j)
					}
				}
			}
		}
		// a symbol spans a few cells each way; single specks and hairlines are not one
		if r.box.Dx() >= 2 && r.box.Dy() >= 2 {
			regions = append(regions, r)
		}
	}
	sort.Slice(regions, func(i, j int) bool { return regions[i].mass > regions[j].mass })
	if len(regions) > limit {
		regions = regions[:limit]
	}
	out := make([]image.Rectangle, 0, len(regions))
	bounds := image.Rect(0, 0, g.w, g.h)
	for _, r := range regions {
		px := image.Rect(r.box.Min.X*cell, r.box.Min.Y*cell, r.box.Max.X*cell, r.box.Max.Y*cell)
		margin := max(2*cell, max(px.Dx(), px.Dy())/4)
		out = append(out, px.Inset(-margin).Intersect(bounds))
	}
	return out
}
