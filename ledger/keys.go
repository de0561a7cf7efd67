package ledger

import (
	"bytes"
	"encoding/binary"
	"time"
)

// Key layout of the store. Entries and tree hashes are the log; everything under
// the index prefixes and the heads is derived data that Verify rebuilds. Numbers are
// big-endian so that key order is numeric order.
//
//	e <index:8>                          entry canonical encoding
//	h <index:8>                          tree hashes the entry adds (32 bytes per level)
//	C                                    latest signed checkpoint (note text)
//	c <size:8>                           archived signed checkpoint
//	H <code>                             chain head: index:8 + leaf hash:32
//	d <event hash ID>                    index:8
//	x <field:1> <value> 0 <chunk:8>      posting row: offsets (1 byte each) in the chunk
//	xt <hour:8> <chunk:8>                event times: (offset:1, time:8) per entry
//	xo <from> 0 <index:8> <to> 0 <kind>  genealogy edge, forward (empty value)
//	xi <to> 0 <index:8> <from> 0 <kind>  genealogy edge, backward (empty value)
//	m <key>                              Meta rows (meta.go): not log data, not verified
//
// Posting rows gather the entries of one chunk (256 consecutive entries, index >> 8)
// that share a value, so a batch of appends writes one row per distinct value
// rather than one per entry and value: this is what keeps the indexes within a
// small factor of writing the entries alone. Only the chunk at the end of the log
// is ever rewritten (to add offsets); the content of a row follows from the
// entries alone, so Verify can rebuild it.
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

	chunkShift = 8 // a posting row covers 1 << chunkShift entries
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

// multiPrefix is the key prefix of every posting row of one value of a field.
func multiPrefix(field byte, value string) []byte {
	k := make([]byte, 0, 3+len(value)+8)
	k = append(k, prefixIndex[0], field)
	k = append(k, value...)
	return append(k, 0)
}

// postingKey is the key of the posting row of a field value holding entry n.
func postingKey(field byte, value string, n int64) []byte {
	return binary.BigEndian.AppendUint64(multiPrefix(field, value), uint64(n>>chunkShift))
}

// timeBits maps a time to a uint64 whose order is the time order (sign bit flipped).
func timeBits(t time.Time) uint64 { return uint64(t.UnixNano()) ^ (1 << 63) }

// timeIndexable reports whether t can be indexed: UnixNano covers years 1678 to 2262.
func timeIndexable(t time.Time) bool {
	return !t.IsZero() && t.Year() > 1678 && t.Year() < 2262
}

// timeRange closes an open time range (a zero or unindexable bound) at the ends of
// the indexable range, whose hour buckets (hourBits truncates to the hour) still fit
// in UnixNano.
func timeRange(start, end time.Time) (time.Time, time.Time) {
	if !timeIndexable(start) {
		start = time.Date(1679, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if !timeIndexable(end) {
		end = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return start, end
}

// hourBits is the event-time bucket of the time index.
func hourBits(t time.Time) uint64 { return timeBits(t.Truncate(time.Hour)) }

// timeRowKey is the key of the time row holding entry n with event time t.
func timeRowKey(t time.Time, n int64) []byte {
	k := append([]byte(prefixTime), make([]byte, 16)...)
	binary.BigEndian.PutUint64(k[2:], hourBits(t))
	putIndex(k[10:], n>>chunkShift)
	return k
}

// postingRecSize is the size of one entry's record in a posting row of the family.
func postingRecSize(family string) int {
	if family == prefixTime {
		return 9
	}
	return 1
}

// isPosting reports whether a row family is a posting row family.
func isPosting(family string) bool {
	return len(family) == 2 && family != prefixEdgeOut && family != prefixEdgeIn
}

// postingChunk returns the chunk of a posting row key.
func postingChunk(key []byte) (int64, bool) {
	if string(key[:2]) == prefixTime {
		if len(key) != len(prefixTime)+16 {
			return 0, false
		}
		return getIndex(key[10:]), true
	}
	i := bytes.IndexByte(key[2:], 0)
	if i < 0 || len(key) != 2+i+1+8 {
		return 0, false
	}
	return getIndex(key[len(key)-8:]), true
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
