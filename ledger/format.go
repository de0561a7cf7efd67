package ledger

import (
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// The store's format is the layout of its derived rows (tree hash rows and
// indexes, keys.go). Entries and checkpoints never change layout: they are what
// the tree and the signatures commit to. A store written with an earlier layout
// therefore keeps its entries and checkpoints, and Open rebuilds the rest from the
// entries before the log is used (rebuildDerived), as Verify would rebuild them to
// compare. Format "1" (no format row) had a tree hash row per entry, chain head
// rows, event ID keys in text and a row per genealogy edge.
const (
	keyFormat   = "F"
	storeFormat = "2"
)

// ErrFormat is returned by Open for a store whose format this version cannot use.
var ErrFormat = errors.New("ledger: store format")

// checkFormat makes the store's derived rows those of storeFormat: it marks a new
// store, rebuilds an older one, and refuses a newer one. size is the number of
// entries. A read-only log cannot rebuild, so it refuses an older store.
func (l *Log) checkFormat(size int64) error {
	var format string
	err := l.store.View(func(r Reader) error {
		v, err := r.Get([]byte(keyFormat))
		switch {
		case errors.Is(err, ErrNotFound):
			format = "1"
			if size == 0 {
				format = ""
			}
		case err != nil:
			return err
		default:
			format = string(v)
		}
		return nil
	})
	switch {
	case err != nil:
		return err
	case format == storeFormat:
		return nil
	case format != "" && format != "1":
		return fmt.Errorf("%w %q is newer than this traceledger's (%s)", ErrFormat, format, storeFormat)
	case l.opts.ReadOnly && format == "1":
		return fmt.Errorf("%w 1 (an earlier traceledger): open it once for writing, e.g. with `traceledger serve`, which rebuilds its indexes", ErrFormat)
	case l.opts.ReadOnly:
		return nil // empty
	case format == "1":
		if err := l.rebuildDerived(); err != nil {
			return fmt.Errorf("ledger: rebuild the indexes of a format 1 store: %w", err)
		}
	}
	var b Batch
	b.Put([]byte(keyFormat), []byte(storeFormat))
	return l.store.Write(&b)
}

// rebuildEntries is how many entries rebuildDerived indexes per write.
const rebuildEntries = 1 << 10

// rebuildDerived drops every derived row and writes them again from the entries:
// tree hash rows, the event ID index and the posting rows. It writes in several
// transactions; the format row, written after it, says it finished, so a crash
// midway leaves an unmarked store that the next Open rebuilds again.
func (l *Log) rebuildDerived() error {
	if l.opts.Indexer == nil {
		return errors.New("no Indexer in Options")
	}
	// "H" held format 1's chain heads.
	if err := l.store.DropPrefix([]byte(prefixHash), []byte("H"), []byte(prefixEventID), []byte(prefixIndex)); err != nil {
		return err
	}
	frontier := map[int64]tlog.Hash{} // tree hashes later records still read
	hashes := frontierReader(frontier)
	var hashRow []byte           // the tree hash row being filled
	posts := map[string][]byte{} // the posting rows of the chunk being filled
	batch := &Batch{}
	flushPosts := func() {
		for k, v := range posts {
			batch.Put([]byte(k), v)
		}
		clear(posts)
	}
	write := func() error {
		err := l.store.Write(batch)
		batch = &Batch{}
		return err
	}
	var entries []*Entry
	var leaves []tlog.Hash // the leaf hashes of the stored entries
	next := int64(0)
	index := func() error {
		keys := make([]IndexKeys, len(entries))
		err := inParallel(len(entries), func(i int) error {
			k, err := l.opts.Indexer(entries[i].Event)
			if err == nil {
				err = k.normalize()
			}
			if err != nil {
				return fmt.Errorf("entry %d: %w", entries[i].Index, err)
			}
			keys[i] = k
			return nil
		})
		if err != nil {
			return err
		}
		for i, e := range entries {
			n := e.Index
			stored, err := tlog.StoredHashesForRecordHash(n, leaves[i], hashes)
			if err != nil {
				return err
			}
			base := tlog.StoredHashIndex(0, n)
			for j, h := range stored {
				frontier[base+int64(j)] = h
				hashRow = append(hashRow, h[:]...)
			}
			if (n+1)&(1<<hashRowShift-1) == 0 {
				batch.Put(hashKey(n>>hashRowShift), hashRow)
				hashRow = nil
			}
			rows := rowsOf(e.EventID, e.GivenID, e.Firm, e.Codes(), &keys[i])
			rows.emit(n, batch.Put, func(key, rec []byte) { posts[string(key)] = append(posts[string(key)], rec...) })
			if (n+1)&(1<<chunkShift-1) == 0 {
				flushPosts()
			}
			if (n+1)%bucketSize == 0 {
				pruneFrontier(frontier, n+1)
			}
		}
		entries, leaves = entries[:0], leaves[:0]
		return write()
	}
	err := l.store.View(func(r Reader) error {
		err := r.Scan([]byte(prefixEntry), nil, false, func(k, v []byte) (bool, error) {
			e, err := UnmarshalEntry(v)
			if err != nil || len(k) != len(prefixEntry)+8 || getIndex(k[len(prefixEntry):]) != next || e.Index != next {
				return false, fmt.Errorf("entry %d: not stored in place (run verify): %v", next, err)
			}
			entries, leaves = append(entries, e), append(leaves, LeafHash(v))
			next++
			if len(entries) == rebuildEntries {
				return true, index()
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		return index()
	})
	if err != nil {
		return err
	}
	if len(hashRow) > 0 {
		batch.Put(hashKey((next-1)>>hashRowShift), hashRow)
	}
	flushPosts()
	return write()
}
