package ledger

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Checkpoints follow the C2SP tlog-checkpoint format: a signed note
// (golang.org/x/mod/sumdb/note, Ed25519) whose text is three lines, the origin
// naming this log, the tree size in decimal and the base64 RFC 6962 root hash:
//
//	traceledger/5f0c2a9e1b7d4c38
//	1042
//	3q2+7w...=
//
//	— traceledger/5f0c2a9e1b7d4c38 AbCd...
//
// The signing key's name is the origin, so a verifier key names the log it
// checks. tlog.FormatTree cannot be used: it hard-codes the go.sum origin.

// Files of the signing key, beside the store in the log's directory.
const (
	SigningKeyFile  = "signing.key" // note signer key, mode 0600
	VerifierKeyFile = "signing.pub" // note verifier key, public
)

// ErrEmpty is returned for checkpoints and proofs of a log with no entries: the
// RFC 6962 tree of size 0 has no record to prove and the log signs none.
var ErrEmpty = errors.New("ledger: log is empty")

// loadOrCreateKey reads the log's signing key from dir, creating an Ed25519 key
// named origin (or a fresh "traceledger/<random id>") on first use.
func loadOrCreateKey(dir, origin string, readOnly bool) (note.Signer, note.Verifier, string, error) {
	skPath := filepath.Join(dir, SigningKeyFile)
	sk, err := os.ReadFile(skPath)
	if errors.Is(err, os.ErrNotExist) && !readOnly {
		if origin == "" {
			var id [8]byte
			if _, err := rand.Read(id[:]); err != nil {
				return nil, nil, "", fmt.Errorf("ledger: log id: %w", err)
			}
			origin = "traceledger/" + hex.EncodeToString(id[:])
		}
		skey, vkey, err := note.GenerateKey(rand.Reader, origin)
		if err != nil {
			return nil, nil, "", fmt.Errorf("ledger: generate signing key %q: %w", origin, err)
		}
		if err := writeFileSync(skPath, []byte(skey+"\n"), 0o600); err != nil {
			return nil, nil, "", err
		}
		if err := writeFileSync(filepath.Join(dir, VerifierKeyFile), []byte(vkey+"\n"), 0o644); err != nil {
			return nil, nil, "", err
		}
		sk = []byte(skey)
	} else if err != nil {
		return nil, nil, "", fmt.Errorf("ledger: read signing key: %w", err)
	}
	signer, err := note.NewSigner(strings.TrimSpace(string(sk)))
	if err != nil {
		return nil, nil, "", fmt.Errorf("ledger: signing key %s: %w", skPath, err)
	}
	vk, err := os.ReadFile(filepath.Join(dir, VerifierKeyFile))
	if err != nil {
		return nil, nil, "", fmt.Errorf("ledger: read verifier key: %w", err)
	}
	vkey := strings.TrimSpace(string(vk))
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, nil, "", fmt.Errorf("ledger: verifier key %s: %w", VerifierKeyFile, err)
	}
	if verifier.Name() != signer.Name() || verifier.KeyHash() != signer.KeyHash() {
		return nil, nil, "", fmt.Errorf("ledger: %s does not match %s", VerifierKeyFile, SigningKeyFile)
	}
	return signer, verifier, vkey, nil
}

func writeFileSync(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("ledger: create %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("ledger: write %s: %w", path, err)
	}
	return nil
}

// signCheckpoint returns the signed checkpoint note for a tree of size n with root hash.
func signCheckpoint(signer note.Signer, n int64, root tlog.Hash) ([]byte, error) {
	text := log.Checkpoint{Origin: signer.Name(), Size: uint64(n), Hash: root[:]}.Marshal()
	msg, err := note.Sign(&note.Note{Text: string(text)}, signer)
	if err != nil {
		return nil, fmt.Errorf("ledger: sign checkpoint %d: %w", n, err)
	}
	return msg, nil
}

// A Checkpoint is a verified signed checkpoint: the tree size and root it commits
// to, and the signed note itself.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   tlog.Hash
	Note   []byte // the signed note as stored and served
}

// OpenCheckpoint checks the signature on a signed checkpoint note with the
// verifier key (note verifier format, "name+hash+key") and parses it. The origin
// must be the key's name.
func OpenCheckpoint(msg []byte, verifierKey string) (*Checkpoint, error) {
	v, err := note.NewVerifier(strings.TrimSpace(verifierKey))
	if err != nil {
		return nil, fmt.Errorf("ledger: verifier key: %w", err)
	}
	return openCheckpoint(msg, v)
}

func openCheckpoint(msg []byte, v note.Verifier) (*Checkpoint, error) {
	cp, _, _, err := log.ParseCheckpoint(msg, v.Name(), v)
	if err != nil {
		return nil, fmt.Errorf("ledger: checkpoint: %w", err)
	}
	if len(cp.Hash) != tlog.HashSize {
		return nil, fmt.Errorf("ledger: checkpoint: root hash is %d bytes, want %d", len(cp.Hash), tlog.HashSize)
	}
	if cp.Size > 1<<62 {
		return nil, fmt.Errorf("ledger: checkpoint: size %d out of range", cp.Size)
	}
	c := &Checkpoint{Origin: cp.Origin, Size: int64(cp.Size), Note: msg}
	copy(c.Root[:], cp.Hash)
	return c, nil
}
