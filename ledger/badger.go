package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// badgerStore is the embedded Store: one Badger database, synced writes, no
// conflict detection (the log has a single writer, its appender goroutine).
type badgerStore struct {
	db *badger.DB
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
func badgerOptions(dir string, o Options) badger.Options {
	return badger.DefaultOptions(dir).
		WithSyncWrites(true).
		WithDetectConflicts(false).
		WithMemTableSize(o.MemTableSize).
		WithNumVersionsToKeep(1).
		WithNumMemtables(3).
		WithBlockCacheSize(64 << 20).
		WithIndexCacheSize(64 << 20).
		WithCompression(options.None).
		WithReadOnly(o.ReadOnly).
		WithLogger(quietLogger{log.New(os.Stderr, "badger: ", log.LstdFlags)})
}

// openBadger opens (creating if needed) the Badger store in dir.
func openBadger(dir string, o Options) (*badgerStore, error) {
	db, err := badger.Open(badgerOptions(dir, o))
	if err != nil {
		return nil, fmt.Errorf("ledger: open badger store %s: %w", dir, err)
	}
	return &badgerStore{db: db}, nil
}

func (s *badgerStore) View(fn func(r Reader) error) error {
	return s.db.View(func(txn *badger.Txn) error { return fn(badgerReader{txn}) })
}

func (s *badgerStore) Write(b *Batch) error {
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
// command-line output stays clean.
type quietLogger struct{ l *log.Logger }

func (q quietLogger) Errorf(f string, a ...any) { q.l.Printf("ERROR: "+f, a...) }
func (q quietLogger) Warningf(f string, a ...any) {
	if strings.Contains(f, "might be too small") || strings.HasPrefix(f, "Cache life expectancy") {
		return
	}
	q.l.Printf("WARNING: "+f, a...)
}
func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}
