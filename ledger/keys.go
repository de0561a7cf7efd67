package ledger

import (
	"bytes"
	"encoding/binary"
	"time"
)

// Key layout of the store. Entries and tree hashes are the log; everything under
// the index prefixes and the heads is derived data that Verify rebuilds. Indexes
// are big-endian so that key order is entry order within one value.
//
//	e <index:8>                        entry canonical encoding
//	h <index:8>                        tree hashes the entry adds (32 bytes per level)
//	C                                  latest signed checkpoint (note text)
//	c <size:8>                         archived signed checkpoint
//	H <code>                           chain head: index:8 + leaf hash:32
//	d <event hash ID>                  index:8
//	x <field:1> <value> 0 <index:8>    multi-valued index row (empty value)
//	xt <time:8> <index:8>              event time (order-preserving nanoseconds)
//	xo <from> 0 <index:8> <to> 0 <kind>  genealogy edge, forward
//	xi <to> 0 <index:8> <from> 0 <kind>  genealogy edge, backward
const (
	prefixEntry      = "e"
	prefixHash       = "h"
	keyCheckpoint    = "C"
	prefixArchive    = "c"
	prefixHead       = "H"
	prefixEventID    = "d"
	prefixIndex      = "x"
	prefixTime       = "xt"
	prefixEdgeOut    = "xo"
	prefixEdgeIn     = "xi"
	fieldProduct     = 'p'
	fieldGivenID     = 'g'
	fieldLocation    = 'l'
	fieldFirm        = 'f'
	fieldBizStep     = 's'
	fieldDisposition = 'q'
)

func putIndex(b []byte, n int64) { binary.BigEndian.PutUint64(b, uint64(n)) }

func getIndex(b []byte) int64 { return int64(binary.BigEndian.Uint64(b)) }

func u64Key(prefix string, n int64) []byte {
	k := make([]byte, len(prefix)+8)
	copy(k, prefix)
	putIndex(k[len(prefix):], n)
	return k
}

func entryKey(n int64) []byte { return u64Key(prefixEntry, n) }

func hashKey(n int64) []byte { return u64Key(prefixHash, n) }

func archiveKey(size int64) []byte { return u64Key(prefixArchive, size) }

func headKey(code string) []byte { return append([]byte(prefixHead), code...) }

func eventIDKey(id string) []byte { return append([]byte(prefixEventID), id...) }

// multiPrefix is the key prefix of every row of one value of a multi-valued index.
func multiPrefix(field byte, value string) []byte {
	k := make([]byte, 0, 3+len(value)+8)
	k = append(k, prefixIndex[0], field)
	k = append(k, value...)
	return append(k, 0)
}

func multiKey(field byte, value string, n int64) []byte {
	return binary.BigEndian.AppendUint64(multiPrefix(field, value), uint64(n))
}

// timeBits maps a time to a uint64 whose order is the time order (sign bit flipped).
func timeBits(t time.Time) uint64 { return uint64(t.UnixNano()) ^ (1 << 63) }

func timeKey(t time.Time, n int64) []byte {
	k := append([]byte(prefixTime), make([]byte, 16)...)
	binary.BigEndian.PutUint64(k[2:], timeBits(t))
	putIndex(k[10:], n)
	return k
}

func edgePrefix(prefix, code string) []byte {
	k := append([]byte(prefix), code...)
	return append(k, 0)
}

func edgeKey(prefix, code string, n int64, other, kind string) []byte {
	k := binary.BigEndian.AppendUint64(edgePrefix(prefix, code), uint64(n))
	k = append(k, other...)
	k = append(k, 0)
	return append(k, kind...)
}

// parseEdgeKey splits an edge row after its code prefix into index, other code and kind.
func parseEdgeKey(rest []byte) (n int64, other, kind string, ok bool) {
	if len(rest) < 9 {
		return 0, "", "", false
	}
	n = getIndex(rest)
	i := bytes.IndexByte(rest[8:], 0)
	if i < 0 {
		return 0, "", "", false
	}
	return n, string(rest[8 : 8+i]), string(rest[8+i+1:]), true
}
