package epcis_test

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"

	"traceledger/fixtures"
	"traceledger/ledger/epcis"
)

// TestCanonicalReaderOnSyntheticChain compares the canonical reader (and HashAndKeys)
// with the general one on the stored form of every event of a synthetic supply chain
// (the events the ledger benchmarks and the demo store), and checks that it reads all
// of them: they have no sensor data, error declarations or inner extensions.
func TestCanonicalReaderOnSyntheticChain(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 500
	}
	for _, seed := range []uint64{1, 2} {
		g, err := fixtures.NewGenerator(fixtures.Config{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			e, _ := g.Next()
			data, err := e.CanonicalJSON()
			if err != nil {
				t.Fatalf("seed %d event %d: %v", seed, i, err)
			}
			if !epcis.CheckCanonicalReader(t, fmt.Sprintf("seed %d event %d", seed, i), data) {
				t.Errorf("seed %d event %d: the canonical reader does not take its stored form:\n%s", seed, i, data)
			}
			// What HashAndKeys returns is its own: the caller may reuse its buffer.
			buf := bytes.Clone(data)
			h, k, err := epcis.HashAndKeys(buf)
			for j := range buf {
				buf[j] = 0
			}
			if wantH, wantK, _ := epcis.HashAndKeys(data); err != nil || h != wantH || !reflect.DeepEqual(k, wantK) {
				t.Errorf("seed %d event %d: HashAndKeys's result changed with the caller's buffer (%v)", seed, i, err)
			}
		}
	}
}
