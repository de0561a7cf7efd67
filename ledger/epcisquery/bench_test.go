package epcisquery

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
)

// benchLog is a log of n events: shipping or receiving of one of 100 serials at
// one of 10 sites, one minute apart in event time.
func benchLog(b *testing.B, n int) *ledger.Log {
	b.Helper()
	l, err := ledger.Open(b.TempDir(), ledger.DefaultOptions().WithIndexer(ledger.EPCISIndexer))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 500
	for i := 0; i < n; i += batch {
		evs := make([]*epcis.Event, 0, batch)
		for j := i; j < min(n, i+batch); j++ {
			js := fmt.Sprintf(`{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"ObjectEvent","action":"OBSERVE",`+
				`"eventTime":%q,"eventTimeZoneOffset":"+00:00","epcList":["urn:epc:id:sgtin:0614141.107346.%d"],"bizStep":%q,`+
				`"readPoint":{"id":"urn:epc:id:sgln:0614141.00777.%d"},"example:n":%d,"@context":{"example":"https://example.com/"}}`,
				t0.Add(time.Duration(j)*time.Minute).Format(time.RFC3339), j%100, []string{"shipping", "receiving"}[j%2], j%10, j)
			ev, err := epcis.ParseEvent([]byte(js), map[string]string{"example": "https://example.com/"})
			if err != nil {
				b.Fatal(err)
			}
			evs = append(evs, ev)
		}
		if _, err := l.Capture(context.Background(), "F", evs...); err != nil {
			b.Fatal(err)
		}
	}
	return l
}

// BenchmarkRun pages of 30 from a 20000-event log: by a selective index (one
// serial: 200 events), by the time index, and newest first in record order.
func BenchmarkRun(b *testing.B) {
	l := benchLog(b, 20000)
	for _, raw := range []string{
		"MATCH_epc=urn:epc:id:sgtin:0614141.107346.7",
		"GE_eventTime=2025-01-05T00:00:00Z&LT_eventTime=2025-01-06T00:00:00Z",
		"orderBy=recordTime&EQ_bizStep=receiving",
		"orderBy=eventTime&EQ_readPoint=urn:epc:id:sgln:0614141.00777.3",
	} {
		vals, _ := url.ParseQuery(raw)
		q, err := Parse(vals)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(raw, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := Run(l, q, nil, 30, Limits{})
				if err != nil || len(p.Hits) != 30 {
					b.Fatalf("%v, %d hits", err, len(p.Hits))
				}
			}
		})
	}
}
