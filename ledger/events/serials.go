package events

import (
	"bufio"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"traceledger/ledger/epcis"
)

// Serial numbers for item-level codes (AI 21, up to 20 characters of CSET 82) are
// issued at random so that a counterfeiter cannot guess a valid one from others he
// has seen: each is 120 of the 122 random bits of a version 4 UUID, written as 20
// digits of base 64 over SerialAlphabet. Those 64 characters are in CSET 82 and are
// URI unreserved characters, so a serial needs no percent-encoding in a Digital Link
// path, and '.' is left out so that no serial can be a dot segment. 120 bits make a
// collision among a billion serials less likely than 1 in 10^18; callers still check
// a batch for repeats.
const (
	SerialAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
	SerialLength   = 20
)

// MaxSerials is the most serials one issuance may ask for.
const MaxSerials = 100_000

// SerialFromUUID encodes 120 of the 122 random bits of a version 4 UUID (all but
// the version and variant bits, and the last two) as a serial of SerialLength
// characters.
func SerialFromUUID(u uuid.UUID) string {
	// The random bits: bytes 0-5, the low nibble of byte 6 (the high one is the
	// version), byte 7 (60 bits); the low 6 bits of byte 8 (the top two are the
	// variant) and bytes 9-15 (62 bits, of which the top 60 are used).
	var hi, lo uint64
	for _, b := range u[0:6] {
		hi = hi<<8 | uint64(b)
	}
	hi = hi<<4 | uint64(u[6]&0x0f)
	hi = hi<<8 | uint64(u[7])
	lo = uint64(u[8] & 0x3f)
	for _, b := range u[9:16] {
		lo = lo<<8 | uint64(b)
	}
	lo >>= 2
	var s [SerialLength]byte
	for i := 9; i >= 0; i-- {
		s[i] = SerialAlphabet[hi&63]
		s[10+i] = SerialAlphabet[lo&63]
		hi >>= 6
		lo >>= 6
	}
	return string(s[:])
}

// NewSerials returns n distinct random serials (see SerialAlphabet), drawing version 4
// UUIDs from crypto/rand through a buffer so that a large batch costs few reads.
func NewSerials(n int) ([]string, error) {
	return newSerials(n, bufio.NewReaderSize(rand.Reader, 4096))
}

func newSerials(n int, r io.Reader) ([]string, error) {
	if n < 1 || n > MaxSerials {
		return nil, fmt.Errorf("events: %d serials: want 1 to %d", n, MaxSerials)
	}
	out := make([]string, 0, n)
	seen := make(map[string]struct{}, n)
	for tries := 0; len(out) < n; tries++ {
		if tries > 2*n+10 {
			return nil, errors.New("events: the random source repeats itself")
		}
		u, err := uuid.NewRandomFromReader(r)
		if err != nil {
			return nil, fmt.Errorf("events: random serial: %w", err)
		}
		s := SerialFromUUID(u)
		if _, dup := seen[s]; dup {
			continue
		}
		seen[s] = struct{}{}
		out = append(out, s)
	}
	return out, nil
}

// A SerialsRequest asks for Count serials of lot Lot of GTIN, commissioned at Site.
type SerialsRequest struct {
	GTIN  string `json:"gtin"`
	Lot   string `json:"lot"`
	Count int    `json:"count"`
	// Site is the GLN where the items are commissioned (labelled).
	Site string `json:"site"`
	// Time is when (RFC 3339); empty means now.
	Time string `json:"time,omitempty"`
}

// Check validates r and returns the GTIN-14.
func (r SerialsRequest) Check() (string, error) {
	f := &faults{}
	g := f.gtin("gtin", r.GTIN)
	f.lot("lot", r.Lot)
	if r.Count < 1 || r.Count > MaxSerials {
		f.add("count", "%d: want 1 to %d", r.Count, MaxSerials)
	}
	f.gln("site", r.Site)
	f.eventTime("time", r.Time, time.Now())
	return g, f.err()
}

// CommissionSerials builds the ObjectEvent (ADD, bizStep commissioning, disposition
// active) that gives the serials of r's lot their identity: epcList holds their
// Digital Links, and the quantityList names the lot class without a quantity, so
// that the event is in the lot's chain (the lot's history shows the issuance and a
// recall walking forward from the lot reaches the items); ILMD lotNumber says the
// same for readers of the event alone. serials must be valid AI 21 values (NewSerials
// gives them); now stands for an empty Time.
func CommissionSerials(r SerialsRequest, serials []string, now time.Time) (*epcis.Event, error) {
	f := &faults{}
	gtin := f.gtin("gtin", r.GTIN)
	lot := f.lot("lot", r.Lot)
	site := f.gln("site", r.Site)
	evTime, offset := f.eventTime("time", r.Time, now)
	if len(serials) == 0 {
		f.add("count", "no serials")
	}
	for i, s := range serials {
		if err := element("21", s); err != nil {
			f.add(fmt.Sprintf("serials[%d]", i), "not a valid serial (AI 21): %v", err)
			break
		}
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	ev := newEvent(epcis.ObjectEvent, epcis.ActionAdd, evTime, offset, site)
	ev.EPCList = make([]string, len(serials))
	for i, s := range serials {
		ev.EPCList[i] = SerialURI(gtin, s)
	}
	ev.QuantityList = []epcis.Quantity{{EPCClass: LotURI(gtin, lot)}}
	ev.BizStep, ev.Disposition = "commissioning", "active"
	ev.ILMD = []epcis.Field{strField("cbvmda:lotNumber", lot)}
	ev.Namespaces = namespaces()
	return finish(ev)
}
