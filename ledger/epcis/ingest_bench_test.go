package epcis

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// The ledger's per-event CPU path, step by step, on events shaped like the ones
// package fixtures generates (canonical Digital Links, bare CBV values, extension
// fields): parse (one-event document, or a 1000-event document per event), Validate,
// HashID, CanonicalJSON, Keys, all of them in a row, and verify's path from the stored
// canonical bytes back to the hash ID and the index keys.

// benchObjectEvent is a commissioning-and-shipping ObjectEvent: a lot with quantity and
// unit, ILMD, a business transaction, and source and destination lists.
const benchObjectEvent = `{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",` +
	`{"cbvmda":"urn:epcglobal:cbv:mda:","tl":"https://traceledger.example/ns/"}],` +
	`"type":"ObjectEvent","eventTime":"2026-01-05T07:30:00+08:00","eventTimeZoneOffset":"+08:00",` +
	`"quantityList":[{"epcClass":"https://id.gs1.org/01/06900000000014/10/M260105-%dA","quantity":3804,"uom":"KGM"}],` +
	`"action":"ADD","bizStep":"shipping","disposition":"in_transit",` +
	`"readPoint":{"id":"https://id.gs1.org/414/6900000000014"},"bizLocation":{"id":"https://id.gs1.org/414/6900000000014"},` +
	`"bizTransactionList":[{"type":"desadv","bizTransaction":"urn:epcglobal:cbv:bt:6900000000007:DA260105-%d-1"}],` +
	`"sourceList":[{"type":"owning_party","source":"https://id.gs1.org/417/6900000000007"},` +
	`{"type":"location","source":"https://id.gs1.org/414/6900000000014"}],` +
	`"destinationList":[{"type":"owning_party","destination":"https://id.gs1.org/417/6900006000001"},` +
	`{"type":"location","destination":"https://id.gs1.org/414/6900006000018"}],` +
	`"ilmd":{"cbvmda:bestBeforeDate":"2026-01-07","cbvmda:countryOfOrigin":"CN","tl:productionDate":"2026-01-05"}}`

// benchTransformationEvent turns two raw milk lots into a pasteurised lot.
const benchTransformationEvent = `{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",` +
	`{"cbvmda":"urn:epcglobal:cbv:mda:","tl":"https://traceledger.example/ns/"}],` +
	`"type":"TransformationEvent","eventTime":"2026-01-05T11:00:00+08:00","eventTimeZoneOffset":"+08:00",` +
	`"inputQuantityList":[{"epcClass":"https://id.gs1.org/01/06900000000014/10/M260105-%dA","quantity":3804,"uom":"KGM"},` +
	`{"epcClass":"https://id.gs1.org/01/06900002000012/10/M260105-0B","quantity":3746,"uom":"KGM"}],` +
	`"outputQuantityList":[{"epcClass":"https://id.gs1.org/01/06900006000018/10/P260105-%d","quantity":7323,"uom":"LTR"}],` +
	`"bizStep":"commissioning","disposition":"active",` +
	`"readPoint":{"id":"https://id.gs1.org/414/6900006000018"},"bizLocation":{"id":"https://id.gs1.org/414/6900006000018"},` +
	`"ilmd":{"cbvmda:bestBeforeDate":"2026-01-12","cbvmda:countryOfOrigin":"CN","tl:productionDate":"2026-01-05"}}`

var benchEvents = []struct{ name, tmpl string }{
	{"object", benchObjectEvent},
	{"transformation", benchTransformationEvent},
}

// benchEvent is event i of a template (its lot numbers vary with i).
func benchEvent(tmpl string, i int) string { return fmt.Sprintf(tmpl, i, i) }

// benchDocument is an EPCISDocument of n events made from one template.
func benchDocument(tmpl string, n int) []byte {
	var b strings.Builder
	b.WriteString(`{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",` +
		`{"cbvmda":"urn:epcglobal:cbv:mda:","tl":"https://traceledger.example/ns/"}],` +
		`"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-01-05T08:00:00Z","epcisBody":{"eventList":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(benchEvent(tmpl, i))
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

func benchParsed(b *testing.B, tmpl string) *Event {
	b.Helper()
	e, err := ParseEvent([]byte(benchEvent(tmpl, 7)), nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := e.Validate(); err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkIngest measures each step of the capture path per event, and the whole path.
func BenchmarkIngest(b *testing.B) {
	for _, be := range benchEvents {
		b.Run(be.name+"/parse1", func(b *testing.B) {
			doc := benchDocument(be.tmpl, 1)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseDocument(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(be.name+"/parse1000", func(b *testing.B) {
			doc := benchDocument(be.tmpl, 1000)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseDocument(doc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/event")
		})
		b.Run(be.name+"/validate", func(b *testing.B) {
			e := benchParsed(b, be.tmpl)
			b.ReportAllocs()
			for b.Loop() {
				if err := e.Validate(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(be.name+"/hashid", func(b *testing.B) {
			e := benchParsed(b, be.tmpl)
			b.ReportAllocs()
			for b.Loop() {
				e.HashID()
			}
		})
		b.Run(be.name+"/canonical", func(b *testing.B) {
			e := benchParsed(b, be.tmpl)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.CanonicalJSON(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(be.name+"/keys", func(b *testing.B) {
			e := benchParsed(b, be.tmpl)
			b.ReportAllocs()
			for b.Loop() {
				e.Keys()
			}
		})
		b.Run(be.name+"/ingest", func(b *testing.B) {
			doc := benchDocument(be.tmpl, 1)
			b.ReportAllocs()
			for b.Loop() {
				d, err := ParseDocument(doc)
				if err != nil {
					b.Fatal(err)
				}
				if _, _, _, err := d.Events[0].Ingest(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(be.name+"/all", func(b *testing.B) {
			doc := benchDocument(be.tmpl, 1)
			b.ReportAllocs()
			for b.Loop() {
				d, err := ParseDocument(doc)
				if err != nil {
					b.Fatal(err)
				}
				if err := d.Validate(); err != nil {
					b.Fatal(err)
				}
				e := d.Events[0]
				e.HashID()
				if _, err := e.CanonicalJSON(); err != nil {
					b.Fatal(err)
				}
				e.Keys()
			}
		})
	}
}

// BenchmarkVerify measures verify's per-entry path (ledger.EPCISIndexer): the stored
// canonical bytes read back, hashed and indexed again by HashAndKeys.
func BenchmarkVerify(b *testing.B) {
	for _, be := range benchEvents {
		b.Run(be.name, func(b *testing.B) {
			stored, err := benchParsed(b, be.tmpl).CanonicalJSON()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := HashAndKeys(stored); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkIngestBaseline is what the machine does with the same bytes at the least,
// in the same run: check the one-event document is JSON (encoding/json.Valid, no
// allocation) and SHA-256 its stored form. Ingest and verify figures read best as
// ratios to these.
func BenchmarkIngestBaseline(b *testing.B) {
	for _, be := range benchEvents {
		doc := benchDocument(be.tmpl, 1)
		stored, err := benchParsed(b, be.tmpl).CanonicalJSON()
		if err != nil {
			b.Fatal(err)
		}
		b.Run(be.name+"/jsonvalid", func(b *testing.B) {
			for b.Loop() {
				if !json.Valid(doc) {
					b.Fatal("invalid")
				}
			}
		})
		b.Run(be.name+"/sha256", func(b *testing.B) {
			for b.Loop() {
				sha256.Sum256(stored)
			}
		})
	}
}
