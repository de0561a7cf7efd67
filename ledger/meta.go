package ledger

import (
	"bytes"
	"errors"
	"fmt"
)

// Meta rows hold the service's own small records beside the log (API key records:
// secrets-derived, revocable, not events), under a key prefix of their own:
//
//	m <key>                              meta value
//
// They are not entries: nothing hashes, chains or proves them, and Verify, which
// reads only the log's own prefixes, neither checks nor flags them.
const prefixMeta = "m"

// Meta is a key-value space beside the log for records that are not events. Its
// methods are safe for concurrent use with appends (they touch no row of the
// log) and fit the server's KV interface.
type Meta struct{ l *Log }

// Meta returns the log's key-value space for non-event records.
func (l *Log) Meta() *Meta { return &Meta{l: l} }

func metaKey(key []byte) []byte { return append([]byte(prefixMeta), key...) }

// Get returns the value of key; found is false when there is none.
func (m *Meta) Get(key []byte) (value []byte, found bool, err error) {
	err = m.l.store.View(func(r Reader) error {
		v, err := r.Get(metaKey(key))
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		value, found = bytes.Clone(v), true
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("ledger: meta get: %w", err)
	}
	return value, found, nil
}

// Put sets the value of key durably (a synced write of its own). It fails on a
// closed or read-only log.
func (m *Meta) Put(key, value []byte) error {
	if m.l.opts.ReadOnly {
		return errors.New("ledger: meta put: the log is open read-only")
	}
	select {
	case <-m.l.closing:
		return ErrClosed
	default:
	}
	var b Batch
	b.Put(metaKey(key), bytes.Clone(value))
	if err := m.l.store.Write(&b); err != nil {
		return fmt.Errorf("ledger: meta put: %w", err)
	}
	return nil
}

// Iterate calls fn for every key with the prefix, in key order, until fn returns
// an error, which Iterate then returns. fn must not keep key or value.
func (m *Meta) Iterate(prefix []byte, fn func(key, value []byte) error) error {
	return m.l.store.View(func(r Reader) error {
		return r.Scan(metaKey(prefix), nil, false, func(k, v []byte) (bool, error) {
			if err := fn(k[len(prefixMeta):], v); err != nil {
				return false, err
			}
			return true, nil
		})
	})
}

// Ready returns nil when the log can take appends: it is open, not read-only, its
// appender goroutine is running and its store answers a read. It is the cheap
// probe behind the server's /readyz.
func (l *Log) Ready() error {
	if l.opts.ReadOnly {
		return errors.New("ledger: open read-only: no appender")
	}
	select {
	case <-l.closing:
		return ErrClosed
	default:
	}
	select {
	case <-l.stopped:
		return errors.New("ledger: the appender has stopped")
	default:
	}
	err := l.store.View(func(r Reader) error {
		_, err := r.Get([]byte(keyCheckpoint))
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("ledger: store does not answer: %w", err)
	}
	return nil
}
