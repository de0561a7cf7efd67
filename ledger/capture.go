package ledger

import (
	"context"
	"fmt"

	"traceledger/ledger/epcis"
)

// Capture validates EPCIS events and appends them, in their canonical storage form,
// as one atomic batch submitted by firm: either every event is stored (or found
// already stored: capture is idempotent by event hash ID) or none is. The log must
// have been opened with EPCISIndexer.
func (l *Log) Capture(ctx context.Context, firm string, events ...*epcis.Event) ([]Appended, error) {
	recs := make([]Record, len(events))
	for i, ev := range events {
		if err := ev.Validate(); err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
		b, err := ev.CanonicalJSON()
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
		recs[i] = Record{Event: b, Firm: firm}
	}
	return l.Append(ctx, recs...)
}
