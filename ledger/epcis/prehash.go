package epcis

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The CBV 2.0 event hash ID (CBV 2.0 section 8.9): the event is flattened to a pre-hash
// string — fields in a fixed order, each "name=value" with values canonicalised
// (timestamps in UTC at millisecond precision, numbers without redundant zeros, CBV
// values as full web URIs, GS1 identifiers as canonical Digital Link URIs), repeated
// fields sorted, extension fields named "{namespace}local" and sorted after the
// standard ones, eventID, recordTime and errorDeclaration left out — and hashed with
// SHA-256 into "ni:///sha-256;<hex>?ver=CBV2.0".
//
// The rules are implemented as the reference implementation
// (RalphTro/epcis-event-hash-generator) applies them, on the same element tree, because
// the official vectors were produced by it: TestHashVectors checks all of them.

// An orderEntry is one field of the canonical property order with the order of its
// children (nil for a leaf).
type orderEntry struct {
	name string
	sub  []orderEntry
}

var quantityOrder = []orderEntry{{"quantityElement", []orderEntry{{"epcClass", nil}, {"quantity", nil}, {"uom", nil}}}}
var epcOrder = []orderEntry{{"epc", nil}}

// coupleOrder never matches: (type, value) couples are hashed with the leftovers, as the
// reference does.
var coupleOrder = []orderEntry{{"\x00couple", nil}}

// propOrder is the canonical order of the standard fields (CBV 2.0 section 8.9.2).
var propOrder = []orderEntry{
	{"eventTime", nil},
	{"eventTimeZoneOffset", nil},
	{"certificationInfo", nil},
	{"parentID", nil},
	{"epcList", epcOrder},
	{"inputEPCList", epcOrder},
	{"childEPCs", epcOrder},
	{"quantityList", quantityOrder},
	{"childQuantityList", quantityOrder},
	{"inputQuantityList", quantityOrder},
	{"outputEPCList", epcOrder},
	{"outputQuantityList", quantityOrder},
	{"action", nil},
	{"transformationID", nil},
	{"bizStep", nil},
	{"disposition", nil},
	{"persistentDisposition", []orderEntry{{"set", nil}, {"unset", nil}}},
	{"readPoint", []orderEntry{{"id", nil}}},
	{"bizLocation", []orderEntry{{"id", nil}}},
	{"bizTransactionList", coupleOrder},
	{"sourceList", coupleOrder},
	{"destinationList", coupleOrder},
	{"sensorElementList", []orderEntry{{"sensorElement", []orderEntry{
		{"sensorMetadata", leaves("time", "startTime", "endTime", "deviceID", "deviceMetadata",
			"rawData", "dataProcessingMethod", "bizRules")},
		{"sensorReport", leaves("type", "exception", "deviceID", "deviceMetadata", "rawData",
			"dataProcessingMethod", "time", "microorganism", "chemicalSubstance", "value",
			"component", "stringValue", "booleanValue", "hexBinaryValue", "uriValue", "minValue",
			"maxValue", "meanValue", "sDev", "percRank", "percValue", "uom",
			"coordinateReferenceSystem")},
	}}}},
}

func leaves(names ...string) []orderEntry {
	out := make([]orderEntry, len(names))
	for i, n := range names {
		out[i] = orderEntry{n, nil}
	}
	return out
}

// PreHash returns the event's canonical pre-hash string (CBV 2.0 section 8.9).
func (e *Event) PreHash() string {
	if e.fastPreHash() {
		w := getPreHasher(e.Namespaces)
		w.write(e)
		s := string(w.b)
		w.release()
		return s
	}
	return e.treePreHash()
}

// treePreHash is the pre-hash by the general algorithm.
func (e *Event) treePreHash() string {
	return preHashTree(e.hashTree())
}

// HashID returns the event's CBV 2.0 event hash ID, "ni:///sha-256;<hex>?ver=CBV2.0".
// Two serialisations of the same event (JSON-LD or XML, EPC URNs or Digital Link URIs,
// any field order, any time zone) have the same hash ID.
func (e *Event) HashID() string {
	return formatHashID(e.hashSum())
}

// hashSum is the SHA-256 sum of the event's pre-hash, the hash of its hash ID.
func (e *Event) hashSum() [sha256.Size]byte {
	if !e.fastPreHash() {
		return sha256.Sum256([]byte(e.treePreHash()))
	}
	w := getPreHasher(e.Namespaces)
	w.write(e)
	sum := sha256.Sum256(w.b)
	w.release()
	return sum
}

// The text around the hex sum in a CBV 2.0 hash ID, and the ID's length.
const (
	hashIDPrefix = "ni:///sha-256;"
	hashIDSuffix = "?ver=CBV2.0"
	hashIDLen    = len(hashIDPrefix) + 2*sha256.Size + len(hashIDSuffix)
)

// formatHashID writes a SHA-256 sum as a CBV 2.0 hash ID.
func formatHashID(sum [sha256.Size]byte) string {
	var b [hashIDLen]byte
	return string(appendHashID(b[:0], sum))
}

// appendHashID appends the CBV 2.0 hash ID of a SHA-256 sum to b.
func appendHashID(b []byte, sum [sha256.Size]byte) []byte {
	b = append(b, hashIDPrefix...)
	b = hex.AppendEncode(b, sum[:])
	return append(b, hashIDSuffix...)
}

func preHashTree(ev *node) string {
	var b strings.Builder
	b.WriteString("eventType=")
	b.WriteString(ev.name)
	b.WriteString(inOrder(&ev.kids, propOrder))
	var rest []*node
	for _, k := range ev.kids {
		switch k.name {
		case "recordTime", "eventID", "type", "errorDeclaration":
			if !k.pair {
				continue
			}
		}
		rest = append(rest, k)
	}
	if len(rest) > 0 {
		b.WriteString(leftovers(rest))
	}
	return b.String()
}

// inOrder emits the children named in order, consuming the ones it used up completely;
// what it could not use stays in *kids for leftovers.
func inOrder(kids *[]*node, order []orderEntry) string {
	var pre strings.Builder
	ext := userExtensions(kids)
	for _, o := range order {
		if !hasNamed(*kids, o.name) {
			continue
		}
		var values []string
		kept := make([]*node, 0, len(*kids))
		for _, child := range *kids {
			if child.pair || child.name != o.name {
				kept = append(kept, child)
				continue
			}
			if s := childPreHash(child, o.sub); s != "" {
				values = append(values, s)
			}
			if len(child.kids) > 0 {
				kept = append(kept, child) // not used up: the rest goes to leftovers
			}
		}
		*kids = kept
		sort.Strings(values)
		for _, v := range values {
			pre.WriteString(v)
		}
	}
	if len(ext) > 0 {
		pre.WriteString(leftovers(ext))
	}
	return pre.String()
}

func hasNamed(kids []*node, name string) bool {
	for _, k := range kids {
		if !k.pair && k.name == name {
			return true
		}
	}
	return false
}

// userExtensions takes the extension fields ("{namespace/}name") out of a nested
// element so they are appended right after its standard children; the event's own
// extensions stay for leftovers.
func userExtensions(kids *[]*node) []*node {
	if len(*kids) <= 1 {
		return nil
	}
	for _, k := range *kids {
		if !k.pair && (strings.Contains(k.name, "eventTime") || strings.Contains(k.name, "action")) {
			return nil
		}
	}
	var ext, keep []*node
	for _, k := range *kids {
		if !k.pair && strings.Contains(k.name, "{") && strings.Contains(k.name, "/}") {
			ext = append(ext, k)
		} else {
			keep = append(keep, k)
		}
	}
	if len(ext) > 0 {
		*kids = keep
	}
	return ext
}

func childPreHash(child *node, sub []orderEntry) string {
	grand := ""
	if sub != nil {
		grand = inOrder(&child.kids, sub)
	}
	text := ""
	if child.text != "" {
		text = pyStrip(child.text)
		lower := strings.ToLower(child.name)
		if strings.Contains(lower, "time") && !strings.Contains(lower, "offset") {
			text = hashTime(text)
		} else {
			text = canonicalValue(text)
		}
		if text != "" {
			text = "=" + text
		}
	}
	if text != "" || grand != "" {
		return child.name + text + grand
	}
	return ""
}

// leftovers emits every remaining element generically, "name=value" followed by its
// children, sorted (except inside (type, value) couples).
func leftovers(children []*node) string {
	values := make([]string, 0, len(children))
	for _, c := range children {
		if c.pair {
			values = append(values, leftovers(c.kids))
			continue
		}
		text := pyStrip(c.text)
		if text != "" {
			text = "=" + canonicalValue(text)
		}
		values = append(values, c.name+text+leftovers(c.kids))
	}
	if len(children) > 1 && !hasCouple(children) {
		sort.Strings(values)
	}
	return strings.Join(values, "")
}

func hasCouple(children []*node) bool {
	for _, c := range children {
		if !c.pair && isCoupleKey(c.name) {
			return true
		}
	}
	return false
}

func pyStrip(s string) string { return strings.TrimSpace(s) }

// canonicalValue canonicalises one value for the pre-hash: CBV 1.x URNs to CBV 2.0 web
// URIs, numbers to their shortest form, GS1 identifiers to canonical Digital Link.
func canonicalValue(text string) string {
	text = cbvURNToWeb(text)
	text = hashNumber(text)
	if dl, ok := hashIdentifier(text); ok {
		return dl
	}
	return text
}

var cbvURNReplacer = strings.NewReplacer(
	"urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-",
	"urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-",
	"urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-",
	"urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-",
	"urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-",
)

// cbvURNToWeb rewrites the CBV 1.x URNs in s as CBV 2.0 web URIs (cbvURNReplacer).
func cbvURNToWeb(s string) string {
	const urn = "urn:epcglobal:cbv:"
	// Replace allocates: call it only when one of its patterns is there, that is
	// when some "urn:epcglobal:cbv:" is followed by one of the kinds it rewrites.
	for i := strings.Index(s, urn); i >= 0; {
		rest := s[i+len(urn):]
		for _, kind := range cbvURNKinds {
			if strings.HasPrefix(rest, kind) {
				return cbvURNReplacer.Replace(s)
			}
		}
		j := strings.Index(rest, urn)
		if j < 0 {
			break
		}
		i += len(urn) + j
	}
	return s
}

// cbvURNKinds are what follows "urn:epcglobal:cbv:" in the patterns of
// cbvURNReplacer.
var cbvURNKinds = [...]string{"bizstep:", "disp:", "btt:", "sdt:", "er:"}

// isDecimal reports whether s is a decimal number as the reference reads one:
// [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)? in ASCII digits.
func isDecimal[T string | []byte](s T) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	intDigits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		intDigits++
	}
	fracDigits := 0
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			fracDigits++
		}
	}
	if intDigits == 0 && fracDigits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		expDigits := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			expDigits++
		}
		if expDigits == 0 {
			return false
		}
	}
	return i == len(s)
}

// hashNumber writes a decimal number as Python writes float(text): integral values
// without a fraction, others in the shortest round-trip form. Other text is unchanged.
func hashNumber(s string) string {
	t := strings.TrimSpace(s)
	if t == "" || !(t[0] >= '0' && t[0] <= '9' || t[0] == '+' || t[0] == '-' || t[0] == '.') || !isDecimal(t) {
		return s
	}
	if len(t) <= 15 && allDigits(t) {
		// An integer that a float64 holds exactly: its digits without leading zeros.
		i := 0
		for i < len(t)-1 && t[i] == '0' {
			i++
		}
		return t[i:]
	}
	if plainFraction(t) {
		return t // as formatting its float writes it
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return s
	}
	if f == math.Trunc(f) {
		if math.Abs(f) < 1<<53 {
			return strconv.FormatInt(int64(f), 10)
		}
		i, _ := big.NewFloat(f).Int(nil)
		return i.String()
	}
	if a := math.Abs(f); a >= 1e-4 && a < 1e16 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'e', -1, 64)
}

// plainFraction reports whether t is a decimal fraction that hashNumber's float
// formatting writes back as it is: -?(0|[1-9]\d*)\.\d*[1-9] in ASCII digits, of at
// most 15 significant digits (so the shortest form that reads back as its float is
// t itself), from 1e-4 in magnitude (written without an exponent). Measurements in
// extension fields are written so, and parsing and formatting each was most of the
// pre-hash of an inspection's results.
func plainFraction(t string) bool {
	i := 0
	if i < len(t) && t[i] == '-' {
		i++
	}
	intStart := i
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	intDigits := i - intStart
	if intDigits == 0 || intDigits > 1 && t[intStart] == '0' || i == len(t) || t[i] != '.' {
		return false
	}
	i++
	fracStart := i
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i != len(t) || i == fracStart || t[i-1] == '0' {
		return false
	}
	sig := intDigits + i - fracStart
	if t[intStart] == '0' { // 0.x: the fraction's leading zeros are not significant
		z := 0
		for t[fracStart+z] == '0' {
			z++
		}
		if z > 3 {
			return false // under 1e-4
		}
		sig = i - fracStart - z
	}
	return sig <= 15
}

// hashTime writes a timestamp in UTC with exactly three fraction digits and a "Z",
// rounding microseconds half to even as the reference does; text that is not a
// timestamp is returned unchanged.
func hashTime(s string) string {
	var buf [32]byte
	if b, ok := appendHashTime(buf[:0], s); ok {
		return string(b)
	}
	return s
}

// appendHashTime appends hashTime(s) to b when s is a timestamp. Every event's time
// is hashed so: it works on the fields and the day number (civilDays, civilDate),
// as a time.Time's Date, Clock and layout took a tenth of the pre-hash.
func appendHashTime(b []byte, s string) ([]byte, bool) {
	ts, ok := scanTimestamp(s)
	if !ok {
		return b, false
	}
	ms := ts.us / 1000
	if r := ts.us % 1000; r > 500 || (r == 500 && ms%2 == 1) {
		ms++
	}
	secs := civilDays(ts.year, ts.month, ts.day)*86400 + int64(ts.hour*3600+ts.min*60+ts.sec-ts.off)
	if ms == 1000 {
		secs, ms = secs+1, 0
	}
	days, rem := secs/86400, int(secs%86400)
	if rem < 0 {
		days, rem = days-1, rem+86400
	}
	year, month, day := civilDate(days)
	if year < 0 || year > 9999 {
		// Out of the layout's four digits: as the layout writes it.
		t := time.Unix(days*86400+int64(rem), int64(ms)*int64(time.Millisecond)).UTC()
		return t.AppendFormat(b, "2006-01-02T15:04:05.000Z"), true
	}
	// As the layout "2006-01-02T15:04:05.000Z" writes it.
	return append(b,
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+month/10), byte('0'+month%10), '-', byte('0'+day/10), byte('0'+day%10), 'T',
		byte('0'+rem/36000), byte('0'+rem/3600%10), ':', byte('0'+rem/600%6), byte('0'+rem/60%10), ':',
		byte('0'+rem%60/10), byte('0'+rem%10), '.',
		byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), 'Z'), true
}

// civilDays is the number of days from 1970-01-01 to the date (proleptic
// Gregorian, month 1 to 12), negative before it: H. Hinnant's days_from_civil.
func civilDays(year, month, day int) int64 {
	y := year
	if month <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400                        // [0, 399]
	doy := (153*((month+9)%12)+2)/5 + day - 1 // [0, 365], from March 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy    // [0, 146096]
	return int64(era)*146097 + int64(doe) - 719468
}

// civilDate is the date days after 1970-01-01 (civilDays' inverse): H. Hinnant's
// civil_from_days.
func civilDate(days int64) (year, month, day int) {
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := int(z - era*146097)                             // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365]
	mp := (5*doy + 2) / 153                                // [0, 11], from March
	day = doy - (153*mp+2)/5 + 1
	month = mp + 3
	if month > 12 {
		month -= 12
	}
	year = yoe + int(era)*400
	if month <= 2 {
		year++
	}
	return year, month, day
}

// A timestamp is a date-time as parseTimestamp reads it: its fields as written, the
// fraction cut to microseconds, and the zone offset in seconds east of UTC.
type timestamp struct {
	year, month, day, hour, min, sec, us, off int
}

// parseTimestamp reads an ISO 8601 / RFC 3339 date-time with a zone designator,
// truncating the fraction to microseconds: what the reference accepts,
// \d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?\s*([Zz]|[+-]\d{2}(:?\d{2})?)
// in ASCII digits. The result is in UTC, shifted by the zone offset.
func parseTimestamp(s string) (time.Time, bool) {
	ts, ok := scanTimestamp(s)
	if !ok {
		return time.Time{}, false
	}
	t := time.Date(ts.year, time.Month(ts.month), ts.day, ts.hour, ts.min, ts.sec, ts.us*int(time.Microsecond), time.UTC)
	return t.Add(-time.Duration(ts.off) * time.Second), true
}

// scanTimestamp reads the fields of the date-time parseTimestamp reads.
func scanTimestamp(s string) (timestamp, bool) {
	num := func(i, n int) (int, bool) {
		if i+n > len(s) {
			return 0, false
		}
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	d, ok3 := num(8, 2)
	h, ok4 := num(11, 2)
	mi, ok5 := num(14, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) || s[4] != '-' || s[7] != '-' || s[13] != ':' ||
		s[10] != 'T' && s[10] != 't' && s[10] != ' ' {
		return timestamp{}, false
	}
	i := 16
	sec, ns := 0, 0
	if i < len(s) && s[i] == ':' {
		var ok bool
		if sec, ok = num(i+1, 2); !ok {
			return timestamp{}, false
		}
		i += 3
		if i < len(s) && (s[i] == '.' || s[i] == ',') && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
			i++
			scale := 100_000_000
			for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
				if scale >= 1000 { // microseconds at most
					ns += int(s[i]-'0') * scale
					scale /= 10
				}
			}
		}
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\f' || s[i] == '\r') {
		i++
	}
	if i >= len(s) {
		return timestamp{}, false
	}
	off := 0
	switch z := s[i:]; {
	case z == "Z" || z == "z":
	case z[0] == '+' || z[0] == '-':
		oh, ok := num(i+1, 2)
		if !ok {
			return timestamp{}, false
		}
		off = oh * 3600
		switch rest := z[3:]; len(rest) {
		case 0:
		case 2, 3:
			if len(rest) == 3 {
				if rest[0] != ':' {
					return timestamp{}, false
				}
				rest = rest[1:]
			}
			om, ok := num(len(s)-2, 2)
			if !ok {
				return timestamp{}, false
			}
			off += om * 60
		default:
			return timestamp{}, false
		}
		if z[0] == '-' {
			off = -off
		}
	default:
		return timestamp{}, false
	}
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, year) || h > 23 || mi > 59 || sec > 59 {
		return timestamp{}, false
	}
	return timestamp{year: year, month: mo, day: d, hour: h, min: mi, sec: sec, us: ns / int(time.Microsecond), off: off}, true
}

// daysIn is the number of days of a month (1 to 12) of a year, proleptic Gregorian.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
