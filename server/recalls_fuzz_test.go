package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzRecallRequest: whatever body a caller posts to /api/v1/recalls, and whatever
// path it reads a recall or a trace at, the answer is never a 5xx, and every refusal
// is a problem document.
func FuzzRecallRequest(f *testing.F) {
	rs := startRecallServer(f)
	yogurt := rs.ds.Codes.YogurtLot
	f.Add(`{"codes":["`+yogurt+`"],"dryRun":true}`, "x", "back")
	f.Add(`{"codes":["(01)06990021000025(10)Y1"],"reason":"r","dryRun":true}`, "urn:uuid:0b8e4bd4-5b0e-5c4e-9d4a-3c8d5a2f3e11", "forward")
	f.Add(`{"codes":[],"reason":"r"}`, "0b8e4bd4-5b0e-5c4e-9d4a-3c8d5a2f3e11.csv", "")
	f.Add(`{"codes":["]d2010699002100002510Y1"],"reason":"r","dryRun":true}`, "%zz", "up")
	f.Add(`{"codes":"x"}`, "", "")
	f.Add(`[`, "a/deliveries", "back")
	key := rs.keys[rs.ds.Firms[regulator].USCC+"/"+string(RoleRegulator)]
	check := func(t *testing.T, req *http.Request) {
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := rs.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 500 {
			t.Fatalf("%s %s: %d %s", req.Method, req.URL, res.StatusCode, b)
		}
		if res.StatusCode >= 400 {
			var p Problem
			if res.Header.Get("Content-Type") != ProblemContentType || json.Unmarshal(b, &p) != nil {
				t.Fatalf("%s %s: %d %q %s", req.Method, req.URL, res.StatusCode, res.Header.Get("Content-Type"), b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, body, id, direction string) {
		req, err := http.NewRequest("POST", rs.url+"/api/v1/recalls", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		check(t, req)
		// Escaped as a client would: a raw space or control byte would be the HTTP
		// server's own 400 before any handler runs.
		if req, err = http.NewRequest("GET", rs.url+"/api/v1/recalls/"+url.PathEscape(id), nil); err == nil {
			check(t, req)
		}
		q := url.Values{"code": {id}, "direction": {direction}}.Encode()
		if req, err = http.NewRequest("GET", rs.url+"/api/v1/trace?"+q, nil); err == nil {
			check(t, req)
		}
	})
}
