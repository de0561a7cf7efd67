package scanner

import (
	"fmt"
	"math"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common/reedsolomon"
	qrdecoder "github.com/makiuchi-d/gozxing/qrcode/decoder"
	qrencoder "github.com/makiuchi-d/gozxing/qrcode/encoder"
)

// QR Code with FNC1 in first position (GS1 QR Code), ISO/IEC 18004:2015.
//
// Neither boombuler's qr (whose encoder is sealed behind Encode(content)) nor gozxing's
// Encoder_encode (one mode for the whole content, and with GS1_FORMAT it writes "%" in
// alphanumeric mode unescaped, which a reader then takes for a separator) can write GS1
// data correctly. So the data bit stream is ours, and everything after it comes from
// gozxing's exported encoder parts: the version and error correction tables, the
// Reed-Solomon encoder, the matrix builder (function patterns, format and version
// information, masking) and the mask penalty rules.
//
// The bit stream (7.4): with gs1 set, the FNC1-in-first-position mode indicator 0101
// first (7.4.8.2); then segments in numeric (0001), alphanumeric (0010) and byte (0100)
// mode, each with its character count, chosen to make the stream as short as possible
// (the segmentation of 7.4 and Annex J, done exactly by dynamic programming). In a GS1
// symbol a GS separator is written as "%" in alphanumeric mode (7.4.8.1) or as 0x1D in
// byte mode. The standard would write a data "%" as "%%" in alphanumeric mode, but
// zxing-cpp up to at least 1.4 (Debian's ZXingReader) cuts the rest of the segment after
// a "%%" (std::string::erase(i+1) where one character was meant), so a data "%" always
// goes in byte mode, which every reader takes literally: a few bits more, read everywhere.

// qrQuiet is the quiet zone around a QR Code in modules (ISO/IEC 18004 5.3.8).
const qrQuiet = 4

// The segment modes, indexes into the tables below.
const (
	qrNumeric = iota
	qrAlphanumeric
	qrByte
)

// qrModeIndicator is the 4-bit mode indicator of each segment mode.
var qrModeIndicator = [3]int{0b0001, 0b0010, 0b0100}

// qrCountBits is the character count indicator length per mode, for versions 1-9, 10-26
// and 27-40 (table 3).
var qrCountBits = [3][3]int{{10, 12, 14}, {9, 11, 13}, {8, 16, 16}}

// qrAlphanumericSet is the alphanumeric mode character set in value order (table 5).
const qrAlphanumericSet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// qrAlphanumericValue returns the alphanumeric mode value of c, or -1.
func qrAlphanumericValue(c byte) int {
	for i := 0; i < len(qrAlphanumericSet); i++ {
		if qrAlphanumericSet[i] == c {
			return i
		}
	}
	return -1
}

// qrSegment is a run data[start:end] written in one mode.
type qrSegment struct {
	mode, start, end int
}

// encodeQR encodes data as a QR Code at error correction level M (about 15 % of the
// codewords recoverable), the usual balance for printed labels. With gs1 set it is a GS1 QR Code holding an unbracketed element string (GS
// separators, no leading FNC1).
func encodeQR(data string, gs1 bool) (*Symbol, error) {
	sym := DLQR
	if gs1 {
		sym = GS1QR
	}
	if data == "" {
		return nil, fmt.Errorf("%s: no data", sym)
	}
	ecl := qrdecoder.ErrorCorrectionLevel_M
	var (
		version *qrdecoder.Version
		segs    []qrSegment
	)
	for class, last := range [3]int{9, 26, 40} {
		first := [3]int{1, 10, 27}[class]
		s, bits := qrSegments(data, gs1, class)
		for v := first; v <= last && version == nil; v++ {
			ver, err := qrdecoder.Version_GetVersionForNumber(v)
			if err != nil {
				return nil, err
			}
			if bits <= 8*qrDataCodewords(ver, ecl) {
				version, segs = ver, s
			}
		}
		if version != nil {
			break
		}
	}
	if version == nil {
		return nil, fmt.Errorf("%s: %d bytes of data do not fit in a QR Code version 40-M", sym, len(data))
	}
	bits, err := qrBitStream(data, gs1, segs, version, ecl)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sym, err)
	}
	dim := version.GetDimensionForVersion()
	matrix := qrencoder.NewByteMatrix(dim, dim)
	bestMask, bestPenalty := 0, math.MaxInt
	for mask := 0; mask < 8; mask++ {
		if err := qrencoder.MatrixUtil_buildMatrix(bits, ecl, version, mask, matrix); err != nil {
			return nil, fmt.Errorf("%s: %w", sym, err)
		}
		p := qrencoder.MaskUtil_applyMaskPenaltyRule1(matrix) + qrencoder.MaskUtil_applyMaskPenaltyRule2(matrix) +
			qrencoder.MaskUtil_applyMaskPenaltyRule3(matrix) + qrencoder.MaskUtil_applyMaskPenaltyRule4(matrix)
		if p < bestPenalty {
			bestMask, bestPenalty = mask, p
		}
	}
	if err := qrencoder.MatrixUtil_buildMatrix(bits, ecl, version, bestMask, matrix); err != nil {
		return nil, fmt.Errorf("%s: %w", sym, err)
	}
	q := Margins{qrQuiet, qrQuiet, qrQuiet, qrQuiet}
	return newSymbol(sym, dim, dim, q, func(x, y int) bool { return matrix.Get(x, y) == 1 }), nil
}

// qrDataCodewords is the number of data codewords of a version at a level.
func qrDataCodewords(v *qrdecoder.Version, ecl qrdecoder.ErrorCorrectionLevel) int {
	return v.GetTotalCodewords() - v.GetECBlocksForLevel(ecl).GetTotalECCodewords()
}

// qrCharCost is the cost in sixths of a bit of data[i] in each mode, or -1 where the mode
// cannot hold it: numeric 10/3 bits a digit, alphanumeric 11/2 a character, byte 8. In a
// GS1 symbol, GS is "%" in alphanumeric mode and a data "%" goes in byte mode only.
func qrCharCost(c byte, gs1 bool) [3]int {
	cost := [3]int{-1, -1, 48}
	if c >= '0' && c <= '9' {
		cost[qrNumeric] = 20
	}
	switch {
	case gs1 && c == 0x1d:
		cost[qrAlphanumeric] = 33
	case gs1 && c == '%':
	case qrAlphanumericValue(c) >= 0:
		cost[qrAlphanumeric] = 33
	}
	return cost
}

// qrSegments splits data into the mode segments that make the shortest bit stream for
// the version class (0: versions 1-9, 1: 10-26, 2: 27-40), and returns them with the
// stream's length in bits. It is a shortest path over (position, mode): staying in a
// mode costs the character, switching costs a new segment header first.
func qrSegments(data string, gs1 bool, class int) ([]qrSegment, int) {
	n := len(data)
	const inf = math.MaxInt / 4
	header := func(m int) int { return (4 + qrCountBits[m][class]) * 6 }
	// cost[m] is the least cost of data[:i] ending in mode m; from[i][m] is the mode
	// data[i-1] was in before it, on that path.
	cost := [3]int{header(0), header(1), header(2)}
	from := make([][3]int8, n+1)
	for i := 0; i < n; i++ {
		cc := qrCharCost(data[i], gs1)
		var next [3]int
		for m := range 3 {
			next[m] = inf
			if cc[m] < 0 {
				continue
			}
			for k := range 3 {
				c := cost[k]
				if c >= inf {
					continue
				}
				if k != m && i > 0 {
					c = (c+5)/6*6 + header(m) // a segment ends on a whole bit
				}
				if i == 0 && k != m {
					continue // the first segment's header is already in cost[m]
				}
				if c+cc[m] < next[m] {
					next[m], from[i+1][m] = c+cc[m], int8(k)
				}
			}
		}
		cost = next
	}
	best := 0
	for m := range 3 {
		if cost[m] < cost[best] {
			best = m
		}
	}
	// Walk back to find each character's mode, then merge runs into segments.
	modes := make([]int, n)
	for i, m := n, best; i > 0; i-- {
		modes[i-1] = m
		m = int(from[i][m])
	}
	var segs []qrSegment
	for i := 0; i < n; {
		j := i + 1
		for j < n && modes[j] == modes[i] {
			j++
		}
		segs = append(segs, qrSegment{modes[i], i, j})
		i = j
	}
	bits := 0
	if gs1 {
		bits = 4
	}
	for _, s := range segs {
		bits += qrSegmentBits(data[s.start:s.end], gs1, s.mode, class)
	}
	return segs, bits
}

// qrSegmentBits is the exact length in bits of one segment, header included.
func qrSegmentBits(run string, gs1 bool, mode, class int) int {
	n := len(run)
	switch mode {
	case qrNumeric:
		return 4 + qrCountBits[mode][class] + n/3*10 + [3]int{0, 4, 7}[n%3]
	case qrAlphanumeric:
		return 4 + qrCountBits[mode][class] + n/2*11 + n%2*6
	}
	return 4 + qrCountBits[mode][class] + 8*n
}

// qrAlphanumericText is run as written in alphanumeric mode: in a GS1 symbol, GS becomes
// "%" (qrCharCost keeps a data "%" out of alphanumeric segments).
func qrAlphanumericText(run string, gs1 bool) string {
	if !gs1 {
		return run
	}
	return strings.ReplaceAll(run, "\x1d", "%")
}

// qrBitStream writes the segments, terminator and padding (7.4.9, 7.4.10), splits the
// codewords into the version's blocks, adds each block's Reed-Solomon codewords and
// interleaves them (7.5, 7.6).
func qrBitStream(data string, gs1 bool, segs []qrSegment, v *qrdecoder.Version, ecl qrdecoder.ErrorCorrectionLevel) (*gozxing.BitArray, error) {
	class := 0
	if n := v.GetVersionNumber(); n >= 27 {
		class = 2
	} else if n >= 10 {
		class = 1
	}
	b := gozxing.NewEmptyBitArray()
	add := func(value, bits int) { _ = b.AppendBits(value, bits) }
	if gs1 {
		add(0b0101, 4)
	}
	for _, s := range segs {
		run := data[s.start:s.end]
		add(qrModeIndicator[s.mode], 4)
		switch s.mode {
		case qrNumeric:
			add(len(run), qrCountBits[s.mode][class])
			for i := 0; i < len(run); i += 3 {
				g := run[i:min(i+3, len(run))]
				v := 0
				for j := 0; j < len(g); j++ {
					v = v*10 + int(g[j]-'0')
				}
				add(v, [4]int{0, 4, 7, 10}[len(g)])
			}
		case qrAlphanumeric:
			text := qrAlphanumericText(run, gs1)
			add(len(text), qrCountBits[s.mode][class])
			for i := 0; i+1 < len(text); i += 2 {
				add(qrAlphanumericValue(text[i])*45+qrAlphanumericValue(text[i+1]), 11)
			}
			if len(text)%2 == 1 {
				add(qrAlphanumericValue(text[len(text)-1]), 6)
			}
		case qrByte:
			add(len(run), qrCountBits[s.mode][class])
			for i := 0; i < len(run); i++ {
				add(int(run[i]), 8)
			}
		}
	}
	capacity := 8 * qrDataCodewords(v, ecl)
	if b.GetSize() > capacity {
		return nil, fmt.Errorf("%d bits do not fit in version %d (%d bits)", b.GetSize(), v.GetVersionNumber(), capacity)
	}
	add(0, min(4, capacity-b.GetSize())) // terminator
	if r := b.GetSize() % 8; r != 0 {
		add(0, 8-r)
	}
	for pad := 0xEC; b.GetSize() < capacity; pad ^= 0xEC ^ 0x11 {
		add(pad, 8)
	}
	codewords := make([]byte, capacity/8)
	b.ToBytes(0, codewords, 0, len(codewords))

	ecb := v.GetECBlocksForLevel(ecl)
	ecLen := ecb.GetECCodewordsPerBlock()
	rs := reedsolomon.NewReedSolomonEncoder(reedsolomon.GenericGF_QR_CODE_FIELD_256)
	var blocks [][]int // each block's data codewords followed by its EC codewords
	off, maxData := 0, 0
	for _, g := range ecb.GetECBlocks() {
		for range g.GetCount() {
			n := g.GetDataCodewords()
			blk := make([]int, n+ecLen)
			for i := range n {
				blk[i] = int(codewords[off+i])
			}
			off += n
			if err := rs.Encode(blk, ecLen); err != nil {
				return nil, err
			}
			blocks = append(blocks, blk)
			maxData = max(maxData, n)
		}
	}
	out := gozxing.NewEmptyBitArray()
	for i := range maxData {
		for _, blk := range blocks {
			if n := len(blk) - ecLen; i < n {
				_ = out.AppendBits(blk[i], 8)
			}
		}
	}
	for i := range ecLen {
		for _, blk := range blocks {
			_ = out.AppendBits(blk[len(blk)-ecLen+i], 8)
		}
	}
	if want := 8 * v.GetTotalCodewords(); out.GetSize() != want {
		return nil, fmt.Errorf("interleaved %d bits, want %d", out.GetSize(), want)
	}
	return out, nil
}
