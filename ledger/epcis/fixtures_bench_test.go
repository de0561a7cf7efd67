package epcis_test

import (
	"testing"

	"traceledger/fixtures"
	"traceledger/ledger/epcis"
)

// BenchmarkHashAndKeysFixtures is verify's per-entry path (ledger.EPCISIndexer) on
// the stored bytes of the synthetic supply chain that `traceledger bench ledger`
// appends and verifies: receipts, shipments, inspections with nested extension
// fields, transformations, in the generator's mix. One op is one event.
func BenchmarkHashAndKeysFixtures(b *testing.B) {
	gen, err := fixtures.NewGenerator(fixtures.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	stored := make([][]byte, 2000)
	for i := range stored {
		e, _ := gen.Next()
		if stored[i], err = e.CanonicalJSON(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, _, err := epcis.HashAndKeys(stored[i%len(stored)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
