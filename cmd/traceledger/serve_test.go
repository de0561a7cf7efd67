package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"traceledger/fixtures"
	"traceledger/ledger"
)

// runServeCmd runs "traceledger serve args..." in process until ctx ends and
// returns what it logged and the exit status main would give it.
func runServeCmd(t *testing.T, ctx context.Context, args ...string) (string, int) {
	t.Helper()
	cmd := newServeCmd()
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	logs := &syncBuffer{}
	cmd.SetArgs(args)
	cmd.SetOut(logs)
	cmd.SetErr(logs)
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(serveTestWait):
		t.Fatalf("serve %q did not return in %v:\n%s\n%s", args, serveTestWait, logs.String(), allStacks())
	}
	var ee *exitError
	switch {
	case err == nil:
		return logs.String(), 0
	case errors.As(err, &ee):
		return logs.String() + err.Error(), ee.code
	}
	return logs.String() + err.Error(), 2
}

func TestServeStopsCleanlyWhenItsContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as if SIGTERM arrived at once
	dir := t.TempDir()
	logs, code := runServeCmd(t, ctx, "--addr", "127.0.0.1:0", "--data", dir)
	if code != 0 || !strings.Contains(logs, "stopped cleanly") {
		t.Fatalf("exit %d, logs:\n%s", code, logs)
	}
	if _, err := os.Stat(ledger.StoreDir(dir)); err != nil {
		t.Errorf("serve did not create the store: %v", err)
	}
	// The store was closed cleanly: it opens again at once.
	l, err := ledger.Open(dir, serveStoreOptions())
	if err != nil {
		t.Fatalf("reopening the store: %v", err)
	}
	l.Close()
}

func TestServeUsageErrorsExit2(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	for _, args := range [][]string{
		{"--base-url", "not a url"},
		{"--addr", "256.0.0.1:99999"},
		{"extra-argument"},
	} {
		if logs, code := runServeCmd(t, context.Background(), append(args, "--data", data)...); code != 2 {
			t.Errorf("serve %v: exit %d, want 2\n%s", args, code, logs)
		}
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("a usage error created the store: %v", err)
	}
}

// serveTestWait bounds every wait of the serve tests (a start, a stop, a request):
// far beyond what they take on a loaded machine, so that a server that hangs fails
// its test with its log and every goroutine's stack rather than stalling the
// package until go test's own timeout, which names no test.
const serveTestWait = 2 * time.Minute

// serveClient is the tests' HTTP client, bounded like every other wait.
var serveClient = &http.Client{Timeout: serveTestWait}

// allStacks returns the stacks of every goroutine, for a test that gives up waiting.
func allStacks() string {
	buf := make([]byte, 4<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runningServe is a serve command running in the test's process.
type runningServe struct {
	base     string
	out, log *syncBuffer
	stop     func() int // ends the command as SIGTERM would and returns its exit status
}

// startServe runs "traceledger serve args... --addr 127.0.0.1:0" and waits until
// it serves.
func startServe(t *testing.T, args ...string) *runningServe {
	t.Helper()
	cmd := newServeCmd()
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	rs := &runningServe{out: &syncBuffer{}, log: &syncBuffer{}}
	cmd.SetArgs(append(args, "--addr", "127.0.0.1:0"))
	cmd.SetOut(rs.out)
	cmd.SetErr(rs.log)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- exitStatus(cmd.ExecuteContext(ctx)) }()
	var once sync.Once
	var code int
	rs.stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(serveTestWait):
				t.Fatalf("serve did not stop in %v after its context ended:\n%s\n%s", serveTestWait, rs.log.String(), allStacks())
			}
		})
		return code
	}
	deadline := time.Now().Add(serveTestWait)
	for time.Now().Before(deadline) {
		sc := bufio.NewScanner(strings.NewReader(rs.log.String()))
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
				rs.base = "http://" + line.Addr
				t.Cleanup(func() { rs.stop() })
				return rs
			}
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d before serving:\n%s", code, rs.log.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Cleanup(func() { rs.stop() }) // the store is open: close it before the temporary directory goes
	t.Fatalf("serve did not start in %v:\n%s\n%s", serveTestWait, rs.log.String(), allStacks())
	return nil
}

// get sends GET path with the key (none when "") and returns the status and body.
func (rs *runningServe) get(t *testing.T, path, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, rs.base+path, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := serveClient.Do(req)
	if err != nil {
		// A request that timed out is a handler that hangs: show where.
		t.Fatalf("GET %s: %v\nserve's log:\n%s\n%s", path, err, rs.log.String(), allStacks())
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// demoKeysFrom reads the demo key table serve printed: role -> keys.
func demoKeysFrom(out string) map[string][]string {
	keys := map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) > 2 && strings.HasPrefix(f[len(f)-1], "tlk_") {
			keys[f[0]] = append(keys[f[0]], f[len(f)-1])
		}
	}
	return keys
}

func TestServeDemoLoadsOnceAndItsKeysWork(t *testing.T) {
	dir := t.TempDir()
	rs := startServe(t, "--data", dir, "--demo")
	if code, body := rs.get(t, "/readyz", ""); code != http.StatusOK {
		t.Fatalf("/readyz: %d %s", code, body)
	}
	keys := demoKeysFrom(rs.out.String())
	if len(keys["producer"]) != 7 || len(keys["inspector"]) != 1 || len(keys["regulator"]) != 1 || len(keys["admin"]) != 1 {
		t.Fatalf("demo keys by role: %v\n%s", keys, rs.out.String())
	}
	admin, producer := keys["admin"][0], keys["producer"][0]
	code, body := rs.get(t, "/api/v1/keys", admin)
	if code != http.StatusOK || strings.Count(body, `"id"`) != 10 {
		t.Errorf("admin lists keys: %d %s", code, body)
	}
	if code, body := rs.get(t, "/epcis/events?perPage=5", producer); code != http.StatusOK ||
		!strings.Contains(body, "EPCISQueryDocument") {
		t.Errorf("a demo producer key queries events: %d %.300s", code, body)
	}
	if code, _ := rs.get(t, "/epcis/events?perPage=5", ""); code != http.StatusUnauthorized {
		t.Errorf("querying events without a key: %d, want 401", code)
	}
	farm := fixtures.Demo().Firms[0]
	if code, body := rs.get(t, "/api/v1/firms/"+farm.USCC, ""); code != http.StatusOK || !strings.Contains(body, farm.Name) {
		t.Errorf("the demo farm's public record: %d %s", code, body)
	}
	// The appender reports to /metrics: the demo's commits and the ledger's size.
	code, body = rs.get(t, "/metrics", "")
	if code != http.StatusOK || !regexp.MustCompile(`(?m)^traceledger_ledger_entries [1-9]`).MatchString(body) ||
		!regexp.MustCompile(`(?m)^traceledger_ledger_appends_total [1-9]`).MatchString(body) ||
		!regexp.MustCompile(`(?m)^traceledger_ledger_size_bytes [1-9]`).MatchString(body) {
		t.Errorf("/metrics after the demo load lacks ledger figures: %d\n%s", code, body)
	}
	if code, body := rs.get(t, "/api/v1/keys", producer); code != http.StatusForbidden {
		t.Errorf("a producer key on an admin route: %d %s, want 403", code, body)
	}
	if code, _ := rs.get(t, "/api/v1/keys", "tlk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"); code != http.StatusUnauthorized {
		t.Errorf("an unknown key: %d, want 401", code)
	}
	if code := rs.stop(); code != 0 || !strings.Contains(rs.log.String(), "stopped cleanly") {
		t.Fatalf("stop: exit %d\n%s", code, rs.log.String())
	}
	rep, err := ledger.Verify(dir, serveStoreOptions(), nil)
	if err != nil || !rep.OK {
		t.Fatalf("the demo store does not verify: %+v, %v", rep, err)
	}
	entries := rep.Entries

	// A second start with --demo on the same store loads and prints nothing.
	rs = startServe(t, "--data", dir, "--demo")
	if out := rs.out.String(); out != "" {
		t.Errorf("second start printed:\n%s", out)
	}
	if code, body := rs.get(t, "/api/v1/keys", admin); code != http.StatusOK || strings.Count(body, `"id"`) != 10 {
		t.Errorf("after restart, admin lists keys: %d %s", code, body)
	}
	if code := rs.stop(); code != 0 {
		t.Fatalf("second stop: exit %d", code)
	}
	l, err := ledger.Open(dir, serveStoreOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if l.Size() != entries {
		t.Errorf("restart changed the store: %d entries, was %d", l.Size(), entries)
	}
}
