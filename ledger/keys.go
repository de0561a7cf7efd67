package ledger

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// Key layout of the store. Entries and tree hashes are the log; everything under
// the index prefixes and the heads is derived data that Verify rebuilds. Numbers are
// big-endian so that key order is numeric order.
//
//	e <index:8>                          entry canonical encoding
//	h <row:8>                            tree hashes the entries row<<2 .. row<<2+3 add (tree.go)
//	C                                    latest signed checkpoint (note text)
//	c <size:8>                           archived signed checkpoint
//	d <event ID key>                     index:8 (eventIDKey: 0x01 + 32 hash bytes for CBV 2.0 IDs)
//	x <field:1> <value> 0 <chunk:8>      posting row: offsets (1 byte each) in the chunk
//	xt <hour:8> <chunk:8>                event times: (offset:1, time:8) per entry
//	xo <from> 0 <chunk:8>                genealogy edges forward: (offset:1, to str, kind str) per edge
//	xi <to> 0 <chunk:8>                  genealogy edges backward: (offset:1, from str, kind str) per edge
//	                                     (not edges from goods to a place, index.go)
//	m <key>                              Meta rows (meta.go): not log data, not verified
//	str = uvarint length, then the bytes
//
// Posting rows gather the entries of one chunk (256 consecutive entries, index >> 8)
// that share a value, so a batch of appends writes one row per distinct value
// rather than one per entry and value: this is what keeps the indexes within a
// small factor of writing the entries alone. Only the chunk at the end of the log
// is ever rewritten (to add records); the content of a row follows from the
// entries alone, so Verify can rebuild it. Records are in entry order, and the
// records of one entry in one row (several edges from one code) in byte order.
const (
	prefixEntry      = "e"
	prefixHash       = "h"
	keyCheckpoint    = "C"
	prefixArchive    = "c"
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

func archiveKey(size int64) []byte { return u64Key(prefixArchive, size) }

// eventIDKey is the key of the event ID index row of id. A CBV 2.0 event hash ID
// (ni:///sha-256;<64 hex digits>?ver=CBV2.0, as epcis writes it) is keyed by its 32
// hash bytes after a 0x01 byte, less than half its text: the index has a row per
// entry, and the engine's cost per row grows with the key. Any other ID (a
// registry record's, a capturer's) is keyed by its text, which as a URI never
// starts with 0x01.
func eventIDKey(id string) []byte {
	return appendEventIDKey(make([]byte, 0, eventIDKeyCap(id)), id)
}

// eventIDKeyCap is the most room the event ID index key of id takes.
func eventIDKeyCap(id string) int { return len(prefixEventID) + 1 + len(id) }

// appendEventIDKey appends the event ID index key of id to dst (eventIDKey).
func appendEventIDKey(dst []byte, id string) []byte {
	const pre, post = "ni:///sha-256;", "?ver=CBV2.0" // eventIDOfKey too
	k := append(dst, prefixEventID...)
	if len(id) == len(pre)+64+len(post) && id[:len(pre)] == pre && id[len(pre)+64:] == post {
		if b, ok := lowerHex(k, id[len(pre):len(pre)+64]); ok {
			return b
		}
	}
	return append(k, id...)
}

// eventIDOfKey is the event ID an event ID index key stands for (eventIDKey's inverse).
func eventIDOfKey(k []byte) string {
	k = k[len(prefixEventID):]
	if len(k) == 33 && k[0] == 1 {
		return "ni:///sha-256;" + hex.EncodeToString(k[1:]) + "?ver=CBV2.0"
	}
	return string(k)
}

// lowerHex appends 0x01 and the bytes of the lowercase hex string h to dst, or
// reports false when h is not lowercase hex.
func lowerHex(dst []byte, h string) ([]byte, bool) {
	dst = append(dst, 1)
	bad := byte(0)
	for i := 0; i < len(h); i += 2 {
		hi, lo := lowerHexValue[h[i]], lowerHexValue[h[i+1]]
		bad |= hi | lo
		dst = append(dst, hi<<4|lo)
	}
	return dst, bad&0xf0 == 0
}

// lowerHexValue is the value of each lowercase hex digit; any other byte has a
// high nibble set.
var lowerHexValue = func() (t [256]byte) {
	for c := range t {
		switch {
		case '0' <= c && c <= '9':
			t[c] = byte(c - '0')
		case 'a' <= c && c <= 'f':
			t[c] = byte(c - 'a' + 10)
		default:
			t[c] = 0xf0
		}
	}
	return t
}()

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

// postingRecords calls fn with each record of a posting row of the family, in
// order, and reports whether the row splits into whole records. Offsets and event
// times have a fixed size; an edge record is its offset and two strings.
func postingRecords(family string, row []byte, fn func(rec []byte)) bool {
	for len(row) > 0 {
		n := postingRecLen(family, row)
		if n <= 0 {
			return false
		}
		fn(row[:n])
		row = row[n:]
	}
	return true
}

// postingRecLen is the length of the record at the start of row, or 0 when row does
// not start with a whole record of the family.
func postingRecLen(family string, row []byte) int {
	switch family {
	case prefixTime:
		if len(row) < 9 {
			return 0
		}
		return 9
	case prefixEdgeOut, prefixEdgeIn:
		n := 1
		for range 2 {
			l, w := binary.Uvarint(row[min(n, len(row)):])
			if w <= 0 || l > uint64(len(row)-n-w) {
				return 0
			}
			n += w + int(l)
		}
		return n
	}
	if len(row) < 1 {
		return 0
	}
	return 1
}

// isPosting reports whether a row family is a posting row family: every index
// family under prefixIndex is.
func isPosting(family string) bool {
	return len(family) == 2 && family[0] == prefixIndex[0]
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

// edgeRec is the record of an edge of entry n in the posting row of one of its
// ends: the entry's offset in its chunk, the other end and the kind.
func edgeRec(n int64, other, kind string) []byte {
	rec := make([]byte, 0, 1+2*binary.MaxVarintLen64+len(other)+len(kind))
	rec = append(rec, byte(n))
	rec = appendStr(rec, other)
	return appendStr(rec, kind)
}

// parseEdgeRec splits an edge record into offset, other end and kind.
func parseEdgeRec(rec []byte) (off byte, other, kind string, ok bool) {
	if postingRecLen(prefixEdgeOut, rec) != len(rec) {
		return 0, "", "", false
	}
	d := decoder{b: rec, off: 1}
	other, kind = d.str("edge"), d.str("kind")
	return rec[0], other, kind, d.err == nil
}
