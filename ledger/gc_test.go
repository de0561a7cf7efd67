package ledger

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// vlogBytes is the size of the value-log files of the log in dir.
func vlogBytes(t *testing.T, dir string) (total int64, files int) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(StoreDir(dir), "*.vlog"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
	}
	return total, len(names)
}

// TestCollectGarbage makes value-log garbage the way a service does, one append
// per commit with a busy time row at the end of the log rewritten by each, and
// checks that CollectGarbage reclaims it without losing or changing anything.
func TestCollectGarbage(t *testing.T) {
	dir := t.TempDir()
	opts := DefaultOptions().WithIndexer(testIndexer)
	opts.ValueLogFileSize = 1 << 20 // Badger's smallest: several files from a few thousand appends
	opts.GCInterval = -1            // collected by hand below
	opts.MemTableSize = 256 << 10   // many small tables: compactions, which find the garbage
	l, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Every event in the same hour and place: the hour's time row grows by 9
	// bytes per entry up to 256 entries, and each commit writes it again.
	const n = 3 * 1024
	hour := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i := range n {
		e := testEvent{
			ID:        fmt.Sprintf("ni:///sha-256;%064x?ver=CBV2.0", i),
			BizStep:   "inspecting",
			Products:  []string{fmt.Sprintf("https://id.gs1.org/01/09506000134352/10/L%d", i)},
			Locations: []string{"https://id.gs1.org/414/9506000100001"},
			Time:      hour.Add(time.Duration(i) * time.Millisecond),
			Pad:       100,
		}
		if _, err := l.Append(context.Background(), Record{Event: e.bytes()}); err != nil {
			t.Fatal(err)
		}
	}
	// Closing flushes the memtable; compacting everything then tells Badger
	// which value-log files hold replaced values (as its own compactions do,
	// in time, in a running service).
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if l, err = Open(dir, opts); err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.store.(*badgerStore).db.Flatten(1); err != nil {
		t.Fatal(err)
	}
	before, filesBefore := vlogBytes(t, dir)
	if filesBefore < 3 {
		t.Fatalf("%d value-log files (%d bytes): the test makes too little garbage to collect", filesBefore, before)
	}
	files, err := l.CollectGarbage()
	if err != nil {
		t.Fatal(err)
	}
	after, filesAfter := vlogBytes(t, dir)
	t.Logf("rewrote %d value-log files: %d files, %d bytes -> %d files, %d bytes", files, filesBefore, before, filesAfter, after)
	if files == 0 || after >= before {
		t.Fatalf("CollectGarbage rewrote %d files, value log %d -> %d bytes: want some reclaimed", files, before, after)
	}
	check := func(l *Log) {
		t.Helper()
		rep, err := l.Verify(nil)
		if err != nil || !rep.OK {
			t.Fatalf("verify after GC: %v %v", err, rep)
		}
		if rep.Entries != n {
			t.Fatalf("verify saw %d entries, want %d", rep.Entries, n)
		}
		h, err := l.History("https://id.gs1.org/01/09506000134352/10/L7")
		if err != nil || len(h) != 1 || !strings.Contains(string(h[0].Event), "L7\n") {
			t.Fatalf("history after GC: %v %v", h, err)
		}
	}
	check(l)
	// Appends go on, and the log reopens intact.
	if _, err := l.Append(context.Background(), synthetic(n)); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l2, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	rep, err := l2.Verify(nil)
	if err != nil || !rep.OK || rep.Entries != n+1 {
		t.Fatalf("verify after reopen: %v %v", err, rep)
	}
}

// TestCollectorRunsAndStops checks the periodic collector reports its runs and
// that Close waits for it.
func TestCollectorRunsAndStops(t *testing.T) {
	runs := make(chan error, 100)
	opts := DefaultOptions().WithIndexer(testIndexer)
	opts.GCInterval = time.Millisecond
	opts.OnGC = func(files int, err error) {
		select {
		case runs <- err:
		default:
		}
	}
	l, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	appendAll(t, l, synthetic(0))
	select {
	case err := <-runs:
		if err != nil {
			t.Fatalf("collection failed: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the collector never ran")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.CollectGarbage(); err != nil {
		t.Fatalf("CollectGarbage on a closed log: %v", err)
	}
}
