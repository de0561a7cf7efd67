package epcis

import (
	"os"
	"path/filepath"
	"testing"
)

// seedFiles adds the shared example documents to a fuzz corpus when they are there
// (they are optional: the inline seeds suffice).
func seedFiles(f *testing.F, pattern string) {
	for _, dir := range []string{"../../../shared/testdata/epcis/hash-vectors-RalphTro/tests/examples",
		"../../../shared/testdata/epcis/openepcis-test-resources/JSON/Capture/Invalid"} {
		files, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil && len(data) < 64<<10 {
				f.Add(data)
			}
		}
	}
}

// FuzzParseDocument: no input makes the JSON-LD reader, the validator, the hash or the
// writer panic, and whatever reads also hashes the same after a write and a re-read.
func FuzzParseDocument(f *testing.F) {
	f.Add([]byte(lotEvent))
	f.Add([]byte(referenceEvent))
	f.Add([]byte(`{"@context":"x","type":"EPCISDocument","epcisBody":{"eventList":[` + lotEvent + `]}}`))
	f.Add([]byte(`{"type":"EPCISQueryDocument","epcisBody":{"queryResults":{"resultsBody":{"eventList":[{}]}}}}`))
	seedFiles(f, "*.jsonld")
	seedFiles(f, "*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseDocument(data)
		if err != nil {
			return
		}
		_ = doc.Validate()
		for _, e := range doc.Events {
			h := e.HashID()
			_ = e.Keys()
			out, err := e.MarshalJSON()
			if err != nil {
				t.Fatalf("MarshalJSON: %v", err)
			}
			back, err := ParseEvent(out, nil)
			if err != nil {
				t.Fatalf("re-reading %s: %v", out, err)
			}
			if back.HashID() != h {
				t.Fatalf("hash changed through MarshalJSON:\n%s\n%s", e.PreHash(), back.PreHash())
			}
			c := *e
			_ = c.Normalize()
		}
	})
}

// FuzzParseXMLDocument: no input makes the XML reader or the hash panic.
func FuzzParseXMLDocument(f *testing.F) {
	f.Add([]byte(`<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:ex="https://ex.example/"><EPCISBody><EventList>` +
		`<ObjectEvent><eventTime>2020-03-04T11:00:30.000+01:00</eventTime><eventTimeZoneOffset>+01:00</eventTimeZoneOffset>` +
		`<epcList><epc>urn:epc:id:sgtin:0614141.011111.987</epc></epcList><action>OBSERVE</action>` +
		`<bizTransactionList><bizTransaction type="po">urn:epc:id:gdti:4012345.11111.123</bizTransaction></bizTransactionList>` +
		`<sensorElementList><sensorElement><sensorReport type="gs1:Temperature" value="26.0"/></sensorElement></sensorElementList>` +
		`<ex:f a="1"><ex:g>2</ex:g><ex:g>3</ex:g></ex:f></ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>`))
	seedFiles(f, "*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseXMLDocument(data)
		if err != nil {
			return
		}
		_ = doc.Validate()
		for _, e := range doc.Events {
			_ = e.HashID()
			_ = e.Keys()
			if _, err := e.MarshalJSON(); err != nil {
				t.Fatalf("MarshalJSON: %v", err)
			}
		}
	})
}
