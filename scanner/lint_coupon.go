package scanner

// Coupon linters for the North American coupon AIs: (8110) carries the GS1 US coupon
// code (North American Coupon Application Guideline Using GS1 DataBar Expanded
// Symbols) and (8112) the paperless coupon's positive offer file identification. Both
// are strings of digits made of fields, several of them prefixed by a variable length
// indicator (VLI) digit that gives their length.

var (
	lintCouponCode     = Linter{Name: "couponcode", Check: checkCouponCode}
	lintCouponPosOffer = Linter{Name: "couponposoffer", Check: checkCouponPosOffer}
)

// couponReader walks the fields of a coupon code, remembering the first fault.
type couponReader struct {
	v   string
	pos int
	err *LintError
}

func (r *couponReader) fail(pos int, msg string) {
	if r.err == nil {
		r.err = &LintError{Pos: pos, Message: msg}
	}
}

func (r *couponReader) more() bool { return r.err == nil && r.pos < len(r.v) }

// digit reads one digit that must be one of allowed; what names the field.
func (r *couponReader) digit(allowed, what string) int {
	if r.err != nil {
		return -1
	}
	if r.pos >= len(r.v) {
		r.fail(r.pos, "coupon code ends before its "+what)
		return -1
	}
	c := r.v[r.pos]
	for i := 0; i < len(allowed); i++ {
		if allowed[i] == c {
			r.pos++
			return int(c - '0')
		}
	}
	r.fail(r.pos, "invalid "+what+" "+quoteByte(c))
	return -1
}

// field reads n digits; what names the field.
func (r *couponReader) field(n int, what string) string {
	if r.err != nil {
		return ""
	}
	if len(r.v)-r.pos < n {
		r.fail(r.pos, "coupon code too short for its "+what)
		return ""
	}
	f := r.v[r.pos : r.pos+n]
	r.pos += n
	return f
}

// gcp reads a VLI (0-6) and the GS1 Company Prefix of 6 to 12 digits it announces.
func (r *couponReader) gcp(what string) {
	start := r.pos + 1
	if vli := r.digit("0123456", what+" length indicator"); vli >= 0 {
		if f := r.field(vli+6, what); r.err == nil {
			if e := checkGCPAt(f, 0); e != nil {
				r.fail(start+e.Pos, what+": "+e.Message)
			}
		}
	}
}

func checkCouponCode(v string) *LintError {
	if e := nonDigitAt(v); e != nil {
		return e
	}
	r := &couponReader{v: v}
	r.gcp("primary GS1 Company Prefix")
	r.field(6, "offer code")
	if vli := r.digit("12345", "save value length indicator"); vli > 0 {
		r.field(vli, "save value")
	}
	if vli := r.digit("12345", "1st purchase requirement length indicator"); vli > 0 {
		r.field(vli, "1st purchase requirement")
	}
	r.digit("012349", "1st purchase requirement code")
	r.field(3, "1st purchase family code")
	return r.err
}

func checkCouponPosOffer(v string) *LintError {
	if e := nonDigitAt(v); e != nil {
		return e
	}
	r := &couponReader{v: v}
	r.digit("01", "coupon format")
	r.gcp("coupon funder ID")
	r.field(6, "offer code")
	if vli := r.digit("0123456789", "serial number length indicator"); vli >= 0 {
		r.field(vli+6, "serial number")
	}
	if r.err == nil && r.pos < len(v) {
		r.fail(r.pos, "unexpected data after the serial number")
	}
	return r.err
}
