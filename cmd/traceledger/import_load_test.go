package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"traceledger/fixtures"
	"traceledger/ledger/epcis"
)

// The load test measures what importing a large document costs: resident memory
// (issue 4's target: a million events under 1 GiB) and events/s. It takes minutes,
// so it runs only when asked:
//
//	TRACELEDGER_LOAD=1000000 go test -run '^TestImportLoad$' -v -timeout 60m ./cmd/traceledger/
//
// It writes a synthetic EPCIS document of that many events (TRACELEDGER_LOAD_DOC
// names a file to keep it in and reuse it on the next run), then imports it into an
// empty store in a child process, the import command as the binary runs it, and
// samples the child's /proc/PID/status every 100 ms. The child's peak resident set
// is the kernel's (getrusage's ru_maxrss, what /usr/bin/time -v prints as "Maximum
// resident set size"); the samples split it into anonymous memory (Go heap, Badger's
// memtable arenas and caches) and file-backed pages (Badger's memory-mapped value
// log and tables). TRACELEDGER_LOAD_MAX_MIB overrides the 1024 MiB limit.
const (
	loadEnv      = "TRACELEDGER_LOAD"
	loadDocEnv   = "TRACELEDGER_LOAD_DOC"
	loadMaxEnv   = "TRACELEDGER_LOAD_MAX_MIB"
	loadChildEnv = "TRACELEDGER_LOAD_CHILD" // the child's command-line arguments, one a line
)

// TestImportLoad imports TRACELEDGER_LOAD synthetic events in a child process and
// fails when its peak resident set exceeds the limit.
func TestImportLoad(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv(loadEnv))
	if n <= 0 {
		t.Skipf("set %s=N to import N synthetic events and measure resident memory", loadEnv)
	}
	limit := int64(1024)
	if s := os.Getenv(loadMaxEnv); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", loadMaxEnv, s, err)
		}
		limit = v
	}
	doc := os.Getenv(loadDocEnv)
	if doc == "" {
		doc = filepath.Join(t.TempDir(), "load.jsonld")
	}
	if _, err := os.Stat(doc); err != nil {
		start := time.Now()
		if err := writeLoadFile(doc, n, 1); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d events to %s in %.1f s", n, doc, time.Since(start).Seconds())
	}
	data := filepath.Join(t.TempDir(), "store")

	m, out, err := measureChild(t, "import", "--data", data, doc)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	got := regexp.MustCompile(`imported (\d+) events`).FindStringSubmatch(out)
	if got == nil || got[1] != strconv.Itoa(n) {
		t.Fatalf("import of %s (%d events wanted; a kept %s of another size?) printed %q", doc, n, loadDocEnv, out)
	}
	t.Logf("%d events in %.1f s: %.0f events/s", n, m.wall.Seconds(), float64(n)/m.wall.Seconds())
	t.Logf("peak RSS %d MiB (getrusage); sampled peaks: VmRSS %d MiB, RssAnon %d MiB, RssFile %d MiB, RssShmem %d MiB; %d samples",
		m.maxRSS>>20, m.peak["VmRSS"]>>20, m.peak["RssAnon"]>>20, m.peak["RssFile"]>>20, m.peak["RssShmem"]>>20, m.samples)
	if m.maxRSS>>20 > limit {
		t.Errorf("importing %d events took a peak resident set of %d MiB, over the %d MiB limit", n, m.maxRSS>>20, limit)
	}
}

// TestImportLoadChild is the child process of TestImportLoad: it runs the command
// line in TRACELEDGER_LOAD_CHILD and exits with its status.
func TestImportLoadChild(t *testing.T) {
	args := os.Getenv(loadChildEnv)
	if args == "" {
		t.Skip("the child process of TestImportLoad")
	}
	root := newRootCmd()
	root.SetArgs(strings.Split(args, "\n"))
	err := root.Execute()
	if err != nil {
		fmt.Fprintln(os.Stderr, "traceledger:", err)
	}
	os.Exit(exitStatus(err))
}

// A childMemory is what measureChild saw of a child process.
type childMemory struct {
	wall    time.Duration
	maxRSS  int64            // bytes, from getrusage
	peak    map[string]int64 // bytes, the largest sample of each /proc/PID/status field
	samples int
}

// measureChild runs the traceledger command line args in a child process (this test
// binary, through TestImportLoadChild) and measures its memory. It returns the
// child's combined output.
func measureChild(t *testing.T, args ...string) (childMemory, string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportLoadChild$")
	cmd.Env = append(os.Environ(), loadChildEnv+"="+strings.Join(args, "\n"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	m := childMemory{peak: map[string]int64{}}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return m, "", err
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			f, err := os.Open(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
			if err != nil {
				continue
			}
			s := procStatus(f)
			f.Close()
			for k, v := range s {
				m.peak[k] = max(m.peak[k], v)
			}
			m.samples++
		}
	})
	err := cmd.Wait()
	close(done)
	wg.Wait()
	m.wall = time.Since(start)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.maxRSS = ru.Maxrss << 10 // KiB on Linux
	}
	return m, out.String(), err
}

// procStatus reads the memory fields (in kB) of a /proc/PID/status file, in bytes.
func procStatus(r io.Reader) map[string]int64 {
	s := map[string]int64{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || !strings.HasSuffix(rest, " kB") {
			continue
		}
		if v, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(rest, " kB")), 10, 64); err == nil {
			s[name] = v << 10
		}
	}
	return s
}

// writeLoadFile writes n events of the synthetic supply chain of seed to name as one
// EPCIS document.
func writeLoadFile(name string, n int, seed uint64) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = writeLoadDocument(w, n, seed)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeLoadDocument writes n events of the synthetic supply chain of seed as one
// EPCIS 2.0 JSON-LD document, one event a line, holding one event at a time
// (epcis.WriteDocument takes them all at once). Each event carries its own
// @context for its extension prefixes, as MarshalJSON writes it.
func writeLoadDocument(w io.Writer, n int, seed uint64) error {
	gen, err := fixtures.NewGenerator(fixtures.Config{Seed: seed})
	if err != nil {
		return err
	}
	created := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	if _, err := fmt.Fprintf(w, `{"@context":[%q],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":%q,"epcisBody":{"eventList":[`+"\n",
		epcis.ContextURL, created); err != nil {
		return err
	}
	i := 0
	for ev := range gen.Events(n) {
		b, err := ev.MarshalJSON()
		if err != nil {
			return fmt.Errorf("synthetic event %d: %w", i, err)
		}
		if i > 0 {
			b = append([]byte(",\n"), b...)
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		i++
	}
	_, err = io.WriteString(w, "\n]}}\n")
	return err
}

// TestWriteLoadDocumentReadsBack: the load test's document is a valid EPCIS
// document holding the generator's events in order.
func TestWriteLoadDocumentReadsBack(t *testing.T) {
	var b bytes.Buffer
	if err := writeLoadDocument(&b, 120, 3); err != nil {
		t.Fatal(err)
	}
	doc, err := epcis.ParseDocument(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(); err != nil {
		t.Fatal(err)
	}
	gen, err := fixtures.NewGenerator(fixtures.Config{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for ev := range gen.Events(120) {
		if i >= len(doc.Events) || doc.Events[i].HashID() != ev.HashID() {
			t.Fatalf("event %d of %d read back differs from the generator's", i, len(doc.Events))
		}
		i++
	}
	if len(doc.Events) != i {
		t.Fatalf("%d events read back, %d written", len(doc.Events), i)
	}
}

// TestProcStatusReadsMemoryFields: the kB fields of /proc/PID/status, in bytes.
func TestProcStatusReadsMemoryFields(t *testing.T) {
	in := "Name:\ttraceledger\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nRssAnon:\t   512 kB\nThreads:\t9\n"
	for _, tc := range []struct {
		field string
		want  int64
	}{{"VmHWM", 2 << 20}, {"VmRSS", 1 << 20}, {"RssAnon", 512 << 10}, {"Threads", 0}, {"Name", 0}} {
		if got := procStatus(strings.NewReader(in))[tc.field]; got != tc.want {
			t.Errorf("%s = %d, want %d", tc.field, got, tc.want)
		}
	}
}
