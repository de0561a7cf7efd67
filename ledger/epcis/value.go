package epcis

import (
	"bytes"
	"encoding/json"
	"strings"
)

// value is a JSON value that keeps the order of object members, so that extension
// fields and documents can be written back as they came and hashed as the reference
// implementation hashes them.
type value struct {
	kind kind
	str  string   // string text, or a number's literal text, or "true"/"false"
	arr  []value  // kindArray
	obj  []member // kindObject
	// repeated marks an array built from repeated XML elements.
	repeated bool
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
	var b bytes.Buffer
	v.encode(&b)
	return b.Bytes()
}

func (v value) encode(b *bytes.Buffer) {
	switch v.kind {
	case kindNull:
		b.WriteString("null")
	case kindString:
		writeString(b, v.str)
	case kindNumber, kindBool:
		b.WriteString(v.str)
	case kindArray:
		b.WriteByte('[')
		for i, e := range v.arr {
			if i > 0 {
				b.WriteByte(',')
			}
			e.encode(b)
		}
		b.WriteByte(']')
	case kindObject:
		b.WriteByte('{')
		for i, m := range v.obj {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, m.key)
			b.WriteByte(':')
			m.val.encode(b)
		}
		b.WriteByte('}')
	}
}

func writeString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s) // cannot fail for a string
	b.Write(enc)
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
