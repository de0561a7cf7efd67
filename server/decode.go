package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// DecodeJSON reads one JSON value from r into v and turns every way that can fail
// into a 400 problem naming where: the JSON path of the value at fault
// ("eventList[2].bizStep", which encoding/json cannot say because it drops array
// indices) and the byte offset. A body over the server's size limit stays a 413,
// trailing data after the value is an error, and unknown fields are rejected when
// strict is set (request types of the native API) but allowed otherwise (EPCIS
// documents carry extension members).
func DecodeJSON(r io.Reader, v any, strict bool) error {
	data, err := io.ReadAll(r)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(mbe.Limit)
		}
		return BadRequest("", "cannot read the request body: "+err.Error()).WithCause(err)
	}
	return decodeJSONBytes(data, v, strict)
}

// decodeJSONBytes is DecodeJSON on a body already read.
func decodeJSONBytes(data []byte, v any, strict bool) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return BadRequest("", "the request body is empty; a JSON value is required")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if strict {
		dec.DisallowUnknownFields()
	}
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			off := dec.InputOffset()
			return &Problem{Type: ValidationException, Title: http.StatusText(http.StatusBadRequest),
				Status: http.StatusBadRequest, Offset: off,
				Detail: fmt.Sprintf("unexpected data after the JSON value at byte %d", off)}
		}
		return nil
	}
	var (
		se *json.SyntaxError
		te *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &se):
		path, _ := jsonPathAt(data, se.Offset)
		return &Problem{Type: ValidationException, Title: http.StatusText(http.StatusBadRequest),
			Status: http.StatusBadRequest, Field: path, Offset: se.Offset,
			Detail: fmt.Sprintf("malformed JSON at byte %d: %s", se.Offset, se.Error())}
	case errors.As(err, &te):
		_, path := jsonPathAt(data, te.Offset)
		if path == "" {
			path = te.Field
		}
		want := "a different type"
		if te.Type != nil {
			want = jsonKind(te.Type.String())
		}
		return &Problem{Type: ValidationException, Title: http.StatusText(http.StatusBadRequest),
			Status: http.StatusBadRequest, Field: path, Offset: te.Offset,
			Detail: fmt.Sprintf("%s is a JSON %s but must be %s", orRoot(path), te.Value, want)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		n := int64(len(data))
		path, _ := jsonPathAt(data, n)
		return &Problem{Type: ValidationException, Title: http.StatusText(http.StatusBadRequest),
			Status: http.StatusBadRequest, Field: path, Offset: n,
			Detail: "malformed JSON: the body ends before the JSON value does"}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		path, off := jsonMemberPath(data, name)
		return &Problem{Type: ValidationException, Title: http.StatusText(http.StatusBadRequest),
			Status: http.StatusBadRequest, Field: path, Offset: off,
			Detail: fmt.Sprintf("unknown field %q", name)}
	}
	// Errors from a type's own UnmarshalJSON: the input is at fault, not the server.
	return BadRequest("", "invalid JSON value: "+err.Error()).WithCause(err)
}

// orRoot names a JSON path for a message, the empty path being the whole body.
func orRoot(path string) string {
	if path == "" {
		return "the body"
	}
	return path
}

// jsonKind describes a Go type as the JSON a client should have sent.
func jsonKind(goType string) string {
	switch {
	case goType == "string" || strings.HasSuffix(goType, "time.Time"):
		return "a string"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint"):
		return "an integer"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case strings.HasPrefix(goType, "[]") || strings.HasPrefix(goType, "["):
		return "an array"
	case strings.HasPrefix(goType, "map["):
		return "an object"
	}
	return "an object"
}

// jsonPathAt walks the JSON in data with a tokenizer up to byte offset off and
// reports two paths in the dotted/indexed form clients use ("eventList[2].bizStep"):
// where the tokenizer stands at off (the container and member being parsed, right
// for syntax errors), and the path of the last value that began before off (right
// for type errors, whose offset lies just past the offending value). Input past a
// syntax error is ignored; both paths are "" for a top-level value.
func jsonPathAt(data []byte, off int64) (at, last string) {
	type frame struct {
		array bool
		index int    // array: elements completed so far
		key   string // object: the member being read
		inKey bool   // object: the next string token is a key
	}
	var stack []frame
	render := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.array {
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			} else if f.key != "" {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			}
		}
		return b.String()
	}
	valueDone := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].inKey = true
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for dec.InputOffset() < off {
		before := render()
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{':
				last = before
				stack = append(stack, frame{inKey: true})
			case '[':
				last = before
				stack = append(stack, frame{array: true})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
			continue
		}
		if n := len(stack); n > 0 && !stack[n-1].array && stack[n-1].inKey {
			stack[n-1].key, _ = tok.(string)
			stack[n-1].inKey = false
			continue
		}
		last = before
		valueDone()
	}
	return render(), last
}

// jsonMemberPath returns the path and offset of the first object member named name
// in data (encoding/json reports unknown fields by name only, and in document
// order, so the first one of that name is the culprit unless the same name is
// valid at an earlier, different level). It returns name itself if not found.
func jsonMemberPath(data []byte, name string) (string, int64) {
	dec := json.NewDecoder(bytes.NewReader(data))
	for tries := 0; tries < 64; { // each try rewalks the body: bound the work
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return name, 0
		}
		if s, ok := tok.(string); ok && s == name {
			tries++
			// A key leaves the walker inside its object with the key current.
			if at, _ := jsonPathAt(data, dec.InputOffset()); at == name || strings.HasSuffix(at, "."+name) {
				return at, off
			}
		}
	}
	return name, 0
}

// formatBytes writes a byte count for people: 1048576 as "1 MiB".
func formatBytes(n int64) string {
	const unit = 1024
	switch {
	case n >= unit*unit*unit && n%(unit*unit*unit) == 0:
		return strconv.FormatInt(n/(unit*unit*unit), 10) + " GiB"
	case n >= unit*unit && n%(unit*unit) == 0:
		return strconv.FormatInt(n/(unit*unit), 10) + " MiB"
	case n >= unit && n%unit == 0:
		return strconv.FormatInt(n/unit, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
