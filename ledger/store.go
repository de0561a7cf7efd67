package ledger

import "errors"

// A Store is what the log needs from a key-value engine: consistent reads,
// ordered prefix scans and atomic, durable batch writes. Hashing, chains, proofs
// and verification live above it, so a second engine (for example a
// PostgreSQL-protocol distributed SQL database with one table of bytea keys and
// values) can be added by implementing this interface alone. Badger is the
// embedded default (badgerStore).
type Store interface {
	// View runs fn with a consistent read-only snapshot. Reads never block writes.
	View(fn func(r Reader) error) error
	// Write applies every row of b atomically and returns only once they are
	// durable. A batch larger than the engine allows fails with ErrBatchTooBig.
	Write(b *Batch) error
	// DropPrefix deletes every row whose key has one of the prefixes. The log
	// uses it only to rebuild derived rows (format.go), never on entries.
	DropPrefix(prefixes ...[]byte) error
	// Close releases the engine.
	Close() error
}

// A Reader reads one snapshot of a Store. It must allow concurrent Gets and Scans
// from several goroutines during View (Verify scans entries, tree hashes and index
// rows side by side); Badger's read-only transactions do.
type Reader interface {
	// Get returns the value of key, or ErrNotFound. The value is valid only until
	// fn of the enclosing View returns.
	Get(key []byte) ([]byte, error)
	// Scan calls fn for every key with the prefix, in key order starting at the
	// first key >= start (or, with reverse, in reverse order starting at the last
	// key <= start; a nil start means the whole prefix). fn returns false to stop.
	// Keys and values are valid only during the call.
	Scan(prefix, start []byte, reverse bool, fn func(key, value []byte) (bool, error)) error
}

// A Batch is a set of rows written together; later puts of a key win.
type Batch struct {
	Rows []Row
	size int
}

// A Row is one key and value of a Batch. The log never deletes or rewrites a
// row except the latest checkpoint and the chain heads.
type Row struct {
	Key, Value []byte
}

// Put adds a row to the batch.
func (b *Batch) Put(key, value []byte) {
	b.Rows = append(b.Rows, Row{Key: key, Value: value})
	b.size += len(key) + len(value) + rowOverhead
}

// Size estimates the batch's footprint in the engine (bytes including per-row overhead).
func (b *Batch) Size() int { return b.size }

// rowOverhead approximates the engine's per-row cost (Badger's skiplist node and metadata).
const rowOverhead = 112

// ErrNotFound is returned by Reader.Get for a missing key.
var ErrNotFound = errors.New("ledger: key not found")

// ErrBatchTooBig is returned when one atomic append is larger than the store can
// commit in one transaction.
var ErrBatchTooBig = errors.New("ledger: batch too big for one transaction")
