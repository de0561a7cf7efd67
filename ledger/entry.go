package ledger

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/mod/sumdb/tlog"
)

// The canonical encoding of an entry is what the Merkle tree commits to: the leaf
// hash of entry n is tlog.RecordHash(encoding), the RFC 6962 leaf hash
// SHA-256(0x00 || encoding). It is binary, deterministic and strict (one entry has
// exactly one encoding, and the decoder rejects anything else), so that anyone can
// recompute a leaf hash from the stored bytes without this package's help:
//
//	entry = "tle1"                      magic and version
//	        index      uint64 big-endian
//	        recordTime int64 big-endian  Unix nanoseconds, UTC
//	        eventID    str               the event hash ID (identity)
//	        givenID    str               the capturer's eventID, may be empty
//	        firm       str               the submitting firm, may be empty
//	        nlinks     uvarint           then nlinks links, sorted by code, codes unique
//	        link*      = code str, prev uint64 big-endian (index+1, 0 = first entry
//	                     under the code), prevHash [32]byte (zero when prev = 0)
//	        event      str               the event's canonical bytes
//	str   = uvarint length, then the bytes
//
// Nothing follows the event. Uvarints must be minimal.

// entryMagic starts every encoded entry; a new layout gets a new magic.
const entryMagic = "tle1"

// An Entry is one record of the log as stored: the event and its identity, who
// submitted it and when the server recorded it, and one link per product code the
// event touches to the previous entry under that code (the per-product chain).
type Entry struct {
	Index      int64     // position in the log, 0-based
	RecordTime time.Time // when the server recorded the event (UTC, nanoseconds)
	EventID    string    // event hash ID: the event's identity
	GivenID    string    // eventID as given by the capturer, if any
	Firm       string    // submitting firm, if known
	Links      []Link    // one per product code, sorted by code
	Event      []byte    // the event's canonical bytes
}

// A Link ties an entry into the chain of one product code: it names the previous
// entry under that code by index and leaf hash, so a walk from the newest entry
// backwards can check every step.
type Link struct {
	Code     string    // product code (canonical GS1 Digital Link path or URI)
	Prev     int64     // index of the previous entry under Code, -1 if this is the first
	PrevHash tlog.Hash // leaf hash of entry Prev; zero when Prev is -1
}

// ErrBadEntry is returned (wrapped, with the position) for bytes that are not a
// canonical entry encoding.
var ErrBadEntry = errors.New("ledger: malformed entry")

// Link returns the entry's link for code and whether the entry has one.
func (e *Entry) Link(code string) (Link, bool) {
	for _, l := range e.Links {
		if l.Code == code {
			return l, true
		}
	}
	return Link{}, false
}

// Codes returns the product codes the entry is chained under, in link order.
func (e *Entry) Codes() []string {
	codes := make([]string, len(e.Links))
	for i, l := range e.Links {
		codes[i] = l.Code
	}
	return codes
}

// Marshal returns the canonical encoding of e. It fails when the links are not
// sorted and unique or a first link carries a hash, because such an entry has no
// canonical form.
func (e *Entry) Marshal() ([]byte, error) {
	n := len(entryMagic) + 16 + 4*binary.MaxVarintLen64 + len(e.EventID) + len(e.GivenID) + len(e.Firm) + len(e.Event)
	for _, l := range e.Links {
		n += binary.MaxVarintLen64 + len(l.Code) + 8 + 32
	}
	b := make([]byte, 0, n)
	b = append(b, entryMagic...)
	b = binary.BigEndian.AppendUint64(b, uint64(e.Index))
	b = binary.BigEndian.AppendUint64(b, uint64(e.RecordTime.UnixNano()))
	b = appendStr(b, e.EventID)
	b = appendStr(b, e.GivenID)
	b = appendStr(b, e.Firm)
	b = binary.AppendUvarint(b, uint64(len(e.Links)))
	for i, l := range e.Links {
		if i > 0 && e.Links[i-1].Code >= l.Code {
			return nil, fmt.Errorf("ledger: entry %d: links not sorted and unique at %q", e.Index, l.Code)
		}
		if l.Prev < -1 || (l.Prev == -1 && l.PrevHash != (tlog.Hash{})) {
			return nil, fmt.Errorf("ledger: entry %d: link %q: bad previous entry %d", e.Index, l.Code, l.Prev)
		}
		b = appendStr(b, l.Code)
		b = binary.BigEndian.AppendUint64(b, uint64(l.Prev+1))
		b = append(b, l.PrevHash[:]...)
	}
	b = appendStr(b, string(e.Event))
	return b, nil
}

// LeafHash returns the RFC 6962 leaf hash of an encoded entry, the value the
// Merkle tree and the per-product links commit to.
func LeafHash(encoded []byte) tlog.Hash { return tlog.RecordHash(encoded) }

// UnmarshalEntry decodes a canonical entry encoding; the result does not alias data.
func UnmarshalEntry(data []byte) (*Entry, error) { return decodeEntry(data, false) }

// decodeEntry decodes a canonical entry encoding. With alias, the entry's Event
// and strings are data's own bytes (Verify, which holds them anyway, saves a copy
// per entry and per string), so data must not change while the entry is in use.
func decodeEntry(data []byte, alias bool) (*Entry, error) {
	e := &Entry{}
	if err := decodeEntryInto(e, data, alias); err != nil {
		return nil, err
	}
	return e, nil
}

// decodeEntryInto is decodeEntry into e, reusing the room of e.Links (Verify decodes
// every entry into one of the few it recycles). e is undefined after an error.
func decodeEntryInto(e *Entry, data []byte, alias bool) error {
	d := decoder{b: data, alias: alias}
	if !strings.HasPrefix(string(d.take(len(entryMagic))), entryMagic) {
		return fmt.Errorf("%w: bad magic at byte 0", ErrBadEntry)
	}
	*e = Entry{Links: e.Links[:0]}
	e.Index = int64(d.u64())
	e.RecordTime = time.Unix(0, int64(d.u64())).UTC()
	e.EventID = d.str("eventID")
	e.GivenID = d.str("givenID")
	e.Firm = d.str("firm")
	nl := d.uvarint("link count")
	if d.err == nil && nl > uint64(len(d.b)-d.off)/41 {
		d.fail("link count", "too large")
	}
	if d.err == nil && nl > 0 && uint64(cap(e.Links)) < nl {
		e.Links = make([]Link, 0, nl)
	}
	for i := uint64(0); i < nl && d.err == nil; i++ {
		var l Link
		l.Code = d.str("link code")
		l.Prev = int64(d.u64()) - 1
		copy(l.PrevHash[:], d.take(32))
		if d.err != nil {
			break
		}
		if l.Prev < -1 || (l.Prev == -1 && l.PrevHash != (tlog.Hash{})) {
			d.fail("link "+l.Code, "bad previous entry")
		}
		if len(e.Links) > 0 && e.Links[len(e.Links)-1].Code >= l.Code {
			d.fail("link "+l.Code, "not sorted and unique")
		}
		e.Links = append(e.Links, l)
	}
	ev := d.take(int(d.uvarint("event")))
	if d.err == nil && d.off != len(d.b) {
		d.fail("end", "trailing bytes")
	}
	if d.err != nil {
		return d.err
	}
	if alias {
		e.Event = ev
	} else {
		e.Event = append([]byte{}, ev...)
	}
	if e.Index < 0 {
		return fmt.Errorf("%w: negative index", ErrBadEntry)
	}
	return nil
}

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decoder reads the entry encoding, remembering the first error with its offset.
// With alias, the strings it returns are views of b.
type decoder struct {
	b     []byte
	off   int
	err   error
	alias bool
}

func (d *decoder) fail(field, what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s at byte %d: %s", ErrBadEntry, field, d.off, what)
	}
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || len(d.b)-d.off < n {
		d.fail("field", "truncated")
		return nil
	}
	p := d.b[d.off : d.off+n]
	d.off += n
	return p
}

func (d *decoder) u64() uint64 {
	p := d.take(8)
	if p == nil {
		return 0
	}
	return binary.BigEndian.Uint64(p)
}

func (d *decoder) uvarint(field string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	var minimal [binary.MaxVarintLen64]byte
	if n <= 0 || n != len(binary.AppendUvarint(minimal[:0], v)) {
		d.fail(field, "bad length")
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) str(field string) string {
	n := d.uvarint(field)
	if d.err == nil && n > uint64(len(d.b)-d.off) {
		d.fail(field, "truncated")
	}
	b := d.take(int(n))
	if d.alias && len(b) > 0 {
		return unsafe.String(&b[0], len(b))
	}
	return string(b)
}
