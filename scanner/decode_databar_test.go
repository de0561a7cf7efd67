package scanner

import (
	"fmt"
	"image"
	"strings"
	"testing"
)

func TestExpandedWeightsMatchTheStandard(t *testing.T) {
	// first and last rows of ISO/IEC 24724 Table 14
	if got, want := expandedWeights[0], [8]int{1, 3, 9, 27, 81, 32, 96, 77}; got != want {
		t.Errorf("row 0 = %v, want %v", got, want)
	}
	if got, want := expandedWeights[22], [8]int{45, 135, 194, 160, 58, 174, 100, 89}; got != want {
		t.Errorf("row 22 = %v, want %v", got, want)
	}
}

// bitString builds DataBar Expanded binary data for tests: each part is either a
// literal of 0s and 1s (spaces ignored) or a [2]int{value, width}.
func bitString(parts ...any) []bool {
	var bits []bool
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			for _, c := range strings.ReplaceAll(v, " ", "") {
				bits = append(bits, c == '1')
			}
		case [2]int:
			for b := v[1] - 1; b >= 0; b-- {
				bits = append(bits, v[0]>>b&1 == 1)
			}
		default:
			panic(fmt.Sprintf("bitString: %T", p))
		}
	}
	return bits
}

// compressed GTIN 9001234567890(8) without its first digit: 001 234 567 890
var gtinBits = []any{[2]int{1, 10}, [2]int{234, 10}, [2]int{567, 10}, [2]int{890, 10}}

func join(parts ...any) []any {
	var out []any
	for _, p := range parts {
		if ps, ok := p.([]any); ok {
			out = append(out, ps...)
		} else {
			out = append(out, p)
		}
	}
	return out
}

// numPair is a numeric-mode pair of digits (10 for FNC1) in 7 bits.
func numPair(a, b int) [2]int { return [2]int{8 + 11*a + b, 7} }

func TestDecodeExpandedBits(t *testing.T) {
	tests := []struct {
		name string
		bits []bool
		want string
	}{
		{"method 1: (01) with first digit, then (10) in the general field",
			bitString(join("0 1 00", [2]int{9, 4}, gtinBits,
				numPair(1, 0), "0000", [2]int{1 + 5, 5}, [2]int{2 + 5, 5}, [2]int{32, 6})...),
			"0190012345678908" + "1012A"},
		{"method 0100: (01) and (3103)",
			bitString(join("0 0100", gtinBits, [2]int{1750, 15})...),
			"0190012345678908" + "3103001750"},
		{"method 0101: (3203) over 10000",
			bitString(join("0 0101", gtinBits, [2]int{10000 + 42, 15})...),
			"0190012345678908" + "3203000042"},
		{"method 0111 110: (3103) and (17)",
			bitString(join("0 0111 110", gtinBits, [2]int{3*100000 + 1750, 20}, [2]int{(10*12+2)*32 + 12, 16})...),
			"0190012345678908" + "3103001750" + "17100312"},
		{"method 0111 001: (3202), no date",
			bitString(join("0 0111 001", gtinBits, [2]int{2*100000 + 99, 20}, [2]int{38400, 16})...),
			"0190012345678908" + "3202000099"},
		{"method 01100: (392x) price",
			bitString(join("0 01100 00", gtinBits, [2]int{2, 2}, numPair(1, 2), numPair(3, 4))...),
			"0190012345678908" + "3922" + "1234"},
		{"method 01101: (393x) price with currency",
			bitString(join("0 01101 00", gtinBits, [2]int{1, 2}, [2]int{40, 10}, numPair(1, 2), numPair(3, 4))...),
			"0190012345678908" + "3931" + "040" + "1234"},
		{"method 00: FNC1 in alphanumeric mode keeps the mode; ISO 646 and back",
			bitString(
				"0 00 00",
				numPair(1, 0), "0000", // (10), latch to alphanumeric
				[2]int{1 + 5, 5}, [2]int{2 + 5, 5}, [2]int{32, 6}, [2]int{15, 5}, // 1 2 A FNC1
				[2]int{4 + 5, 5}, [2]int{2 + 5, 5}, [2]int{2 + 5, 5}, // 4 2 2, still alphanumeric
				"00100", [2]int{90, 7}, [2]int{236, 8}, [2]int{64 + 25, 7}, // ISO 646: a ' Z
				"00100", [2]int{58, 6}, // back to alphanumeric: *
				"000", numPair(9, 9), // numeric: 9 9
			),
			"1012A" + gs + "422" + "a'Z" + "*" + "99"},
		{"method 00: numeric with a last single digit",
			bitString("0 00 00", numPair(2, 1), numPair(1, 2), numPair(3, 10), numPair(2, 1), [2]int{5 + 1, 4}),
			"2112" + "3" + gs + "21" + "5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeExpandedBits(tt.bits)
			if err != nil {
				t.Fatalf("decodeExpandedBits: %v", err)
			}
			if got != tt.want {
				t.Errorf("decodeExpandedBits = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeExpandedBitsRefusesBadData(t *testing.T) {
	tests := map[string][]bool{
		"method 0100 with missing bits": bitString(join("0 0100", gtinBits)...),
		"method 0111 too long":          bitString(join("0 0111 000", gtinBits, [2]int{0, 20}, [2]int{0, 16}, "1")...),
		"no data at all":                bitString("0 00 00"),
		"no such alphanumeric value":    bitString("0 00 00", "0000", "111111"),
	}
	for name, bits := range tests {
		if got, err := decodeExpandedBits(bits); err == nil {
			t.Errorf("%s: decodeExpandedBits = %q, want an error", name, got)
		}
	}
}

// FuzzDecodeExpandedBits: any bit string decodes or fails, never panics.
func FuzzDecodeExpandedBits(f *testing.F) {
	f.Add([]byte{0x40, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde})
	f.Add([]byte{0x0f, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		bits := make([]bool, 0, 8*len(b))
		for _, c := range b {
			for i := 7; i >= 0; i-- {
				bits = append(bits, c>>i&1 == 1)
			}
		}
		_, _ = decodeExpandedBits(bits)
	})
}

// expandedSample is a real GS1 DataBar Expanded row: the element widths in modules,
// light first, of ZXing's blackbox image rssexpanded-1/1.png, which holds
// (11)100224(17)110224(3102)000100 (five pairs, finders A1 E2 B1 D2 C1).
var expandedSample = []int{
	1, 1, 4, 1, 1, 3, 1, 1, 4, 2, 1, 8, 4, 1, 1, 2, 2, 1, 1, 1, 6, 1, 3, 1, 1, 4, 1, 2, 3, 3,
	2, 1, 1, 5, 6, 2, 2, 1, 1, 3, 1, 2, 5, 2, 3, 1, 1, 5, 3, 1, 1, 2, 3, 6, 4, 1, 1, 1, 1, 1,
	4, 4, 4, 1, 1, 1, 1, 5, 2, 1, 2, 3, 2, 1, 1, 8, 2, 3, 1, 1, 2, 5, 3, 1, 1, 3, 3, 2, 4, 1,
	1, 3, 2, 1, 3, 4, 6, 1, 1, 1, 1,
}

// runsImage draws element widths (light first) at px pixels per module, height pixels
// tall, with a light margin of quiet pixels at each end.
func runsImage(widths []int, px, height, quiet int) *grayImage {
	total := 2 * quiet
	for _, w := range widths {
		total += w * px
	}
	g := newGray(total, height)
	x := quiet
	row := make([]byte, total)
	for i := range row {
		row[i] = 255
	}
	for i, w := range widths {
		if i%2 == 1 {
			for j := x; j < x+w*px; j++ {
				row[j] = 0
			}
		}
		x += w * px
	}
	for y := 0; y < height; y++ {
		copy(g.pix[y*total:], row)
	}
	return g
}

func TestDecodeImageReadsDataBarExpanded(t *testing.T) {
	const want = "]e0" + "11100224" + "17110224" + "3102000100"
	g := runsImage(expandedSample, 3, 40, 20)
	for name, img := range map[string]*grayImage{"upright": g, "upside down": g.rotate90(2), "turned a quarter": g.rotate90(1)} {
		got, err := unhurried.DecodeImage(&image.Gray{Pix: img.pix, Stride: img.w, Rect: image.Rect(0, 0, img.w, img.h)})
		if err != nil || got != want {
			t.Errorf("%s: DecodeImage = %q, %v; want %q", name, got, err, want)
		}
	}
	// a symbol cut short (its last pair and guard missing) must not read at all
	cut := runsImage(expandedSample[:len(expandedSample)-20], 3, 40, 20)
	if got, err := DecodeImage(&image.Gray{Pix: cut.pix, Stride: cut.w, Rect: image.Rect(0, 0, cut.w, cut.h)}); err == nil {
		t.Errorf("truncated symbol: DecodeImage = %q, want an error", got)
	}
}
