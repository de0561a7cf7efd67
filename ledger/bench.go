package ledger

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"
)

// A BenchConfig sets up Bench.
type BenchConfig struct {
	Events   int                           // events to append (default 100,000)
	Batch    int                           // records per append and per baseline transaction (default 256)
	InFlight int                           // ledger appends submitted at once (default 1: each waits for the one before)
	Progress func(done, total int64)       // called now and then, may be nil
	Gen      func(i int) Record            // the i-th synthetic record (required); see Bench for Keys
	Log      func(format string, a ...any) // optional trace of the phases
	// Profile, when set, receives a CPU profile (runtime/pprof) of the ledger
	// phase alone: the appends, not the baseline or the verify.
	Profile io.Writer
	// RowsAlone also measures the ledger's storage layout without the ledger
	// (BenchResult.RowsAlonePerSec): the rows its commits wrote are written again,
	// commit by commit, to a new Badger store, with no hashing, staging or
	// indexing. That rate bounds the ledger's: it is what the engine costs for
	// what the log must store. It appends the records once more, untimed, to
	// capture the rows (they are held in memory, about 1.5 KB per event).
	RowsAlone bool
}

// A BenchResult is what Bench measured, in events (entries) per second. The JSON
// form is the `traceledger bench ledger --json` contract.
type BenchResult struct {
	LedgerPerSec   float64 `json:"ledger_events_per_s"`   // batched appends through the ledger
	BaselinePerSec float64 `json:"baseline_events_per_s"` // raw Badger, same bytes, same batches, synced
	Ratio          float64 `json:"ratio"`                 // LedgerPerSec / BaselinePerSec
	VerifyPerSec   float64 `json:"verify_entries_per_s"`  // Verify over the ledger just written
	// RowsAlonePerSec is the write of the ledger's rows alone (BenchConfig.RowsAlone).
	RowsAlonePerSec float64 `json:"rows_alone_events_per_s,omitempty"`
	InFlight        int     `json:"-"`
	Events          int     `json:"-"`
	Batch           int     `json:"-"`
}

// Bench measures the ledger against a raw Badger baseline in the same run: it
// writes cfg.Events records in synced transactions of cfg.Batch records with no
// hashing or indexes (key = 8-byte sequence number, value = the event bytes)
// into dir/baseline, then appends the same records in batches of cfg.Batch to a
// new log in dir/ledger with opts, each batch one Append and one transaction, then
// verifies that log. By default each append waits for the one before, as each
// baseline write does; with cfg.InFlight > 1 the bench keeps that many submitted,
// as an import reading ahead may, and the appender stages a batch while the one
// before it is synced. dir must not hold either. Record generation is outside the
// timed sections of both. A record
// that carries its Keys (as Capture and import derive them from the event in
// hand) is appended without running the Indexer, so deriving them is then part
// of generation; the verify figure always includes the Indexer, which re-derives
// every entry's keys from its stored bytes.
func Bench(dir string, opts Options, cfg BenchConfig) (*BenchResult, error) {
	if cfg.Events <= 0 {
		cfg.Events = 100000
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 256
	}
	if cfg.InFlight <= 0 {
		cfg.InFlight = 1
	}
	if cfg.Gen == nil {
		return nil, fmt.Errorf("ledger: bench: no record generator")
	}
	trace := cfg.Log
	if trace == nil {
		trace = func(string, ...any) {}
	}
	opts = opts.withDefaults()
	for _, sub := range []string{"baseline", "ledger", "rows-source", "rows"} {
		if _, err := os.Stat(filepath.Join(dir, sub)); err == nil {
			return nil, fmt.Errorf("ledger: bench: %s already exists", filepath.Join(dir, sub))
		}
	}
	total := int64(2 * cfg.Events)
	progress := func(done int) {
		if cfg.Progress != nil {
			cfg.Progress(int64(done), total)
		}
	}
	res := &BenchResult{Events: cfg.Events, Batch: cfg.Batch}

	base, err := openBadger(filepath.Join(dir, "baseline"), opts)
	if err != nil {
		return nil, err
	}
	var elapsed time.Duration
	for i := 0; i < cfg.Events; i += cfg.Batch {
		b := &Batch{}
		for j := i; j < min(i+cfg.Batch, cfg.Events); j++ {
			b.Put(entryKey(int64(j)), cfg.Gen(j).Event)
		}
		start := time.Now()
		if err := base.Write(b); err != nil {
			base.Close()
			return nil, fmt.Errorf("ledger: bench baseline: %w", err)
		}
		elapsed += time.Since(start)
		progress(i + cfg.Batch)
	}
	base.Close()
	res.BaselinePerSec = float64(cfg.Events) / elapsed.Seconds()
	trace("baseline: %d events in %v", cfg.Events, elapsed)

	// One transaction per batch, as the baseline's.
	opts.MaxBatchRecords = cfg.Batch
	l, err := Open(filepath.Join(dir, "ledger"), opts)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	elapsed = 0
	ctx := context.Background()
	if cfg.Profile != nil {
		if err := pprof.StartCPUProfile(cfg.Profile); err != nil {
			return nil, fmt.Errorf("ledger: bench: %w", err)
		}
	}
	// Records are generated outside the timed sections, benchBatches batches at a
	// time; each run of batches is appended with cfg.InFlight appends waiting at once.
	for i := 0; i < cfg.Events; i += benchBatches * cfg.Batch {
		batches := benchRun(cfg, i)
		start := time.Now()
		err := appendInFlight(ctx, l, batches, cfg.InFlight)
		elapsed += time.Since(start)
		if err != nil {
			if cfg.Profile != nil {
				pprof.StopCPUProfile()
			}
			return nil, fmt.Errorf("ledger: bench append: %w", err)
		}
		progress(cfg.Events + min(i+benchBatches*cfg.Batch, cfg.Events))
	}
	if cfg.Profile != nil {
		pprof.StopCPUProfile()
	}
	res.LedgerPerSec = float64(cfg.Events) / elapsed.Seconds()
	res.InFlight = cfg.InFlight
	res.Ratio = res.LedgerPerSec / res.BaselinePerSec
	trace("ledger: %d events in %v", cfg.Events, elapsed)

	start := time.Now()
	rep, err := l.Verify(nil)
	if err != nil {
		return nil, err
	}
	if !rep.OK {
		return nil, fmt.Errorf("ledger: bench: %w", rep.Err())
	}
	res.VerifyPerSec = float64(rep.Entries) / time.Since(start).Seconds()
	trace("verify: %d entries in %v", rep.Entries, time.Since(start))
	if cfg.RowsAlone {
		if res.RowsAlonePerSec, err = benchRowsAlone(dir, opts, cfg); err != nil {
			return nil, err
		}
		trace("rows alone: %.0f events/s", res.RowsAlonePerSec)
	}
	return res, nil
}

// benchRowsAlone appends cfg's records, untimed, to a log in dir/rows-source
// whose store keeps a copy of every batch it writes, then writes those batches
// again to a new Badger store in dir/rows, one synced transaction each as the
// log's commits were, and returns that rate in events per second.
func benchRowsAlone(dir string, opts Options, cfg BenchConfig) (float64, error) {
	src, err := openBadger(StoreDir(filepath.Join(dir, "rows-source")), opts)
	if err != nil {
		return 0, err
	}
	rec := &batchRecorder{Store: src}
	o := opts
	o.Store = rec
	l, err := Open(filepath.Join(dir, "rows-source"), o)
	if err != nil {
		src.Close()
		return 0, err
	}
	for i := 0; i < cfg.Events; i += benchBatches * cfg.Batch {
		if err := appendInFlight(context.Background(), l, benchRun(cfg, i), 1); err != nil {
			l.Close()
			return 0, fmt.Errorf("ledger: bench rows alone: %w", err)
		}
	}
	if err := l.Close(); err != nil {
		return 0, err
	}
	dst, err := openBadger(filepath.Join(dir, "rows"), opts)
	if err != nil {
		return 0, err
	}
	defer dst.Close()
	var elapsed time.Duration
	for _, b := range rec.batches {
		start := time.Now()
		if err := dst.Write(b); err != nil {
			return 0, fmt.Errorf("ledger: bench rows alone: %w", err)
		}
		elapsed += time.Since(start)
	}
	return float64(cfg.Events) / elapsed.Seconds(), nil
}

// A batchRecorder is a Store that keeps a copy of every batch it writes (the
// log reuses nothing it hands to Write, but a copy keeps the recording
// independent of that).
type batchRecorder struct {
	Store
	batches []*Batch
}

func (r *batchRecorder) Write(b *Batch) error {
	if err := r.Store.Write(b); err != nil {
		return err
	}
	c := &Batch{Rows: make([]Row, len(b.Rows))}
	for i, row := range b.Rows {
		c.Rows[i] = Row{Key: bytes.Clone(row.Key), Value: bytes.Clone(row.Value)}
	}
	r.batches = append(r.batches, c)
	return nil
}

// benchBatches is how many batches Bench generates before timing their appends.
const benchBatches = 64

// benchRun generates the run of up to benchBatches batches of cfg.Batch records
// that starts at record i.
func benchRun(cfg BenchConfig, i int) [][]Record {
	var batches [][]Record
	for b := i; b < min(i+benchBatches*cfg.Batch, cfg.Events); b += cfg.Batch {
		recs := make([]Record, 0, cfg.Batch)
		for j := b; j < min(b+cfg.Batch, cfg.Events); j++ {
			recs = append(recs, cfg.Gen(j))
		}
		batches = append(batches, recs)
	}
	return batches
}

// appendInFlight appends the batches in order, each with one Append, keeping up to
// inFlight of them submitted and not yet durable at once (as an import reading
// ahead does), and returns the first error.
func appendInFlight(ctx context.Context, l *Log, batches [][]Record, inFlight int) error {
	var waits []func() ([]Appended, error)
	var first error
	for _, recs := range batches {
		if len(waits) == inFlight {
			if _, err := waits[0](); err != nil && first == nil {
				first = err
			}
			waits = waits[1:]
		}
		if first != nil {
			break
		}
		wait, err := l.Submit(ctx, recs...)
		if err != nil {
			first = err
			break
		}
		waits = append(waits, wait)
	}
	for _, wait := range waits {
		if _, err := wait(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
