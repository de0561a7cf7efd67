package ledger

import (
	"errors"
	"log"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadgerStoreFailsAfterValueLogSyncError: Badger logs a failed value-log sync
// (the format below is its own) instead of failing the commit; the store must
// turn it into a failed write, and fail every later write, so that no append is
// acknowledged without being durable.
func TestBadgerStoreFailsAfterValueLogSyncError(t *testing.T) {
	s, err := openBadger(filepath.Join(t.TempDir(), "store"), DefaultOptions().withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	put := func() error {
		b := &Batch{}
		b.Put([]byte("k"), []byte(strings.Repeat("v", 2*valueThreshold)))
		return s.Write(b)
	}
	if err := put(); err != nil {
		t.Fatalf("write before any failure: %v", err)
	}
	q := quietLogger{l: log.New(&strings.Builder{}, "", 0), syncFailed: &s.syncFailed}
	q.Errorf("Error while curlf sync: %v\n", errors.New("input/output error"))
	for i := range 2 {
		if err := put(); err == nil || !strings.Contains(err.Error(), "input/output error") {
			t.Fatalf("write %d after the sync failure: %v, want an error naming it", i, err)
		}
	}
}
