package ledger

import (
	"context"
	"sync"
	"testing"
)

// The appender's copy of the last chunk's posting rows must leave the rows exactly
// as reading them from the store did: single appends from many callers across
// several chunks, a reopen in the middle of a chunk (the copy starts incomplete),
// and appends on either side of a chunk boundary, then Verify re-derives every row.
func TestTailPostingsKeepRowsExact(t *testing.T) {
	dir := t.TempDir()
	appendRange := func(l *Log, lo, hi int) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make(chan error, hi-lo)
		for i := lo; i < hi; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := l.Append(context.Background(), synthetic(i)); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}
	verify := func(l *Log, want int64) {
		t.Helper()
		if l.Size() != want {
			t.Fatalf("size %d, want %d", l.Size(), want)
		}
		rep, err := l.Verify(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK {
			t.Fatalf("verify: %v", rep.Err())
		}
	}
	l, err := Open(dir, DefaultOptions().WithIndexer(testIndexer))
	if err != nil {
		t.Fatal(err)
	}
	chunk := 1 << chunkShift
	appendRange(l, 0, chunk+100) // past the first boundary, ends mid-chunk
	verify(l, int64(chunk+100))
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l = openTest(t, dir) // the copy is empty and incomplete for the open chunk
	appendRange(l, chunk+100, 3*chunk+7)
	// One append ending exactly on a boundary, then singles after it.
	recs := make([]Record, 0, chunk-7)
	for i := 3*chunk + 7; i < 4*chunk; i++ {
		recs = append(recs, synthetic(i))
	}
	appendAll(t, l, recs...)
	appendRange(l, 4*chunk, 4*chunk+50)
	verify(l, int64(4*chunk+50))
}
