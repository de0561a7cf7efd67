package ledger

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

func t0ctx() context.Context { return context.Background() }

func TestEntryRoundTrip(t *testing.T) {
	tests := []Entry{
		{Index: 0, RecordTime: time.Unix(0, 0).UTC(), EventID: "id", Event: []byte{}},
		{Index: 7, RecordTime: time.Date(2026, 11, 26, 14, 0, 0, 123, time.UTC), EventID: "ni:///sha-256;ab?ver=CBV2.0",
			GivenID: "urn:uuid:1", Firm: "91350100M000100Y43",
			Links: []Link{{Code: "a", Prev: -1}, {Code: "b", Prev: 3, PrevHash: tlog.RecordHash([]byte("x"))}},
			Event: []byte(`{"type":"ObjectEvent"}`)},
	}
	for _, e := range tests {
		enc, err := e.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		got, err := UnmarshalEntry(enc)
		if err != nil {
			t.Fatalf("UnmarshalEntry: %v", err)
		}
		again, _ := got.Marshal()
		if !bytes.Equal(enc, again) || !got.RecordTime.Equal(e.RecordTime) || got.EventID != e.EventID || len(got.Links) != len(e.Links) {
			t.Errorf("round trip of %+v gave %+v", e, got)
		}
	}
}

func TestEntryRejectsNonCanonical(t *testing.T) {
	good := Entry{Index: 1, EventID: "id", Links: []Link{{Code: "a", Prev: -1}, {Code: "b", Prev: 0}}, Event: []byte("ev")}
	enc, err := good.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	unsorted := good
	unsorted.Links = []Link{good.Links[1], good.Links[0]}
	if _, err := unsorted.Marshal(); err == nil {
		t.Error("Marshal accepted unsorted links")
	}
	firstWithHash := good
	firstWithHash.Links = []Link{{Code: "a", Prev: -1, PrevHash: tlog.Hash{1}}}
	if _, err := firstWithHash.Marshal(); err == nil {
		t.Error("Marshal accepted a first link with a hash")
	}
	tests := map[string][]byte{
		"bad magic":      append([]byte("tle2"), enc[4:]...),
		"truncated":      enc[:len(enc)-1],
		"trailing bytes": append(bytes.Clone(enc), 0),
		"empty":          nil,
		"long varint":    append(append(bytes.Clone(enc[:20]), 0x82, 0x00), enc[21:]...),
	}
	for name, data := range tests {
		if _, err := UnmarshalEntry(data); !errors.Is(err, ErrBadEntry) {
			t.Errorf("%s: UnmarshalEntry error = %v", name, err)
		}
	}
}

func FuzzUnmarshalEntry(f *testing.F) {
	for i := range 8 {
		e := Entry{Index: int64(i), EventID: "id", Event: synthetic(i).Event,
			Links: []Link{{Code: "c", Prev: int64(i) - 1}}}
		if i > 0 {
			e.Links[0].PrevHash = tlog.Hash{byte(i)}
		}
		enc, _ := e.Marshal()
		f.Add(enc)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := UnmarshalEntry(data)
		if err != nil {
			return
		}
		enc, err := e.Marshal()
		if err != nil {
			t.Fatalf("decoded entry does not encode: %v", err)
		}
		if !bytes.Equal(enc, data) {
			t.Fatalf("decode/encode not canonical:\n%x\n%x", data, enc)
		}
	})
}
