package scanner

// Firms' codes: the identifiers a Chinese producer registers under (journey 1, "real-name"
// registration), checked before a firm is admitted to the ledger.
//
//   - The Unified Social Credit Code (统一社会信用代码), GB 32100-2015: 18 characters from
//     the 31-character set "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z):
//
//     position  1     registration authority code (登记管理部门代码)
//     position  2     organisation category code (机构类别代码)
//     positions 3-8   administrative division code of the registering office, 6 digits (GB/T 2260)
//     positions 9-17  the organisation's body identifier: its GB 11714 organisation code,
//     8 characters and that code's own check character
//     position  18    check character, ISO 7064 MOD 31-3 style: weights 3^(i-1) mod 31 for
//     i = 1..17, check value 31 - (sum mod 31), where 31 becomes 0
//
//   - The organisation code (组织机构代码), GB 11714-1997: 8 characters from [0-9A-Z] (letters
//     worth 10..35) and a check character: weights 3 7 9 10 5 8 4 2, check value
//     11 - (sum mod 11), written 'X' for 10 and '0' for 11. It is often written with a
//     hyphen before the check character ("D2143569-X").
//
// The embedded organisation code is checked too (ErrEmbeddedOrgCode). GB 32100 defines
// positions 9-17 as the GB 11714 code including its check character, and all 200 published
// codes in ../shared/testdata/cn-codes pass that check (a code filled in at random would
// pass with chance 1/11 each, so the published ones are built that way). The final MOD 31
// character already catches every single substitution and adjacent transposition; the
// embedded check adds protection against codes made up with only the final character
// computed. Codes issued before the standard settled (some pre-2016 local registrations are
// reported to fail even the final check) are rejected: the error wraps a distinct sentinel
// so a registry that must admit such a firm can recognise the case and decide with a human.

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors for firm codes; a *FirmCodeError wraps exactly one of them, so callers can
// tell why with errors.Is.
var (
	// ErrFirmCodeLength: the code has the wrong number of characters.
	ErrFirmCodeLength = errors.New("wrong length")
	// ErrFirmCodeCharset: a character is outside the code's character set.
	ErrFirmCodeCharset = errors.New("character not allowed")
	// ErrFirmCodeCheck: the final check character does not match the others.
	ErrFirmCodeCheck = errors.New("wrong check character")
	// ErrEmbeddedOrgCode: a USCC whose own check character is right carries an organisation
	// code (positions 9-17) whose GB 11714 check character is wrong.
	ErrEmbeddedOrgCode = errors.New("embedded organisation code has a wrong check character")
)

// A FirmCodeError says why a firm code is invalid: which scheme, where and what.
type FirmCodeError struct {
	Scheme   string // "USCC" (GB 32100) or "organisation code" (GB 11714)
	Position int    // 1-based position of the offending character, as the standards count; 0 for the whole code
	Message  string // e.g. "check character is 'K', want 'X'"
	Err      error  // one of the ErrFirmCode* / ErrEmbeddedOrgCode sentinels
}

// Error names the scheme, then the position (when the fault is at one character)
// and the message.
func (e *FirmCodeError) Error() string {
	if e.Position == 0 {
		return fmt.Sprintf("%s: %s", e.Scheme, e.Message)
	}
	return fmt.Sprintf("%s: position %d: %s", e.Scheme, e.Position, e.Message)
}

// Unwrap returns the sentinel saying which rule failed.
func (e *FirmCodeError) Unwrap() error { return e.Err }

const (
	schemeUSCC    = "USCC"
	schemeOrgCode = "organisation code"

	// usccAlphabet is GB 32100's character set in value order: a character is worth its index.
	usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	usccLength   = 18
	orgLength    = 9
)

// usccWeights are 3^(i-1) mod 31 for positions i = 1..17.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgWeights are GB 11714's weights for the 8 body characters.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// usccValue returns c's value in the USCC character set, or -1.
func usccValue(c byte) int {
	return strings.IndexByte(usccAlphabet, c)
}

// orgValue returns c's value in GB 11714's character set (0-9 then A=10 .. Z=35), or -1.
func orgValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}

// USCCCheckChar returns the GB 32100 check character for the first 17 characters of a
// Unified Social Credit Code. Fixtures use it to build valid codes; ValidateUSCC uses it to
// check them.
func USCCCheckChar(body string) (byte, error) {
	if len(body) != usccLength-1 {
		return 0, &FirmCodeError{Scheme: schemeUSCC, Message: fmt.Sprintf("body has %d characters, want 17", len(body)), Err: ErrFirmCodeLength}
	}
	sum := 0
	for i := 0; i < len(body); i++ {
		v := usccValue(body[i])
		if v < 0 {
			return 0, usccCharsetError(body, i)
		}
		sum += v * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31], nil
}

// OrgCodeCheckChar returns the GB 11714 check character for the 8 body characters of an
// organisation code ('0'-'9' or 'X'). Fixtures use it to build the organisation code a USCC
// embeds.
func OrgCodeCheckChar(body string) (byte, error) {
	if len(body) != orgLength-1 {
		return 0, &FirmCodeError{Scheme: schemeOrgCode, Message: fmt.Sprintf("body has %d characters, want 8", len(body)), Err: ErrFirmCodeLength}
	}
	sum := 0
	for i := 0; i < len(body); i++ {
		v := orgValue(body[i])
		if v < 0 {
			return 0, orgCharsetError(body[i], i+1)
		}
		sum += v * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X', nil
	case 11:
		return '0', nil
	default:
		return byte('0' + c), nil
	}
}

// ValidateUSCC checks a Unified Social Credit Code (GB 32100-2015): 18 characters of the
// standard's set, a 6-digit administrative division code in positions 3-8, the GB 11714
// check character of the organisation code in positions 9-17, and the final MOD 31 check
// character. The code must be written exactly: upper case, no spaces or hyphens. The error
// is a *FirmCodeError naming the position and the rule.
func ValidateUSCC(code string) error {
	if len(code) != usccLength {
		return &FirmCodeError{Scheme: schemeUSCC, Message: fmt.Sprintf("has %d characters, want 18", len(code)), Err: ErrFirmCodeLength}
	}
	for i := 0; i < len(code); i++ {
		if usccValue(code[i]) < 0 {
			return usccCharsetError(code, i)
		}
	}
	for i := 2; i < 8; i++ {
		if c := code[i]; c < '0' || c > '9' {
			return &FirmCodeError{Scheme: schemeUSCC, Position: i + 1, Err: ErrFirmCodeCharset,
				Message: fmt.Sprintf("character %q in the administrative division code (positions 3-8), want a digit", c)}
		}
	}
	want, err := USCCCheckChar(code[:17])
	if err != nil {
		return err
	}
	if code[17] != want {
		return &FirmCodeError{Scheme: schemeUSCC, Position: 18, Err: ErrFirmCodeCheck,
			Message: fmt.Sprintf("check character is %q, want %q", code[17], want)}
	}
	// The USCC set is a subset of GB 11714's, so the body cannot fail here.
	orgWant, _ := OrgCodeCheckChar(code[8:16])
	if code[16] != orgWant {
		return &FirmCodeError{Scheme: schemeUSCC, Position: 17, Err: ErrEmbeddedOrgCode,
			Message: fmt.Sprintf("organisation code %s (positions 9-17) has check character %q, want %q", code[8:17], code[16], orgWant)}
	}
	return nil
}

// ValidateOrgCode checks an organisation code (GB 11714-1997): 8 characters from [0-9A-Z]
// and the check character, optionally written with a hyphen before it ("12345678-9"). The
// error is a *FirmCodeError naming the position (in the code as written) and the rule.
func ValidateOrgCode(code string) error {
	s := code
	if len(code) == orgLength+1 && code[8] == '-' {
		s = code[:8] + code[9:]
	}
	if len(s) != orgLength {
		return &FirmCodeError{Scheme: schemeOrgCode, Err: ErrFirmCodeLength,
			Message: fmt.Sprintf("has %d characters, want 9 (or 10 with a hyphen before the check character)", len(code))}
	}
	for i := 0; i < 8; i++ {
		if orgValue(s[i]) < 0 {
			return orgCharsetError(s[i], i+1)
		}
	}
	checkPos := len(code) // 1-based position of the check character as written
	c := s[8]
	if c != 'X' && (c < '0' || c > '9') {
		return &FirmCodeError{Scheme: schemeOrgCode, Position: checkPos, Err: ErrFirmCodeCharset,
			Message: fmt.Sprintf("check character %q, want a digit or 'X'", c)}
	}
	want, _ := OrgCodeCheckChar(s[:8])
	if c != want {
		return &FirmCodeError{Scheme: schemeOrgCode, Position: checkPos, Err: ErrFirmCodeCheck,
			Message: fmt.Sprintf("check character is %q, want %q", c, want)}
	}
	return nil
}

func usccCharsetError(code string, i int) error {
	c := code[i]
	why := "not in GB 32100's set 0-9 A-H J-N P-R T U W-Y"
	switch {
	case c == 'I' || c == 'O' || c == 'S' || c == 'V' || c == 'Z':
		why = "not used by GB 32100 (I, O, S, V and Z are excluded)"
	case c >= 'a' && c <= 'z':
		why = "lower case; codes are written in upper case"
	}
	return &FirmCodeError{Scheme: schemeUSCC, Position: i + 1, Err: ErrFirmCodeCharset,
		Message: fmt.Sprintf("character %q %s", c, why)}
}

func orgCharsetError(c byte, pos int) error {
	why := "not in GB 11714's set 0-9 A-Z"
	if c >= 'a' && c <= 'z' {
		why = "lower case; codes are written in upper case"
	}
	return &FirmCodeError{Scheme: schemeOrgCode, Position: pos, Err: ErrFirmCodeCharset,
		Message: fmt.Sprintf("character %q %s", c, why)}
}
