package epcis

import (
	"crypto/sha256"
	"unsafe"
)

// HashAndKeys reads an event's stored bytes as ParseEvent does and returns its hash ID
// and index keys, as HashID and Keys of the event read give them. Verify re-derives the
// index data of every stored event so, and the Event is of no use to it afterwards: in
// the canonical form (as every stored event is) the Event lives on this function's
// stack, its lists are the canonical reader's scratch lists and its strings slices of
// data, instead of an allocation each and a copy of data; Keys runs on it, and the
// strings of the keys that are still slices of data are copied (with the hash ID, in
// one allocation); any other input is read by the general reader. Nothing returned
// refers to data or to that storage.
func HashAndKeys(data []byte) (hashID string, k Keys, err error) {
	r := getCanonReader(data, true)
	defer r.release()
	var lent Event
	if !r.event(&lent, nil) {
		e, err := parseEventGeneral(data, nil)
		if err != nil {
			return "", Keys{}, err
		}
		return e.HashID(), e.Keys(), nil
	}
	sum := lent.hashSum()
	k = lent.Keys()
	return ownViews(&k, data, sum), k, nil
}

// ownViews replaces every string of k that is a slice of data (Keys of a lent Event
// gives the Event's strings, and slices of them, as they are) by a copy, and returns
// the hash ID of sum, all in one allocation. Slices of the same bytes of data (an
// event's read point is often its business location and a source, a product an end
// of its edges) share one copy. TestHashAndKeysOwnsItsStrings checks that nothing
// is left a slice of data. (Copying the strings of the Event Keys reads, before it
// ran, copied the ones it drops too, and had to be told every field Keys reads.)
func ownViews(k *Keys, data []byte, sum [sha256.Size]byte) (hashID string) {
	var room [16]struct{ view, own string }
	seen := room[:0] // the slices of data met so far, with their copies
	sizing, size := true, hashIDLen
	var buf []byte
	own := func(s string) string {
		if len(s) == 0 {
			return s
		}
		// Not kept as numbers: data may be on a stack, which may move.
		p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.SliceData(data)))
		if p < lo || p >= lo+uintptr(len(data)) {
			return s
		}
		for _, v := range seen {
			if unsafe.StringData(v.view) == unsafe.StringData(s) && len(v.view) == len(s) {
				return v.own
			}
		}
		own := s
		if sizing {
			size += len(s)
		} else {
			start := len(buf)
			buf = append(buf, s...)
			own = unsafe.String(&buf[start], len(s))
		}
		seen = append(seen, struct{ view, own string }{s, own})
		return own
	}
	k.eachString(own)
	// Each string is appended once into a buffer of the exact size, which therefore
	// never moves and is never written again: its strings can be views of it.
	buf = appendHashID(make([]byte, 0, size), sum)
	hashID = unsafe.String(&buf[0], len(buf))
	sizing, seen = false, seen[:0]
	k.eachString(own)
	return hashID
}

// eachString replaces every string of k by f of it.
func (k *Keys) eachString(f func(string) string) {
	for i := range k.Products {
		k.Products[i] = f(k.Products[i])
	}
	k.ReadPoint, k.BizLocation = f(k.ReadPoint), f(k.BizLocation)
	for _, l := range [...][]SourceDest{k.Sources, k.Destinations} {
		for i := range l {
			l[i].Type, l[i].Value = f(l[i].Type), f(l[i].Value)
		}
	}
	k.BizStep, k.Disposition = f(k.BizStep), f(k.Disposition)
	for _, l := range [...][]string{k.PersistentSet, k.PersistentUnset} {
		for i := range l {
			l[i] = f(l[i])
		}
	}
	k.EventID = f(k.EventID)
	for i := range k.Edges {
		e := &k.Edges[i]
		e.From, e.To, e.Kind = f(e.From), f(e.To), EdgeKind(f(string(e.Kind)))
	}
}
