package server

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"traceledger/fixtures/memkv"
)

// Lookup keeps active records in memory; a key revoked while lookups of it run
// must be refused by every lookup that starts after Revoke returns.
func TestKVKeyStoreRevokeDuringLookups(t *testing.T) {
	ks := NewKVKeyStore(memkv.New())
	for round := range 50 {
		key, info, err := ks.Create("91350100M000100Y43", RoleProducer)
		if err != nil {
			t.Fatal(err)
		}
		var stop atomic.Bool
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for !stop.Load() {
					if _, err := ks.Lookup(key); err != nil && !errors.Is(err, ErrKeyRevoked) {
						t.Error(err)
						return
					}
				}
			}()
		}
		if _, err := ks.Lookup(key); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if err := ks.Revoke(info.ID); err != nil {
			t.Fatal(err)
		}
		for range 100 {
			if _, err := ks.Lookup(key); !errors.Is(err, ErrKeyRevoked) {
				t.Fatalf("round %d: Lookup after Revoke: %v, want ErrKeyRevoked", round, err)
			}
		}
		stop.Store(true)
		wg.Wait()
	}
}

// BenchmarkKVKeyStoreLookup is the per-request key lookup of the authentication
// middleware.
func BenchmarkKVKeyStoreLookup(b *testing.B) {
	ks := NewKVKeyStore(memkv.New())
	key, _, err := ks.Create("91350100M000100Y43", RoleProducer)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ks.Lookup(key); err != nil {
			b.Fatal(err)
		}
	}
}
