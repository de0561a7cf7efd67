package server

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"traceledger/ledger/recall"
)

// BenchmarkRecallAPI times the recall journey's reads over loopback on the demo
// chain against the same walks in process (the baseline of the same run): what HTTP,
// auth, JSON and the recall index add to a scope or a trace.
func BenchmarkRecallAPI(b *testing.B) {
	rs := startRecallServer(b)
	ds := rs.ds
	tracer := &recall.Tracer{Log: rs.log, Directory: recall.RegistryDirectory{Registry: rs.reg}}
	sc, err := tracer.Scope(ds.Codes.YogurtLot)
	if err != nil {
		b.Fatal(err)
	}
	st, err := recall.Start(context.Background(), rs.log, sc, recall.Request{Reason: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	key := rs.keys[ds.Firms[regulator].USCC+"/"+string(RoleRegulator)]
	get := func(b *testing.B, path string) {
		req, _ := http.NewRequest("GET", rs.url+path, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := rs.client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("%s: %d", path, res.StatusCode)
		}
		b.SetBytes(n)
	}
	recallPath := "/api/v1/recalls/" + strings.TrimPrefix(st.ID, "urn:uuid:")
	b.Run("baseline-scope-in-process", func(b *testing.B) {
		for b.Loop() {
			if _, err := tracer.Scope(ds.Codes.YogurtLot); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("recall-json", func(b *testing.B) {
		for b.Loop() {
			get(b, recallPath)
		}
	})
	b.Run("recall-csv", func(b *testing.B) {
		for b.Loop() {
			get(b, recallPath+".csv")
		}
	})
	b.Run("baseline-back-in-process", func(b *testing.B) {
		for b.Loop() {
			if _, err := tracer.Back(ds.Codes.MultipackLot); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("trace-back", func(b *testing.B) {
		q := "/api/v1/trace?direction=back&code=" + url.QueryEscape(ds.Codes.MultipackLot)
		for b.Loop() {
			get(b, q)
		}
	})
}
