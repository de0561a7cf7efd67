package registry

import (
	"errors"
	"fmt"
	"time"

	"traceledger/ledger"
)

// A Change is one registry record of a firm as the ledger holds it: what the
// firm's record said after the change, who made it, why, and where the record is.
type Change struct {
	// Entry is the record's index in the log; RecordTime when the log recorded it.
	Entry      int64
	RecordTime time.Time
	// RecordID is the record's ID (its entry's event ID).
	RecordID string
	// Type is TypeFirmRegistration or TypeFirmUpdate.
	Type string
	// By and Reason are the record's: the acting firm and the reason given.
	By, Reason string
	// Firm is the firm's state after the change.
	Firm *Firm
}

// FirmHistory returns a firm's registration and every change to it, newest first,
// read from the firm's chain on the ledger (each link checked): the registry part
// of its quality-credit file.
func (r *Registry) FirmHistory(uscc string) ([]Change, error) {
	entries, err := r.log.History(FirmCode(uscc))
	if errors.Is(err, ledger.ErrUnknownCode) {
		return nil, fmt.Errorf("%w: %s", ErrUnknownFirm, uscc)
	}
	if err != nil {
		return nil, fmt.Errorf("registry: history of %s: %w", uscc, err)
	}
	out := make([]Change, len(entries))
	for i, e := range entries {
		rec, err := ParseRecord(e.Event)
		if err != nil {
			return nil, fmt.Errorf("registry: entry %d: %w", e.Index, err)
		}
		if rec.Firm == nil {
			return nil, fmt.Errorf("registry: entry %d under %s holds no firm", e.Index, FirmCode(uscc))
		}
		out[i] = Change{Entry: e.Index, RecordTime: e.RecordTime, RecordID: e.EventID, Type: rec.Type,
			By: rec.By, Reason: rec.Reason, Firm: rec.Firm}
	}
	return out, nil
}
