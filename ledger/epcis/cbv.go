package epcis

import "strings"

// A Vocabulary is one CBV 2.0 vocabulary: the bare words the standard defines, how they
// are written as CBV 2.0 web URIs ("https://ref.gs1.org/cbv/BizStep-shipping"), as CURIEs
// ("cbv:BizStep-shipping") and as CBV 1.x URNs ("urn:epcglobal:cbv:bizstep:shipping").
type Vocabulary struct {
	Name   string // the field it types, for messages: "bizStep"
	Web    string // web URI prefix
	CURIE  string // CURIE prefix
	URN    string // CBV 1.x URN prefix, "" when there is none
	Values map[string]bool
}

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// BizSteps are the 41 CBV 2.0 business steps (CBV 2.0 section 7.1, and the EPCIS 2.0
// JSON schema bizStep-JSON-Schema.json). There is no "recalling": a recall is the
// disposition "recalled".
var BizSteps = &Vocabulary{Name: "bizStep", Web: "https://ref.gs1.org/cbv/BizStep-", CURIE: "cbv:BizStep-",
	URN: "urn:epcglobal:cbv:bizstep:", Values: words(`accepting arriving assembling collecting
	commissioning consigning creating_class_instance cycle_counting decommissioning departing
	destroying disassembling dispensing encoding entering_exiting holding inspecting installing
	killing loading other packing picking receiving removing repackaging repairing replacing
	reserving retail_selling shipping staging_outbound stock_taking stocking storing transporting
	unloading unpacking void_shipping sensor_reporting sampling`)}

// Dispositions are the 33 CBV 2.0 dispositions (CBV 2.0 section 7.2,
// disposition-JSON-Schema.json).
var Dispositions = &Vocabulary{Name: "disposition", Web: "https://ref.gs1.org/cbv/Disp-", CURIE: "cbv:Disp-",
	URN: "urn:epcglobal:cbv:disp:", Values: words(`active container_closed damaged destroyed dispensed
	disposed encoded expired in_progress in_transit inactive no_pedigree_match non_sellable_other
	partially_dispensed recalled reserved retail_sold returned sellable_accessible
	sellable_not_accessible stolen unknown available completeness_verified completeness_inferred
	conformant container_open mismatch_instance mismatch_class mismatch_quantity needs_replacement
	non_conformant unavailable`)}

// BizTransactionTypes are the CBV 2.0 business transaction types (section 7.3).
var BizTransactionTypes = &Vocabulary{Name: "bizTransaction type", Web: "https://ref.gs1.org/cbv/BTT-",
	CURIE: "cbv:BTT-", URN: "urn:epcglobal:cbv:btt:",
	Values: words(`bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt`)}

// SourceDestTypes are the CBV 2.0 source/destination types (section 7.4).
var SourceDestTypes = &Vocabulary{Name: "source/destination type", Web: "https://ref.gs1.org/cbv/SDT-",
	CURIE: "cbv:SDT-", URN: "urn:epcglobal:cbv:sdt:", Values: words(`owning_party possessing_party location`)}

// ErrorReasons are the CBV 2.0 error reasons (section 7.5).
var ErrorReasons = &Vocabulary{Name: "error reason", Web: "https://ref.gs1.org/cbv/ER-", CURIE: "cbv:ER-",
	URN: "urn:epcglobal:cbv:er:", Values: words(`did_not_occur incorrect_data`)}

// Components are the CBV 2.0 sensor components (section 7.6).
var Components = &Vocabulary{Name: "component", Web: "https://ref.gs1.org/cbv/Comp-", CURIE: "cbv:Comp-",
	Values: words(`x y z axial_distance azimuth height spherical_radius polar_angle elevation_angle
	easting northing latitude longitude altitude`)}

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
	return w, voc.Values[w]
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
