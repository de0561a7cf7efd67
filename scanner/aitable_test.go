package scanner

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"traceledger/fixtures/testenv"
)

// dictEntry is one AI as GS1's Barcode Syntax Dictionary describes it, in the same
// shape as our AI so that the two compare field by field.
type dictEntry struct {
	line int
	ai   AI
	// linterNames per component, since the dictionary names linters it does not define.
	linterNames [][]string
}

// dictionaryDifferences lists the AIs whose entry in our table knowingly differs from
// the Syntax Dictionary, with the reason; the comment at the AI in aitable.go says the
// same. An entry here that no longer differs fails the test, so the list stays true.
var dictionaryDifferences = map[string]string{}

// dictFlagChars are the characters the dictionary reserves for flags.
const dictFlagChars = "*!?\"$%&'()+,-./:;<=>@[\\]^_`{|}~"

// readSyntaxDictionary parses GS1's Barcode Syntax Dictionary into one entry per AI,
// expanding ranges such as 3100-3105.
func readSyntaxDictionary(t *testing.T, path string) []dictEntry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []dictEntry
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		title := ""
		if i := strings.Index(line, "#"); i >= 0 {
			title = strings.TrimSpace(line[i+1:])
			line = line[:i]
		}
		fields := strings.Fields(line)
		var e dictEntry
		e.line = n
		e.ai.Title = title
		rest := fields[1:]
		if len(rest) > 0 && strings.Trim(rest[0], dictFlagChars) == "" {
			e.ai.Predefined = strings.Contains(rest[0], "*")
			e.ai.DLAttribute = strings.Contains(rest[0], "?")
			rest = rest[1:]
		}
		for _, tok := range rest {
			switch {
			case strings.HasPrefix(tok, "req="):
				e.ai.Requires = append(e.ai.Requires, strings.Split(tok[4:], ","))
			case strings.HasPrefix(tok, "ex="):
				e.ai.Excludes = append(e.ai.Excludes, strings.Split(tok[3:], ",")...)
			case tok == "dlpkey":
				e.ai.DLPrimaryKey = true
			case strings.HasPrefix(tok, "dlpkey="):
				e.ai.DLPrimaryKey = true
				for _, seq := range strings.Split(tok[7:], "|") {
					e.ai.DLQualifiers = append(e.ai.DLQualifiers, strings.Split(seq, ","))
				}
			case strings.IndexByte("[NXYZ", tok[0]) >= 0:
				c, names, err := parseDictComponent(tok)
				if err != nil {
					t.Fatalf("dictionary line %d: %v", n, err)
				}
				e.ai.Components = append(e.ai.Components, c)
				e.linterNames = append(e.linterNames, names)
			default:
				t.Fatalf("dictionary line %d: unknown token %q (a new attribute? teach the table and this test)", n, tok)
			}
		}
		first, last, isRange := strings.Cut(fields[0], "-")
		if !isRange {
			last = first
		}
		lo, err1 := strconv.Atoi(first)
		hi, err2 := strconv.Atoi(last)
		if err1 != nil || err2 != nil || len(first) != len(last) || lo > hi {
			t.Fatalf("dictionary line %d: bad AI %q", n, fields[0])
		}
		for v := lo; v <= hi; v++ {
			x := e
			x.ai.Code = fmt.Sprintf("%0*d", len(first), v)
			out = append(out, x)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// parseDictComponent parses one component such as "N14,csum,gcppos2", "X..20",
// "[N..12]" or "[N3],iso3166".
func parseDictComponent(tok string) (Component, []string, error) {
	var c Component
	spec, linters := tok, ""
	if strings.HasPrefix(tok, "[") {
		end := strings.IndexByte(tok, ']')
		if end < 0 {
			return c, nil, fmt.Errorf("unclosed optional component %q", tok)
		}
		c.Optional = true
		spec, linters = tok[1:end], strings.TrimPrefix(tok[end+1:], ",")
		if i := strings.IndexByte(spec, ','); i >= 0 {
			spec, linters = spec[:i], spec[i+1:]
		}
	} else if i := strings.IndexByte(tok, ','); i >= 0 {
		spec, linters = tok[:i], tok[i+1:]
	}
	switch spec[0] {
	case 'N':
		c.Charset = Numeric
	case 'X':
		c.Charset = CSET82
	case 'Y':
		c.Charset = CSET39
	case 'Z':
		c.Charset = CSET64
	}
	length := spec[1:]
	variable := strings.HasPrefix(length, "..")
	n, err := strconv.Atoi(strings.TrimPrefix(length, ".."))
	if err != nil {
		return c, nil, fmt.Errorf("bad length in %q", tok)
	}
	c.Min, c.Max = n, n
	if variable {
		c.Min = 1
	}
	var names []string
	if linters != "" {
		names = strings.Split(linters, ",")
	}
	return c, names, nil
}

func TestTableMatchesSyntaxDictionary(t *testing.T) {
	dict := readSyntaxDictionary(t, testenv.Shared(t, "testdata/gs1/gs1-syntax-dictionary.txt"))
	known := map[string]bool{}
	for _, l := range allLinters() {
		known[l.Name] = true
	}
	seen := map[string]bool{}
	differs := map[string]bool{}
	for _, d := range dict {
		seen[d.ai.Code] = true
		ours := LookupAI(d.ai.Code)
		if ours == nil {
			t.Errorf("dictionary line %d: AI (%s) %q missing from our table", d.line, d.ai.Code, d.ai.Title)
			continue
		}
		for _, names := range d.linterNames {
			for _, name := range names {
				if !known[name] {
					t.Errorf("dictionary line %d: AI (%s) uses linter %q that we do not implement", d.line, d.ai.Code, name)
				}
			}
		}
		diffs := compareAI(ours, &d.ai, d.linterNames)
		if len(diffs) == 0 {
			continue
		}
		differs[d.ai.Code] = true
		if why, ok := dictionaryDifferences[d.ai.Code]; ok {
			t.Logf("AI (%s) differs from the dictionary as allowed (%s): %s", d.ai.Code, why, strings.Join(diffs, "; "))
			continue
		}
		t.Errorf("dictionary line %d: AI (%s) differs: %s", d.line, d.ai.Code, strings.Join(diffs, "; "))
	}
	for _, a := range AllAIs() {
		if !seen[a.Code] {
			t.Errorf("AI (%s) %q is in our table but not in the dictionary", a.Code, a.Title)
		}
	}
	for code := range dictionaryDifferences {
		if !differs[code] {
			t.Errorf("AI (%s) is allow-listed as different but matches the dictionary: drop it from dictionaryDifferences", code)
		}
	}
	if len(dict) != len(AllAIs()) {
		t.Errorf("dictionary has %d AIs, our table %d", len(dict), len(AllAIs()))
	}
}

// compareAI lists every way ours differs from the dictionary's entry.
func compareAI(ours, dict *AI, linterNames [][]string) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	if ours.Title != dict.Title {
		add("title %q, dictionary %q", ours.Title, dict.Title)
	}
	if ours.Predefined != dict.Predefined {
		add("predefined (*) %v, dictionary %v", ours.Predefined, dict.Predefined)
	}
	if ours.DLAttribute != dict.DLAttribute {
		add("DL attribute (?) %v, dictionary %v", ours.DLAttribute, dict.DLAttribute)
	}
	if len(ours.Components) != len(dict.Components) {
		add("%d components, dictionary %d", len(ours.Components), len(dict.Components))
	} else {
		for i, c := range ours.Components {
			d := dict.Components[i]
			if c.Charset != d.Charset || c.Min != d.Min || c.Max != d.Max || c.Optional != d.Optional {
				add("component %d is %s, dictionary %s", i+1, formatComponent(c), formatComponent(d))
			}
			var names []string
			for _, l := range c.Linters {
				names = append(names, l.Name)
			}
			if !slices.Equal(names, linterNames[i]) {
				add("component %d linters %v, dictionary %v", i+1, names, linterNames[i])
			}
		}
	}
	if !slices.EqualFunc(ours.Requires, dict.Requires, slices.Equal[[]string]) {
		add("req %v, dictionary %v", ours.Requires, dict.Requires)
	}
	if !slices.Equal(ours.Excludes, dict.Excludes) {
		add("ex %v, dictionary %v", ours.Excludes, dict.Excludes)
	}
	if ours.DLPrimaryKey != dict.DLPrimaryKey {
		add("dlpkey %v, dictionary %v", ours.DLPrimaryKey, dict.DLPrimaryKey)
	}
	if !slices.EqualFunc(ours.DLQualifiers, dict.DLQualifiers, slices.Equal[[]string]) {
		add("dlpkey qualifiers %v, dictionary %v", ours.DLQualifiers, dict.DLQualifiers)
	}
	return diffs
}

// formatComponent writes a component in the dictionary's notation ("N..8", "[X1]").
func formatComponent(c Component) string {
	s := c.Charset.String()
	if c.Min == c.Max {
		s += strconv.Itoa(c.Max)
	} else {
		s += ".." + strconv.Itoa(c.Max)
	}
	if c.Optional {
		s = "[" + s + "]"
	}
	return s
}

// TestTableInvariants pins down the rules every AI of the table must follow, whatever
// the dictionary says.
func TestTableInvariants(t *testing.T) {
	// GS1 General Specifications figure 7.8.5-2: the AI prefixes of predefined length.
	predefinedPrefixes := []string{"00", "01", "02", "03", "04", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "31", "32", "33", "34", "35", "36", "41"}
	all := AllAIs()
	if !slices.IsSortedFunc(all, func(a, b *AI) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("AllAIs is not in ascending order")
	}
	for _, a := range all {
		if LookupAI(a.Code) != a {
			t.Errorf("LookupAI(%q) does not return the table's AI", a.Code)
		}
		if got := MatchAI(a.Code + "123"); got != a {
			t.Errorf("MatchAI(%q) = %v, want (%s)", a.Code+"123", got, a.Code)
		}
		if AIPrefixLength(a.Code) != len(a.Code) {
			t.Errorf("AIPrefixLength(%q) = %d", a.Code, AIPrefixLength(a.Code))
		}
		if want := slices.Contains(predefinedPrefixes, a.Code[:2]); a.Predefined != want {
			t.Errorf("AI (%s) predefined = %v, but its prefix says %v", a.Code, a.Predefined, want)
		}
		if a.Predefined && a.MinLength() != a.MaxLength() {
			t.Errorf("AI (%s) is predefined but varies in length (%d..%d)", a.Code, a.MinLength(), a.MaxLength())
		}
		if len(a.Components) == 0 {
			t.Errorf("AI (%s) has no components", a.Code)
		}
		optional := false
		for i, c := range a.Components {
			if c.Min < 1 || c.Max < c.Min || c.Charset < Numeric || c.Charset > CSET64 {
				t.Errorf("AI (%s) component %d malformed: %+v", a.Code, i+1, c)
			}
			if c.Min != c.Max && i != len(a.Components)-1 {
				t.Errorf("AI (%s) component %d varies in length but is not last", a.Code, i+1)
			}
			if optional && !c.Optional {
				t.Errorf("AI (%s) component %d is mandatory after an optional one", a.Code, i+1)
			}
			optional = optional || c.Optional
			for _, l := range c.Linters {
				if l.Check == nil || l.Name == "" {
					t.Errorf("AI (%s) component %d has an empty linter", a.Code, i+1)
				}
			}
		}
		for _, alts := range a.Requires {
			for _, alt := range alts {
				for _, code := range strings.Split(alt, "+") {
					if !matchesSomeAI(code) {
						t.Errorf("AI (%s) requires unknown AI %q", a.Code, code)
					}
				}
			}
		}
		for _, code := range a.Excludes {
			if !matchesSomeAI(code) {
				t.Errorf("AI (%s) excludes unknown AI %q", a.Code, code)
			}
		}
		for _, seq := range a.DLQualifiers {
			for _, q := range seq {
				if LookupAI(q) == nil {
					t.Errorf("AI (%s) has unknown DL qualifier %q", a.Code, q)
				}
			}
		}
	}
}

// matchesSomeAI reports whether an AI or pattern ("31nn", "390n") names an AI of the
// table.
func matchesSomeAI(pattern string) bool {
	for _, a := range AllAIs() {
		if len(a.Code) != len(pattern) {
			continue
		}
		ok := true
		for i := 0; i < len(pattern); i++ {
			if pattern[i] != 'n' && pattern[i] != a.Code[i] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func TestLookupAndMatch(t *testing.T) {
	tests := []struct {
		data  string
		match string // "" for nil
	}{
		{"0109520123456788", "01"},
		{"00", "00"},
		{"0", ""},
		{"", ""},
		{"10ABC", "10"},
		{"23", ""},      // prefix 23 is three digits long, only 235 exists
		{"2351", "235"}, // (235) TPX
		{"2361", ""},    // unknown three-digit AI
		{"310", ""},     // too short for a four-digit AI
		{"3103000195", "3103"},
		{"3106000195", ""}, // 3106 is not allocated
		{"7117", "711"},    // prefix 71 is three digits
		{"7040", "7040"},
		{"8200http", "8200"},
		{"99", "99"},
		{"05", ""}, // no AIs start 05
		{"1A", ""},
		{"A1", ""},
	}
	for _, tt := range tests {
		got := MatchAI(tt.data)
		if (got == nil) != (tt.match == "") || got != nil && got.Code != tt.match {
			t.Errorf("MatchAI(%q) = %v, want %q", tt.data, got, tt.match)
		}
	}
	for _, code := range []string{"", "0", "1", "012", "01A", "31000", "9999", "04", "235 "} {
		if a := LookupAI(code); a != nil {
			t.Errorf("LookupAI(%q) = (%s), want nil", code, a.Code)
		}
	}
	if a := LookupAI("8010"); a == nil || a.Title != "CPID" || a.Components[0].Charset != CSET39 {
		t.Errorf("LookupAI(8010) = %+v", a)
	}
}

func TestMatchAIDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { MatchAI("3103000195"); LookupAI("8010") }); n != 0 {
		t.Errorf("MatchAI/LookupAI allocate %v times", n)
	}
}
