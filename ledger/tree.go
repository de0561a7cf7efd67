package ledger

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// The Merkle tree is golang.org/x/mod/sumdb/tlog's: an RFC 6962 tree over the leaf
// hashes of the encoded entries. tlog numbers every complete subtree's hash ("stored
// hashes") so that record n adds the hashes at storage indexes
// StoredHashIndex(0, n) up to StoredHashIndex(0, n+1)-1: its leaf hash (level 0)
// and the hash of every subtree it completes (levels 1, 2, ...). The store keeps
// them in rows of 1<<hashRowShift records: row h<r> holds the stored hashes of
// records r<<hashRowShift up to the last record of the row in the log,
// concatenated in storage order, which is record order and within a record level
// order. A commit rewrites the row at the end of the log, so a batch of 256
// appends writes 64 rows, not 256. A row is kept that small (4 records, usually
// 7 hashes, 224 bytes) so that most rows stay in the LSM tree, below Badger's
// value threshold: a larger row lands in the value log, and every commit that
// rewrites it leaves its old copy there as garbage (16-record rows doubled the
// value log of one-at-a-time appends). Proofs are tlog's record and tree proofs,
// which are RFC 6962 inclusion and consistency proofs (see
// TestProofsMatchTransparencyDev).

// hashRowShift sets the records per tree hash row (4).
const hashRowShift = 2

// hashKey is the key of tree hash row r.
func hashKey(r int64) []byte { return u64Key(prefixHash, r) }

// hashRowStart is the storage index of the first hash of row r.
func hashRowStart(r int64) int64 { return tlog.StoredHashIndex(0, r<<hashRowShift) }

// hashRow returns the row holding a stored hash and the hash's byte offset in it.
func hashRow(storageIndex int64) (row int64, offset int) {
	level, n := tlog.SplitStoredHashIndex(storageIndex)
	row = ((n+1)<<level - 1) >> hashRowShift
	return row, int(storageIndex-hashRowStart(row)) * tlog.HashSize
}

// storeHashes is a tlog.HashReader over a store snapshot, with hashes not yet
// committed taken from pending first. It keeps the last row it read: tlog reads
// neighbouring hashes, which share rows.
type storeHashes struct {
	r       Reader
	pending map[int64]tlog.Hash
	base    map[int64]tlog.Hash // read after pending: a commit not yet in the store
	last    *hashRowCache
}

// newStoreHashes returns a storeHashes reading r after pending (which may be nil).
func newStoreHashes(r Reader, pending map[int64]tlog.Hash) storeHashes {
	return storeHashes{r: r, pending: pending, last: new(hashRowCache)}
}

// hashRowCache is the last tree hash row a storeHashes read.
type hashRowCache struct {
	row int64
	val []byte
}

func (s storeHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if h, ok := s.pending[x]; ok {
			out[i] = h
			continue
		}
		if h, ok := s.base[x]; ok {
			out[i] = h
			continue
		}
		row, off := hashRow(x)
		var v []byte
		if s.last != nil && s.last.val != nil && s.last.row == row {
			v = s.last.val
		} else {
			var err error
			if v, err = s.r.Get(hashKey(row)); err != nil {
				return nil, fmt.Errorf("ledger: tree hash %d (row %d): %w", x, row, err)
			}
			if s.last != nil {
				*s.last = hashRowCache{row: row, val: v}
			}
		}
		if len(v) < off+tlog.HashSize {
			return nil, fmt.Errorf("ledger: tree hash %d: row %d has %d bytes", x, row, len(v))
		}
		copy(out[i][:], v[off:])
	}
	return out, nil
}

// TreeHash returns the root hash of the tree of the first n entries.
func (l *Log) TreeHash(n int64) (tlog.Hash, error) {
	if err := l.checkSize(n); err != nil {
		return tlog.Hash{}, err
	}
	var h tlog.Hash
	err := l.store.View(func(r Reader) error {
		var err error
		h, err = tlog.TreeHash(n, newStoreHashes(r, nil))
		return err
	})
	return h, err
}

// ProveInclusion returns the RFC 6962 inclusion proof of entry index in the tree
// of size n (check it with tlog.CheckRecord against that tree's root).
func (l *Log) ProveInclusion(index, n int64) (tlog.RecordProof, error) {
	if err := l.checkSize(n); err != nil {
		return nil, err
	}
	if index < 0 || index >= n {
		return nil, fmt.Errorf("ledger: entry %d not in tree of size %d", index, n)
	}
	var p tlog.RecordProof
	err := l.store.View(func(r Reader) error {
		var err error
		p, err = tlog.ProveRecord(n, index, newStoreHashes(r, nil))
		return err
	})
	return p, err
}

// ProveConsistency returns the RFC 6962 consistency proof that the tree of size
// n extends the tree of size old (check it with tlog.CheckTree).
func (l *Log) ProveConsistency(old, n int64) (tlog.TreeProof, error) {
	if err := l.checkSize(n); err != nil {
		return nil, err
	}
	if old < 1 || old > n {
		return nil, fmt.Errorf("ledger: no consistency proof from size %d to %d", old, n)
	}
	var p tlog.TreeProof
	err := l.store.View(func(r Reader) error {
		var err error
		p, err = tlog.ProveTree(n, old, newStoreHashes(r, nil))
		return err
	})
	return p, err
}

func (l *Log) checkSize(n int64) error {
	if n < 1 {
		return fmt.Errorf("ledger: tree size %d: %w", n, ErrEmpty)
	}
	if size := l.Size(); n > size {
		return fmt.Errorf("ledger: tree size %d beyond log size %d", n, size)
	}
	return nil
}

// TileData returns the hashes of tile t (tlog's tiling of the tree, as the Go
// checksum database serves it), for serving the tree to clients that check it
// tile by tile. The tile must lie within the log's current tree.
func (l *Log) TileData(t tlog.Tile) ([]byte, error) {
	if t.H < 1 || t.L < 0 || t.W < 1 || t.W > 1<<t.H || t.N < 0 {
		return nil, fmt.Errorf("ledger: bad tile %+v", t)
	}
	// The tile's last hash covers entries up to this size.
	end := (t.N<<t.H + int64(t.W)) << (t.L * t.H)
	if size := l.Size(); end > size {
		return nil, fmt.Errorf("ledger: tile %s beyond log size %d", t.Path(), size)
	}
	var data []byte
	err := l.store.View(func(r Reader) error {
		var err error
		data, err = tlog.ReadTileData(t, newStoreHashes(r, nil))
		return err
	})
	return data, err
}
