package ledger

import (
	"fmt"
	"testing"
)

// TestIDFilter: every ID added is reported (a miss would store a duplicate), and
// few others are, across the growth from one filter to several.
func TestIDFilter(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 3 * bloomFirstCap} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			f := newIDFilter()
			id := func(i int) string { return fmt.Sprintf("ni:///sha-256;%064x?ver=CBV2.0", i) }
			for i := range n {
				f.add(id(i))
			}
			for i := range n {
				if !f.mayHave(id(i)) {
					t.Fatalf("ID %d added but not reported", i)
				}
			}
			falsePos := 0
			const others = 100000
			for i := n; i < n+others; i++ {
				if f.mayHave(id(i)) {
					falsePos++
				}
			}
			if rate := float64(falsePos) / others; rate > 0.03 {
				t.Fatalf("%.2f %% false positives", 100*rate)
			}
		})
	}
}

func BenchmarkIDFilter(b *testing.B) {
	f := newIDFilter()
	for i := range 1 << 20 {
		f.add(fmt.Sprint(i))
	}
	id := "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0"
	b.ResetTimer()
	for range b.N {
		f.mayHave(id)
	}
}

// TestReopenedLogFindsDuplicatesThroughFilter: after a restart the ID filter is
// rebuilt from the event ID index, so records appended before are still found
// (with their original entry) whether they come before or after it is loaded.
func TestReopenedLogFindsDuplicatesThroughFilter(t *testing.T) {
	dir := t.TempDir()
	l := openTest(t, dir)
	var recs []Record
	for i := range 700 {
		recs = append(recs, synthetic(i))
	}
	first := appendAll(t, l, recs[:500]...)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l = openTest(t, dir)
	early := appendAll(t, l, recs[0]) // may run before the filter is loaded
	<-l.idsLoader
	appendAll(t, l, recs[500]) // hands the loaded filter to the appender
	again := appendAll(t, l, recs...)
	if !early[0].Duplicate || early[0].Index != 0 {
		t.Fatalf("record 0 after reopening: %+v, want duplicate of entry 0", early[0])
	}
	for i, a := range again {
		switch {
		case i < 500 && (!a.Duplicate || a.Index != first[i].Index):
			t.Fatalf("record %d: %+v, want duplicate of entry %d", i, a, first[i].Index)
		case i == 500 && (!a.Duplicate || a.Index != 500):
			t.Fatalf("record 500: %+v, want duplicate of entry 500", a)
		case i > 500 && a.Duplicate:
			t.Fatalf("record %d: %+v, want a new entry", i, a)
		}
	}
	if n := l.Size(); n != 700 {
		t.Fatalf("size %d, want 700", n)
	}
}
