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
