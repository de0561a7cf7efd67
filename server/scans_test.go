package server

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"
	"traceledger/ledger"
)

// postScan posts {"data": data} (raw JSON when raw is set) with an optional API key.
func postScan(t *testing.T, ds *demoServer, body, key, query string) (int, scanResponse, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", ds.url+"/api/v1/scans"+query, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := ds.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	var sr scanResponse
	if resp.StatusCode == 200 {
		if err := json.Unmarshal(buf.Bytes(), &sr); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode, sr, buf.Bytes()
}

func dataBody(s string) string {
	b, _ := json.Marshal(scanRequest{Data: s})
	return string(b)
}

func TestScanAcceptsWhatTheScanCommandAccepts(t *testing.T) {
	ds := startDemoServer(t)
	lot := ds.ds.Codes.YogurtLot
	for _, tt := range []struct{ name, body, code, sym string }{
		{"bracketed", dataBody("(01)06990021000025(10)YG260303"), lot, ""},
		{"unbracketed with the GS byte", dataBody("0106990021000025" + "10YG260303\x1d17260324"), lot, ""},
		{"GS written as \\u001d", `{"data":"]d2010699002100002510YG260303\u001d17260324"}`, lot, "]d2"},
		{"a keyboard wedge's newline", dataBody("]C1010699002100002510YG260303\r\n"), lot, "]C1"},
		{"a Digital Link on another stem", dataBody("https://example.com/01/06990021000025/10/YG260303?17=260324"), lot, ""},
		{"an EPC URN", dataBody("urn:epc:id:sscc:6990022.0002603041"), ds.ds.Codes.Pallets[0], ""},
		{"EAN-13 scan data", dataBody("]E06990021000025"), "https://id.gs1.org/01/06990021000025", "]E0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, sr, raw := postScan(t, ds, tt.body, "", "")
			if st != 200 || !sr.Scan.Valid || sr.Record == nil || sr.Record.Code != tt.code {
				t.Fatalf("%d %s", st, raw)
			}
			if (sr.Scan.Symbology == nil) != (tt.sym == "") || (sr.Scan.Symbology != nil && *sr.Scan.Symbology != tt.sym) {
				t.Errorf("symbology %v", sr.Scan.Symbology)
			}
			if sr.Recorded {
				t.Error("an anonymous scan was recorded")
			}
		})
	}
	// Invalid data is a 200 whose scan says what is wrong, where.
	st, sr, raw := postScan(t, ds, dataBody("(01)06990021000026(10)X"), "", "")
	if st != 200 || sr.Scan.Valid || len(sr.Scan.Errors) == 0 || sr.Scan.Errors[0].AI != "01" || sr.Record != nil {
		t.Errorf("invalid data: %d %s", st, raw)
	}
	// A valid code that is not known says so as the resolver would.
	st, sr, raw = postScan(t, ds, dataBody("(01)09520123456788"), "", "")
	if st != 200 || !sr.Scan.Valid || sr.Record != nil || sr.RecordProblem == nil || sr.RecordProblem.Status != 404 {
		t.Errorf("unknown code: %d %s", st, raw)
	}
	// An image with no barcode.
	var img bytes.Buffer
	png.Encode(&img, image.NewGray(image.Rect(0, 0, 64, 64)))
	if sr := postImage(t, ds, img.Bytes(), ""); sr.Scan.Valid || len(sr.Scan.Errors) != 1 || !strings.Contains(sr.Scan.Errors[0].Message, "no barcode") {
		t.Errorf("blank image: %+v", sr.Scan)
	}
	for _, bad := range []struct{ body, query, field string }{
		{`{"data":`, "", ""},
		{`{"data":"x","extra":1}`, "", "extra"},
		{`{"data":""}`, "", "data"},
		{dataBody("(01)06990021000025"), "?site=6990021000019", "site"},
	} {
		st, _, raw := postScan(t, ds, bad.body, "", bad.query)
		var p Problem
		json.Unmarshal(raw, &p)
		if st != 400 || (bad.field != "" && p.Field != bad.field) {
			t.Errorf("%s %s: %d %s", bad.body, bad.query, st, raw)
		}
	}
}

// An inspector's scans are recorded with who, where and when, and a serial seen at
// more sites than a genuine item travels to is flagged.
func TestInspectorScansAreRecordedAndFlagCopies(t *testing.T) {
	dd, err := newDemoLedger(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dd.log.Close() })
	ds := serveDemo(t, dd)
	lab := "91150105MA0BF0084L"
	key, _, err := ds.keys.Create(lab, RoleInspector)
	if err != nil {
		t.Fatal(err)
	}
	wheel := ds.ds.Codes.CheeseWheels[2]
	sites := []string{"6990011000011", "6990012000010", "6990021000018", "6990022000017", "6990031000015", "6990041000012", "6990042000011"}
	for i, site := range sites {
		st, sr, raw := postScan(t, ds, dataBody(wheel), key, "?site="+site)
		if st != 200 || !sr.Recorded || sr.Record == nil {
			t.Fatalf("scan %d: %d %s", i, st, raw)
		}
		wantFlag := i+1 > watchPlacesPerInstance
		// Counts stop one past the limit: enough to know it is passed.
		if sr.Record.Counterfeit.Suspect != wantFlag || wantFlag && sr.Record.Counterfeit.Places != watchPlacesPerInstance+1 {
			t.Errorf("after %d sites: %+v", i+1, sr.Record.Counterfeit)
		}
	}
	// The resolver shows the flag too.
	_, body := ds.do(t, "GET", pathOf(wheel), "Accept", "application/json")
	if !strings.Contains(string(body), "distinct places") {
		t.Errorf("resolver does not show the flag: %s", body)
	}
	// A lot scanned at the same sites is not suspicious.
	for _, site := range sites {
		_, sr, _ := postScan(t, ds, dataBody(ds.ds.Codes.YogurtLot), key, "?site="+site)
		if sr.Record.Counterfeit.Suspect {
			t.Fatalf("lot flagged: %+v", sr.Record.Counterfeit)
		}
	}

	resp, body := ds.do(t, "GET", "/api/v1/scans?code="+wheel, "Authorization", "Bearer "+key)
	var list struct{ Scans []scanRecord }
	if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != 200 || len(list.Scans) != len(sites) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if r := list.Scans[0]; r.Firm != lab || r.Role != RoleInspector || r.Site != sites[len(sites)-1] || r.Code != wheel || time.Since(r.Time) > time.Minute {
		t.Errorf("newest scan %+v", r)
	}
	// Another firm's producer sees none of them; anonymous callers may not list.
	other, _, _ := ds.keys.Create("91150121MA0CL0010F", RoleProducer)
	_, body = ds.do(t, "GET", "/api/v1/scans", "Authorization", "Bearer "+other)
	if !strings.Contains(string(body), `"scans":[]`) {
		t.Errorf("another firm sees: %s", body)
	}
	if resp, _ := ds.do(t, "GET", "/api/v1/scans"); resp.StatusCode != 401 {
		t.Errorf("anonymous list: %d", resp.StatusCode)
	}
}

func TestScanWatchRule(t *testing.T) {
	w := newScanWatch()
	now := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	serial := "https://id.gs1.org/01/06990021000032/21/X"
	for i := range 5 {
		if _, f := w.observe(serial, "ip:10.0.0."+string(rune('1'+i)), now); f {
			t.Fatalf("flagged at %d places", i+1)
		}
	}
	if n, f := w.observe(serial, "ip:10.0.0.1", now); n != 5 || f {
		t.Errorf("a repeat place counts: %d %v", n, f)
	}
	if n, f := w.observe(serial, "ip:10.0.0.9", now); n != 6 || !f {
		t.Errorf("sixth place: %d %v", n, f)
	}
	// A day later the old places have left the window.
	if n, f := w.observe(serial, "ip:10.0.0.9", now.Add(25*time.Hour)); n != 1 || f {
		t.Errorf("after the window: %d %v", n, f)
	}
	if n, _ := w.observe("https://id.gs1.org/01/06990021000032", "ip:1", now); n != 0 {
		t.Errorf("a GTIN is counted")
	}
	// The watch stays bounded.
	w.maxCodes = 16
	for i := range 100 {
		w.observe("https://id.gs1.org/00/"+string(rune('A'+i)), "ip:1", now)
	}
	if len(w.codes) > 16 {
		t.Errorf("%d codes kept", len(w.codes))
	}
}

func TestProofsAndCheckpoint(t *testing.T) {
	ds := startDemoServer(t)
	resp, body := ds.do(t, "GET", "/api/v1/checkpoint")
	var cp checkpointInfo
	if err := json.Unmarshal(body, &cp); err != nil || resp.StatusCode != 200 || cp.Size != ds.log.Size() || cp.VerifierKey == "" {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	resp, body = ds.do(t, "GET", "/api/v1/proofs?code="+strings.ReplaceAll(ds.ds.Codes.MultipackLot, "/", "%2F"))
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if err := verifyBundle(body, cp.VerifierKey); err != nil {
		t.Errorf("bundle does not verify: %v", err)
	}
	for q, st := range map[string]int{"": 400, "code=(01)06990021000026": 400, "code=(01)09520123456788(10)X": 404} {
		if resp, _ := ds.do(t, "GET", "/api/v1/proofs?"+q); resp.StatusCode != st {
			t.Errorf("%s: %d, want %d", q, resp.StatusCode, st)
		}
	}
}

// verifyBundle checks a proof bundle as an outside verifier would.
func verifyBundle(b []byte, key string) error { return ledger.VerifyBundle(b, key) }
