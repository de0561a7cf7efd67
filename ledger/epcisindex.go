package ledger

import (
	"fmt"
	"slices"

	"traceledger/ledger/epcis"
)

// EPCISIndexer is the Indexer of a log of EPCIS 2.0 events: it reads an event's
// canonical JSON-LD (as epcis.Event.CanonicalJSON writes it) and derives its index
// data with EPCISKeys. Verify runs it on every stored event, so the indexes are
// always checked against the stored event alone; Append runs it unless the record
// carries the keys already (Capture derives them from the event it holds).
//
// It reads the event with epcis.HashAndKeys, which gives what ParseEvent, HashID and
// Keys give without keeping the Event: verify's hot path.
func EPCISIndexer(event []byte) (IndexKeys, error) {
	id, k, err := epcis.HashAndKeys(event)
	if err != nil {
		return IndexKeys{}, fmt.Errorf("ledger: stored event: %w", err)
	}
	return indexKeys(id, k), nil
}

// EPCISKeys is the one conversion of an EPCIS event into the log's index data: its
// CBV 2.0 event hash ID and its epcis.Keys as IndexKeys. EPCISIndexer applies it
// to the parsed stored bytes; Capture and import apply it to the event they hold
// and pass the result in Record.Keys, which saves parsing the canonical bytes
// again. Both give the same keys for an event whose canonical form round-trips,
// and Verify reports any entry for which they would not.
func EPCISKeys(ev *epcis.Event) IndexKeys {
	return indexKeys(ev.HashID(), ev.Keys())
}

// indexKeys is the IndexKeys of an event with hash ID id and keys k.
func indexKeys(id string, k epcis.Keys) IndexKeys {
	ik := IndexKeys{
		EventID:     id,
		GivenID:     k.EventID,
		Products:    k.Products,
		BizStep:     k.BizStep,
		Disposition: k.Disposition,
		EventTime:   k.EventTime,
		Edges:       make([]Edge, len(k.Edges)),
	}
	// The locations are gathered in one list, sorted and deduplicated here, so
	// that normalize finds them a sorted set and keeps them as they are.
	locs := make([]string, 0, 2+len(k.Sources)+len(k.Destinations))
	for _, loc := range []string{k.ReadPoint, k.BizLocation} {
		if loc != "" {
			locs = append(locs, loc)
		}
	}
	for _, sd := range k.Sources {
		if sd.Value != "" {
			locs = append(locs, sd.Value)
		}
	}
	for _, sd := range k.Destinations {
		if sd.Value != "" {
			locs = append(locs, sd.Value)
		}
	}
	if len(locs) > 0 {
		slices.Sort(locs)
		ik.Locations = slices.Compact(locs)
	}
	for i, e := range k.Edges {
		ik.Edges[i] = Edge{From: e.From, To: e.To, Kind: edgeKind(e.Kind)}
	}
	return ik
}

// edgeKind names an EPCIS genealogy link with the log's edge kinds.
func edgeKind(k epcis.EdgeKind) string {
	switch k {
	case epcis.EdgeTransformation:
		return EdgeTransform
	case epcis.EdgeAggregation:
		return EdgeAggregate
	case epcis.EdgeShipped:
		return EdgeShip
	case epcis.EdgeReceived:
		return EdgeReceive
	}
	return string(k)
}
