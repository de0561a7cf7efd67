package epcis

import (
	"bytes"
	"encoding/json"
	"testing"
)

// withoutSource is v with the source text forgotten, so that appendJSON encodes it.
func withoutSource(v value) value {
	v.src = ""
	if v.arr != nil {
		arr := make([]value, len(v.arr))
		for i, e := range v.arr {
			arr[i] = withoutSource(e)
		}
		v.arr = arr
	}
	if v.obj != nil {
		obj := make([]member, len(v.obj))
		for i, m := range v.obj {
			obj[i] = member{m.key, withoutSource(m.val)}
		}
		v.obj = obj
	}
	return v
}

// checkRaw: a value's raw form is its encoding whether or not it kept its source
// text, and a string is written as encoding/json writes it.
func checkRaw(t testing.TB, data []byte) {
	t.Helper()
	v, err := parseValue(data)
	if err != nil {
		return
	}
	got, want := v.raw(), withoutSource(v).appendJSON(nil)
	if !bytes.Equal(got, want) {
		t.Errorf("raw(%q) = %s, encoding gives %s", data, got, want)
	}
	if v.kind == kindString {
		enc, _ := json.Marshal(v.str)
		if !bytes.Equal(appendJSONString(nil, v.str), enc) {
			t.Errorf("appendJSONString(%q) = %s, encoding/json gives %s", v.str, appendJSONString(nil, v.str), enc)
		}
	}
}

var rawCases = []string{
	`{"a":1,"b":[true,false,null,"x"],"c":{}}`, `{ "a": 1 }`, `[1, 2]`, `"\u00e9"`, `"é"`, `"<&>"`, `"a\"b"`,
	"\"\xff\"", "\"\u2028\"", `"\/"`, `[]`, `[ ]`, `{}`, `-0.5e+3`, `"\t"`, `"\u0000"`, "\"\x7f\"",
}

func TestRawMatchesEncoding(t *testing.T) {
	for _, c := range rawCases {
		checkRaw(t, []byte(c))
	}
}

func FuzzRawMatchesEncoding(f *testing.F) {
	for _, c := range rawCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkRaw(t, data) })
}
