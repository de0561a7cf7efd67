package lotrecord

import "testing"

// BenchmarkBuild measures assembling a record from the ledger, what the resolver does
// on a cache miss (after any append): the chain walk, the containers' chains, the
// directory lookups and the proof against the latest checkpoint.
func BenchmarkBuild(b *testing.B) {
	l, ds := demoLog(b)
	bd := &Builder{Log: l, Dir: demoDirectory{ds}}
	for _, bc := range []struct{ name, code string }{
		{"raw-lot", ds.Codes.RawMilkLots[0]},
		{"multipack-lot", ds.Codes.MultipackLot},
		{"cheese-wheel", ds.Codes.CheeseWheels[0]},
	} {
		d := parse(b, bc.code)
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := bd.Build(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
