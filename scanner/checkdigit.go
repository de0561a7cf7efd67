package scanner

// CheckDigit returns the GS1 mod-10 check digit ('0'..'9') for the digits that precede
// it in a GTIN, SSCC, GLN, GSRN, ... (GS1 General Specifications 7.9.1): from the
// right, digits are weighted 3, 1, 3, 1, ...; the check digit brings the weighted sum
// up to a multiple of ten. It returns 0 when digits holds a non-digit.
func CheckDigit(digits string) byte {
	sum := 0
	weight := 3
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * weight
		weight = 4 - weight
	}
	return byte('0' + (10-sum%10)%10)
}

// lintCsum checks the GS1 mod-10 check digit in the last position of a numeric key.
var lintCsum = Linter{Name: "csum", Check: checkCsum}

func checkCsum(v string) *LintError {
	if len(v) == 0 {
		return &LintError{Pos: 0, Message: "too short for a check digit"}
	}
	last := len(v) - 1
	want := CheckDigit(v[:last])
	if want == 0 {
		for i := 0; i < last; i++ {
			if v[i] < '0' || v[i] > '9' {
				return &LintError{Pos: i, Message: "non-digit character " + quoteByte(v[i])}
			}
		}
	}
	if v[last] != want {
		return &LintError{Pos: last, Message: "invalid check digit, want " + string(want)}
	}
	return nil
}

// The GS1 check character pair (General Specifications 7.9.5) protects the CSET 82
// keys (8013) GMN and (8014) MUDI: each character before the pair is taken by its
// position in CSET 82 and weighted by the primes 2, 3, 5, ... 83, the largest weight
// on the leftmost character of a 25-character key (the weights are aligned right), the
// sum taken mod 1021, and its two base-32 digits written as CSET 32 characters.
const cset32Chars = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

var checkPairPrimes = [...]int{2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83}

// CheckCharacterPair returns the GS1 check character pair for the CSET 82 characters
// of data that precede it, or "" when data is longer than 23 characters or holds a
// character outside CSET 82.
func CheckCharacterPair(data string) string {
	sum, ok := checkPairSum(data)
	if !ok {
		return ""
	}
	return string([]byte{cset32Chars[sum>>5], cset32Chars[sum&31]})
}

func checkPairSum(data string) (int, bool) {
	if len(data) > len(checkPairPrimes) {
		return 0, false
	}
	sum := 0
	for i := 0; i < len(data); i++ {
		idx := cset82Index(data[i])
		if idx < 0 {
			return 0, false
		}
		sum += idx * checkPairPrimes[len(data)-1-i]
	}
	return sum % 1021, true
}

// lintCsumAlpha checks the GS1 check character pair in the last two positions.
var lintCsumAlpha = Linter{Name: "csumalpha", Check: checkCsumAlpha}

func checkCsumAlpha(v string) *LintError {
	if len(v) < 2 {
		return &LintError{Pos: 0, Message: "too short for a check character pair"}
	}
	body := v[:len(v)-2]
	sum, ok := checkPairSum(body)
	if !ok {
		if len(body) > len(checkPairPrimes) {
			return &LintError{Pos: 0, Message: "too long for a check character pair"}
		}
		for i := 0; i < len(body); i++ {
			if cset82Index(body[i]) < 0 {
				return &LintError{Pos: i, Message: "character " + quoteByte(body[i]) + " not in CSET 82"}
			}
		}
	}
	if c := cset32Chars[sum>>5]; v[len(v)-2] != c {
		return &LintError{Pos: len(v) - 2, Message: "invalid check character pair, want " + string([]byte{c, cset32Chars[sum&31]})}
	}
	if c := cset32Chars[sum&31]; v[len(v)-1] != c {
		return &LintError{Pos: len(v) - 1, Message: "invalid check character pair, want " + string([]byte{cset32Chars[sum>>5], c})}
	}
	return nil
}
