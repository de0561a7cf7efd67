package ledger

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"
)

// The reverse reads serve newest-first queries (the EPCIS query binding's default
// orderDirection is DESC): they walk the same posting rows as Indexed and ByTime,
// backwards, so that the last page of a large index costs as little as the first.

// IndexedBefore returns the indexes of up to limit entries (all when limit <= 0)
// whose field has value, in descending entry order starting below entry before.
// To page, call again with before set to the last index returned.
func (l *Log) IndexedBefore(f Field, value string, before int64, limit int) ([]int64, error) {
	switch f {
	case ByProduct, ByGivenID, ByLocation, ByFirm, ByBizStep, ByDisposition:
	default:
		return nil, fmt.Errorf("ledger: unknown index %v", f)
	}
	var out []int64
	err := l.store.View(func(r Reader) error {
		return scanOffsets(r, byte(f), value, before, true, func(n int64) bool {
			out = append(out, n)
			return limit <= 0 || len(out) < limit
		})
	})
	return out, err
}

// ByTimeBefore returns up to limit entries (all when limit <= 0) whose event time
// is in [start, end), ordered by event time then index, both descending: ByTime
// read backwards. To page, pass the last result as before (nil for the first page).
func (l *Log) ByTimeBefore(start, end time.Time, before *TimeCursor, limit int) ([]TimeCursor, error) {
	start, end = timeRange(start, end)
	upto := end
	if before != nil && before.Time.Before(upto) {
		upto = before.Time.Add(time.Nanosecond) // the cursor's own time may hold more entries
	}
	lo, hi := timeBits(start), timeBits(end)
	loHour := hourBits(start)
	var out, hour []TimeCursor
	curHour := uint64(math.MaxUint64)
	flush := func() bool {
		slices.SortFunc(hour, func(a, b TimeCursor) int {
			if c := b.Time.Compare(a.Time); c != 0 {
				return c
			}
			return cmp.Compare(b.Index, a.Index)
		})
		for _, c := range hour {
			if before != nil && (c.Time.After(before.Time) || (c.Time.Equal(before.Time) && c.Index >= before.Index)) {
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
		seek := append([]byte(prefixTime), make([]byte, 16)...)
		binary.BigEndian.PutUint64(seek[2:], hourBits(upto.Add(-time.Nanosecond)))
		binary.BigEndian.PutUint64(seek[10:], math.MaxUint64)
		return r.Scan([]byte(prefixTime), seek, true, func(k, v []byte) (bool, error) {
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
			if h < loHour {
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
