package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"traceledger/fixtures"
	"traceledger/fixtures/memkv"
	"traceledger/ledger"
	"traceledger/ledger/registry"
)

// demoServer is the real server on 127.0.0.1 with the demo chain on its ledger: the
// demo firms and products registered, every demo event captured by its recorder.
type demoServer struct {
	url    string
	s      *Server
	log    *ledger.Log
	reg    *registry.Registry
	ds     *fixtures.Dataset
	keys   *KVKeyStore
	client *http.Client // does not follow redirects
}

// demoLedger opens a ledger with the demo chain, once per test binary: building it
// costs a few dozen group commits, and the tests that share it only read (tests that
// append open their own with newDemoLedger).
var demoLedger = sync.OnceValues(func() (*demoData, error) { return newDemoLedger("") })

type demoData struct {
	log *ledger.Log
	reg *registry.Registry
	ds  *fixtures.Dataset
	dir string // removed by TestMain when the ledger is the shared one
}

// TestMain closes and removes the shared demo ledger after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if demoLedgerUsed.Load() {
		if dd, err := demoLedger(); err == nil {
			dd.log.Close()
			os.RemoveAll(dd.dir)
		}
	}
	os.Exit(code)
}

// demoLedgerUsed records whether a test opened the shared demo ledger.
var demoLedgerUsed atomic.Bool

// newDemoLedger opens a ledger in dir (a fresh temporary directory when "") and loads
// the demo chain.
func newDemoLedger(dir string) (*demoData, error) {
	if dir == "" {
		var err error
		// Shared by the tests of this binary; the OS cleans its temporary directory.
		if dir, err = os.MkdirTemp("", "traceledger-resolver-"); err != nil {
			return nil, err
		}
	}
	l, err := ledger.Open(dir, ledger.DefaultOptions().WithIndexer(registry.Indexer(ledger.EPCISIndexer)))
	if err != nil {
		return nil, err
	}
	reg := registry.New(l)
	ds := fixtures.Demo()
	ctx := context.Background()
	for _, f := range ds.Firms {
		rf := registry.Firm{USCC: f.USCC, Name: f.Name, NameEN: f.NameEN, Region: f.Region, PartyGLN: f.PartyGLN,
			Prefixes: f.Prefixes, Status: registry.StatusApproved}
		for _, s := range f.Sites {
			rf.Sites = append(rf.Sites, registry.Site{GLN: s.GLN, Name: s.Name, Address: s.Address})
		}
		if err := reg.RegisterFirm(ctx, rf); err != nil {
			return nil, err
		}
	}
	for _, p := range ds.Products {
		rp := registry.Product{GTIN: p.GTIN, Description: p.Description, Name: p.Name,
			Category: registry.Category(p.Category), UOM: p.UOM, Owner: p.Owner}
		if err := reg.RegisterProduct(ctx, rp); err != nil {
			return nil, err
		}
	}
	for i := 0; i < len(ds.Events); {
		j := i + 1
		for j < len(ds.Events) && ds.Recorders[j] == ds.Recorders[i] {
			j++
		}
		if _, err := l.Capture(ctx, ds.Recorders[i], ds.Events[i:j]...); err != nil {
			return nil, err
		}
		i = j
	}
	return &demoData{log: l, reg: reg, ds: ds, dir: dir}, nil
}

// startDemoServer serves the shared demo ledger on 127.0.0.1:0 with the public rate
// limit off (the tests make many requests from one address).
func startDemoServer(t testing.TB) *demoServer {
	t.Helper()
	demoLedgerUsed.Store(true)
	dd, err := demoLedger()
	if err != nil {
		t.Fatal(err)
	}
	return serveDemo(t, dd)
}

func serveDemo(t testing.TB, dd *demoData) *demoServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	keys := NewKVKeyStore(memkv.New())
	s, err := New(Config{Addr: ln.Addr().String(), PublicRate: -1, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))},
		Deps{Keys: keys, Ledger: dd.log, Registry: dd.reg})
	if err != nil {
		t.Fatal(err)
	}
	serveUntilCleanup(t, s, ln, 10*time.Second)
	return &demoServer{url: "http://" + ln.Addr().String(), s: s, log: dd.log, reg: dd.reg, ds: dd.ds, keys: keys,
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 64},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request with headers (name, value pairs) and returns the response with its
// body read.
func (ds *demoServer) do(t testing.TB, method, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ds.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := ds.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// discardLogger is a logger that drops everything.
func discardLogger() *slog.Logger { return slog.New(slog.NewJSONHandler(io.Discard, nil)) }
