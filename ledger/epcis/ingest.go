package epcis

// Ingest is the ledger's capture path for one event in one call: Validate, then the
// event's CBV 2.0 hash ID (HashID), its canonical stored bytes (CanonicalJSON) and its
// index keys (Keys), each as those methods give it. It fails, with nothing else
// returned, when the event is invalid or has no canonical form (ErrHashForm).
//
// Verify's counterpart is ParseEvent on the stored bytes, then HashID and Keys: a
// stored event's identifiers are plain canonical Digital Links, which the hash and the
// keys take as they are without parsing them again, so re-checking an entry costs
// little more than reading it (BenchmarkVerify).
func (e *Event) Ingest() (hashID string, canonical []byte, keys Keys, err error) {
	if err := e.Validate(); err != nil {
		return "", nil, Keys{}, err
	}
	hashID = e.HashID()
	canonical, err = e.CanonicalJSON()
	if err != nil {
		return "", nil, Keys{}, err
	}
	return hashID, canonical, e.Keys(), nil
}
