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
	l, err := Open(dir, DefaultOptions().WithIndexer(testIndexer))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	for w := range 8 {
		go func() {
			for i := 0; ; i++ {
				n := base + w*100000 + i
				recs := []Record{synthetic(n)}
				if w%2 == 1 { // odd workers append two-record batches
					recs = append(recs, synthetic(n+50000))
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

func TestCrashKeepsEveryAcknowledgedAppend(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test re-executes the test binary")
	}
	dir := t.TempDir()
	acked := map[string]int64{}
	for round := range 5 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, fmt.Sprintf("LEDGER_CRASH_BASE=%d", (round+1)*1000000))
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
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Kill at a random moment after the first acknowledgement.
		var first string
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("round %d: child acknowledged nothing: %s", round, stderr.String())
			}
			first = l
		case <-time.After(2 * time.Minute):
			t.Fatalf("round %d: no acknowledgement from the child in 2 minutes: %s", round, stderr.String())
		}
		time.Sleep(time.Duration(50+rand.IntN(400)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		got := 0
		for line := range concat(first, lines) {
			f := strings.Fields(line)
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

		l, err := Open(dir, DefaultOptions().WithIndexer(testIndexer))
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
		t.Logf("round %d: %d acknowledged this round, log size %d", round, got, size+1)
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// concat yields first, then everything from ch.
func concat(first string, ch <-chan string) func(func(string) bool) {
	return func(yield func(string) bool) {
		if !yield(first) {
			return
		}
		for s := range ch {
			if !yield(s) {
				return
			}
		}
	}
}
