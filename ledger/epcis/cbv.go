package epcis

import "strings"

// A Vocabulary is one CBV 2.0 vocabulary: the bare words the standard defines, how they
// are written as CBV 2.0 web URIs ("https://ref.gs1.org/cbv/BizStep-shipping"), as CURIEs
// ("cbv:BizStep-shipping") and as CBV 1.x URNs ("urn:epcglobal:cbv:bizstep:shipping").
type Vocabulary struct {
	Name  string // the field it types, for messages: "bizStep"
	Web   string // web URI prefix
	CURIE string // CURIE prefix
	URN   string // CBV 1.x URN prefix, "" when there is none
	// Values are the standard words. They must not change: lookups use set, made
	// from them with the vocabulary.
	Values map[string]bool
	set    wordSet
}

// newVocabulary is the vocabulary of the standard words in list (space-separated).
func newVocabulary(name, web, curie, urn, list string) *Vocabulary {
	voc := &Vocabulary{Name: name, Web: web, CURIE: curie, URN: urn, Values: map[string]bool{}}
	for _, w := range strings.Fields(list) {
		voc.Values[w] = true
		voc.set.add(w)
	}
	return voc
}

// A wordSet is a set of words looked up by length and first and last byte (and then
// compared): the pre-hash and the keys of every event look its business step,
// disposition and source, destination and transaction types up in one, 3 ns a
// lookup where a map took 8. TestWordSetMatchesValues holds it to the
// vocabularies' Values.
type wordSet struct {
	slots [64][]string
}

// wordSlot is the slot of a non-empty word.
func wordSlot(w string) int { return (len(w)*31 + int(w[0])*7 + int(w[len(w)-1])) & 63 }

func (s *wordSet) add(w string) {
	if w != "" {
		s.slots[wordSlot(w)] = append(s.slots[wordSlot(w)], w)
	}
}

// has reports whether w is in the set.
func (s *wordSet) has(w string) bool {
	if w == "" {
		return false
	}
	for _, x := range s.slots[wordSlot(w)] {
		if x == w {
			return true
		}
	}
	return false
}

// BizSteps are the 41 CBV 2.0 business steps (CBV 2.0 section 7.1, and the EPCIS 2.0
// JSON schema bizStep-JSON-Schema.json). There is no "recalling": a recall is the
// disposition "recalled".
var BizSteps = newVocabulary("bizStep", "https://ref.gs1.org/cbv/BizStep-", "cbv:BizStep-", "urn:epcglobal:cbv:bizstep:",
	`accepting arriving assembling collecting
	commissioning consigning creating_class_instance cycle_counting decommissioning departing
	destroying disassembling dispensing encoding entering_exiting holding inspecting installing
	killing loading other packing picking receiving removing repackaging repairing replacing
	reserving retail_selling shipping staging_outbound stock_taking stocking storing transporting
	unloading unpacking void_shipping sensor_reporting sampling`)

// Dispositions are the 33 CBV 2.0 dispositions (CBV 2.0 section 7.2,
// disposition-JSON-Schema.json).
var Dispositions = newVocabulary("disposition", "https://ref.gs1.org/cbv/Disp-", "cbv:Disp-", "urn:epcglobal:cbv:disp:",
	`active container_closed damaged destroyed dispensed
	disposed encoded expired in_progress in_transit inactive no_pedigree_match non_sellable_other
	partially_dispensed recalled reserved retail_sold returned sellable_accessible
	sellable_not_accessible stolen unknown available completeness_verified completeness_inferred
	conformant container_open mismatch_instance mismatch_class mismatch_quantity needs_replacement
	non_conformant unavailable`)

// BizTransactionTypes are the CBV 2.0 business transaction types (section 7.3).
var BizTransactionTypes = newVocabulary("bizTransaction type", "https://ref.gs1.org/cbv/BTT-", "cbv:BTT-", "urn:epcglobal:cbv:btt:",
	`bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt`)

// SourceDestTypes are the CBV 2.0 source/destination types (section 7.4).
var SourceDestTypes = newVocabulary("source/destination type", "https://ref.gs1.org/cbv/SDT-", "cbv:SDT-", "urn:epcglobal:cbv:sdt:",
	`owning_party possessing_party location`)

// ErrorReasons are the CBV 2.0 error reasons (section 7.5).
var ErrorReasons = newVocabulary("error reason", "https://ref.gs1.org/cbv/ER-", "cbv:ER-", "urn:epcglobal:cbv:er:",
	`did_not_occur incorrect_data`)

// Components are the CBV 2.0 sensor components (section 7.6).
var Components = newVocabulary("component", "https://ref.gs1.org/cbv/Comp-", "cbv:Comp-", "",
	`x y z axial_distance azimuth height spherical_radius polar_angle elevation_angle
	easting northing latitude longitude altitude`)

// gs1Voc is the GS1 Web Vocabulary namespace, home of measurement and alert types.
const gs1Voc = "https://gs1.org/voc/"

// Bare returns the standard bare word for v written in any of the vocabulary's forms,
// and whether v is one of the standard values.
func (voc *Vocabulary) Bare(v string) (string, bool) {
	w := v
	switch {
	case strings.HasPrefix(v, voc.Web):
		w = v[len(voc.Web):]
	case strings.HasPrefix(v, voc.CURIE):
		w = v[len(voc.CURIE):]
	case voc.URN != "" && strings.HasPrefix(v, voc.URN):
		w = v[len(voc.URN):]
	}
	return w, voc.set.has(w)
}

// Check classifies v: a standard value in any form, or a custom URI or CURIE (EPCIS
// allows private vocabulary written as URIs), or neither — a bare word that is not a
// standard value, or not a URI at all.
func (voc *Vocabulary) Check(v string) (standard bool, ok bool) {
	if _, std := voc.Bare(v); std {
		return true, true
	}
	return false, isURI(v)
}

// WebURI returns the CBV 2.0 web URI of a standard value written in any form; other
// values are returned unchanged.
func (voc *Vocabulary) WebURI(v string) string {
	if w, std := voc.Bare(v); std {
		return voc.Web + w
	}
	if strings.HasPrefix(v, "cbv:") {
		return "https://ref.gs1.org/cbv/" + v[len("cbv:"):]
	}
	return v
}

// BareOrURI is the canonical storage form: the bare word for a standard value, the
// value itself otherwise.
func (voc *Vocabulary) BareOrURI(v string) string {
	if w, std := voc.Bare(v); std {
		return w
	}
	return v
}

// gs1VocURI expands a GS1 Web Vocabulary term (a sensor measurement or alert type)
// written bare ("Temperature") or as a CURIE ("gs1:Temperature") to its URI.
func gs1VocURI(v string) string {
	if strings.HasPrefix(v, "gs1:") {
		return gs1Voc + v[len("gs1:"):]
	}
	if v != "" && !strings.Contains(v, ":") {
		return gs1Voc + v
	}
	return v
}

// isURI reports whether s is an absolute URI: a scheme, a colon and something after it.
func isURI(s string) bool {
	i := strings.IndexByte(s, ':')
	if i <= 0 || i == len(s)-1 {
		return false
	}
	for j := 0; j < i; j++ {
		c := s[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return !strings.ContainsAny(s, " \t\n\r<>\"{}|\\^`")
}
