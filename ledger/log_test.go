package ledger

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

func openTest(t testing.TB, dir string) *Log {
	t.Helper()
	l, err := Open(dir, DefaultOptions().WithIndexer(testIndexer))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func appendAll(t testing.TB, l *Log, recs ...Record) []Appended {
	t.Helper()
	res, err := l.Append(context.Background(), recs...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

const lotA = "https://id.gs1.org/01/09506000134352/10/A1"
const lotB = "https://id.gs1.org/01/09506000134352/10/B2"

func TestAppendAssignsIndexesAndChainsPerProduct(t *testing.T) {
	l := openTest(t, t.TempDir())
	evs := []testEvent{
		{ID: "id0", Products: []string{lotA}, BizStep: "commissioning"},
		{ID: "id1", Products: []string{lotB}, BizStep: "commissioning"},
		{ID: "id2", Products: []string{lotA, lotB}, BizStep: "shipping"},
		{ID: "id3", Products: []string{lotA}, BizStep: "receiving"},
	}
	var recs []Record
	for _, e := range evs {
		recs = append(recs, e.record())
	}
	res := appendAll(t, l, recs...)
	for i, r := range res {
		if r.Index != int64(i) || r.Duplicate || r.EventID != evs[i].ID {
			t.Errorf("result %d = %+v", i, r)
		}
	}
	if l.Size() != 4 {
		t.Fatalf("Size = %d", l.Size())
	}
	hist, err := l.History(lotA)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, e := range hist {
		got = append(got, e.Index)
	}
	if !slices.Equal(got, []int64{3, 2, 0}) {
		t.Errorf("History(lotA) = %v, want [3 2 0]", got)
	}
	e2, err := l.Get(2)
	if err != nil {
		t.Fatal(err)
	}
	la, _ := e2.Link(lotA)
	lb, _ := e2.Link(lotB)
	if la.Prev != 0 || lb.Prev != 1 || la.PrevHash != res[0].Hash || lb.PrevHash != res[1].Hash {
		t.Errorf("entry 2 links = %+v", e2.Links)
	}
	if e2.Firm != "firm-shipping" || e2.EventID != "id2" || e2.RecordTime.IsZero() {
		t.Errorf("entry 2 = %+v", e2)
	}
}

func TestAppendIsIdempotentOnEventID(t *testing.T) {
	l := openTest(t, t.TempDir())
	a := testEvent{ID: "same", Products: []string{lotA}}.record()
	b := testEvent{ID: "other", Products: []string{lotA}}.record()
	res := appendAll(t, l, a, b, a) // duplicate within one batch
	if res[2].Index != 0 || !res[2].Duplicate || res[2].Hash != res[0].Hash {
		t.Errorf("in-batch duplicate = %+v", res[2])
	}
	res = appendAll(t, l, a) // duplicate of a stored entry
	if res[0].Index != 0 || !res[0].Duplicate || res[0].Hash != tlog.RecordHash(mustEnc(t, l, 0)) {
		t.Errorf("stored duplicate = %+v", res[0])
	}
	if l.Size() != 2 {
		t.Errorf("Size = %d, want 2", l.Size())
	}
	hist, _ := l.History(lotA)
	if len(hist) != 2 {
		t.Errorf("history has %d entries, want 2", len(hist))
	}
}

func mustEnc(t testing.TB, l *Log, n int64) []byte {
	e, err := l.Get(n)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := e.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

func TestLookupAnswersForHashIDAndGivenID(t *testing.T) {
	l := openTest(t, t.TempDir())
	appendAll(t, l,
		testEvent{ID: "ni:///sha-256;aa?ver=CBV2.0", Given: "urn:uuid:1", Products: []string{lotA}}.record(),
		testEvent{ID: "ni:///sha-256;bb?ver=CBV2.0", Products: []string{lotB}}.record())
	for _, id := range []string{"ni:///sha-256;aa?ver=CBV2.0", "urn:uuid:1"} {
		e, err := l.Lookup(id)
		if err != nil || e.Index != 0 || e.GivenID != "urn:uuid:1" {
			t.Errorf("Lookup(%q) = %+v, %v", id, e, err)
		}
	}
	if _, err := l.Lookup("urn:uuid:nope"); !errors.Is(err, ErrUnknownID) {
		t.Errorf("Lookup(unknown) error = %v", err)
	}
}

func TestAppendRejectsBadRecordsWholeBatch(t *testing.T) {
	l := openTest(t, t.TempDir())
	tests := []struct {
		name string
		recs []Record
	}{
		{"indexer error", []Record{testEvent{ID: "ok"}.record(), {Event: []byte("bogus tag\n")}}},
		{"no event ID", []Record{{Event: []byte("p " + lotA + "\n")}}},
		{"ID differs from indexer's", []Record{{Event: []byte("id x\n"), EventID: "y"}}},
		{"NUL in product", []Record{{Event: []byte("id z\np a\x00b\n")}}},
	}
	for _, tc := range tests {
		if _, err := l.Append(context.Background(), tc.recs...); err == nil {
			t.Errorf("%s: Append succeeded", tc.name)
		}
	}
	if l.Size() != 0 {
		t.Errorf("Size = %d after rejected appends", l.Size())
	}
}

func TestConcurrentAppendsAreAllDurableAndChained(t *testing.T) {
	dir := t.TempDir()
	l := openTest(t, dir)
	const workers, each = 16, 40
	errs := make(chan error, workers)
	for w := range workers {
		go func() {
			for i := range each {
				_, err := l.Append(context.Background(), synthetic(w*each+i))
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if l.Size() != workers*each {
		t.Fatalf("Size = %d", l.Size())
	}
	rep, err := l.Verify(nil)
	if err != nil || !rep.OK {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
	l.Close()
	l2 := openTest(t, dir)
	if l2.Size() != workers*each {
		t.Errorf("reopened Size = %d", l2.Size())
	}
	res := appendAll(t, l2, synthetic(10000))
	if res[0].Index != workers*each {
		t.Errorf("append after reopen at %d", res[0].Index)
	}
}

func TestQueries(t *testing.T) {
	l := openTest(t, t.TempDir())
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	appendAll(t, l,
		testEvent{ID: "a", Products: []string{lotA}, Locations: []string{"loc1"}, BizStep: "commissioning", Disposition: "active", Time: t0}.record(),
		testEvent{ID: "b", Products: []string{lotB}, Locations: []string{"loc2"}, BizStep: "commissioning", Time: t0.Add(time.Hour),
			Edges: []Edge{{From: lotA, To: lotB, Kind: EdgeTransform}}}.record(),
		testEvent{ID: "c", Products: []string{lotB}, Locations: []string{"loc1", "loc2"}, BizStep: "shipping", Time: t0.Add(-time.Hour)}.record(),
	)
	tests := []struct {
		f     Field
		value string
		from  int64
		limit int
		want  []int64
	}{
		{ByProduct, lotB, 0, 0, []int64{1, 2}},
		{ByLocation, "loc1", 0, 0, []int64{0, 2}},
		{ByLocation, "loc1", 1, 0, []int64{2}},
		{ByLocation, "loc2", 0, 1, []int64{1}},
		{ByBizStep, "commissioning", 0, 0, []int64{0, 1}},
		{ByDisposition, "active", 0, 0, []int64{0}},
		{ByFirm, "firm-shipping", 0, 0, []int64{2}},
		{ByProduct, "nothing", 0, 0, nil},
	}
	for _, tc := range tests {
		got, err := l.Indexed(tc.f, tc.value, tc.from, tc.limit)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("Indexed(%v, %q, %d, %d) = %v, %v; want %v", tc.f, tc.value, tc.from, tc.limit, got, err, tc.want)
		}
	}
	page, err := l.ByTime(t0.Add(-2*time.Hour), t0.Add(time.Hour), nil, 0)
	if err != nil || len(page) != 2 || page[0].Index != 2 || page[1].Index != 0 || !page[1].Time.Equal(t0) {
		t.Errorf("ByTime = %+v, %v", page, err)
	}
	page, _ = l.ByTime(t0.Add(-2*time.Hour), t0.Add(2*time.Hour), &page[0], 1)
	if len(page) != 1 || page[0].Index != 0 {
		t.Errorf("ByTime second page = %+v", page)
	}
	// Open bounds (zero times) mean the whole indexable range, in both directions.
	all, err := l.ByTime(time.Time{}, time.Time{}, nil, 0)
	if err != nil || len(all) != 3 || all[0].Index != 2 || all[1].Index != 0 || all[2].Index != 1 {
		t.Errorf("ByTime(open range) = %+v, %v; want entries 2, 0, 1", all, err)
	}
	rev, err := l.ByTimeBefore(time.Time{}, time.Time{}, nil, 0)
	if err != nil || len(rev) != 3 || rev[0].Index != 1 || rev[1].Index != 0 || rev[2].Index != 2 {
		t.Errorf("ByTimeBefore(open range) = %+v, %v; want entries 1, 0, 2", rev, err)
	}
	out, _ := l.EdgesFrom(lotA)
	in, _ := l.EdgesTo(lotB)
	want := IndexedEdge{Edge: Edge{From: lotA, To: lotB, Kind: EdgeTransform}, Entry: 1}
	if len(out) != 1 || out[0] != want || len(in) != 1 || in[0] != want {
		t.Errorf("EdgesFrom = %+v, EdgesTo = %+v", out, in)
	}
}

func TestSigningKeyIsCreatedOnceWithMode0600(t *testing.T) {
	dir := t.TempDir()
	l := openTest(t, dir)
	vk := l.VerifierKey()
	l.Close()
	st, err := os.Stat(filepath.Join(dir, SigningKeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("signing key mode = %v, %v", st.Mode(), err)
	}
	l2 := openTest(t, dir)
	if l2.VerifierKey() != vk {
		t.Errorf("key changed on reopen")
	}
}

func TestQueriesPageAcrossPostingChunks(t *testing.T) {
	l := openTest(t, t.TempDir())
	for i := 0; i < 600; i += 100 { // commits that do not end on chunk boundaries
		var recs []Record
		for j := i; j < i+100; j++ {
			recs = append(recs, synthetic(j))
		}
		appendAll(t, l, recs...)
	}
	got, err := l.Indexed(ByBizStep, "shipping", 250, 5)
	if err != nil || !slices.Equal(got, []int64{253, 257, 261, 265, 269}) {
		t.Errorf("Indexed(shipping, 250, 5) = %v, %v", got, err)
	}
	all, _ := l.Indexed(ByBizStep, "shipping", 0, 0)
	if len(all) != 150 || all[149] != 597 {
		t.Errorf("Indexed(shipping) has %d entries, last %v", len(all), all[len(all)-1])
	}
	// synthetic(i) happens at minute i: 600 entries over 10 hours.
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var paged []TimeCursor
	var after *TimeCursor
	for {
		page, err := l.ByTime(t0.Add(90*time.Minute), t0.Add(500*time.Minute), after, 37)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		paged = append(paged, page...)
		after = &page[len(page)-1]
	}
	if len(paged) != 410 || paged[0].Index != 90 || paged[409].Index != 499 {
		t.Fatalf("paged ByTime: %d results, first %+v", len(paged), paged[0])
	}
	for i, c := range paged {
		if c.Index != int64(90+i) || !c.Time.Equal(t0.Add(time.Duration(90+i)*time.Minute)) {
			t.Fatalf("result %d = %+v", i, c)
		}
	}
}
