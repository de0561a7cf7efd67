package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"traceledger/fixtures"
	"traceledger/fixtures/memkv"
	"traceledger/ledger"
	"traceledger/ledger/epcis"
	"traceledger/ledger/registry"
)

// epcisServer is a real server on 127.0.0.1 with a ledger, the firm registry and
// API keys of two producers, an inspector and a regulator.
type epcisServer struct {
	t       testing.TB
	url     string
	log     *ledger.Log
	reg     *registry.Registry
	client  *http.Client
	keys    map[string]string // by name: "regulator", "producerA", "producerB", "inspector"
	firms   map[string]string // USCC by the same names
	server  *Server
	cleanup func()
}

// The producers' company prefixes and sites.
const (
	prefixA = "0614141"       // producer A
	siteA   = "0614141007776" // urn:epc:id:sgln:0614141.00777.0
	prefixB = "4012345"       // producer B
	siteB   = "4012345000009" // urn:epc:id:sgln:4012345.00000.0
)

// startEPCIS starts the server; cfg's zero fields take test defaults (no rate
// limit, a discarded log).
func startEPCIS(t testing.TB, cfg Config) *epcisServer {
	t.Helper()
	l, err := ledger.Open(t.TempDir(), ledger.DefaultOptions().WithIndexer(registry.Indexer(ledger.EPCISIndexer)))
	if err != nil {
		t.Fatal(err)
	}
	reg := registry.New(l)
	ks := NewKVKeyStore(memkv.New())
	es := &epcisServer{t: t, log: l, reg: reg, keys: map[string]string{}, firms: map[string]string{}}
	ctx := context.Background()
	for i, f := range []struct {
		name, prefix, site, role string
	}{
		{"producerA", prefixA, siteA, "producer"},
		{"producerB", prefixB, siteB, "producer"},
		{"inspector", "", "6901234000009", "inspector"},
		{"regulator", "", "", "regulator"},
	} {
		uscc, err := fixtures.MakeUSCC('9', '1', "150100", "MA0EP00"+string(rune('1'+i)))
		if err != nil {
			t.Fatal(err)
		}
		firm := registry.Firm{USCC: uscc, Name: f.name + " Co.", Region: "150100", Status: registry.StatusApproved}
		if f.prefix != "" {
			firm.Prefixes = []string{f.prefix}
		}
		if f.site != "" {
			firm.Sites = []registry.Site{{GLN: f.site, Name: f.name + " site"}}
		}
		if err := reg.RegisterFirm(ctx, firm); err != nil {
			t.Fatalf("register %s: %v", f.name, err)
		}
		key, _, err := ks.Create(uscc, Role(f.role))
		if err != nil {
			t.Fatal(err)
		}
		es.keys[f.name], es.firms[f.name] = key, uscc
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if cfg.PublicRate == 0 {
		cfg.PublicRate = -1
	}
	cfg.Addr = ln.Addr().String()
	s, err := New(cfg, Deps{Store: logStore{l}, Keys: ks, Firms: reg, Ledger: l, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	es.server = s
	es.url = "http://" + ln.Addr().String()
	es.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128, DisableCompression: true}, Timeout: 30 * time.Second}
	serveUntilCleanup(t, s, ln, 20*time.Second)
	return es
}

// logStore is the server's Store on a ledger: ready while open, closed once.
type logStore struct{ l *ledger.Log }

func (s logStore) Ready() error { return nil }
func (s logStore) Close() error { return s.l.Close() }

// do sends a request as the named key holder ("" for none) and returns the status,
// headers and body.
func (es *epcisServer) do(method, path, who string, body []byte, hdr ...string) (*http.Response, []byte) {
	es.t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, es.url+path, r)
	if err != nil {
		es.t.Fatal(err)
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+es.keys[who])
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/ld+json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := es.client.Do(req)
	if err != nil {
		es.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		es.t.Fatal(err)
	}
	return res, b
}

// problemOf decodes a problem answer.
func problemOf(t testing.TB, b []byte) Problem {
	t.Helper()
	var p Problem
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("not a problem: %v: %s", err, b)
	}
	return p
}

// waitJob polls a capture job until it finishes.
func (es *epcisServer) waitJob(location, who string) captureJob {
	es.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, b := es.do("GET", location, who, nil)
		if res.StatusCode != 200 {
			es.t.Fatalf("GET %s: %d %s", location, res.StatusCode, b)
		}
		var j captureJob
		if err := json.Unmarshal(b, &j); err != nil {
			es.t.Fatal(err)
		}
		if !j.Running {
			if j.FinishedAt == nil {
				es.t.Fatalf("finished job without finishedAt: %s", b)
			}
			return j
		}
		if time.Now().After(deadline) {
			es.t.Fatalf("job %s still running", location)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// queryEvents runs GET /epcis/events?raw and returns the events of the page and
// the next page's URL ("" on the last page).
func (es *epcisServer) query(raw, who string) ([]*epcis.Event, string, *http.Response, []byte) {
	es.t.Helper()
	res, b := es.do("GET", "/epcis/events?"+raw, who, nil)
	if res.StatusCode != 200 {
		return nil, "", res, b
	}
	doc, err := epcis.ParseDocument(b)
	if err != nil {
		es.t.Fatalf("query %s: answer is no EPCIS document: %v\n%s", raw, err, b)
	}
	if doc.Type != "EPCISQueryDocument" {
		es.t.Fatalf("query %s: answer is a %q", raw, doc.Type)
	}
	next := ""
	if link := res.Header.Get("Link"); link != "" {
		u, rel, _ := strings.Cut(link, ">; ")
		if rel != `rel="next"` || !strings.HasPrefix(u, "<"+es.url+"/epcis/events?") {
			es.t.Fatalf("Link %q", link)
		}
		next = strings.TrimPrefix(u, "<"+es.url+"/epcis/events?")
	}
	return doc.Events, next, res, b
}

// queryAll follows the pages of a query and returns every event.
func (es *epcisServer) queryAll(raw, who string) []*epcis.Event {
	es.t.Helper()
	var all []*epcis.Event
	for page := 0; page == 0 || raw != ""; page++ {
		if page > 1000 {
			es.t.Fatal("no end of pages")
		}
		evs, next, res, b := es.query(raw, who)
		if res.StatusCode != 200 {
			es.t.Fatalf("query %s: %d %s", raw, res.StatusCode, b)
		}
		all = append(all, evs...)
		raw = next
	}
	return all
}

// escapedQuery builds a query string from name/value pairs.
func escapedQuery(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}
