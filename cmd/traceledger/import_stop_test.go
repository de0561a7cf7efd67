package main

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"traceledger/fixtures"
	"traceledger/ledger"
	"traceledger/ledger/epcis"
)

// TestImportStopsPreparingWhenAnAppendFails appends a document of several batches to
// a closed log: the first append fails, and the goroutine preparing the next batches
// must end with the import instead of waiting forever to hand one over.
func TestImportStopsPreparingWhenAnAppendFails(t *testing.T) {
	gen, err := fixtures.NewGenerator(fixtures.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	doc := &epcis.Document{Type: "EPCISDocument"}
	for range 5 * importBatch { // one batch taken, two buffered, more to prepare
		e, _ := gen.Next()
		doc.Events = append(doc.Events, e)
	}
	l, err := ledger.Open(t.TempDir(), ledgerOptions())
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	im := importer{log: l, out: io.Discard, errOut: io.Discard}
	err = im.document(context.Background(), "doc.jsonld", doc)
	if !errors.Is(err, ledger.ErrClosed) || exitStatus(err) != 2 {
		t.Fatalf("import into a closed log: %v (exit %d), want ledger.ErrClosed, exit 2", err, exitStatus(err))
	}
	// The preparer has signalled its end when document returns; give it a moment
	// to be gone from the goroutine list (it may still be returning).
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "(*importer).document.func") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the batch preparer outlived the import:\n%s", stacks)
		}
	}
}

// TestStreamedImportFailsWhole streams a document of many chunks into a closed
// log: batches stay in flight from one chunk to the next, so the failure must
// still end the import with the log's error and nothing left waiting.
func TestStreamedImportFailsWhole(t *testing.T) {
	file := writeDocFile(t, syntheticEvents(t, 2, 100))
	streamInChunks(t, 7)
	l, err := ledger.Open(t.TempDir(), ledgerOptions())
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	im := importer{log: l, out: io.Discard, errOut: io.Discard}
	handled, rejected, err := im.streamFile(context.Background(), file)
	if !handled || rejected != nil || !errors.Is(err, ledger.ErrClosed) || exitStatus(err) != 2 {
		t.Fatalf("streamed import into a closed log: handled %v, rejected %v, err %v (exit %d); want ledger.ErrClosed, exit 2",
			handled, rejected, err, exitStatus(err))
	}
	if len(im.inFlight) != 0 {
		t.Fatalf("%d batches left in flight", len(im.inFlight))
	}
}
