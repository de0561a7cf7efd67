package server

import (
	"bytes"
	"encoding/json"
	"strings"
)

// GS1 link types (the GS1 Web Vocabulary, https://gs1.org/voc/) as the full URIs that
// GS1's resolver standard 1.2 asks for as linkset keys and Link header relations.
const (
	gs1Voc                 = "https://gs1.org/voc/"
	linkPIP                = gs1Voc + "pip"
	linkDefault            = gs1Voc + "defaultLink"
	linkTraceability       = gs1Voc + "traceability"
	linkRecallStatus       = gs1Voc + "recallStatus"
	linkCertificationInfo  = gs1Voc + "certificationInfo"
	linkVerificationSvc    = gs1Voc + "verificationService"
	linkEPCIS              = gs1Voc + "epcis"
	linksetMediaType       = "application/linkset+json"
	jsonLDContextRel       = "http://www.w3.org/ns/json-ld#context"
	gs1LinksetContext      = "https://ref.gs1.org/standards/resolver/linkset-context"
	owlSameAs              = "owl:sameAs"
	linksetRel             = "linkset"
	linksetTitle           = "Linkset: every link of this code"
	mediaHTML              = "text/html"
	mediaJSON              = "application/json"
	mediaJSONLD            = "application/ld+json"
	mediaProblem           = ProblemContentType
	defaultLinkTitleSuffix = " (default)"
)

// A typedLink is one typed link of a code: a link target object of an RFC 9264 linkset with
// its relation type.
type typedLink struct {
	// Rel is the link type as a full URI ("https://gs1.org/voc/pip").
	Rel string
	// Href is the absolute target URL.
	Href string
	// Title is a human-readable title; GS1 requires one on every link.
	Title string
	// Type is the media type of the target, "" when unknown.
	Type string
	// Hreflang lists the target's languages (BCP 47), if it has any.
	Hreflang []string
}

// linkTarget is a link target object as RFC 9264 section 4.2.2 writes it (and GS1's
// linkset schema allows: href, title, type, hreflang as an array).
type linkTarget struct {
	Href     string   `json:"href"`
	Title    string   `json:"title"`
	Type     string   `json:"type,omitempty"`
	Hreflang []string `json:"hreflang,omitempty"`
}

// A linkContext is one link context object: the anchor, GS1's itemDescription, and one
// member per relation type holding an array of targets, in first-seen order.
type linkContext struct {
	Anchor          string
	ItemDescription string
	Links           []typedLink
}

// MarshalJSON writes the context object with its members in a stable order: anchor,
// itemDescription, then the relation types in the order of their first link.
func (lc linkContext) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"anchor":`)
	writeJSON(&b, lc.Anchor)
	b.WriteString(`,"itemDescription":`)
	writeJSON(&b, lc.ItemDescription)
	var rels []string
	byRel := map[string][]linkTarget{}
	for _, l := range lc.Links {
		if _, ok := byRel[l.Rel]; !ok {
			rels = append(rels, l.Rel)
		}
		byRel[l.Rel] = append(byRel[l.Rel], linkTarget{Href: l.Href, Title: l.Title, Type: l.Type, Hreflang: l.Hreflang})
	}
	for _, r := range rels {
		b.WriteByte(',')
		writeJSON(&b, r)
		b.WriteByte(':')
		if err := writeJSON(&b, byRel[r]); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// writeJSON appends v as JSON without HTML escaping (URLs keep their "&").
func writeJSON(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	return nil
}

// A linkset is an RFC 9264 linkset document: a JSON object whose sole member is
// "linkset", an array of link context objects.
type linkset struct {
	Linkset []linkContext `json:"linkset"`
}

// linkHeader renders links as one Link header field value (RFC 8288): every link with
// its rel, type, hreflang and title, the title last and quoted, as GS1's conformance
// suite splits the field on `",`.
func linkHeader(links []typedLink) string {
	var b strings.Builder
	for i, l := range links {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('<')
		b.WriteString(l.Href)
		b.WriteString(`>; rel="`)
		b.WriteString(quoteParam(l.Rel))
		b.WriteByte('"')
		if l.Type != "" {
			b.WriteString(`; type="`)
			b.WriteString(quoteParam(l.Type))
			b.WriteByte('"')
		}
		if len(l.Hreflang) > 0 {
			// One hreflang parameter per language (RFC 8288 section 3.4.1 allows several).
			for _, h := range l.Hreflang {
				b.WriteString(`; hreflang="`)
				b.WriteString(quoteParam(h))
				b.WriteByte('"')
			}
		}
		if l.Title != "" {
			b.WriteString(`; title="`)
			b.WriteString(quoteParam(l.Title))
			b.WriteByte('"')
		}
	}
	return b.String()
}

// quoteParam escapes a value for a quoted-string (RFC 9110 section 5.6.4) and drops
// control characters, which a header field cannot carry.
func quoteParam(s string) string {
	if !strings.ContainsAny(s, "\"\\") && strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
