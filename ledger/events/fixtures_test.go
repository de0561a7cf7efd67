package events_test

import (
	"bytes"
	"testing"

	"traceledger/fixtures"
	"traceledger/ledger/events"
)

// TestDemoInspectionsDecode checks that every inspection the demo chain writes decodes
// with InspectionOf and encodes back to the same extension value, so the resolver and
// quality statistics read fixtures' events as they read the native API's.
func TestDemoInspectionsDecode(t *testing.T) {
	n := 0
	for _, ev := range fixtures.Demo().Events {
		for _, f := range ev.Extensions {
			if f.Name != events.InspectionField {
				continue
			}
			n++
			in, ok := events.InspectionOf(ev)
			if !ok {
				t.Fatalf("demo inspection %s does not decode", f.Value)
			}
			if got := in.Field().Value; !bytes.Equal(got, f.Value) {
				t.Errorf("inspection re-encodes differently:\nstored %s\nagain  %s", f.Value, got)
			}
		}
	}
	if n == 0 {
		t.Fatal("the demo has no inspections")
	}
}
