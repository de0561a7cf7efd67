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
	o := viewOwner{data: data, sizing: true, size: hashIDLen}
	k.eachString(&o)
	// Each string is appended once into a buffer of the exact size, which therefore
	// never moves and is never written again: its strings can be views of it.
	o.buf = appendHashID(make([]byte, 0, o.size), sum)
	hashID = unsafe.String(&o.buf[0], len(o.buf))
	o.sizing, o.nseen = false, 0
	k.eachString(&o)
	return hashID
}

// A viewOwner sums the lengths of the slices of data it is given (sizing), or
// copies them into buf. (A type of its own, not a function, so that its calls are
// direct: they were a third of HashAndKeys's copying.)
type viewOwner struct {
	data   []byte
	sizing bool
	size   int
	buf    []byte
	// seen are the first slices of data met, with their copies (the later ones
	// are copied each time).
	seen  [16]struct{ view, own string }
	nseen int
}

// own is what eachString replaces s by: s itself while sizing or when it is not a
// slice of data, its copy otherwise.
func (o *viewOwner) own(s string) string {
	// (The addresses are not kept: data may be on a stack, which may move.)
	if uintptr(unsafe.Pointer(unsafe.StringData(s)))-uintptr(unsafe.Pointer(unsafe.SliceData(o.data))) >= uintptr(len(o.data)) || s == "" {
		return s
	}
	return o.copy(s)
}

// copy is own of a slice of data.
func (o *viewOwner) copy(s string) string {
	for _, v := range o.seen[:o.nseen] {
		if unsafe.StringData(v.view) == unsafe.StringData(s) && len(v.view) == len(s) {
			return v.own
		}
	}
	own := s
	if o.sizing {
		o.size += len(s)
	} else {
		start := len(o.buf)
		o.buf = append(o.buf, s...)
		own = unsafe.String(&o.buf[start], len(s))
	}
	if o.nseen < len(o.seen) {
		o.seen[o.nseen].view, o.seen[o.nseen].own = s, own
		o.nseen++
	}
	return own
}

// eachString replaces every string of k by o.own of it.
func (k *Keys) eachString(o *viewOwner) {
	for i := range k.Products {
		k.Products[i] = o.own(k.Products[i])
	}
	k.ReadPoint, k.BizLocation = o.own(k.ReadPoint), o.own(k.BizLocation)
	for _, l := range [...][]SourceDest{k.Sources, k.Destinations} {
		for i := range l {
			l[i].Type, l[i].Value = o.own(l[i].Type), o.own(l[i].Value)
		}
	}
	k.BizStep, k.Disposition = o.own(k.BizStep), o.own(k.Disposition)
	for _, l := range [...][]string{k.PersistentSet, k.PersistentUnset} {
		for i := range l {
			l[i] = o.own(l[i])
		}
	}
	k.EventID = o.own(k.EventID)
	for i := range k.Edges {
		e := &k.Edges[i]
		e.From, e.To, e.Kind = o.own(e.From), o.own(e.To), EdgeKind(o.own(string(e.Kind)))
	}
}
