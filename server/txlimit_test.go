package server

import (
	"context"
	"errors"
	"testing"

	"traceledger/ledger"
	"traceledger/ledger/registry"
)

// eventsBeyondOneTransaction returns a number of loadEvent events that one ledger
// Append, with the options startEPCIS opens its ledger with, refuses as too big for
// one transaction: it doubles from 1000 on a scratch ledger until Append says so.
func eventsBeyondOneTransaction(t *testing.T) int {
	t.Helper()
	l, err := ledger.Open(t.TempDir(), ledger.DefaultOptions().WithIndexer(registry.Indexer(ledger.EPCISIndexer)))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	next := int64(1)
	for n := 1000; n <= 1<<20; n *= 2 {
		recs := make([]ledger.Record, n)
		for i := range recs {
			recs[i] = ledger.Record{Event: loadEvent(next), Firm: "calibration"}
			next++
		}
		_, err := l.Append(context.Background(), recs...)
		if errors.Is(err, ledger.ErrBatchTooBig) {
			return n
		}
		if err != nil {
			t.Fatalf("appending %d events at once: %v", n, err)
		}
	}
	t.Fatal("the ledger took 2^20 events in one transaction")
	return 0
}
