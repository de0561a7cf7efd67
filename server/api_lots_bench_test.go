package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"traceledger/fixtures/memkv"
	"traceledger/ledger"
)

// BenchmarkNativeLotRegistration posts lot registrations to a real server on
// 127.0.0.1 from 32 concurrent clients (group commit gathers them): the rate a
// producer's integration can register lots at, durable when acknowledged.
//
//	go test -run '^$' -bench NativeLotRegistration -benchtime 5000x ./server/
func BenchmarkNativeLotRegistration(b *testing.B) {
	l, reg, d := openNative(b, ledger.DefaultOptions())
	keys := NewKVKeyStore(memkv.New())
	key, _, err := keys.Create(d.Firms[farmA].USCC, RoleProducer)
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{Addr: ln.Addr().String(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
		Deps{Store: l, Keys: keys, Ledger: l, Registry: reg})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	url := "http://" + ln.Addr().String() + "/api/v1/lots"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}
	var seq atomic.Int64
	b.SetParallelism(16) // 16 x GOMAXPROCS clients
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			body := fmt.Sprintf(`{"gtin":"06990011000011","lot":"B%d","quantity":%d,"unit":"KGM",`+
				`"productionDate":"2026-03-02","site":"6990011000011","time":"2026-03-02T06:00:00+08:00"}`, n, 100+n%900)
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
			req.Header.Set("Authorization", "Bearer "+key)
			req.Header.Set("Content-Type", "application/json")
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "lots/s")
}
