package scanner

import "testing"

// TestGTIN14Pads checks the one GTIN normalisation registries and APIs use:
// GTIN-8, UPC-A, EAN-13 and GTIN-14 padded to 14 digits, anything else or a wrong
// check digit refused.
func TestGTIN14Pads(t *testing.T) {
	for in, want := range map[string]string{"6990021000025": "06990021000025", "06990021000025": "06990021000025",
		"96385074": "00000096385074", "614141000036": "00614141000036"} {
		if got, err := GTIN14(in); err != nil || got != want {
			t.Errorf("GTIN14(%s) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "123", "6990021000026", "69900210000x5"} {
		if _, err := GTIN14(bad); err == nil {
			t.Errorf("GTIN14(%q): no error", bad)
		}
	}
}
