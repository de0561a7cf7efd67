package ledger

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// TestTreeStackMatchesTlog checks that treeStack gives, record by record, the stored
// hashes of tlog.StoredHashesForRecordHash and the tree hash of tlog.TreeHash over
// the same leaves, for every tree size up to a few complete subtrees of each level.
func TestTreeStackMatchesTlog(t *testing.T) {
	var stored []tlog.Hash // tlog's, by storage index
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	var tree treeStack
	var got []tlog.Hash
	if tree.root() != (tlog.Hash{}) {
		t.Fatalf("empty tree: root %v", tree.root())
	}
	for n := int64(0); n < 1100; n++ {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(n))
		leaf := tlog.Hash(sha256.Sum256(b[:]))
		want, err := tlog.StoredHashesForRecordHash(n, leaf, reader)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, want...)
		got = tree.add(got[:0], leaf)
		if !slices.Equal(got, want) {
			t.Fatalf("record %d: stored hashes %v, tlog gives %v", n, got, want)
		}
		if c := storedHashCount(n); c != len(want) {
			t.Fatalf("record %d: storedHashCount %d, tlog stores %d", n, c, len(want))
		}
		root, err := tlog.TreeHash(n+1, reader)
		if err != nil {
			t.Fatal(err)
		}
		if tree.root() != root {
			t.Fatalf("size %d: root %v, tlog gives %v", n+1, tree.root(), root)
		}
	}
}
