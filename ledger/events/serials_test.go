package events

import (
	"bytes"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"traceledger/scanner"
)

// TestNewSerialsUniqueValidUnguessable issues the largest batch and checks that the
// serials are distinct, valid AI 21 values that need no percent-encoding in a Digital
// Link, and not sequential: no two serials issued one after the other are neighbours
// as base-64 numbers, and no serial shares a long prefix with the next (a counter
// would share all but the last digits).
func TestNewSerialsUniqueValidUnguessable(t *testing.T) {
	start := time.Now()
	ss, err := NewSerials(MaxSerials)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d serials in %v", len(ss), time.Since(start))
	seen := make(map[string]bool, len(ss))
	var first [64]int
	val := func(s string) *big.Int {
		n := new(big.Int)
		for i := 0; i < len(s); i++ {
			n.Lsh(n, 6).Or(n, big.NewInt(int64(strings.IndexByte(SerialAlphabet, s[i]))))
		}
		return n
	}
	one := big.NewInt(1)
	for i, s := range ss {
		if len(s) != SerialLength {
			t.Fatalf("serial %q has %d characters", s, len(s))
		}
		if seen[s] {
			t.Fatalf("serial %q issued twice", s)
		}
		seen[s] = true
		first[strings.IndexByte(SerialAlphabet, s[0])]++
		if i > 0 {
			d := new(big.Int).Sub(val(s), val(ss[i-1]))
			if d.CmpAbs(one) <= 0 {
				t.Fatalf("serials %q and %q are consecutive", ss[i-1], s)
			}
			if common := commonPrefix(s, ss[i-1]); common > 6 {
				t.Fatalf("serials %q and %q share %d leading characters", ss[i-1], s, common)
			}
		}
		if i%97 == 0 { // the AI table and Digital Link checks are costlier: sample them
			d := scanner.Data{Elements: []scanner.Element{{AI: "01", Value: tGTIN}, {AI: "21", Value: s}}}
			if err := d.Validate(scanner.Options{}); err != nil {
				t.Fatalf("serial %q: %v", s, err)
			}
			if got, want := SerialURI(tGTIN, s), "https://id.gs1.org/01/"+tGTIN+"/21/"+s; got != want {
				t.Fatalf("Digital Link %s, want %s (no percent-encoding)", got, want)
			}
		}
	}
	// Leading characters are spread over the whole alphabet (expected 1562 each).
	for i, n := range first {
		if n < 1200 || n > 1950 {
			t.Errorf("leading character %q appears %d times in %d serials", SerialAlphabet[i], n, len(ss))
		}
	}
	for i := 0; i < len(SerialAlphabet); i++ {
		if err := element("21", SerialAlphabet[i:i+1]); err != nil {
			t.Errorf("%q is not in CSET 82: %v", SerialAlphabet[i], err)
		}
	}
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// TestSerialFromUUIDUsesTheRandomBits checks the bit layout: flipping any of the 120
// used random bits of a UUID changes the serial, and the version and variant bits
// never matter.
func TestSerialFromUUIDUsesTheRandomBits(t *testing.T) {
	u := uuid.MustParse("6ba7b810-9dad-41d1-80b4-00c04fd430c8")
	base := SerialFromUUID(u)
	changed := 0
	for bit := 0; bit < 128; bit++ {
		v := u
		v[bit/8] ^= 0x80 >> (bit % 8)
		if SerialFromUUID(v) != base {
			changed++
		}
	}
	if changed != 120 {
		t.Errorf("%d of 128 bits change the serial, want 120", changed)
	}
	if got := SerialFromUUID(uuid.UUID{}); got != strings.Repeat("0", 20) {
		t.Errorf("zero UUID gives %q", got)
	}
}

func TestNewSerialsBounds(t *testing.T) {
	for _, n := range []int{0, -1, MaxSerials + 1} {
		if _, err := NewSerials(n); err == nil {
			t.Errorf("NewSerials(%d): no error", n)
		}
	}
	// A broken random source that repeats itself is detected, not looped on.
	if _, err := newSerials(3, bytes.NewReader(bytes.Repeat([]byte{7}, 16*100))); err == nil {
		t.Error("a constant random source gave distinct serials")
	}
}

func BenchmarkNewSerials(b *testing.B) {
	for b.Loop() {
		if _, err := NewSerials(1000); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommissionSerials100k builds the issuance event of the largest batch.
func BenchmarkCommissionSerials100k(b *testing.B) {
	ss, err := NewSerials(MaxSerials)
	if err != nil {
		b.Fatal(err)
	}
	r := SerialsRequest{GTIN: tGTIN, Lot: "YG260303", Count: len(ss), Site: tSite}
	for b.Loop() {
		if _, err := CommissionSerials(r, ss, tNow); err != nil {
			b.Fatal(err)
		}
	}
}
