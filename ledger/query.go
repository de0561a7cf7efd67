package ledger

import (
	"encoding/binary"
	"fmt"
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
	p := multiPrefix(byte(f), value)
	var out []int64
	err := l.store.View(func(r Reader) error {
		return r.Scan(p, binary.BigEndian.AppendUint64(p[:len(p):len(p)], uint64(max(from, 0))), false,
			func(k, _ []byte) (bool, error) {
				out = append(out, getIndex(k[len(p):]))
				return limit <= 0 || len(out) < limit, nil
			})
	})
	return out, err
}

// ByTime returns the indexes of up to limit entries (all when limit <= 0) whose
// event time is in [start, end), ordered by event time then index. To page, pass
// the last result's event time and index as after (nil for the first page).
func (l *Log) ByTime(start, end time.Time, after *TimeCursor, limit int) ([]TimeCursor, error) {
	seek := timeKey(start, 0)
	if after != nil {
		seek = timeKey(after.Time, after.Index+1)
	}
	stop := timeBits(end)
	var out []TimeCursor
	err := l.store.View(func(r Reader) error {
		return r.Scan([]byte(prefixTime), seek, false, func(k, _ []byte) (bool, error) {
			if len(k) != len(prefixTime)+16 {
				return false, fmt.Errorf("ledger: malformed time index key %x", k)
			}
			bits := binary.BigEndian.Uint64(k[2:])
			if bits >= stop {
				return false, nil
			}
			t := time.Unix(0, int64(bits^(1<<63))).UTC()
			out = append(out, TimeCursor{Time: t, Index: getIndex(k[10:])})
			return limit <= 0 || len(out) < limit, nil
		})
	})
	return out, err
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
// order: where the code came from (backward).
func (l *Log) EdgesTo(code string) ([]IndexedEdge, error) {
	return l.edges(prefixEdgeIn, code, false)
}

func (l *Log) edges(prefix, code string, out bool) ([]IndexedEdge, error) {
	p := edgePrefix(prefix, code)
	var res []IndexedEdge
	err := l.store.View(func(r Reader) error {
		return r.Scan(p, nil, false, func(k, _ []byte) (bool, error) {
			n, other, kind, ok := parseEdgeKey(k[len(p):])
			if !ok {
				return false, fmt.Errorf("ledger: malformed edge index key %q", k)
			}
			e := IndexedEdge{Edge: Edge{From: code, To: other, Kind: kind}, Entry: n}
			if !out {
				e.From, e.To = other, code
			}
			res = append(res, e)
			return true, nil
		})
	})
	return res, err
}
