package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"traceledger/fixtures"
	"traceledger/ledger"
	"traceledger/ledger/epcis"
)

// TestImportStreamsLargeDocuments imports the same documents read whole and
// streamed in small chunks (the path of large files): the output is the same,
// the store verifies, and an invalid event far into a streamed document rejects
// it whole, named by its index in the document, with nothing stored.
func TestImportStreamsLargeDocuments(t *testing.T) {
	events := syntheticEvents(t, 11, 300)
	write := func(evs []*epcis.Event) string { return writeDocFile(t, evs) }
	file := write(events)
	stream := func(on bool) {
		if on {
			streamInChunks(t, 7)
		} else {
			size := streamMinSize
			t.Cleanup(func() { streamMinSize = size })
			streamMinSize = 1 << 62
		}
	}

	stream(false)
	whole, errOut, code := runImportCmd(t, "--data", filepath.Join(t.TempDir(), "store"), "--json", file)
	if code != 0 {
		t.Fatalf("read whole: exit %d: %s", code, errOut)
	}
	stream(true)
	data := filepath.Join(t.TempDir(), "store")
	streamed, errOut, code := runImportCmd(t, "--data", data, "--json", file)
	if code != 0 {
		t.Fatalf("streamed: exit %d: %s", code, errOut)
	}
	if streamed != whole || strings.Count(streamed, "\n") != len(events) {
		t.Fatalf("streamed import printed\n%.300s\nread whole\n%.300s", streamed, whole)
	}
	rep, err := ledger.Verify(data, ledgerOptions().WithReadOnly(true), nil)
	if err != nil || !rep.OK {
		t.Fatalf("verify: %+v %v", rep, err)
	}

	bad := append([]*epcis.Event(nil), events...)
	broken := *bad[250]
	broken.BizStep = "not-a-cbv-step"
	bad[250] = &broken
	data = filepath.Join(t.TempDir(), "store")
	out, errOut, code := runImportCmd(t, "--data", data, "--json", write(bad))
	if code != 1 || out != "" || !strings.Contains(errOut, "eventList[250].bizStep") {
		t.Fatalf("document with an invalid event 250: exit %d, out %q, err %q", code, out, errOut)
	}
	l, err := ledger.Open(data, ledgerOptions().WithReadOnly(true))
	if err == nil {
		defer l.Close()
		if n := l.Size(); n != 0 {
			t.Fatalf("%d events stored from a rejected document", n)
		}
	}
}

// FuzzWalkChunks: the streaming reader never panics, and when it reads a document
// in chunks and the document also reads whole, both have the same events.
func FuzzWalkChunks(f *testing.F) {
	var demo bytes.Buffer
	if err := epcis.WriteDocument(&demo, fixtures.Demo().Events[:5], time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		f.Fatal(err)
	}
	f.Add(demo.Bytes())
	f.Add([]byte(`{"@context":"https://ref.gs1.org/standards/epcis/epcis-context.jsonld","type":"EPCISDocument","epcisBody":{"eventList":[]}}`))
	f.Add([]byte(`{"type":"EPCISDocument","epcisBody":{"eventList":[{},{"type":"ObjectEvent"}]},"x":1}`))
	f.Add([]byte(`{"type":"EPCISQueryDocument","epcisBody":{"queryResults":{}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(t.TempDir(), "doc.jsonld")
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		chunk := streamChunk
		defer func() { streamChunk = chunk }()
		streamChunk = 2
		n := 0
		err := walkChunks(name, func(offset int, doc *epcis.Document) error {
			if offset != n {
				t.Fatalf("chunk at %d after %d events", offset, n)
			}
			n += len(doc.Events)
			return nil
		})
		if err != nil {
			return
		}
		if whole, err := epcis.ParseDocument(data); err == nil && len(whole.Events) != n {
			t.Fatalf("%d events in chunks, %d read whole", n, len(whole.Events))
		}
	})
}

// syntheticEvents returns the first n events of the synthetic supply chain of seed.
func syntheticEvents(t *testing.T, seed uint64, n int) []*epcis.Event {
	t.Helper()
	gen, err := fixtures.NewGenerator(fixtures.Config{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	var events []*epcis.Event
	for ev := range gen.Events(n) {
		events = append(events, ev)
	}
	return events
}

// writeDocFile writes events as one EPCIS document to a temporary file and
// returns its name.
func writeDocFile(t *testing.T, events []*epcis.Event) string {
	t.Helper()
	var doc bytes.Buffer
	if err := epcis.WriteDocument(&doc, events, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return writeTemp(t, "doc.jsonld", doc.String())
}

// streamInChunks makes import stream every file in chunks of n events until the
// test ends.
func streamInChunks(t *testing.T, n int) {
	size, chunk := streamMinSize, streamChunk
	t.Cleanup(func() { streamMinSize, streamChunk = size, chunk })
	streamMinSize, streamChunk = 0, n
}
