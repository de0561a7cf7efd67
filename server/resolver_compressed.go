package server

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"

	"traceledger/scanner"
)

// Compressed GS1 Digital Link URIs (GS1 Digital Link: URI syntax 1.x, compression), as
// GS1's resolver standard asks a resolver to decompress them and expose the full form
// in a Link header with rel="owl:sameAs".
//
// The compressed path is a string over the URI-safe base64 alphabet, 6 bits a
// character, read as one bit string. It is a sequence of entries, each starting with 8
// bits read as two hex digits h1h2:
//
//   - 00-99: the first two digits of an AI; AIs longer than two digits take one more
//     4-bit digit each. The AI's value follows, component by component: a
//     fixed-length numeric component as a binary number of ceil(n*log2(10)) bits; a
//     variable-length numeric one as its digit count in ceil(log2(max)) bits, then the
//     number; an alphanumeric one as a 3-bit encoding (0 digits, 1 lower-case hex, 2
//     upper-case hex, 3 URI-safe base64, 4 7-bit ASCII), its length in ceil(log2(max))
//     bits when variable, then the characters (3.32, 4, 4, 6 or 7 bits each);
//   - a pre-defined sequence of AIs (table optSequences, "0B" = (01) then (10)), whose
//     values follow in that order;
//   - F0-FF: a non-GS1 key=value pair: a 7-bit key length (the low 4 bits of h2 and 3
//     more), the key in base64 characters, then the value as an alphanumeric component
//     with a 7-bit length.
//
// Decoding stops when 8 bits or fewer remain (padding to whole characters).

// safe64 is the URI-safe base64 alphabet of compressed Digital Links.
const safe64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// optSequences are the pre-defined AI sequences of the compression standard.
var optSequences = map[string][]string{
	"0A": {"01", "22"}, "0B": {"01", "10"}, "0C": {"01", "21"}, "0D": {"01", "17"}, "0E": {"01", "7003"}, "0F": {"01", "30"},
	"1A": {"01", "10", "21", "17"}, "1B": {"01", "15"}, "1C": {"01", "11"}, "1D": {"01", "16"}, "1E": {"01", "91"}, "1F": {"01", "10", "15"},
	"2A": {"01", "3100"}, "2B": {"01", "3101"}, "2C": {"01", "3102"}, "2D": {"01", "3103"}, "2E": {"01", "3104"}, "2F": {"01", "3105"},
	"3A": {"01", "3200"}, "3B": {"01", "3201"}, "3C": {"01", "3202"}, "3D": {"01", "3203"}, "3E": {"01", "3204"}, "3F": {"01", "3205"},
	"9A": {"8010", "8011"}, "9B": {"8017", "8019"}, "9C": {"8018", "8019"}, "9D": {"414", "254"},
	"A0": {"01", "3920"}, "A1": {"01", "3921"}, "A2": {"01", "3922"}, "A3": {"01", "3923"}, "A4": {"01", "3924"},
	"A5": {"01", "3925"}, "A6": {"01", "3926"}, "A7": {"01", "3927"}, "A8": {"01", "3928"}, "A9": {"01", "3929"},
	"C0": {"255", "3900"}, "C1": {"255", "3901"}, "C2": {"255", "3902"}, "C3": {"255", "3903"}, "C4": {"255", "3904"},
	"C5": {"255", "3905"}, "C6": {"255", "3906"}, "C7": {"255", "3907"}, "C8": {"255", "3908"}, "C9": {"255", "3909"},
	"CA": {"255", "3940"}, "CB": {"255", "3941"}, "CC": {"255", "3942"}, "CD": {"255", "3943"},
}

// maxCompressed bounds a compressed path: longer than any GS1 data could need.
const maxCompressed = 1024

// errNotCompressed means the text is not a compressed Digital Link path at all.
var errNotCompressed = errors.New("not a compressed GS1 Digital Link")

// bitString is a compressed path as bits, with a read cursor.
type bitString struct {
	bits []byte // 0 or 1 each
	pos  int
}

func newBitString(s string) (*bitString, error) {
	if s == "" || len(s) > maxCompressed {
		return nil, errNotCompressed
	}
	b := &bitString{bits: make([]byte, 0, 6*len(s))}
	for i := 0; i < len(s); i++ {
		v := strings.IndexByte(safe64, s[i])
		if v < 0 {
			return nil, errNotCompressed
		}
		for k := 5; k >= 0; k-- {
			b.bits = append(b.bits, byte(v>>k)&1)
		}
	}
	return b, nil
}

func (b *bitString) left() int { return len(b.bits) - b.pos }

// read returns the next n bits (n <= 63) as a number.
func (b *bitString) read(n int) (uint64, error) {
	if n > b.left() {
		return 0, fmt.Errorf("compressed data ends early at bit %d (want %d more)", b.pos, n)
	}
	var v uint64
	for _, bit := range b.bits[b.pos : b.pos+n] {
		v = v<<1 | uint64(bit)
	}
	b.pos += n
	return v, nil
}

// readDigits reads a number of digits encoded in binary and returns it padded to
// digits characters.
func (b *bitString) readDigits(digits int) (string, error) {
	n := valueBits(digits)
	if n > b.left() {
		return "", fmt.Errorf("compressed data ends early at bit %d (want %d more)", b.pos, n)
	}
	v := new(big.Int)
	for _, bit := range b.bits[b.pos : b.pos+n] {
		v.Lsh(v, 1)
		v.SetBit(v, 0, uint(bit))
	}
	b.pos += n
	s := v.String()
	if len(s) > digits {
		return "", fmt.Errorf("compressed number %s has more than %d digits", s, digits)
	}
	return strings.Repeat("0", digits-len(s)) + s, nil
}

// valueBits is the number of bits of a number of n digits: ceil(n*log2(10)).
func valueBits(n int) int { return int(math.Ceil(float64(n)*math.Log2(10) + 0.01)) }

// lengthBits is the number of bits of a length up to max: ceil(log2(max)).
func lengthBits(max int) int { return int(math.Ceil(math.Log2(float64(max)) + 0.01)) }

// readChars reads an alphanumeric value of n characters in encoding enc.
func (b *bitString) readChars(enc uint64, n int) (string, error) {
	if enc == 0 {
		return b.readDigits(n)
	}
	var sb strings.Builder
	for range n {
		switch enc {
		case 1, 2:
			v, err := b.read(4)
			if err != nil {
				return "", err
			}
			c := "0123456789abcdef"[v]
			if enc == 2 {
				c = "0123456789ABCDEF"[v]
			}
			sb.WriteByte(c)
		case 3:
			v, err := b.read(6)
			if err != nil {
				return "", err
			}
			sb.WriteByte(safe64[v])
		case 4:
			v, err := b.read(7)
			if err != nil {
				return "", err
			}
			sb.WriteByte(byte(v))
		default:
			return "", fmt.Errorf("unknown character encoding %d at bit %d", enc, b.pos-3)
		}
	}
	return sb.String(), nil
}

// compressedComponent is one part of an AI's value as compression sees it: numeric or
// not, fixed length or up to a maximum.
type compressedComponent struct {
	numeric bool
	fixed   bool
	length  int // the fixed length, or the maximum
}

// compressedFormat returns the components of ai as compression encodes them: the
// AI table's components with consecutive fixed-length ones of the same kind merged
// (GS1's compression tables write (8003) as N14 X..16, where the syntax dictionary
// splits the N14 for its check digit).
func compressedFormat(ai *scanner.AI) []compressedComponent {
	var out []compressedComponent
	for _, c := range ai.Components {
		cc := compressedComponent{numeric: c.Charset == scanner.Numeric, fixed: c.Min == c.Max && !c.Optional, length: c.Max}
		if n := len(out); n > 0 && cc.fixed && out[n-1].fixed && out[n-1].numeric == cc.numeric {
			out[n-1].length += cc.length
			continue
		}
		out = append(out, cc)
	}
	return out
}

// readValue reads the value of ai.
func (b *bitString) readValue(code string) (string, error) {
	ai := scanner.LookupAI(code)
	if ai == nil {
		return "", fmt.Errorf("AI (%s) at bit %d is not a GS1 AI", code, b.pos)
	}
	var sb strings.Builder
	for _, c := range compressedFormat(ai) {
		switch {
		case c.numeric && c.fixed:
			s, err := b.readDigits(c.length)
			if err != nil {
				return "", fmt.Errorf("AI (%s): %w", code, err)
			}
			sb.WriteString(s)
		case c.numeric:
			n, err := b.read(lengthBits(c.length))
			if err != nil {
				return "", fmt.Errorf("AI (%s): %w", code, err)
			}
			if int(n) > c.length {
				return "", fmt.Errorf("AI (%s): %d digits, at most %d", code, n, c.length)
			}
			s, err := b.readDigits(int(n))
			if err != nil {
				return "", fmt.Errorf("AI (%s): %w", code, err)
			}
			sb.WriteString(s)
		default:
			enc, err := b.read(3)
			if err != nil {
				return "", fmt.Errorf("AI (%s): %w", code, err)
			}
			n := uint64(c.length)
			if !c.fixed {
				if n, err = b.read(lengthBits(c.length)); err != nil {
					return "", fmt.Errorf("AI (%s): %w", code, err)
				}
				if int(n) > c.length {
					return "", fmt.Errorf("AI (%s): %d characters, at most %d", code, n, c.length)
				}
			}
			s, err := b.readChars(enc, int(n))
			if err != nil {
				return "", fmt.Errorf("AI (%s): %w", code, err)
			}
			sb.WriteString(s)
		}
	}
	return sb.String(), nil
}

// decompress decodes a compressed Digital Link path segment into GS1 elements and
// non-GS1 key=value pairs.
func decompress(s string) ([]scanner.Element, [][2]string, error) {
	b, err := newBitString(s)
	if err != nil {
		return nil, nil, err
	}
	var els []scanner.Element
	var other [][2]string
	for b.left() > 8 {
		hh, _ := b.read(8)
		h1, h2 := hh>>4, hh&0xf
		switch {
		case h1 <= 9 && h2 <= 9:
			ai := fmt.Sprintf("%d%d", h1, h2)
			n := scanner.AIPrefixLength(ai)
			if n == 0 {
				return nil, nil, fmt.Errorf("no GS1 AI starts with %s (bit %d)", ai, b.pos-8)
			}
			for len(ai) < n {
				d, err := b.read(4)
				if err != nil {
					return nil, nil, err
				}
				if d > 9 {
					return nil, nil, fmt.Errorf("AI %s%X is not all digits (bit %d)", ai, d, b.pos-4)
				}
				ai += fmt.Sprint(d)
			}
			v, err := b.readValue(ai)
			if err != nil {
				return nil, nil, err
			}
			els = append(els, scanner.Element{AI: ai, Value: v})
		case optSequences[fmt.Sprintf("%X", hh)] != nil:
			for _, ai := range optSequences[fmt.Sprintf("%X", hh)] {
				v, err := b.readValue(ai)
				if err != nil {
					return nil, nil, err
				}
				els = append(els, scanner.Element{AI: ai, Value: v})
			}
		case h1 == 0xF:
			rest, err := b.read(3)
			if err != nil {
				return nil, nil, err
			}
			klen := int(h2<<3 | rest)
			var key strings.Builder
			for range klen {
				v, err := b.read(6)
				if err != nil {
					return nil, nil, err
				}
				key.WriteByte(safe64[v])
			}
			enc, err := b.read(3)
			if err != nil {
				return nil, nil, err
			}
			n, err := b.read(7)
			if err != nil {
				return nil, nil, err
			}
			v, err := b.readChars(enc, int(n))
			if err != nil {
				return nil, nil, err
			}
			other = append(other, [2]string{key.String(), v})
		default:
			return nil, nil, fmt.Errorf("no compression code %02X (bit %d)", hh, b.pos-8)
		}
		if len(els) > 64 {
			return nil, nil, errors.New("too many AIs in compressed data")
		}
	}
	return els, other, nil
}

// decompressPath turns a request path that is a compressed Digital Link (fully, "/
// {compressed}", or partially, "/{key}/{value}/{compressed}") into the uncompressed
// path and query on the canonical form. It returns errNotCompressed when the path is
// neither.
func decompressPath(path string) (string, error) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var els []scanner.Element
	var last string
	switch len(segs) {
	case 1:
		last = segs[0]
	case 3:
		if a := scanner.LookupAI(segs[0]); a == nil || !a.DLPrimaryKey {
			return "", errNotCompressed
		}
		els = append(els, scanner.Element{AI: segs[0], Value: segs[1]})
		last = segs[2]
	default:
		return "", errNotCompressed
	}
	more, other, err := decompress(last)
	if err != nil {
		return "", err
	}
	d := scanner.Data{Elements: append(els, more...)}
	dl, err := d.DigitalLink(scanner.CanonicalStem)
	if err != nil {
		return "", fmt.Errorf("decompressed data: %w", err)
	}
	dl = strings.TrimPrefix(dl, scanner.CanonicalStem)
	for _, kv := range other {
		sep := "?"
		if strings.Contains(dl, "?") {
			sep = "&"
		}
		dl += sep + kv[0] + "=" + kv[1]
	}
	return dl, nil
}
