package scanner

// A Charset is the character set of one component of an AI's value, as the GS1 General
// Specifications (section 7.11) and the Barcode Syntax Dictionary name them.
type Charset uint8

const (
	// Numeric is "N": the digits 0-9.
	Numeric Charset = iota + 1
	// CSET82 is "X": the 82 characters of GS1 AI encodable character set 82.
	CSET82
	// CSET39 is "Y": the 39 characters of GS1 AI encodable character set 39.
	CSET39
	// CSET64 is "Z": the 64 characters of the file-safe (URL-safe) base64 alphabet, plus "=" padding.
	CSET64
)

// A Linter is one named content check of a component, beyond its character set and
// length (GS1 check digit, date, ISO country code, ...). Name is the Barcode Syntax
// Dictionary's name for it ("csum", "yymmd0", "iso3166", ...), so the table can be
// compared with the dictionary.
type Linter struct {
	Name string
	// Check returns nil when v is acceptable, or an error whose Pos is the 0-based offset
	// of the first offending character within v.
	Check func(v string) *LintError
}

// A LintError is a linter's verdict on a component value: what is wrong and where.
type LintError struct {
	Pos     int    // 0-based offset within the component value
	Message string // why, e.g. "invalid check digit, want 8"
}

// A Component is one part of an AI's value: its character set, length bounds and checks.
// Only the last component of an AI may vary in length.
type Component struct {
	Charset  Charset
	Min, Max int  // lengths; Min == Max for fixed-length components
	Optional bool // may be absent when the data is exhausted
	Linters  []Linter
}

// An AI describes one GS1 application identifier: its value format and content checks,
// its pairing rules, and its role in GS1 Digital Link URIs.
type AI struct {
	Code  string // "01", "3103", "8010", ...
	Title string // the data title, e.g. "GTIN", "BATCH/LOT"

	// Predefined is true for the AIs whose total length is predefined in the GS1 General
	// Specifications (figure 7.8.5-2): no FNC1 separator follows them.
	Predefined bool
	// DLAttribute is true when the AI may appear as a GS1 Digital Link data attribute
	// (query parameter).
	DLAttribute bool
	Components  []Component

	// Requires lists requisite associations; every entry must be satisfied. Each entry is
	// a list of alternatives, each alternative one AI or several joined by "+", where a
	// trailing "n" matches any digit ("35nn"): {"01+21", "02"} means (01) with (21), or (02).
	Requires [][]string
	// Excludes lists AIs or patterns ("310n") that must not appear with this AI. An AI
	// never excludes itself even when it matches a pattern.
	Excludes []string

	// DLPrimaryKey is true when the AI is a GS1 Digital Link primary key.
	DLPrimaryKey bool
	// DLQualifiers lists, for a primary key, the alternative ordered sequences of key
	// qualifiers that may follow it in a Digital Link path ({{"22","10","21"},{"235"}}).
	DLQualifiers [][]string
}

// MinLength is the shortest value the AI accepts.
func (a *AI) MinLength() int {
	n := 0
	for _, c := range a.Components {
		if !c.Optional {
			n += c.Min
		}
	}
	return n
}

// MaxLength is the longest value the AI accepts.
func (a *AI) MaxLength() int {
	n := 0
	for _, c := range a.Components {
		n += c.Max
	}
	return n
}
