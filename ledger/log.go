package ledger

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Options configure a Log. Start from DefaultOptions; the zero value of a field
// means its default.
type Options struct {
	// Indexer derives an event's index data (product codes, locations, edges...).
	// Required to append and to verify the indexes.
	Indexer Indexer
	// Origin names a new log in its checkpoints and signing key ("traceledger/<id>"
	// with a random id when empty). An existing log keeps the name of its key.
	Origin string
	// MemTableSize is Badger's memtable size; smaller makes synced commits
	// cheaper, larger allows bigger atomic appends (15 % of it per transaction).
	MemTableSize int64
	// MaxBatchRecords caps the records the appender commits in one transaction.
	MaxBatchRecords int
	// ArchiveInterval is how often a signed checkpoint is also archived (kept for
	// good) besides the latest one that every commit replaces.
	ArchiveInterval time.Duration
	// ReadOnly opens the store without the appender, for verify and queries.
	ReadOnly bool
	// Now is the clock stamping record times.
	Now func() time.Time
	// Store, when set, is used instead of the Badger store in the directory (the
	// signing key still lives in the directory).
	Store Store
	// OnCommit, when set, is called by the appender after every group commit with
	// the number of new entries it made durable and the log's new size, so that
	// metrics see batch sizes without the log importing a metrics library. It runs
	// on the appender goroutine and must return quickly.
	OnCommit func(entries int, size int64)
	// GCInterval is how often a writable log collects value-log garbage
	// (CollectGarbage); negative turns the collector off.
	GCInterval time.Duration
	// OnGC, when set, is told after each collection how many value-log files it
	// rewrote and whether it failed (the log has no logger of its own).
	OnGC func(files int, err error)
	// ValueLogFileSize is the size at which Badger starts a new value-log file
	// (Badger's default, 1 GiB, when zero). Only whole files are collected, so a
	// smaller size reclaims garbage sooner, in smaller steps.
	ValueLogFileSize int64
}

// DefaultOptions returns the options the command line and server use.
func DefaultOptions() Options {
	return Options{
		MemTableSize:    16 << 20,
		MaxBatchRecords: 1024,
		ArchiveInterval: time.Second,
		GCInterval:      10 * time.Minute,
		Now:             time.Now,
	}
}

// WithIndexer returns o with the given Indexer.
func (o Options) WithIndexer(ix Indexer) Options { o.Indexer = ix; return o }

// WithReadOnly returns o opening the store read-only.
func (o Options) WithReadOnly(ro bool) Options { o.ReadOnly = ro; return o }

// WithOrigin returns o naming a new log origin.
func (o Options) WithOrigin(origin string) Options { o.Origin = origin; return o }

// WithMemTableSize returns o with Badger's memtable size.
func (o Options) WithMemTableSize(n int64) Options { o.MemTableSize = n; return o }

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.MemTableSize == 0 {
		o.MemTableSize = d.MemTableSize
	}
	if o.MaxBatchRecords == 0 {
		o.MaxBatchRecords = d.MaxBatchRecords
	}
	if o.ArchiveInterval == 0 {
		o.ArchiveInterval = d.ArchiveInterval
	}
	if o.Now == nil {
		o.Now = d.Now
	}
	if o.GCInterval == 0 {
		o.GCInterval = d.GCInterval
	}
	return o
}

// StoreDir is the directory of the Badger store inside a log directory.
func StoreDir(dir string) string { return filepath.Join(dir, "store") }

// A Log is an open ledger: the append-only log of entries, its Merkle tree,
// checkpoints and indexes. Its methods are safe for concurrent use; appends go
// through one appender goroutine, reads run on their own snapshots.
type Log struct {
	dir      string
	opts     Options
	store    Store
	signer   note.Signer
	verifier note.Verifier
	vkey     string

	size atomic.Int64 // committed entries

	reqs      chan *appendReq
	closing   chan struct{}
	stopped   chan struct{}
	closeOnce sync.Once
	gcStopped chan struct{} // closed when the garbage collector has stopped

	// appender-only state
	heads       headCache    // cache of committed chain heads
	tail        tailPostings // the posting rows of the last chunk (tailpost.go)
	lastArchive time.Time
	known       known         // what the log holds, once loaded
	knownReady  chan known    // delivers known from loadKnown (zero: it failed)
	recent      []string      // IDs and codes (after a 0 byte) committed while loadKnown runs
	idsLoader   chan struct{} // closed when loadKnown has returned
}

// known holds the appender's Bloom filters of the event hash IDs in the log and of
// the product codes that have a chain; nil filters know nothing.
type known struct {
	ids, codes *idFilter
}

// head is the newest entry under a product code.
type head struct {
	index int64
	hash  tlog.Hash
}

// ErrClosed is returned by operations on a closed Log.
var ErrClosed = errors.New("ledger: log closed")

// Open opens the log in dir, creating the directory, store and signing key on
// first use.
func Open(dir string, opts Options) (*Log, error) {
	opts = opts.withDefaults()
	if !opts.ReadOnly {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("ledger: create %s: %w", dir, err)
		}
	} else if _, err := os.Stat(StoreDir(dir)); err != nil && opts.Store == nil {
		return nil, fmt.Errorf("ledger: no log in %s: %w", dir, err)
	}
	signer, verifier, vkey, err := loadOrCreateKey(dir, opts.Origin, opts.ReadOnly)
	if err != nil {
		return nil, err
	}
	store := opts.Store
	if store == nil {
		bs, err := openBadger(StoreDir(dir), opts)
		if err != nil {
			return nil, err
		}
		store = bs
	}
	l := &Log{
		dir: dir, opts: opts, store: store,
		signer: signer, verifier: verifier, vkey: vkey,
		reqs:      make(chan *appendReq),
		closing:   make(chan struct{}),
		stopped:   make(chan struct{}),
		gcStopped: make(chan struct{}),
	}
	n, err := l.countEntries()
	if err != nil {
		store.Close()
		return nil, err
	}
	if err := l.checkFormat(n); err != nil {
		store.Close()
		return nil, err
	}
	l.size.Store(n)
	if opts.ReadOnly || opts.GCInterval < 0 {
		close(l.gcStopped)
	} else {
		go l.collector(opts.GCInterval)
	}
	if opts.ReadOnly {
		close(l.stopped)
	} else {
		l.knownReady = make(chan known, 1)
		l.idsLoader = make(chan struct{})
		go l.loadKnown()
		go l.appender()
	}
	return l, nil
}

// loadKnown builds the filters of the event hash IDs in the log (from the event ID
// index) and of the codes with a chain (from the product index), and hands them to
// the appender, which until then looks every ID and new code up in the store and
// remembers the ones it commits meanwhile. It gives up when the log closes.
func (l *Log) loadKnown() {
	defer close(l.idsLoader)
	k := known{ids: newIDFilter(), codes: newIDFilter()}
	stop := func() error {
		select {
		case <-l.closing:
			return ErrClosed
		default:
			return nil
		}
	}
	err := l.store.View(func(r Reader) error {
		err := r.Scan([]byte(prefixEventID), nil, false, func(key, _ []byte) (bool, error) {
			k.ids.add(eventIDOfKey(key))
			return true, stop()
		})
		if err != nil {
			return err
		}
		p := []byte{prefixIndex[0], fieldProduct}
		last := ""
		return r.Scan(p, nil, false, func(key, _ []byte) (bool, error) {
			if len(key) < len(p)+9 {
				return true, nil
			}
			// One row per code and chunk: add each code once.
			if code := key[len(p) : len(key)-9]; string(code) != last {
				last = string(code)
				k.codes.add(last)
			}
			return true, stop()
		})
	})
	if err != nil {
		k = known{}
	}
	l.knownReady <- k
}

// countEntries finds the log size: one more than the last entry's index.
func (l *Log) countEntries() (int64, error) {
	n := int64(0)
	err := l.store.View(func(r Reader) error {
		return r.Scan([]byte(prefixEntry), nil, true, func(k, _ []byte) (bool, error) {
			if len(k) != len(prefixEntry)+8 {
				return false, fmt.Errorf("ledger: malformed entry key %x", k)
			}
			n = getIndex(k[len(prefixEntry):]) + 1
			return false, nil
		})
	})
	return n, err
}

// Close stops the appender (failing appends still waiting with ErrClosed) and
// closes the store.
func (l *Log) Close() error {
	var err error
	l.closeOnce.Do(func() {
		close(l.closing)
		<-l.stopped
		<-l.gcStopped
		if l.idsLoader != nil {
			<-l.idsLoader
		}
		err = l.store.Close()
	})
	return err
}

// Dir returns the log's directory.
func (l *Log) Dir() string { return l.dir }

// Size returns the number of committed entries (the tree size).
func (l *Log) Size() int64 { return l.size.Load() }

// Origin returns the log's name in its checkpoints.
func (l *Log) Origin() string { return l.signer.Name() }

// VerifierKey returns the public key that checks this log's checkpoints, in note
// verifier format ("name+hash+base64 key"), for publishing.
func (l *Log) VerifierKey() string { return l.vkey }

// Checkpoint returns the latest signed checkpoint (a note; see checkpoint.go).
func (l *Log) Checkpoint() (*Checkpoint, error) {
	var msg []byte
	err := l.store.View(func(r Reader) error {
		v, err := r.Get([]byte(keyCheckpoint))
		msg = append([]byte(nil), v...)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return nil, ErrEmpty
	}
	if err != nil {
		return nil, err
	}
	return openCheckpoint(msg, l.verifier)
}

// Get returns entry n.
func (l *Log) Get(n int64) (*Entry, error) {
	var e *Entry
	err := l.store.View(func(r Reader) error {
		var err error
		e, _, err = readEntry(r, n)
		return err
	})
	return e, err
}

// Lookup returns the entry whose event hash ID is id or, failing that, the first
// entry whose capturer-given ID is id.
func (l *Log) Lookup(id string) (*Entry, error) {
	var e *Entry
	err := l.store.View(func(r Reader) error {
		n, err := lookup(r, id)
		if err != nil {
			return err
		}
		e, _, err = readEntry(r, n)
		return err
	})
	return e, err
}

// ErrUnknownID is returned by Lookup for an ID no entry has.
var ErrUnknownID = errors.New("ledger: no entry with this ID")

func lookup(r Reader, id string) (int64, error) {
	v, err := r.Get(eventIDKey(id))
	if err == nil && len(v) == 8 {
		return getIndex(v), nil
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	n := int64(-1)
	err = scanOffsets(r, fieldGivenID, id, 0, false, func(m int64) bool {
		n = m
		return false
	})
	if err == nil && n < 0 {
		err = fmt.Errorf("%w: %q", ErrUnknownID, id)
	}
	return n, err
}

// readEntry reads and decodes entry n and returns it with its leaf hash.
func readEntry(r Reader, n int64) (*Entry, tlog.Hash, error) {
	v, err := r.Get(entryKey(n))
	if errors.Is(err, ErrNotFound) {
		return nil, tlog.Hash{}, fmt.Errorf("ledger: entry %d: %w", n, ErrNotFound)
	}
	if err != nil {
		return nil, tlog.Hash{}, err
	}
	e, err := UnmarshalEntry(v)
	if err != nil {
		return nil, tlog.Hash{}, fmt.Errorf("ledger: entry %d: %w", n, err)
	}
	if e.Index != n {
		return nil, tlog.Hash{}, fmt.Errorf("ledger: entry %d: %w: stored under index %d", n, ErrBadEntry, e.Index)
	}
	return e, LeafHash(v), nil
}

func (o Options) withStore(s Store) Options { o.Store = s; return o }
