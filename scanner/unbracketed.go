package scanner

// The unbracketed element string is GS1 data as a barcode carries it (GS1 General
// Specifications 7.8.5): AIs and values run together, and an FNC1 separator follows
// each value whose length is not predefined by its AI, unless it is the last. FNC1 in
// first position marks the data as GS1 data. In text, FNC1 is written "^" (the Syntax
// Engine's convention) or sent as the ASCII group separator GS (0x1D), as scanners do.
//
// Splitting follows the Syntax Engine: the AI is found from its first two digits (the
// GS1 AI prefix lengths), an AI of predefined length takes exactly that many
// characters, any other AI takes everything up to the next separator. A separator after
// a predefined-length AI is redundant but tolerated, and so is one at the very end.

// ParseUnbracketed reads and validates an unbracketed element string:
// "^010952012345678810ABC123^17251231" with "^" for FNC1 (the leading "^" is FNC1 in
// first position), or the same with GS (0x1D) separators, with or without a leading
// FNC1. Every problem is reported with its AI and position.
func ParseUnbracketed(s string, opts Options) (Data, error) {
	var b builder
	start := 0
	if s != "" && (s[0] == '^' || s[0] == GS) {
		start = 1 // FNC1 in first position
	}
	if start == len(s) {
		b.fail("", start, "no AI data")
	} else {
		splitElementString(&b, s, start, true)
	}
	return b.finish("", opts)
}

// splitElementString splits the element string s[p:] into elements, with GS as the
// separator and, when caret is set, "^" too. Positions are offsets in s.
func splitElementString(b *builder, s string, p int, caret bool) {
	isSep := func(c byte) bool { return c == GS || caret && c == '^' }
	for p < len(s) {
		if isSep(s[p]) {
			b.fail("", p, "separator where an AI should start")
			p++
			continue
		}
		a := MatchAI(s[p:])
		if a == nil {
			n := AIPrefixLength(s[p:])
			if n == 0 || n > len(s)-p {
				n = 2
			}
			b.giveUp("", p, "no known AI at "+excerpt(s[p:], n))
			return // without the AI the rest cannot be split
		}
		aiPos := p
		p += len(a.Code)
		end := p
		for end < len(s) && !isSep(s[end]) {
			end++
		}
		valEnd := end
		if a.Predefined && p+a.MaxLength() < end {
			valEnd = p + a.MaxLength()
		}
		if valEnd == p {
			b.giveUp(a.Code, p, "empty value")
		} else {
			b.add(a.Code, s[p:valEnd], loc{ai: aiPos, val: p})
		}
		p = valEnd
		if p < len(s) && isSep(s[p]) {
			p++ // the separator after a value; redundant after a predefined length, tolerated at the end
		}
	}
}
