package recall

import "testing"

func TestCodeKinds(t *testing.T) {
	for _, tc := range []struct {
		code                     string
		lot, instance, unit, loc bool
		gtin, lotNumber, gln     string
	}{
		{code: stem + "/01/09506000134352/10/ABC%2F1", lot: true, gtin: "09506000134352", lotNumber: "ABC/1"},
		{code: stem + "/01/09506000134352/21/S1", instance: true, gtin: "09506000134352"},
		{code: stem + "/01/09506000134352", gtin: "09506000134352"},
		{code: stem + "/00/395060001343520008", unit: true},
		{code: stem + "/414/9506000134352", loc: true, gln: "9506000134352"},
		{code: stem + "/414/9506000134352/254/dock%201", loc: true, gln: "9506000134352.dock%201"},
		{code: "urn:example:thing"},
	} {
		if isLot(tc.code) != tc.lot || isInstance(tc.code) != tc.instance || isUnit(tc.code) != tc.unit ||
			isLocation(tc.code) != tc.loc || gtinOf(tc.code) != tc.gtin || lotNumberOf(tc.code) != tc.lotNumber {
			t.Errorf("%s: lot %v instance %v unit %v loc %v gtin %q lot %q", tc.code, isLot(tc.code),
				isInstance(tc.code), isUnit(tc.code), isLocation(tc.code), gtinOf(tc.code), lotNumberOf(tc.code))
		}
		if tc.loc && gln(tc.code) != tc.gln {
			t.Errorf("gln(%s) = %q", tc.code, gln(tc.code))
		}
	}
	if got := lotCode("09506000134352", "ABC/1"); got != stem+"/01/09506000134352/10/ABC%2F1" {
		t.Errorf("lotCode = %q", got)
	}
	if got := lotCode("09506000134353", "X"); got != "" {
		t.Errorf("lotCode with a bad check digit = %q", got)
	}
}

func TestCanonicalCode(t *testing.T) {
	want := stem + "/01/09506000134352/10/ABC1"
	for _, in := range []string{
		"(01)09506000134352(10)ABC1",
		"]d2010950600013435210ABC1",
		"https://example.com/01/09506000134352/10/ABC1?17=261231",
		"urn:epc:class:lgtin:9506000.013435.ABC1",
		"  " + want + "\n",
	} {
		got, err := CanonicalCode(in)
		if err != nil || got != want {
			t.Errorf("CanonicalCode(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "(01)09506000134353(10)ABC1", "not a code"} {
		if got, err := CanonicalCode(in); err == nil {
			t.Errorf("CanonicalCode(%q) = %q, want an error", in, got)
		}
	}
}

func TestDocNumbers(t *testing.T) {
	if got := docNumber("urn:epcglobal:cbv:bt:9506000000017:D42"); got != "D42" {
		t.Errorf("docNumber = %q", got)
	}
	if got := docNumber("https://example.com/po/7"); got != "https://example.com/po/7" {
		t.Errorf("docNumber = %q", got)
	}
	for in, want := range map[string]string{"desadv": "Despatch Advice", "https://ref.gs1.org/cbv/BTT-bol": "Bill of Lading",
		"urn:epcglobal:cbv:btt:po": "Purchase Order", "urn:example:x": "urn:example:x"} {
		if got := docTypeName(in); got != want {
			t.Errorf("docTypeName(%q) = %q", in, got)
		}
	}
}

// FuzzCanonicalCode checks that whatever a scanner hands over either fails or gives a
// canonical code that is its own canonical form.
func FuzzCanonicalCode(f *testing.F) {
	for _, s := range []string{"(01)09506000134352(10)ABC1", "]C1010950600013435210ABC1", "(00)395060001343520008",
		"https://id.gs1.org/414/9506000134352/254/x", "urn:epc:id:sgtin:9506000.013435.S1", "(01)09506000134352(21)A%2F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := CanonicalCode(in)
		if err != nil {
			return
		}
		again, err := CanonicalCode(got)
		if err != nil || again != got {
			t.Fatalf("CanonicalCode(%q) = %q, then %q, %v", in, got, again, err)
		}
	})
}
