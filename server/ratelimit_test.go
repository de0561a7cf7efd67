package server

import (
	"fmt"
	"testing"
	"time"
)

func TestRateLimiterBucketsPerClient(t *testing.T) {
	l := NewRateLimiter(2, 3) // 2/s, bursts of 3
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("over the burst: ok %v wait %v, want refused for 500ms", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another client was limited")
	}
	// A refused request takes no token: after the wait, exactly one more passes.
	now = now.Add(wait)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("refused after waiting Retry-After")
	}
	if ok, _ := l.Allow("a"); ok {
		t.Fatal("a second token appeared from nowhere")
	}
	// Idle clients are forgotten, and come back with a full bucket.
	now = now.Add(2 * time.Minute)
	l.Allow("c")
	if _, kept := l.clients["a"]; kept {
		t.Error("idle client kept")
	}
	for range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatal("returning client did not get a full bucket")
		}
	}
}

func TestClientKey(t *testing.T) {
	tests := map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"::ffff:192.0.2.7":     "192.0.2.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"not an address":       "not an address",
	}
	for in, want := range tests {
		if got := clientKey(in); got != want {
			t.Errorf("clientKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkRateLimiterAllow is the limiter's cost per anonymous request, over many
// clients (the map lookup and the token bucket under one mutex).
func BenchmarkRateLimiterAllow(b *testing.B) {
	l := NewRateLimiter(1e9, 1e9)
	clients := make([]string, 1024)
	for i := range clients {
		clients[i] = clientKey(fmt.Sprintf("192.0.%d.%d", i/256, i%256))
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			l.Allow(clients[i%len(clients)])
			i++
		}
	})
}
