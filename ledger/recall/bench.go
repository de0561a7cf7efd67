package recall

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"time"

	"traceledger/ledger"
)

// A BenchConfig sets up Bench. Records supplies the store's events (the fixtures'
// synthetic generator in `traceledger bench recall`); the package does not import
// fixtures itself.
type BenchConfig struct {
	Events  int // events in the store (default 100,000)
	Batch   int // records per append while building (default 1,000)
	Samples int // walks timed per kind (default 500)
	Seed    uint64
	// Records yields the i-th record to append (required to build a store).
	Records func(i int) ledger.Record
	// Progress is called now and then while building, may be nil.
	Progress func(done, total int64)
	// Log is an optional trace of the phases.
	Log func(format string, a ...any)
}

// A Timing is the distribution of one kind of walk, in milliseconds.
type Timing struct {
	Samples  int     `json:"samples"`
	MedianMS float64 `json:"median_ms"`
	P99MS    float64 `json:"p99_ms"`
	MaxMS    float64 `json:"max_ms"`
	// Lots is the mean number of lots (and instances) the walks reached.
	Lots float64 `json:"mean_lots"`
}

// A BenchResult is what Bench measured; its JSON form is the `traceledger bench recall
// --json` output.
type BenchResult struct {
	Events       int64   `json:"events"`
	BuildSeconds float64 `json:"build_s"` // 0 when an existing store was reused
	Backward     Timing  `json:"backward"`
	Forward      Timing  `json:"forward"`
	Scope        Timing  `json:"scope"`
	// Baseline times reading the sampled lot's own entries (product index, then each
	// entry, unparsed): the least any walk from it must do, measured in the same run.
	Baseline Timing `json:"baseline"`
	// ScopeRatio and BackwardRatio are the medians over the baseline median.
	ScopeRatio    float64 `json:"scope_ratio"`
	BackwardRatio float64 `json:"backward_ratio"`
}

// Bench builds (or reuses) a ledger of cfg.Events events in dir and times, from random
// lots, backward traces, forward walks and full recall scopes. A store already in dir
// with at least cfg.Events entries is reused, so that the slow part is paid once.
// Each walk starts cold (no state shared between walks; Badger's own caches stay
// warm, as in a running server).
func Bench(dir string, opts ledger.Options, cfg BenchConfig) (*BenchResult, error) {
	if cfg.Events <= 0 {
		cfg.Events = 100_000
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 1000
	}
	if cfg.Samples <= 0 {
		cfg.Samples = 500
	}
	trace := cfg.Log
	if trace == nil {
		trace = func(string, ...any) {}
	}
	res := &BenchResult{}
	_, statErr := os.Stat(ledger.StoreDir(dir))
	l, err := ledger.Open(dir, opts)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	if statErr != nil || l.Size() < int64(cfg.Events) {
		if l.Size() > 0 {
			return nil, fmt.Errorf("recall: bench: %s holds %d events, fewer than %d", dir, l.Size(), cfg.Events)
		}
		if cfg.Records == nil {
			return nil, fmt.Errorf("recall: bench: no record generator")
		}
		trace("building a store of %d events in %s", cfg.Events, dir)
		start := time.Now()
		recs := make([]ledger.Record, 0, cfg.Batch)
		for i := 0; i < cfg.Events; i += cfg.Batch {
			recs = recs[:0]
			for j := i; j < min(i+cfg.Batch, cfg.Events); j++ {
				recs = append(recs, cfg.Records(j))
			}
			if _, err := l.Append(context.Background(), recs...); err != nil {
				return nil, fmt.Errorf("recall: bench: append at %d: %w", i, err)
			}
			if cfg.Progress != nil {
				cfg.Progress(int64(i+len(recs)), int64(cfg.Events))
			}
		}
		res.BuildSeconds = time.Since(start).Seconds()
		trace("built in %.1f s", res.BuildSeconds)
	}
	res.Events = l.Size()

	rng := rand.New(rand.NewPCG(cfg.Seed, 1))
	lots, err := sampleLots(l, rng, cfg.Samples)
	if err != nil {
		return nil, err
	}
	t := &Tracer{Log: l}
	kinds := []struct {
		timing *Timing
		walk   func(code string) (int, error)
	}{
		{&res.Baseline, func(c string) (int, error) {
			idx, err := l.Indexed(ledger.ByProduct, c, 0, 0)
			for _, n := range idx {
				if err == nil {
					_, err = l.Get(n)
				}
			}
			return 0, err
		}},
		{&res.Backward, func(c string) (int, error) { tr, err := t.Back(c); return lenLots(tr), err }},
		{&res.Forward, func(c string) (int, error) { tr, err := t.Forward(c); return lenLots(tr), err }},
		{&res.Scope, func(c string) (int, error) {
			sc, err := t.Scope(c)
			if err != nil {
				return 0, err
			}
			return len(sc.Lots), nil
		}},
	}
	for _, k := range kinds {
		ds := make([]time.Duration, 0, len(lots))
		reached := 0
		for _, code := range lots {
			start := time.Now()
			n, err := k.walk(code)
			if err != nil {
				return nil, fmt.Errorf("recall: bench: %s: %w", code, err)
			}
			ds = append(ds, time.Since(start))
			reached += n
		}
		*k.timing = timing(ds)
		k.timing.Lots = float64(reached) / float64(len(lots))
	}
	if b := res.Baseline.MedianMS; b > 0 {
		res.ScopeRatio = res.Scope.MedianMS / b
		res.BackwardRatio = res.Backward.MedianMS / b
	}
	return res, nil
}

func lenLots(tr *Trace) int {
	if tr == nil {
		return 0
	}
	return len(tr.Lots)
}

// sampleLots picks n lots (with repetition) named by random entries' events.
func sampleLots(l *ledger.Log, rng *rand.Rand, n int) ([]string, error) {
	size := l.Size()
	if size == 0 {
		return nil, fmt.Errorf("recall: bench: empty store")
	}
	var out []string
	for tries := 0; len(out) < n; tries++ {
		if tries > 100*n {
			return nil, fmt.Errorf("recall: bench: no lots in %d random entries", tries)
		}
		en, err := l.Get(rng.Int64N(size))
		if err != nil {
			return nil, err
		}
		s, err := parseStep(en)
		if err != nil {
			continue // not an EPCIS event
		}
		var cands []string
		for _, list := range [][]item{s.goods, s.inputs, s.outputs, s.children} {
			for _, it := range list {
				if isLot(it.code) {
					cands = append(cands, it.code)
				}
			}
		}
		if len(cands) > 0 {
			out = append(out, cands[rng.IntN(len(cands))])
		}
	}
	return out, nil
}

// timing summarises durations.
func timing(ds []time.Duration) Timing {
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	pct := func(p float64) time.Duration {
		i := int(p*float64(len(ds))+0.5) - 1
		return ds[max(0, min(i, len(ds)-1))]
	}
	return Timing{Samples: len(ds), MedianMS: ms(pct(0.5)), P99MS: ms(pct(0.99)), MaxMS: ms(ds[len(ds)-1])}
}
