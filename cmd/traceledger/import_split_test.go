package main

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestArraySplitter(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
		end      error // of end(), after the values
		err      bool  // next fails
	}{
		{"empty", `]}}`, nil, nil, false},
		{"objects", ` {"a":1} , {"b":{"c":[1,2,{"d":"}"}]}}]}}`, []string{`{"a":1}`, `{"b":{"c":[1,2,{"d":"}"}]}}`}, nil, false},
		{"strings with brackets and escapes", `{"s":"a\"]}{[\\"},{"t":"\\\\"}]}}`, []string{`{"s":"a\"]}{[\\"}`, `{"t":"\\\\"}`}, nil, false},
		{"scalars", `1,"x",true, null ,[2]]}}`, []string{`1`, `"x"`, `true`, `null`, `[2]`}, nil, false},
		{"white space", "\n\t{}\r\n,\n{}\n]\n}\n}\n", []string{`{}`, `{}`}, nil, false},
		{"member after the body", `{}]},"x":1}`, []string{`{}`}, errNotStreamable, false},
		{"more in the body", `{}],"x":1}}`, []string{`{}`}, errNotStreamable, false},
		{"data after the document", `{}]}} x`, []string{`{}`}, errAfterDocument, false},
		{"missing comma", `{} {}]}}`, []string{`{}`}, nil, true},
		{"cut short", `{"a":[1,2`, nil, nil, true},
		{"unterminated array", `{}`, []string{`{}`}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// One byte per read: values cross every buffer boundary.
			s := newArraySplitter(iotest.OneByteReader(strings.NewReader(tc.in)))
			var got []string
			var raw []byte
			var err error
			for {
				raw, err = s.next(raw)
				if err != nil {
					break
				}
				got = append(got, string(raw))
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("values %q, want %q", got, tc.want)
			}
			if tc.err {
				if errors.Is(err, io.EOF) {
					t.Fatalf("no error on %q", tc.in)
				}
				return
			}
			if !errors.Is(err, io.EOF) {
				t.Fatalf("next: %v", err)
			}
			if err := s.end(); !errors.Is(err, tc.end) || (tc.end == nil) != (err == nil) {
				t.Fatalf("end: %v, want %v", err, tc.end)
			}
		})
	}
}
