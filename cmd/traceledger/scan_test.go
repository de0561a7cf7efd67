package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"traceledger/scanner"
)

// runScanCmd runs "traceledger scan args..." in process and returns its standard output
// and the exit status main would give it.
func runScanCmd(t *testing.T, stdin string, decode func([]byte) (string, error), args ...string) (string, int) {
	t.Helper()
	if decode == nil {
		decode = func([]byte) (string, error) { return "", errors.New("no decoder in this test") }
	}
	out, _, code := runCmdIn(t, newScanCmdWith(decode), stdin, args...)
	return out, code
}

// exitStatus is the status main exits with for err.
func exitStatus(err error) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 2 // cobra's own errors: usage
}

func decodeReport(t *testing.T, out string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, out)
	}
	return m
}

func TestScanJSONValid(t *testing.T) {
	out, code := runScanCmd(t, "", nil, "--json", "(01)09520123456788(17)251200(10)ABC123")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s", code, out)
	}
	got := decodeReport(t, out)
	want := map[string]any{
		"valid":     true,
		"symbology": nil,
		"ais": []any{
			map[string]any{"ai": "01", "title": "GTIN", "value": "09520123456788"},
			map[string]any{"ai": "17", "title": "USE BY or EXPIRY", "value": "251200"},
			map[string]any{"ai": "10", "title": "BATCH/LOT", "value": "ABC123"},
		},
		"bracketed":   "(01)09520123456788(17)251200(10)ABC123",
		"digitalLink": "https://id.gs1.org/01/09520123456788/10/ABC123?17=251200",
		"errors":      []any{},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestScanJSONScanDataKeepsSymbology(t *testing.T) {
	out, code := runScanCmd(t, "", nil, "--json", "]d2010952012345678810ABC123\x1d17251231")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s", code, out)
	}
	got := decodeReport(t, out)
	if got["symbology"] != "]d2" || got["bracketed"] != "(01)09520123456788(10)ABC123(17)251231" {
		t.Errorf("got %v", got)
	}
}

func TestScanJSONInvalid(t *testing.T) {
	out, code := runScanCmd(t, "", nil, "--json", "(01)09520123456788(17)251301")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	got := decodeReport(t, out)
	if got["valid"] != false || got["bracketed"] != "" || got["digitalLink"] != "" {
		t.Errorf("invalid data must have valid=false and empty forms: %v", got)
	}
	if ais := got["ais"].([]any); len(ais) != 2 {
		t.Errorf("the AIs read are still listed: %v", ais)
	}
	errs := got["errors"].([]any)
	if len(errs) != 1 {
		t.Fatalf("errors = %v, want one", errs)
	}
	e := errs[0].(map[string]any)
	if e["ai"] != "17" || e["position"] != float64(24) || !strings.Contains(e["message"].(string), "month") {
		t.Errorf("error = %v, want AI 17 at position 24 about the month", e)
	}
}

func TestScanOptions(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		code int
		dl   string
	}{
		{"requisite missing", []string{"(10)ABC"}, 1, ""},
		{"no-requisite", []string{"--no-requisite", "(10)ABC"}, 0, ""},
		{"zero-suppressed GTIN refused", []string{"https://a/01/9520123456788"}, 1, ""},
		{"zero-suppressed-gtin", []string{"--zero-suppressed-gtin", "https://a/01/9520123456788"}, 0, "https://id.gs1.org/01/09520123456788"},
		{"stem", []string{"--stem", "https://example.com/dl/", "(01)09520123456788(10)A+B"}, 0, "https://example.com/dl/01/09520123456788/10/A%2BB"},
		{"EAN-13", []string{"]E09520123456788"}, 0, "https://id.gs1.org/01/09520123456788"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, code := runScanCmd(t, "", nil, append([]string{"--json"}, c.args...)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\n%s", code, c.code, out)
			}
			if got := decodeReport(t, out)["digitalLink"]; got != c.dl {
				t.Errorf("digitalLink = %q, want %q", got, c.dl)
			}
		})
	}
}

func TestScanStdin(t *testing.T) {
	out, code := runScanCmd(t, "^0109520123456788^10ABC123\r\n", nil, "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s", code, out)
	}
	if got := decodeReport(t, out)["bracketed"]; got != "(01)09520123456788(10)ABC123" {
		t.Errorf("bracketed = %q", got)
	}
}

func TestScanImageFile(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "label.png")
	if err := os.WriteFile(img, []byte("image bytes"), 0o600); err != nil {
		t.Fatal(err)
	}
	var seen []byte
	decode := func(b []byte) (string, error) {
		seen = b
		return "]Q3011231231231233310ABC123\x1d99TESTING", nil
	}
	out, code := runScanCmd(t, "", decode, "--json", "@"+img)
	if code != 0 || string(seen) != "image bytes" {
		t.Fatalf("exit %d, decoder saw %q\n%s", code, seen, out)
	}
	got := decodeReport(t, out)
	if got["symbology"] != "]Q3" || got["digitalLink"] != "https://id.gs1.org/01/12312312312333/10/ABC123?99=TESTING" {
		t.Errorf("got %v", got)
	}

	// An image without a readable barcode is invalid data; a missing file is an I/O error.
	failing := func([]byte) (string, error) { return "", errors.New("no barcode found") }
	out, code = runScanCmd(t, "", failing, "--json", "@"+img)
	if code != 1 || !strings.Contains(out, "no barcode found") {
		t.Errorf("undecodable image: exit %d, want 1\n%s", code, out)
	}
	if _, code := runScanCmd(t, "", decode, "@"+filepath.Join(dir, "missing.png")); code != 2 {
		t.Errorf("missing file: exit %d, want 2", code)
	}
}

func TestScanUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"(01)09520123456788", "(10)ABC"},
		{"--bogus", "(01)09520123456788"},
		{"--stem", "ftp://example.com", "(01)09520123456788"},
		{"--stem", "https://", "(01)09520123456788"},
	} {
		if _, code := runScanCmd(t, "", nil, args...); code != 2 {
			t.Errorf("scan %q: exit %d, want 2", args, code)
		}
	}
}

func TestScanTable(t *testing.T) {
	out, code := runScanCmd(t, "", nil, "]d2010952012345678810ABC123")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{"valid", "yes", "]d2 GS1 DataMatrix", "(01)", "GTIN", "09520123456788", "BATCH/LOT",
		"(01)09520123456788(10)ABC123", "https://id.gs1.org/01/09520123456788/10/ABC123"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	out, code = runScanCmd(t, "", nil, "(01)09520123456789")
	if code != 1 || !strings.Contains(out, "errors:") || !strings.Contains(out, "position 17: AI (01): invalid check digit") {
		t.Errorf("invalid: exit %d\n%s", code, out)
	}
}

// TestScanRenderedImage goes through the real image decoder: a symbol rendered by the
// scanner package, written as PNG, scanned back with @FILE.
func TestScanRenderedImage(t *testing.T) {
	const in = "(01)09520123456788(10)ABC123(17)251231"
	for _, c := range []struct {
		sym  scanner.Symbology
		aim  string
		want string
	}{
		{scanner.GS1DataMatrix, "]d2", in},
		{scanner.DLQR, "]Q1", "(01)09520123456788(10)ABC123(17)251231"},
	} {
		s, err := scanner.Render(c.sym, in, scanner.RenderOptions{})
		if err != nil {
			t.Fatalf("Render(%s): %v", c.sym, err)
		}
		var png bytes.Buffer
		if err := s.PNG(&png); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "code.png")
		if err := os.WriteFile(file, png.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		out, code := runScanCmd(t, "", scanner.DecodeImageBytes, "--json", "@"+file)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", c.sym, code, out)
		}
		got := decodeReport(t, out)
		if got["symbology"] != c.aim || got["bracketed"] != c.want ||
			got["digitalLink"] != "https://id.gs1.org/01/09520123456788/10/ABC123?17=251231" {
			t.Errorf("%s: got %v", c.sym, got)
		}
	}
}
