package ledger

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The crash test runs this test binary again as a child (TestHelperProcess with
// LEDGER_CRASH_DIR set) that appends from several goroutines and prints every
// acknowledged event ID; the parent kills it with SIGKILL at a random moment and
// checks that everything acknowledged survived.

const crashDirEnv = "LEDGER_CRASH_DIR"

// TestHelperProcess is the child of TestCrashKeepsEveryAcknowledgedAppend; run
// directly it does nothing. It never outlives its parent: it exits when its
// standard input (a pipe from the parent) ends or its output cannot be written.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		return
	}
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(5)
	}()
	base, _ := strconv.Atoi(os.Getenv("LEDGER_CRASH_BASE"))
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	gc := os.Getenv(crashGCEnv) != ""
	opts := crashOptions(gc)
	opts.OnGC = func(files int, err error) {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(7)
		}
		if files > 0 {
			mu.Lock()
			fmt.Fprintf(out, "gc %d\n", files)
			mu.Unlock() // flushed with the next acknowledgement
		}
	}
	l, err := Open(dir, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	workers := 8
	if gc { // small commits: each leaves a whole time row behind as garbage
		workers = 2
	}
	for w := range workers {
		go func() {
			for i := 0; ; i++ {
				n := base + w*100000 + i
				recs := []Record{crashRecord(n, gc)}
				if w%2 == 1 { // odd workers append two-record batches
					recs = append(recs, crashRecord(n+50000, gc))
					i++
				}
				res, err := l.Append(context.Background(), recs...)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(4)
				}
				mu.Lock()
				for _, r := range res {
					fmt.Fprintf(out, "ack %s %d\n", r.EventID, r.Index)
				}
				if err := out.Flush(); err != nil {
					os.Exit(6) // the parent is gone
				}
				mu.Unlock()
			}
		}()
	}
	select {}
}

// crashGCEnv makes the child collect value-log garbage all the time (crashOptions).
const crashGCEnv = "LEDGER_CRASH_GC"

// crashOptions are the options of the crash test's child and of the parent's
// checks. With gc, the value log is cut into Badger's smallest files and the
// memtable is small (compactions, which find the garbage, come often), and the
// log collects garbage every few milliseconds, so that kills land during
// collections too.
func crashOptions(gc bool) Options {
	o := DefaultOptions().WithIndexer(testIndexer)
	if gc {
		o.ValueLogFileSize = 1 << 20
		o.MemTableSize = 256 << 10
		o.GCInterval = 5 * time.Millisecond
	}
	return o
}

// crashRecord is the child's record n: a synthetic one, or with gc one that makes
// value-log garbage fast (every event in the same hour, so that the hour's time
// row, rewritten by every commit, grows to its whole chunk; see TestCollectGarbage).
func crashRecord(n int, gc bool) Record {
	if !gc {
		return synthetic(n)
	}
	e := testEvent{
		ID:        fmt.Sprintf("ni:///sha-256;%064x?ver=CBV2.0", n),
		BizStep:   "inspecting",
		Products:  []string{fmt.Sprintf("https://id.gs1.org/01/09506000134352/10/L%d", n)},
		Locations: []string{"https://id.gs1.org/414/9506000100001"},
		Time:      time.Date(2026, 3, 1, 8, 0, 0, n%1000, time.UTC),
		Pad:       100,
	}
	return Record{Event: e.bytes()}
}

func TestCrashKeepsEveryAcknowledgedAppend(t *testing.T) { crashRounds(t, false) }

// TestCrashDuringValueLogGC is the crash test with value-log garbage collected
// while the child appends: a collection rewrites live values and deletes files,
// and a kill in the middle of one must lose nothing acknowledged either.
func TestCrashDuringValueLogGC(t *testing.T) {
	if files := crashRounds(t, true); files == 0 {
		t.Fatal("no value-log file was collected in any round: the test did not exercise the collector")
	}
}

// crashRounds runs the crash test's rounds and returns how many value-log files
// the children reported collected.
func crashRounds(t *testing.T, gc bool) (collected int) {
	if testing.Short() {
		t.Skip("crash test re-executes the test binary")
	}
	dir := t.TempDir()
	acked := map[string]int64{}
	for round := range 5 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, fmt.Sprintf("LEDGER_CRASH_BASE=%d", (round+1)*1000000))
		if gc {
			cmd.Env = append(cmd.Env, crashGCEnv+"=1")
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		// The child runs until killed, or until this pipe closes: when this process
		// ends, however it ends, so does the child.
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killed := false
		t.Cleanup(func() { // a round that failed before its kill
			if !killed {
				cmd.Process.Kill()
				stdin.Close()
				cmd.Wait()
			}
		})
		// Every line is read as it comes, so that the child never waits on its
		// output: a kill finds it appending (and collecting).
		var lines []string
		firstLine, readDone := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(readDone)
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines = append(lines, sc.Text())
				if len(lines) == 1 {
					close(firstLine)
				}
			}
		}()
		// Kill at a random moment after the first acknowledgement.
		select {
		case <-firstLine:
		case <-readDone:
			t.Fatalf("round %d: child acknowledged nothing: %s", round, stderr.String())
		case <-time.After(2 * time.Minute):
			t.Fatalf("round %d: no acknowledgement from the child in 2 minutes: %s", round, stderr.String())
		}
		wait := time.Duration(50+rand.IntN(400)) * time.Millisecond
		if gc { // long enough for compactions and collections to come
			wait = time.Duration(1000+rand.IntN(1000)) * time.Millisecond
		}
		time.Sleep(wait)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-readDone // the child's end closes its output
		got := 0
		for _, line := range lines {
			f := strings.Fields(line)
			if len(f) == 2 && f[0] == "gc" {
				n, _ := strconv.Atoi(f[1])
				collected += n
				continue
			}
			if len(f) != 3 || f[0] != "ack" {
				continue // a line cut by the kill
			}
			n, _ := strconv.ParseInt(f[2], 10, 64)
			acked[f[1]] = n
			got++
		}
		stdin.Close()
		cmd.Wait()
		killed = true
		if got == 0 {
			t.Fatalf("round %d: no acknowledgements", round)
		}

		opts := crashOptions(gc)
		opts.GCInterval = -1
		l, err := Open(dir, opts)
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		for id, n := range acked {
			e, err := l.Lookup(id)
			if err != nil || e.Index != n {
				t.Fatalf("round %d: acknowledged %s at %d, after the crash: %v, %v", round, id, n, e, err)
			}
		}
		rep, err := l.Verify(nil)
		if err != nil || !rep.OK {
			t.Fatalf("round %d: Verify after crash = %+v, %v", round, rep, err)
		}
		size := l.Size()
		res, err := l.Append(context.Background(), synthetic((round+1)*1000000-1))
		if err != nil || res[0].Index != size {
			t.Fatalf("round %d: append after crash = %+v, %v (size %d)", round, res, err, size)
		}
		t.Logf("round %d: %d acknowledged this round, log size %d, %d value-log files collected so far", round, got, size+1, collected)
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return collected
}
