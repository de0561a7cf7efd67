package scanner

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

// GS is the ASCII group separator (0x1D) that stands for FNC1 in scan data and in raw
// element strings: it ends the value of an AI whose length is not predefined.
const GS = '\x1d'

// ErrNoPrimaryKey is returned by Data.DigitalLink when the data holds no AI that can
// be a GS1 Digital Link primary key, so no Digital Link URI can carry it.
var ErrNoPrimaryKey = errors.New("no GS1 Digital Link primary key AI in the data")

// Parse reads GS1 data in any of the forms a person or a scanner produces and validates
// it. The first characters say which form it is:
//
//	(01)09520123456788(10)ABC123          bracketed element string    ParseBracketed
//	^010952012345678810ABC123^17251231    unbracketed, ^ is FNC1      ParseUnbracketed
//	0109520123456788<GS>10...             unbracketed with GS (0x1D)  ParseUnbracketed
//	]d2010952012345678810ABC123<GS>...    scan data with AIM prefix   ParseScanData
//	https://id.gs1.org/01/09520123456788  GS1 Digital Link URI        ParseDigitalLink
//	urn:epc:id:sgtin:9520123.045678.1     EPC URN                     ParseEPC
//
// It returns the data it could read, possibly partial, and, when anything is wrong, an
// Errors value listing every problem found with its AI and 0-based position in input.
func Parse(input string, opts Options) (Data, error) {
	switch {
	case input == "":
		return Data{}, Errors{{Message: "empty input: no GS1 data"}}
	case input[0] == '(':
		return ParseBracketed(input, opts)
	case input[0] == '^' || input[0] == GS || isDigit(input[0]):
		return ParseUnbracketed(input, opts)
	case input[0] == ']':
		return ParseScanData(input, opts)
	case hasPrefixFold(input, "http://") || hasPrefixFold(input, "https://"):
		return ParseDigitalLink(input, opts)
	case strings.HasPrefix(input, "urn:epc:"):
		return parseEPCInput(input, opts)
	}
	return Data{}, Errors{{Message: "not GS1 data: want (AI)..., ^AI..., ]XY scan data, an http(s) Digital Link URI or an urn:epc: URN"}}
}

// A loc records where one element came from in the input, so that a fault found in its
// value can be reported at its position in the input, even when the value was escaped,
// percent-encoded or zero-padded on the way in.
type loc struct {
	ai  int // offset of the AI in the input
	val int // offset of the value's first character in the input
	// raw is the value as written in the input when it differs from the value (escapes,
	// percent-encoding); enc says how: '\\' bracketed "\(" escapes, '%' percent-encoding.
	raw string
	enc byte
	// pad is the number of leading characters of the value that are not in the input
	// (the zeros that pad an EAN-13 or a zero-suppressed GTIN to 14 digits).
	pad int
	// checked is set when the parser already reported the value's fault, so that
	// validation does not report it a second time.
	checked bool
}

// offset maps offset n within the element's value to an offset in the input.
func (l loc) offset(n int) int {
	if n < l.pad {
		n = 0
	} else {
		n -= l.pad
	}
	switch l.enc {
	case '\\':
		i := 0
		for k := 0; k < n && i < len(l.raw); k++ {
			if l.raw[i] == '\\' && i+1 < len(l.raw) && l.raw[i+1] == '(' {
				i++
			}
			i++
		}
		return l.val + i
	case '%':
		i := 0
		for k := 0; k < n && i < len(l.raw); k++ {
			if l.raw[i] == '%' && i+2 < len(l.raw) && isHex(l.raw[i+1]) && isHex(l.raw[i+2]) {
				i += 2
			}
			i++
		}
		return l.val + i
	}
	return l.val + n
}

// A builder collects the elements of one input with their locations and the problems
// found. Its arrays hold typical data (a handful of AIs) on the stack; only the final
// Elements slice is allocated. (Slices into its own arrays would make it escape.)
type builder struct {
	n      int // elements added
	elBuf  [8]Element
	locBuf [8]loc
	// moreEls and moreLocs hold all the elements once there are too many for the arrays.
	moreEls  []Element
	moreLocs []loc
	errs     Errors
	// truncated is set when the parser gave up before the end of the input or had to
	// drop an element (unknown AI, empty value): the requisite check is then skipped,
	// since the AIs it looks for may be in the part that could not be read.
	truncated bool
}

// maxElements bounds the AIs of one input, as the GS1 Barcode Syntax Engine does
// (MAX_AIS): no symbol holds more, and it keeps the pairwise checks of validation
// cheap on hostile input.
const maxElements = 64

// maxErrors bounds the problems recorded for one input.
const maxErrors = 64

func (b *builder) add(ai, value string, l loc) {
	if b.n == maxElements {
		b.giveUp(ai, l.ai, "too many AIs: more than "+strconv.Itoa(maxElements))
		b.n++ // report once
		return
	}
	if b.n > maxElements {
		return
	}
	if b.moreEls == nil && b.n < len(b.elBuf) {
		b.elBuf[b.n] = Element{AI: ai, Value: value}
		b.locBuf[b.n] = l
		b.n++
		return
	}
	if b.moreEls == nil {
		b.moreEls = append(make([]Element, 0, 2*len(b.elBuf)), b.elBuf[:]...)
		b.moreLocs = append(make([]loc, 0, 2*len(b.locBuf)), b.locBuf[:]...)
	}
	b.moreEls = append(b.moreEls, Element{AI: ai, Value: value})
	b.moreLocs = append(b.moreLocs, l)
	b.n++
}

// elements returns the elements added so far; locations their locations.
func (b *builder) elements() []Element {
	if b.moreEls != nil {
		return b.moreEls
	}
	return b.elBuf[:min(b.n, len(b.elBuf))]
}

func (b *builder) locations() []loc {
	if b.moreLocs != nil {
		return b.moreLocs
	}
	return b.locBuf[:min(b.n, len(b.locBuf))]
}

// fail records a problem at position pos of the input.
func (b *builder) fail(ai string, pos int, msg string) {
	switch {
	case len(b.errs) < maxErrors:
		b.errs = append(b.errs, &Error{AI: ai, Position: pos, Message: msg})
	case len(b.errs) == maxErrors:
		b.errs = append(b.errs, &Error{Position: pos, Message: "too many problems: giving up"})
		b.truncated = true
	}
}

// giveUp records a problem that leaves part of the input unread.
func (b *builder) giveUp(ai string, pos int, msg string) {
	b.fail(ai, pos, msg)
	b.truncated = true
}

// finish validates what was read and returns the result as Parse does.
func (b *builder) finish(symbology string, opts Options) (Data, error) {
	d := Data{Symbology: symbology}
	if b.n > 0 {
		d.Elements = slices.Clone(b.elements())
	}
	validate(b.elements(), b.locations(), opts, b.truncated, &b.errs)
	if len(b.errs) == 0 {
		return d, nil
	}
	slices.SortStableFunc(b.errs, func(x, y *Error) int { return x.Position - y.Position })
	return d, b.errs
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// hasPrefixFold reports whether s starts with the ASCII prefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// excerpt quotes at most n bytes of s for messages.
func excerpt(s string, n int) string {
	if len(s) > n {
		return quoteString(s[:n]) + "..."
	}
	return quoteString(s)
}

func quoteString(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c == GS:
			sb.WriteString("<GS>")
		case c < 0x20 || c >= 0x7f:
			const hex = "0123456789abcdef"
			sb.WriteString(`\x`)
			sb.WriteByte(hex[c>>4])
			sb.WriteByte(hex[c&15])
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}
