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
// data, instead of an allocation each and a copy of data, and the strings the keys may
// keep are copied (with the hash ID, in one allocation) before Keys runs; any other
// input is read by the general reader. Nothing returned refers to data or to that
// storage.
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
	hashID = ownKeyStrings(&lent, lent.hashSum())
	return hashID, lent.Keys(), nil
}

// ownKeyStrings gives the lent Event its own copy of every string Keys may return or
// take a slice of (they are slices of the caller's bytes until then), and returns the
// hash ID of sum, all in one allocation. Keys reading another field of the Event must
// add it here; TestHashAndKeysOwnsItsStrings and checkHashAndKeys catch one that is
// not.
func ownKeyStrings(e *Event, sum [sha256.Size]byte) (hashID string) {
	size := hashIDLen
	e.eachKeyString(func(s string) string { size += len(s); return s })
	// Each string is appended once into a buffer of the exact size, which therefore
	// never moves and is never written again: its strings can be views of it.
	buf := appendHashID(make([]byte, 0, size), sum)
	hashID = unsafe.String(&buf[0], len(buf))
	e.eachKeyString(func(s string) string {
		if s == "" {
			return s
		}
		start := len(buf)
		buf = append(buf, s...)
		return unsafe.String(&buf[start], len(s))
	})
	return hashID
}

// eachKeyString replaces every string of the Event that Keys reads by f of it.
func (e *Event) eachKeyString(f func(string) string) {
	e.ParentID = f(e.ParentID)
	for _, l := range [...][]string{e.EPCList, e.ChildEPCs, e.InputEPCList, e.OutputEPCList} {
		for i := range l {
			l[i] = f(l[i])
		}
	}
	for _, l := range [...][]Quantity{e.QuantityList, e.ChildQuantityList, e.InputQuantityList, e.OutputQuantityList} {
		for i := range l {
			l[i].EPCClass = f(l[i].EPCClass)
		}
	}
	for _, l := range [...]*Location{e.ReadPoint, e.BizLocation} {
		if l != nil {
			l.ID = f(l.ID)
		}
	}
	for _, l := range [...][]SourceDest{e.SourceList, e.DestinationList} {
		for i := range l {
			l[i].Type = f(l[i].Type)
			l[i].Value = f(l[i].Value)
		}
	}
	e.BizStep = f(e.BizStep)
	e.Disposition = f(e.Disposition)
	if pd := e.PersistentDisposition; pd != nil {
		for _, l := range [...][]string{pd.Set, pd.Unset} {
			for i := range l {
				l[i] = f(l[i])
			}
		}
	}
	e.EventID = f(e.EventID)
}
