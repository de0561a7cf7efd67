package main

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"traceledger/scanner"
)

// runBarcodeCmd runs `traceledger barcode args...` in process and returns its standard
// output and exit status (2 for cobra's own usage errors, as main does).
func runBarcodeCmd(t *testing.T, stdin string, args ...string) ([]byte, int, error) {
	t.Helper()
	cmd := newBarcodeCmd()
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(args)
	err := cmd.Execute()
	if err == nil {
		return out.Bytes(), 0, nil
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return out.Bytes(), ee.code, err
	}
	return out.Bytes(), 2, err
}

// TestBarcodeWritesReadableSymbols issues symbols through the command and reads them
// back with the package decoder: the command writes exactly the symbol asked for.
func TestBarcodeWritesReadableSymbols(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // scan data read back
	}{
		{[]string{"--symbology", "gs1-datamatrix", "(01)09506000134352(17)261231(10)LOT42"}, "]d2010950600013435217261231" + "10LOT42"},
		{[]string{"--symbology", "gs1-128", "--hri", "--module", "2", "^010950600013435210AB\x1d17261231"}, "]C1010950600013435210AB\x1d17261231"},
		{[]string{"--symbology", "gs1-qr", "]d2010950600013435210A%B"}, "]Q3010950600013435210A%B"},
		{[]string{"--symbology", "dl-qr", "--stem", "https://example.com", "(01)09506000134352(10)LOT42"}, "]Q1https://example.com/01/09506000134352/10/LOT42"},
		{[]string{"--symbology", "dl-datamatrix", "https://id.gs1.org/01/09506000134352"}, "]d1https://id.gs1.org/01/09506000134352"},
		{[]string{"--symbology", "ean13", "--hri", "9506000134352"}, "]E09506000134352"},
		{[]string{"--symbology", "upca", "(01)00012345678905"}, "]E00012345678905"},
		{[]string{"--symbology", "ean8", "96385074"}, "]E496385074"},
	} {
		out, code, err := runBarcodeCmd(t, "", c.args...)
		if code != 0 {
			t.Fatalf("barcode %q: exit %d: %v", c.args, code, err)
		}
		if _, err := png.Decode(bytes.NewReader(out)); err != nil {
			t.Fatalf("barcode %q: output is not a PNG: %v", c.args, err)
		}
		got, err := scanner.DecodeImageBytes(out)
		if err != nil || got != c.want {
			t.Errorf("barcode %q: read back %q, %v; want %q", c.args, got, err, c.want)
		}
	}
}

// TestBarcodeOutputFileAndFormat checks -o, --format and the .svg inference, and that
// "-" reads the data from standard input and @FILE from an image.
func TestBarcodeOutputFileAndFormat(t *testing.T) {
	dir := t.TempDir()
	svg := filepath.Join(dir, "lot.svg")
	if _, code, err := runBarcodeCmd(t, "", "--symbology", "gs1-128", "--hri", "-o", svg, "(01)09506000134352(10)A&B"); code != 0 {
		t.Fatalf("exit %d: %v", code, err)
	}
	b, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("<svg ")) || !bytes.Contains(b, []byte("(10)A&amp;B</text>")) {
		t.Errorf("-o lot.svg wrote %.120q", b)
	}
	out, code, err := runBarcodeCmd(t, "", "--symbology", "gs1-qr", "--format", "svg", "(01)09506000134352")
	if code != 0 || !bytes.HasPrefix(out, []byte("<svg ")) {
		t.Errorf("--format svg: exit %d %v, output %.40q", code, err, out)
	}

	pngPath := filepath.Join(dir, "lot.png")
	if _, code, err := runBarcodeCmd(t, "(01)09506000134352(10)LOT42\n", "--symbology", "gs1-datamatrix", "-o", pngPath, "-"); code != 0 {
		t.Fatalf("stdin input: exit %d: %v", code, err)
	}
	// Re-issue the photographed DataMatrix as a GS1-128.
	out, code, err = runBarcodeCmd(t, "", "--symbology", "gs1-128", "@"+pngPath)
	if code != 0 {
		t.Fatalf("@FILE: exit %d: %v", code, err)
	}
	if got, err := scanner.DecodeImageBytes(out); err != nil || got != "]C1010950600013435210LOT42" {
		t.Errorf("@FILE re-issued as %q, %v", got, err)
	}

	// An image without a barcode is bad data, not an I/O error.
	blank := filepath.Join(dir, "blank.png")
	var b64 bytes.Buffer
	if err := png.Encode(&b64, image.NewGray(image.Rect(0, 0, 40, 40))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(blank, b64.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, code, err := runBarcodeCmd(t, "", "--symbology", "gs1-qr", "@"+blank); code != 1 || !strings.Contains(err.Error(), "blank.png") {
		t.Errorf("@blank.png: exit %d, %v; want exit 1 naming the file", code, err)
	}
}

// TestBarcodeExitStatus checks the contract's exit statuses and that refusals say why.
func TestBarcodeExitStatus(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--symbology", "ean13", "(01)09506000134352(10)LOT1"}, 1, "AI (10) cannot go in it"},
		{[]string{"--symbology", "gs1-128", "(01)09506000134352(10)ABCDEFGHIJ0123456789(21)ABCDEFGH"}, 1, "at most 48 data characters"},
		{[]string{"--symbology", "upca", "9506000134352"}, 1, "not a GTIN-12"},
		{[]string{"--symbology", "gs1-datamatrix", "(01)09506000134353"}, 1, "(01)"},
		{[]string{"--symbology", "gs1-qr", "@" + filepath.Join(dir, "missing.png")}, 2, "missing.png"},
		{[]string{"--symbology", "code39", "(01)09506000134352"}, 2, "unknown symbology"},
		{[]string{"--symbology", "gs1-qr", "--format", "gif", "(01)09506000134352"}, 2, "--format"},
		{[]string{"--symbology", "gs1-qr", "--module", "0", "(01)09506000134352"}, 2, "--module"},
		{[]string{"--symbology", "dl-qr", "--stem", "example.com", "(01)09506000134352"}, 2, "--stem"},
		{[]string{"--symbology", "gs1-qr", "-o", filepath.Join(dir, "no", "such", "dir.png"), "(01)09506000134352"}, 2, "dir.png"},
		{[]string{"(01)09506000134352"}, 2, "symbology"},
		{[]string{"--symbology", "gs1-qr"}, 2, "arg"},
	} {
		_, code, err := runBarcodeCmd(t, "", c.args...)
		if code != c.code || err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("barcode %q: exit %d, %v; want exit %d with %q", c.args, code, err, c.code, c.msg)
		}
	}
}
