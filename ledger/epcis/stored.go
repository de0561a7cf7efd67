package epcis

// HashAndKeys reads an event's stored bytes as ParseEvent does and returns its hash ID
// and index keys, as HashID and Keys of the event read give them. Verify re-derives the
// index data of every stored event so, and the Event is of no use to it afterwards: in
// the canonical form (as every stored event is) the reader lends its own Event and
// scratch lists to the two instead of allocating them; any other input is read by the
// general reader. Nothing returned refers to that storage (Keys copies what it keeps).
func HashAndKeys(data []byte) (hashID string, k Keys, err error) {
	r := getCanonReader(data, true)
	defer r.release()
	e, ok := r.event(nil)
	if !ok {
		if e, err = parseEventGeneral(data, nil); err != nil {
			return "", Keys{}, err
		}
	}
	return e.HashID(), e.Keys(), nil
}
