package epcis

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

func TestIngestIsTheMethodsInARow(t *testing.T) {
	for _, be := range benchEvents {
		e := mustEvent(t, benchEvent(be.tmpl, 2))
		hash, stored, keys, err := e.Ingest()
		if err != nil {
			t.Fatalf("%s: %v", be.name, err)
		}
		want, _ := e.CanonicalJSON()
		if hash != e.HashID() || !bytes.Equal(stored, want) || !reflect.DeepEqual(keys, e.Keys()) {
			t.Errorf("%s: Ingest = %s, %s, %+v", be.name, hash, stored, keys)
		}
		// What verify does with the stored bytes gives the same hash and keys.
		back := mustEvent(t, string(stored))
		if back.HashID() != hash || !reflect.DeepEqual(back.Keys(), keys) {
			t.Errorf("%s: the stored form hashes to %s with keys %+v", be.name, back.HashID(), back.Keys())
		}
	}
	bad := mustEvent(t, `{"type":"ObjectEvent","action":"ADD"}`)
	var verr ValidationError
	if _, _, _, err := bad.Ingest(); !errors.As(err, &verr) {
		t.Errorf("Ingest of an invalid event = %v, want a ValidationError", err)
	}
}

// TestPooledBuffersUnderConcurrency: the pooled parsers, canonical readers, pre-hash and
// JSON writers give every goroutine its own buffers (run with -race).
func TestPooledBuffersUnderConcurrency(t *testing.T) {
	type want struct {
		doc    []byte
		hash   string
		stored []byte
	}
	var wants []want
	for i := range 8 {
		for _, be := range benchEvents {
			doc := benchDocument(be.tmpl, 1+i%3)
			d, err := ParseDocument(doc)
			if err != nil {
				t.Fatal(err)
			}
			stored, _ := d.Events[0].CanonicalJSON()
			wants = append(wants, want{doc, d.Events[0].HashID(), stored})
		}
	}
	done := make(chan error)
	for g := range 4 {
		go func() {
			for i := range 200 {
				w := wants[(g+i)%len(wants)]
				d, err := ParseDocument(w.doc)
				if err != nil {
					done <- err
					return
				}
				stored, _ := d.Events[0].CanonicalJSON()
				back, err := ParseEvent(stored, nil)
				h, _, herr := HashAndKeys(stored)
				if err != nil || herr != nil || d.Events[0].HashID() != w.hash || back.HashID() != w.hash || h != w.hash ||
					!bytes.Equal(stored, w.stored) {
					done <- errors.New("a pooled buffer was shared: results differ")
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
