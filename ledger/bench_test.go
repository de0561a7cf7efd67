package ledger

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Run with, for example:
//
//	go test ./ledger/ -run '^$' -bench . -benchtime 20000x
//
// Every Append benchmark reports events/s; BenchmarkAppendBatched256 also runs
// the raw Badger baseline on the same records in the same run and reports the ratio.

func BenchmarkAppendBatched256(b *testing.B) {
	res, err := Bench(b.TempDir(), DefaultOptions().WithIndexer(testIndexer),
		BenchConfig{Events: max(b.N, 256), Batch: 256, Gen: synthetic})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(res.LedgerPerSec, "events/s")
	b.ReportMetric(res.BaselinePerSec, "baseline-events/s")
	b.ReportMetric(res.Ratio, "ratio")
	b.ReportMetric(res.VerifyPerSec, "verify-entries/s")
}

func BenchmarkAppendConcurrent64(b *testing.B) {
	l := openTest(b, b.TempDir())
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				if _, err := l.Append(context.Background(), synthetic(int(i))); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkAppendSequential is one caller waiting for each append, against raw
// Badger doing one synced single-row transaction per record in the same run.
func BenchmarkAppendSequential(b *testing.B) {
	dir := b.TempDir()
	base, err := openBadger(filepath.Join(dir, "baseline"), DefaultOptions().withDefaults())
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for i := range b.N {
		batch := &Batch{}
		batch.Put(entryKey(int64(i)), synthetic(i).Event)
		if err := base.Write(batch); err != nil {
			b.Fatal(err)
		}
	}
	baseline := float64(b.N) / time.Since(start).Seconds()
	base.Close()
	l := openTest(b, filepath.Join(dir, "ledger"))
	b.ResetTimer()
	start = time.Now()
	for i := range b.N {
		if _, err := l.Append(context.Background(), synthetic(i)); err != nil {
			b.Fatal(err)
		}
	}
	rate := float64(b.N) / time.Since(start).Seconds()
	b.ReportMetric(rate, "events/s")
	b.ReportMetric(baseline, "baseline-events/s")
	b.ReportMetric(rate/baseline, "ratio")
}

func BenchmarkVerify(b *testing.B) {
	l := openTest(b, b.TempDir())
	const n = 50000
	for i := 0; i < n; i += 1000 {
		recs := make([]Record, 0, 1000)
		for j := i; j < i+1000; j++ {
			recs = append(recs, synthetic(j))
		}
		if _, err := l.Append(context.Background(), recs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		rep, err := l.Verify(nil)
		if err != nil || !rep.OK {
			b.Fatal(rep, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/time.Since(start).Seconds(), "entries/s")
}

// BenchmarkHistory1000 reads the chain of a code with 1000 entries among 10,000.
func BenchmarkHistory1000(b *testing.B) {
	l := openTest(b, b.TempDir())
	const code = "https://id.gs1.org/01/09506000134352/10/HOT"
	for i := 0; i < 10000; i += 500 {
		var recs []Record
		for j := i; j < i+500; j++ {
			r := synthetic(j)
			if j%10 == 0 {
				r.Event = append(r.Event, fmt.Sprintf("p %s\n", code)...)
			}
			recs = append(recs, r)
		}
		if _, err := l.Append(context.Background(), recs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		h, err := l.History(code)
		if err != nil || len(h) != 1000 {
			b.Fatal(len(h), err)
		}
	}
}
