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

// gcp reads a VLI (0-6) and the GS1 Company Prefix of 6 to 12 digits it announces;
// where noneAllowed, VLI 9 stands for no prefix at all. The field names are passed
// whole so that nothing is concatenated on the valid path.
func (r *couponReader) gcp(vliWhat, what string, noneAllowed bool) {
	allowed := "0123456"
	if noneAllowed {
		allowed = "01234569"
	}
	start := r.pos + 1
	vli := r.digit(allowed, vliWhat)
	if vli < 0 || vli == 9 {
		return
	}
	if f := r.field(vli+6, what); r.err == nil {
		if e := checkGCPAt(f, 0); e != nil {
			r.fail(start+e.Pos, what+": "+e.Message)
		}
	}
}

func checkCouponCode(v string) *LintError {
	if e := nonDigitAt(v); e != nil {
		return e
	}
	r := couponReader{v: v}
	r.gcp("primary GS1 Company Prefix length indicator", "primary GS1 Company Prefix", false)
	r.field(6, "offer code")
	if vli := r.digit("12345", "save value length indicator"); vli > 0 {
		r.field(vli, "save value")
	}
	r.purchase(&purchaseFields[0])
	// Optional fields follow in ascending order of their one-digit field indicator.
	if r.optional('1') { // additional purchase rules and 2nd purchase
		r.digit("0123", "additional purchase rules code")
		r.purchase(&purchaseFields[1])
		r.gcp("2nd purchase GS1 Company Prefix length indicator", "2nd purchase GS1 Company Prefix", true)
	}
	if r.optional('2') { // 3rd purchase
		r.purchase(&purchaseFields[2])
		r.gcp("3rd purchase GS1 Company Prefix length indicator", "3rd purchase GS1 Company Prefix", true)
	}
	expiry := ""
	if r.optional('3') {
		expiry = r.date("expiration date")
	}
	if r.optional('4') {
		at := r.pos
		if start := r.date("start date"); r.err == nil && expiry != "" && start > expiry {
			r.fail(at, "expiration date "+expiry+" is before start date "+start)
		}
	}
	if r.optional('5') {
		if vli := r.digit("0123456789", "serial number length indicator"); vli >= 0 {
			r.field(vli+6, "serial number")
		}
	}
	if r.optional('6') {
		start := r.pos + 1
		if vli := r.digit("1234567", "retailer GCP/GLN length indicator"); vli > 0 {
			if f := r.field(vli+6, "retailer GCP/GLN"); r.err == nil {
				if e := checkGCPAt(f, 0); e != nil {
					r.fail(start+e.Pos, "retailer GCP/GLN: "+e.Message)
				}
			}
		}
	}
	if r.optional('9') { // miscellaneous
		r.digit("01256", "save value code")
		r.digit("012", "save value applies to item")
		r.digit("0123456789", "store coupon flag")
		r.digit("01", "don't multiply flag")
	}
	if r.err == nil && r.pos < len(v) {
		r.fail(r.pos, "unexpected data "+quoteByte(v[r.pos])+" where an optional field indicator (1-6, 9) or the end belongs")
	}
	return r.err
}

// purchaseNames names the fields of the 1st, 2nd and 3rd purchase requirement.
type purchaseNames struct{ vli, value, code, family string }

var purchaseFields = [3]purchaseNames{
	{"1st purchase requirement length indicator", "1st purchase requirement", "1st purchase requirement code", "1st purchase family code"},
	{"2nd purchase requirement length indicator", "2nd purchase requirement", "2nd purchase requirement code", "2nd purchase family code"},
	{"3rd purchase requirement length indicator", "3rd purchase requirement", "3rd purchase requirement code", "3rd purchase family code"},
}

// purchase reads a purchase requirement: its VLI (1-5) and value, its code (0-4 or 9)
// and the three-digit family code.
func (r *couponReader) purchase(n *purchaseNames) {
	if vli := r.digit("12345", n.vli); vli > 0 {
		r.field(vli, n.value)
	}
	r.digit("012349", n.code)
	r.field(3, n.family)
}

// optional consumes the optional field indicator ind if it comes next.
func (r *couponReader) optional(ind byte) bool {
	if r.more() && r.v[r.pos] == ind {
		r.pos++
		return true
	}
	return false
}

// date reads a YYMMDD date.
func (r *couponReader) date(what string) string {
	at := r.pos
	f := r.field(6, what)
	if r.err == nil {
		if e := checkYYMMDD(f, false); e != nil {
			r.fail(at+e.Pos, what+": "+e.Message)
		}
	}
	return f
}

func checkCouponPosOffer(v string) *LintError {
	if e := nonDigitAt(v); e != nil {
		return e
	}
	r := couponReader{v: v}
	r.digit("01", "coupon format")
	r.gcp("coupon funder ID length indicator", "coupon funder ID", false)
	r.field(6, "offer code")
	if vli := r.digit("0123456789", "serial number length indicator"); vli >= 0 {
		r.field(vli+6, "serial number")
	}
	if r.err == nil && r.pos < len(v) {
		r.fail(r.pos, "unexpected data after the serial number")
	}
	return r.err
}
