package main

import (
	"errors"
	"io"
)

// An arraySplitter reads the values of a JSON array one by one as raw bytes
// without decoding them: it follows strings (with their escapes) and brackets
// only, which is a fraction of what a JSON decoder does per byte. Streaming import
// parses every chunk of values as a document afterwards, so a malformed value only
// has to end somewhere to be rejected there.
type arraySplitter struct {
	r     io.Reader
	buf   []byte
	pos   int
	first bool // no value read yet
}

// newArraySplitter reads the values of the array whose opening bracket r has just
// passed.
func newArraySplitter(r io.Reader) *arraySplitter {
	return &arraySplitter{r: r, buf: make([]byte, 0, 1<<20), first: true}
}

// errSplit reports bytes that cannot be the array's values or its end.
var errSplit = errors.New("malformed event list")

// peek returns the next byte without taking it; false at the end of the input.
func (s *arraySplitter) peek() (byte, bool, error) {
	if s.pos == len(s.buf) {
		n, err := s.r.Read(s.buf[:cap(s.buf)])
		for n == 0 && err == nil {
			n, err = s.r.Read(s.buf[:cap(s.buf)])
		}
		s.buf, s.pos = s.buf[:n], 0
		if n == 0 {
			if err == io.EOF {
				return 0, false, nil
			}
			return 0, false, err
		}
	}
	return s.buf[s.pos], true, nil
}

// skipSpace takes JSON white space and returns the byte after it.
func (s *arraySplitter) skipSpace() (byte, bool, error) {
	for {
		c, ok, err := s.peek()
		if !ok || err != nil {
			return 0, false, err
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return c, true, nil
		}
	}
}

// next appends the next value of the array to dst[:0] and returns it, or returns
// io.EOF after taking the array's closing bracket.
func (s *arraySplitter) next(dst []byte) ([]byte, error) {
	c, ok, err := s.skipSpace()
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, errSplit
	case c == ']':
		s.pos++
		return nil, io.EOF
	case !s.first:
		if c != ',' {
			return nil, errSplit
		}
		s.pos++
		if c, ok, err = s.skipSpace(); err != nil || !ok {
			return nil, errors.Join(err, errSplit)
		}
	}
	s.first = false
	out := dst[:0]
	depth, inString, escaped := 0, false, false
	for {
		if s.pos == len(s.buf) {
			if _, ok, err := s.peek(); err != nil || !ok {
				return nil, errors.Join(err, errSplit)
			}
		}
		chunk := s.buf[s.pos:]
		for i, c := range chunk {
			switch {
			case inString:
				switch {
				case escaped:
					escaped = false
				case c == '\\':
					escaped = true
				case c == '"':
					inString = false
				}
				continue
			case c == '"':
				inString = true
				continue
			case c == '{' || c == '[':
				depth++
				continue
			case c == '}' || c == ']':
				if depth == 0 { // the array's end after a scalar
					out = append(out, chunk[:i]...)
					s.pos += i
					return out, nil
				}
				depth--
				if depth == 0 {
					out = append(out, chunk[:i+1]...)
					s.pos += i + 1
					return out, nil
				}
				continue
			case depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r'):
				out = append(out, chunk[:i]...)
				s.pos += i
				return out, nil
			}
		}
		out = append(out, chunk...)
		s.pos = len(s.buf)
	}
}

// end takes what must follow the event list of a streamable document: the end of
// epcisBody and of the document, and nothing after it. A member after the body
// makes the document not streamable.
func (s *arraySplitter) end() error {
	for _, want := range []byte{'}', '}'} {
		c, ok, err := s.skipSpace()
		if err != nil {
			return err
		}
		if ok && c == ',' { // more members in the body, or after it
			return errNotStreamable
		}
		if !ok || c != want {
			return errSplit
		}
		s.pos++
	}
	if _, ok, err := s.skipSpace(); err != nil || ok {
		return errors.Join(err, errAfterDocument)
	}
	return nil
}

// errAfterDocument reports bytes after the document's closing brace.
var errAfterDocument = errors.New("data after the document")
