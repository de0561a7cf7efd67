package epcis

import (
	"strings"
	"testing"
)

// TestWordSetMatchesValues holds the lookups of each vocabulary (its wordSet) to its
// Values: every standard word is found, and no other string is, however close.
func TestWordSetMatchesValues(t *testing.T) {
	for _, voc := range []*Vocabulary{BizSteps, Dispositions, BizTransactionTypes, SourceDestTypes, ErrorReasons, Components} {
		var probes []string
		for w := range voc.Values {
			probes = append(probes, w, strings.ToUpper(w), w+"s", w[1:], w[:len(w)-1], " "+w, voc.Web+w, "x"+w[1:])
		}
		probes = append(probes, "", " ", "a", "zz", "shipping_", "in_transit\x00", "https://ref.gs1.org/cbv/BizStep-shipping")
		for _, p := range probes {
			if got, want := voc.set.has(p), voc.Values[p]; got != want {
				t.Errorf("%s: set.has(%q) = %v, Values say %v", voc.Name, p, got, want)
			}
		}
	}
}

func FuzzWordSet(f *testing.F) {
	for _, s := range []string{"", "shipping", "owning_party", "recalled", "x", "SHIPPING"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, voc := range []*Vocabulary{BizSteps, Dispositions, BizTransactionTypes, SourceDestTypes, ErrorReasons, Components} {
			if got, want := voc.set.has(s), voc.Values[s]; got != want {
				t.Errorf("%s: set.has(%q) = %v, Values say %v", voc.Name, s, got, want)
			}
		}
	})
}
