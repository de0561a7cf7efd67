package scanner

import (
	"slices"
	"strings"
)

// Validation follows the GS1 General Specifications (4.14 "Rules for combining element
// strings") and the checks of the GS1 Barcode Syntax Engine, in the same order:
//
//   - each value against its AI: character set, lengths and content linters (AI.CheckValue);
//   - an AI repeated with a different value is an error (the same value twice is allowed:
//     it happens when the symbols on one label are read together);
//   - mutually exclusive AIs (the "ex" attributes: (01) with (02), (21) with (235),
//     two decimal positions of one measure, ...);
//   - requisite AIs (the "req" attributes: (10) needs (01), (02), (03), (8006) or (8026), ...),
//     unless Options.NoRequisite: data read from one symbol of several on a label may
//     lack its partners legitimately;
//   - a (8030) digital signature needs the serial component of (253), (255) or (8003).

// Validate checks d as GS1 data: every value against its AI, repeated AIs, mutually
// exclusive AIs and, unless opts.NoRequisite, requisite AIs. It returns nil or an
// Errors value with every problem; since d no longer knows its input, the positions are
// offsets in d.Bracketed(). The Parse functions validate already, with positions in
// their input, and Digital Link's own rules (key qualifiers in the path, in order) are
// checked by ParseDigitalLink since they concern the URI, not the data.
func (d Data) Validate(opts Options) error {
	var errs Errors
	validate(d.Elements, bracketedLocs(d.Elements), opts, false, &errs)
	if len(errs) == 0 {
		return nil
	}
	slices.SortStableFunc(errs, func(x, y *Error) int { return x.Position - y.Position })
	return errs
}

// bracketedLocs locates each element in the bracketed form of els.
func bracketedLocs(els []Element) []loc {
	locs := make([]loc, len(els))
	pos := 0
	for i, e := range els {
		locs[i].ai = pos
		pos += len(e.AI) + 2
		locs[i].val = pos
		if strings.IndexByte(e.Value, '(') >= 0 {
			raw := strings.ReplaceAll(e.Value, "(", `\(`)
			locs[i].raw, locs[i].enc = raw, '\\'
			pos += len(raw)
		} else {
			pos += len(e.Value)
		}
	}
	return locs
}

// validate appends to errs every problem of els, located by locs. When truncated, part
// of the input could not be read and the requisite check is skipped.
func validate(els []Element, locs []loc, opts Options, truncated bool, errs *Errors) {
	fail := func(ai string, pos int, msg string) {
		*errs = append(*errs, &Error{AI: ai, Position: pos, Message: msg})
	}
	hasDigSig := false
	for i, e := range els {
		a := LookupAI(e.AI)
		if a == nil {
			fail(e.AI, locs[i].ai, "unknown AI ("+e.AI+")")
			continue
		}
		if e.AI == "8030" {
			hasDigSig = true
		}
		if locs[i].checked {
			continue
		}
		if le := a.CheckValue(e.Value); le != nil {
			fail(e.AI, locs[i].offset(le.Pos), le.Message)
		}
	}

	for i, e := range els {
		if repeat(els, i) {
			for j := 0; j < i; j++ {
				if els[j].AI == e.AI && els[j].Value != e.Value {
					fail(e.AI, locs[i].ai, "("+e.AI+") repeated with a different value: "+
						excerpt(els[j].Value, 30)+" then "+excerpt(e.Value, 30))
					break
				}
			}
			continue
		}
		// Mutually exclusive pairs are reported once, at the later AI.
		for j := 0; j < i; j++ {
			if excludes(els[i].AI, els[j].AI) || excludes(els[j].AI, els[i].AI) {
				fail(e.AI, locs[i].ai, "("+e.AI+") must not appear with ("+els[j].AI+")")
				break
			}
		}
	}

	if !opts.NoRequisite && !truncated {
		for i, e := range els {
			a := LookupAI(e.AI)
			if a == nil || repeat(els, i) {
				continue
			}
			for _, rule := range a.Requires {
				if !requisiteMet(els, e.AI, rule) {
					fail(e.AI, locs[i].ai, "("+e.AI+") requires "+describeRequisite(rule))
				}
			}
		}
	}

	if hasDigSig {
		// GS1 General Specifications 3.9.17: the signature covers a serialised key.
		for i, e := range els {
			if e.AI != "253" && e.AI != "255" && e.AI != "8003" {
				continue
			}
			if a := LookupAI(e.AI); a != nil && len(e.Value) == a.MinLength() {
				fail(e.AI, locs[i].ai, "("+e.AI+") needs its serial component when signed by (8030)")
			}
		}
	}
}

// repeat reports whether an element before i has the same AI.
func repeat(els []Element, i int) bool {
	for j := 0; j < i; j++ {
		if els[j].AI == els[i].AI {
			return true
		}
	}
	return false
}

// excludes reports whether AI x may not appear with AI y. An AI never excludes itself.
func excludes(x, y string) bool {
	if x == y {
		return false
	}
	a := LookupAI(x)
	if a == nil {
		return false
	}
	for _, pat := range a.Excludes {
		if matchAIPattern(pat, y) {
			return true
		}
	}
	return false
}

// matchAIPattern reports whether code matches pat, where "n" in pat stands for any
// digit ("310n" matches "3103").
func matchAIPattern(pat, code string) bool {
	if len(pat) != len(code) {
		return false
	}
	for i := 0; i < len(pat); i++ {
		if pat[i] != code[i] && !(pat[i] == 'n' && isDigit(code[i])) {
			return false
		}
	}
	return true
}

// requisiteMet reports whether one of the alternatives of a requisite rule is present
// in els, not counting the AI self that requires it. An alternative is one AI or
// several joined by "+" that must all be present.
func requisiteMet(els []Element, self string, rule []string) bool {
	for _, alt := range rule {
		met := true
		for rest := alt; rest != "" && met; {
			part := rest
			if k := strings.IndexByte(rest, '+'); k >= 0 {
				part, rest = rest[:k], rest[k+1:]
			} else {
				rest = ""
			}
			met = false
			for _, e := range els {
				if e.AI != self && matchAIPattern(part, e.AI) {
					met = true
					break
				}
			}
		}
		if met {
			return true
		}
	}
	return false
}

// describeRequisite renders a requisite rule for people: "(01) with (21), or (02)".
func describeRequisite(rule []string) string {
	var sb strings.Builder
	for i, alt := range rule {
		switch {
		case i == 0:
		case i == len(rule)-1 && len(rule) == 2:
			sb.WriteString(" or ")
		case i == len(rule)-1:
			sb.WriteString(", or ")
		default:
			sb.WriteString(", ")
		}
		for k, part := range strings.Split(alt, "+") {
			if k > 0 {
				sb.WriteString(" with ")
			}
			sb.WriteString("(" + part + ")")
		}
	}
	return sb.String()
}
