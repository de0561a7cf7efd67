package recall

import (
	"math/rand/v2"
	"testing"
	"time"

	"traceledger/fixtures"
	"traceledger/ledger"
)

// genRecords returns the fixtures generator's events as ledger records.
func genRecords(t testing.TB, seed uint64) func(i int) ledger.Record {
	g, err := fixtures.NewGenerator(fixtures.Config{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return func(int) ledger.Record {
		e, by := g.Next()
		b, err := e.CanonicalJSON()
		if err != nil {
			t.Fatal(err)
		}
		return ledger.Record{Event: b, Firm: by}
	}
}

func TestBenchSmall(t *testing.T) {
	dir := t.TempDir()
	res, err := Bench(dir, ledger.DefaultOptions().WithIndexer(memberIndexer),
		BenchConfig{Events: 2000, Samples: 20, Records: genRecords(t, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Events != 2000 || res.BuildSeconds <= 0 || res.Forward.Samples != 20 || res.Scope.Lots < 1 ||
		res.Backward.MedianMS <= 0 || res.Forward.P99MS < res.Forward.MedianMS {
		t.Errorf("result %+v", res)
	}
	// A second run reuses the store.
	res, err = Bench(dir, ledger.DefaultOptions().WithIndexer(memberIndexer), BenchConfig{Events: 2000, Samples: 5})
	if err != nil || res.BuildSeconds != 0 || res.Events != 2000 {
		t.Errorf("reuse: %+v, %v", res, err)
	}
}

func TestTimingPercentiles(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	got := timing(ds)
	if got.MedianMS != 50 || got.P99MS != 99 || got.MaxMS != 100 || got.Samples != 100 {
		t.Errorf("%+v", got)
	}
}

// benchStore is a store of the generator's events shared by the benchmarks.
func benchStore(b *testing.B, n int) (*ledger.Log, []string) {
	b.Helper()
	dir := b.TempDir()
	if _, err := Bench(dir, ledger.DefaultOptions().WithIndexer(memberIndexer),
		BenchConfig{Events: n, Samples: 1, Records: genRecords(b, 7)}); err != nil {
		b.Fatal(err)
	}
	l, err := ledger.Open(dir, ledger.DefaultOptions().WithIndexer(memberIndexer))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	lots, err := sampleLots(l, newRand(), 64)
	if err != nil {
		b.Fatal(err)
	}
	return l, lots
}

func BenchmarkWalks(b *testing.B) {
	l, lots := benchStore(b, 20_000)
	t := &Tracer{Log: l}
	b.Run("backward", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := t.Back(lots[i%len(lots)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("forward", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := t.Forward(lots[i%len(lots)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("scope", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := t.Scope(lots[i%len(lots)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func newRand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }
