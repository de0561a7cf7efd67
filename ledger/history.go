package ledger

import (
	"errors"
	"fmt"

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
	h, err := readHead(r, code)
	if err != nil {
		return err
	}
	from := int64(-1)
	for n, want := h.index, h.hash; n >= 0; {
		e, got, err := readEntry(r, n)
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

func readHead(r Reader, code string) (head, error) {
	v, err := r.Get(headKey(code))
	if errors.Is(err, ErrNotFound) {
		return head{}, fmt.Errorf("%w: %q", ErrUnknownCode, code)
	}
	if err != nil {
		return head{}, err
	}
	if len(v) != 8+tlog.HashSize {
		return head{}, fmt.Errorf("ledger: chain head %q: malformed value", code)
	}
	h := head{index: getIndex(v)}
	copy(h.hash[:], v[8:])
	return h, nil
}
