package scanner

import (
	"strings"
	"testing"
)

// lintCases gives, for every linter by its dictionary name, values it must accept
// (pos -1) and values it must reject with the fault at pos.
var lintCases = map[string][]struct {
	v   string
	pos int
}{
	"csum": {
		{"09520123456788", -1}, {"09520123456789", 13}, {"123456789012345675", -1}, {"123456789012345670", 17},
		{"9520123456788", -1}, {"0", -1}, {"1", 0}, {"", 0}, {"0952012345678A", 13}, {"09520A23456788", 5},
	},
	"csumalpha": {
		// GS1 General Specifications 7.9.5 example GMN.
		{"1987654Ad4X4bL5ttr2310c2K", -1}, {"1987654Ad4X4bL5ttr2310c2L", 24}, {"1987654Ad4X4bL5ttr2310c3K", 23},
		{"12345678901234567890123NT", -1}, {"1", 0}, {"", 0}, {"1234567890123456789012345XX", 0}, {"1~2K", 1},
	},
	"gcppos1": {{"1234", -1}, {"12345A", -1}, {"123", 0}, {"", 0}, {"123A5", 3}, {"A234", 0}},
	"gcppos2": {{"01234", -1}, {"A1234", -1}, {"0123", 0}, {"0123A", 4}, {"0A234", 1}},
	"key":     {{"1234", -1}, {"123", 0}, {"12A4", 2}},
	"keyoff1": {{"X1234", -1}, {"X123", 0}, {"X12A4", 3}},
	"yymmd0": {
		{"251231", -1}, {"251200", -1}, {"240229", -1}, {"230229", 4}, {"250230", 4}, {"250431", 4}, {"250132", 4},
		{"251301", 2}, {"250001", 2}, {"000229", -1}, {"2512", 0}, {"25123A", 5},
	},
	"yymmdd": {
		{"251231", -1}, {"251200", 4}, {"240229", -1}, {"230229", 4}, {"251301", 2}, {"250100", 4}, {"991231", -1},
	},
	"yyyymmdd": {
		{"20240229", -1}, {"20230229", 6}, {"20000229", -1}, {"21000229", 6}, {"19000229", 6}, {"20251200", 6},
		{"20251301", 4}, {"2025123", 0}, {"2025A231", 4},
	},
	"yyyymmd0": {{"20251200", -1}, {"21000229", 6}, {"20000229", -1}, {"20250001", 4}},
	"yymmddhh": {{"25123123", -1}, {"25123124", 6}, {"25123200", 4}, {"2512312", 0}},
	"hhmi":     {{"0000", -1}, {"2359", -1}, {"2400", 0}, {"2360", 2}, {"235", 0}, {"23A9", 2}},
	"hhmm":     {{"1230", -1}, {"1260", 2}},
	"hh":       {{"00", -1}, {"23", -1}, {"24", 0}, {"2", 0}},
	"mi":       {{"59", -1}, {"60", 0}},
	"mm":       {{"00", -1}, {"60", 0}},
	"ss":       {{"59", -1}, {"60", 0}, {"A0", 0}},
	"mmoptss":  {{"59", -1}, {"5959", -1}, {"5960", 2}, {"60", 0}, {"595", 0}},
	"iso3166": {
		{"156", -1}, {"840", -1}, {"276", -1}, {"004", -1}, {"894", -1}, {"000", 0}, {"999", 0}, {"001", 0}, {"15", 0}, {"ABC", 0},
	},
	"iso3166999":    {{"999", -1}, {"156", -1}, {"998", 0}, {"000", 0}},
	"iso3166alpha2": {{"CN", -1}, {"DE", -1}, {"US", -1}, {"ZW", -1}, {"AA", 0}, {"UK", 0}, {"cn", 0}, {"C", 0}, {"CHN", 0}},
	"iso3166list":   {{"156", -1}, {"156840276", -1}, {"156000", 3}, {"15", 0}},
	"iso4217": {
		{"156", -1}, {"978", -1}, {"840", -1}, {"392", -1}, {"924", -1}, {"999", -1}, {"000", 0}, {"191", 0}, {"001", 0}, {"EUR", 0},
	},
	"iso5218": {{"0", -1}, {"1", -1}, {"2", -1}, {"9", -1}, {"3", 0}, {"8", 0}},
	"pcenc":   {{"", -1}, {"ABC", -1}, {"A%20B", -1}, {"%ff", -1}, {"ABC%g1", 3}, {"AB%2", 2}, {"%", 0}, {"A%2G", 1}},
	"hyphen":  {{"-", -1}, {"+", 0}, {"0", 0}},
	"yesno":   {{"0", -1}, {"1", -1}, {"2", 0}},
	"nonzero": {{"0001", -1}, {"1000", -1}, {"0000", 0}, {"0", 0}},
	"zero":    {{"0", -1}, {"1", 0}},
	"winding": {{"0", -1}, {"1", -1}, {"9", -1}, {"2", 0}},
	"nozeroprefix": {
		{"1", -1}, {"10", -1}, {"987654321012", -1}, {"0", 0}, {"01", 0},
	},
	"hasnondigit":   {{"ABC", -1}, {"1A", -1}, {"123", 0}},
	"pieceoftotal":  {{"0101", -1}, {"0199", -1}, {"9999", -1}, {"0001", 0}, {"0100", 2}, {"0302", 0}, {"010", 0}},
	"posinseqslash": {{"1/2", -1}, {"2/2", -1}, {"3/2", 0}, {"0/2", 0}, {"1/0", 2}, {"12/", 0}, {"/12", 0}, {"1-2", 0}, {"9/10", -1}},
	"packagetype":   {{"BX", -1}, {"PUE", -1}, {"1A", -1}, {"8", -1}, {"ZZ", -1}, {"X20", -1}, {"XX", 0}, {"bx", 0}, {"", 0}},
	"mediatype":     {{"01", -1}, {"10", -1}, {"80", -1}, {"99", -1}, {"00", 0}, {"11", 0}, {"79", 0}},
	"latitude":      {{"0000000000", -1}, {"1800000000", -1}, {"1800000001", 0}, {"900000000", 0}},
	"longitude":     {{"3600000000", -1}, {"3600000001", 0}},
	"latlong":       {{"18000000003600000000", -1}, {"18000000013600000000", 0}, {"18000000003600000001", 10}},
	"importeridx":   {{"-", -1}, {"_", -1}, {"0", -1}, {"Z", -1}, {"z", -1}, {"=", 0}, {"AB", 0}},
	"iban": {
		{"GB98MIDL07009312345678", -1}, {"DE91100000000123456789", -1}, {"FR7630006000011234567890189", -1},
		{"BE71096123456769", -1}, {"BE71096123456760", 2}, {"LC14BOSL123456789012345678901234", -1},
		{"MU43BOMM0101123456789101000MUR", -1}, {"CH5604835012345678009", -1},
		{"GB98MIDL0700931234567", 0}, {"XX361234567890", 0}, {"US12345678901234", 0}, {"GB98midl07009312345678", 4}, {"GB9", 0},
	},
	"couponcode": {
		{"012345612345611110123", -1}, {"01234561234561111012332512314250101", -1}, {"01234561234561111012390100", -1},
		{"012345612345611110123" + "1" + "0" + "11" + "0" + "123" + "9", -1}, // 2nd purchase without a GCP (VLI 9)
		{"012345612345611110123" + "5" + "0" + "123456", -1},
		{"012345612345611110123" + "6" + "7" + "1234567890128", -1},
		{"71234567890123", 0}, {"012345", 1}, {"0123456123456", 13}, {"01234561234560", 13},
		{"01234561234561111012332501014251231", 29}, {"0123456123456111101237", 21}, {"a12345612345611110123", 0},
		{"012345612345611110123" + "3251301", 24},
	},
	"couponposoffer": {
		{"001234561234560123456", -1}, {"1512345678901123456" + "9123456789012345", -1},
		{"201234561234560123456", 0}, {"07", 1}, {"01123456", 2}, {"00123456", 8}, {"001234561234560", 15},
		{"0012345612345601234567", 21},
	},
}

func TestLinters(t *testing.T) {
	for _, l := range allLinters() {
		cases, ok := lintCases[l.Name]
		if !ok {
			t.Errorf("linter %q has no test cases", l.Name)
			continue
		}
		for _, c := range cases {
			e := l.Check(c.v)
			switch {
			case c.pos < 0 && e != nil:
				t.Errorf("%s(%q) = %+v, want valid", l.Name, c.v, e)
			case c.pos >= 0 && e == nil:
				t.Errorf("%s(%q) valid, want fault at %d", l.Name, c.v, c.pos)
			case c.pos >= 0 && e.Pos != c.pos:
				t.Errorf("%s(%q) fault at %d (%s), want at %d", l.Name, c.v, e.Pos, e.Message, c.pos)
			case e != nil && e.Message == "":
				t.Errorf("%s(%q) fault without a message", l.Name, c.v)
			}
		}
	}
	for name := range lintCases {
		found := false
		for _, l := range allLinters() {
			found = found || l.Name == name
		}
		if !found {
			t.Errorf("test cases for unknown linter %q", name)
		}
	}
}

func TestCenturyYear(t *testing.T) {
	tests := []struct{ yy, now, want int }{
		{26, 2026, 2026},
		{0, 2026, 2000},  // 26 years back
		{76, 2026, 2076}, // 50 ahead: this century
		{77, 2026, 1977}, // 51 ahead: previous century
		{99, 2026, 1999},
		{0, 2049, 2000},  // 49 back: this century
		{0, 2050, 2100},  // 50 back: next century
		{99, 2100, 2099}, // -1 from 2100
		{49, 2099, 2149}, // 50 back from 2099
		{50, 2099, 2050}, // 49 back
	}
	for _, tt := range tests {
		if got := CenturyYear(tt.yy, tt.now); got != tt.want {
			t.Errorf("CenturyYear(%d, %d) = %d, want %d", tt.yy, tt.now, got, tt.want)
		}
	}
	// Whether 29 February of "00" exists depends on the century the window picks.
	if isLeap(CenturyYear(0, 2026)) != true || isLeap(CenturyYear(0, 2060)) != false {
		t.Error("29 February 00 must exist for 2000 and not for 2100")
	}
}

func TestCheckDigit(t *testing.T) {
	tests := []struct {
		digits string
		want   byte
	}{
		{"0952012345678", '8'},     // GTIN-14 of the vectors
		{"12345678901234567", '5'}, // SSCC 123456789012345675
		{"952012345678", '8'},      // GLN 9520123456788
		{"629104150021", '3'},      // EAN-13 6291041500213
		{"9638507", '4'},           // EAN-8 96385074
		{"", '0'},
		{"12A", 0},
	}
	for _, tt := range tests {
		if got := CheckDigit(tt.digits); got != tt.want {
			t.Errorf("CheckDigit(%q) = %q, want %q", tt.digits, got, tt.want)
		}
	}
	if got := CheckCharacterPair("1987654Ad4X4bL5ttr2310c"); got != "2K" {
		t.Errorf("CheckCharacterPair = %q, want 2K", got)
	}
}

func TestCharset(t *testing.T) {
	count := func(c Charset) int {
		n := 0
		for b := 0; b < 256; b++ {
			if c.Contains(byte(b)) {
				n++
			}
		}
		return n
	}
	for _, tt := range []struct {
		c    Charset
		n    int
		name string
	}{{Numeric, 10, "N"}, {CSET82, 82, "X"}, {CSET39, 39, "Y"}, {CSET64, 65, "Z"}} { // CSET 64 plus "=" padding
		if got := count(tt.c); got != tt.n {
			t.Errorf("%v has %d members, want %d", tt.c, got, tt.n)
		}
		if tt.c.String() != tt.name {
			t.Errorf("String() = %q, want %q", tt.c.String(), tt.name)
		}
	}
	for _, b := range []byte{' ', '#', '$', '@', '[', '\\', ']', '^', '`', '{', '|', '}', '~', 0x1d, 0x80} {
		if CSET82.Contains(b) {
			t.Errorf("CSET 82 contains %q", b)
		}
	}
	if !CSET39.Contains('#') || CSET39.Contains('a') || Charset(0).Contains('0') || Charset(9).Contains('0') {
		t.Error("CSET 39 membership wrong")
	}
}

func TestCheckValue(t *testing.T) {
	tests := []struct {
		ai, v string
		pos   int    // -1 valid
		msg   string // part of the message
	}{
		{"01", "09520123456788", -1, ""},
		{"01", "09520123456789", 13, "invalid check digit, want 8"},
		{"01", "0952012345678", 13, "too short"},
		{"01", "095201234567880", 14, "too long"},
		{"01", "0952012345678A", 13, "'A' not in N"},
		{"01", "", 0, "empty"},
		{"10", "ABC123", -1, ""},
		{"10", "ABCDEFGHIJ1234567890", -1, ""},
		{"10", "ABCDEFGHIJ12345678901", 20, "too long"},
		{"10", "AB!C", -1, ""},
		{"21", "ABC~1", 3, "'~' not in CSET 82"},
		{"21", "A B", 1, "' ' not in CSET 82"},
		{"17", "251200", -1, ""},
		{"17", "251232", 4, "day 32 out of range"},
		{"17", "251301", 2, "month 13"},
		{"17", "240229", -1, ""},
		{"17", "250229", 4, "day 29"},
		{"4326", "201200", 4, "day 00"},
		{"4326", "201231", -1, ""},
		{"8010", "123456_", 6, "'_' not in CSET 39"},
		{"8010", "1234#-/AZ", -1, ""},
		{"8030", "ABC:123", 3, "':' not in CSET 64"},
		{"8030", "123=", 3, "padding"},
		{"8030", "12=", -1, ""},
		{"8030", "1=2", 1, "padding"},
		{"7007", "240101", -1, ""},          // optional second date left out
		{"7007", "240101240131", -1, ""},    // both dates
		{"7007", "2401012401", 10, "short"}, // a started optional component must be complete
		{"7007", "240101241301", 8, "month 13"},
		{"8008", "24010112", -1, ""},
		{"8008", "2401011230", -1, ""},
		{"8008", "240101123", 9, "short"},
		{"8008", "24010124", 6, "hour 24"},
		{"4330", "001234", -1, ""},
		{"4330", "001234-", -1, ""},
		{"4330", "001234+", 6, "'-'"},
		{"423", "156840", -1, ""},
		{"423", "1568", 4, "short"},
		{"423", "156000", 3, "ISO 3166"},
		{"3910", "978123", -1, ""},
		{"3910", "000123", 0, "ISO 4217"},
		{"8003", "01234567890128", -1, ""},
		{"8003", "11234567890128", 0, "must be 0"},
		{"8003", "01234567890128ABC", -1, ""},
		{"8006", "095201234567880102", -1, ""},
		{"8006", "095201234567880302", 14, "exceeds"},
		{"4309", "02790858483015297971", -1, ""},
		{"4309", "18000000013600000000", 0, "latitude"},
		{"7040", "1A2-", -1, ""},
		{"7040", "1A2=", 3, "importer index"},
		{"8014", "1987654Ad4X4bL5ttr2310c2K", -1, ""},
		{"253", "9520123456788", -1, ""},
		{"253", "9520123456788ABC", -1, ""},
		{"8001", "00000000000001", 0, "zero"},
		{"8001", "12341234512311", -1, ""},
		{"8001", "12341234512321", 12, "winding"},
	}
	for _, tt := range tests {
		a := LookupAI(tt.ai)
		e := a.CheckValue(tt.v)
		switch {
		case tt.pos < 0 && e != nil:
			t.Errorf("(%s)%q: %+v, want valid", tt.ai, tt.v, e)
		case tt.pos >= 0 && e == nil:
			t.Errorf("(%s)%q valid, want fault at %d", tt.ai, tt.v, tt.pos)
		case tt.pos >= 0 && (e.Pos != tt.pos || !strings.Contains(e.Message, tt.msg)):
			t.Errorf("(%s)%q: fault at %d %q, want at %d containing %q", tt.ai, tt.v, e.Pos, e.Message, tt.pos, tt.msg)
		}
	}
}

func TestCheckValueDoesNotAllocate(t *testing.T) {
	values := [][2]string{
		{"01", "09520123456788"}, {"10", "ABC123"}, {"17", "251231"}, {"21", "XYZ999"}, {"3103", "000195"},
		{"8013", "1987654Ad4X4bL5ttr2310c2K"}, {"8007", "GB98MIDL07009312345678"}, {"7041", "PUE"},
		{"8110", "01234561234561111012332512314250101"}, {"8030", "12="}, {"4309", "02790858483015297971"},
	}
	for _, p := range values {
		a := LookupAI(p[0])
		if n := testing.AllocsPerRun(50, func() { _ = a.CheckValue(p[1]) }); n != 0 {
			t.Errorf("(%s)%s: CheckValue allocates %v times", p[0], p[1], n)
		}
	}
}

// FuzzCheckValue feeds arbitrary AI codes and values to the table: CheckValue must
// never panic, must place a fault inside (or just after) the value, and must accept
// only values whose length and characters fit the AI's components.
func FuzzCheckValue(f *testing.F) {
	for name, cases := range lintCases {
		for _, a := range AllAIs() {
			for _, c := range a.Components {
				for _, l := range c.Linters {
					if l.Name == name {
						for _, lc := range cases {
							f.Add(a.Code, lc.v)
						}
					}
				}
			}
		}
	}
	f.Add("01", "09520123456788")
	f.Add("8030", "123=")
	f.Add("7007", "2401012401")
	f.Add("0109520123456788", "")
	f.Fuzz(func(t *testing.T, code, v string) {
		if m := MatchAI(code); m != nil && !strings.HasPrefix(code, m.Code) {
			t.Fatalf("MatchAI(%q) = (%s), not a prefix", code, m.Code)
		}
		a := LookupAI(code)
		if a == nil {
			return
		}
		e := a.CheckValue(v)
		if e != nil {
			if e.Pos < 0 || e.Pos > len(v) || e.Message == "" {
				t.Fatalf("(%s)%q: bad fault %+v", code, v, e)
			}
			return
		}
		if len(v) < a.MinLength() || len(v) > a.MaxLength() {
			t.Fatalf("(%s)%q accepted with length %d outside %d..%d", code, v, len(v), a.MinLength(), a.MaxLength())
		}
		allowed := false
		for i := 0; i < len(v); i++ {
			allowed = false
			for _, c := range a.Components {
				allowed = allowed || c.Charset.Contains(v[i])
			}
			if !allowed {
				t.Fatalf("(%s)%q accepted with %q outside every component's character set", code, v, v[i])
			}
		}
	})
}
