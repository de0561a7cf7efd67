package epcis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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

// parseValue decodes one JSON value from data, keeping member order.
func parseValue(data []byte) (value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec, 0)
	if err != nil {
		return value{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return value{}, fmt.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder, depth int) (value, error) {
	if depth > maxDepth {
		return value{}, fmt.Errorf("JSON nested deeper than %d levels", maxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return value{}, io.ErrUnexpectedEOF
		}
		return value{}, err
	}
	switch t := tok.(type) {
	case nil:
		return value{kind: kindNull}, nil
	case string:
		return value{kind: kindString, str: t}, nil
	case json.Number:
		return value{kind: kindNumber, str: t.String()}, nil
	case bool:
		if t {
			return value{kind: kindBool, str: "true"}, nil
		}
		return value{kind: kindBool, str: "false"}, nil
	case json.Delim:
		switch t {
		case '[':
			v := value{kind: kindArray, arr: []value{}}
			for dec.More() {
				e, err := decodeValue(dec, depth+1)
				if err != nil {
					return value{}, err
				}
				v.arr = append(v.arr, e)
			}
			_, err := dec.Token()
			return v, err
		case '{':
			v := value{kind: kindObject, obj: []member{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return value{}, err
				}
				k, ok := kt.(string)
				if !ok {
					return value{}, fmt.Errorf("object key is not a string")
				}
				e, err := decodeValue(dec, depth+1)
				if err != nil {
					return value{}, err
				}
				v.obj = append(v.obj, member{k, e})
			}
			_, err := dec.Token()
			return v, err
		}
	}
	return value{}, fmt.Errorf("unexpected JSON token %v", tok)
}

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
