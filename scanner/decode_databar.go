package scanner

import (
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/oned/rss"
)

// This file reads GS1 DataBar Expanded (ISO/IEC 24724:2011, single row), which gozxing
// lacks. A symbol is, left to right: a guard, then pairs of data characters around a
// finder pattern
//
//	guard  D1 F1 D2  D3 F2 D4  D5 F3 D6 ...  guard
//
// where each data character is 8 elements (4 bars, 4 spaces) over 17 modules holding
// a value 0..4095 (12 bits), each finder is 5 elements over 15 modules, one of six
// shapes A..F, read forwards in even pairs and backwards in odd ones, and the right
// character of each pair is read right to left. D1 is a check character: a weighted
// sum of all the others' element widths, mod 211. The other characters' 12-bit values
// concatenated are the binary data decoded by decodeExpandedBits. The last pair may
// lack its right character. The sequence of finder shapes is fixed by the number of
// pairs (expandedSequences), which tells a whole symbol from a fragment.

// expandedFinders are the widths of the finder shapes A..F in forward reading order
// (ISO/IEC 24724 Table 8).
var expandedFinders = [6][5]int{
	{1, 8, 4, 1, 1}, // A
	{3, 6, 4, 1, 1}, // B
	{3, 4, 6, 1, 1}, // C
	{3, 2, 8, 1, 1}, // D
	{2, 6, 5, 1, 1}, // E
	{2, 2, 9, 1, 1}, // F
}

// expandedSequences are the valid finder sequences, by number of pairs (ISO/IEC 24724
// Table 13; shape indexes into expandedFinders).
var expandedSequences = [][]int{
	{0, 0},
	{0, 1, 1},
	{0, 2, 1, 3},
	{0, 4, 1, 3, 2},
	{0, 4, 1, 3, 3, 5},
	{0, 4, 1, 3, 4, 5, 5},
	{0, 0, 1, 1, 2, 2, 3, 3},
	{0, 0, 1, 1, 2, 2, 3, 4, 4},
	{0, 0, 1, 1, 2, 2, 3, 4, 5, 5},
	{0, 0, 1, 1, 2, 3, 3, 4, 4, 5, 5},
}

// Data character groups by odd-element module sum (ISO/IEC 24724 Table 4): widest odd
// element, number of even-element combinations, and first value of the group.
var (
	expandedOddWidest = [5]int{7, 5, 4, 3, 1}
	expandedEvenTotal = [5]int{4, 20, 52, 104, 204}
	expandedGroupSum  = [6]int{0, 348, 1388, 2948, 3988, 4096}
)

// expandedWeights are the checksum weights: element j of the character in weight row
// r weighs 3^(8r+j) mod 211 (ISO/IEC 24724 7.2.6, Table 14 lists them).
var expandedWeights = func() (w [23][8]int) {
	p := 1
	for r := range w {
		for j := range w[r] {
			w[r][j] = p
			p = p * 3 % 211
		}
	}
	return w
}()

// expandedReader reads one row of a GS1 DataBar Expanded symbol.
type expandedReader struct {
	*oned.OneDReader
}

func newExpandedReader() *expandedReader {
	r := &expandedReader{}
	r.OneDReader = oned.NewOneDReader(r)
	return r
}

type expandedChar struct {
	value, checksum int
}

func (r *expandedReader) DecodeRow(rowNumber int, row *gozxing.BitArray, _ map[gozxing.DecodeHintType]interface{}) (*gozxing.Result, error) {
	runs := rowRuns(row)
	// runs[0] is light (maybe empty); a symbol starts with a guard, then D1 (8 runs),
	// then the first finder, A read forwards.
	for p := 10; p+5 <= len(runs); p++ {
		if expandedFinderAt(runs, p, false) != 0 {
			continue
		}
		if data, ok := decodeExpandedAt(runs, p); ok {
			text, err := decodeExpandedBits(data)
			if err != nil {
				continue
			}
			start, end := 0, 0
			for _, n := range runs[:p-8] {
				start += n
			}
			end = start
			for _, n := range runs[p-8 : min(len(runs), p+13)] {
				end += n
			}
			y := float64(rowNumber)
			return gozxing.NewResult(text, nil, []gozxing.ResultPoint{
				gozxing.NewResultPoint(float64(start), y), gozxing.NewResultPoint(float64(end), y),
			}, gozxing.BarcodeFormat_RSS_EXPANDED), nil
		}
	}
	return nil, gozxing.NewNotFoundException("no DataBar Expanded symbol in row %d", rowNumber)
}

// rowRuns returns the widths of the row's alternating light and dark runs, starting
// with a light run (of width 0 if the row starts dark).
func rowRuns(row *gozxing.BitArray) []int {
	size := row.GetSize()
	runs := make([]int, 0, 64)
	dark, n := false, 0
	for x := 0; x < size; x++ {
		if row.Get(x) == dark {
			n++
			continue
		}
		runs = append(runs, n)
		dark, n = !dark, 1
	}
	return append(runs, n)
}

// expandedFinderAt returns the finder shape at runs[p:p+5] read forwards or
// backwards, or -1.
func expandedFinderAt(runs []int, p int, backwards bool) int {
	if p < 0 || p+5 > len(runs) {
		return -1
	}
	var c [5]int
	copy(c[:], runs[p:p+5])
	if backwards {
		c[0], c[1], c[3], c[4] = c[4], c[3], c[1], c[0]
	}
	for shape, pattern := range expandedFinders {
		if oned.PatternMatchVariance(c[:], pattern[:], 0.45) < 0.2 {
			return shape
		}
	}
	return -1
}

// decodeExpandedAt decodes the symbol whose first finder is at runs[p]: it returns
// the data characters' bits once the finder sequence is complete and the check
// character agrees.
func decodeExpandedAt(runs []int, p int) ([]bool, bool) {
	var (
		chars   []expandedChar
		shapes  []int
		check   expandedChar
		checkOK bool
	)
	for k := 0; ; k++ {
		f := p + 21*k
		shape := expandedFinderAt(runs, f, k%2 == 1)
		if shape < 0 {
			return nil, false
		}
		shapes = append(shapes, shape)
		prefix, complete := expandedSequenceState(shapes)
		if !prefix {
			return nil, false
		}
		module := float64(runSum(runs[f:f+5])) / 15
		left, ok := decodeExpandedChar(runs[f-8:f], false, module, shape, k, true)
		if !ok {
			return nil, false
		}
		if k == 0 {
			check, checkOK = left, true
		} else {
			chars = append(chars, left)
		}
		var right expandedChar
		hasRight := false
		if f+13 <= len(runs) {
			right, hasRight = decodeExpandedChar(runs[f+5:f+13], true, module, shape, k, false)
		}
		if complete && checkOK {
			// A whole sequence: this pair is the last if the check character agrees and
			// the right guard (one dark module) follows, with or without a right
			// character (what follows the finder may happen to look like one).
			if hasRight && expandedChecksumOK(check, append(chars, right)) && expandedGuardAt(runs, f+13, module) {
				return expandedCharBits(append(chars, right)), true
			}
			if expandedChecksumOK(check, chars) && expandedGuardAt(runs, f+5, module) {
				return expandedCharBits(chars), true
			}
		}
		if !hasRight {
			return nil, false
		}
		chars = append(chars, right)
	}
}

// expandedGuardAt reports whether runs[i] is the right guard's dark module.
func expandedGuardAt(runs []int, i int, module float64) bool {
	if i >= len(runs) {
		return false
	}
	w := float64(runs[i])
	return w >= 0.5*module && w <= 1.8*module
}

// expandedCharBits concatenates the data characters' 12-bit values, most significant
// bit first: the symbol's binary data.
func expandedCharBits(chars []expandedChar) []bool {
	bits := make([]bool, 0, 12*len(chars))
	for _, c := range chars {
		for b := 11; b >= 0; b-- {
			bits = append(bits, c.value>>b&1 == 1)
		}
	}
	return bits
}

// expandedSequenceState reports whether shapes begin a valid finder sequence, and
// whether they are one ({A, A} is both whole and the start of {A, A, B, B, ...}).
func expandedSequenceState(shapes []int) (prefix, complete bool) {
	for _, seq := range expandedSequences {
		if len(seq) < len(shapes) {
			continue
		}
		match := true
		for i, s := range shapes {
			if seq[i] != s {
				match = false
				break
			}
		}
		if match {
			prefix = true
			complete = complete || len(seq) == len(shapes)
		}
	}
	return prefix, complete
}

// expandedChecksumOK checks the check character: 211 × (characters − 4) plus the
// weighted sum mod 211, counting the check character itself among the characters.
func expandedChecksumOK(check expandedChar, chars []expandedChar) bool {
	s := 0
	for _, c := range chars {
		s += c.checksum
	}
	return check.value == 211*(len(chars)+1-4)+s%211
}

// decodeExpandedChar reads a data character from its 8 element widths in pixels
// (backwards for a right character), given the module width measured on its pair's
// finder, the finder shape and pair index k (for its checksum weights).
func decodeExpandedChar(widths []int, backwards bool, module float64, shape, k int, left bool) (expandedChar, bool) {
	var w [8]int
	copy(w[:], widths)
	if backwards {
		for i, j := 0, 7; i < j; i, j = i+1, j-1 {
			w[i], w[j] = w[j], w[i]
		}
	}
	total := runSum(w[:])
	elem := float64(total) / 17
	if elem < module*0.7 || elem > module*1.3 {
		return expandedChar{}, false
	}
	counts, ok := expandedModules(w, elem)
	if !ok {
		return expandedChar{}, false
	}
	odd := []int{counts[0], counts[2], counts[4], counts[6]}
	even := []int{counts[1], counts[3], counts[5], counts[7]}
	oddSum := odd[0] + odd[1] + odd[2] + odd[3]
	group := (13 - oddSum) / 2
	oddWidest := expandedOddWidest[group]
	vOdd := rss.RSSUtils_getRSSvalue(odd, oddWidest, true)
	vEven := rss.RSSUtils_getRSSvalue(even, 9-oddWidest, false)
	value := vOdd*expandedEvenTotal[group] + vEven + expandedGroupSum[group]
	if value >= expandedGroupSum[group+1] || vEven >= expandedEvenTotal[group] {
		return expandedChar{}, false
	}
	c := expandedChar{value: value}
	row := 4*shape + 2*(k%2)
	if !left {
		row++
	}
	row-- // the check character (A1 left) has no weights; rows start after it
	if row >= 0 {
		for j, n := range counts {
			c.checksum += n * expandedWeights[row][j]
		}
	}
	return c, true
}

// expandedModules turns 8 element widths into module counts: 17 in all, each 1..8,
// the odd elements an even sum of 4..12. Plain rounding is tried first, then the
// smallest corrections of one or two elements by one module, least error first.
func expandedModules(w [8]int, elem float64) ([8]int, bool) {
	var base [8]int
	var frac [8]float64
	for i, n := range w {
		v := float64(n) / elem
		base[i] = int(v + 0.5)
		frac[i] = v
	}
	valid := func(c [8]int) bool {
		odd, all := 0, 0
		for i, n := range c {
			if n < 1 || n > 8 {
				return false
			}
			all += n
			if i%2 == 0 {
				odd += n
			}
		}
		return all == 17 && odd%2 == 0 && odd >= 4 && odd <= 12
	}
	cost := func(c [8]int) float64 {
		e := 0.0
		for i, n := range c {
			d := frac[i] - float64(n)
			e += d * d
		}
		return e
	}
	if valid(base) {
		return base, true
	}
	best, bestCost, found := base, 0.0, false
	consider := func(c [8]int) {
		if valid(c) {
			if e := cost(c); !found || e < bestCost {
				best, bestCost, found = c, e, true
			}
		}
	}
	for i := 0; i < 8; i++ {
		for _, di := range []int{-1, 1} {
			c := base
			c[i] += di
			consider(c)
			for j := i + 1; j < 8; j++ {
				for _, dj := range []int{-1, 1} {
					c2 := c
					c2[j] += dj
					consider(c2)
				}
			}
		}
	}
	return best, found
}

func runSum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}
