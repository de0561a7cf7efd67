package scanner

import "strconv"

// CheckValue checks v as the value of the AI: each component in turn takes its share of
// v (its fixed length, or what is left up to its maximum for the last, variable one),
// which must be in the component's character set and pass every linter of the
// component; optional components may be left out once v is exhausted, but one that is
// started must be complete. It returns nil when v is valid, or the first fault with its
// 0-based offset within v. It does not allocate on valid input.
func (a *AI) CheckValue(v string) *LintError {
	pos := 0
	for i := range a.Components {
		c := &a.Components[i]
		rest := len(v) - pos
		if rest == 0 && c.Optional {
			break
		}
		take := c.Max
		if rest < take {
			take = rest
		}
		if take < c.Min {
			if rest == 0 && pos == 0 {
				return &LintError{Pos: 0, Message: "empty value"}
			}
			return &LintError{Pos: len(v), Message: "value too short: " + lengthRule(a) + ", got " + strconv.Itoa(len(v))}
		}
		part := v[pos : pos+take]
		for j := 0; j < len(part); j++ {
			if !c.Charset.Contains(part[j]) {
				return &LintError{Pos: pos + j, Message: "character " + quoteByte(part[j]) + " not in " + c.Charset.Name()}
			}
		}
		if c.Charset == CSET64 {
			if e := checkCSET64Padding(part); e != nil {
				e.Pos += pos
				return e
			}
		}
		for _, l := range c.Linters {
			if e := l.Check(part); e != nil {
				e.Pos += pos
				return e
			}
		}
		pos += take
	}
	if pos < len(v) {
		return &LintError{Pos: pos, Message: "value too long: " + lengthRule(a) + ", got " + strconv.Itoa(len(v))}
	}
	return nil
}

// lengthRule says how long the AI's value may be, for messages: "want 14 characters" or
// "want 1 to 20 characters".
func lengthRule(a *AI) string {
	lo, hi := a.MinLength(), a.MaxLength()
	if lo == hi {
		return "want " + strconv.Itoa(lo) + " characters"
	}
	return "want " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi) + " characters"
}

// checkCSET64Padding checks the "=" padding of a CSET 64 (base64url) value as the GS1
// Syntax Engine does: at most two "=", only at the end, and only where they complete
// the data to a multiple of three characters' worth.
func checkCSET64Padding(v string) *LintError {
	end := len(v)
	for end > 0 && v[end-1] == '=' {
		end--
	}
	pads := len(v) - end
	for i := 0; i < end; i++ {
		if v[i] == '=' {
			return &LintError{Pos: i, Message: "CSET 64 padding '=' only allowed at the end"}
		}
	}
	if pads > 2 || (pads > 0 && len(v)%3 != 0) {
		return &LintError{Pos: end, Message: "invalid CSET 64 padding"}
	}
	return nil
}

// quoteByte renders a byte for messages: '!' for printable ASCII, '\x1d' otherwise.
func quoteByte(b byte) string {
	if b >= 0x20 && b < 0x7f && b != '\'' && b != '\\' {
		return "'" + string(rune(b)) + "'"
	}
	return strconv.QuoteRuneToASCII(rune(b))
}

// allLinters lists every linter this package implements, by Syntax Dictionary name, so the
// table test can tell an unknown linter name from a missing one.
func allLinters() []Linter {
	return []Linter{
		lintCsum, lintCsumAlpha, lintGCPPos1, lintGCPPos2, lintKey, lintKeyOff1,
		lintYYMMD0, lintYYMMDD, lintYYYYMMD0, lintYYYYMMDD, lintYYMMDDHH,
		lintHHMI, lintHHMM, lintHH, lintMI, lintMM, lintSS, lintMMOptSS,
		lintISO3166, lintISO3166999, lintISO3166Alpha2, lintISO3166List, lintISO4217, lintISO5218,
		lintPcenc, lintHyphen, lintYesNo, lintNonZero, lintZero, lintNoZeroPrefix, lintHasNonDigit,
		lintPieceOfTotal, lintPosInSeqSlash, lintPackageType, lintMediaType,
		lintLatitude, lintLongitude, lintLatLong, lintIBAN, lintImporterIdx, lintWinding,
		lintCouponCode, lintCouponPosOffer,
	}
}
