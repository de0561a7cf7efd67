package ledger

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"time"
)

// A Field names a multi-valued index: the entries carrying one value of it are
// listed in entry order.
type Field byte

// The indexed fields.
const (
	ByProduct     = Field(fieldProduct)     // product code -> entries
	ByGivenID     = Field(fieldGivenID)     // capturer-given event ID -> entries
	ByLocation    = Field(fieldLocation)    // location -> entries
	ByFirm        = Field(fieldFirm)        // submitting firm -> entries
	ByBizStep     = Field(fieldBizStep)     // CBV bizStep -> entries
	ByDisposition = Field(fieldDisposition) // CBV disposition -> entries
)

// String returns the field's name.
func (f Field) String() string {
	switch f {
	case ByProduct:
		return "product"
	case ByGivenID:
		return "givenID"
	case ByLocation:
		return "location"
	case ByFirm:
		return "firm"
	case ByBizStep:
		return "bizStep"
	case ByDisposition:
		return "disposition"
	}
	return fmt.Sprintf("Field(%q)", byte(f))
}

// Indexed returns the indexes of up to limit entries (all when limit <= 0) whose
// field has value, in entry order starting at entry from. To page, call again
// with from set to the last index returned plus one.
func (l *Log) Indexed(f Field, value string, from int64, limit int) ([]int64, error) {
	switch f {
	case ByProduct, ByGivenID, ByLocation, ByFirm, ByBizStep, ByDisposition:
	default:
		return nil, fmt.Errorf("ledger: unknown index %v", f)
	}
	var out []int64
	err := l.store.View(func(r Reader) error {
		return scanOffsets(r, byte(f), value, max(from, 0), false, func(n int64) bool {
			out = append(out, n)
			return limit <= 0 || len(out) < limit
		})
	})
	return out, err
}

// scanOffsets calls fn with the entries that the posting rows of an offset field
// (product, given ID, location, firm, bizStep, disposition) list under value:
// in ascending order from entry from, or with reverse in descending order below
// entry from, until fn returns false. It is the one reader of those rows.
func scanOffsets(r Reader, field byte, value string, from int64, reverse bool, fn func(n int64) bool) error {
	first := from
	if reverse {
		if from <= 0 {
			return nil
		}
		first = from - 1
	}
	p := multiPrefix(field, value)
	start := binary.BigEndian.AppendUint64(p[:len(p):len(p)], uint64(first>>chunkShift))
	return r.Scan(p, start, reverse, func(k, v []byte) (bool, error) {
		if len(k) != len(p)+8 {
			return false, fmt.Errorf("ledger: malformed %v index key %q", Field(field), k)
		}
		base := getIndex(k[len(p):]) << chunkShift
		for i := range v {
			if reverse {
				i = len(v) - 1 - i
			}
			n := base | int64(v[i])
			if (reverse && n >= from) || (!reverse && n < from) {
				continue
			}
			if !fn(n) {
				return false, nil
			}
		}
		return true, nil
	})
}

// ByTime returns up to limit entries (all when limit <= 0) whose event time is in
// [start, end), ordered by event time then index. To page, pass the last result
// as after (nil for the first page).
func (l *Log) ByTime(start, end time.Time, after *TimeCursor, limit int) ([]TimeCursor, error) {
	start, end = timeRange(start, end)
	from := start
	if after != nil && after.Time.After(from) {
		from = after.Time
	}
	lo, hi := timeBits(start), timeBits(end)
	var out, hour []TimeCursor
	curHour := uint64(0)
	// Rows are grouped by hour and, within an hour, by chunk: sort each hour's
	// entries before passing them on.
	flush := func() bool {
		slices.SortFunc(hour, func(a, b TimeCursor) int {
			if c := a.Time.Compare(b.Time); c != 0 {
				return c
			}
			return cmp.Compare(a.Index, b.Index)
		})
		for _, c := range hour {
			if after != nil && (c.Time.Before(after.Time) || (c.Time.Equal(after.Time) && c.Index <= after.Index)) {
				continue
			}
			out = append(out, c)
			if limit > 0 && len(out) == limit {
				return false
			}
		}
		hour = hour[:0]
		return true
	}
	err := l.store.View(func(r Reader) error {
		seek := append([]byte(prefixTime), make([]byte, 8)...)
		binary.BigEndian.PutUint64(seek[2:], hourBits(from))
		return r.Scan([]byte(prefixTime), seek, false, func(k, v []byte) (bool, error) {
			h, err := timeRowHour(k, v)
			if err != nil {
				return false, err
			}
			if h != curHour {
				if !flush() {
					return false, nil
				}
				curHour = h
			}
			if h >= hi {
				return false, nil
			}
			hour = appendTimeRow(hour, k, v, lo, hi)
			return true, nil
		})
	})
	if err == nil {
		flush()
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, err
}

// timeRowHour checks the shape of a time index row (key: prefix, hour bucket,
// chunk; value: 9 bytes per entry) and returns its hour bucket. ByTime and
// ByTimeBefore read the rows in opposite directions with these two helpers.
func timeRowHour(k, v []byte) (uint64, error) {
	if len(k) != len(prefixTime)+16 || len(v)%9 != 0 {
		return 0, fmt.Errorf("ledger: malformed time index row %x", k)
	}
	return binary.BigEndian.Uint64(k[2:]), nil
}

// appendTimeRow appends to dst the entries of a time index row whose event-time
// bits are in [lo, hi).
func appendTimeRow(dst []TimeCursor, k, v []byte, lo, hi uint64) []TimeCursor {
	base := getIndex(k[10:]) << chunkShift
	for i := 0; i < len(v); i += 9 {
		bits := binary.BigEndian.Uint64(v[i+1:])
		if bits >= lo && bits < hi {
			t := time.Unix(0, int64(bits^(1<<63))).UTC()
			dst = append(dst, TimeCursor{Time: t, Index: base | int64(v[i])})
		}
	}
	return dst
}

// A TimeCursor is one result of ByTime: an entry and its event time.
type TimeCursor struct {
	Time  time.Time
	Index int64
}

// An IndexedEdge is a genealogy edge with the entry that asserted it.
type IndexedEdge struct {
	Edge
	Entry int64
}

// EdgesFrom returns the genealogy edges leaving code (code is the From), in entry
// order: where the code went (forward).
func (l *Log) EdgesFrom(code string) ([]IndexedEdge, error) {
	return l.edges(prefixEdgeOut, code, true)
}

// EdgesTo returns the genealogy edges arriving at code (code is the To), in entry
// order: where the code came from (backward). Edges from goods to a place are not
// among them (see Edge): the entries that name a place are Indexed ByLocation.
func (l *Log) EdgesTo(code string) ([]IndexedEdge, error) {
	return l.edges(prefixEdgeIn, code, false)
}

func (l *Log) edges(prefix, code string, out bool) ([]IndexedEdge, error) {
	p := multiPrefix(prefix[1], code)
	var res []IndexedEdge
	err := l.store.View(func(r Reader) error {
		return r.Scan(p, nil, false, func(k, v []byte) (bool, error) {
			if len(k) != len(p)+8 {
				return true, nil // not a row of this code (codes hold no NUL: normalize)
			}
			base := getIndex(k[len(p):]) << chunkShift
			var bad bool
			ok := postingRecords(prefix, v, func(rec []byte) {
				off, other, kind, ok := parseEdgeRec(rec)
				bad = bad || !ok
				e := IndexedEdge{Edge: Edge{From: code, To: other, Kind: kind}, Entry: base | int64(off)}
				if !out {
					e.From, e.To = other, code
				}
				res = append(res, e)
			})
			if !ok || bad {
				return false, fmt.Errorf("ledger: malformed edge index row %q", k)
			}
			return true, nil
		})
	})
	return res, err
}
