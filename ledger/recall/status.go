package recall

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
)

// A Notice is the recall in force on a code, for the resolver's recall banner and the
// API: which recall, why, since when, and the event that published it.
type Notice struct {
	ID      string    `json:"id"`
	Reason  string    `json:"reason"`
	Since   time.Time `json:"since"`
	EventID string    `json:"eventID"`
	Entry   int64     `json:"entry"`
}

// A History is what Recalled needs of the log: a code's entries, newest first.
// *ledger.Log satisfies it.
type History interface {
	History(code string) ([]*ledger.Entry, error)
}

// Recalled returns the recall in force on a code (a canonical Digital Link), or nil:
// the newest event of the code's chain whose persistentDisposition sets "recalled",
// unless a newer one unsets it (the recall was lifted). A code the ledger does not
// know is not recalled. Recall events name every affected lot and its affected
// instances, so instances need no walk to their lot.
func Recalled(h History, code string) (*Notice, error) {
	entries, err := h.History(code)
	if errors.Is(err, ledger.ErrUnknownCode) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("recall: history of %s: %w", code, err)
	}
	for _, en := range entries { // newest first
		ev, err := epcis.ParseEvent(en.Event, nil)
		if err != nil {
			return nil, fmt.Errorf("recall: entry %d: %w", en.Index, err)
		}
		k := ev.Keys()
		if slices.Contains(k.PersistentUnset, "recalled") {
			return nil, nil
		}
		if !slices.Contains(k.PersistentSet, "recalled") {
			continue
		}
		n := &Notice{Since: k.EventTime, EventID: en.EventID, Entry: en.Index}
		for _, f := range ev.Extensions {
			if f.Name == RecallField {
				var v struct{ ID, Reason string }
				if json.Unmarshal(f.Value, &v) == nil {
					n.ID, n.Reason = v.ID, v.Reason
				}
			}
		}
		return n, nil
	}
	return nil, nil
}
