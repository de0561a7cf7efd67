package ledger

import (
	"errors"
	"fmt"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

// formatOf reads the format row of a closed log.
func formatOf(t *testing.T, dir string) string {
	t.Helper()
	var f string
	editStore(t, dir, func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(keyFormat))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		v, err := item.ValueCopy(nil)
		f = string(v)
		return err
	})
	return f
}

// formatOne turns a closed log into what an earlier traceledger left: no format
// row, and derived rows of the old layout (a tree hash row per entry, chain head
// rows, text event ID keys, a row per edge) instead of the current ones.
func formatOne(t *testing.T, dir string) {
	t.Helper()
	db, err := badger.Open(badger.DefaultOptions(StoreDir(dir)).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DropPrefix([]byte(keyFormat), []byte(prefixHash), []byte(prefixEventID), []byte(prefixIndex)); err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(txn *badger.Txn) error {
		for n := range int64(40) {
			e, err := UnmarshalEntry(get(t, txn, entryKey(n)))
			if err != nil {
				return err
			}
			ix := make([]byte, 8)
			putIndex(ix, n)
			for _, kv := range [][2][]byte{
				{u64Key(prefixHash, n), make([]byte, 32)},
				{append([]byte(prefixEventID), e.EventID...), ix},
				{append([]byte("H"), e.Links[0].Code...), append(ix, make([]byte, 32)...)},
				{append(append(edgePrefixV1(e.Links[0].Code), ix...), "to\x00transform"...), nil},
			} {
				if err := txn.Set(kv[0], kv[1]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func edgePrefixV1(code string) []byte { return append(append([]byte(prefixEdgeOut), code...), 0) }

func TestNewStoreIsMarkedWithItsFormat(t *testing.T) {
	dir := tamperLog(t)
	if f := formatOf(t, dir); f != storeFormat {
		t.Fatalf("format row %q, want %q", f, storeFormat)
	}
}

// TestOpenRebuildsTheIndexesOfAnOlderStore: a store of format 1 keeps its entries
// and checkpoints; opening it for writing rebuilds every derived row, after which
// it verifies, walks its chains, finds its event IDs and takes new appends.
func TestOpenRebuildsTheIndexesOfAnOlderStore(t *testing.T) {
	dir := tamperLog(t)
	formatOne(t, dir)
	ro := DefaultOptions().WithIndexer(testIndexer).WithReadOnly(true)
	if _, err := Open(dir, ro); !errors.Is(err, ErrFormat) {
		t.Fatalf("read-only open of a format 1 store: %v, want ErrFormat", err)
	}

	l := openTest(t, dir)
	rep, err := l.Verify(nil)
	if err != nil || !rep.OK {
		t.Fatalf("after the rebuild: %+v, %v", rep, err)
	}
	hist, err := l.History(lotOf(0))
	if err != nil || len(hist) == 0 {
		t.Fatalf("history after the rebuild: %d entries, %v", len(hist), err)
	}
	if a := appendAll(t, l, synthetic(7), synthetic(40)); !a[0].Duplicate || a[0].Index != 7 || a[1].Duplicate || a[1].Index != 40 {
		t.Fatalf("appends after the rebuild: %+v", a)
	}
	if rep, err := l.Verify(nil); err != nil || !rep.OK {
		t.Fatalf("after appending: %+v, %v", rep, err)
	}
	l.Close()
	if f := formatOf(t, dir); f != storeFormat {
		t.Fatalf("format row %q after the rebuild, want %q", f, storeFormat)
	}
}

func TestOpenRefusesANewerFormat(t *testing.T) {
	dir := tamperLog(t)
	editStore(t, dir, func(txn *badger.Txn) error { return txn.Set([]byte(keyFormat), []byte("99")) })
	if _, err := Open(dir, DefaultOptions().WithIndexer(testIndexer)); !errors.Is(err, ErrFormat) {
		t.Fatalf("open of a format 99 store: %v, want ErrFormat", err)
	}
}

// lotOf is the lot synthetic(i) touches.
func lotOf(i int) string {
	return fmt.Sprintf("https://id.gs1.org/01/0950600013%04d/10/L%d", i%10, i/50)
}
