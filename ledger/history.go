package ledger

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// ErrUnknownCode is returned by History and Prove for a product code no entry touches.
var ErrUnknownCode = errors.New("ledger: no entry for this code")

// A BrokenChainError reports a per-product chain link that does not hold: the
// entry it points to is missing, or its leaf hash differs from the link's.
type BrokenChainError struct {
	Code  string
	Entry int64 // the entry holding the link (-1: the chain head record)
	Prev  int64 // the entry the link points to
	Err   error
}

func (e *BrokenChainError) Error() string {
	who := fmt.Sprintf("entry %d", e.Entry)
	if e.Entry < 0 {
		who = "chain head"
	}
	return fmt.Sprintf("ledger: chain of %s broken at %s -> entry %d: %v", e.Code, who, e.Prev, e.Err)
}

func (e *BrokenChainError) Unwrap() error { return e.Err }

// History returns every entry under a product code, newest first, walking the
// per-product chain from its head and checking at each step that the entry's
// leaf hash is the hash the later entry's link (or the head record) names.
func (l *Log) History(code string) ([]*Entry, error) {
	var out []*Entry
	err := l.store.View(func(r Reader) error {
		return walkChain(r, code, func(e *Entry, _ tlog.Hash) error {
			out = append(out, e)
			return nil
		})
	})
	return out, err
}

// walkChain calls fn for every entry under code, newest first, with its leaf
// hash, checking each link on the way.
func walkChain(r Reader, code string, fn func(e *Entry, leaf tlog.Hash) error) error {
	h, err := readHead(r, newStoreHashes(r, nil), code)
	if err != nil {
		return err
	}
	pre := prefetchChain(r, code, h.index)
	from := int64(-1)
	for n, want := h.index, h.hash; n >= 0; {
		e, got, err := pre.entry(r, n)
		if err != nil {
			return &BrokenChainError{Code: code, Entry: from, Prev: n, Err: err}
		}
		if got != want {
			return &BrokenChainError{Code: code, Entry: from, Prev: n,
				Err: fmt.Errorf("leaf hash %v, link says %v", got, want)}
		}
		link, ok := e.Link(code)
		if !ok {
			return &BrokenChainError{Code: code, Entry: from, Prev: n, Err: errors.New("entry has no link for the code")}
		}
		if link.Prev >= n {
			return &BrokenChainError{Code: code, Entry: n, Prev: link.Prev, Err: errors.New("link points forward")}
		}
		if err := fn(e, got); err != nil {
			return err
		}
		from, n, want = n, link.Prev, link.PrevHash
	}
	return nil
}

// minPrefetch is the chain length from which walkChain reads the entries ahead on
// every core.
const minPrefetch = 64

// prefetched holds entries read ahead of a chain walk, by ascending index.
type prefetched struct {
	index   []int64
	entries []*Entry
	leaf    []tlog.Hash
}

// prefetchChain reads ahead, on every core, the entries the product index lists
// under code up to entry last. It is only a hint: the walk still checks every
// link, and reads an entry itself when the index (derived data) does not list it.
func prefetchChain(r Reader, code string, last int64) *prefetched {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 {
		return nil
	}
	p := &prefetched{}
	err := scanOffsets(r, fieldProduct, code, 0, false, func(n int64) bool {
		if n > last {
			return false
		}
		p.index = append(p.index, n)
		return true
	})
	if err != nil || len(p.index) < minPrefetch {
		return nil
	}
	p.entries = make([]*Entry, len(p.index))
	p.leaf = make([]tlog.Hash, len(p.index))
	per := (len(p.index) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w * per; i < min((w+1)*per, len(p.index)); i++ {
				if e, leaf, err := readEntry(r, p.index[i]); err == nil {
					p.entries[i], p.leaf[i] = e, leaf
				}
			}
		}()
	}
	wg.Wait()
	return p
}

// entry returns entry n and its leaf hash, read ahead or from r.
func (p *prefetched) entry(r Reader, n int64) (*Entry, tlog.Hash, error) {
	if p != nil {
		if i, ok := slices.BinarySearch(p.index, n); ok && p.entries[i] != nil {
			return p.entries[i], p.leaf[i], nil
		}
	}
	return readEntry(r, n)
}

// readHead finds the newest entry under code: the last record of the code's last
// product posting row, with its leaf hash from the tree hash rows. Both are
// checked by Verify, so the log stores no head of its own.
func readHead(r Reader, hashes storeHashes, code string) (head, error) {
	n := int64(-1)
	err := scanOffsets(r, fieldProduct, code, math.MaxInt64, true, func(m int64) bool {
		n = m
		return false
	})
	if err != nil {
		return head{}, err
	}
	if n < 0 {
		return head{}, fmt.Errorf("%w: %q", ErrUnknownCode, code)
	}
	h, err := hashes.ReadHashes([]int64{tlog.StoredHashIndex(0, n)})
	if err != nil {
		return head{}, fmt.Errorf("ledger: chain head of %q: %w", code, err)
	}
	return head{index: n, hash: h[0]}, nil
}
