package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// A Bundle proves one product code's history offline: every entry of the code's
// chain, newest first, each with its RFC 6962 inclusion proof in the tree the
// signed checkpoint commits to. A consumer who trusts the log's verifier key
// checks it with VerifyBundle and needs nothing else: the entries are in their
// canonical encoding, so the leaf hashes are recomputed, not taken on trust.
//
// It shows that these entries are in the log and chained in this order, and that
// the chain goes back to the code's first entry; it cannot show that no later
// entry exists (only a newer checkpoint and bundle can).
type Bundle struct {
	Code       string        `json:"code"`       // the product code
	KeyName    string        `json:"keyName"`    // name of the key that signed the checkpoint (the log's origin)
	Checkpoint string        `json:"checkpoint"` // signed checkpoint note
	Entries    []BundleEntry `json:"entries"`    // the chain, newest first
}

// A BundleEntry is one chain entry with its inclusion proof.
type BundleEntry struct {
	Index int64       `json:"index"`
	Entry []byte      `json:"entry"` // canonical encoding (base64 in JSON)
	Proof []tlog.Hash `json:"proof"` // inclusion proof in the checkpoint's tree
}

// Prove returns the proof bundle of a product code against the latest checkpoint.
func (l *Log) Prove(code string) (*Bundle, error) {
	b := &Bundle{Code: code, KeyName: l.verifier.Name()}
	err := l.store.View(func(r Reader) error {
		msg, err := r.Get([]byte(keyCheckpoint))
		if errors.Is(err, ErrNotFound) {
			return ErrEmpty
		}
		if err != nil {
			return err
		}
		cp, err := openCheckpoint(bytes.Clone(msg), l.verifier)
		if err != nil {
			return err
		}
		b.Checkpoint = string(cp.Note)
		hashes := newStoreHashes(r, nil)
		return walkChain(r, code, func(e *Entry, _ tlog.Hash) error {
			if e.Index >= cp.Size {
				return fmt.Errorf("ledger: entry %d beyond checkpoint size %d", e.Index, cp.Size)
			}
			enc, err := r.Get(entryKey(e.Index))
			if err != nil {
				return err
			}
			p, err := tlog.ProveRecord(cp.Size, e.Index, hashes)
			if err != nil {
				return fmt.Errorf("ledger: prove entry %d: %w", e.Index, err)
			}
			b.Entries = append(b.Entries, BundleEntry{Index: e.Index, Entry: bytes.Clone(enc), Proof: p})
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// ErrBadBundle is returned (wrapped, naming the entry) for a bundle that does not verify.
var ErrBadBundle = errors.New("ledger: proof bundle does not verify")

// VerifyBundle checks a JSON proof bundle offline against the log's verifier key
// (note verifier format): the checkpoint signature, every entry's inclusion in the
// checkpoint's tree, and every link of the code's chain down to its first entry.
func VerifyBundle(bundle []byte, verifierKey string) error {
	_, err := CheckBundle(bundle, verifierKey)
	return err
}

// CheckBundle is VerifyBundle returning the verified bundle and checkpoint, for
// callers that go on to show the entries.
func CheckBundle(bundle []byte, verifierKey string) (*VerifiedBundle, error) {
	v, err := note.NewVerifier(strings.TrimSpace(verifierKey))
	if err != nil {
		return nil, fmt.Errorf("ledger: verifier key: %w", err)
	}
	var b Bundle
	dec := json.NewDecoder(bytes.NewReader(bundle))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadBundle, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the bundle", ErrBadBundle)
	}
	if b.KeyName != v.Name() {
		return nil, fmt.Errorf("%w: signed by %q, key is %q", ErrBadBundle, b.KeyName, v.Name())
	}
	cp, err := openCheckpoint([]byte(b.Checkpoint), v)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadBundle, err)
	}
	if len(b.Entries) == 0 {
		return nil, fmt.Errorf("%w: no entries for %q", ErrBadBundle, b.Code)
	}
	out := &VerifiedBundle{Code: b.Code, Checkpoint: cp}
	var newer *Link
	newerIndex := int64(-1)
	for i, be := range b.Entries {
		e, err := UnmarshalEntry(be.Entry)
		if err != nil {
			return nil, fmt.Errorf("%w: entry %d: %v", ErrBadBundle, be.Index, err)
		}
		if e.Index != be.Index {
			return nil, fmt.Errorf("%w: entry %d: encoding says index %d", ErrBadBundle, be.Index, e.Index)
		}
		if e.Index >= cp.Size {
			return nil, fmt.Errorf("%w: entry %d: beyond checkpoint size %d", ErrBadBundle, e.Index, cp.Size)
		}
		leaf := LeafHash(be.Entry)
		if err := tlog.CheckRecord(be.Proof, cp.Size, cp.Root, e.Index, leaf); err != nil {
			return nil, fmt.Errorf("%w: entry %d: inclusion proof: %v", ErrBadBundle, e.Index, err)
		}
		if newer != nil && (newer.Prev != e.Index || newer.PrevHash != leaf) {
			return nil, fmt.Errorf("%w: entry %d: links to entry %d %v, bundle has entry %d %v next",
				ErrBadBundle, newerIndex, newer.Prev, newer.PrevHash, e.Index, leaf)
		}
		link, ok := e.Link(b.Code)
		if !ok {
			return nil, fmt.Errorf("%w: entry %d: not chained under %q", ErrBadBundle, e.Index, b.Code)
		}
		if i == len(b.Entries)-1 && link.Prev != -1 {
			return nil, fmt.Errorf("%w: entry %d: chain continues to entry %d, missing from the bundle", ErrBadBundle, e.Index, link.Prev)
		}
		newer, newerIndex = &link, e.Index
		out.Entries = append(out.Entries, e)
	}
	return out, nil
}

// A VerifiedBundle is the content of a bundle that verified.
type VerifiedBundle struct {
	Code       string
	Checkpoint *Checkpoint
	Entries    []*Entry // newest first
}
