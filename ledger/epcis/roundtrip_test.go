package epcis

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"traceledger/fixtures/testenv"
)

// sharedEvents reads every JSON-LD event of the hash vectors and the valid capture
// documents.
func sharedEvents(t *testing.T) map[string]*Event {
	t.Helper()
	out := map[string]*Event{}
	files := validDocuments(t)
	ex, _ := filepath.Glob(filepath.Join(testenv.Shared(t, "testdata/epcis/hash-vectors-RalphTro/tests/examples"), "*.jsonld"))
	files = append(files, ex...)
	for _, f := range files {
		doc, err := readAny(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i, e := range doc.Events {
			out[filepath.Base(f)+"["+string(rune('0'+i%10))+"]"+strings.Repeat("'", i/10)] = e
		}
	}
	return out
}

// TestNormalizeKeepsHash: the canonical storage form has the hash ID of the event as
// captured, and reads back to the same hash.
func TestNormalizeKeepsHash(t *testing.T) {
	for name, e := range sharedEvents(t) {
		want := e.HashID()
		data, err := e.CanonicalJSON()
		if err != nil {
			if e.Validate() == nil {
				t.Errorf("%s: CanonicalJSON of a valid event: %v", name, err)
			}
			continue
		}
		var back Event
		if err := json.Unmarshal(data, &back); err != nil {
			t.Errorf("%s: reading canonical JSON back: %v\n%s", name, err, data)
			continue
		}
		if got := back.HashID(); got != want {
			t.Errorf("%s: canonical form hashes differently\n got %s\nwant %s\n%s", name, back.PreHash(), e.PreHash(), data)
		}
		if bytes.Contains(data, []byte("urn:epc:id:sgtin")) || bytes.Contains(data, []byte("urn:epcglobal:cbv:bizstep")) {
			t.Errorf("%s: canonical form keeps an EPC URI or CBV URN: %s", name, data)
		}
	}
}

// TestCanonicalJSONOfXMLEvents: an XML event is stored as JSON-LD under the same hash
// ID, or refused with ErrHashForm when the reference's XML/JSON-LD differences bite.
func TestCanonicalJSONOfXMLEvents(t *testing.T) {
	dir := testenv.Shared(t, "testdata/epcis/hash-vectors-RalphTro/tests/examples")
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	stored, refused := 0, 0
	for _, f := range files {
		doc, err := readAny(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range doc.Events {
			data, err := e.CanonicalJSON()
			switch {
			case errors.Is(err, ErrHashForm):
				refused++
				continue
			case err != nil:
				if e.Validate() == nil {
					t.Errorf("%s[%d]: %v", filepath.Base(f), i, err)
				}
				continue
			}
			back, err := ParseEvent(data, nil)
			if err != nil || back.HashID() != e.HashID() {
				t.Errorf("%s[%d]: canonical JSON does not keep the hash: %v", filepath.Base(f), i, err)
			}
			stored++
		}
	}
	t.Logf("%d XML events stored as JSON-LD with their hash ID, %d refused (ErrHashForm)", stored, refused)
}

func TestWriteDocumentRoundTrip(t *testing.T) {
	a, b := mustEvent(t, lotEvent), mustEvent(t, referenceEvent)
	var buf bytes.Buffer
	if err := WriteDocument(&buf, []*Event{a, b}, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	doc, err := ParseDocument(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(); err != nil {
		t.Fatalf("written document does not validate: %v\n%s", err, buf.String())
	}
	if len(doc.Events) != 2 || doc.Events[0].HashID() != a.HashID() || doc.Events[1].HashID() != b.HashID() {
		t.Fatalf("hashes changed through WriteDocument:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), `"tl": "https://traceledger.example/ns/"`) || !strings.Contains(buf.String(), `"ex": "https://ns.example.com/epcis/"`) {
		t.Errorf("@context does not declare the extension prefixes:\n%s", buf.String())
	}
}

func TestMarshalKeepsExtensions(t *testing.T) {
	e := mustEvent(t, lotEvent)
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"tl:bestBefore":"2026-03-15"`, `"tl:inspection":{"tl:result":"conformant","tl:sample":5}`,
		`"quantity":25.50`, `"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",{"tl":"https://traceledger.example/ns/"}]`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("MarshalJSON lacks %s:\n%s", want, data)
		}
	}
}

func TestReadDocumentForms(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		events    int
		err       string
	}{
		{"bare event", lotEvent, 1, ""},
		{"EPCISDocument", `{"@context":"x","type":"EPCISDocument","epcisBody":{"eventList":[` + lotEvent + `,` + lotEvent + `]}}`, 2, ""},
		{"single event body", `{"@context":"x","type":"EPCISDocument","epcisBody":{"event":` + lotEvent + `}}`, 1, ""},
		{"query document", `{"@context":"x","type":"EPCISQueryDocument","epcisBody":{"queryResults":{"resultsBody":{"eventList":[` + lotEvent + `]}}}}`, 1, ""},
		{"not JSON", `{"type":`, 0, "not valid JSON"},
		{"array", `[]`, 0, "want an object"},
		{"no body", `{"type":"EPCISDocument"}`, 0, `"epcisBody"`},
		{"unknown type", `{"type":"Foo","epcisBody":{}}`, 0, `"type"`},
		{"eventList not array", `{"type":"EPCISDocument","epcisBody":{"eventList":{}}}`, 0, "epcisBody.eventList"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ParseDocument([]byte(tc.doc))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one mentioning %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Events) != tc.events {
				t.Fatalf("%d events, want %d", len(doc.Events), tc.events)
			}
		})
	}
}
