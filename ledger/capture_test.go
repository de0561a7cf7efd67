package ledger_test

import (
	"context"
	"testing"

	"traceledger/fixtures"
	"traceledger/ledger"
)

// TestCaptureDemoChain stores the demo supply chain through the EPCIS indexer and
// checks what every later journey relies on: idempotent capture, verification, a
// lot's history and the genealogy edges of its transformation.
func TestCaptureDemoChain(t *testing.T) {
	ds := fixtures.Demo()
	l, err := ledger.Open(t.TempDir(), ledger.DefaultOptions().WithIndexer(ledger.EPCISIndexer))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	for i, ev := range ds.Events {
		got, err := l.Capture(ctx, ds.Recorders[i], ev)
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if got[0].EventID != ev.HashID() || got[0].Duplicate {
			t.Fatalf("event %d stored as %+v, want new entry with ID %s", i, got[0], ev.HashID())
		}
	}
	if n := l.Size(); n != int64(len(ds.Events)) {
		t.Fatalf("size %d, want %d", n, len(ds.Events))
	}
	again, err := l.Capture(ctx, ds.Recorders[0], ds.Events[0])
	if err != nil || !again[0].Duplicate || again[0].Index != 0 {
		t.Fatalf("capturing event 0 again: %+v, %v; want duplicate of entry 0", again, err)
	}
	rep, err := l.Verify(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK {
		t.Fatalf("verify: %+v", rep)
	}
	yogurt := ds.Codes.YogurtLot
	hist, err := l.History(yogurt)
	if err != nil || len(hist) == 0 {
		t.Fatalf("history of %s: %d entries, %v", yogurt, len(hist), err)
	}
	in, err := l.EdgesTo(yogurt)
	if err != nil {
		t.Fatal(err)
	}
	var fromPasteurised bool
	for _, e := range in {
		if e.From == ds.Codes.PasteurisedLot && e.Kind == ledger.EdgeTransform {
			fromPasteurised = true
		}
	}
	if !fromPasteurised {
		t.Fatalf("edges into %s: %+v, want a transform edge from %s", yogurt, in, ds.Codes.PasteurisedLot)
	}
}
