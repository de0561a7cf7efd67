package epcisquery

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"traceledger/fixtures"
	"traceledger/ledger"
	"traceledger/ledger/epcis"
	"traceledger/ledger/registry"
)

// The hand-built event set every query test runs against: nine events, one per
// line of handEvents, each captured on its own with its own record time (one
// minute apart from recordT0), so that every query parameter has events it keeps
// and events it drops.
var (
	eventT0  = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	recordT0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Identifiers of the hand-built set.
const (
	sgtinA1 = "urn:epc:id:sgtin:0614141.107346.1"
	sgtinA2 = "urn:epc:id:sgtin:0614141.107346.2"
	sgtinB1 = "urn:epc:id:sgtin:4012345.012345.B1"
	ssccP1  = "urn:epc:id:sscc:0614141.1234567890"
	lotX    = "urn:epc:class:lgtin:0614141.107346.LOTX"
	lotY    = "urn:epc:class:lgtin:4012345.012345.LOTY"
	classZ  = "urn:epc:idpat:sgtin:4012345.099999.*"
	glnL1   = "urn:epc:id:sgln:0614141.00777.0"
	glnL2   = "urn:epc:id:sgln:0614141.00888.0"
	giaiG1  = "urn:epc:id:giai:0614141.ASSET1"
)

// handEvents are the events' JSON members after type, eventTime and zone (filled in
// from their position: event i happens at eventT0 + i hours).
var handEvents = []string{
	// 0: commissioning two instances at L1
	`"type":"ObjectEvent","action":"ADD","epcList":["` + sgtinA1 + `","` + sgtinA2 + `"],"bizStep":"commissioning","disposition":"active","readPoint":{"id":"` + glnL1 + `"},"bizLocation":{"id":"` + glnL1 + `"}`,
	// 1: shipping A1 from L1 (bizStep as a URN, disposition as a web URI)
	`"type":"ObjectEvent","action":"OBSERVE","epcList":["` + sgtinA1 + `"],"bizStep":"urn:epcglobal:cbv:bizstep:shipping","disposition":"https://ref.gs1.org/cbv/Disp-in_transit","readPoint":{"id":"` + glnL1 + `"},"bizLocation":{"id":"` + glnL2 + `"}`,
	// 2: packing A1, A2 and some of lot X onto pallet P1 at L2
	`"type":"AggregationEvent","action":"ADD","parentID":"` + ssccP1 + `","childEPCs":["` + sgtinA1 + `","` + sgtinA2 + `"],"childQuantityList":[{"epcClass":"` + lotX + `","quantity":4,"uom":"KGM"}],"bizStep":"packing","disposition":"in_progress","readPoint":{"id":"` + glnL2 + `"}`,
	// 3: transforming A2 and 10 kg of lot X into B1 and 5 of lot Y
	`"type":"TransformationEvent","inputEPCList":["` + sgtinA2 + `"],"inputQuantityList":[{"epcClass":"` + lotX + `","quantity":10,"uom":"KGM"}],"outputEPCList":["` + sgtinB1 + `"],"outputQuantityList":[{"epcClass":"` + lotY + `","quantity":5}],"transformationID":"urn:uuid:7e1b0e28-8a55-4c5b-9d6e-2f0c8d6b1a01","bizStep":"commissioning","bizLocation":{"id":"` + glnL2 + `"}`,
	// 4: a transaction on pallet P1
	`"type":"TransactionEvent","action":"ADD","parentID":"` + ssccP1 + `","epcList":["` + sgtinA1 + `"],"bizTransactionList":[{"type":"po","bizTransaction":"urn:epcglobal:cbv:bt:0614141000005:PO-1"}],"bizStep":"shipping","disposition":"in_transit","bizLocation":{"id":"` + glnL2 + `"}`,
	// 5: associating B1 with an asset
	`"type":"AssociationEvent","action":"ADD","parentID":"` + giaiG1 + `","childEPCs":["` + sgtinB1 + `"],"bizStep":"assembling","disposition":"active","readPoint":{"id":"` + glnL2 + `"}`,
	// 6: an erroneous observation, declared in error
	`"type":"ObjectEvent","action":"OBSERVE","epcList":["` + sgtinB1 + `"],"bizStep":"inspecting","errorDeclaration":{"declarationTime":"2025-03-02T00:00:00Z","reason":"incorrect_data","correctiveEventIDs":["urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8"]}`,
	// 7: recalling product class Z: persistent disposition, quantity 3
	`"type":"ObjectEvent","action":"DELETE","quantityList":[{"epcClass":"` + classZ + `","quantity":3,"uom":"KGM"}],"bizStep":"decommissioning","disposition":"recalled","persistentDisposition":{"set":["recalled"],"unset":["active"]}`,
	// 8: an event whose capturer gave it an eventID
	`"type":"ObjectEvent","action":"OBSERVE","eventID":"urn:uuid:6c2a3b7e-1111-4c5b-9d6e-2f0c8d6b1a08","epcList":["` + sgtinB1 + `"],"bizStep":"receiving","disposition":"in_progress","readPoint":{"id":"` + glnL1 + `"}`,
}

// handEvent parses hand-built event i.
func handEvent(t testing.TB, i int) *epcis.Event {
	t.Helper()
	js := fmt.Sprintf(`{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],%s,"eventTime":%q,"eventTimeZoneOffset":"+00:00"}`,
		handEvents[i], eventT0.Add(time.Duration(i)*time.Hour).Format(time.RFC3339))
	ev, err := epcis.ParseEvent([]byte(js), nil)
	if err != nil {
		t.Fatalf("event %d: %v", i, err)
	}
	if err := ev.Validate(); err != nil {
		t.Fatalf("event %d: %v", i, err)
	}
	return ev
}

// handLog is a log holding the hand-built set, and the hash IDs of its events by
// position in handEvents.
func handLog(t testing.TB) (*ledger.Log, []string) {
	t.Helper()
	var mu sync.Mutex
	clock := recordT0
	opts := ledger.DefaultOptions().WithIndexer(registry.Indexer(ledger.EPCISIndexer))
	opts.Now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Minute)
		return clock
	}
	l, err := ledger.Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	// A registry record first: it shares the log, and no query may return it.
	uscc, err := fixtures.MakeUSCC('9', '1', "150100", "MA0HB013")
	if err != nil {
		t.Fatal(err)
	}
	if err := registry.New(l).RegisterFirm(context.Background(), registry.Firm{USCC: uscc, Name: "Hand-built Dairy Co.",
		Region: "150100", Prefixes: []string{"0614141"}, Sites: []registry.Site{{GLN: "0614141007776"}},
		Status: registry.StatusApproved}); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(handEvents))
	for i := range handEvents {
		res, err := l.Capture(context.Background(), "91350100M000100Y43", handEvent(t, i))
		if err != nil {
			t.Fatalf("capture %d: %v", i, err)
		}
		ids[i] = res[0].EventID
	}
	return l, ids
}

// names lists hits as positions in handEvents, for messages and comparisons.
func names(hits []Hit, ids []string) string {
	var b []string
	for _, h := range hits {
		n := "?"
		for i, id := range ids {
			if id == h.Entry.EventID {
				n = fmt.Sprint(i)
			}
		}
		b = append(b, n)
	}
	return strings.Join(b, ",")
}
