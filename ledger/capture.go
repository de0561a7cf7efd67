package ledger

import (
	"context"
	"fmt"

	"traceledger/ledger/epcis"
)

// Capture validates EPCIS events and appends them, in their canonical storage form,
// as one atomic batch submitted by firm: either every event is stored (or found
// already stored: capture is idempotent by event hash ID) or none is. The log must
// have been opened with EPCISIndexer. Each event's index data is derived from the
// event in hand (EPCISKeys) rather than by parsing its canonical bytes again;
// Verify checks them against the stored bytes. Large calls use every core.
func (l *Log) Capture(ctx context.Context, firm string, events ...*epcis.Event) ([]Appended, error) {
	recs, err := captureRecords(firm, events...)
	if err != nil {
		return nil, err
	}
	return l.Append(ctx, recs...)
}

// captureRecords validates EPCIS events and returns their records as Capture
// appends them: canonical bytes, firm and index data (EPCISKeys).
func captureRecords(firm string, events ...*epcis.Event) ([]Record, error) {
	recs := make([]Record, len(events))
	keys := make([]IndexKeys, len(events))
	one := func(i int) error {
		ev := events[i]
		if err := ev.Validate(); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
		b, err := ev.CanonicalJSON()
		if err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
		keys[i] = EPCISKeys(ev)
		recs[i] = Record{Event: b, Firm: firm, Keys: &keys[i]}
		return nil
	}
	if err := inParallel(len(events), one); err != nil {
		return nil, err
	}
	return recs, nil
}
