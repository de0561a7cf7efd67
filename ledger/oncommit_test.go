package ledger

import (
	"context"
	"sync"
	"testing"
)

// TestOnCommitReportsNewEntries checks the hook metrics rely on: one call per group
// commit with the entries it made durable and the new size, and no call for a group
// of duplicates only.
func TestOnCommitReportsNewEntries(t *testing.T) {
	type call struct {
		entries int
		size    int64
	}
	var mu sync.Mutex
	var calls []call
	opts := DefaultOptions().WithIndexer(testIndexer)
	opts.OnCommit = func(entries int, size int64) {
		mu.Lock()
		calls = append(calls, call{entries, size})
		mu.Unlock()
	}
	l, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	a := testEvent{ID: "a", Products: []string{lotA}}.record()
	b := testEvent{ID: "b", Products: []string{lotA}}.record()
	c := testEvent{ID: "c", Products: []string{lotB}}.record()
	ctx := context.Background()
	if _, err := l.Append(ctx, a, b, a); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(ctx, b); err != nil { // duplicate only: nothing new
		t.Fatal(err)
	}
	if _, err := l.Append(ctx, c); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []call{{2, 2}, {1, 3}}
	if len(calls) != len(want) {
		t.Fatalf("calls %+v, want %+v", calls, want)
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Errorf("call %d = %+v, want %+v", i, calls[i], want[i])
		}
	}
}
