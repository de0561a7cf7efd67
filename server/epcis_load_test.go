package server

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
)

// The load measurements of the EPCIS binding (issue 5's performance figures), run
// against a real server on 127.0.0.1 by a Go load generator in the same process:
//
//	TRACELEDGER_LOAD=1 go test ./server/ -run TestEPCISLoad -v [-timeout 10m]
//
// TRACELEDGER_LOAD_SECONDS sets each phase's duration (default 10). The generator
// shares the machine's cores with the server, so the figures are a floor.

// epcisLoadStats are the outcomes of one load phase.
type epcisLoadStats struct {
	n        int
	errors   int
	elapsed  time.Duration
	lat      []time.Duration
	firstErr error
}

func (s *epcisLoadStats) rate() float64 { return float64(s.n) / s.elapsed.Seconds() }

func (s *epcisLoadStats) pct(p float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	slices.Sort(s.lat)
	return s.lat[min(len(s.lat)-1, int(float64(len(s.lat))*p))]
}

func (s *epcisLoadStats) String() string {
	return fmt.Sprintf("%d requests in %.1fs: %.0f/s, p50 %v, p99 %v, max %v, %d errors",
		s.n, s.elapsed.Seconds(), s.rate(), s.pct(0.50), s.pct(0.99), s.pct(1), s.errors)
}

// add merges the outcomes of another phase into s.
func (s *epcisLoadStats) add(o *epcisLoadStats) {
	s.n += o.n
	s.errors += o.errors
	s.elapsed += o.elapsed
	s.lat = append(s.lat, o.lat...)
	if s.firstErr == nil {
		s.firstErr = o.firstErr
	}
}

// loadClosed runs fn from clients goroutines, each sending its next request when the
// last is answered, for d.
func loadClosed(clients int, d time.Duration, fn func(worker, i int) error) *epcisLoadStats {
	var mu sync.Mutex
	st := &epcisLoadStats{}
	stop := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			errs := 0
			var first error
			for i := 0; time.Now().Before(stop); i++ {
				t0 := time.Now()
				if err := fn(w, i); err != nil {
					errs++
					if first == nil {
						first = err
					}
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			st.lat = append(st.lat, lat...)
			st.n += len(lat)
			st.errors += errs
			if st.firstErr == nil {
				st.firstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	st.elapsed = time.Since(start)
	return st
}

// loadPaced sends requests at a fixed rate for d from clients goroutines (open
// loop): worker k sends the requests due at start + (k + clients*j)/rate, each as
// soon as it is due, and its latency counts from when it was due, so a server that
// falls behind shows it in the percentiles instead of slowing the generator down.
func loadPaced(rate float64, clients int, d time.Duration, fn func(i int) error) *epcisLoadStats {
	n := int(rate * d.Seconds())
	start := time.Now()
	var mu sync.Mutex
	st := &epcisLoadStats{}
	var wg sync.WaitGroup
	for k := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			errs := 0
			var first error
			for i := k; i < n; i += clients {
				at := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
				time.Sleep(time.Until(at))
				if err := fn(i); err != nil {
					errs++
					if first == nil {
						first = err
					}
					continue
				}
				lat = append(lat, time.Since(at))
			}
			mu.Lock()
			st.n += len(lat)
			st.lat = append(st.lat, lat...)
			st.errors += errs
			if st.firstErr == nil {
				st.firstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	st.elapsed = time.Since(start)
	return st
}

// send makes one request and checks its status.
func (es *epcisServer) send(method, path, key string, body []byte, want int) error {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, es.url+path, r)
	if err != nil {
		return err
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/ld+json")
	}
	res, err := es.client.Do(req)
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %d %.200s", method, path, res.StatusCode, b)
	}
	return nil
}

// loadEvent is a unique commissioning event of producer A's goods at its site.
func loadEvent(serial int64) []byte {
	return fmt.Appendf(nil, `{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"ObjectEvent",`+
		`"eventTime":"2025-%02d-%02dT%02d:%02d:%02dZ","eventTimeZoneOffset":"+00:00","action":"ADD",`+
		`"epcList":["urn:epc:id:sgtin:0614141.107346.%d"],"bizStep":"commissioning","disposition":"active",`+
		`"readPoint":{"id":"urn:epc:id:sgln:0614141.00777.0"},"bizLocation":{"id":"urn:epc:id:sgln:0614141.00777.0"}}`,
		serial%12+1, serial%28+1, serial%24, serial%60, serial/60%60, serial)
}

func TestEPCISLoad(t *testing.T) {
	if os.Getenv("TRACELEDGER_LOAD") == "" {
		t.Skip("load measurements: set TRACELEDGER_LOAD=1")
	}
	d := 10 * time.Second
	if s, err := strconv.Atoi(os.Getenv("TRACELEDGER_LOAD_SECONDS")); err == nil && s > 0 {
		d = time.Duration(s) * time.Second
	}
	es := startEPCIS(t, Config{})
	key := es.keys["producerA"]
	var serial atomic.Int64

	// 1. 64 clients posting single events: every 201 must be on the ledger.
	before := es.log.Size()
	post := loadClosed(64, d, func(w, i int) error {
		return es.send("POST", "/epcis/events", key, loadEvent(serial.Add(1)), http.StatusCreated)
	})
	stored := es.log.Size() - before
	t.Logf("POST /epcis/events, 64 clients: %v", post)
	t.Logf("  acknowledged %d, stored %d", post.n, stored)
	if int64(post.n) > stored || post.firstErr != nil {
		t.Errorf("acknowledged %d events but %d are stored (first error %v)", post.n, stored, post.firstErr)
	}

	// 2. 1000-event documents back to back, each to the end of its job; then the
	// ledger's own batched append rate on the same events' bytes, in the same run.
	const docEvents = 1000
	docs := max(10, 2*int(d/time.Second))
	var docBodies [][]byte
	var canon [][]byte
	for range docs {
		var b strings.Builder
		b.WriteString(`{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-01-01T00:00:00Z","epcisBody":{"eventList":[`)
		for j := range docEvents {
			if j > 0 {
				b.WriteByte(',')
			}
			ev := loadEvent(serial.Add(1))
			b.Write(ev)
			e, err := epcis.ParseEvent(ev, nil)
			if err != nil {
				t.Fatal(err)
			}
			c, err := e.CanonicalJSON()
			if err != nil {
				t.Fatal(err)
			}
			canon = append(canon, c)
		}
		b.WriteString("]}}")
		docBodies = append(docBodies, []byte(b.String()))
	}
	// Sequentially (post, wait for the job, post the next), then back to back as the
	// asynchronous interface allows (post each as soon as the last is accepted, then
	// wait for every job): half the documents each.
	half := len(docBodies) / 2
	before = es.log.Size()
	start := time.Now()
	for i, body := range docBodies[:half] {
		res, b := es.do("POST", "/epcis/capture", "producerA", body)
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("document %d: %d %s", i, res.StatusCode, b)
		}
		if job := es.waitJob(res.Header.Get("Location"), "producerA"); !job.Success || job.Captured != docEvents {
			t.Fatalf("document %d: job %+v", i, job)
		}
	}
	seqElapsed := time.Since(start)
	start = time.Now()
	var jobs []string
	for i, body := range docBodies[half:] {
		res, b := es.do("POST", "/epcis/capture", "producerA", body)
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("document %d: %d %s", half+i, res.StatusCode, b)
		}
		jobs = append(jobs, res.Header.Get("Location"))
	}
	for i, loc := range jobs {
		if job := es.waitJob(loc, "producerA"); !job.Success || job.Captured != docEvents {
			t.Fatalf("document %d: job %+v", half+i, job)
		}
	}
	capElapsed := time.Since(start)
	seqRate := float64(half*docEvents) / seqElapsed.Seconds()
	capRate := float64((len(docBodies)-half)*docEvents) / capElapsed.Seconds()
	if got := es.log.Size() - before; got != int64(docs*docEvents) {
		t.Errorf("documents stored %d events, want %d", got, docs*docEvents)
	}
	bench, err := ledger.Bench(t.TempDir(), ledger.DefaultOptions().WithIndexer(ledger.EPCISIndexer), ledger.BenchConfig{
		Events: len(canon), Batch: docEvents,
		Gen: func(i int) ledger.Record { return ledger.Record{Event: canon[i], Firm: es.firms["producerA"]} },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("POST /epcis/capture, documents of %d events: one at a time (%d, waiting for each job) %.0f events/s; back to back (%d, then every job) %.0f events/s",
		docEvents, half, seqRate, len(docBodies)-half, capRate)
	t.Logf("  ledger.Bench, same events, batches of %d: ledger %.0f events/s (raw Badger %.0f/s); back to back / ledger = %.2f, one at a time / ledger = %.2f",
		docEvents, bench.LedgerPerSec, bench.BaselinePerSec, capRate/bench.LedgerPerSec, seqRate/bench.LedgerPerSec)

	// 3. GET /epcis/events/{id} against /healthz, closed loop at full speed; then GET
	// at half its maximum rate for the latency.
	ids := make([]string, 0, 4096)
	for n := int64(0); n < es.log.Size() && len(ids) < cap(ids); n += max(1, es.log.Size()/4096) {
		e, err := es.log.Get(n)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(e.Event), `{"tl:`) && strings.Contains(string(e.Event), "ObjectEvent") {
			ids = append(ids, eventLocation(e.EventID))
		}
	}
	// The two run in alternating half-second slices, so that the load other
	// processes put on the machine weighs on both alike.
	get, health := &epcisLoadStats{}, &epcisLoadStats{}
	for range int(d / time.Second) {
		get.add(loadClosed(64, time.Second/2, func(w, i int) error {
			return es.send("GET", ids[rand.IntN(len(ids))], key, nil, http.StatusOK)
		}))
		health.add(loadClosed(64, time.Second/2, func(w, i int) error { return es.send("GET", "/healthz", "", nil, http.StatusOK) }))
	}
	t.Logf("GET /epcis/events/{id}, 64 clients: %v", get)
	t.Logf("GET /healthz, 64 clients: %v", health)
	t.Logf("  ratio GET event / healthz = %.2f", get.rate()/health.rate())
	// At half that rate, open loop, alternating one-second slices with /healthz at the
	// same rate: the reference for what the machine's load alone does to latency.
	halfRate, halfHealth := &epcisLoadStats{}, &epcisLoadStats{}
	for range int(d / time.Second) {
		halfRate.add(loadPaced(get.rate()/2, 64, time.Second, func(i int) error {
			return es.send("GET", ids[i%len(ids)], key, nil, http.StatusOK)
		}))
		halfHealth.add(loadPaced(get.rate()/2, 64, time.Second, func(i int) error {
			return es.send("GET", "/healthz", "", nil, http.StatusOK)
		}))
	}
	t.Logf("GET /epcis/events/{id} at half that rate (%.0f/s): %v", get.rate()/2, halfRate)
	t.Logf("GET /healthz at the same rate, alternating: %v", halfHealth)
	for _, s := range []*epcisLoadStats{get, health, halfRate, halfHealth} {
		if s.firstErr != nil {
			t.Errorf("errors: %v", s.firstErr)
		}
	}
}

// BenchmarkEPCISCaptureDocument posts 1000-event documents to /epcis/capture and
// waits for each job: the server's whole capture path, per event (b.N documents).
func BenchmarkEPCISCaptureDocument(b *testing.B) {
	es := startEPCIS(b, Config{})
	var serial int64
	doc := func() []byte {
		var sb strings.Builder
		sb.WriteString(`{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-01-01T00:00:00Z","epcisBody":{"eventList":[`)
		for j := range 1000 {
			if j > 0 {
				sb.WriteByte(',')
			}
			serial++
			sb.Write(loadEvent(serial))
		}
		sb.WriteString("]}}")
		return []byte(sb.String())
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		body := doc()
		b.StartTimer()
		res, out := es.do("POST", "/epcis/capture", "producerA", body)
		if res.StatusCode != http.StatusAccepted {
			b.Fatalf("%d %s", res.StatusCode, out)
		}
		if job := es.waitJob(res.Header.Get("Location"), "producerA"); !job.Success {
			b.Fatalf("job %+v", job)
		}
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkEPCISPostEvent posts single events to /epcis/events over loopback HTTP
// from 64 goroutines: the synchronous capture path with its durable group commit.
func BenchmarkEPCISPostEvent(b *testing.B) {
	es := startEPCIS(b, Config{})
	key := es.keys["producerA"]
	var serial atomic.Int64
	b.SetParallelism(max(1, 64/runtimeProcs()))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := es.send("POST", "/epcis/events", key, loadEvent(serial.Add(1)), http.StatusCreated); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }
