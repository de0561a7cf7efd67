package server

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// A KV is the little storage the server's own records need (API keys): byte keys
// to byte values with prefix iteration. The ledger's Badger provides one; the
// server does not care which store is behind it. There is no Delete: records are
// never removed (a revoked key stays for the audit trail), which suits an
// append-oriented store.
type KV interface {
	// Get returns the value of key; found is false when there is none.
	Get(key []byte) (value []byte, found bool, err error)
	// Put sets the value of key durably.
	Put(key, value []byte) error
	// Iterate calls fn for every key with the prefix, in key order, until fn
	// returns an error, which Iterate then returns. fn must not keep key or value.
	Iterate(prefix []byte, fn func(key, value []byte) error) error
}

// keyRecordPrefix starts the KV key of every API key record: "apikey/" + ID.
const keyRecordPrefix = "apikey/"

// keyRecord is what is stored per key: its description and the full hash.
type keyRecord struct {
	KeyInfo
	Hash []byte `json:"sha256"`
}

// KVKeyStore is the KeyStore on a KV. Records live under "apikey/{id}" as JSON.
// Lookup costs one Get the first time: the ID is derived from the key's hash.
// After that the active record comes from memory (every authenticated request
// looks its key up; the store read and JSON decoding were a tenth of the
// authentication middleware's time under load). Only this store changes records
// while it is open (a writable store is locked to one process), and Revoke drops
// the record from memory, so a revoked key is refused from the next request on.
type KVKeyStore struct {
	kv  KV
	now func() time.Time
	mu  sync.Mutex // serializes read-modify-write in Revoke

	cacheMu sync.RWMutex
	active  map[string]keyRecord // active records read by Lookup, by ID
	gen     uint64               // counts revocations: a Lookup caches only if none happened since it read the store
}

// NewKVKeyStore returns a KeyStore keeping its records in kv.
func NewKVKeyStore(kv KV) *KVKeyStore {
	return &KVKeyStore{kv: kv, now: time.Now, active: make(map[string]keyRecord)}
}

// Create makes a key for firm with role. firm must be checked by the caller
// (registered, valid code); here it only must not be empty.
func (s *KVKeyStore) Create(firm string, role Role) (string, KeyInfo, error) {
	if firm == "" {
		return "", KeyInfo{}, fmt.Errorf("creating API key: firm is empty")
	}
	if _, err := ParseRole(string(role)); err != nil {
		return "", KeyInfo{}, fmt.Errorf("creating API key: %w", err)
	}
	key, err := newKey()
	if err != nil {
		return "", KeyInfo{}, err
	}
	sum, id, err := hashKey(key)
	if err != nil {
		return "", KeyInfo{}, fmt.Errorf("creating API key: %w", err)
	}
	info := KeyInfo{ID: id, Firm: firm, Role: role, Created: s.now().UTC().Truncate(time.Second)}
	rec, err := json.Marshal(keyRecord{KeyInfo: info, Hash: sum[:]})
	if err != nil {
		return "", KeyInfo{}, fmt.Errorf("creating API key: %w", err)
	}
	if err := s.kv.Put([]byte(keyRecordPrefix+id), rec); err != nil {
		return "", KeyInfo{}, fmt.Errorf("storing API key %s: %w", id, err)
	}
	return key, info, nil
}

// Lookup returns the description of key.
func (s *KVKeyStore) Lookup(key string) (KeyInfo, error) {
	sum, id, err := hashKey(key)
	if err != nil {
		return KeyInfo{}, err
	}
	rec, err := s.lookupRecord(id)
	if err != nil {
		return KeyInfo{}, err
	}
	// The ID is only 64 bits of the hash: compare all of it.
	if subtle.ConstantTimeCompare(rec.Hash, sum[:]) != 1 {
		return KeyInfo{}, ErrUnknownKey
	}
	if !rec.Active() {
		return rec.KeyInfo, ErrKeyRevoked
	}
	return rec.KeyInfo, nil
}

// lookupRecord returns the record of id from memory, or from the store (keeping
// it in memory when it is active and no revocation happened meanwhile).
func (s *KVKeyStore) lookupRecord(id string) (keyRecord, error) {
	s.cacheMu.RLock()
	rec, ok := s.active[id]
	gen := s.gen
	s.cacheMu.RUnlock()
	if ok {
		return rec, nil
	}
	rec, found, err := s.get(id)
	if err != nil || !found {
		return rec, err
	}
	if rec.Active() {
		s.cacheMu.Lock()
		if s.gen == gen && len(s.active) < maxCachedKeys {
			s.active[id] = rec
		}
		s.cacheMu.Unlock()
	}
	return rec, nil
}

// maxCachedKeys bounds the records Lookup keeps in memory (only real, active keys
// get there; a store with more is read for the rest).
const maxCachedKeys = 1 << 16

// forget drops id's record from memory after its revocation is stored.
func (s *KVKeyStore) forget(id string) {
	s.cacheMu.Lock()
	delete(s.active, id)
	s.gen++
	s.cacheMu.Unlock()
}

// Revoke marks the key with id revoked, keeping its record for the audit trail.
func (s *KVKeyStore) Revoke(id string) error {
	if !validKeyID(id) {
		return ErrUnknownKey
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, found, err := s.get(id)
	if err != nil || !found {
		return err
	}
	if !rec.Active() {
		return nil
	}
	rec.Revoked = s.now().UTC().Truncate(time.Second)
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("revoking API key %s: %w", id, err)
	}
	err = s.kv.Put([]byte(keyRecordPrefix+id), b)
	// Forgotten even when the Put failed: the store may hold either record now.
	s.forget(id)
	if err != nil {
		return fmt.Errorf("revoking API key %s: %w", id, err)
	}
	return nil
}

// List describes every key in ID order.
func (s *KVKeyStore) List() ([]KeyInfo, error) {
	var out []KeyInfo
	err := s.kv.Iterate([]byte(keyRecordPrefix), func(k, v []byte) error {
		var rec keyRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("API key record %q: %w", bytes.TrimPrefix(k, []byte(keyRecordPrefix)), err)
		}
		out = append(out, rec.KeyInfo)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing API keys: %w", err)
	}
	return out, nil
}

// get reads the record of id; found is false (with ErrUnknownKey) when absent.
func (s *KVKeyStore) get(id string) (rec keyRecord, found bool, err error) {
	v, found, err := s.kv.Get([]byte(keyRecordPrefix + id))
	if err != nil {
		return rec, false, fmt.Errorf("reading API key %s: %w", id, err)
	}
	if !found {
		return rec, false, ErrUnknownKey
	}
	if err := json.Unmarshal(v, &rec); err != nil {
		return rec, false, fmt.Errorf("API key record %s: %w", id, err)
	}
	return rec, true, nil
}
