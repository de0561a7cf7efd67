package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"traceledger/fixtures/memkv"
)

// testStore is a Store whose readiness the test sets and whose Close it records.
type testStore struct {
	mu       sync.Mutex
	notReady error
	block    chan struct{} // when set, Ready waits for it to close
	entered  chan struct{} // when set, Ready signals it on entry
	closed   int
	events   []string
}

func (st *testStore) Ready() error {
	if st.entered != nil {
		st.entered <- struct{}{}
	}
	if st.block != nil {
		<-st.block
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.events = append(st.events, "ready")
	return st.notReady
}

func (st *testStore) Close() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.closed++
	st.events = append(st.events, "close")
	return nil
}

// testServer is a real server on 127.0.0.1:0 with a client that does not
// decompress on its own (the gzip test looks at the raw answer).
type testServer struct {
	t      *testing.T
	s      *Server
	url    string
	client *http.Client
	cancel context.CancelFunc
	done   chan error
	store  *testStore
	keys   *KVKeyStore
	logs   *bytes.Buffer
	logw   *lockedWriter // the server's writes into logs, when startServer made the logger
}

// startServer starts a server with cfg (logging into a buffer) on a fresh memKV key
// store and a ready testStore, and stops it when the test ends.
func startServer(t *testing.T, cfg Config, prepare ...func(*Server)) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, store: &testStore{}, keys: NewKVKeyStore(memkv.New()), logs: &bytes.Buffer{}}
	if cfg.Logger == nil {
		ts.logw = &lockedWriter{w: ts.logs}
		cfg.Logger = slog.New(slog.NewJSONHandler(ts.logw, nil))
	}
	if cfg.Addr == "" {
		cfg.Addr = ln.Addr().String()
	}
	ts.s, err = New(cfg, Deps{Store: ts.store, Keys: ts.keys})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prepare {
		p(ts.s)
	}
	ts.url = "http://" + ln.Addr().String()
	ts.client = &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	ts.cancel, ts.done = cancel, make(chan error, 1)
	go func() { ts.done <- ts.s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-ts.done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Serve did not return after cancel")
		}
	})
	return ts
}

// lockedWriter serializes writes to a buffer shared by server goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// String returns what was written so far into the buffer, under the lock.
func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.(*bytes.Buffer).String()
}

// key creates an API key of role for a test firm.
func (ts *testServer) key(role Role) string {
	ts.t.Helper()
	k, _, err := ts.keys.Create("91350100M000100Y43", role)
	if err != nil {
		ts.t.Fatal(err)
	}
	return k
}

// do sends a request with an optional key and body and returns the answer with its
// body read.
func (ts *testServer) do(method, path, key string, body io.Reader, header ...string) (*http.Response, []byte) {
	ts.t.Helper()
	req, err := http.NewRequest(method, ts.url+path, body)
	if err != nil {
		ts.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := ts.client.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	return res, b
}

// problem decodes a problem answer and checks the parts every problem must have.
func problem(t *testing.T, res *http.Response, body []byte, status int) Problem {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d; body %s", res.StatusCode, status, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != ProblemContentType {
		t.Fatalf("Content-Type %q, want %q; body %s", ct, ProblemContentType, body)
	}
	var p Problem
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("problem body %s: %v", body, err)
	}
	if p.Status != status || p.Title == "" || p.Type == "" || p.Instance == "" || p.RequestID == "" {
		t.Fatalf("incomplete problem %s", body)
	}
	if p.RequestID != res.Header.Get(HeaderRequestID) {
		t.Fatalf("problem requestId %q, header %q", p.RequestID, res.Header.Get(HeaderRequestID))
	}
	if strings.Contains(string(body), "goroutine ") || strings.Contains(string(body), ".go:") {
		t.Fatalf("problem leaks internals: %s", body)
	}
	return p
}

func TestHealthzAnswersWhileTheStoreIsNotReady(t *testing.T) {
	ts := startServer(t, Config{})
	ts.store.notReady = errors.New("appender stopped")
	res, body := ts.do("GET", "/healthz", "", nil)
	if res.StatusCode != 200 || strings.TrimSpace(string(body)) != `{"status":"ok"}` {
		t.Fatalf("healthz: %d %s", res.StatusCode, body)
	}
	res, body = ts.do("GET", "/readyz", "", nil)
	p := problem(t, res, body, http.StatusServiceUnavailable)
	if !strings.Contains(p.Detail, "appender stopped") {
		t.Errorf("readyz detail %q does not say why", p.Detail)
	}
	ts.store.mu.Lock()
	ts.store.notReady = nil
	ts.store.mu.Unlock()
	res, body = ts.do("GET", "/readyz", "", nil)
	if res.StatusCode != 200 || !strings.Contains(string(body), `"ready"`) {
		t.Fatalf("readyz when ready: %d %s", res.StatusCode, body)
	}
}

func TestErrorsAreProblems(t *testing.T) {
	ts := startServer(t, Config{BodyLimit: 1024})
	admin := ts.key(RoleAdmin)
	tests := []struct {
		name         string
		method, path string
		key          string
		body         string
		header       []string
		status       int
		typ          Exception
		field        string
	}{
		{name: "unknown path", method: "GET", path: "/no/such/thing", status: 404, typ: NoSuchResourceException},
		{name: "wrong method", method: "PUT", path: "/healthz", status: 405, typ: NoException},
		{name: "oversized body by Content-Length", method: "POST", path: "/api/v1/keys", key: admin,
			body: `{"firm":"` + strings.Repeat("x", 2000) + `"}`, status: 413, typ: CaptureLimitExceededException},
		{name: "malformed JSON", method: "POST", path: "/api/v1/keys", key: admin,
			body: `{"firm": "F", "role": }`, status: 400, typ: ValidationException, field: "role"},
		{name: "wrong type", method: "POST", path: "/api/v1/keys", key: admin,
			body: `{"firm": 5, "role": "producer"}`, status: 400, typ: ValidationException, field: "firm"},
		{name: "unknown field", method: "POST", path: "/api/v1/keys", key: admin,
			body: `{"firm": "F", "role": "producer", "colour": "red"}`, status: 400, typ: ValidationException, field: "colour"},
		{name: "unknown role", method: "POST", path: "/api/v1/keys", key: admin,
			body: `{"firm": "F", "role": "king"}`, status: 400, typ: ValidationException, field: "role"},
		{name: "empty body", method: "POST", path: "/api/v1/keys", key: admin, status: 400, typ: ValidationException},
		{name: "trailing data", method: "POST", path: "/api/v1/keys", key: admin,
			body: `{"firm": "F", "role": "producer"} {}`, status: 400, typ: ValidationException},
		{name: "revoking an unknown key", method: "DELETE", path: "/api/v1/keys/0123456789abcdef", key: admin,
			status: 404, typ: NoSuchResourceException, field: "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			res, b := ts.do(tt.method, tt.path, tt.key, body, tt.header...)
			p := problem(t, res, b, tt.status)
			if p.Type != tt.typ || p.Field != tt.field {
				t.Errorf("type %q field %q, want %q %q: %s", p.Type, p.Field, tt.typ, tt.field, b)
			}
			if p.Instance != tt.path {
				t.Errorf("instance %q, want %q", p.Instance, tt.path)
			}
		})
	}
	t.Run("405 names the allowed methods", func(t *testing.T) {
		res, _ := ts.do("DELETE", "/api/v1/keys", admin, nil)
		if allow := res.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
			t.Errorf("Allow %q", allow)
		}
	})
	t.Run("HEAD gets the status without a body", func(t *testing.T) {
		res, b := ts.do("HEAD", "/no/such/thing", "", nil)
		if res.StatusCode != 404 || len(b) != 0 {
			t.Errorf("HEAD 404: %d %q", res.StatusCode, b)
		}
	})
}

func TestChunkedBodyOverTheLimitIs413(t *testing.T) {
	ts := startServer(t, Config{BodyLimit: 1024})
	admin := ts.key(RoleAdmin)
	// An io.Reader of unknown length makes the client send chunked, without Content-Length.
	body := io.MultiReader(strings.NewReader(`{"firm":"`), strings.NewReader(strings.Repeat("x", 4096)), strings.NewReader(`"}`))
	res, b := ts.do("POST", "/api/v1/keys", admin, body)
	problem(t, res, b, http.StatusRequestEntityTooLarge)
}

func TestPanicBecomesAProblemAndIsLogged(t *testing.T) {
	ts := startServer(t, Config{}, func(s *Server) {
		s.add(Route{Method: "GET", Path: "/test/panic", Public: true, Handler: func(echo.Context) error {
			panic("secret internal state")
		}})
	})
	res, b := ts.do("GET", "/test/panic", "", nil)
	p := problem(t, res, b, http.StatusInternalServerError)
	if p.Type != ImplementationException || strings.Contains(string(b), "secret") {
		t.Errorf("panic problem: %s", b)
	}
	// The server still serves.
	if res, _ := ts.do("GET", "/healthz", "", nil); res.StatusCode != 200 {
		t.Errorf("healthz after panic: %d", res.StatusCode)
	}
	if !ts.logHas("secret internal state") {
		t.Errorf("the panic is not in the log")
	}
}

// logHas reports whether the server logs want, waiting up to 10 s for it: the
// access log line is written after the response has gone out to the client.
func (ts *testServer) logHas(want string) bool {
	ts.t.Helper()
	if ts.logw == nil {
		ts.t.Fatal("logHas: the test server logs elsewhere")
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if strings.Contains(ts.logw.String(), want) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

func TestRequestIDIsEchoedOrMade(t *testing.T) {
	ts := startServer(t, Config{})
	res, _ := ts.do("GET", "/healthz", "", nil, HeaderRequestID, "client-chosen-42")
	if got := res.Header.Get(HeaderRequestID); got != "client-chosen-42" {
		t.Errorf("echoed request ID %q", got)
	}
	res, _ = ts.do("GET", "/healthz", "", nil)
	made := res.Header.Get(HeaderRequestID)
	if len(made) != 36 || strings.Count(made, "-") != 4 {
		t.Errorf("made request ID %q is not a UUID", made)
	}
	res, _ = ts.do("GET", "/healthz", "", nil, HeaderRequestID, "has spaces \"and quotes\"")
	if got := res.Header.Get(HeaderRequestID); got == "" || strings.Contains(got, " ") {
		t.Errorf("unsafe request ID kept: %q", got)
	}
	if !ts.logHas(`"requestId":"client-chosen-42"`) {
		t.Errorf("access log lacks the request ID:\n%s", ts.logw.String())
	}
}

func TestGzipCompressesLargeAnswers(t *testing.T) {
	ts := startServer(t, Config{}, func(s *Server) {
		s.add(Route{Method: "GET", Path: "/test/image.png", Public: true, Compressed: true,
			Handler: func(c echo.Context) error {
				return c.Blob(200, "image/png", bytes.Repeat([]byte{0x89}, 4096))
			}})
	})
	res, b := ts.do("GET", "/openapi.json", "", nil, "Accept-Encoding", "gzip")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
	plain := gunzip(t, b)
	if !json.Valid(plain) || len(plain) <= len(b) {
		t.Errorf("gzip answer: %d bytes compressed, %d plain, valid JSON %v", len(b), len(plain), json.Valid(plain))
	}
	res, _ = ts.do("GET", "/healthz", "", nil, "Accept-Encoding", "gzip")
	if res.Header.Get("Content-Encoding") != "" {
		t.Errorf("tiny answer compressed")
	}
	res, b = ts.do("GET", "/openapi.json", "", nil)
	if res.Header.Get("Content-Encoding") != "" || !json.Valid(b) {
		t.Errorf("compressed without Accept-Encoding")
	}
	res, b = ts.do("GET", "/test/image.png", "", nil, "Accept-Encoding", "gzip")
	if res.Header.Get("Content-Encoding") != "" || len(b) != 4096 {
		t.Errorf("an already compressed answer was gzipped: %q, %d bytes", res.Header.Get("Content-Encoding"), len(b))
	}
}

func TestCORSOnPublicReadsOnly(t *testing.T) {
	ts := startServer(t, Config{})
	admin := ts.key(RoleAdmin)
	res, _ := ts.do("GET", "/openapi.json", "", nil, "Origin", "https://example.org")
	if res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("public GET: Access-Control-Allow-Origin %q", res.Header.Get("Access-Control-Allow-Origin"))
	}
	res, _ = ts.do("OPTIONS", "/openapi.json", "", nil, "Origin", "https://example.org",
		"Access-Control-Request-Method", "GET")
	if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("preflight: %d %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
	res, _ = ts.do("GET", "/api/v1/keys", admin, nil, "Origin", "https://example.org")
	if res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("keyed endpoint is open to other origins")
	}
}

func TestRateLimitAnonymousCallers(t *testing.T) {
	// The limiter's clock stands still: no token comes back however slowly a loaded
	// machine sends the requests, so the fourth is refused with a whole 2 s to wait.
	frozen := time.Now()
	ts := startServer(t, Config{PublicRate: 0.5, PublicBurst: 3}, func(s *Server) {
		s.limiter.now = func() time.Time { return frozen }
	})
	var last *http.Response
	var lastBody []byte
	for i := 0; i < 4; i++ {
		last, lastBody = ts.do("GET", "/metrics", "", nil, "Origin", "https://example.org")
	}
	p := problem(t, last, lastBody, http.StatusTooManyRequests)
	if last.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("a browser on another origin cannot read the 429")
	}
	if ra := last.Header.Get("Retry-After"); ra != "2" {
		t.Errorf("Retry-After %q, want 2 (one token per 2 s)", ra)
	}
	if !strings.Contains(p.Detail, "API key") {
		t.Errorf("429 detail %q", p.Detail)
	}
	// Unknown paths count too (scanning for codes is what the limit is for).
	if res, b := ts.do("GET", "/no/such", "", nil); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("unmatched path: %d %s", res.StatusCode, b)
	}
	// Probes and keyed callers are not limited.
	if res, _ := ts.do("GET", "/healthz", "", nil); res.StatusCode != 200 {
		t.Errorf("healthz limited: %d", res.StatusCode)
	}
	if res, _ := ts.do("GET", "/metrics", ts.key(RoleProducer), nil); res.StatusCode != 200 {
		t.Errorf("keyed caller limited: %d", res.StatusCode)
	}
}

func TestAuthRolesAndRevocation(t *testing.T) {
	ts := startServer(t, Config{})
	admin, producer := ts.key(RoleAdmin), ts.key(RoleProducer)

	res, b := ts.do("GET", "/api/v1/keys", "", nil)
	problem(t, res, b, http.StatusUnauthorized)
	if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("401 without challenge: %q", res.Header.Get("WWW-Authenticate"))
	}
	res, b = ts.do("GET", "/api/v1/keys", producer, nil)
	if p := problem(t, res, b, http.StatusForbidden); !strings.Contains(p.Detail, "requires role admin") ||
		p.Type != SecurityException {
		t.Errorf("403 says %q", p.Detail)
	}
	for _, bad := range []string{"tlk_short", "not-a-key", KeyPrefix + strings.Repeat("A", 43)} {
		res, b = ts.do("GET", "/healthz", bad, nil)
		if p := problem(t, res, b, http.StatusUnauthorized); !strings.Contains(res.Header.Get("WWW-Authenticate"), "invalid_token") {
			t.Errorf("key %q: %s / %q", bad, p.Detail, res.Header.Get("WWW-Authenticate"))
		}
	}
	res, b = ts.do("GET", "/healthz", "", nil, "Authorization", "Basic dXNlcjpwYXNz")
	problem(t, res, b, http.StatusUnauthorized)

	// An admin makes a key over HTTP; it works, is listed, then revoked and refused.
	res, b = ts.do("POST", "/api/v1/keys", admin, strings.NewReader(`{"firm":"91350100M000100Y43","role":"inspector"}`))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create key: %d %s", res.StatusCode, b)
	}
	var created struct {
		Key string `json:"key"`
		KeyInfo
	}
	if err := json.Unmarshal(b, &created); err != nil || !strings.HasPrefix(created.Key, KeyPrefix) ||
		created.Role != RoleInspector || res.Header.Get("Location") != "/api/v1/keys/"+created.ID {
		t.Fatalf("created key %s (Location %q): %v", b, res.Header.Get("Location"), err)
	}
	res, b = ts.do("GET", "/api/v1/keys", created.Key, nil)
	problem(t, res, b, http.StatusForbidden) // inspectors do not manage keys
	res, b = ts.do("GET", "/api/v1/keys", admin, nil)
	if res.StatusCode != 200 || !strings.Contains(string(b), created.ID) || strings.Contains(string(b), created.Key) {
		t.Fatalf("list: %d %s", res.StatusCode, b)
	}
	for range 2 { // revoking twice is fine
		if res, b = ts.do("DELETE", "/api/v1/keys/"+created.ID, admin, nil); res.StatusCode != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", res.StatusCode, b)
		}
	}
	res, b = ts.do("GET", "/healthz", created.Key, nil)
	if p := problem(t, res, b, http.StatusUnauthorized); !strings.Contains(p.Detail, "revoked") {
		t.Errorf("revoked key: %q", p.Detail)
	}
}

func TestMetricsExposeRoutesAndLedger(t *testing.T) {
	ts := startServer(t, Config{})
	ts.do("GET", "/healthz", "", nil)
	ts.do("GET", "/no/such/page", "", nil)
	ts.s.Metrics().ObserveBatch(7)
	ts.s.Metrics().SetLedgerSize(42, 4096)
	res, b := ts.do("GET", "/metrics", "", nil)
	if res.StatusCode != 200 {
		t.Fatalf("metrics: %d", res.StatusCode)
	}
	text := string(b)
	for _, want := range []string{
		`traceledger_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`traceledger_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`traceledger_http_request_duration_seconds_bucket{method="GET",route="/healthz",status="200",le="+Inf"} 1`,
		`traceledger_ledger_appends_total 7`,
		`traceledger_ledger_batch_size_sum 7`,
		`traceledger_ledger_entries 42`,
		`traceledger_ledger_size_bytes 4096`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(text, "/no/such/page") {
		t.Errorf("raw path became a label value")
	}
}

func TestGracefulShutdownFinishesInFlightRequests(t *testing.T) {
	ts := startServer(t, Config{})
	ts.store.block, ts.store.entered = make(chan struct{}), make(chan struct{}, 1)
	type answer struct {
		status int
		body   string
		err    error
	}
	got := make(chan answer, 1)
	go func() {
		res, err := ts.client.Get(ts.url + "/readyz")
		if err != nil {
			got <- answer{err: err}
			return
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		got <- answer{res.StatusCode, string(b), err}
	}()
	select {
	case <-ts.store.entered: // the request is in flight inside the store
	case a := <-got:
		t.Fatalf("the request ended before reaching the store: %d %q %v", a.status, a.body, a.err)
	}
	ts.cancel()
	// New connections are refused once the listener is closed.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", strings.TrimPrefix(ts.url, "http://"), time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections after shutdown began")
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case err := <-ts.done:
		t.Fatalf("Serve returned (%v) before the in-flight request finished", err)
	case <-time.After(50 * time.Millisecond):
	}
	ts.store.mu.Lock()
	closedEarly := ts.store.closed
	ts.store.mu.Unlock()
	if closedEarly != 0 {
		t.Fatal("store closed while a request was in flight")
	}
	close(ts.store.block)
	a := <-got
	if a.err != nil || a.status != 200 {
		t.Fatalf("in-flight request: %d %q %v", a.status, a.body, a.err)
	}
	if err := <-ts.done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	ts.done <- nil // for the cleanup
	ts.store.mu.Lock()
	defer ts.store.mu.Unlock()
	if ts.store.closed != 1 || strings.Join(ts.store.events, ",") != "ready,close" {
		t.Errorf("store events %v, closed %d times", ts.store.events, ts.store.closed)
	}
}

// gunzip decompresses b or fails the test.
func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

func TestGetRoutesAnswerHead(t *testing.T) {
	ts := startServer(t, Config{}, func(s *Server) {
		s.add(Route{Method: "GET", Path: "/test/both", Public: true, Handler: func(c echo.Context) error {
			return c.String(200, "from GET")
		}})
		s.add(Route{Method: "HEAD", Path: "/test/both", Public: true, Handler: func(c echo.Context) error {
			c.Response().Header().Set("X-Own-Head", "yes")
			return c.NoContent(204)
		}})
	})
	res, b := ts.do("HEAD", "/healthz", "", nil)
	if res.StatusCode != 200 || len(b) != 0 || res.Header.Get("Content-Type") != "application/json" {
		t.Errorf("HEAD /healthz: %d %q %q", res.StatusCode, b, res.Header.Get("Content-Type"))
	}
	res, _ = ts.do("HEAD", "/test/both", "", nil)
	if res.StatusCode != 204 || res.Header.Get("X-Own-Head") != "yes" {
		t.Errorf("an explicit HEAD route did not replace the derived one: %d", res.StatusCode)
	}
	if r := ts.s.routes["HEAD /test/both"]; r == nil || r.autoHead {
		t.Errorf("route table keeps the derived HEAD")
	}
}
