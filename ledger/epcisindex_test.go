package ledger

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"traceledger/fixtures"
	"traceledger/fixtures/testenv"
	"traceledger/ledger/epcis"
)

// TestEPCISKeysMatchIndexer holds Capture's shortcut to the Indexer: the keys
// derived from an event in hand (EPCISKeys, what Capture passes in Record.Keys)
// must equal those EPCISIndexer derives from its stored canonical bytes, or a
// captured log would fail Verify.
func TestEPCISKeysMatchIndexer(t *testing.T) {
	var events []*epcis.Event
	gen, err := fixtures.NewGenerator(fixtures.Config{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	for ev := range gen.Events(3000) {
		events = append(events, ev)
	}
	events = append(events, fixtures.Demo().Events...)
	t.Run("generator", func(t *testing.T) { checkEPCISKeys(t, events) })
	t.Run("openepcis", func(t *testing.T) {
		dir := testenv.Shared(t, "testdata/epcis/openepcis-test-resources/JSON/Capture")
		events := events[:0:0]
		_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") || strings.Contains(path, "Invalid") {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := epcis.ParseDocument(data)
			if err != nil || doc.Validate() != nil {
				return nil // not a valid capture document; the epcis tests say why
			}
			events = append(events, doc.Events...)
			return nil
		})
		if len(events) == 0 {
			t.Fatal("no valid capture document found")
		}
		checkEPCISKeys(t, events)
	})
}

func checkEPCISKeys(t *testing.T, events []*epcis.Event) {
	for i, ev := range events {
		b, err := ev.CanonicalJSON()
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		want, err := EPCISIndexer(b)
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		got := EPCISKeys(ev)
		if err := want.normalize(); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if err := got.normalize(); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("event %d:\n from the event %+v\n from its bytes %+v", i, got, want)
		}
	}
}

// TestEPCISIndexerReadsAnyForm: stored bytes not in the canonical form (indented
// here) take the general reader and give the same keys as the canonical bytes, which
// take the canonical one; and the keys do not change when the caller reuses the bytes
// (Verify passes the store's own buffers).
func TestEPCISIndexerReadsAnyForm(t *testing.T) {
	gen, err := fixtures.NewGenerator(fixtures.Config{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 300; i++ {
		ev, _ := gen.Next()
		b, err := ev.CanonicalJSON()
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		var indented bytes.Buffer
		if err := json.Indent(&indented, b, "", "  "); err != nil {
			t.Fatal(err)
		}
		buf := bytes.Clone(b)
		got, err := EPCISIndexer(buf)
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		clear(buf)
		want, err := EPCISIndexer(indented.Bytes())
		if err != nil {
			t.Fatalf("event %d indented: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("event %d:\n canonical %+v\n indented  %+v", i, got, want)
		}
	}
}
