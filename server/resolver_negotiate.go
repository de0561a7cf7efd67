package server

import (
	"strconv"
	"strings"
)

// Content negotiation for the resolver (RFC 9110 sections 12.5.1 and 12.5.4). GS1's
// resolver standard asks that an Accept header the resolver cannot satisfy mean no
// preference rather than 406, so nothing here ever refuses: an unusable or empty
// header simply ranks every choice the same.

// A weighted is one range of an Accept or Accept-Language header with its weight.
type weighted struct {
	value string
	q     float64
}

// maxRanges bounds how many ranges of one header are considered: a client sending
// more is not negotiating in good faith, and the first ones are the ones it means.
const maxRanges = 32

// parseWeighted reads a comma-separated list of ranges with optional ";q=" weights,
// lower-casing the values and skipping what cannot be read.
func parseWeighted(h string) []weighted {
	var out []weighted
	for part := range strings.SplitSeq(h, ",") {
		if len(out) == maxRanges {
			break
		}
		val, params, _ := strings.Cut(part, ";")
		val = strings.ToLower(strings.TrimSpace(val))
		if val == "" {
			continue
		}
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok || strings.ToLower(strings.TrimSpace(k)) != "q" {
				continue
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				f = 1 // a malformed weight is no reason to drop the range
			}
			q = f
		}
		out = append(out, weighted{val, q})
	}
	return out
}

// mediaQ returns the weight the Accept ranges give media type mt and how specific the
// best matching range is: 3 for the exact type, 2 for "type/*", 1 for "*/*", 0 when no
// range matches (q is then 0).
func mediaQ(ranges []weighted, mt string) (q float64, spec int) {
	mt = strings.ToLower(mt)
	major, _, _ := strings.Cut(mt, "/")
	for _, r := range ranges {
		s := 0
		switch {
		case r.value == mt:
			s = 3
		case strings.HasSuffix(r.value, "/*") && r.value[:len(r.value)-2] == major:
			s = 2
		case r.value == "*/*" || r.value == "*":
			s = 1
		}
		if s > spec {
			q, spec = r.q, s
		}
	}
	return q, spec
}

// langQ returns the weight the Accept-Language ranges give a target in languages
// tags (basic filtering, RFC 4647 section 3.3.1: a range matches a tag equal to it or
// starting with it and "-"; a tag also counts for a longer range of its language) and
// the specificity of the match.
func langQ(ranges []weighted, tags []string) (q float64, spec int) {
	for _, tag := range tags {
		tag = strings.ToLower(tag)
		for _, r := range ranges {
			s := 0
			switch {
			case r.value == tag:
				s = 3
			case strings.HasPrefix(tag, r.value+"-"), strings.HasPrefix(r.value, tag+"-"):
				s = 2
			case r.value == "*":
				s = 1
			}
			if s > spec || (s == spec && s > 0 && r.q > q) {
				q, spec = r.q, s
			}
		}
	}
	return q, spec
}

// Representations the resolver serves itself, in the order it prefers them on a tie.
const (
	reprNone = iota // no preference: redirect to the default link
	reprLinkset
	reprJSON
	reprHTML
)

// preferredRepresentation reads Accept: the representation the client asks for by name
// (its exact media type, or "text/*" for the page), with the highest weight; reprNone
// when it names none of them (no header, "*/*" only, or only types the resolver does not
// serve itself), so the request is redirected.
func preferredRepresentation(accept string) int {
	ranges := parseWeighted(accept)
	best, bestQ, bestSpec := reprNone, 0.0, 0
	for _, c := range []struct {
		repr int
		mt   string
	}{{reprLinkset, linksetMediaType}, {reprJSON, mediaJSON}, {reprHTML, mediaHTML}} {
		q, spec := mediaQ(ranges, c.mt)
		if spec < 2 || q == 0 {
			continue
		}
		if q > bestQ || (q == bestQ && spec > bestSpec) {
			best, bestQ, bestSpec = c.repr, q, spec
		}
	}
	return best
}

// bestLinks ranks candidate links by how well their media type and languages fit the
// Accept and Accept-Language headers and returns those that fit best: one link to
// redirect to, or several that fit equally (300 Multiple Choices). A header that no
// candidate satisfies expresses no usable preference and is ignored.
func bestLinks(cands []typedLink, accept, acceptLang string) []typedLink {
	if len(cands) <= 1 {
		return cands
	}
	type score struct {
		q    float64
		spec int
	}
	types := parseWeighted(accept)
	langs := parseWeighted(acceptLang)
	st := make([]score, len(cands))
	sl := make([]score, len(cands))
	anyType, anyLang := false, false
	for i, l := range cands {
		if l.Type != "" {
			st[i].q, st[i].spec = mediaQ(types, l.Type)
		}
		if len(l.Hreflang) > 0 {
			sl[i].q, sl[i].spec = langQ(langs, l.Hreflang)
		}
		anyType = anyType || st[i].q > 0
		anyLang = anyLang || sl[i].q > 0
	}
	better := func(a, b score) int {
		switch {
		case a.q > b.q:
			return 1
		case a.q < b.q:
			return -1
		case a.spec > b.spec:
			return 1
		case a.spec < b.spec:
			return -1
		}
		return 0
	}
	var best []typedLink
	bi := -1
	for i := range cands {
		c := 0
		if bi >= 0 {
			if anyLang {
				c = better(sl[i], sl[bi])
			}
			if c == 0 && anyType {
				c = better(st[i], st[bi])
			}
		} else {
			c = 1
		}
		switch {
		case c > 0:
			best, bi = []typedLink{cands[i]}, i
		case c == 0:
			best = append(best, cands[i])
		}
	}
	return best
}
