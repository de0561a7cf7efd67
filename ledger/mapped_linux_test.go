package ledger

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// residentValueLog is how many bytes of the value-log files in dir are resident in
// this process, from /proc/self/smaps.
func residentValueLog(t *testing.T, dir string) int64 {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	var n int64
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if fields := strings.Fields(line); len(fields) >= 5 && strings.Contains(fields[0], "-") {
			in = len(fields) == 6 && filepath.Dir(fields[5]) == abs && isValueLogFile(fields[5])
			continue
		}
		if rest, ok := strings.CutPrefix(line, "Rss:"); ok && in {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(rest, " kB")), 10, 64)
			if err != nil {
				t.Fatalf("smaps line %q: %v", line, err)
			}
			n += kb << 10
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPageOutReleasesTheValueLog writes 16 MiB of values to a Badger store: they stay
// resident through the value log's mapping until pageOut, after which next to
// nothing is, and every value still reads back.
func TestPageOutReleasesTheValueLog(t *testing.T) {
	dir := t.TempDir()
	s, err := openBadger(dir, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	value := func(i int) []byte { return bytes.Repeat([]byte(fmt.Sprintf("%07d,", i)), 128) } // 1 KiB
	const n = 16 << 10
	for i := 0; i < n; {
		var b Batch
		for end := i + 256; i < end; i++ {
			b.Put([]byte(fmt.Sprintf("v%07d", i)), value(i))
		}
		if err := s.Write(&b); err != nil {
			t.Fatal(err)
		}
	}
	before := residentValueLog(t, dir)
	if before < 8<<20 {
		t.Fatalf("%d bytes of value log resident after writing 16 MiB: the mapping is not what this test assumes", before)
	}
	if err := pageOut(dir, isValueLogFile); err != nil {
		t.Fatal(err)
	}
	if after := residentValueLog(t, dir); after > 1<<20 {
		t.Fatalf("%d bytes of value log resident after pageOut (%d before)", after, before)
	}
	err = s.View(func(r Reader) error {
		for i := 0; i < n; i += 97 {
			v, err := r.Get([]byte(fmt.Sprintf("v%07d", i)))
			if err != nil {
				return err
			}
			if !bytes.Equal(v, value(i)) {
				return fmt.Errorf("value %d reads back as %.40q", i, v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReleaseValueLogPagesOnALog: the log's entries leave memory and still read back.
func TestReleaseValueLogPagesOnALog(t *testing.T) {
	dir := t.TempDir()
	l := openTest(t, dir)
	var recs []Record
	for i := range 2000 {
		recs = append(recs, synthetic(i))
	}
	appendAll(t, l, recs...)
	before := residentValueLog(t, StoreDir(dir))
	if err := l.ReleaseValueLogPages(); err != nil {
		t.Fatal(err)
	}
	if after := residentValueLog(t, StoreDir(dir)); after >= before || after > 256<<10 {
		t.Fatalf("%d bytes of value log resident after ReleaseValueLogPages, %d before", after, before)
	}
	for _, n := range []int64{0, 999, 1999} {
		e, err := l.Get(n)
		if err != nil {
			t.Fatal(err)
		}
		if e.Index != n {
			t.Fatalf("entry %d reads back as entry %d", n, e.Index)
		}
	}
}

// TestReleaseValueLogPagesDuringAppends pages the value log out again and again
// while batches are appended (dirty pages, a file being written): every entry is
// kept and the log verifies.
func TestReleaseValueLogPagesDuringAppends(t *testing.T) {
	l := openTest(t, t.TempDir())
	stop := make(chan struct{})
	released := make(chan error, 1)
	go func() {
		for n := 0; ; n++ {
			select {
			case <-stop:
				released <- nil
				return
			default:
			}
			if err := l.ReleaseValueLogPages(); err != nil {
				released <- fmt.Errorf("release %d: %w", n, err)
				return
			}
		}
	}()
	const n = 3000
	for i := 0; i < n; i += 100 {
		var recs []Record
		for j := i; j < i+100; j++ {
			recs = append(recs, synthetic(j))
		}
		appendAll(t, l, recs...)
	}
	close(stop)
	if err := <-released; err != nil {
		t.Fatal(err)
	}
	rep, err := l.Verify(nil)
	if err != nil || !rep.OK {
		t.Fatalf("verify after appends with the value log paged out: %+v %v", rep, err)
	}
	if l.Size() != n {
		t.Fatalf("%d entries, want %d", l.Size(), n)
	}
}
