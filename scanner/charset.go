package scanner

// The GS1 AI encodable character sets (GS1 General Specifications, figures 7.11-1 to
// 7.11-3). CSET 82 is the printable ASCII subset that every GS1 data carrier can hold;
// CSET 39 is the smaller set for AIs that must survive case-insensitive or
// space-constrained systems (e.g. (8010) CPID); CSET 64 is base64url for (8030)
// digital signatures.
const (
	cset82Chars = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
	cset39Chars = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	cset64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
)

// charsetMembers is a 256-bit membership set per Charset, built once so that
// Contains is one shift and mask on the hot path.
var charsetMembers = func() (m [CSET64 + 1][4]uint64) {
	add := func(c Charset, s string) {
		for i := 0; i < len(s); i++ {
			m[c][s[i]>>6] |= 1 << (s[i] & 63)
		}
	}
	add(Numeric, "0123456789")
	add(CSET82, cset82Chars)
	add(CSET39, cset39Chars)
	add(CSET64, cset64Chars+"=")
	return m
}()

// String returns the Syntax Dictionary letter name of the character set ("N", "X", "Y",
// "Z"), as used in format specifications such as "X..20".
func (c Charset) String() string {
	switch c {
	case Numeric:
		return "N"
	case CSET82:
		return "X"
	case CSET39:
		return "Y"
	case CSET64:
		return "Z"
	}
	return "?"
}

// Name returns the character set's name for messages ("digits", "CSET 82", ...).
func (c Charset) Name() string {
	switch c {
	case Numeric:
		return "N (digits)"
	case CSET82:
		return "CSET 82"
	case CSET39:
		return "CSET 39"
	case CSET64:
		return "CSET 64"
	}
	return "unknown character set"
}

// Contains reports whether byte b belongs to the character set. For CSET64 the padding
// character "=" counts as a member; where it may stand is checked separately (see
// checkCSET64Padding).
func (c Charset) Contains(b byte) bool {
	if c > CSET64 {
		return false
	}
	return charsetMembers[c][b>>6]&(1<<(b&63)) != 0
}

// cset82Index returns the position of b in CSET 82's GS1 ordering, the value the check
// character pair of (8013) and (8014) weighs, or -1 when b is not in CSET 82.
func cset82Index(b byte) int {
	for i := 0; i < len(cset82Chars); i++ {
		if cset82Chars[i] == b {
			return i
		}
	}
	return -1
}
