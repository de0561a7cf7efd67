package epcis

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// A hand-written JSON reader into value: encoding/json's token API, which keeps member
// order, costs several times more, and reading is on the capture path of every event.
// It follows RFC 8259; invalid UTF-8 in strings becomes U+FFFD as in encoding/json.

type jsonParser struct {
	data []byte
	// src is data as a string, converted once: the strings of the values are slices of
	// it.
	src string
	pos int
	// dirty counts what makes a value's text differ from what raw writes: whitespace
	// between tokens and strings that raw escapes differently. A value whose parse
	// leaves it unchanged keeps its text as value.src.
	dirty int
	// members and elems are stacks where objects and arrays collect their items before
	// they are copied out to a slice of the right size.
	members []member
	elems   []value
	// memberArena and elemArena are where the finished objects and arrays are copied
	// to, a chunk at a time instead of one allocation each. A chunk belongs to the tree
	// it was handed out for: it is dropped, never reused, when the parser is pooled.
	memberArena []member
	elemArena   []value
	// memberChunk and elemChunk are the largest arena chunks of this input.
	memberChunk []member
	elemChunk   []value
	// memberHint and elemHint size the first chunks: what the last input needed per
	// byte (in 1/1024ths), as a pooled parser sees a stream of similar documents.
	memberHint, elemHint int
	// membersUsed and elemsUsed count what this input needs.
	membersUsed, elemsUsed int
}

// arenaSlice copies items to the end of *arena, starting a new chunk when it is full
// (hint is the estimate for the whole input, used what it has taken so far), and
// returns the copy with its capacity capped.
// The largest chunk is remembered in *largest: it is the one kept for the next input.
func arenaSlice[T any](arena, largest *[]T, items []T, hint, used int) []T {
	if cap(*arena)-len(*arena) < len(items) {
		size := hint // the whole input's estimate for a first chunk,
		if cap(*arena) > 0 {
			size = max(hint-used, hint/8) // what is left of it for a further one
		}
		*arena = make([]T, 0, max(size, len(items), 8))
		if cap(*arena) > cap(*largest) {
			*largest = *arena
		}
	}
	start := len(*arena)
	*arena = append(*arena, items...)
	return (*arena)[start:len(*arena):len(*arena)]
}

// stringByte marks the bytes the string scanner must look at: the closing quote, the
// escape, control characters, and those plainJSONString may object to.
var stringByte = func() (t [256]uint8) {
	for c := range t {
		if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= 0x80 {
			t[c] = 1
		}
	}
	return t
}()

// jsonParsers keeps parsers with their stacks between documents.
var jsonParsers = sync.Pool{New: func() any { return new(jsonParser) }}

// parseValue decodes one JSON value from data, keeping member order.
func parseValue(data []byte) (value, error) {
	p := getParser(data)
	defer p.release(false)
	return p.parseAll()
}

// getParser takes a pooled parser for data. The value it parses stays valid until
// release(true); with release(false) it is the caller's for good.
func getParser(data []byte) *jsonParser {
	p := jsonParsers.Get().(*jsonParser)
	*p = jsonParser{data: data, src: string(data), members: p.members[:0], elems: p.elems[:0],
		memberArena: p.memberArena[:0], elemArena: p.elemArena[:0],
		memberChunk: p.memberArena[:0], elemChunk: p.elemArena[:0],
		memberHint: p.memberHint*len(data)/1024 + 4, elemHint: p.elemHint*len(data)/1024 + 2}
	if p.memberHint <= 4 { // nothing learnt yet
		p.memberHint, p.elemHint = len(data)/48, len(data)/192
	}
	// A kept chunk too small for this input would leave a piecemeal tail: start
	// afresh with one chunk of the whole estimate, to be kept in its turn.
	if cap(p.memberArena) < p.memberHint {
		p.memberArena, p.memberChunk = nil, nil
	}
	if cap(p.elemArena) < p.elemHint {
		p.elemArena, p.elemChunk = nil, nil
	}
	return p
}

// release pools the parser. With reuse, the last chunks of its arenas are kept for the
// next document, so the value it parsed must be out of use: ParseDocument and
// ParseEvent copy out everything they keep (strings are slices of a copy of the input,
// extension values are copied by raw).
func (p *jsonParser) release(reuse bool) {
	if cap(p.members) > 4096 || cap(p.elems) > 4096 {
		return // let outsized stacks go
	}
	clear(p.members[:cap(p.members)])
	clear(p.elems[:cap(p.elems)])
	var members []member
	var elems []value
	if reuse && cap(p.memberChunk) <= 1<<14 && cap(p.elemChunk) <= 1<<14 {
		members, elems = p.memberChunk[:cap(p.memberChunk)], p.elemChunk[:cap(p.elemChunk)]
		clear(members)
		clear(elems)
		members, elems = members[:0], elems[:0]
	}
	// The hints learn what this input needed.
	n := max(len(p.data), 1)
	*p = jsonParser{members: p.members[:0], elems: p.elems[:0], memberArena: members, elemArena: elems,
		memberHint: p.membersUsed * 1024 / n, elemHint: p.elemsUsed * 1024 / n}
	jsonParsers.Put(p)
}

// parseAll parses the whole input as one JSON value.
func (p *jsonParser) parseAll() (value, error) {
	p.space()
	v, err := p.value(0)
	if err != nil {
		return value{}, err
	}
	p.space()
	if p.pos != len(p.data) {
		return value{}, p.errorf("unexpected data after the JSON value")
	}
	return v, nil
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

var errUnexpectedEnd = errors.New("unexpected end of JSON input")

func (p *jsonParser) space() {
	start := p.pos
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			if p.pos > start {
				p.dirty++
			}
			return
		}
	}
	if p.pos > start {
		p.dirty++
	}
}

func (p *jsonParser) value(depth int) (value, error) {
	start, dirty := p.pos, p.dirty
	members, elems := len(p.members), len(p.elems)
	v, err := p.parse(depth)
	p.members, p.elems = p.members[:members], p.elems[:elems]
	if err == nil && p.dirty == dirty {
		v.src = p.src[start:p.pos]
	}
	return v, err
}

func (p *jsonParser) parse(depth int) (value, error) {
	if depth > maxDepth {
		return value{}, p.errorf("JSON nested deeper than %d levels", maxDepth)
	}
	if p.pos >= len(p.data) {
		return value{}, errUnexpectedEnd
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		p.pos++
		v := value{kind: kindObject, obj: []member{}}
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			return v, nil
		}
		base := len(p.members)
		for {
			p.space()
			if p.pos >= len(p.data) {
				return value{}, errUnexpectedEnd
			}
			if p.data[p.pos] != '"' {
				return value{}, p.errorf("object key is not a string")
			}
			k, err := p.str()
			if err != nil {
				return value{}, err
			}
			p.space()
			if p.pos >= len(p.data) {
				return value{}, errUnexpectedEnd
			}
			if p.data[p.pos] != ':' {
				return value{}, p.errorf("missing ':' after object key")
			}
			p.pos++
			p.space()
			e, err := p.value(depth + 1)
			if err != nil {
				return value{}, err
			}
			p.members = append(p.members, member{k, e})
			p.space()
			if p.pos >= len(p.data) {
				return value{}, errUnexpectedEnd
			}
			switch p.data[p.pos] {
			case ',':
				p.pos++
			case '}':
				p.pos++
				p.membersUsed += len(p.members) - base
				v.obj = arenaSlice(&p.memberArena, &p.memberChunk, p.members[base:], p.memberHint, p.membersUsed)
				return v, nil
			default:
				return value{}, p.errorf("want ',' or '}' in object")
			}
		}
	case c == '[':
		p.pos++
		v := value{kind: kindArray, arr: []value{}}
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			return v, nil
		}
		base := len(p.elems)
		for {
			p.space()
			e, err := p.value(depth + 1)
			if err != nil {
				return value{}, err
			}
			p.elems = append(p.elems, e)
			p.space()
			if p.pos >= len(p.data) {
				return value{}, errUnexpectedEnd
			}
			switch p.data[p.pos] {
			case ',':
				p.pos++
			case ']':
				p.pos++
				p.elemsUsed += len(p.elems) - base
				v.arr = arenaSlice(&p.elemArena, &p.elemChunk, p.elems[base:], p.elemHint, p.elemsUsed)
				return v, nil
			default:
				return value{}, p.errorf("want ',' or ']' in array")
			}
		}
	case c == '"':
		s, err := p.str()
		return value{kind: kindString, str: s}, err
	case c == 't':
		return p.literal("true", value{kind: kindBool, str: "true"})
	case c == 'f':
		return p.literal("false", value{kind: kindBool, str: "false"})
	case c == 'n':
		return p.literal("null", value{kind: kindNull})
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	default:
		return value{}, p.errorf("invalid character %q", c)
	}
}

func (p *jsonParser) literal(word string, v value) (value, error) {
	if !strings.HasPrefix(p.src[p.pos:], word) {
		return value{}, p.errorf("invalid literal, want %s", word)
	}
	p.pos += len(word)
	return v, nil
}

// number scans -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)? and keeps its text.
func (p *jsonParser) number() (value, error) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return value{}, p.errorf("invalid number")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return value{}, p.errorf("invalid number: no digit after '.'")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return value{}, p.errorf("invalid number: no digit in exponent")
		}
	}
	return value{kind: kindNumber, str: p.src[start:p.pos]}, nil
}

// str reads a string starting at the opening quote.
func (p *jsonParser) str() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes.
	special := false // a byte that may make raw write the string otherwise
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if stringByte[c] == 0 {
			p.pos++
			continue
		}
		if c == '"' {
			s := p.src[start:p.pos]
			p.pos++
			if special && !plainJSONString(s) {
				p.dirty++ // raw writes it otherwise
				if !utf8.ValidString(s) {
					s = strings.ToValidUTF8(s, "\uFFFD")
				}
			}
			return s, nil
		}
		if c == '\\' {
			p.dirty++
			break
		}
		if c < 0x20 {
			return "", p.errorf("control character in string")
		}
		special = true
		p.pos++
	}
	var b strings.Builder
	b.Write(p.data[start:p.pos])
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			s := b.String()
			if !utf8.ValidString(s) {
				s = strings.ToValidUTF8(s, "\uFFFD")
			}
			return s, nil
		case c < 0x20:
			return "", p.errorf("control character in string")
		case c != '\\':
			b.WriteByte(c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= len(p.data) {
			return "", errUnexpectedEnd
		}
		e := p.data[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, err := p.hex4()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					if r2, err = p.hex4(); err != nil {
						return "", err
					}
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						b.WriteRune(d)
						continue
					}
					p.pos = save
				}
				r = utf8.RuneError
			}
			b.WriteRune(r)
		default:
			return "", p.errorf("invalid escape '\\%c' in string", e)
		}
	}
	return "", errUnexpectedEnd
}

func (p *jsonParser) hex4() (rune, error) {
	if p.pos+4 > len(p.data) {
		return 0, errUnexpectedEnd
	}
	n, err := strconv.ParseUint(string(p.data[p.pos:p.pos+4]), 16, 32)
	if err != nil {
		return 0, p.errorf("invalid \\u escape")
	}
	p.pos += 4
	return rune(n), nil
}
