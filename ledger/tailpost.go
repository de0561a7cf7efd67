package ledger

// tailPostings is the appender's copy of the posting rows of the chunk at the end
// of the log (the only chunk whose rows a commit extends rather than creates).
// Without it every commit read each posting row it touched from the store, hits
// and misses alike: under 64 concurrent single-event appends that was a third of
// the appender's own CPU time per commit. Only the appender writes posting rows,
// so the copy stays exact; a failed commit drops it.
type tailPostings struct {
	chunk    int64             // the chunk rows belong to; -1 when there is none
	complete bool              // rows has every row of chunk: a key not in it has no row yet
	rows     map[string][]byte // full row values by key; never modified in place
}

// lookup returns the row of key in chunk c: known says whether the answer came
// from the copy (row is nil when the copy knows there is none).
func (t *tailPostings) lookup(c int64, key []byte) (row []byte, known bool) {
	if t.rows == nil || t.chunk != c {
		return nil, false
	}
	if v, ok := t.rows[string(key)]; ok {
		return v, true
	}
	return nil, t.complete
}

// committed updates the copy after a commit that stored entries size to next-1 and
// wrote the posting rows in written (full values by key).
func (t *tailPostings) committed(size, next int64, written map[string]*[]byte) {
	c := next >> chunkShift
	if t.rows == nil || t.chunk != c {
		// The chunk the next append extends is new to the copy: the copy is
		// complete only if the chunk began within this commit (or begins with the
		// next entry), so that every row of it is in written.
		t.chunk, t.complete, t.rows = c, c<<chunkShift >= size, make(map[string][]byte)
	}
	for key, v := range written {
		if pc, _ := postingChunk([]byte(key)); pc == c {
			t.rows[key] = *v
		}
	}
}

// reset forgets the copy (after a commit whose outcome in the store is unknown).
func (t *tailPostings) reset() { *t = tailPostings{chunk: -1} }
