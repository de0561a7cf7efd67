package scanner

// Linters on the text of CSET 82 components.

var (
	lintPcenc       = Linter{Name: "pcenc", Check: checkPcenc}
	lintHyphen      = Linter{Name: "hyphen", Check: checkHyphen}
	lintHasNonDigit = Linter{Name: "hasnondigit", Check: checkHasNonDigit}
	lintImporterIdx = Linter{Name: "importeridx", Check: checkImporterIdx}
)

// checkPcenc checks RFC 3986 percent-encoding: the name and address AIs (4300-4320,
// 7253-7259) carry characters outside CSET 82 as "%" and two hex digits.
func checkPcenc(v string) *LintError {
	for i := 0; i < len(v); i++ {
		if v[i] != '%' {
			continue
		}
		if i+2 >= len(v) {
			return &LintError{Pos: i, Message: "incomplete percent-encoding: '%' needs two hex digits"}
		}
		if !isHexDigit(v[i+1]) || !isHexDigit(v[i+2]) {
			return &LintError{Pos: i, Message: "invalid percent-encoding " + v[i:i+3]}
		}
		i += 2
	}
	return nil
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f'
}

// checkHyphen accepts only "-": the optional sign of the temperatures in (4330)-(4333).
func checkHyphen(v string) *LintError {
	if v != "-" {
		return &LintError{Pos: 0, Message: "only '-' (negative temperature) allowed here"}
	}
	return nil
}

// checkHasNonDigit requires a non-digit somewhere: a (8014) MUDI must not look like a
// numeric key.
func checkHasNonDigit(v string) *LintError {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return nil
		}
	}
	return &LintError{Pos: 0, Message: "must contain at least one non-digit character"}
}

// checkImporterIdx checks the importer index of a (7040) UIC+EXT (EU 2018/574 tobacco
// traceability): one character from "-", digits, letters and "_".
func checkImporterIdx(v string) *LintError {
	if len(v) != 1 {
		return &LintError{Pos: 0, Message: "importer index must be one character"}
	}
	c := v[0]
	if c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
		return nil
	}
	return &LintError{Pos: 0, Message: "invalid importer index character " + quoteByte(c)}
}
