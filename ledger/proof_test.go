package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/merkle/testonly"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func hashes(h []tlog.Hash) [][]byte {
	out := make([][]byte, len(h))
	for i := range h {
		out[i] = h[i][:]
	}
	return out
}

// TestTreeMatchesRFC6962Vectors builds the tree of transparency-dev/merkle's
// standard 8 leaves the way the appender does (stored hashes through
// storeHashes) and checks every root and proof against those vectors and that
// library's verifiers.
func TestTreeMatchesRFC6962Vectors(t *testing.T) {
	leaves := testonly.LeafInputs()
	roots := testonly.RootHashes()
	pending := map[int64]tlog.Hash{}
	hr := storeHashes{pending: pending}
	for n, data := range leaves {
		stored, err := tlog.StoredHashes(int64(n), data, hr)
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range stored {
			pending[tlog.StoredHashIndex(0, int64(n))+int64(i)] = h
		}
		size := int64(n + 1)
		root, err := tlog.TreeHash(size, hr)
		if err != nil || !bytes.Equal(root[:], roots[size]) {
			t.Fatalf("root of %d = %v, %v; want %x", size, root, err, roots[size])
		}
	}
	for size := int64(1); size <= 8; size++ {
		root, _ := tlog.TreeHash(size, hr)
		for i := int64(0); i < size; i++ {
			p, err := tlog.ProveRecord(size, i, hr)
			if err != nil {
				t.Fatal(err)
			}
			leaf := rfc6962.DefaultHasher.HashLeaf(leaves[i])
			if err := proof.VerifyInclusion(rfc6962.DefaultHasher, uint64(i), uint64(size), leaf, hashes(p), root[:]); err != nil {
				t.Errorf("inclusion %d in %d: %v", i, size, err)
			}
		}
		for old := int64(1); old <= size; old++ {
			p, err := tlog.ProveTree(size, old, hr)
			if err != nil {
				t.Fatal(err)
			}
			if err := proof.VerifyConsistency(rfc6962.DefaultHasher, uint64(old), uint64(size), hashes(p), roots[old], root[:]); err != nil {
				t.Errorf("consistency %d -> %d: %v", old, size, err)
			}
		}
	}
}

// TestProofsMatchTransparencyDev checks the log's own inclusion and consistency
// proofs, for every entry and pair of sizes, with transparency-dev/merkle.
func TestProofsMatchTransparencyDev(t *testing.T) {
	l := openTest(t, t.TempDir())
	var leaves [][]byte
	for i := range 21 {
		res := appendAll(t, l, synthetic(i))
		leaves = append(leaves, res[0].Hash[:])
	}
	roots := make([][]byte, 22)
	for size := int64(1); size <= 21; size++ {
		root, err := l.TreeHash(size)
		if err != nil {
			t.Fatal(err)
		}
		roots[size] = root[:]
	}
	for size := int64(1); size <= 21; size++ {
		for i := int64(0); i < size; i++ {
			p, err := l.ProveInclusion(i, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := proof.VerifyInclusion(rfc6962.DefaultHasher, uint64(i), uint64(size), leaves[i], hashes(p), roots[size]); err != nil {
				t.Errorf("inclusion %d in %d: %v", i, size, err)
			}
		}
		for old := int64(1); old <= size; old++ {
			p, err := l.ProveConsistency(old, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := proof.VerifyConsistency(rfc6962.DefaultHasher, uint64(old), uint64(size), hashes(p), roots[old], roots[size]); err != nil {
				t.Errorf("consistency %d -> %d: %v", old, size, err)
			}
		}
	}
	if _, err := l.ProveInclusion(0, 22); err == nil {
		t.Error("proof against a tree larger than the log succeeded")
	}
}

func TestCheckpointIsSignedC2SPNote(t *testing.T) {
	l := openTest(t, t.TempDir())
	if _, err := l.Checkpoint(); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty log Checkpoint error = %v", err)
	}
	appendAll(t, l, synthetic(0), synthetic(1), synthetic(2))
	cp, err := l.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	root, _ := l.TreeHash(3)
	if cp.Size != 3 || cp.Root != root || cp.Origin != l.Origin() || !strings.HasPrefix(cp.Origin, "traceledger/") {
		t.Errorf("checkpoint = %+v, root %v", cp, root)
	}
	v, err := note.NewVerifier(l.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	parsed, _, _, err := log.ParseCheckpoint(cp.Note, l.Origin(), v)
	if err != nil || parsed.Size != 3 || !bytes.Equal(parsed.Hash, root[:]) {
		t.Errorf("ParseCheckpoint = %+v, %v", parsed, err)
	}
	lines := strings.Split(string(cp.Note), "\n")
	if lines[0] != l.Origin() || lines[1] != "3" || lines[3] != "" || !strings.HasPrefix(lines[4], "— "+l.Origin()+" ") {
		t.Errorf("checkpoint note = %q", cp.Note)
	}
}

func proveTestLog(t *testing.T) (*Log, []byte) {
	l := openTest(t, t.TempDir())
	appendAll(t, l,
		testEvent{ID: "a", Products: []string{lotA}}.record(),
		testEvent{ID: "b", Products: []string{lotB}}.record(),
		testEvent{ID: "c", Products: []string{lotA, lotB}}.record())
	appendAll(t, l, testEvent{ID: "d", Products: []string{lotB}}.record())
	appendAll(t, l, testEvent{ID: "e", Products: []string{lotA}}.record())
	b, err := l.Prove(lotA)
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return l, js
}

func TestProveBundleVerifiesOffline(t *testing.T) {
	l, js := proveTestLog(t)
	vb, err := CheckBundle(js, l.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	if len(vb.Entries) != 3 || vb.Entries[0].Index != 4 || vb.Entries[2].Index != 0 || vb.Checkpoint.Size != 5 {
		t.Errorf("verified bundle = %+v", vb)
	}
	if _, err := l.Prove("unknown"); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("Prove(unknown) error = %v", err)
	}
}

func TestVerifyBundleRejectsTampering(t *testing.T) {
	l, js := proveTestLog(t)
	_, otherV, _ := note.GenerateKey(strings.NewReader(strings.Repeat("k", 64)), l.Origin())
	edit := func(f func(b *Bundle)) []byte {
		var b Bundle
		if err := json.Unmarshal(js, &b); err != nil {
			t.Fatal(err)
		}
		f(&b)
		out, _ := json.Marshal(b)
		return out
	}
	tests := []struct {
		name   string
		bundle []byte
		key    string
	}{
		{"other key of the same name", js, otherV},
		{"entry byte changed", edit(func(b *Bundle) { b.Entries[1].Entry[len(b.Entries[1].Entry)-2] ^= 1 }), ""},
		{"middle entry dropped", edit(func(b *Bundle) { b.Entries = append(b.Entries[:1], b.Entries[2:]...) }), ""},
		{"oldest entry dropped", edit(func(b *Bundle) { b.Entries = b.Entries[:2] }), ""},
		{"entries reordered", edit(func(b *Bundle) { b.Entries[0], b.Entries[1] = b.Entries[1], b.Entries[0] }), ""},
		{"proof hash changed", edit(func(b *Bundle) { b.Entries[0].Proof[0][0] ^= 1 }), ""},
		{"index changed", edit(func(b *Bundle) { b.Entries[2].Index = 1 }), ""},
		{"other code claimed", edit(func(b *Bundle) { b.Code = lotB }), ""},
		{"checkpoint size changed", edit(func(b *Bundle) { b.Checkpoint = strings.Replace(b.Checkpoint, "\n5\n", "\n6\n", 1) }), ""},
		{"no entries", edit(func(b *Bundle) { b.Entries = nil }), ""},
		{"unknown field", append(js[:len(js)-1:len(js)-1], []byte(`,"x":1}`)...), ""},
		{"not JSON", []byte("{"), ""},
	}
	if err := VerifyBundle(js, l.VerifierKey()); err != nil {
		t.Fatalf("untouched bundle: %v", err)
	}
	for _, tc := range tests {
		key := tc.key
		if key == "" {
			key = l.VerifierKey()
		}
		if err := VerifyBundle(tc.bundle, key); err == nil {
			t.Errorf("%s: bundle verified", tc.name)
		}
	}
}

func FuzzVerifyBundle(f *testing.F) {
	dir := f.TempDir()
	l, err := Open(dir, DefaultOptions().WithIndexer(testIndexer))
	if err != nil {
		f.Fatal(err)
	}
	for i := range 5 {
		if _, err := l.Append(t0ctx(), synthetic(i*50)); err != nil {
			f.Fatal(err)
		}
	}
	b, err := l.Prove(strings.Split(string(synthetic(0).Event), "\n")[1][2:])
	if err != nil {
		f.Fatal(err)
	}
	js, _ := json.Marshal(b)
	key := l.VerifierKey()
	l.Close()
	f.Add(js)
	f.Add([]byte(`{"code":"x","keyName":"","checkpoint":"","entries":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		vb, err := CheckBundle(data, key)
		if err != nil {
			return
		}
		// Whatever verifies must be a chain of entries under the code, newest first.
		for i, e := range vb.Entries {
			if _, ok := e.Link(vb.Code); !ok || (i > 0 && e.Index >= vb.Entries[i-1].Index) {
				t.Fatalf("verified bundle with bad chain: %+v", vb)
			}
		}
	})
}

func TestTileDataServesTheTree(t *testing.T) {
	l := openTest(t, t.TempDir())
	var recs []Record
	for i := range 20 {
		recs = append(recs, synthetic(i))
	}
	appendAll(t, l, recs...)
	root, _ := l.TreeHash(20)
	// Rebuild the root from tiles of height 2, as a tile-reading client would.
	tr := tileReader{l: l, h: 2}
	got, err := tlog.TreeHash(20, tlog.TileHashReader(tlog.Tree{N: 20, Hash: root}, tr))
	if err != nil || got != root {
		t.Fatalf("root from tiles = %v, %v; want %v", got, err, root)
	}
	if _, err := l.TileData(tlog.Tile{H: 2, L: 0, N: 5, W: 4}); err == nil {
		t.Error("tile beyond the log served")
	}
}

// tileReader reads tiles from a Log, for tlog.TileHashReader.
type tileReader struct {
	l *Log
	h int
}

func (r tileReader) Height() int { return r.h }

func (r tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		d, err := r.l.TileData(t)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

func (tileReader) SaveTiles([]tlog.Tile, [][]byte) {}
