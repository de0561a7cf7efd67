package epcis

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// TestHashAndKeysOwnsItsStrings: what HashAndKeys returns stays the same when the
// caller reuses its buffer, and no string of it points into that buffer.
func TestHashAndKeysOwnsItsStrings(t *testing.T) {
	docs := ownEventDocs()
	// Events whose keys' strings do not all fit the copying's room on the stack.
	for _, n := range []int{5, 20, 40, 60} {
		docs[fmt.Sprintf("shipping %d units", n)] = manyUnitsEvent(n)
	}
	for name, doc := range docs {
		for form, stored := range storedForms(t, mustEvent(t, doc)) {
			data := bytes.Clone(stored)
			h, k, err := HashAndKeys(data)
			if err != nil {
				t.Fatalf("%s %s: %v", name, form, err)
			}
			checkHashAndKeys(t, name+" "+form, data)
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

// manyUnitsEvent is a shipment of n serialised units to two destinations: n
// products and 2n edges in its keys.
func manyUnitsEvent(n int) string {
	epcs := make([]string, n)
	for i := range epcs {
		epcs[i] = fmt.Sprintf(`"https://id.gs1.org/01/09506000134352/21/S%04d"`, i)
	}
	return `{"type":"ObjectEvent","eventTime":"2026-01-05T07:30:00+08:00","eventTimeZoneOffset":"+08:00",` +
		`"epcList":[` + strings.Join(epcs, ",") + `],"action":"OBSERVE","bizStep":"shipping","disposition":"in_transit",` +
		`"readPoint":{"id":"https://id.gs1.org/414/9506000134352"},` +
		`"destinationList":[{"type":"owning_party","destination":"https://id.gs1.org/417/9506000000005"},` +
		`{"type":"location","destination":"https://id.gs1.org/414/9506000100009"}]}`
}
