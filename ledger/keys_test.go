package ledger

import (
	"bytes"
	"testing"
)

func TestEventIDKeyRoundTrip(t *testing.T) {
	const hash = "ni:///sha-256;9f0c24d6a1dfa4c1b2f5e2b28f5c8c1bb7b0f18d1b5ec3a77a7ba8e1c50f2b8e?ver=CBV2.0"
	for _, tc := range []struct {
		id      string
		compact bool
	}{
		{hash, true},
		{"ni:///sha-256;9F0C24D6A1DFA4C1B2F5E2B28F5C8C1BB7B0F18D1B5EC3A77A7BA8E1C50F2B8E?ver=CBV2.0", false}, // not as epcis writes it
		{"ni:///sha-256;9f0c24d6a1dfa4c1b2f5e2b28f5c8c1bb7b0f18d1b5ec3a77a7ba8e1c50f2b8e?ver=tl-registry-1", false},
		{"ni:///sha-256;9f0c?ver=CBV2.0", false},
		{"ni:///sha-256;9f0c24d6a1dfa4c1b2f5e2b28f5c8c1bb7b0f18d1b5ec3a77a7ba8e1c50f2b8g?ver=CBV2.0", false},
		{"urn:uuid:6e1b7f5c-1a4e-4b3b-9d8e-2f6c8a0b1c2d", false},
		{"", false},
	} {
		k := eventIDKey(tc.id)
		if got := len(k) == 1+33 && k[1] == 1; got != tc.compact {
			t.Errorf("eventIDKey(%q) = %x: compact %v, want %v", tc.id, k, got, tc.compact)
		}
		if got := eventIDOfKey(k); got != tc.id {
			t.Errorf("eventIDOfKey(eventIDKey(%q)) = %q", tc.id, got)
		}
	}
}

func TestPostingRecords(t *testing.T) {
	edge := append(edgeRec(3, "https://id.gs1.org/01/09506000134352/10/A", EdgeTransform), edgeRec(3, "b", "ship")...)
	for _, tc := range []struct {
		family string
		row    []byte
		want   [][]byte
		ok     bool
	}{
		{"xp", []byte{1, 2, 3}, [][]byte{{1}, {2}, {3}}, true},
		{"xt", bytes.Repeat([]byte{7}, 18), [][]byte{bytes.Repeat([]byte{7}, 9), bytes.Repeat([]byte{7}, 9)}, true},
		{"xt", bytes.Repeat([]byte{7}, 10), nil, false},
		{"xo", edge, [][]byte{edgeRec(3, "https://id.gs1.org/01/09506000134352/10/A", EdgeTransform), edgeRec(3, "b", "ship")}, true},
		{"xi", edge[:len(edge)-1], nil, false},                                                    // last kind cut short
		{"xi", []byte{3, 0x80}, nil, false},                                                       // unterminated length
		{"xi", []byte{3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, nil, false}, // huge length
	} {
		var got [][]byte
		ok := postingRecords(tc.family, tc.row, func(rec []byte) { got = append(got, rec) })
		if ok != tc.ok || (ok && len(got) != len(tc.want)) {
			t.Errorf("postingRecords(%s, %x) = %x, %v; want %x, %v", tc.family, tc.row, got, ok, tc.want, tc.ok)
			continue
		}
		for i := range tc.want {
			if ok && !bytes.Equal(got[i], tc.want[i]) {
				t.Errorf("postingRecords(%s, %x) record %d = %x, want %x", tc.family, tc.row, i, got[i], tc.want[i])
			}
		}
	}
	off, other, kind, ok := parseEdgeRec(edgeRec(258, "to", "aggregate"))
	if !ok || off != 2 || other != "to" || kind != "aggregate" {
		t.Errorf("parseEdgeRec = %d %q %q %v", off, other, kind, ok)
	}
}

func BenchmarkEventIDKey(b *testing.B) {
	const id = "ni:///sha-256;9f0c24d6a1dfa4c1b2f5e2b28f5c8c1bb7b0f18d1b5ec3a77a7ba8e1c50f2b8e?ver=CBV2.0"
	b.ReportAllocs()
	for b.Loop() {
		eventIDKey(id)
	}
}
