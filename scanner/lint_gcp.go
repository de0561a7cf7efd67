package scanner

// GS1 Company Prefix linters. Every GS1 key starts with a GS1 Company Prefix (or, for
// the GTIN and SSCC, after one leading indicator or extension digit); the shortest
// prefix GS1 allocates is four digits, so without a prefix register the check that
// can be made, as the GS1 Syntax Engine makes it, is that the first four characters
// of the prefix are digits.

// gcpMinLength is the length of the shortest GS1 Company Prefix (GS1-8 prefixes aside).
const gcpMinLength = 4

var (
	lintGCPPos1 = Linter{Name: "gcppos1", Check: func(v string) *LintError { return checkGCPAt(v, 0) }}
	lintGCPPos2 = Linter{Name: "gcppos2", Check: func(v string) *LintError { return checkGCPAt(v, 1) }}
	// key and keyoff1 are the Syntax Engine's earlier names for gcppos1 and gcppos2.
	lintKey     = Linter{Name: "key", Check: func(v string) *LintError { return checkGCPAt(v, 0) }}
	lintKeyOff1 = Linter{Name: "keyoff1", Check: func(v string) *LintError { return checkGCPAt(v, 1) }}
)

// checkGCPAt checks that a GS1 Company Prefix can start at offset off of v.
func checkGCPAt(v string, off int) *LintError {
	if len(v) < off+gcpMinLength {
		return &LintError{Pos: 0, Message: "too short to hold a GS1 Company Prefix"}
	}
	for i := off; i < off+gcpMinLength; i++ {
		if v[i] < '0' || v[i] > '9' {
			return &LintError{Pos: i, Message: "GS1 Company Prefix must start with 4 digits, got " + quoteByte(v[i])}
		}
	}
	return nil
}
