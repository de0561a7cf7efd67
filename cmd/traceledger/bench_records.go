package main

import (
	"fmt"

	"traceledger/fixtures"
	"traceledger/ledger"
)

// syntheticRecords returns the i-th record of the synthetic supply chain of seed, as
// the bench commands append it: the event's canonical bytes, the recording firm and
// the index keys derived from the event in hand (as import and Capture do; Verify
// re-derives them from the stored bytes). Records must be asked for in order from
// 0; asking for 0 again restarts the chain, so a second pass (ledger.Bench's ledger
// after its baseline) gets the same events. failed reports the first event that
// had no canonical form.
func syntheticRecords(seed uint64) (records func(i int) ledger.Record, failed func() error, err error) {
	gen, err := fixtures.NewGenerator(fixtures.Config{Seed: seed})
	if err != nil {
		return nil, nil, err
	}
	var genErr error
	records = func(i int) ledger.Record {
		if i == 0 {
			gen.Reset()
		}
		e, by := gen.Next()
		b, err := e.CanonicalJSON()
		if err != nil && genErr == nil {
			genErr = fmt.Errorf("synthetic event %d: %w", i, err)
		}
		k := ledger.EPCISKeys(e)
		return ledger.Record{Event: b, Firm: by, Keys: &k}
	}
	return records, func() error { return genErr }, nil
}
