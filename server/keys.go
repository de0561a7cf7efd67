package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// API keys: "tlk_" followed by 32 random bytes in unpadded base64url (47 characters
// in all). The prefix makes a leaked key recognisable to secret scanners and to
// people. Only the SHA-256 of the key is stored: a key carries 256 bits of entropy,
// so a fast hash is enough (no password stretching needed) and a stolen store
// yields no usable key. A key's ID is the first 16 hex digits of that hash, so an
// admin holding a key can compute its ID, and the ID reveals nothing usable.

// KeyPrefix starts every API key.
const KeyPrefix = "tlk_"

// keyBytes is the number of random bytes in a key.
const keyBytes = 32

// A Role is what an API key may do.
type Role string

// The roles of DESIGN.md section 7.
const (
	// RoleProducer captures events for its own company prefixes and sites.
	RoleProducer Role = "producer"
	// RoleInspector records inspection and sampling events anywhere.
	RoleInspector Role = "inspector"
	// RoleRegulator can do what producers and inspectors can, anywhere, plus firm
	// approval, blacklist and recalls of any firm.
	RoleRegulator Role = "regulator"
	// RoleAdmin manages keys and firms.
	RoleAdmin Role = "admin"
)

// Roles lists every role, in order of the documentation.
var Roles = []Role{RoleProducer, RoleInspector, RoleRegulator, RoleAdmin}

// ParseRole returns the role named s, or an error naming the valid ones.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q: want producer, inspector, regulator or admin", s)
}

// KeyInfo describes an API key without the key itself.
type KeyInfo struct {
	// ID identifies the key in listings and revocation (16 hex digits).
	ID string `json:"id"`
	// Firm is the Unified Social Credit Code of the firm the key acts for.
	Firm string `json:"firm"`
	// Role is what the key may do.
	Role Role `json:"role"`
	// Created is when the key was made.
	Created time.Time `json:"created"`
	// Revoked is when the key was revoked; zero while it is valid.
	Revoked time.Time `json:"revoked,omitzero"`
}

// Active reports whether the key is not revoked.
func (k KeyInfo) Active() bool { return k.Revoked.IsZero() }

// A KeyStore keeps API keys. Implementations store only hashes of keys.
type KeyStore interface {
	// Create makes a new key for firm with role and returns the key (the only time it
	// is ever available) and its description.
	Create(firm string, role Role) (plaintext string, info KeyInfo, err error)
	// Lookup returns the description of the key, ErrUnknownKey if there is none,
	// or ErrKeyRevoked (with the description) if it was revoked.
	Lookup(plaintext string) (KeyInfo, error)
	// Revoke revokes the key with the given ID; revoking twice is not an error.
	// It returns ErrUnknownKey if there is no such key.
	Revoke(id string) error
	// List describes every key, revoked ones included, ordered by ID.
	List() ([]KeyInfo, error)
}

// Errors of KeyStore implementations.
var (
	// ErrUnknownKey means no key has this value or ID.
	ErrUnknownKey = errors.New("unknown API key")
	// ErrKeyRevoked means the key was revoked.
	ErrKeyRevoked = errors.New("API key revoked")
	// ErrMalformedKey means the value cannot be a key (wrong prefix or length).
	ErrMalformedKey = errors.New("malformed API key")
)

// newKey returns a fresh random key.
func newKey() (string, error) {
	var b [keyBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generating API key: %w", err)
	}
	return KeyPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// hashKey returns the SHA-256 of a key and the key's ID, after checking its form so
// that garbage never reaches the store.
func hashKey(plaintext string) (sum [sha256.Size]byte, id string, err error) {
	rest, ok := strings.CutPrefix(plaintext, KeyPrefix)
	if !ok || base64.RawURLEncoding.DecodedLen(len(rest)) != keyBytes {
		return sum, "", ErrMalformedKey
	}
	if _, derr := base64.RawURLEncoding.Strict().DecodeString(rest); derr != nil {
		return sum, "", ErrMalformedKey
	}
	sum = sha256.Sum256([]byte(plaintext))
	return sum, hex.EncodeToString(sum[:8]), nil
}

// validKeyID reports whether id has the form of a key ID.
func validKeyID(id string) bool {
	if len(id) != 16 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil && strings.ToLower(id) == id
}
