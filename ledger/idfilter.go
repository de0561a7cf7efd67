package ledger

import (
	"hash/maphash"
	"math/bits"
)

// idFilter is a Bloom filter over the event hash IDs in the log. The appender asks
// it before looking an ID up in the store: an ID it has never seen is certainly
// new, which spares the store lookup for almost every append (a lookup that
// misses still searches every memtable and level). It answers "maybe" for every
// ID added, and for about one in a hundred others, which then take the lookup.
// It grows by adding filters of doubling capacity, so it needs no size in
// advance: about 1.3 bytes per ID.
type idFilter struct {
	seed  maphash.Seed
	parts []bloom
}

// bloom is one fixed-size Bloom filter of the idFilter.
type bloom struct {
	bits []uint64
	n    int // IDs added
	cap  int // IDs it holds at its false-positive rate
}

const (
	bloomBitsPerID = 10 // with 7 probes: about 0.8 % false positives when full
	bloomProbes    = 7
	bloomFirstCap  = 1 << 16
)

func newIDFilter() *idFilter { return &idFilter{seed: maphash.MakeSeed()} }

func (f *idFilter) hash(id string) (uint64, uint64) {
	h := maphash.String(f.seed, id)
	return h, bits.RotateLeft64(h, 32) | 1
}

// add records id.
func (f *idFilter) add(id string) {
	if len(f.parts) == 0 || f.parts[len(f.parts)-1].n >= f.parts[len(f.parts)-1].cap {
		c := bloomFirstCap
		if len(f.parts) > 0 {
			c = 2 * f.parts[len(f.parts)-1].cap
		}
		f.parts = append(f.parts, bloom{bits: make([]uint64, c*bloomBitsPerID/64), cap: c})
	}
	b := &f.parts[len(f.parts)-1]
	h1, h2 := f.hash(id)
	m := uint64(len(b.bits) * 64)
	for i := range uint64(bloomProbes) {
		x := (h1 + i*h2) % m
		b.bits[x/64] |= 1 << (x % 64)
	}
	b.n++
}

// mayHave reports whether id may have been added; false means it was not.
func (f *idFilter) mayHave(id string) bool {
	h1, h2 := f.hash(id)
	for p := range f.parts {
		b := &f.parts[p]
		m := uint64(len(b.bits) * 64)
		hit := true
		for i := range uint64(bloomProbes) {
			x := (h1 + i*h2) % m
			if b.bits[x/64]&(1<<(x%64)) == 0 {
				hit = false
				break
			}
		}
		if hit {
			return true
		}
	}
	return false
}
