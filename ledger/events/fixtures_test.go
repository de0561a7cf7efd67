package events

import (
	"encoding/json"
	"testing"

	"traceledger/fixtures"
)

// TestInspectionShapeMatchesFixtures checks that the inspection extension fixtures
// writes and the one this package writes are one shape: every demo inspection decodes
// into Inspection and encodes back to the same JSON (fixtures has no inspector, which
// is left out when empty).
func TestInspectionShapeMatchesFixtures(t *testing.T) {
	if fixtures.Namespace != Namespace || fixtures.InspectionField != InspectionField {
		t.Fatalf("namespace %s field %s, fixtures has %s %s", Namespace, InspectionField, fixtures.Namespace, fixtures.InspectionField)
	}
	n := 0
	for _, ev := range fixtures.Demo().Events {
		for _, f := range ev.Extensions {
			if f.Name != InspectionField {
				continue
			}
			n++
			in, ok := InspectionOf(ev)
			if !ok {
				t.Fatalf("demo inspection %s does not decode", f.Value)
			}
			var theirs fixtures.Inspection
			if err := json.Unmarshal(f.Value, &theirs); err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(theirs)
			b := in.Field().Value
			if string(a) != string(b) {
				t.Errorf("shapes differ:\nfixtures %s\nevents   %s", a, b)
			}
			if in.Conformant() != theirs.Conformant() {
				t.Errorf("Conformant differs for %s", a)
			}
		}
	}
	if n == 0 {
		t.Fatal("the demo has no inspections")
	}
}
