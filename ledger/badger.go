package ledger

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// badgerStore is the embedded Store: one Badger database, synced writes, no
// conflict detection (the log has a single writer, its appender goroutine).
type badgerStore struct {
	db *badger.DB
	// syncFailed holds the first value-log sync failure Badger logged: a commit
	// that reported success may not be durable, so no write succeeds after it
	// (the log must be reopened, which finds what did reach the disk).
	syncFailed atomic.Pointer[string]

	// dir is the database's directory; diskSize and diskSizeAt cache DiskSize's
	// measurement of it for a second.
	dir                  string
	diskSize, diskSizeAt atomic.Int64
}

// badgerOptions are the Badger settings the log runs with. SyncWrites makes a
// commit durable before it returns, which is what an acknowledged append promises.
// A small memtable makes each synced commit cheaper. Memory stays bounded for
// large logs (importing a million events): three memtables, a 64 MiB index
// cache, and no block compression, whose table builders held most of the heap
// during compactions (and cost CPU the appender needs). A 64 MiB block cache
// keeps decoded blocks for reads (History is 1000 point reads).
//
// The store keeps every event, so a block cache of any bounded size misses on a
// large log; Badger's "Block cache might be too small" warning says nothing
// actionable and is dropped.
//
// Values of valueThreshold bytes or more (the entries: the event and its links)
// go to Badger's value log and the LSM tree keeps a pointer to them; smaller ones
// (tree hashes, index rows, heads) stay in the tree. The tree, which compactions
// rewrite again and again, then holds a few dozen bytes per entry instead of the
// whole event: at 200,000 events that is 2.7 times the append rate and 40 % less
// peak memory (see the bench figures in the commit). Reads of an entry follow the
// pointer into the memory-mapped value log, whose written pages stay resident until
// they are paged out (ReleaseValueLogPages; the value-log file size does not matter,
// a finished file keeps its pages). A commit then syncs the value log
// and the memtable's write-ahead log, both before it returns; the write-ahead log
// holds the pointers, so a crash between the two loses the whole transaction,
// never part of it. Badger only logs a failed value-log sync; the store catches
// that message and fails the write and every later one (see syncFailed).
func badgerOptions(dir string, o Options) badger.Options {
	return badger.DefaultOptions(dir).
		WithSyncWrites(true).
		WithDetectConflicts(false).
		WithMemTableSize(o.MemTableSize).
		WithValueThreshold(valueThreshold).
		WithNumVersionsToKeep(1).
		WithNumMemtables(3).
		WithBlockCacheSize(64 << 20).
		WithIndexCacheSize(64 << 20).
		WithCompression(options.None).
		WithReadOnly(o.ReadOnly).
		WithValueLogFileSize(cmp.Or(o.ValueLogFileSize, badger.DefaultOptions("").ValueLogFileSize)).
		WithLogger(quietLogger{l: log.New(os.Stderr, "badger: ", log.LstdFlags)})
}

// valueThreshold is the value size from which Badger keeps a value in its value log
// rather than in the LSM tree: below the entries (an event of several hundred
// bytes with its hash ID and links), above most tree hash rows (4 entries' hashes,
// usually 224 bytes) and posting rows. Rows at the end of the log are written
// again by every commit that adds to them; in the LSM tree compaction drops their
// old copies, in the value log (never collected) they stay. 512 bytes would keep
// more of them in the tree (3,000 one-at-a-time appends: 3.04 instead of 3.42 MB
// of value log), but a million-event import then peaked at 920-948 MiB of
// resident memory instead of 774-815 (larger tables and table builders).
const valueThreshold = 256

// openBadger opens (creating if needed) the Badger store in dir.
func openBadger(dir string, o Options) (*badgerStore, error) {
	s := &badgerStore{dir: dir}
	bo := badgerOptions(dir, o)
	bo.Logger = quietLogger{l: log.New(os.Stderr, "badger: ", log.LstdFlags), syncFailed: &s.syncFailed}
	db, err := badger.Open(bo)
	if err != nil {
		return nil, fmt.Errorf("ledger: open badger store %s: %w", dir, err)
	}
	s.db = db
	return s, nil
}

func (s *badgerStore) View(fn func(r Reader) error) error {
	return s.db.View(func(txn *badger.Txn) error { return fn(badgerReader{txn}) })
}

func (s *badgerStore) Write(b *Batch) error {
	if msg := s.syncFailed.Load(); msg != nil {
		return fmt.Errorf("ledger: badger: earlier value log sync failed: %s", *msg)
	}
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	for _, r := range b.Rows {
		if err := txn.Set(r.Key, r.Value); err != nil {
			if errors.Is(err, badger.ErrTxnTooBig) {
				return fmt.Errorf("%w (%d rows, ~%d bytes)", ErrBatchTooBig, len(b.Rows), b.Size())
			}
			return fmt.Errorf("ledger: badger set: %w", err)
		}
	}
	if err := txn.Commit(); err != nil {
		return fmt.Errorf("ledger: badger commit: %w", err)
	}
	if msg := s.syncFailed.Load(); msg != nil {
		return fmt.Errorf("ledger: badger: value log sync failed, commit may not be durable: %s", *msg)
	}
	return nil
}

func (s *badgerStore) DropPrefix(prefixes ...[]byte) error {
	if err := s.db.DropPrefix(prefixes...); err != nil {
		return fmt.Errorf("ledger: badger drop prefix: %w", err)
	}
	return nil
}

// collectValueLog runs one pass of Badger's value-log GC. Badger says
// ErrNoRewrite when no file is worth rewriting and ErrRejected when a pass is
// already running or the store is closing: either way there is nothing to do now.
func (s *badgerStore) collectValueLog(ratio float64) error {
	err := s.db.RunValueLogGC(ratio)
	switch {
	case errors.Is(err, badger.ErrNoRewrite), errors.Is(err, badger.ErrRejected):
		return errNothingToCollect
	case err != nil:
		return fmt.Errorf("ledger: badger value-log GC: %w", err)
	}
	return nil
}

func (s *badgerStore) Close() error { return s.db.Close() }

type badgerReader struct{ txn *badger.Txn }

func (r badgerReader) Get(key []byte) ([]byte, error) {
	item, err := r.txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: badger get: %w", err)
	}
	var v []byte
	err = item.Value(func(val []byte) error { v = val; return nil })
	return v, err
}

func (r badgerReader) Scan(prefix, start []byte, reverse bool, fn func(key, value []byte) (bool, error)) error {
	opts := badger.DefaultIteratorOptions
	opts.Prefix = prefix
	opts.Reverse = reverse
	opts.PrefetchValues = false
	it := r.txn.NewIterator(opts)
	defer it.Close()
	seek := start
	if seek == nil {
		seek = prefix
		if reverse {
			seek = append(bytes.Clone(prefix), bytes.Repeat([]byte{0xff}, 24)...)
		}
	}
	for it.Seek(seek); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		var more bool
		err := item.Value(func(v []byte) error {
			var err error
			more, err = fn(item.Key(), v)
			return err
		})
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// quietLogger passes Badger's warnings and errors on and drops its chatter, so that
// command-line output stays clean. It records a failed value-log sync, which
// Badger logs instead of failing the commit, in syncFailed.
type quietLogger struct {
	l          *log.Logger
	syncFailed *atomic.Pointer[string]
}

func (q quietLogger) Errorf(f string, a ...any) {
	if q.syncFailed != nil && strings.Contains(f, "curlf sync") {
		msg := fmt.Sprintf(f, a...)
		q.syncFailed.CompareAndSwap(nil, &msg)
	}
	q.l.Printf("ERROR: "+f, a...)
}
func (q quietLogger) Warningf(f string, a ...any) {
	if strings.Contains(f, "might be too small") || strings.HasPrefix(f, "Cache life expectancy") {
		return
	}
	q.l.Printf("WARNING: "+f, a...)
}
func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

// DiskSize is the store's size on disk: the space the files in its directory take,
// measured at most once a second (Badger's own figure, db.Size, is refreshed only
// every minute, so a new store would read 0).
func (s *badgerStore) DiskSize() int64 {
	now := time.Now().UnixNano()
	if at := s.diskSizeAt.Load(); at != 0 && now-at < int64(time.Second) {
		return s.diskSize.Load()
	}
	var n int64
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return -1
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
			n += diskUsage(info)
		}
	}
	s.diskSize.Store(n)
	s.diskSizeAt.Store(now)
	return n
}
