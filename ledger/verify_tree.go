package ledger

import (
	"math/bits"

	"golang.org/x/mod/sumdb/tlog"
)

// A treeStack is the Merkle tree of the records added so far kept as Verify needs
// it: the hashes of the complete subtrees that make up the tree, largest (leftmost)
// first, one per set bit of the record count. Adding a record's leaf hash merges it
// with the subtrees it completes, which gives exactly the stored hashes
// tlog.StoredHashesForRecordHash gives for that record, and the tree hash of the
// records so far folds the subtrees from the right as tlog.TreeHash does. Verify
// used tlog's functions over a map of the computed hashes, which it had to prune
// and look up at every record: a tenth of the tree check went to the map.
// TestTreeStackMatchesTlog holds the two to the same hashes.
type treeStack struct {
	n     int64       // records added
	roots []tlog.Hash // subtree hashes, sizes the set bits of n from the highest
}

// add adds record n's leaf hash and appends the record's stored hashes (its leaf
// hash, then the hash of each subtree it completes, level by level) to dst.
func (t *treeStack) add(dst []tlog.Hash, leaf tlog.Hash) []tlog.Hash {
	dst = append(dst, leaf)
	h := leaf
	for range bits.TrailingZeros64(^uint64(t.n)) { // the subtrees record n completes
		left := t.roots[len(t.roots)-1]
		t.roots = t.roots[:len(t.roots)-1]
		h = tlog.NodeHash(left, h)
		dst = append(dst, h)
	}
	t.roots = append(t.roots, h)
	t.n++
	return dst
}

// root returns the tree hash of the records added so far (tlog.TreeHash's).
func (t *treeStack) root() tlog.Hash {
	if len(t.roots) == 0 {
		return tlog.Hash{}
	}
	h := t.roots[len(t.roots)-1]
	for i := len(t.roots) - 2; i >= 0; i-- {
		h = tlog.NodeHash(t.roots[i], h)
	}
	return h
}

// storedHashCount is how many stored hashes record n adds: its leaf hash and one
// per subtree it completes.
func storedHashCount(n int64) int { return 1 + bits.TrailingZeros64(^uint64(n)) }
