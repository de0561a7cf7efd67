package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"traceledger/fixtures/testenv"
	"traceledger/scanner"
)

// issuedBarcode is one barcode the API issues for a demo code.
type issuedBarcode struct {
	code string // the canonical code it must resolve to
	sym  scanner.Symbology
	data string // the data parameter
}

// issuedBarcodes lists, for every demo code, every symbology that can carry it: the
// GS1 element-string symbols, the Digital Link symbols, and EAN-13 for the GTIN alone.
func issuedBarcodes(ds *demoServer) []issuedBarcode {
	var out []issuedBarcode
	gtins := map[string]bool{}
	for _, code := range demoCodes(ds) {
		d, err := scanner.ParseDigitalLink(code, scanner.Options{})
		if err != nil {
			panic(err)
		}
		for _, sym := range []scanner.Symbology{scanner.GS1128, scanner.GS1DataMatrix, scanner.GS1QR, scanner.DLQR, scanner.DLDataMatrix} {
			out = append(out, issuedBarcode{code, sym, d.Bracketed()})
		}
		if pk, _ := d.PrimaryKey(); pk.AI == "01" && !gtins[pk.Value] {
			gtins[pk.Value] = true
			out = append(out, issuedBarcode{"https://id.gs1.org/01/" + pk.Value, scanner.EAN13, "(01)" + pk.Value})
		}
	}
	return out
}

// Every barcode the API issues for the demo chain reads back, with zxing-cpp's
// independent ZXingReader, as exactly the symbology identifier and data intended, and
// the same image posted to the scan API resolves to the code's record.
func TestEveryIssuedBarcodeScansBackToItsRecord(t *testing.T) {
	tool := testenv.Tool(t, "ZXingReader", "zxing-cpp-tools")
	ds := startDemoServer(t)
	dir := t.TempDir()
	for i, b := range issuedBarcodes(ds) {
		q := url.Values{"data": {b.data}, "module": {"3"}}
		resp, img := ds.do(t, "GET", "/api/v1/barcodes/"+b.sym.String()+"?"+q.Encode())
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("%s %s: %d %s", b.sym, b.data, resp.StatusCode, img)
		}
		want, err := scanner.Render(b.sym, b.data, scanner.RenderOptions{Stem: ds.url})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("%d.png", i))
		if err := os.WriteFile(path, img, 0o644); err != nil {
			t.Fatal(err)
		}
		id, data, err := testenv.ZXingRead(tool, path)
		if err != nil {
			t.Errorf("%s %s: %v", b.sym, b.data, err)
		} else if id != b.sym.AIM() || string(data) != want.Data {
			t.Errorf("%s %s: ZXingReader read %s %q, want %s %q", b.sym, b.data, id, data, b.sym.AIM(), want.Data)
		}

		scan := postImage(t, ds, img, "")
		if !scan.Scan.Valid || scan.Record == nil || scan.Record.Code != b.code {
			t.Errorf("%s %s: scan %+v record %+v problem %+v", b.sym, b.data, scan.Scan, scan.Record, scan.RecordProblem)
		}
	}
}

// postImage posts an image to the scan API as a multipart upload.
func postImage(t *testing.T, ds *demoServer, img []byte, key string) scanResponse {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("image", "scan.png")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(img)
	mw.Close()
	req, _ := http.NewRequest("POST", ds.url+"/api/v1/scans", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := ds.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var sr scanResponse
	if resp.StatusCode != 200 {
		t.Fatalf("scan: %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&sr); err != nil {
		t.Fatal(err)
	}
	return sr
}

func TestBarcodesAreCacheable(t *testing.T) {
	ds := startDemoServer(t)
	q := "/api/v1/barcodes/gs1-datamatrix?data=" + url.QueryEscape("(01)06990021000025(10)YG260303")
	resp, img := ds.do(t, "GET", q)
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || etag == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "public") ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "max-age=") {
		t.Fatalf("%d ETag %q Cache-Control %q", resp.StatusCode, etag, resp.Header.Get("Cache-Control"))
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		// CORS only shows with an Origin; nothing to check here.
	}
	// The same data typed differently is the same barcode.
	resp2, img2 := ds.do(t, "GET", "/api/v1/barcodes/gs1-datamatrix?data="+url.QueryEscape("^010699002100002510YG260303"))
	if resp2.Header.Get("ETag") != etag || !bytes.Equal(img, img2) {
		t.Errorf("equivalent data: ETag %s vs %s", resp2.Header.Get("ETag"), etag)
	}
	for _, inm := range []string{etag, `W/` + etag, `"x", ` + etag, "*"} {
		resp, body := ds.do(t, "GET", q, "If-None-Match", inm)
		if resp.StatusCode != 304 || len(body) != 0 || resp.Header.Get("ETag") != etag {
			t.Errorf("If-None-Match %s: %d", inm, resp.StatusCode)
		}
	}
	if resp, _ := ds.do(t, "GET", q, "If-None-Match", `"other"`); resp.StatusCode != 200 {
		t.Errorf("stale If-None-Match: %d", resp.StatusCode)
	}
	for _, v := range []string{"&module=6", "&format=svg", "&hri=1"} {
		if resp, _ := ds.do(t, "GET", q+v); resp.Header.Get("ETag") == etag {
			t.Errorf("%s keeps the ETag", v)
		}
	}
	resp, body := ds.do(t, "GET", q+"&format=svg")
	if resp.Header.Get("Content-Type") != "image/svg+xml" || !bytes.Contains(body, []byte("<svg")) {
		t.Errorf("svg: %s", resp.Header.Get("Content-Type"))
	}
}

func TestBarcodesRefuseWhatTheyCannotDraw(t *testing.T) {
	ds := startDemoServer(t)
	for _, tt := range []struct{ path, field, detail string }{
		{"/api/v1/barcodes/aztec?data=1", "symbology", "gs1-128"},
		{"/api/v1/barcodes/ean13?data=" + url.QueryEscape("(01)06990021000025(10)X"), "data", "AI (10)"},
		{"/api/v1/barcodes/gs1-128?data=" + url.QueryEscape("(01)06990021000026"), "data", "check digit"},
		{"/api/v1/barcodes/gs1-128", "data", "required"},
		{"/api/v1/barcodes/gs1-128?data=(01)06990021000025&module=0", "module", ""},
		{"/api/v1/barcodes/gs1-128?data=(01)06990021000025&format=gif", "format", ""},
		{"/api/v1/barcodes/gs1-128?data=(01)06990021000025&hri=maybe", "hri", ""},
		{"/api/v1/barcodes/dl-qr?data=(01)06990021000025&stem=ftp://x", "stem", ""},
	} {
		resp, body := ds.do(t, "GET", tt.path)
		var p Problem
		json.Unmarshal(body, &p)
		if resp.StatusCode != 400 || p.Field != tt.field || !strings.Contains(p.Detail, tt.detail) {
			t.Errorf("%s: %d %s", tt.path, resp.StatusCode, body)
		}
	}
}
