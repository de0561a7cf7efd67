package scanner

// ISO code-list linters: ISO 3166-1 country codes (numeric and alpha-2), ISO 4217
// numeric currency codes and ISO/IEC 5218 sex codes. The lists are those of the
// standards' maintenance agencies as published with GS1's Syntax Engine release
// 2026-01-27 (ISO 3166 numeric: the "num-3" column; ISO 4217: active currencies and
// funds, including 924 ZWG).

var (
	lintISO3166       = Linter{Name: "iso3166", Check: checkISO3166}
	lintISO3166999    = Linter{Name: "iso3166999", Check: checkISO3166999}
	lintISO3166Alpha2 = Linter{Name: "iso3166alpha2", Check: checkISO3166Alpha2}
	lintISO3166List   = Linter{Name: "iso3166list", Check: checkISO3166List}
	lintISO4217       = Linter{Name: "iso4217", Check: checkISO4217}
	lintISO5218       = Linter{Name: "iso5218", Check: checkISO5218}
)

// numericSet is a set of three-digit codes 000-999 as a bitmap.
type numericSet [16]uint64

func newNumericSet(codes ...int) *numericSet {
	var s numericSet
	for _, c := range codes {
		s[c>>6] |= 1 << (c & 63)
	}
	return &s
}

// has reports whether v, which must be three characters, is a digit code in the set.
func (s *numericSet) has(v string) bool {
	if len(v) != 3 {
		return false
	}
	n := 0
	for i := 0; i < 3; i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
		n = n*10 + int(v[i]-'0')
	}
	return s[n>>6]&(1<<(n&63)) != 0
}

// iso3166Numeric is ISO 3166-1 numeric ("num-3") country codes.
var iso3166Numeric = newNumericSet(
	4, 8, 10, 12, 16, 20, 24, 28, 31, 32, 36, 40, 44, 48, 50, 51, 52, 56, 60, 64, 68, 70, 72, 74, 76, 84, 86, 90, 92, 96,
	100, 104, 108, 112, 116, 120, 124, 132, 136, 140, 144, 148, 152, 156, 158, 162, 166, 170, 174, 175, 178, 180, 184, 188, 191, 192, 196,
	203, 204, 208, 212, 214, 218, 222, 226, 231, 232, 233, 234, 238, 239, 242, 246, 248, 250, 254, 258, 260, 262, 266, 268, 270, 275, 276, 288, 292, 296,
	300, 304, 308, 312, 316, 320, 324, 328, 332, 334, 336, 340, 344, 348, 352, 356, 360, 364, 368, 372, 376, 380, 384, 388, 392, 398,
	400, 404, 408, 410, 414, 417, 418, 422, 426, 428, 430, 434, 438, 440, 442, 446, 450, 454, 458, 462, 466, 470, 474, 478, 480, 484, 492, 496, 498, 499,
	500, 504, 508, 512, 516, 520, 524, 528, 531, 533, 534, 535, 540, 548, 554, 558, 562, 566, 570, 574, 578, 580, 581, 583, 584, 585, 586, 591, 598,
	600, 604, 608, 612, 616, 620, 624, 626, 630, 634, 638, 642, 643, 646, 652, 654, 659, 660, 662, 663, 666, 670, 674, 678, 682, 686, 688, 690, 694,
	702, 703, 704, 705, 706, 710, 716, 724, 728, 729, 732, 740, 744, 748, 752, 756, 760, 762, 764, 768, 772, 776, 780, 784, 788, 792, 795, 796, 798,
	800, 804, 807, 818, 826, 831, 832, 833, 834, 840, 850, 854, 858, 860, 862, 876, 882, 887, 894,
)

// iso4217Numeric is ISO 4217 numeric currency codes.
var iso4217Numeric = newNumericSet(
	8, 12, 32, 36, 44, 48, 50, 51, 52, 60, 64, 68, 72, 84, 90, 96,
	104, 108, 116, 124, 132, 136, 144, 152, 156, 170, 174, 188, 192,
	203, 208, 214, 222, 230, 232, 238, 242, 262, 270, 292,
	320, 324, 328, 332, 340, 344, 348, 352, 356, 360, 364, 368, 376, 388, 392, 396, 398,
	400, 404, 408, 410, 414, 417, 418, 422, 426, 430, 434, 446, 454, 458, 462, 480, 484, 496, 498,
	504, 512, 516, 524, 532, 533, 548, 554, 558, 566, 578, 586, 590, 598,
	600, 604, 608, 634, 643, 646, 654, 682, 690,
	702, 704, 706, 710, 728, 748, 752, 756, 760, 764, 776, 780, 784, 788,
	800, 807, 818, 826, 834, 840, 858, 860, 882, 886,
	901, 924, 925, 926, 927, 928, 929, 930, 933, 934, 936, 938, 940, 941, 943, 944,
	946, 947, 948, 949, 950, 951, 952, 953, 955, 956, 957, 958, 959,
	960, 961, 962, 963, 964, 965, 967, 968, 969, 970, 971, 972, 973, 975, 976, 977, 978, 979, 980, 981,
	984, 985, 986, 990, 994, 997, 999,
)

// iso3166Alpha2 is the ISO 3166-1 alpha-2 country codes, two letters each.
const iso3166Alpha2 = "" +
	"ADAEAFAGAIALAMAOAQARASATAUAWAXAZ" +
	"BABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ" +
	"CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZ" +
	"DEDJDKDMDODZ" +
	"ECEEEGEHERESET" +
	"FIFJFKFMFOFR" +
	"GAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGY" +
	"HKHMHNHRHTHU" +
	"IDIEILIMINIOIQIRISIT" +
	"JEJMJOJP" +
	"KEKGKHKIKMKNKPKRKWKYKZ" +
	"LALBLCLILKLRLSLTLULVLY" +
	"MAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZ" +
	"NANCNENFNGNINLNONPNRNUNZ" +
	"OM" +
	"PAPEPFPGPHPKPLPMPNPRPSPTPWPY" +
	"QA" +
	"RERORSRURW" +
	"SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZ" +
	"TCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZ" +
	"UAUGUMUSUYUZ" +
	"VAVCVEVGVIVNVU" +
	"WFWS" +
	"YEYT" +
	"ZAZMZW"

// alpha2Set is iso3166Alpha2 as a 26x26 bitmap, one bit per letter pair.
var alpha2Set = func() (s [26]uint32) {
	for i := 0; i+1 < len(iso3166Alpha2); i += 2 {
		s[iso3166Alpha2[i]-'A'] |= 1 << (iso3166Alpha2[i+1] - 'A')
	}
	return s
}()

func checkISO3166(v string) *LintError {
	if !iso3166Numeric.has(v) {
		return &LintError{Pos: 0, Message: "not an ISO 3166 country code: " + v}
	}
	return nil
}

// checkISO3166999 allows "999" besides the ISO 3166 numeric codes: in (7030)-(7039) it
// stands for a processor approved by a body that is not a country (e.g. the EU).
func checkISO3166999(v string) *LintError {
	if v == "999" {
		return nil
	}
	if !iso3166Numeric.has(v) {
		return &LintError{Pos: 0, Message: "not an ISO 3166 country code or 999: " + v}
	}
	return nil
}

func checkISO3166Alpha2(v string) *LintError {
	if len(v) != 2 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z' ||
		alpha2Set[v[0]-'A']&(1<<(v[1]-'A')) == 0 {
		return &LintError{Pos: 0, Message: "not an ISO 3166 alpha-2 country code: " + v}
	}
	return nil
}

// checkISO3166List checks a run of ISO 3166 numeric codes, three digits each.
func checkISO3166List(v string) *LintError {
	if len(v) == 0 || len(v)%3 != 0 {
		return &LintError{Pos: 0, Message: "a list of three-digit country codes must be a multiple of 3 digits long"}
	}
	for i := 0; i < len(v); i += 3 {
		if !iso3166Numeric.has(v[i : i+3]) {
			return &LintError{Pos: i, Message: "not an ISO 3166 country code: " + v[i:i+3]}
		}
	}
	return nil
}

func checkISO4217(v string) *LintError {
	if !iso4217Numeric.has(v) {
		return &LintError{Pos: 0, Message: "not an ISO 4217 currency code: " + v}
	}
	return nil
}

// checkISO5218 accepts the ISO/IEC 5218 codes for the representation of human sexes:
// 0 not known, 1 male, 2 female, 9 not applicable.
func checkISO5218(v string) *LintError {
	if v != "0" && v != "1" && v != "2" && v != "9" {
		return &LintError{Pos: 0, Message: "not an ISO/IEC 5218 sex code (0, 1, 2 or 9): " + v}
	}
	return nil
}
