package epcis

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The canonical reader must read exactly what the general one reads, to the same
// Event, for every input it takes; these tests hold the two to it on our own events,
// on the shared example documents, on near-canonical inputs it must refuse, and on
// fuzzed ones (canonread_generator_test.go adds the synthetic supply chain).

// checkCanonicalReader compares the two readers on data (as it is, and with namespaces
// given from outside) and reports whether the canonical reader took it.
func checkCanonicalReader(t testing.TB, name string, data []byte) (fast bool) {
	t.Helper()
	checkHashAndKeys(t, name, data)
	for _, ns := range []map[string]string{nil, {"ex": "https://ex.example/", "tl": "urn:other:"}} {
		got, ok := readCanonical(data, ns)
		if !ok {
			continue
		}
		fast = true
		want, err := parseEventGeneral(data, ns)
		if err != nil {
			t.Errorf("%s: the canonical reader takes what the general one refuses (%v):\n%s", name, err, data)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the readers differ on\n%s\ncanonical %+v\ngeneral   %+v", name, data, got, want)
			continue
		}
		if got.HashID() != want.treeHashID() {
			t.Errorf("%s: hash IDs differ:\ncanonical %s\ngeneral   %s", name, got.PreHash(), want.treePreHash())
		}
		if gk, wk := got.Keys(), oracleKeys(want); !reflect.DeepEqual(gk, wk) {
			t.Errorf("%s: keys differ:\ncanonical %+v\ngeneral   %+v", name, gk, wk)
		}
	}
	return fast
}

// checkHashAndKeys compares HashAndKeys with the hash ID and keys of the event the
// general reader reads, by the general algorithms.
func checkHashAndKeys(t testing.TB, name string, data []byte) {
	t.Helper()
	h, k, err := HashAndKeys(data)
	want, wantErr := parseEventGeneral(data, nil)
	switch {
	case wantErr != nil:
		if err == nil {
			t.Errorf("%s: HashAndKeys takes what the general reader refuses (%v)", name, wantErr)
		}
	case err != nil:
		t.Errorf("%s: HashAndKeys: %v", name, err)
	case h != want.treeHashID():
		t.Errorf("%s: HashAndKeys gives hash ID %s, the general algorithm %s", name, h, want.treeHashID())
	case !reflect.DeepEqual(k, oracleKeys(want)):
		t.Errorf("%s: HashAndKeys gives keys\n%+v\nthe general ones are\n%+v", name, k, oracleKeys(want))
	default:
		// What it returns is its own: the caller may reuse its buffer.
		buf := bytes.Clone(data)
		h2, k2, _ := HashAndKeys(buf)
		for i := range buf {
			buf[i] = 'x'
		}
		if h2 != h || !reflect.DeepEqual(k2, k) {
			t.Errorf("%s: HashAndKeys's keys changed with the caller's buffer:\n%+v\nwant %+v", name, k2, k)
		}
	}
}

// treeHashID is the hash ID by the general algorithm alone.
func (e *Event) treeHashID() string {
	return formatHashID(sha256.Sum256([]byte(e.treePreHash())))
}

// storedForms are an event's bytes as the ledger stores them (CanonicalJSON, when the
// event has one) and as MarshalJSON writes the event as it is.
func storedForms(t testing.TB, e *Event) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	if data, err := e.CanonicalJSON(); err == nil {
		out["canonical"] = data
	}
	data, err := e.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	out["marshalled"] = data
	return out
}

// canonicalReaderEvents are our own events, meant to reach every branch of the
// canonical reader in their stored form.
var canonicalReaderEvents = map[string]string{
	"lotEvent":       lotEvent,
	"referenceEvent": referenceEvent,
	"every field": `{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",{"ex":"https://ex.example/"}],` +
		`"type":"AggregationEvent","eventTime":"2020-01-01T00:00:00.123456+05:30","eventTimeZoneOffset":"+05:30",` +
		`"recordTime":"2020-01-02T00:00:00Z","eventID":"urn:uuid:1","certificationInfo":["https://a.example/1","ex:two"],` +
		`"parentID":"https://id.gs1.org/00/106141411234567897","childEPCs":["https://id.gs1.org/01/09520123456788/21/1"],` +
		`"childQuantityList":[{"epcClass":"https://id.gs1.org/01/09520123456788","quantity":1.50,"uom":"KGM"},{"epcClass":"x"},{"quantity":-0.5e3}],` +
		`"action":"ADD","bizStep":"urn:epcglobal:cbv:bizstep:packing","disposition":"ex:mine",` +
		`"persistentDisposition":{"set":["recalled"],"unset":[]},"readPoint":{"id":"urn:epc:id:sgln:0614141.00777.0"},` +
		`"bizLocation":{"id":"https://id.gs1.org/414/9520123456788"},` +
		`"bizTransactionList":[{"type":"po","bizTransaction":"https://po.example/?a=1&b=<2>"},{"bizTransaction":"urn:x"},{"type":"ex:t"}],` +
		`"sourceList":[{"type":"possessing_party","source":"https://id.gs1.org/417/9520123456788"},{"source":"ex:s"}],` +
		`"destinationList":[{"type":"location","destination":"https://id.gs1.org/414/9520123456788/254/a"}],` +
		`"ilmd":{"ex:lotNumber":"L1","ex:n":2.50,"ex:b":true,"ex:z":null,"ex:o":{"ex:p":["é","°T",{"ex:q":[]}],"ex:r":{}},"ex:amp":"a&b","ex:ls":"\u2028"},` +
		`"ex:top":"x","comment":"not hashed","ex:list":[1,"2"],"ex:ignoreFields":["ex:top"]}`,
	"certificationInfo string": `{"type":"ObjectEvent","eventTime":"2020-01-01T00:00:00Z","eventTimeZoneOffset":"+00:00",` +
		`"certificationInfo":"https://cert.example/1","epcList":[],"action":"OBSERVE"}`,
	"transformation": `{"type":"TransformationEvent","eventTime":"2020-01-01T00:00:00Z","eventTimeZoneOffset":"+00:00",` +
		`"inputEPCList":["urn:epc:id:sgtin:0614141.107346.2017"],"outputEPCList":["https://example.com/01/09520123456788/21/9"],` +
		`"inputQuantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.998877","quantity":200,"uom":"KGM"}],` +
		`"outputQuantityList":[],"transformationID":"urn:epc:id:gdti:0614141.12345.400","bizStep":"commissioning"}`,
	"empty event": `{}`,
	"escapes": `{"type":"Object\u0045vent","eventTime":"2020-01-01T00:00:00Z","eventID":"a\"b\/c\ud83d\ude00\ud800",` +
		"\"action\":\"A\xffD\"," + `"bizStep":"é","ilmd":{"ex:a":"x\u0026y\n","ex:\u00e9":1}}`,
}

// ownEventDocs are the one-event documents of this package's tests by name: the
// canonical reader's cases and the benchmark events.
func ownEventDocs() map[string]string {
	docs := map[string]string{}
	for name, doc := range canonicalReaderEvents {
		docs[name] = doc
	}
	for _, be := range benchEvents {
		docs[be.name] = benchEvent(be.tmpl, 3)
	}
	return docs
}

// TestCanonicalReaderMatchesGeneral: on the stored forms of our events the canonical
// reader reads them, to the Event the general one reads.
func TestCanonicalReaderMatchesGeneral(t *testing.T) {
	for name, doc := range ownEventDocs() {
		checkCanonicalReader(t, name+" as written", []byte(doc))
		for form, data := range storedForms(t, mustEvent(t, doc)) {
			if !checkCanonicalReader(t, name+" "+form, data) {
				t.Errorf("%s %s: the canonical reader does not take it:\n%s", name, form, data)
			}
		}
	}
}

// TestCanonicalReaderMatchesGeneralOnSharedEvents runs the comparison over the stored
// forms of every JSON-LD event of the official vectors and the valid capture
// documents; only events with sensor data or an error declaration may take the general
// reader.
func TestCanonicalReaderMatchesGeneralOnSharedEvents(t *testing.T) {
	fast, all := 0, 0
	for name, e := range sharedEvents(t) {
		for form, data := range storedForms(t, e) {
			all++
			if checkCanonicalReader(t, name+" "+form, data) {
				fast++
			} else if len(e.SensorElementList) == 0 && e.ErrorDeclaration == nil && !hasInnerExtensions(e) {
				t.Errorf("%s %s: the canonical reader does not take it:\n%s", name, form, data)
			}
		}
	}
	t.Logf("the canonical reader takes %d of %d stored forms", fast, all)
}

// hasInnerExtensions reports whether an event has extension fields inside a quantity
// element or a location, which the canonical reader leaves to the general one.
func hasInnerExtensions(e *Event) bool {
	for _, l := range [...][]Quantity{e.QuantityList, e.ChildQuantityList, e.InputQuantityList, e.OutputQuantityList} {
		for _, q := range l {
			if len(q.Extensions) > 0 {
				return true
			}
		}
	}
	for _, l := range [...]*Location{e.ReadPoint, e.BizLocation} {
		if l != nil && len(l.Extensions) > 0 {
			return true
		}
	}
	return false
}

// TestCanonicalReaderRefuses: what is not in the writer's form, or reads with a fault
// or otherwise than as its bytes, goes to the general reader.
func TestCanonicalReaderRefuses(t *testing.T) {
	const ok = `{"type":"ObjectEvent","eventTime":"2020-01-01T00:00:00Z","action":"ADD"}`
	if _, took := readCanonical([]byte(ok), nil); !took {
		t.Fatalf("the canonical reader does not take %s", ok)
	}
	for _, tc := range []struct{ name, data string }{
		{"space between members", `{"type":"ObjectEvent", "action":"ADD"}`},
		{"space after colon", `{"type": "ObjectEvent"}`},
		{"trailing newline", ok + "\n"},
		{"leading space", " " + ok},
		{"trailing data", ok + "{}"},
		{"control character", "{\"type\":\"a\tb\"}"},
		{"out of order", `{"action":"ADD","type":"ObjectEvent"}`},
		{"repeated member", `{"type":"ObjectEvent","type":"AggregationEvent"}`},
		{"context not first", `{"type":"ObjectEvent","@context":{"ex":"https://ex.example/"}}`},
		{"context keyword", `{"@context":{"@vocab":"https://ex.example/"},"type":"ObjectEvent"}`},
		{"context term object", `{"@context":{"ex":{"@id":"https://ex.example/"}},"type":"ObjectEvent"}`},
		{"standard after extension", `{"ex:a":"1","type":"ObjectEvent"}`},
		{"unknown member", `{"type":"ObjectEvent","colour":"red"}`},
		{"error declaration", `{"type":"ObjectEvent","errorDeclaration":{"declarationTime":"2020-01-01T00:00:00Z"}}`},
		{"sensor data", `{"type":"ObjectEvent","sensorElementList":[{"sensorReport":[{"type":"Temperature","value":1}]}]}`},
		{"number for a string", `{"type":"ObjectEvent","action":1}`},
		{"null for a string", `{"type":null}`},
		{"string for a list", `{"epcList":"https://id.gs1.org/01/09520123456788/21/1"}`},
		{"number in a list", `{"epcList":[1]}`},
		{"string quantity", `{"quantityList":[{"epcClass":"x","quantity":"1"}]}`},
		{"bad number", `{"quantityList":[{"quantity":01}]}`},
		{"bad exponent", `{"quantityList":[{"quantity":1e}]}`},
		{"quantity members out of order", `{"quantityList":[{"quantity":1,"epcClass":"x"}]}`},
		{"quantity extension", `{"quantityList":[{"epcClass":"x","ex:a":"1"}]}`},
		{"location extension", `{"readPoint":{"id":"x","ex:a":"1"}}`},
		{"location id twice", `{"readPoint":{"id":"x","id":"y"}}`},
		{"location id number", `{"readPoint":{"id":7}}`},
		{"source with a bizTransaction", `{"sourceList":[{"type":"location","bizTransaction":"x"}]}`},
		{"source extension", `{"sourceList":[{"type":"location","source":"x","ex:a":"1"}]}`},
		{"persistent members out of order", `{"persistentDisposition":{"unset":[],"set":[]}}`},
		{"ILMD standard name", `{"ilmd":{"lotNumber":"1"}}`},
		{"ILMD not an object", `{"ilmd":["ex:a"]}`},
		{"extension with another escape", `{"ex:a":"\u0041"}`},
		{"extension name with another escape", `{"ex:a":{"ex:\u0062":1}}`},
		{"extension with invalid UTF-8", "{\"ex:a\":\"\xc3\"}"},
		{"extension with spaces", `{"ex:a":{"ex:b": 1}}`},
		{"extension name with an HTML character", `{"ex:a":{"ex:<b>":1}}`},
		{"extension with a bad literal", `{"ex:a":tru}`},
		{"extension with a trailing comma", `{"ex:a":[1,]}`},
		{"unterminated", `{"type":"ObjectEvent"`},
		{"unterminated string", `{"type":"ObjectEvent}`},
		{"not an object", `["type"]`},
		{"ignoreFields of numbers", `{"ex:ignoreFields":[1]}`},
		{"deep extension", `{"ex:a":` + strings.Repeat("[", canonDepth+2) + strings.Repeat("]", canonDepth+2) + `}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if e, took := readCanonical([]byte(tc.data), nil); took {
				t.Errorf("the canonical reader takes %s: %+v", tc.data, e)
			}
			// ParseEvent then reads it the general way, and HashAndKeys too.
			checkHashAndKeys(t, tc.name, []byte(tc.data))
			got, gotErr := ParseEvent([]byte(tc.data), nil)
			want, wantErr := parseEventGeneral([]byte(tc.data), nil)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
				t.Errorf("ParseEvent differs from the general reader: %v %+v, want %v %+v", gotErr, got, wantErr, want)
			}
		})
	}
}

// FuzzCanonicalReader: on any input, and on the stored form of any event read from it,
// the canonical reader either refuses or reads what the general reader reads.
func FuzzCanonicalReader(f *testing.F) {
	for _, doc := range canonicalReaderEvents {
		f.Add([]byte(doc))
		if e, err := ParseEvent([]byte(doc), nil); err == nil {
			if data, err := e.MarshalJSON(); err == nil {
				f.Add(data)
			}
		}
	}
	for _, be := range benchEvents {
		if data, err := mustEvent(f, benchEvent(be.tmpl, 1)).CanonicalJSON(); err == nil {
			f.Add(data)
		}
	}
	seedFiles(f, "*.jsonld")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkCanonicalReader(t, "input", data)
		doc, err := ParseDocument(data)
		if err != nil || len(doc.Events) > 16 {
			return
		}
		for i, e := range doc.Events {
			if out, err := e.MarshalJSON(); err == nil {
				checkCanonicalReader(t, fmt.Sprint("stored event ", i), out)
			}
		}
	})
}
