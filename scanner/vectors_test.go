package scanner

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"

	"traceledger/fixtures/testenv"
)

// A vector is one row of ../shared/testdata/gs1/vectors.tsv: inputs from the GS1 Barcode
// Syntax Engine's unit tests (and a few of our own) with the engine's verdicts expressed
// in our contract.
type vector struct {
	id, flags, input, valid, bracketed, digitalLink, note string
}

// readVectors reads the vectors file; "{GS}" in an input stands for the byte 0x1D.
func readVectors(t testing.TB) []vector {
	t.Helper()
	f, err := os.Open(testenv.Shared(t, "testdata/gs1/vectors.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	header := true
	for sc.Scan() {
		if header {
			header = false
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 7 {
			t.Fatalf("vectors.tsv: want 7 columns, got %d in %q", len(cols), sc.Text())
		}
		v := vector{cols[0], cols[1], strings.ReplaceAll(cols[2], "{GS}", "\x1d"), cols[3], cols[4], cols[5], cols[6]}
		vs = append(vs, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return vs
}

func (v vector) options() Options {
	var o Options
	for _, f := range strings.Split(v.flags, ",") {
		switch f {
		case "noreq":
			o.NoRequisite = true
		case "zs":
			o.ZeroSuppressedGTIN = true
		}
	}
	return o
}

func TestVectors(t *testing.T) {
	for _, v := range readVectors(t) {
		t.Run(v.id, func(t *testing.T) {
			d, err := Parse(v.input, v.options())
			valid := err == nil
			if want := v.valid == "1"; valid != want {
				t.Fatalf("%s: Parse(%q) valid = %v (err %v), want %v", v.note, v.input, valid, err, want)
			}
			if err != nil {
				var es Errors
				if !errors.As(err, &es) || len(es) == 0 {
					t.Fatalf("Parse(%q) error %T %v, want a non-empty Errors", v.input, err, err)
				}
				return
			}
			if v.bracketed != "*" {
				if got := d.Bracketed(); got != v.bracketed {
					t.Errorf("%s: Bracketed() = %q, want %q", v.note, got, v.bracketed)
				}
			}
			switch v.digitalLink {
			case "*":
			case "-":
				if got, err := d.DigitalLink(""); err == nil {
					t.Errorf("%s: DigitalLink() = %q, want an error (no primary key)", v.note, got)
				}
			default:
				got, err := d.DigitalLink("")
				if err != nil || got != v.digitalLink {
					t.Errorf("%s: DigitalLink() = %q, %v, want %q", v.note, got, err, v.digitalLink)
				}
			}
		})
	}
}
