package epcisquery

import (
	"errors"
	"net/url"
	"testing"
)

// FuzzParse feeds arbitrary query strings to Parse (and its tokens back to
// ParseCursor): it must never panic, and every refusal must be a ParamError
// naming a parameter of the input.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "EQ_bizStep=shipping|receiving", "MATCH_epc=urn:epc:idpat:sgtin:0614141.*.*",
		"GE_eventTime=2025-03-01T10:00:00.000%2B01:00&LT_eventTime=2026-01-01T00:00:00Z",
		"orderBy=eventTime&orderDirection=ASC&eventCountLimit=3", "maxEventCount=5&EQ_action=ADD",
		"MATCH_anyEPCClass=urn:epc:class:lgtin:4012345.012345.998877", "EQ_readPoint=urn:epc:id:sgln:0614141.00777.0",
		"EXISTS_errorDeclaration&EQ_errorReason=incorrect_data", "GE_quantity=1e3", "nextPageToken=AAAA&perPage=3",
		"MATCH_epc=urn:epc:idpat:grai:0614141.12345.*", "MATCH_epc=urn:epc:idpat:sgln:0614141.*.*",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		vals, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := Parse(vals)
		if err != nil {
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("%q: %T %v", raw, err, err)
			}
			if _, ok := vals[pe.Param]; !ok && pe.Param != "eventCountLimit" && pe.Param != "orderDirection" {
				t.Fatalf("%q: error names %q, not in the input", raw, pe.Param)
			}
			return
		}
		if tok := vals.Get("nextPageToken"); tok != "" {
			_, _ = ParseCursor(q, tok)
		}
		c := &Cursor{Order: TimeDesc, Index: 3, Returned: 1}
		if _, err := ParseCursor(q, c.Token(q)); err != nil {
			t.Fatalf("%q: own token refused: %v", raw, err)
		}
	})
}
