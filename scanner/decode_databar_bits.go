package scanner

import (
	"errors"
	"fmt"
	"strings"
)

// decodeExpandedBits decodes the binary data of a GS1 DataBar Expanded symbol (ISO/IEC
// 24724:2011 section 7.2.5) into its element string as a scanner transmits it: AIs
// and values run together, GS for each FNC1 separator. The data starts with a linkage
// flag (a 2D composite component follows; we read none), then an encodation method:
// compressed forms for (01) with or without a net weight, price or date, then the
// general-purpose field, a numeric / alphanumeric / ISO 646 bit stream.
func decodeExpandedBits(bits []bool) (string, error) {
	d := &expandedBits{bits: bits}
	var out strings.Builder
	var gp int // where the general-purpose field starts, -1 for none
	switch {
	case d.is(1, "1"):
		// (01) with any indicator digit: 2 bits variable-length field, 4 bits digit
		first := d.num(4, 4)
		out.WriteString("01" + d.gtin(8, byte('0'+first)))
		gp = 48
	case d.is(1, "00"):
		gp = 5
	case d.is(1, "0100"):
		// (01) with indicator 9 and (3103) net weight in kg to 3 decimals
		if len(bits) != 60 {
			return "", fmt.Errorf("DataBar Expanded method 0100: %d bits, want 60", len(bits))
		}
		out.WriteString("01" + d.gtin(5, '9'))
		fmt.Fprintf(&out, "3103%06d", d.num(45, 15))
		gp = -1
	case d.is(1, "0101"):
		// (01) with indicator 9 and (3202) or (3203) net weight in lb
		if len(bits) != 60 {
			return "", fmt.Errorf("DataBar Expanded method 0101: %d bits, want 60", len(bits))
		}
		out.WriteString("01" + d.gtin(5, '9'))
		if w := d.num(45, 15); w < 10000 {
			fmt.Fprintf(&out, "3202%06d", w)
		} else {
			fmt.Fprintf(&out, "3203%06d", w-10000)
		}
		gp = -1
	case d.is(1, "01100"):
		// (01) with indicator 9, (392x) price: decimals digit, then the price digits
		out.WriteString("01" + d.gtin(8, '9'))
		fmt.Fprintf(&out, "392%d", d.num(48, 2))
		gp = 50
	case d.is(1, "01101"):
		// (01) with indicator 9, (393x) price with ISO 4217 currency
		out.WriteString("01" + d.gtin(8, '9'))
		fmt.Fprintf(&out, "393%d%03d", d.num(48, 2), d.num(50, 10))
		gp = 60
	case d.is(1, "0111"):
		// (01) with indicator 9, a net weight (310x kg or 320x lb) and a date AI
		if len(bits) != 84 {
			return "", fmt.Errorf("DataBar Expanded method 0111: %d bits, want 84", len(bits))
		}
		method := d.num(5, 3)
		weightAI := [2]string{"310", "320"}[method%2]
		dateAI := [4]string{"11", "13", "15", "17"}[method/2]
		out.WriteString("01" + d.gtin(8, '9'))
		w := d.num(48, 20)
		fmt.Fprintf(&out, "%s%d%06d", weightAI, w/100000, w%100000)
		if date := d.num(68, 16); date != 38400 { // 38400: no date
			day, month, year := date%32, date/32%12+1, date/384
			fmt.Fprintf(&out, "%s%02d%02d%02d", dateAI, year, month, day)
		}
		gp = -1
	default:
		return "", errors.New("DataBar Expanded: unknown encodation method")
	}
	if d.err != nil {
		return "", d.err
	}
	if gp >= 0 {
		field, err := d.generalPurpose(gp)
		if err != nil {
			return "", err
		}
		out.WriteString(field)
	}
	s := strings.TrimRight(out.String(), gs)
	if s == "" {
		return "", errors.New("DataBar Expanded: no data")
	}
	return s, nil
}

type expandedBits struct {
	bits []bool
	err  error
}

// is reports whether the bits from pos spell pattern ("0"s and "1"s).
func (d *expandedBits) is(pos int, pattern string) bool {
	if pos+len(pattern) > len(d.bits) {
		return false
	}
	for i := 0; i < len(pattern); i++ {
		if d.bits[pos+i] != (pattern[i] == '1') {
			return false
		}
	}
	return true
}

// num reads n bits from pos as an unsigned number, most significant first.
func (d *expandedBits) num(pos, n int) int {
	if pos+n > len(d.bits) {
		if d.err == nil {
			d.err = fmt.Errorf("DataBar Expanded: data ends at bit %d, field needs %d bits from %d", len(d.bits), n, pos)
		}
		return 0
	}
	v := 0
	for _, b := range d.bits[pos : pos+n] {
		v <<= 1
		if b {
			v |= 1
		}
	}
	return v
}

// gtin reads a compressed GTIN: four 10-bit groups of three digits after the given
// first digit, then computes the check digit.
func (d *expandedBits) gtin(pos int, first byte) string {
	var b strings.Builder
	b.WriteByte(first)
	for i := 0; i < 4; i++ {
		fmt.Fprintf(&b, "%03d", d.num(pos+10*i, 10))
	}
	s := b.String()
	weighted := 0
	for i := 0; i < 13; i++ {
		n := int(s[i] - '0')
		if i%2 == 0 {
			n *= 3
		}
		weighted += n
	}
	return s + string(rune('0'+(10-weighted%10)%10))
}

// generalPurpose decodes the general-purpose data field from pos to the end (ISO/IEC
// 24724 7.2.5.5): it starts in numeric mode; FNC1 becomes GS.
func (d *expandedBits) generalPurpose(pos int) (string, error) {
	const (
		numeric = iota
		alpha
		iso646
	)
	var out strings.Builder
	mode := numeric
	size := len(d.bits)
	// latch reports whether the bits at pos spell pattern, a pattern cut short by the
	// end of the data counting as spelled (padding may be truncated).
	latch := func(pos int, pattern string) bool {
		for i := 0; i < len(pattern) && pos+i < size; i++ {
			if d.bits[pos+i] != (pattern[i] == '1') {
				return false
			}
		}
		return pos < size
	}
	for pos < size {
		switch mode {
		case numeric:
			if pos+4 > size {
				return out.String(), nil
			}
			if latch(pos, "0000") {
				mode, pos = alpha, pos+4
				continue
			}
			if pos+7 > size {
				// a last single digit in 4 bits: value - 1
				if v := d.num(pos, 4); v > 0 && v <= 10 {
					out.WriteByte(byte('0' + v - 1))
				}
				return out.String(), nil
			}
			v := d.num(pos, 7) - 8
			if v < 0 || v > 120 {
				return "", fmt.Errorf("DataBar Expanded: bad numeric value at bit %d", pos)
			}
			for _, digit := range [2]int{v / 11, v % 11} {
				if digit == 10 {
					out.WriteString(gs)
				} else {
					out.WriteByte(byte('0' + digit))
				}
			}
			pos += 7
		case alpha, iso646:
			if latch(pos, "000") {
				mode, pos = numeric, pos+3
				continue
			}
			if latch(pos, "00100") {
				mode, pos = alpha+iso646-mode, pos+5
				continue
			}
			if pos+5 > size {
				return out.String(), nil
			}
			if v := d.num(pos, 5); v >= 5 && v <= 15 {
				if v == 15 {
					out.WriteString(gs) // the mode stays as it is
				} else {
					out.WriteByte(byte('0' + v - 5))
				}
				pos += 5
				continue
			}
			c, n := d.char(pos, mode == iso646)
			if n == 0 {
				return "", fmt.Errorf("DataBar Expanded: bad character at bit %d", pos)
			}
			out.WriteByte(c)
			pos += n
		}
	}
	return out.String(), nil
}

// char decodes one non-digit character in alphanumeric (6 bits) or ISO 646 (7 or 8
// bits) mode, returning it and its size in bits, or size 0.
func (d *expandedBits) char(pos int, iso bool) (byte, int) {
	size := len(d.bits)
	if !iso {
		if pos+6 > size {
			return 0, 0
		}
		v := d.num(pos, 6)
		switch {
		case v >= 32 && v <= 57:
			return byte('A' + v - 32), 6
		case v >= 58 && v <= 62:
			return "*,-./"[v-58], 6
		}
		return 0, 0
	}
	if pos+7 <= size {
		v := d.num(pos, 7)
		switch {
		case v >= 64 && v <= 89:
			return byte('A' + v - 64), 7
		case v >= 90 && v <= 115:
			return byte('a' + v - 90), 7
		}
	}
	if pos+8 <= size {
		v := d.num(pos, 8)
		if v >= 232 && v <= 252 {
			return "!\"%&'()*+,-./:;<=>?_ "[v-232], 8
		}
	}
	return 0, 0
}
