package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"traceledger/fixtures/testenv"
)

// FuzzEPCISCapture posts arbitrary bodies to both capture endpoints: whatever the
// input, the answer is a success or a 4xx problem document, never a 5xx.
func FuzzEPCISCapture(f *testing.F) {
	f.Add([]byte(handDocument(objectEvent(1), objectEvent(2))))
	f.Add([]byte(objectEvent(3)))
	f.Add([]byte(queryEvent(3)))
	f.Add([]byte(`{"type":"EPCISDocument","epcisBody":{"eventList":[{]}}`))
	f.Add([]byte(`[]`))
	for _, dir := range []string{"testdata/epcis/openepcis-test-resources/JSON/Capture/Invalid", "testdata/epcis/openepcis-test-resources/JSON/Capture/Events"} {
		if !testenv.InCI() {
			if _, err := os.Stat(filepath.Join("..", "..", "shared", dir)); err != nil {
				continue
			}
		}
		files, _ := filepath.Glob(filepath.Join(testenv.Shared(f, dir), "*.json"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	es := startEPCIS(f, Config{})
	h := es.server.Handler()
	key := es.keys["producerA"]
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, path := range []string{"/epcis/events", "/epcis/capture"} {
			req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+key)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("GS1-Capture-Error-Behaviour", "proceed")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			switch {
			case w.Code >= 500:
				t.Fatalf("%s: %d %s", path, w.Code, w.Body)
			case w.Code >= 400:
				var p Problem
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Type == "" || p.Status != w.Code {
					t.Fatalf("%s: %d with no problem document: %s", path, w.Code, w.Body)
				}
			case w.Code != 201 && w.Code != 202:
				t.Fatalf("%s: %d", path, w.Code)
			}
		}
	})
}
