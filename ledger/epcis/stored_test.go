package epcis

import (
	"bytes"
	"reflect"
	"testing"
	"unsafe"
)

// TestHashAndKeysOwnsItsStrings: what HashAndKeys returns stays the same when the
// caller reuses its buffer, and no string of it points into that buffer.
func TestHashAndKeysOwnsItsStrings(t *testing.T) {
	for name, doc := range ownEventDocs() {
		for form, stored := range storedForms(t, mustEvent(t, doc)) {
			data := bytes.Clone(stored)
			h, k, err := HashAndKeys(data)
			if err != nil {
				t.Fatalf("%s %s: %v", name, form, err)
			}
			wantH, wantK, _ := HashAndKeys(stored)
			checkOutside(t, name+" "+form, reflect.ValueOf(k), data)
			for i := range data {
				data[i] = 'x'
			}
			if h != wantH || !reflect.DeepEqual(k, wantK) {
				t.Errorf("%s %s: the keys changed with the caller's buffer:\n%+v\nwant %+v", name, form, k, wantK)
			}
		}
	}
}

// checkOutside fails for any string in v whose bytes are in data.
func checkOutside(t *testing.T, name string, v reflect.Value, data []byte) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		lo := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
		if len(s) > 0 && p >= lo && p < lo+uintptr(len(data)) {
			t.Errorf("%s: %q is a slice of the caller's buffer", name, s)
		}
	case reflect.Slice:
		for i := range v.Len() {
			checkOutside(t, name, v.Index(i), data)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			checkOutside(t, name, v.Field(i), data)
		}
	}
}
