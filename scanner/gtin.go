package scanner

import (
	"fmt"
	"strings"
)

// GTIN14 returns a GTIN written with 8, 12, 13 or 14 digits (GTIN-8, UPC-A,
// EAN-13, GTIN-14) as the 14 digits that AI (01) and every GS1 key carry, after
// checking its check digit. Registries and APIs take GTINs as people write them;
// the ledger keys them in this one form.
func GTIN14(s string) (string, error) {
	g, ok := bareGTIN(s)
	if !ok {
		return "", fmt.Errorf("%q is not a GTIN: want 8, 12, 13 or 14 digits", s)
	}
	if le := LookupAI("01").CheckValue(g); le != nil {
		return "", fmt.Errorf("GTIN %s: %s", s, le.Message)
	}
	return g, nil
}

// bareGTIN returns s zero-padded to 14 digits when it is 8, 12, 13 or 14 digits,
// without checking the check digit.
func bareGTIN(s string) (string, bool) {
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return "", false
		}
	}
	return strings.Repeat("0", 14-len(s)) + s, true
}
