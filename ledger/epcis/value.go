package epcis

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// value is a JSON value that keeps the order of object members, so that extension
// fields and documents can be written back as they came and hashed as the reference
// implementation hashes them.
type value struct {
	kind kind
	// repeated marks an array built from repeated XML elements.
	repeated bool
	str      string   // string text, or a number's literal text, or "true"/"false"
	arr      []value  // kindArray
	obj      []member // kindObject
	// src is the value's JSON text as read when it is exactly what raw writes (compact,
	// no escapes to redo), so that raw can copy it; "" otherwise.
	src string
}

type kind uint8

const (
	kindNull kind = iota
	kindString
	kindNumber
	kindBool
	kindArray
	kindObject
)

// A member is one name/value pair of a JSON object.
type member struct {
	key string
	val value
}

// maxDepth bounds nesting so that hostile documents cannot exhaust the stack.
const maxDepth = 200

// get returns the member named key of an object, if any.
func (v value) get(key string) (value, bool) {
	for _, m := range v.obj {
		if m.key == key {
			return m.val, true
		}
	}
	return value{}, false
}

// raw encodes v back to compact JSON.
func (v value) raw() json.RawMessage {
	if v.src != "" {
		return []byte(v.src)
	}
	return v.appendJSON(nil)
}

// appendJSON appends v as compact JSON.
func (v value) appendJSON(b []byte) []byte {
	if v.src != "" {
		return append(b, v.src...)
	}
	switch v.kind {
	case kindNull:
		b = append(b, "null"...)
	case kindString:
		b = appendJSONString(b, v.str)
	case kindNumber, kindBool:
		b = append(b, v.str...)
	case kindArray:
		b = append(b, '[')
		for i, e := range v.arr {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.appendJSON(b)
		}
		b = append(b, ']')
	case kindObject:
		b = append(b, '{')
		for i, m := range v.obj {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, m.key)
			b = append(b, ':')
			b = m.val.appendJSON(b)
		}
		b = append(b, '}')
	}
	return b
}

// appendJSONString appends s as encoding/json writes a string.
func appendJSONString(b []byte, s string) []byte {
	if plainJSONString(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	enc, _ := json.Marshal(s) // cannot fail for a string
	return append(b, enc...)
}

// plainJSONString reports whether encoding/json writes s as it is between quotes: valid
// UTF-8 without control characters, '"', '\\', the HTML characters '<', '>' and '&', or
// U+2028 and U+2029.
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if stringByte[c] == 0 {
			continue
		}
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size - 1
	}
	return true
}

// typeName names a JSON value's kind for error messages.
func (v value) typeName() string {
	return [...]string{"null", "string", "number", "boolean", "array", "object"}[v.kind]
}

// scalarText is the text of a string, number or boolean, and false otherwise.
func (v value) scalarText() (string, bool) {
	switch v.kind {
	case kindString, kindNumber, kindBool:
		return v.str, true
	}
	return "", false
}

// prefixOf splits a compact IRI "ex:name" into prefix and local name; ok is false for
// absolute IRIs ("https://…", "urn:…") and names without a colon.
func prefixOf(key string) (prefix, local string, ok bool) {
	i := strings.IndexByte(key, ':')
	if i <= 0 {
		return "", "", false
	}
	prefix, local = key[:i], key[i+1:]
	if strings.HasPrefix(local, "//") {
		return "", "", false
	}
	return prefix, local, true
}
