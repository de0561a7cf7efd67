package ledger

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"golang.org/x/mod/sumdb/tlog"
)

// tamperLog builds a closed log of 40 synthetic entries in several commit
// batches and returns its directory.
func tamperLog(t *testing.T) string {
	dir := t.TempDir()
	l, err := Open(dir, DefaultOptions().WithIndexer(testIndexer))
	if err != nil {
		t.Fatal(err)
	}
	for b := range 4 {
		var recs []Record
		for i := range 10 {
			recs = append(recs, synthetic(b*10+i))
		}
		appendAll(t, l, recs...)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// editStore opens the log's Badger store directly, as an attacker with disk
// access would, and runs fn in one read-write transaction.
func editStore(t *testing.T, dir string, fn func(txn *badger.Txn) error) {
	t.Helper()
	db, err := badger.Open(badger.DefaultOptions(StoreDir(dir)).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, txn *badger.Txn, key []byte) []byte {
	t.Helper()
	item, err := txn.Get(key)
	if err != nil {
		t.Fatalf("get %q: %v", key, err)
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// rowOf finds the first row with the prefix that holds entry n: a posting row of
// its chunk with its offset, or a row of its own.
func rowOf(t *testing.T, txn *badger.Txn, prefix string, n int64) (key, value []byte) {
	t.Helper()
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix)})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().KeyCopy(nil)
		v, _ := it.Item().ValueCopy(nil)
		m, ok := rowEntry(k, v)
		if !ok {
			continue
		}
		if !isPosting(rowFamily(k)) {
			if m == n {
				return k, v
			}
			continue
		}
		found := false
		postingRecords(rowFamily(k), v, func(rec []byte) { found = found || m|int64(rec[0]) == n })
		if found {
			return k, v
		}
	}
	t.Fatalf("no %q row for entry %d", prefix, n)
	return nil, nil
}

// recordAt returns the offset in a posting row value of entry n's record.
func recordAt(t *testing.T, key, v []byte, n int64) int {
	i, at := 0, -1
	postingRecords(rowFamily(key), v, func(rec []byte) {
		if at < 0 && int64(rec[0]) == n&(1<<chunkShift-1) {
			at = i
		}
		i += len(rec)
	})
	if at >= 0 {
		return at
	}
	t.Fatalf("entry %d not in row %q", n, key)
	return 0
}

func TestVerifyPassesIntactLog(t *testing.T) {
	dir := tamperLog(t)
	calls := 0
	rep, err := Verify(dir, DefaultOptions().WithIndexer(testIndexer), func(done, total int64) { calls++ })
	if err != nil || !rep.OK || rep.Err() != nil {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
	if rep.Entries != 40 || rep.TreeHashes != tlog.StoredHashCount(40) || rep.Checkpoints < 1 || rep.IndexRows == 0 || calls == 0 {
		t.Errorf("report = %+v, progress calls %d", rep, calls)
	}
}

func TestVerifyNamesTamperedEntry(t *testing.T) {
	tests := []struct {
		name  string
		entry int64 // the first bad entry Verify must name (-1: none can be named)
		edit  func(t *testing.T, txn *badger.Txn) error
	}{
		{"event byte changed", 17, func(t *testing.T, txn *badger.Txn) error {
			v := get(t, txn, entryKey(17))
			v[len(v)-3] ^= 0x20
			return txn.Set(entryKey(17), v)
		}},
		{"record time changed", 3, func(t *testing.T, txn *badger.Txn) error {
			v := get(t, txn, entryKey(3))
			v[19]++
			return txn.Set(entryKey(3), v)
		}},
		{"chain link re-pointed", 20, func(t *testing.T, txn *badger.Txn) error {
			e, _ := UnmarshalEntry(get(t, txn, entryKey(20)))
			e.Links[0].Prev, e.Links[0].PrevHash = 0, LeafHash(get(t, txn, entryKey(0)))
			enc, _ := e.Marshal()
			return txn.Set(entryKey(20), enc)
		}},
		{"location index key changed", 9, func(t *testing.T, txn *badger.Txn) error {
			k, v := rowOf(t, txn, "xl", 9)
			if err := txn.Delete(k); err != nil {
				return err
			}
			k = bytes.Clone(k)
			k[5] ^= 1
			return txn.Set(k, v)
		}},
		{"entry dropped from product index row", 12, func(t *testing.T, txn *badger.Txn) error {
			k, v := rowOf(t, txn, "xp", 12)
			i := recordAt(t, k, v, 12)
			return txn.Set(k, append(v[:i:i], v[i+1:]...))
		}},
		{"extra firm index row", 5, func(t *testing.T, txn *badger.Txn) error {
			return txn.Set(postingKey(fieldFirm, "someone else", 5), []byte{5})
		}},
		{"entry added to bizStep index row", 7, func(t *testing.T, txn *badger.Txn) error {
			k, v := rowOf(t, txn, "xs", 5) // entry 5 is shipping, entry 7 inspecting
			return txn.Set(k, append(v, 7))
		}},
		{"event hash ID index re-pointed", 6, func(t *testing.T, txn *badger.Txn) error {
			e, _ := UnmarshalEntry(get(t, txn, entryKey(6)))
			v := make([]byte, 8)
			putIndex(v, 2)
			return txn.Set(eventIDKey(e.EventID), v)
		}},
		{"edge index record changed", 16, func(t *testing.T, txn *badger.Txn) error {
			k, v := rowOf(t, txn, "xi", 16)
			return txn.Set(k, bytes.Replace(v, []byte(EdgeTransform), []byte("transfarm"), 1))
		}},
		{"edge index record dropped", 16, func(t *testing.T, txn *badger.Txn) error {
			k, v := rowOf(t, txn, "xo", 16)
			i := recordAt(t, k, v, 16)
			return txn.Set(k, append(v[:i:i], v[i+postingRecLen(prefixEdgeOut, v[i:]):]...))
		}},
		{"event time changed in time index", 30, func(t *testing.T, txn *badger.Txn) error {
			k, v := rowOf(t, txn, "xt", 30)
			v[recordAt(t, k, v, 30)+8]++
			return txn.Set(k, v)
		}},
		{"entry deleted", 25, func(t *testing.T, txn *badger.Txn) error {
			return txn.Delete(entryKey(25))
		}},
		{"last entry deleted", 39, func(t *testing.T, txn *badger.Txn) error {
			return txn.Delete(entryKey(39))
		}},
		{"two entries swapped", 10, func(t *testing.T, txn *badger.Txn) error {
			a, b := get(t, txn, entryKey(10)), get(t, txn, entryKey(30))
			if err := txn.Set(entryKey(10), b); err != nil {
				return err
			}
			return txn.Set(entryKey(30), a)
		}},
		{"tree hash changed", 32, func(t *testing.T, txn *badger.Txn) error {
			// Entry 39 completes the subtree of entries 32..39 (level 3).
			row, off := hashRow(tlog.StoredHashIndex(3, 4))
			k := hashKey(row)
			v := get(t, txn, k)
			v[off] ^= 1
			return txn.Set(k, v)
		}},
		{"tree hash row deleted", 20, func(t *testing.T, txn *badger.Txn) error {
			return txn.Delete(hashKey(20 >> hashRowShift))
		}},
		{"two event hash ID rows swap entries", 6, func(t *testing.T, txn *badger.Txn) error {
			// Each row is intact on its own: only their pairing gives them away.
			a, _ := UnmarshalEntry(get(t, txn, entryKey(6)))
			b, _ := UnmarshalEntry(get(t, txn, entryKey(8)))
			va, vb := get(t, txn, eventIDKey(a.EventID)), get(t, txn, eventIDKey(b.EventID))
			if err := txn.Set(eventIDKey(a.EventID), vb); err != nil {
				return err
			}
			return txn.Set(eventIDKey(b.EventID), va)
		}},
		{"latest checkpoint signature broken", -1, func(t *testing.T, txn *badger.Txn) error {
			v := get(t, txn, []byte(keyCheckpoint))
			i := bytes.LastIndexByte(v[:len(v)-1], ' ')
			v[i+5] ^= 1
			return txn.Set([]byte(keyCheckpoint), v)
		}},
	}
	for _, tc := range tests {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			dir := tamperLog(t)
			editStore(t, dir, func(txn *badger.Txn) error { return tc.edit(t, txn) })
			rep, err := Verify(dir, DefaultOptions().WithIndexer(testIndexer), nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK || rep.Err() == nil {
				t.Fatalf("tampering not detected: %+v", rep)
			}
			if rep.FirstBad != tc.entry {
				t.Errorf("first bad entry = %d, want %d; problems: %+v", rep.FirstBad, tc.entry, rep.Problems)
			}
			t.Logf("%v", rep.Err())
		})
	}
}

// TestFamSlot checks that the slot Verify digests a row under names the family of
// the row's key (its first byte, or its first two under prefixIndex), which
// diffRows rebuilds and compares by.
func TestFamSlot(t *testing.T) {
	for _, tc := range []struct {
		key    []byte
		family string
	}{
		{nil, ""},
		{[]byte(prefixHash + "\x00\x00\x00\x00\x00\x00\x00\x01"), prefixHash},
		{[]byte(prefixEventID + "id"), prefixEventID},
		{[]byte(prefixIndex), prefixIndex},
		{[]byte(prefixIndex + "p" + "code"), prefixIndex + "p"},
		{[]byte(prefixIndex + "\x00"), prefixIndex + "\x00"},
		{[]byte(prefixIndex + "\xff..."), prefixIndex + "\xff"},
		{[]byte{0xff}, "\xff"},
		{[]byte(prefixEdgeOut + "a\x00"), prefixEdgeOut},
	} {
		slot := famSlot(tc.key)
		if slot < 0 || slot >= famSlots {
			t.Errorf("famSlot(%q) = %d, out of range", tc.key, slot)
			continue
		}
		if got := slotFamily(slot); got != tc.family {
			t.Errorf("slotFamily(famSlot(%q)) = %q, want %q", tc.key, got, tc.family)
		}
		if got := rowFamily(tc.key); got != tc.family {
			t.Errorf("rowFamily(%q) = %q, want %q", tc.key, got, tc.family)
		}
	}
	a, b := new(digestSet), new(digestSet)
	a[3] = []digest{{}, {1, 2}}
	b[3] = []digest{{}, {1, 2}, {}}
	if bad := differ(a, b); len(bad) != 0 {
		t.Errorf("differ of equal sets (one with an empty tail range) = %v", bad)
	}
	b[300] = []digest{{}, {}, {5, 6}}
	if bad := differ(a, b); len(bad) != 1 || bad[0] != (digestKey{slotFamily(300), 2}) {
		t.Errorf("differ = %v, want family %q range 2", bad, slotFamily(300))
	}
}

// TestVerifyNamesEntryOfEmptiedPostingRow empties a posting row: Verify names the
// first entry the row listed. (An empty row once digested as the record of offset
// 255 of its chunk.)
func TestVerifyNamesEntryOfEmptiedPostingRow(t *testing.T) {
	dir := tamperLog(t)
	var first int64
	editStore(t, dir, func(txn *badger.Txn) error {
		k, v := rowOf(t, txn, "xs", 7)
		first = int64(v[0])
		return txn.Set(k, []byte{})
	})
	rep, err := Verify(dir, DefaultOptions().WithIndexer(testIndexer), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK || rep.FirstBad != first {
		t.Fatalf("first bad entry = %d (ok %v), want %d; problems: %+v", rep.FirstBad, rep.OK, first, rep.Problems)
	}
}
