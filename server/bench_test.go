package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"traceledger/fixtures/memkv"
)

// BenchmarkHealthz measures the whole middleware chain (request ID, metrics, access
// log, recovery, body limit, auth, rate limit, CORS, gzip) around the cheapest
// handler: the per-request overhead every route pays. The log goes to io.Discard
// through the JSON handler, so formatting is included.
func BenchmarkHealthz(b *testing.B) {
	s, err := New(Config{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}, Deps{})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		req.RemoteAddr = "192.0.2.1:1234"
		for pb.Next() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
}

// BenchmarkHealthzKeyed is BenchmarkHealthz with an API key to resolve (one
// KeyStore lookup and SHA-256 per request, here on the in-memory KV).
func BenchmarkHealthzKeyed(b *testing.B) {
	ks := NewKVKeyStore(memkv.New())
	key, _, err := ks.Create("F", RoleProducer)
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}, Deps{Keys: ks})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		for pb.Next() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
}

// BenchmarkHealthzHTTP is /healthz over real loopback TCP with keep-alive: the
// baseline the throughput figures are ratios to.
func BenchmarkHealthzHTTP(b *testing.B) {
	s, err := New(Config{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), PublicRate: -1}, Deps{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := client.Get(srv.URL + "/healthz")
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
}
