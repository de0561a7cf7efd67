package server

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"

	"traceledger/ledger/lotrecord"
	"traceledger/scanner"
)

// The links of a code. They point at the level the record describes (the code itself,
// or the lot or GTIN it fell back to):
//
//	gs1:pip, gs1:defaultLink  the consumer page /page/{DL path}, in English (the default)
//	                          and in Chinese (?lang=zh)
//	gs1:traceability          the EPCIS 2.0 query of the code's events
//	                          (/epcis/events?MATCH_anyEPCClass= for lots and GTINs,
//	                          MATCH_anyEPC= for instances and logistic units)
//	gs1:recallStatus          the record as JSON (/api/v1/records/{DL path}): status,
//	                          recall ID, reason and date
//	gs1:certificationInfo     the record's inspection results, when it has any
//	gs1:verificationService   the proof bundle (/api/v1/proofs?code=): the chain with
//	                          inclusion proofs against the signed checkpoint
func (h *resolverHandler) links(rec *lotrecord.Record) []typedLink {
	path := strings.TrimPrefix(rec.Code, scanner.CanonicalStem)
	page := h.base + "/page" + path
	record := h.base + "/api/v1/records" + path
	links := []typedLink{
		{Rel: linkDefault, Href: page, Title: "Product information page" + defaultLinkTitleSuffix, Type: mediaHTML, Hreflang: []string{"en"}},
		{Rel: linkPIP, Href: page, Title: "Product information page", Type: mediaHTML, Hreflang: []string{"en"}},
		{Rel: linkPIP, Href: page + "?lang=zh", Title: "Product information page (Chinese)", Type: mediaHTML, Hreflang: []string{"zh"}},
	}
	if rec.Kind == lotrecord.KindLocation {
		links[0].Title, links[1].Title, links[2].Title = "Location information page"+defaultLinkTitleSuffix,
			"Location information page", "Location information page (Chinese)"
		return links
	}
	match := "MATCH_anyEPCClass"
	if rec.Kind == lotrecord.KindInstance && rec.Fallback == "" || rec.Kind == lotrecord.KindUnit || rec.Kind == lotrecord.KindOther {
		match = "MATCH_anyEPC"
	}
	links = append(links,
		typedLink{Rel: linkTraceability, Href: h.base + "/epcis/events?" + match + "=" + url.QueryEscape(rec.Code),
			Title: "Traceability events (EPCIS 2.0 query)", Type: mediaJSON},
		typedLink{Rel: linkRecallStatus, Href: record, Title: "Recall status and record", Type: mediaJSON},
	)
	if len(rec.Inspections) > 0 {
		links = append(links, typedLink{Rel: linkCertificationInfo, Href: record + "#inspections",
			Title: "Inspection and sampling results", Type: mediaJSON})
	}
	if len(rec.Journey) > 0 {
		links = append(links, typedLink{Rel: linkVerificationSvc, Href: h.base + "/api/v1/proofs?code=" + url.QueryEscape(rec.Code),
			Title: "Proof bundle: the record's chain against the signed checkpoint", Type: mediaJSON})
	}
	return links
}

// defaultLink returns the default link of a resolved code.
func (r *resolved) defaultLink() typedLink {
	for _, l := range r.links {
		if l.Rel == linkDefault {
			return l
		}
	}
	return r.links[0]
}

// itemDescription describes the item for a linkset: what it is and which lot or
// serial, in English.
func itemDescription(rec *lotrecord.Record) string {
	var b strings.Builder
	switch {
	case rec.Product != nil:
		b.WriteString(rec.Product.Description)
	case rec.Kind == lotrecord.KindLocation && rec.Origin != nil && rec.Origin.Name != "":
		b.WriteString(rec.Origin.Name)
	case rec.Kind == lotrecord.KindUnit:
		b.WriteString("Logistic unit " + rec.SSCC)
	default:
		b.WriteString(rec.Requested)
	}
	if rec.Lot != "" {
		b.WriteString(", lot " + rec.Lot)
	}
	if rec.Serial != "" {
		b.WriteString(", serial " + rec.Serial)
	}
	return b.String()
}

// jsonBytes encodes v without HTML escaping.
func jsonBytes(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
