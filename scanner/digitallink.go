package scanner

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

// A GS1 Digital Link URI (GS1 Digital Link URI Syntax 1.4) carries GS1 data on the web:
//
//	https://example.com/some/stem/01/09520123456788/10/ABC%2B1/21/12345?17=251231&99=X#frag
//	\___________ stem __________/\_ primary key __/\__ key qualifiers _/\_ attributes _/
//
// The path ends with a primary key AI and its value, then that key's qualifiers in the
// fixed order the AI table gives ((01) takes /22, /10, /21 in that order, each optional,
// or /235); anything before the key is the stem, which may be any domain and path.
// Other AIs that are data attributes go in the query, in any order; query parameters
// that are not all digits (linkType, ...) are not GS1 data and are ignored, and the
// fragment is ignored. Values are percent-encoded; in the query "+" is a space.
//
// Parsing follows the GS1 Barcode Syntax Engine (dl.c): the primary key is found by
// walking /AI/value pairs back from the end of the path, the path's AI sequence must be
// a key with qualifiers in order, a query AI must be a data attribute, must not be a
// qualifier that belongs in the path, and must not repeat an AI already given.
// GTIN-8, -12 and -13 in the path (zero-suppressed GTINs) are errors unless
// Options.ZeroSuppressedGTIN, which pads them to 14 digits, as the engine's option does.

// CanonicalStem is the stem of canonical GS1 Digital Link URIs, used by
// Data.DigitalLink when no stem is given.
const CanonicalStem = "https://id.gs1.org"

// uriChars are the characters allowed anywhere in a URI (RFC 3986: unreserved,
// reserved and "%"); badDomainChars those of them not allowed in the domain.
const (
	uriChars       = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
	badDomainChars = "_~?#@!$&'()*+,;=%"
)

var uriCharSet = func() (t [256]bool) {
	for i := 0; i < len(uriChars); i++ {
		t[uriChars[i]] = true
	}
	return t
}()

// ParseDigitalLink reads and validates a GS1 Digital Link URI on any stem, such as
// "https://id.gs1.org/01/09520123456788/10/ABC123?17=251231". The elements come in URI
// order: primary key, key qualifiers, then query attributes. Every problem is reported
// with its AI and its position in uri.
func ParseDigitalLink(uri string, opts Options) (Data, error) {
	var b builder
	parseDigitalLink(&b, uri, 0, opts)
	return b.finish("", opts)
}

// parseDigitalLink parses the URI s[base:] into b and checks the Digital Link rules;
// positions are offsets in s.
func parseDigitalLink(b *builder, s string, base int, opts Options) {
	u := s[base:]
	for i := 0; i < len(u); i++ {
		if !uriCharSet[u[i]] {
			b.giveUp("", base+i, "character "+quoteByte(u[i])+" is not allowed in a URI (percent-encode it)")
			return
		}
	}
	var p int
	switch {
	case strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "HTTPS://"):
		p = len("https://")
	case strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "HTTP://"):
		p = len("http://")
	default:
		b.giveUp("", base, "a GS1 Digital Link URI starts with http:// or https:// (all lower or all upper case)")
		return
	}
	slash := strings.IndexByte(u[p:], '/')
	switch {
	case slash < 0:
		b.giveUp("", base+len(u), "no path after the domain name")
		return
	case slash == 0:
		b.giveUp("", base+p, "missing domain name")
		return
	}
	if k := strings.IndexAny(u[p:p+slash], badDomainChars); k >= 0 {
		b.giveUp("", base+p+k, "character "+quoteByte(u[p+k])+" is not allowed in a domain name")
		return
	}
	pathStart := p + slash
	end := len(u)
	if k := strings.IndexByte(u[pathStart:], '#'); k >= 0 {
		end = pathStart + k // the fragment is not data
	}
	pathEnd, query := end, ""
	if k := strings.IndexByte(u[pathStart:end], '?'); k >= 0 {
		pathEnd = pathStart + k
		query = u[pathEnd+1 : end]
	}
	path := u[pathStart:pathEnd]
	pbase := base + pathStart

	// Find the primary key: walk /AI/value pairs back from the end of the path while
	// the AIs are known; the first primary key met starts the Digital Link path.
	dp := -1
	for e := len(path); ; {
		r := strings.LastIndexByte(path[:e], '/')
		if r < 0 {
			break
		}
		q := strings.LastIndexByte(path[:r], '/')
		if q < 0 {
			break
		}
		a := LookupAI(path[q+1 : r])
		if a == nil {
			break
		}
		if a.DLPrimaryKey {
			dp = q
			break
		}
		e = q
	}
	if dp < 0 {
		msg := "no GS1 Digital Link primary key (/01/..., /00/..., /414/..., ...) in the path"
		if strings.HasSuffix(path, "/") {
			msg += ": it ends with /"
		}
		b.giveUp("", pbase, msg)
		return
	}

	first := len(b.elements())
	var pathBuf [8]*AI
	var posBuf [8]int
	pathAIs, pathPos := pathBuf[:0], posBuf[:0]
	for i := dp; i < len(path); {
		r := i + 1 + strings.IndexByte(path[i+1:], '/') // every pair has one: the walk above saw it
		a := LookupAI(path[i+1 : r])
		vs := r + 1
		ve := len(path)
		if k := strings.IndexByte(path[vs:], '/'); k >= 0 {
			ve = vs + k
		}
		aiPos, valPos := pbase+i+1, pbase+vs
		pathAIs, pathPos = append(pathAIs, a), append(pathPos, aiPos)
		i = ve
		if vs == ve {
			b.giveUp(a.Code, valPos, "empty value in the path")
			continue
		}
		value, l, ok := decodeValue(b, a.Code, path[vs:ve], aiPos, valPos, false)
		if !ok {
			continue
		}
		if a.Code == "01" && isZeroSuppressedGTIN(value) {
			if opts.ZeroSuppressedGTIN {
				l.pad = 14 - len(value)
				value = "00000000000000"[:l.pad] + value
			} else {
				b.fail(a.Code, valPos, "GTIN-"+strconv.Itoa(len(value))+" in a Digital Link path must be written as a 14-digit GTIN")
				l.checked = true
			}
		}
		b.add(a.Code, value, l)
	}
	nPath := len(b.elements())

	for k := 0; k < len(query); {
		if query[k] == '&' {
			k++
			continue
		}
		pe := len(query)
		if n := strings.IndexByte(query[k:], '&'); n >= 0 {
			pe = k + n
		}
		param, ppos := query[k:pe], base+pathEnd+1+k
		k = pe
		eq := strings.IndexByte(param, '=')
		if eq < 0 || !allDigits(param[:eq]) {
			continue // not an AI: other query parameters are for the resolver, not GS1 data
		}
		code := param[:eq]
		a := LookupAI(code)
		if a == nil {
			b.giveUp(code, ppos, "unknown AI ("+code+") in the query")
			continue
		}
		valPos := ppos + eq + 1
		if eq == len(param)-1 {
			b.giveUp(code, valPos, "empty value in the query")
			continue
		}
		value, l, ok := decodeValue(b, code, param[eq+1:], ppos, valPos, true)
		if !ok {
			continue
		}
		if code == "01" && isZeroSuppressedGTIN(value) {
			// The Syntax Engine pads a GTIN in the query regardless of the option.
			l.pad = 14 - len(value)
			value = "00000000000000"[:l.pad] + value
		}
		b.add(code, value, l)
	}

	checkDLPath(b, pathAIs, pathPos)
	for i := nPath; i < len(b.elements()); i++ {
		checkDLAttribute(b, pathAIs, first, i)
	}
}

// decodeValue percent-decodes one value of a Digital Link URI and says where it is.
func decodeValue(b *builder, code, raw string, aiPos, valPos int, query bool) (string, loc, bool) {
	l := loc{ai: aiPos, val: valPos}
	value, ok := percentDecode(raw, query)
	if !ok {
		b.giveUp(code, valPos, "percent-decoded value holds a NUL character")
		return "", l, false
	}
	if value != raw {
		l.raw, l.enc = raw, '%'
	}
	return value, l, true
}

func isZeroSuppressedGTIN(v string) bool {
	return (len(v) == 8 || len(v) == 12 || len(v) == 13) && allDigits(v)
}

// checkDLPath checks that the AIs of the path, at positions pathPos, are a primary key
// followed by its qualifiers in one of the orders the AI table allows.
func checkDLPath(b *builder, pathAIs []*AI, pathPos []int) {
	key := pathAIs[0]
	if qualifiersInOrder(key, pathAIs[1:], nil, 0) {
		return
	}
	for i, q := range pathAIs[1:] {
		if !isQualifierOf(key, q.Code) {
			b.fail(q.Code, pathPos[1+i], "("+q.Code+") is not a key qualifier of ("+key.Code+
				") and cannot be in the path; data attributes go in the query")
			return
		}
	}
	b.fail(pathAIs[1].Code, pathPos[1], "key qualifiers of ("+key.Code+") out of order: the path may hold "+
		describeQualifiers(key))
}

// checkDLAttribute checks query element i: a data attribute, not one that belongs in
// the path, not repeating an AI given before.
func checkDLAttribute(b *builder, pathAIs []*AI, first, i int) {
	els := b.elements()
	e, l := els[i], b.locations()[i]
	for j := first; j < i; j++ {
		if els[j].AI == e.AI && els[j].Value == e.Value {
			// Different values are reported by validation as a conflicting repeat.
			b.fail(e.AI, l.ai, "("+e.AI+") given twice")
			return
		}
	}
	a := LookupAI(e.AI)
	if !a.DLAttribute {
		b.fail(e.AI, l.ai, "("+e.AI+") is not a GS1 Digital Link data attribute: it cannot be in the query")
		return
	}
	for at := 0; at < len(pathAIs); at++ {
		if qualifiersInOrder(pathAIs[0], pathAIs[1:], a, at) {
			b.fail(e.AI, l.ai, "("+e.AI+") is a key qualifier of ("+pathAIs[0].Code+"): it belongs in the path, not the query")
			return
		}
	}
}

// qualifiersInOrder reports whether quals, with extra inserted before index at when
// extra is not nil, are qualifiers of key in one of its allowed orders: an ordered
// selection from one of key.DLQualifiers.
func qualifiersInOrder(key *AI, quals []*AI, extra *AI, at int) bool {
	n := len(quals)
	if extra != nil {
		n++
	}
	get := func(i int) string {
		switch {
		case extra == nil || i < at:
			return quals[i].Code
		case i == at:
			return extra.Code
		}
		return quals[i-1].Code
	}
	if n == 0 {
		return true
	}
	for _, alt := range key.DLQualifiers {
		k, ok := 0, true
		for i := 0; i < n && ok; i++ {
			q := get(i)
			for k < len(alt) && alt[k] != q {
				k++
			}
			if k == len(alt) {
				ok = false
			}
			k++
		}
		if ok {
			return true
		}
	}
	return false
}

func isQualifierOf(key *AI, code string) bool {
	for _, alt := range key.DLQualifiers {
		if slices.Contains(alt, code) {
			return true
		}
	}
	return false
}

// describeQualifiers says which qualifier paths a key takes: "/22, /10, /21 (in this
// order, each optional) or /235".
func describeQualifiers(key *AI) string {
	var sb strings.Builder
	for i, alt := range key.DLQualifiers {
		if i > 0 {
			sb.WriteString(" or ")
		}
		for j, q := range alt {
			if j > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("/" + q)
		}
		if len(alt) > 1 {
			sb.WriteString(" (in this order, each optional)")
		}
	}
	if sb.Len() == 0 {
		return "no qualifiers"
	}
	return sb.String()
}

// percentDecode undoes percent-encoding ("%2F" -> "/"); in a query "+" is a space. A
// "%" not followed by two hex digits stays as it is, as in the Syntax Engine. It
// reports false when the result would hold a NUL.
func percentDecode(s string, query bool) (string, bool) {
	if strings.IndexByte(s, '%') < 0 && (!query || strings.IndexByte(s, '+') < 0) {
		return s, true
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			c = unhex(s[i+1])<<4 | unhex(s[i+2])
			if c == 0 {
				return "", false
			}
			i += 2
		case c == '+' && query:
			c = ' '
		}
		out = append(out, c)
	}
	return string(out), true
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// PrimaryKey returns the first element whose AI is a GS1 Digital Link primary key
// ((01) GTIN, (00) SSCC, (414) GLN, ...): the identifier that the data is about and
// that a Digital Link URI puts first in its path.
func (d Data) PrimaryKey() (Element, bool) {
	for _, e := range d.Elements {
		if a := LookupAI(e.AI); a != nil && a.DLPrimaryKey {
			return e, true
		}
	}
	return Element{}, false
}

// DigitalLink returns the GS1 Digital Link URI of d on stem (CanonicalStem when ""):
// the first primary key AI, then its key qualifiers present in d in their fixed order
// (choosing the qualifier sequence that takes most of them while leaving only data
// attributes), then every other AI as a
// query attribute in the order of d, percent-encoded as the Digital Link standard
// says. It fails with ErrNoPrimaryKey when d has no primary key, and when an AI that
// is neither in the path nor a data attribute would be lost.
func (d Data) DigitalLink(stem string) (string, error) {
	if stem == "" {
		stem = CanonicalStem
	}
	stem = strings.TrimSuffix(stem, "/")
	ki := -1
	var key *AI
	for i, e := range d.Elements {
		if a := LookupAI(e.AI); a != nil && a.DLPrimaryKey {
			ki, key = i, a
			break
		}
	}
	if key == nil {
		return "", ErrNoPrimaryKey
	}
	// The qualifier sequence that takes most of d's AIs into the path, preferring one
	// that leaves only data attributes for the query: (01)(235)(10) is written
	// /01/../235/..?10=.. since (235) cannot be an attribute.
	var alt []string
	best, bestFits := 0, false
	for _, qs := range key.DLQualifiers {
		n, fits := 0, true
		for _, e := range d.Elements {
			switch a := LookupAI(e.AI); {
			case slices.Contains(qs, e.AI):
				n++
			case e.AI != key.Code && (a == nil || !a.DLAttribute):
				fits = false
			}
		}
		if n > 0 && (fits && !bestFits || fits == bestFits && n > best) {
			best, bestFits, alt = n, fits, qs
		}
	}

	size := len(stem)
	for _, e := range d.Elements {
		size += len(e.AI) + 2 + len(e.Value) + len(e.Value)/2
	}
	var sb strings.Builder
	sb.Grow(size)
	sb.WriteString(stem)
	writePair := func(sep byte, e Element, query bool) {
		sb.WriteByte(sep)
		sb.WriteString(e.AI)
		if query {
			sb.WriteByte('=')
		} else {
			sb.WriteByte('/')
		}
		writeEscaped(&sb, e.Value, query)
	}
	writePair('/', d.Elements[ki], false)
	for _, q := range alt {
		for _, e := range d.Elements {
			if e.AI == q {
				writePair('/', e, false)
				break
			}
		}
	}
	sep := byte('?')
	for i, e := range d.Elements {
		first := i
		for j := 0; j < i; j++ {
			if d.Elements[j].AI == e.AI {
				first = j
				break
			}
		}
		if first != i {
			if d.Elements[first].Value != e.Value {
				return "", errors.New("scanner: AI (" + e.AI + ") has two values: a Digital Link URI can carry only one")
			}
			continue
		}
		if e.AI == key.Code || slices.Contains(alt, e.AI) {
			continue
		}
		a := LookupAI(e.AI)
		switch {
		case a == nil:
			return "", errors.New("scanner: unknown AI (" + e.AI + ")")
		case !a.DLAttribute:
			return "", errors.New("scanner: AI (" + e.AI + ") cannot be in a Digital Link URI with (" + key.Code +
				"): it is neither a key qualifier in the path nor a data attribute")
		}
		writePair(sep, e, true)
		sep = '&'
	}
	return sb.String(), nil
}

// writeEscaped percent-encodes v for a Digital Link path segment or query value: the
// URI unreserved characters stay, every other byte becomes %XX (upper-case hex), and a
// space in a query becomes "+", as the Syntax Engine writes them.
func writeEscaped(sb *strings.Builder, v string, query bool) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '.', c == '_', c == '~':
			sb.WriteByte(c)
		case c == ' ' && query:
			sb.WriteByte('+')
		default:
			sb.WriteByte('%')
			sb.WriteByte(hex[c>>4])
			sb.WriteByte(hex[c&15])
		}
	}
}
