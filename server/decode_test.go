package server

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// captureDoc stands for the shape of an EPCIS document, for the path tests.
type captureDoc struct {
	Type string `json:"type"`
	Body struct {
		EventList []struct {
			BizStep  string `json:"bizStep"`
			Quantity []struct {
				Quantity float64 `json:"quantity"`
			} `json:"quantityList"`
			When time.Time `json:"eventTime"`
		} `json:"eventList"`
	} `json:"epcisBody"`
}

func TestDecodeJSONNamesThePathAtFault(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		strict bool
		field  string
		offset int64
		detail string
	}{
		{name: "wrong type in the third event",
			body:  `{"epcisBody":{"eventList":[{},{"bizStep":"shipping"},{"bizStep":5}]}}`,
			field: "epcisBody.eventList[2].bizStep", offset: 65, detail: "is a JSON number but must be a string"},
		{name: "wrong type deep in an array",
			body:  `{"epcisBody":{"eventList":[{"quantityList":[{"quantity":1},{"quantity":"2"}]}]}}`,
			field: "epcisBody.eventList[0].quantityList[1].quantity", detail: "must be a number"},
		{name: "array where an object belongs",
			body: `{"epcisBody":[]}`, field: "epcisBody", detail: "is a JSON array but must be an object"},
		{name: "bad time",
			body:  `{"epcisBody":{"eventList":[{"eventTime":"yesterday"}]}}`,
			field: "", detail: "invalid JSON value"},
		{name: "syntax error in an array",
			body:  `{"epcisBody":{"eventList":[{"bizStep":"x"},]}}`,
			field: "epcisBody.eventList[1]", offset: 44, detail: "malformed JSON at byte 44"},
		{name: "syntax error after a member",
			body: `{"type":"EPCISDocument" "epcisBody":{}}`, field: "type", offset: 25, detail: "malformed JSON"},
		{name: "truncated",
			body: `{"epcisBody":{"eventList":[{"bizStep":"x"`, field: "epcisBody.eventList[0].bizStep",
			detail: "ends before"},
		{name: "empty", body: "  \n", detail: "empty"},
		{name: "trailing value", body: `{} []`, detail: "after the JSON value"},
		{name: "unknown field, strict", body: `{"epcisBody":{"eventList":[{"bizStp":"x"}]}}`, strict: true,
			field: "epcisBody.eventList[0].bizStp", detail: `unknown field "bizStp"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc captureDoc
			err := DecodeJSON(strings.NewReader(tt.body), &doc, tt.strict)
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("error %v is not a Problem", err)
			}
			if p.Status != http.StatusBadRequest || p.Type != ValidationException {
				t.Errorf("status %d type %s", p.Status, p.Type)
			}
			if p.Field != tt.field {
				t.Errorf("field %q, want %q (%s)", p.Field, tt.field, p.Detail)
			}
			if tt.offset != 0 && p.Offset != tt.offset {
				t.Errorf("offset %d, want %d", p.Offset, tt.offset)
			}
			if !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("detail %q lacks %q", p.Detail, tt.detail)
			}
		})
	}
}

func TestDecodeJSONAcceptsExtensionsUnlessStrict(t *testing.T) {
	body := `{"type":"EPCISDocument","example:ext":{"a":[1,2]},"epcisBody":{"eventList":[{"bizStep":"shipping"}]}}`
	var doc captureDoc
	if err := DecodeJSON(strings.NewReader(body), &doc, false); err != nil {
		t.Fatal(err)
	}
	if doc.Body.EventList[0].BizStep != "shipping" {
		t.Errorf("decoded %+v", doc)
	}
	if err := DecodeJSON(strings.NewReader(body), &doc, true); err == nil {
		t.Error("strict decoding accepted an unknown member")
	}
}

func TestDecodeJSONOverTheLimitIs413(t *testing.T) {
	r := http.MaxBytesReader(nil, io.NopCloser(strings.NewReader(`{"type":"`+strings.Repeat("x", 100)+`"}`)), 10)
	var doc captureDoc
	err := DecodeJSON(r, &doc, false)
	var p *Problem
	if !errors.As(err, &p) || p.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("got %v", err)
	}
}

func TestJSONPathAt(t *testing.T) {
	const doc = `{"a":{"b":[10,{"c":true},[1,2]]},"d":"x"}`
	tests := []struct {
		off      int64
		at, last string
	}{
		{0, "", ""},
		{1, "", ""},
		{4, "a", ""},
		{12, "a.b[1]", "a.b[0]"},       // after 10,
		{23, "a.b[1].c", "a.b[1].c"},   // after true
		{29, "a.b[2][2]", "a.b[2][1]"}, // after 2: the next element
		{int64(len(doc)), "", "d"},
	}
	for _, tt := range tests {
		at, last := jsonPathAt([]byte(doc), tt.off)
		if at != tt.at || last != tt.last {
			t.Errorf("jsonPathAt(%d) = %q, %q; want %q, %q", tt.off, at, last, tt.at, tt.last)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1000: "1000 bytes", 1024: "1 KiB", 16 << 20: "16 MiB", 3 << 30: "3 GiB"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// FuzzDecodeJSON: any body decodes or fails with a 400 problem; never a panic, never
// another status.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"epcisBody":{"eventList":[{},{"bizStep":5}]}}`,
		`{"epcisBody":{"eventList":[{"quantityList":[{"quantity":"2"}]}]}}`,
		`{"type":"EPCISDocument" "x":1}`, `[`, `{"a":`, `"\ud800"`, `{} {}`, ``, `null`,
		`{"epcisBody":{"eventList":[{"eventTime":"2024-01-01T00:00:00Z"}]}}`,
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, strict bool) {
		var doc captureDoc
		err := decodeJSONBytes(body, &doc, strict)
		if err == nil {
			return
		}
		var p *Problem
		if !errors.As(err, &p) || p.Status != http.StatusBadRequest || p.Type != ValidationException {
			t.Fatalf("body %q: %v", body, err)
		}
		if p.Offset < 0 || p.Offset > int64(len(body)) {
			t.Fatalf("body %q: offset %d outside the body", body, p.Offset)
		}
	})
}

// FuzzJSONPathAt: the path walker never panics, at any offset of any input.
func FuzzJSONPathAt(f *testing.F) {
	f.Add([]byte(`{"a":{"b":[10,{"c":true},[1,2]]},"d":"x"}`), int64(12))
	f.Add([]byte(`[[[[{"":[]}]]]]`), int64(9))
	f.Add([]byte(`{"a" 1}`), int64(5))
	f.Fuzz(func(t *testing.T, data []byte, off int64) {
		jsonPathAt(data, off)
	})
}
