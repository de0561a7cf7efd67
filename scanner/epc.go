package scanner

// EPC URIs, GS1 EPC Tag Data Standard (TDS) 2.x, sections 6 (EPC pure identity URIs, EPC
// class URIs, EPC pattern URIs) and 7 (correspondence between EPCs and GS1 keys). EPCIS
// documents written before GS1 Digital Link name things this way; the CBV 2.0 event hash
// and our ledger name them by their canonical Digital Link, so every EPC URI that enters
// is turned into GS1 element strings here.
//
// A URI is "urn:epc:" + form + ":" + scheme + ":" + body, the body being components
// separated by ".":
//
//	form   id (one object), class (a lot: lgtin only), idpat (a pattern; here only those
//	       whose one "*" stands for the serial, which denote a GS1 key without serial)
//	scheme sgtin sscc sgln grai giai gsrn gsrnp gdti cpi sgcn ginc gsin itip upui pgln (id,
//	       idpat), lgtin (class)
//
// The numeric components keep their leading zeros; the GS1 company prefix is the first
// component (6 to 12 digits) and its length is how the URI tells it from the reference
// that follows. A GS1 key's check digit is not written: it is computed. For GTIN-based
// schemes (sgtin, lgtin, upui, itip) the reference starts with the GTIN's indicator digit,
// for sscc with the extension digit.
//
// Alphanumeric components (serials, lots, GLN extensions, asset references, TPX) hold
// CSET 82 characters; the seven that URI syntax reserves are written %-escaped ("%22",
// "%25", "%26", "%2F", "%3C", "%3E", "%3F" for `"%&/<>?`), every other one as itself.
// The CPI part reference is CSET 39 with "#" and "/" escaped ("%23", "%2F"). Parsing
// decodes any %xx whose character the component allows (hex in either case), so it
// accepts over-escaped input; formatting writes the canonical form above.
//
// An SGLN extension of "0" means "no extension": (414) alone. Other extensions become
// (254). Element values follow the GS1 General Specifications' limits: serial (21) and
// lot (10) up to 20 characters, GRAI serial 16, GDTI serial 17, TPX (235) 28, GIAI (8004)
// and GINC (401) up to 30 including the company prefix, CPI (8010) up to 30 and its serial
// (8011) up to 12 digits not starting with 0 (so not "0" either, which TDS alone
// would allow), GCN serial (255) up to 12 digits.

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

const (
	epcPrefix    = "urn:epc:"
	epcGS3A3Max  = 20 // (21) serial, (10) lot, (254) GLN extension
	epcGCPMin    = 6
	epcGCPMax    = 12
	epcFormID    = "id"
	epcFormClass = "class"
	epcFormIDPat = "idpat"
)

// gs3a3Reserved are the CSET 82 characters an EPC URI writes %-escaped.
const gs3a3Reserved = "\"%&/<>?"

// IsEPCURN reports whether s is written as an EPC URN ("urn:epc:..."), so that input can be
// routed to ParseEPC. It does not check the rest.
func IsEPCURN(s string) bool {
	return strings.HasPrefix(s, epcPrefix)
}

// ParseEPC turns an EPC pure identity URI (urn:epc:id:...), an LGTIN class URI
// (urn:epc:class:lgtin:...) or an EPC pattern URI whose serial is "*"
// (urn:epc:idpat:sgtin:0614141.112345.* and the like) into the GS1 element strings it
// stands for, computing the check digit of the key: urn:epc:id:sgtin:0614141.812345.6789
// gives (01)80614141123458 (21)6789 (the item reference's first digit, 8, is the GTIN's
// indicator). Errors are *Error values naming the AI the faulty component belongs to and
// its 0-based offset in urn.
func ParseEPC(urn string) (Data, error) {
	var p epcParser
	if err := p.parse(urn); err != nil {
		return Data{}, err
	}
	return Data{Elements: slices.Clone(p.elems[:p.n])}, nil
}

// parseEPCInput is ParseEPC for Parse: the elements also go through Parse's validation
// with opts (they always pass: an EPC URI cannot say anything else), and a fault comes
// back as Errors like every other input form's.
func parseEPCInput(input string, opts Options) (Data, error) {
	var p epcParser
	if err := p.parse(input); err != nil {
		var e *Error
		if errors.As(err, &e) {
			return Data{}, Errors{e}
		}
		return Data{}, Errors{{Message: err.Error()}}
	}
	locs := make([]loc, p.n)
	for i, off := range p.offs[:p.n] {
		locs[i] = loc{ai: off, val: off, checked: true}
	}
	els := slices.Clone(p.elems[:p.n])
	var errs Errors
	validate(els, locs, opts, false, &errs)
	d := Data{Elements: els}
	if len(errs) > 0 {
		return d, errs
	}
	return d, nil
}

// parse reads urn into p.elems[:p.n] and p.offs[:p.n].
func (p *epcParser) parse(urn string) error {
	if !IsEPCURN(urn) {
		return &Error{Message: "not an EPC URI: want urn:epc:id:, urn:epc:class: or urn:epc:idpat:"}
	}
	rest := urn[len(epcPrefix):]
	colon := strings.IndexByte(rest, ':')
	if colon < 0 {
		return &Error{Position: len(epcPrefix), Message: "EPC URI without a form and scheme (want e.g. urn:epc:id:sgtin:)"}
	}
	form := rest[:colon]
	switch form {
	case epcFormID, epcFormClass, epcFormIDPat:
	case "tag", "raw":
		return &Error{Position: len(epcPrefix), Message: fmt.Sprintf("EPC %s URIs describe an RFID tag's encoding; only pure identity (urn:epc:id:), class and pattern URIs map to GS1 keys", form)}
	default:
		return &Error{Position: len(epcPrefix), Message: fmt.Sprintf("unknown EPC URI form %q: want id, class or idpat", form)}
	}
	schemeAt := len(epcPrefix) + colon + 1
	rest = urn[schemeAt:]
	colon = strings.IndexByte(rest, ':')
	if colon < 0 {
		return &Error{Position: schemeAt, Message: "EPC URI without a scheme (want e.g. sgtin:)"}
	}
	*p = epcParser{urn: urn, pos: schemeAt + colon + 1, pattern: form == epcFormIDPat}
	scheme := rest[:colon]
	known, err := p.body(form, scheme)
	if !known {
		return &Error{Position: schemeAt, Message: fmt.Sprintf("EPC scheme %q has no GS1 key in %s form (want one of %s)", scheme, form, epcSchemeList(form))}
	}
	if err != nil {
		return err
	}
	if p.pos <= len(urn) {
		return &Error{AI: p.lastAI, Position: p.pos - 1, Message: "unexpected \".\" after the last component"}
	}
	return p.check()
}

// EPCToDigitalLink converts an EPC URI to its canonical GS1 Digital Link URI on
// https://id.gs1.org, the form the CBV 2.0 event hash and the ledger name things by:
// urn:epc:id:sgtin:0614141.812345.6789 gives https://id.gs1.org/01/80614141123458/21/6789.
func EPCToDigitalLink(urn string) (string, error) {
	d, err := ParseEPC(urn)
	if err != nil {
		return "", err
	}
	return d.DigitalLink("")
}

// body parses the components of scheme in form; known is false for a scheme with no
// GS1 key in that form. (A switch, not a map of functions, so that p stays on the
// caller's stack.)
func (p *epcParser) body(form, scheme string) (known bool, err error) {
	if form == epcFormClass {
		if scheme != "lgtin" {
			return false, nil
		}
		return true, parseLGTIN(p)
	}
	switch scheme {
	case "sgtin":
		return true, parseSGTIN(p)
	case "sscc":
		return true, parseSSCC(p)
	case "sgln":
		return true, parseSGLN(p)
	case "grai":
		return true, parseGRAI(p)
	case "giai":
		return true, parseCompanyPrefixed(p, "8004", "individual asset reference")
	case "gsrn":
		return true, parseGSRN(p, "8018")
	case "gsrnp":
		return true, parseGSRN(p, "8017")
	case "gdti":
		return true, parseGDTI(p)
	case "cpi":
		return true, parseCPI(p)
	case "sgcn":
		return true, parseSGCN(p)
	case "ginc":
		return true, parseCompanyPrefixed(p, "401", "consignment reference")
	case "gsin":
		return true, parseGSIN(p)
	case "itip":
		return true, parseITIP(p)
	case "upui":
		return true, parseUPUI(p)
	case "pgln":
		return true, parsePGLN(p)
	}
	return false, nil
}

func epcSchemeList(form string) string {
	if form == epcFormClass {
		return "lgtin"
	}
	return "sgtin, sscc, sgln, grai, giai, gsrn, gsrnp, gdti, cpi, sgcn, ginc, gsin, itip, upui, pgln"
}

// epcParser walks the body of one EPC URI, component by component, and collects elements.
type epcParser struct {
	urn     string
	pos     int // offset of the next component; len(urn)+1 once the last was taken
	pattern bool
	lastAI  string
	// The elements read so far and the offset in urn where each one's first component
	// starts. No EPC scheme gives more than two; arrays, not slices, keep the parser on
	// its caller's stack.
	elems [2]Element
	offs  [2]int
	n     int
}

func (p *epcParser) errorf(ai string, pos int, format string, args ...any) error {
	return &Error{AI: ai, Position: pos, Message: fmt.Sprintf(format, args...)}
}

func (p *epcParser) add(ai, value string, off int) {
	p.elems[p.n] = Element{AI: ai, Value: value}
	p.offs[p.n] = off
	p.n++
}

// next takes the next component up to a "."; last takes everything that is left (an
// alphanumeric last component may itself hold ".").
func (p *epcParser) next(ai, what string) (string, int, error) {
	p.lastAI = ai
	if p.pos > len(p.urn) {
		return "", len(p.urn), p.errorf(ai, len(p.urn), "missing %s", what)
	}
	i := strings.IndexByte(p.urn[p.pos:], '.')
	if i < 0 {
		return "", len(p.urn), p.errorf(ai, len(p.urn), "missing %s (too few \".\"-separated components)", what)
	}
	s, off := p.urn[p.pos:p.pos+i], p.pos
	p.pos += i + 1
	return s, off, nil
}

func (p *epcParser) last(ai, what string) (string, int, error) {
	p.lastAI = ai
	if p.pos > len(p.urn) {
		return "", len(p.urn), p.errorf(ai, len(p.urn), "missing %s", what)
	}
	s, off := p.urn[p.pos:], p.pos
	p.pos = len(p.urn) + 1
	return s, off, nil
}

// lastNumeric is last for a component that cannot hold "."; a "." in it is an extra
// component.
func (p *epcParser) lastNumeric(ai, what string) (string, int, error) {
	s, off, err := p.last(ai, what)
	if err != nil {
		return "", off, err
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return "", off + i, p.errorf(ai, off+i, "unexpected \".\" after the %s (too many components)", what)
	}
	return s, off, nil
}

// noWildcard rejects "*" in a pattern component other than the serial: such a pattern
// stands for many GS1 keys, and no Digital Link says that.
func (p *epcParser) noWildcard(ai, s string, off int) error {
	if p.pattern && s == "*" {
		return p.errorf(ai, off, "pattern with \"*\" before the serial matches many GS1 keys; only a \"*\" serial maps to a Digital Link")
	}
	return nil
}

func (p *epcParser) digits(ai, what, s string, off int) error {
	if err := p.noWildcard(ai, s, off); err != nil {
		return err
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return p.errorf(ai, off+i, "%s: character %s, want a digit", what, quoteByte(s[i]))
		}
	}
	return nil
}

// companyPrefix takes the GS1 company prefix component.
func (p *epcParser) companyPrefix(ai string) (string, error) {
	cp, off, err := p.next(ai, "GS1 company prefix")
	if err != nil {
		return "", err
	}
	if err := p.digits(ai, "GS1 company prefix", cp, off); err != nil {
		return "", err
	}
	if len(cp) < epcGCPMin || len(cp) > epcGCPMax {
		return "", p.errorf(ai, off, "GS1 company prefix has %d digits, want 6 to 12", len(cp))
	}
	return cp, nil
}

// reference takes the numeric component after the company prefix whose digits and the
// prefix's together are total long.
func (p *epcParser) reference(ai, what, cp string, total int, lastOne bool) (string, int, error) {
	var ref string
	var off int
	var err error
	if lastOne {
		ref, off, err = p.lastNumeric(ai, what)
	} else {
		ref, off, err = p.next(ai, what)
	}
	if err != nil {
		return "", off, err
	}
	if err := p.digits(ai, what, ref, off); err != nil {
		return "", off, err
	}
	if len(cp)+len(ref) != total {
		return "", off, p.errorf(ai, off, "%s has %d digits after a %d-digit company prefix, want %d", what, len(ref), len(cp), total-len(cp))
	}
	return ref, off, nil
}

// serial takes the last component as escaped CSET 82 of 1 to max characters. In a pattern
// it may be "*", reported by wild.
func (p *epcParser) serial(ai, what string, max int) (value string, off int, wild bool, err error) {
	raw, off, err := p.last(ai, what)
	if err != nil {
		return "", off, false, err
	}
	if p.pattern && raw == "*" {
		return "", off, true, nil
	}
	v, err := p.unescape(ai, what, raw, off, CSET82)
	if err != nil {
		return "", off, false, err
	}
	if len(v) == 0 {
		return "", off, false, p.errorf(ai, off, "empty %s", what)
	}
	if len(v) > max {
		return "", off, false, p.errorf(ai, off, "%s has %d characters, want at most %d", what, len(v), max)
	}
	return v, off, false, nil
}

// unescape decodes an alphanumeric component: cs characters written as themselves, except
// the URI-reserved ones, which must be %-escaped; any %xx that decodes to a cs character.
func (p *epcParser) unescape(ai, what, s string, off int, cs Charset) (string, error) {
	if strings.IndexByte(s, '%') < 0 {
		for i := 0; i < len(s); i++ {
			if !epcLiteral(s[i], cs) {
				return "", p.literalError(ai, what, s[i], off+i, cs)
			}
		}
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			if !epcLiteral(c, cs) {
				return "", p.literalError(ai, what, c, off+i, cs)
			}
			b.WriteByte(c)
			continue
		}
		if i+2 >= len(s) || epcUnhex(s[i+1]) < 0 || epcUnhex(s[i+2]) < 0 {
			return "", p.errorf(ai, off+i, "%s: bad escape, want %% and two hex digits", what)
		}
		d := byte(epcUnhex(s[i+1])<<4 | epcUnhex(s[i+2]))
		if !cs.Contains(d) {
			return "", p.errorf(ai, off+i, "%s: escape %s decodes to %s, not in %s", what, s[i:i+3], quoteByte(d), cs.Name())
		}
		b.WriteByte(d)
		i += 2
	}
	return b.String(), nil
}

func (p *epcParser) literalError(ai, what string, c byte, pos int, cs Charset) error {
	if cs.Contains(c) {
		return p.errorf(ai, pos, "%s: character %s must be written %%%02X in an EPC URI", what, quoteByte(c), c)
	}
	return p.errorf(ai, pos, "%s: character %s not in %s", what, quoteByte(c), cs.Name())
}

// epcLiteral reports whether c may stand unescaped in an alphanumeric component of
// character set cs.
func epcLiteral(c byte, cs Charset) bool {
	if cs == CSET39 {
		return c == '-' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
	}
	return cs.Contains(c) && strings.IndexByte(gs3a3Reserved, c) < 0
}

func epcUnhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return -1
}

// check runs the AI table's own checks over every element built, so nothing leaves
// ParseEPC that the rest of the package would reject (e.g. an ITIP piece above its total).
func (p *epcParser) check() error {
	for i, e := range p.elems[:p.n] {
		a := LookupAI(e.AI)
		if a == nil {
			return p.errorf(e.AI, p.offs[i], "no such AI in the table")
		}
		if le := a.CheckValue(e.Value); le != nil {
			return p.errorf(e.AI, p.offs[i], "%s", le.Message)
		}
	}
	return nil
}

// gtin takes company prefix and indicator+item reference and returns the GTIN-14.
func (p *epcParser) gtin(ai string) (string, int, error) {
	start := p.pos
	cp, err := p.companyPrefix(ai)
	if err != nil {
		return "", start, err
	}
	ref, _, err := p.reference(ai, "indicator digit and item reference", cp, 13, false)
	if err != nil {
		return "", start, err
	}
	return withCheckDigit(ref[:1], cp, ref[1:]), start, nil
}

// withCheckDigit joins the digits of a GS1 key (at most 17) and appends its check digit,
// in one allocation.
func withCheckDigit(parts ...string) string {
	var buf [18]byte
	n := 0
	for _, s := range parts {
		n += copy(buf[n:], s)
	}
	buf[n] = CheckDigit(string(buf[:n]))
	return string(buf[:n+1])
}

func parseSGTIN(p *epcParser) error {
	gtin, off, err := p.gtin("01")
	if err != nil {
		return err
	}
	p.add("01", gtin, off)
	s, soff, wild, err := p.serial("21", "serial", epcGS3A3Max)
	if err != nil || wild {
		return err
	}
	p.add("21", s, soff)
	return nil
}

func parseLGTIN(p *epcParser) error {
	gtin, off, err := p.gtin("01")
	if err != nil {
		return err
	}
	p.add("01", gtin, off)
	lot, loff, _, err := p.serial("10", "lot", epcGS3A3Max)
	if err != nil {
		return err
	}
	p.add("10", lot, loff)
	return nil
}

func parseUPUI(p *epcParser) error {
	gtin, off, err := p.gtin("01")
	if err != nil {
		return err
	}
	p.add("01", gtin, off)
	tpx, toff, wild, err := p.serial("235", "third-party extension (TPX)", 28)
	if err != nil || wild {
		return err
	}
	p.add("235", tpx, toff)
	return nil
}

func parseITIP(p *epcParser) error {
	gtin, off, err := p.gtin("8006")
	if err != nil {
		return err
	}
	v := gtin
	for _, what := range []string{"piece number", "total count"} {
		s, soff, err := p.next("8006", what)
		if err != nil {
			return err
		}
		if err := p.digits("8006", what, s, soff); err != nil {
			return err
		}
		if len(s) != 2 {
			return p.errorf("8006", soff, "%s has %d digits, want 2", what, len(s))
		}
		v += s
	}
	p.add("8006", v, off)
	s, soff, wild, err := p.serial("21", "serial", epcGS3A3Max)
	if err != nil || wild {
		return err
	}
	p.add("21", s, soff)
	return nil
}

func parseSSCC(p *epcParser) error {
	off := p.pos
	cp, err := p.companyPrefix("00")
	if err != nil {
		return err
	}
	ref, _, err := p.reference("00", "extension digit and serial reference", cp, 17, true)
	if err != nil {
		return err
	}
	p.add("00", withCheckDigit(ref[:1], cp, ref[1:]), off)
	return nil
}

// gln12 takes company prefix and a reference that make the 12 digits before a check
// digit (GLN, GDTI and GCN document/coupon type, GRAI asset type).
func (p *epcParser) gln12(ai, what string, lastOne bool) (string, int, error) {
	off := p.pos
	cp, err := p.companyPrefix(ai)
	if err != nil {
		return "", off, err
	}
	ref, _, err := p.reference(ai, what, cp, 12, lastOne)
	if err != nil {
		return "", off, err
	}
	return withCheckDigit(cp, ref), off, nil
}

func parseSGLN(p *epcParser) error {
	gln, off, err := p.gln12("414", "location reference", false)
	if err != nil {
		return err
	}
	p.add("414", gln, off)
	ext, eoff, wild, err := p.serial("254", "GLN extension", epcGS3A3Max)
	if err != nil {
		return err
	}
	if wild {
		return p.errorf("254", eoff, "SGLN pattern with \"*\" extension matches every extension of the GLN; no Digital Link says that")
	}
	if ext != "0" { // TDS: extension "0" stands for "no extension"
		p.add("254", ext, eoff)
	}
	return nil
}

func parsePGLN(p *epcParser) error {
	gln, off, err := p.gln12("417", "party reference", true)
	if err != nil {
		return err
	}
	p.add("417", gln, off)
	return nil
}

func parseGRAI(p *epcParser) error {
	key, off, err := p.gln12("8003", "asset type", false)
	if err != nil {
		return err
	}
	s, _, wild, err := p.serial("8003", "serial", 16)
	if err != nil {
		return err
	}
	if wild {
		s = ""
	}
	p.add("8003", "0"+key+s, off)
	return nil
}

func parseGDTI(p *epcParser) error {
	key, off, err := p.gln12("253", "document type", false)
	if err != nil {
		return err
	}
	s, _, wild, err := p.serial("253", "serial", 17)
	if err != nil {
		return err
	}
	if wild {
		s = ""
	}
	p.add("253", key+s, off)
	return nil
}

func parseSGCN(p *epcParser) error {
	key, off, err := p.gln12("255", "coupon reference", false)
	if err != nil {
		return err
	}
	s, soff, err := p.lastNumeric("255", "serial")
	if err != nil {
		return err
	}
	if !(p.pattern && s == "*") {
		if err := p.digits("255", "serial", s, soff); err != nil {
			return err
		}
		if len(s) < 1 || len(s) > 12 {
			return p.errorf("255", soff, "serial has %d digits, want 1 to 12", len(s))
		}
		key += s
	}
	p.add("255", key, off)
	return nil
}

func parseGSRN(p *epcParser, ai string) error {
	off := p.pos
	cp, err := p.companyPrefix(ai)
	if err != nil {
		return err
	}
	ref, _, err := p.reference(ai, "service reference", cp, 17, true)
	if err != nil {
		return err
	}
	p.add(ai, withCheckDigit(cp, ref), off)
	return nil
}

func parseGSIN(p *epcParser) error {
	off := p.pos
	cp, err := p.companyPrefix("402")
	if err != nil {
		return err
	}
	ref, _, err := p.reference("402", "shipper reference", cp, 16, true)
	if err != nil {
		return err
	}
	p.add("402", withCheckDigit(cp, ref), off)
	return nil
}

// parseCompanyPrefixed parses GIAI and GINC: company prefix and an alphanumeric
// reference, 30 characters at most together.
func parseCompanyPrefixed(p *epcParser, ai, what string) error {
	off := p.pos
	cp, err := p.companyPrefix(ai)
	if err != nil {
		return err
	}
	ref, roff, wild, err := p.serial(ai, what, 30-len(cp))
	if err != nil {
		return err
	}
	if wild {
		return p.errorf(ai, roff, "pattern with \"*\" %s matches many GS1 keys; no Digital Link says that", what)
	}
	p.add(ai, cp+ref, off)
	return nil
}

func parseCPI(p *epcParser) error {
	off := p.pos
	cp, err := p.companyPrefix("8010")
	if err != nil {
		return err
	}
	raw, roff, err := p.next("8010", "component/part reference")
	if err != nil {
		return err
	}
	if err := p.noWildcard("8010", raw, roff); err != nil {
		return err
	}
	ref, err := p.unescape("8010", "component/part reference", raw, roff, CSET39)
	if err != nil {
		return err
	}
	if len(ref) == 0 || len(cp)+len(ref) > 30 {
		return p.errorf("8010", roff, "component/part reference has %d characters, want 1 to %d", len(ref), 30-len(cp))
	}
	p.add("8010", cp+ref, off)
	s, soff, err := p.lastNumeric("8011", "serial")
	if err != nil {
		return err
	}
	if p.pattern && s == "*" {
		return nil
	}
	if err := p.digits("8011", "serial", s, soff); err != nil {
		return err
	}
	if len(s) < 1 || len(s) > 12 {
		return p.errorf("8011", soff, "serial has %d digits, want 1 to 12", len(s))
	}
	if s[0] == '0' { // GS1 (8011) "nozeroprefix": not even "0", which TDS would allow
		return p.errorf("8011", soff, "serial must not start with 0 (GS1 (8011) has no leading zeros)")
	}
	p.add("8011", s, soff)
	return nil
}
