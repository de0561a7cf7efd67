package ledger

import (
	"context"
	"strings"
	"testing"
)

// TestRecordKeys holds the trust model of Record.Keys: Append uses keys the caller
// derived instead of running the Indexer (the log then matches one built from
// the bytes alone), and keys that do not match the event show up in Verify at
// their entry.
func TestRecordKeys(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(k *IndexKeys)
		wantBad string // "" when the log verifies
	}{
		{"same as the indexer", func(*IndexKeys) {}, ""},
		{"extra product", func(k *IndexKeys) { k.Products = append(k.Products, "https://id.gs1.org/01/09506000134376/10/X") }, "chained under"},
		{"wrong location", func(k *IndexKeys) { k.Locations = []string{"https://id.gs1.org/414/9506000000009"} }, "index row"},
		{"wrong hash ID", func(k *IndexKeys) { k.EventID = "ni:///sha-256;" + strings.Repeat("f", 64) + "?ver=CBV2.0" }, "event hash ID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := openTest(t, t.TempDir())
			var recs []Record
			for i := range 300 {
				r := synthetic(i)
				k, err := testIndexer(r.Event)
				if err != nil {
					t.Fatal(err)
				}
				if i == 137 {
					tc.edit(&k)
				}
				r.Keys = &k
				recs = append(recs, r)
			}
			if _, err := l.Append(context.Background(), recs...); err != nil {
				t.Fatal(err)
			}
			rep, err := l.Verify(nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantBad == "" {
				if !rep.OK {
					t.Fatalf("verify: %v", rep.Err())
				}
				return
			}
			if rep.OK || rep.FirstBad != 137 || !strings.Contains(rep.Problems[0].What, tc.wantBad) {
				t.Fatalf("verify: first bad %d, %+v; want entry 137 (%s)", rep.FirstBad, rep.Problems, tc.wantBad)
			}
		})
	}
}
