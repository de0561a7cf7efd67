package ledger

import (
	"fmt"

	"traceledger/ledger/epcis"
)

// EdgeReceive is the kind of the edge from received goods to the source they came
// from (a receiving event's sourceList): recall walks it backward to the source
// firm and location.
const EdgeReceive = "receive"

// EPCISIndexer is the Indexer of a log of EPCIS 2.0 events: it reads an event's
// canonical JSON-LD (as epcis.Event.CanonicalJSON writes it), computes its CBV 2.0
// event hash ID and converts the event's epcis.Keys into IndexKeys. Append and Verify
// both run it, so the indexes are always derived from the stored event alone.
func EPCISIndexer(event []byte) (IndexKeys, error) {
	ev, err := epcis.ParseEvent(event, nil)
	if err != nil {
		return IndexKeys{}, fmt.Errorf("ledger: stored event: %w", err)
	}
	k := ev.Keys()
	ik := IndexKeys{
		EventID:     ev.HashID(),
		GivenID:     k.EventID,
		Products:    k.Products,
		BizStep:     k.BizStep,
		Disposition: k.Disposition,
		EventTime:   k.EventTime,
		Edges:       make([]Edge, len(k.Edges)),
	}
	for _, loc := range []string{k.ReadPoint, k.BizLocation} {
		if loc != "" {
			ik.Locations = appendUnique(ik.Locations, loc)
		}
	}
	for _, sd := range k.Sources {
		ik.Locations = appendUnique(ik.Locations, sd.Value)
	}
	for _, sd := range k.Destinations {
		ik.Locations = appendUnique(ik.Locations, sd.Value)
	}
	for i, e := range k.Edges {
		ik.Edges[i] = Edge{From: e.From, To: e.To, Kind: edgeKind(e.Kind)}
	}
	return ik, nil
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

func appendUnique(list []string, s string) []string {
	for _, have := range list {
		if have == s {
			return list
		}
	}
	return append(list, s)
}
