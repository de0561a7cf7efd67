package scanner

import "strings"

// The bracketed element string is the human-readable form of GS1 data (GS1 General
// Specifications 4.15, and the GS1 Barcode Syntax Engine's "bracketed AI" syntax): each
// AI in parentheses followed by its value, "(01)09520123456788(10)ABC123(17)251231".
// No separator is needed since "(" starts the next AI; a "(" inside a value is
// written "\(" so that it is not taken for one.

// ParseBracketed reads and validates a bracketed element string such as
// "(01)09520123456788(10)ABC\(1(17)251231". Every problem is reported (unknown AI, empty
// value, bad character, check digit, requisite AIs, ...) with its AI and position; the
// elements that could be read are returned with them.
func ParseBracketed(s string, opts Options) (Data, error) {
	var b builder
	parseBracketed(&b, s)
	return b.finish("", opts)
}

func parseBracketed(b *builder, s string) {
	if s == "" {
		b.fail("", 0, "empty input: no GS1 data")
		return
	}
	i := 0
	for i < len(s) {
		if s[i] != '(' {
			b.giveUp("", i, "expected ( to start an AI, got "+excerpt(s[i:], 8))
			return
		}
		close := strings.IndexByte(s[i+1:], ')')
		if close < 0 {
			b.giveUp("", i, "missing ) after AI "+excerpt(s[i+1:], 6))
			return
		}
		aiPos := i
		code := s[i+1 : i+1+close]
		i += close + 2

		// The value runs to the next "(" that is not escaped as "\(".
		start, escaped := i, false
		for i < len(s) {
			if s[i] == '(' {
				if i == start || s[i-1] != '\\' {
					break
				}
				escaped = true
			}
			i++
		}
		raw := s[start:i]

		a := LookupAI(code)
		switch {
		case !allDigits(code) || len(code) < 2 || len(code) > 4:
			b.giveUp(code, aiPos, "AI "+excerpt(code, 6)+" is not 2 to 4 digits")
			continue
		case a == nil:
			b.giveUp(code, aiPos, "unknown AI ("+code+")")
			continue
		case raw == "":
			b.giveUp(code, start, "empty value")
			continue
		}
		l := loc{ai: aiPos, val: start}
		value := raw
		if escaped {
			value = strings.ReplaceAll(raw, `\(`, "(")
			l.raw, l.enc = raw, '\\'
		}
		b.add(a.Code, value, l)
	}
}
