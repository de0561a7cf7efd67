package epcis

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
)

func checkMarshal(t testing.TB, name string, e *Event) {
	t.Helper()
	got, _ := e.MarshalJSON()
	if want := e.treeMarshalJSON(); !bytes.Equal(got, want) {
		t.Errorf("%s: MarshalJSON and the JSON tree differ:\nwriter %s\ntree   %s", name, got, want)
	}
}

func TestMarshalJSONMatchesTree(t *testing.T) {
	for _, be := range benchEvents {
		checkMarshal(t, be.name, mustEvent(t, benchEvent(be.tmpl, 1)))
	}
	checkMarshal(t, "lotEvent", mustEvent(t, lotEvent))
	checkMarshal(t, "referenceEvent", mustEvent(t, referenceEvent))
	checkMarshal(t, "empty", &Event{})
	checkMarshal(t, "empty with a prefix", &Event{Namespaces: map[string]string{"ex": "https://ex.example/"},
		HashIgnore: []string{"ex:a"}})
	// XML events too (extension fields in their XML shape, booleans as written).
	base, vs := readHashVectors(t)
	for _, v := range vs {
		if doc, err := readAny(filepath.Join(base, v.file)); err == nil && v.index < len(doc.Events) {
			checkMarshal(t, v.file, doc.Events[v.index])
		}
	}
	for name, e := range sharedEvents(t) {
		checkMarshal(t, name, e)
		c := *e
		if c.Normalize() == nil {
			checkMarshal(t, name+" normalized", &c)
		}
	}
}

func FuzzMarshalJSON(f *testing.F) {
	for _, be := range benchEvents {
		f.Add([]byte(benchEvent(be.tmpl, 1)))
	}
	f.Add([]byte(lotEvent))
	f.Add([]byte(referenceEvent))
	f.Add([]byte(`{"@context":[{"ex":"https://ex.example/","tl":"x:"}],"type":"ObjectEvent","bizStep":"ex:step",` +
		`"quantityList":[{"epcClass":"tl:c","quantity":"1x","ex:q":{"tl:r":["ex:s",1]}}],"errorDeclaration":{"reason":"ex:r","ex:e":1},` +
		`"readPoint":{"id":"x","ex:l":"<&>"},"ilmd":{"ex:a":" \u2028 "},"ex:b":null,"ex:c":[true],"ex:ignoreFields":["ex:b"],` +
		`"sensorElementList":[{"sensorMetadata":{"time":"t"},"sensorReport":[{"type":"ex:T","value":1,"booleanValue":true}]}]}`))
	seedFiles(f, "*.jsonld")
	seedFiles(f, "*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseDocument(data)
		if err != nil {
			return
		}
		for i, e := range doc.Events {
			checkMarshal(t, fmt.Sprint("event ", i), e)
			c := *e
			if c.Normalize() == nil {
				checkMarshal(t, fmt.Sprint("normalized event ", i), &c)
			}
		}
	})
}
