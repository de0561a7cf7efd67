package epcisquery

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
	"traceledger/ledger/registry"
)

// A Source is what a query reads: *ledger.Log's entry reads and indexes.
type Source interface {
	Size() int64
	Get(n int64) (*ledger.Entry, error)
	Lookup(id string) (*ledger.Entry, error)
	Indexed(f ledger.Field, value string, from int64, limit int) ([]int64, error)
	IndexedBefore(f ledger.Field, value string, before int64, limit int) ([]int64, error)
	ByTime(start, end time.Time, after *ledger.TimeCursor, limit int) ([]ledger.TimeCursor, error)
	ByTimeBefore(start, end time.Time, before *ledger.TimeCursor, limit int) ([]ledger.TimeCursor, error)
}

// A Hit is one result: the stored entry and its event, parsed.
type Hit struct {
	Entry *ledger.Entry
	Event *epcis.Event
}

// A Page is one page of results and, when there may be more, the cursor of the
// next page.
type Page struct {
	Hits []Hit
	Next *Cursor
	// Plan names the way in the query took (for tests and logs): "eventID",
	// an index ("bizStep", "location", "product", ...), "eventTime",
	// "recordTime" or "scan", with " (set)" when its candidates were sorted whole.
	Plan string
}

// A TooLargeError is the QueryTooLargeException: the query matches more events than
// its maxEventCount allows.
type TooLargeError struct{ Max int }

// Error says the query matches more events than it allows.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the query matches more than maxEventCount=%d events", e.Max)
}

// Limits bound the work of one page.
type Limits struct {
	// SetSize is the most candidates an index may propose for them to be sorted
	// whole (event-time order from another index, event ID lookups); 0 means 1024:
	// sorting parses every candidate, about 10 µs each, so beyond that walking the
	// time index and filtering is cheaper for most densities.
	SetSize int
	// Budget is the most candidates examined for one page; when it runs out the page
	// ends early with a cursor (EPCIS lets a page hold fewer than perPage events).
	// 0 means 20000. maxEventCount queries examine up to 100 times more on their
	// first page to find out whether they are too large.
	Budget int
}

// withDefaults fills in the zero fields.
func (l Limits) withDefaults() Limits {
	if l.SetSize <= 0 {
		l.SetSize = 1024
	}
	if l.Budget <= 0 {
		l.Budget = 20000
	}
	return l
}

// pos is a position in a result order.
type pos struct {
	index int64
	time  time.Time
}

// before reports whether a comes before b in order o.
func (o Order) before(a, b pos) bool {
	var c int
	if o.byTime() {
		c = a.time.Compare(b.time)
	}
	if c == 0 {
		c = cmp.Compare(a.index, b.index)
	}
	if o.desc() {
		return c > 0
	}
	return c < 0
}

// A way is one way into the log: the candidates it proposes, in its order.
type way struct {
	name  string
	count int64 // candidates, or a lower bound when set is nil and count > SetSize
	set   []int64
	// next returns up to n candidates after p (nil: from the start) in order o.
	next func(o Order, p *pos, n int) ([]pos, error)
	// orders lists the orders next can produce; the first is its natural one.
	orders []Order
}

// Run returns the page of q's results after cursor after (nil: the first page),
// at most perPage events.
func Run(src Source, q *Query, after *Cursor, perPage int, lim Limits) (*Page, error) {
	lim = lim.withDefaults()
	if perPage < 1 {
		perPage = 1
	}
	var order Order
	switch {
	case after != nil:
		order = after.Order
	case q.OrderBy == "eventTime" && q.Descending:
		order = TimeDesc
	case q.OrderBy == "eventTime":
		order = TimeAsc
	case q.OrderBy == "recordTime" && q.Descending:
		order = IndexDesc
	case q.OrderBy == "recordTime":
		order = IndexAsc
	}
	ways, err := q.ways(src, lim)
	if err != nil {
		return nil, err
	}
	var best *way
	for i := range ways {
		w := &ways[i]
		if order != 0 && !slices.Contains(w.orders, order) && w.set == nil {
			continue
		}
		if best == nil || w.count < best.count {
			best = w
		}
	}
	if order == 0 {
		order = best.orders[0]
	}
	plan := best.name

	returned := 0
	var start *pos
	if after != nil {
		returned = after.Returned
		start = &pos{after.Index, after.Time}
	}
	take := perPage
	if q.EventCountLimit > 0 {
		take = min(take, q.EventCountLimit-returned)
		if take <= 0 {
			return &Page{Plan: plan}, nil
		}
	}
	want := take + 1 // one more tells whether a next page exists
	budget := lim.Budget
	if q.MaxEventCount > 0 && after == nil {
		want = max(want, q.MaxEventCount+1)
		budget *= 100
	}

	var hits []Hit
	var hitPos []pos
	var last *pos // the last candidate examined
	exhausted := false
	if best.set != nil && !slices.Contains(best.orders, order) {
		plan += " (set)"
		hits, hitPos, err = runSet(src, q, best.set, order, start, want)
		exhausted = true
	} else {
		hits, hitPos, last, exhausted, err = runStream(src, q, best, order, start, want, budget)
	}
	if err != nil {
		return nil, err
	}
	if q.MaxEventCount > 0 && after == nil && len(hits) > q.MaxEventCount {
		return nil, &TooLargeError{q.MaxEventCount}
	}
	page := &Page{Plan: plan}
	switch {
	case len(hits) > take:
		p := hitPos[take-1]
		page.Hits = hits[:take]
		if q.EventCountLimit == 0 || returned+take < q.EventCountLimit {
			page.Next = &Cursor{Order: order, Index: p.index, Time: p.time, Returned: returned + take}
		}
	case !exhausted && last != nil && (q.EventCountLimit == 0 || returned+len(hits) < q.EventCountLimit):
		page.Hits = hits
		page.Next = &Cursor{Order: order, Index: last.index, Time: last.time, Returned: returned + len(hits)}
	default:
		page.Hits = hits
	}
	return page, nil
}

// load reads and parses entry n; ok is false for an entry that is not an EPCIS
// event (a registry record, which shares the log), which no query returns.
func load(src Source, n int64) (h Hit, ok bool, err error) {
	e, err := src.Get(n)
	if err != nil {
		return Hit{}, false, err
	}
	if registry.IsRecord(e.Event) {
		return Hit{}, false, nil
	}
	ev, err := epcis.ParseEvent(e.Event, nil)
	if err != nil {
		return Hit{}, false, fmt.Errorf("epcisquery: entry %d: %w", n, err)
	}
	return Hit{e, ev}, true, nil
}

// eventTime is the event time the time index holds for ev.
func eventTime(ev *epcis.Event) time.Time {
	t, _ := epcis.ParseTime(ev.EventTime)
	return t.UTC()
}

// runStream walks a way's candidates in order from start, matching each, until it
// has want hits, the way ends, or the budget is spent.
func runStream(src Source, q *Query, w *way, o Order, start *pos, want, budget int) (hits []Hit, at []pos, last *pos, exhausted bool, err error) {
	p := start
	batch := min(max(want, 64), 1024)
	for budget > 0 {
		cands, err := w.next(o, p, min(batch, budget))
		if err != nil {
			return nil, nil, nil, false, err
		}
		if len(cands) == 0 {
			return hits, at, p, true, nil
		}
		for i := range cands {
			c := cands[i]
			budget--
			p = &c
			h, ok, err := load(src, c.index)
			if err != nil {
				return nil, nil, nil, false, err
			}
			if ok && q.Match(h.Entry, h.Event) {
				if o.byTime() && c.time.IsZero() {
					c.time = eventTime(h.Event)
				}
				hits, at = append(hits, h), append(at, c)
				if len(hits) == want {
					return hits, at, p, false, nil
				}
			}
		}
	}
	return hits, at, p, false, nil
}

// runSet matches every candidate of a small set, sorts the hits in order and
// returns up to want of them after start.
func runSet(src Source, q *Query, set []int64, o Order, start *pos, want int) ([]Hit, []pos, error) {
	type hp struct {
		h Hit
		p pos
	}
	var all []hp
	for _, n := range set {
		h, ok, err := load(src, n)
		if err != nil {
			return nil, nil, err
		}
		if !ok || !q.Match(h.Entry, h.Event) {
			continue
		}
		p := pos{index: n, time: eventTime(h.Event)}
		if start != nil && !o.before(*start, p) {
			continue
		}
		all = append(all, hp{h, p})
	}
	slices.SortFunc(all, func(a, b hp) int {
		switch {
		case o.before(a.p, b.p):
			return -1
		case o.before(b.p, a.p):
			return 1
		}
		return 0
	})
	all = all[:min(len(all), want)]
	hits, at := make([]Hit, len(all)), make([]pos, len(all))
	for i, x := range all {
		hits[i], at[i] = x.h, x.p
	}
	return hits, at, nil
}

// ways lists every way into the log the query allows, with their candidate
// counts (exact up to SetSize, where the candidates themselves are kept).
func (q *Query) ways(src Source, lim Limits) ([]way, error) {
	size := src.Size()
	indexOrders := []Order{IndexAsc, IndexDesc}
	ways := []way{{name: "scan", count: size, orders: indexOrders, next: rangeNext(0, size)}}

	if len(q.EventIDs) > 0 {
		seen := map[int64]bool{}
		var set []int64
		for _, id := range q.EventIDs {
			e, err := src.Lookup(id)
			switch {
			case errors.Is(err, ledger.ErrUnknownID):
			case err != nil:
				return nil, err
			case !seen[e.Index]:
				seen[e.Index] = true
				set = append(set, e.Index)
			}
			given, err := src.Indexed(ledger.ByGivenID, id, 0, lim.SetSize)
			if err != nil {
				return nil, err
			}
			for _, n := range given {
				if !seen[n] {
					seen[n] = true
					set = append(set, n)
				}
			}
		}
		slices.Sort(set)
		ways = append(ways, setWay("eventID", set))
	}

	postings := func(name string, f ledger.Field, values []string) error {
		var set []int64
		var count int64
		for _, v := range values {
			ns, err := src.Indexed(f, v, 0, lim.SetSize+1)
			if err != nil {
				return err
			}
			count += int64(len(ns))
			set = append(set, ns...)
		}
		w := way{name: name, count: count, orders: indexOrders, next: postingsNext(src, f, values)}
		if count <= int64(lim.SetSize) {
			slices.Sort(set)
			w.set = slices.Compact(set)
			w.count = int64(len(w.set))
		}
		ways = append(ways, w)
		return nil
	}
	for _, c := range []struct {
		name   string
		f      ledger.Field
		values []string
	}{
		{"bizStep", ledger.ByBizStep, q.BizSteps},
		{"disposition", ledger.ByDisposition, q.Dispositions},
		{"readPoint", ledger.ByLocation, q.ReadPoints},
		{"bizLocation", ledger.ByLocation, q.BizLocations},
	} {
		if len(c.values) > 0 {
			if err := postings(c.name, c.f, c.values); err != nil {
				return nil, err
			}
		}
	}
	for _, c := range []struct {
		name string
		pats []Pattern
	}{
		{"MATCH_epc", q.EPC}, {"MATCH_parentID", q.ParentID}, {"MATCH_inputEPC", q.InputEPC},
		{"MATCH_outputEPC", q.OutputEPC}, {"MATCH_anyEPC", q.AnyEPC}, {"MATCH_epcClass", q.EPCClass},
		{"MATCH_inputEPCClass", q.InputEPCClass}, {"MATCH_outputEPCClass", q.OutputEPCClass},
		{"MATCH_anyEPCClass", q.AnyEPCClass},
	} {
		if len(c.pats) == 0 || !slices.ContainsFunc(c.pats, Pattern.Indexable) {
			continue
		}
		if slices.ContainsFunc(c.pats, func(p Pattern) bool { return !p.Indexable() }) {
			continue // a pattern matches codes the index cannot list
		}
		values := make([]string, len(c.pats))
		for i, p := range c.pats {
			values[i] = p.Exact
		}
		if err := postings(c.name, ledger.ByProduct, values); err != nil {
			return nil, err
		}
	}

	// The time index serves event-time orders whatever the range; with a range it
	// is also a way to narrow the candidates.
	tw := way{name: "eventTime", count: size + 1, orders: []Order{TimeAsc, TimeDesc}, next: timeNext(src, q.GEEventTime, q.LTEventTime)}
	if !q.GEEventTime.IsZero() || !q.LTEventTime.IsZero() {
		ge, lt := q.GEEventTime, q.LTEventTime
		if ge.Before(timeFloor) {
			ge = timeFloor
		}
		if lt.IsZero() || lt.After(timeCeiling) {
			lt = timeCeiling
		}
		ts, err := src.ByTime(ge, lt, nil, lim.SetSize+1)
		if err != nil {
			return nil, err
		}
		tw.count = int64(len(ts))
		if len(ts) <= lim.SetSize {
			tw.set = make([]int64, len(ts))
			for i, t := range ts {
				tw.set[i] = t.Index
			}
			slices.Sort(tw.set)
		}
	}
	ways = append(ways, tw)

	if !q.GERecordTime.IsZero() || !q.LTRecordTime.IsZero() {
		lo, hi := int64(0), size
		var err error
		if !q.GERecordTime.IsZero() {
			if lo, err = firstRecordedAt(src, size, q.GERecordTime); err != nil {
				return nil, err
			}
		}
		if !q.LTRecordTime.IsZero() {
			if hi, err = firstRecordedAt(src, size, q.LTRecordTime); err != nil {
				return nil, err
			}
		}
		hi = max(hi, lo)
		ways = append(ways, way{name: "recordTime", count: hi - lo, orders: indexOrders, next: rangeNext(lo, hi)})
	}
	return ways, nil
}

// setWay is a way whose candidates are a sorted set of entries.
func setWay(name string, set []int64) way {
	return way{name: name, count: int64(len(set)), set: set, orders: []Order{IndexAsc, IndexDesc},
		next: func(o Order, p *pos, n int) ([]pos, error) {
			var out []pos
			if o.desc() {
				for i := len(set) - 1; i >= 0 && len(out) < n; i-- {
					if p == nil || set[i] < p.index {
						out = append(out, pos{index: set[i]})
					}
				}
				return out, nil
			}
			for _, x := range set {
				if len(out) == n {
					break
				}
				if p == nil || x > p.index {
					out = append(out, pos{index: x})
				}
			}
			return out, nil
		}}
}

// firstRecordedAt is the first entry recorded at or after t: the log appends in
// record-time order, so this is a binary search.
func firstRecordedAt(src Source, size int64, t time.Time) (int64, error) {
	var err error
	n := sort.Search(int(size), func(i int) bool {
		if err != nil {
			return true
		}
		e, gerr := src.Get(int64(i))
		if gerr != nil {
			err = gerr
			return true
		}
		return !e.RecordTime.Before(t)
	})
	return int64(n), err
}

// rangeNext walks the entries [lo, hi) in index order.
func rangeNext(lo, hi int64) func(Order, *pos, int) ([]pos, error) {
	return func(o Order, p *pos, n int) ([]pos, error) {
		var out []pos
		if o.desc() {
			i := hi - 1
			if p != nil {
				i = min(i, p.index-1)
			}
			for ; i >= lo && len(out) < n; i-- {
				out = append(out, pos{index: i})
			}
			return out, nil
		}
		i := lo
		if p != nil {
			i = max(i, p.index+1)
		}
		for ; i < hi && len(out) < n; i++ {
			out = append(out, pos{index: i})
		}
		return out, nil
	}
}

// postingsNext walks the union of a field's postings for several values, merged:
// the first n of each value's list after p hold the first n of the union.
func postingsNext(src Source, f ledger.Field, values []string) func(Order, *pos, int) ([]pos, error) {
	return func(o Order, p *pos, n int) ([]pos, error) {
		var all []int64
		for _, v := range values {
			var ns []int64
			var err error
			if o.desc() {
				before := src.Size()
				if p != nil {
					before = p.index
				}
				ns, err = src.IndexedBefore(f, v, before, n)
			} else {
				from := int64(0)
				if p != nil {
					from = p.index + 1
				}
				ns, err = src.Indexed(f, v, from, n)
			}
			if err != nil {
				return nil, err
			}
			all = append(all, ns...)
		}
		slices.Sort(all)
		all = slices.Compact(all)
		if o.desc() {
			slices.Reverse(all)
		}
		all = all[:min(len(all), n)]
		out := make([]pos, len(all))
		for i, x := range all {
			out[i] = pos{index: x}
		}
		return out, nil
	}
}

// The time index's open bounds: ledger.ByTime answers nothing for a zero start
// (its fallback start overflows when truncated to the hour), so open ranges are
// closed at the ends of the times the index can hold.
var (
	timeFloor   = time.Date(1679, 1, 1, 0, 0, 0, 0, time.UTC)
	timeCeiling = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
)

// timeNext walks the event-time index over [ge, lt).
func timeNext(src Source, ge, lt time.Time) func(Order, *pos, int) ([]pos, error) {
	if ge.Before(timeFloor) {
		ge = timeFloor
	}
	if lt.IsZero() || lt.After(timeCeiling) {
		lt = timeCeiling
	}
	return func(o Order, p *pos, n int) ([]pos, error) {
		var c *ledger.TimeCursor
		if p != nil {
			c = &ledger.TimeCursor{Time: p.time, Index: p.index}
		}
		var ts []ledger.TimeCursor
		var err error
		if o.desc() {
			ts, err = src.ByTimeBefore(ge, lt, c, n)
		} else {
			ts, err = src.ByTime(ge, lt, c, n)
		}
		out := make([]pos, len(ts))
		for i, t := range ts {
			out[i] = pos{index: t.Index, time: t.Time}
		}
		return out, err
	}
}
