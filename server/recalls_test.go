package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"traceledger/fixtures/memkv"
	"traceledger/ledger"
	"traceledger/ledger/epcis"
	"traceledger/ledger/lotrecord"
	"traceledger/ledger/recall"
	"traceledger/ledger/webhooks"
)

// recallServer is a real server on 127.0.0.1 over a fresh ledger holding the demo
// chain, with webhook retries 10 ms apart and an API key per demo firm and role.
type recallServer struct {
	*demoServer
	t    testing.TB
	keys map[string]string // "uscc/role"
}

func startRecallServer(t testing.TB) *recallServer {
	t.Helper()
	dd, err := newDemoLedger(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	keys := NewKVKeyStore(memkv.New())
	s, err := New(Config{Addr: ln.Addr().String(), PublicRate: -1, Logger: discardLogger(),
		WebhookRetries: []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond}},
		Deps{Store: dd.log, Keys: keys, Ledger: dd.log, Registry: dd.reg})
	if err != nil {
		t.Fatal(err)
	}
	serveUntilCleanup(t, s, ln, 20*time.Second)
	rs := &recallServer{t: t, keys: map[string]string{}, demoServer: &demoServer{url: "http://" + ln.Addr().String(), s: s,
		log: dd.log, reg: dd.reg, ds: dd.ds, keys: keys, client: &http.Client{Timeout: 10 * time.Second}}}
	for _, f := range dd.ds.Firms {
		for _, role := range Roles {
			k, _, err := keys.Create(f.USCC, role)
			if err != nil {
				t.Fatal(err)
			}
			rs.keys[f.USCC+"/"+string(role)] = k
		}
	}
	return rs
}

// call sends body (JSON, nil for none) with the key of firm's role ("" for none).
func (rs *recallServer) call(method, path, firm string, role Role, body any, hdr ...string) (*http.Response, []byte) {
	rs.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			rs.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, rs.url+path, r)
	if err != nil {
		rs.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if firm != "" {
		req.Header.Set("Authorization", "Bearer "+rs.keys[firm+"/"+string(role)])
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := rs.client.Do(req)
	if err != nil {
		rs.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		rs.t.Fatal(err)
	}
	return res, b
}

// flakyReceiver is a webhook receiver on 127.0.0.1 that answers 500 to the first two
// deliveries to each path and 204 after, recording what it accepted.
type flakyReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	tries    map[string]int
	accepted map[string][][]byte // by path
	sigs     map[string][]string
}

func newFlakyReceiver(t *testing.T) *flakyReceiver {
	fr := &flakyReceiver{tries: map[string]int{}, accepted: map[string][][]byte{}, sigs: map[string][]string{}}
	fr.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fr.mu.Lock()
		defer fr.mu.Unlock()
		fr.tries[r.URL.Path]++
		if fr.tries[r.URL.Path] <= 2 {
			http.Error(w, "not now", http.StatusInternalServerError)
			return
		}
		fr.accepted[r.URL.Path] = append(fr.accepted[r.URL.Path], b)
		fr.sigs[r.URL.Path] = append(fr.sigs[r.URL.Path], r.Header.Get(webhooks.HeaderSignature))
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(fr.Close)
	return fr
}

// jsonOf is v's JSON with sorted keys, to compare answers.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(m)
	return string(b)
}

// scopePart is the part of a recall answer that is the CLI's scope.
type scopePart struct {
	Lots          []recall.ScopeLot      `json:"lots"`
	LogisticUnits []string               `json:"logisticUnits"`
	Locations     []recall.ScopeLocation `json:"locations"`
	AccountedFor  float64                `json:"accountedFor"`
}

type recallAnswer struct {
	ID        string            `json:"id"`
	Reason    string            `json:"reason"`
	Codes     []string          `json:"codes"`
	DryRun    bool              `json:"dryRun"`
	Published int               `json:"published"`
	Appended  *int              `json:"appended"`
	StartedBy string            `json:"startedBy"`
	Links     map[string]string `json:"links"`
	scopePart
}

func decodeRecall(t *testing.T, res *http.Response, body []byte, status int) recallAnswer {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", res.StatusCode, status, body)
	}
	var a recallAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestRecallJourney runs the recall journey over HTTP on the demo chain: who may
// recall what, the scope as the CLI computes it, publication on the ledger (once),
// the FSMA 204 export, the resolver's recalled status, and the webhooks of the
// affected firms notified through two failures each.
func TestRecallJourney(t *testing.T) {
	rs := startRecallServer(t)
	ds := rs.ds
	yogurt, multipack := ds.Codes.YogurtLot, ds.Codes.MultipackLot
	plantFirm := ds.Firms[plant].USCC
	farm := ds.Firms[farmA].USCC
	reg := ds.Firms[regulator].USCC
	tracer := &recall.Tracer{Log: rs.log, Directory: recall.RegistryDirectory{Registry: rs.reg}}
	want, err := tracer.Scope(yogurt)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := jsonOf(t, scopePart{want.Lots, want.LogisticUnits, want.Locations, want.AccountedFor})

	// The affected firms subscribe a webhook each (their own secret, or a made-up one).
	fr := newFlakyReceiver(t)
	secrets := map[string]string{}
	var affected []string
	for _, loc := range want.Locations {
		if loc.Firm != "" && !slices.Contains(affected, loc.Firm) {
			affected = append(affected, loc.Firm)
		}
	}
	if len(affected) < 2 {
		t.Fatalf("demo scope reaches firms %q: want at least two", affected)
	}
	for i, f := range affected {
		body := map[string]any{"url": fr.URL + "/hook/" + f}
		if i == 0 {
			body["secret"] = "a secret of the first firm"
		}
		res, b := rs.call("POST", "/api/v1/webhooks", f, RoleProducer, body)
		var hk webhooks.Hook
		if res.StatusCode != 201 || json.Unmarshal(b, &hk) != nil || hk.Secret == "" || hk.Firm != f {
			t.Fatalf("webhook of %s: %d %s", f, res.StatusCode, b)
		}
		secrets[f] = hk.Secret
	}

	t.Run("who may recall", func(t *testing.T) {
		res, b := rs.call("POST", "/api/v1/recalls", farm, RoleProducer, map[string]any{"codes": []string{yogurt}, "reason": "x"})
		if p := problem(t, res, b, 403); p.Field != "codes[0]" || !strings.Contains(p.Detail, plantFirm) {
			t.Errorf("another firm's lot: %+v", p)
		}
		res, b = rs.call("POST", "/api/v1/recalls", plantFirm, RoleInspector, map[string]any{"codes": []string{yogurt}, "reason": "x"})
		problem(t, res, b, 403)
		res, b = rs.call("POST", "/api/v1/recalls", "", "", map[string]any{"codes": []string{yogurt}, "reason": "x"})
		problem(t, res, b, 401)
		for _, tc := range []struct {
			body  any
			field string
			code  int
		}{
			{map[string]any{"codes": []string{}, "reason": "x"}, "codes", 400},
			{map[string]any{"codes": []string{yogurt}}, "reason", 400},
			{map[string]any{"codes": []string{"(01)12345"}, "reason": "x"}, "codes[0]", 400},
			{map[string]any{"codes": []string{yogurt, "https://id.gs1.org/01/06990021000025/10/NEVER"}, "reason": "x"}, "codes[1]", 404},
			{map[string]any{"codes": []string{yogurt}, "reason": "x", "extra": 1}, "extra", 400},
		} {
			res, b := rs.call("POST", "/api/v1/recalls", plantFirm, RoleProducer, tc.body)
			if p := problem(t, res, b, tc.code); p.Field != tc.field {
				t.Errorf("%v: field %q, want %q", tc.body, p.Field, tc.field)
			}
		}
	})

	t.Run("dry run appends nothing", func(t *testing.T) {
		before := rs.log.Size()
		res, b := rs.call("POST", "/api/v1/recalls", plantFirm, RoleProducer, map[string]any{"codes": []string{yogurt}, "dryRun": true})
		a := decodeRecall(t, res, b, 200)
		if !a.DryRun || jsonOf(t, a.scopePart) != wantJSON || rs.log.Size() != before {
			t.Errorf("dry run: %s", b)
		}
	})

	const reason = "Listeria monocytogenes in retained samples"
	var started recallAnswer
	t.Run("producer recalls its own lot", func(t *testing.T) {
		res, b := rs.call("POST", "/api/v1/recalls", plantFirm, RoleProducer,
			map[string]any{"codes": []string{strings.Replace(yogurt, "https://id.gs1.org", "https://example.com/dl", 1)}, "reason": reason})
		started = decodeRecall(t, res, b, 201)
		if started.ID != recall.ID([]string{yogurt}, reason) || *started.Appended != len(want.Lots) ||
			started.Published != len(want.Lots) || started.StartedBy != plantFirm {
			t.Errorf("started: %s", b)
		}
		if got := jsonOf(t, started.scopePart); got != wantJSON {
			t.Errorf("scope differs from the CLI's\n got %s\nwant %s", got, wantJSON)
		}
		if loc := res.Header.Get("Location"); loc != started.Links["self"] || !strings.HasSuffix(loc, strings.TrimPrefix(started.ID, "urn:uuid:")) {
			t.Errorf("Location %q, links %v", loc, started.Links)
		}
		// Again: the same recall, nothing appended, nobody notified again.
		res, b = rs.call("POST", "/api/v1/recalls", plantFirm, RoleProducer, map[string]any{"codes": []string{yogurt}, "reason": reason})
		again := decodeRecall(t, res, b, 200)
		if again.ID != started.ID || *again.Appended != 0 || again.Published != len(want.Lots) {
			t.Errorf("repeat: %s", b)
		}
	})
	path := "/api/v1/recalls/" + strings.TrimPrefix(started.ID, "urn:uuid:")

	t.Run("the recall read back", func(t *testing.T) {
		for _, p := range []string{path, "/api/v1/recalls/" + started.ID} {
			res, b := rs.call("GET", p, ds.Firms[packer].USCC, RoleInspector, nil)
			a := decodeRecall(t, res, b, 200)
			if a.ID != started.ID || a.Reason != reason || !slices.Equal(a.Codes, []string{yogurt}) || a.Published != len(want.Lots) {
				t.Errorf("GET %s: %s", p, b)
			}
			if got := jsonOf(t, a.scopePart); got != wantJSON {
				t.Errorf("GET scope\n got %s\nwant %s", got, wantJSON)
			}
		}
		res, b := rs.call("GET", path, "", "", nil)
		problem(t, res, b, 401)
		res, b = rs.call("GET", "/api/v1/recalls/not-a-uuid", reg, RoleRegulator, nil)
		problem(t, res, b, 400)
		res, b = rs.call("GET", "/api/v1/recalls/0b8e4bd4-5b0e-5c4e-9d4a-3c8d5a2f3e11", reg, RoleRegulator, nil)
		problem(t, res, b, 404)
	})

	t.Run("FSMA 204 spreadsheet", func(t *testing.T) {
		var wantCSV bytes.Buffer
		if err := want.WriteCSV(&wantCSV, tracer.Directory); err != nil {
			t.Fatal(err)
		}
		for _, req := range [][]string{{path + ".csv"}, {path, "Accept", "text/csv"}} {
			res, b := rs.call("GET", req[0], reg, RoleRegulator, nil, req[1:]...)
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("%q: %d %s", req, res.StatusCode, b)
			}
			rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			if err != nil || len(rows) < 2 || !slices.Equal(rows[0], recall.CSVHeader) {
				t.Fatalf("%q: %v %q", req, err, rows)
			}
			if string(b) != wantCSV.String() {
				t.Errorf("%q: CSV differs from Scope.WriteCSV:\n%s\nwant\n%s", req, b, wantCSV.String())
			}
		}
	})

	t.Run("the resolver shows the lots recalled", func(t *testing.T) {
		for _, l := range want.Lots {
			res, b := rs.call("GET", strings.TrimPrefix(l.ID, "https://id.gs1.org"), "", "", nil, "Accept", "application/json")
			var rec lotrecord.Record
			if res.StatusCode != 200 || json.Unmarshal(b, &rec) != nil {
				t.Fatalf("%s: %d %s", l.ID, res.StatusCode, b)
			}
			if rec.Status != lotrecord.StatusRecalled || rec.Recall == nil || rec.Recall.ID != started.ID ||
				rec.Recall.Reason != reason || rec.Recall.Date.IsZero() {
				t.Errorf("%s: status %q recall %+v", l.ID, rec.Status, rec.Recall)
			}
		}
	})

	t.Run("affected firms notified through failures", func(t *testing.T) {
		var got struct {
			RecallID   string               `json:"recallID"`
			Deliveries []*webhooks.Delivery `json:"deliveries"`
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			res, b := rs.call("GET", path+"/deliveries", plantFirm, RoleProducer, nil)
			if res.StatusCode != 200 || json.Unmarshal(b, &got) != nil {
				t.Fatalf("deliveries: %d %s", res.StatusCode, b)
			}
			pending := 0
			for _, d := range got.Deliveries {
				if d.Status == webhooks.StatusPending {
					pending++
				}
			}
			if pending == 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if len(got.Deliveries) != len(affected) {
			t.Fatalf("%d deliveries, want one per affected firm %q", len(got.Deliveries), affected)
		}
		for _, d := range got.Deliveries {
			codes := []int{}
			for _, a := range d.Attempts {
				codes = append(codes, a.StatusCode)
				if a.At.IsZero() {
					t.Errorf("attempt without a time: %+v", a)
				}
			}
			if d.Status != webhooks.StatusDelivered || !slices.Equal(codes, []int{500, 500, 204}) {
				t.Errorf("delivery to %s: %s, codes %v", d.Firm, d.Status, codes)
			}
		}
		fr.mu.Lock()
		defer fr.mu.Unlock()
		for _, f := range affected {
			bodies := fr.accepted["/hook/"+f]
			if len(bodies) != 1 {
				t.Fatalf("%s received %d notifications, want 1", f, len(bodies))
			}
			if !webhooks.Verify(secrets[f], bodies[0], fr.sigs["/hook/"+f][0]) {
				t.Errorf("%s: signature does not verify", f)
			}
			var n recallNotice
			if err := json.Unmarshal(bodies[0], &n); err != nil {
				t.Fatal(err)
			}
			var wantLots []string
			for _, loc := range want.Locations {
				if loc.Firm == f {
					wantLots = append(wantLots, loc.Lots...)
				}
			}
			slices.Sort(wantLots)
			wantLots = slices.Compact(wantLots)
			if n.RecallID != started.ID || n.Reason != reason || n.Firm != f || !slices.Equal(n.Lots, wantLots) ||
				n.ScopeURL != started.Links["self"] {
				t.Errorf("%s got %s, want lots %q", f, bodies[0], wantLots)
			}
		}
		// Another firm sees only its own deliveries.
		res, b := rs.call("GET", path+"/deliveries", affected[0], RoleProducer, nil)
		if err := json.Unmarshal(b, &got); res.StatusCode != 200 || err != nil || len(got.Deliveries) != 1 || got.Deliveries[0].Firm != affected[0] {
			t.Errorf("a consignee's view of the deliveries: %s", b)
		}
	})

	t.Run("goods that reached further since are recalled on repeat", func(t *testing.T) {
		// The packer makes another multipack lot from the recalled yogurt and ships it to
		// the first consignee: the recall's scope grows, the new lot is unpublished until
		// the recall is repeated, and only that consignee hears of it, once.
		packerFirm := ds.Firms[packer].USCC
		site := "https://id.gs1.org/414/" + ds.Firms[packer].Sites[0].GLN
		late := multipack[:strings.LastIndex(multipack, "/")+1] + "LATE1"
		dest := want.Locations[0]
		at := time.Now().UTC().Truncate(time.Second)
		made := &epcis.Event{Type: epcis.TransformationEvent, EventTime: at.Format(time.RFC3339), EventTimeZoneOffset: "+00:00",
			BizStep: "commissioning", ReadPoint: &epcis.Location{ID: site}, BizLocation: &epcis.Location{ID: site},
			InputQuantityList:  []epcis.Quantity{{EPCClass: yogurt, Quantity: "40", UOM: "EA"}},
			OutputQuantityList: []epcis.Quantity{{EPCClass: late, Quantity: "10", UOM: "EA"}}}
		shipped := &epcis.Event{Type: epcis.ObjectEvent, Action: epcis.ActionObserve, EventTime: at.Add(time.Minute).Format(time.RFC3339),
			EventTimeZoneOffset: "+00:00", BizStep: "shipping", Disposition: "in_transit",
			ReadPoint: &epcis.Location{ID: site}, BizLocation: &epcis.Location{ID: site},
			QuantityList:    []epcis.Quantity{{EPCClass: late, Quantity: "10", UOM: "EA"}},
			SourceList:      []epcis.SourceDest{{Type: "location", Value: site}},
			DestinationList: []epcis.SourceDest{{Type: "location", Value: dest.ID}}}
		if _, err := rs.log.Capture(context.Background(), packerFirm, made, shipped); err != nil {
			t.Fatal(err)
		}
		res, b := rs.call("GET", path, reg, RoleRegulator, nil)
		var view struct {
			Unpublished []string `json:"unpublished"`
		}
		if res.StatusCode != 200 || json.Unmarshal(b, &view) != nil || !slices.Equal(view.Unpublished, []string{late}) {
			t.Fatalf("unpublished: %s", b)
		}
		res, b = rs.call("POST", "/api/v1/recalls", plantFirm, RoleProducer, map[string]any{"codes": []string{yogurt}, "reason": reason})
		a := decodeRecall(t, res, b, 200)
		if a.ID != started.ID || *a.Appended != 1 || a.Published != len(want.Lots)+1 {
			t.Errorf("repeat after the scope grew: %s", b)
		}
		res, b = rs.call("GET", strings.TrimPrefix(late, "https://id.gs1.org"), "", "", nil, "Accept", "application/json")
		var rec lotrecord.Record
		if json.Unmarshal(b, &rec) != nil || rec.Status != lotrecord.StatusRecalled {
			t.Errorf("late lot on the resolver: %d %s", res.StatusCode, b)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			fr.mu.Lock()
			n := len(fr.accepted["/hook/"+dest.Firm])
			fr.mu.Unlock()
			if n == 2 || time.Now().After(deadline) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		fr.mu.Lock()
		defer fr.mu.Unlock()
		for _, f := range affected {
			bodies := fr.accepted["/hook/"+f]
			wantN := 1
			if f == dest.Firm {
				wantN = 2
			}
			if len(bodies) != wantN {
				t.Errorf("%s: %d notifications, want %d", f, len(bodies), wantN)
				continue
			}
			if f == dest.Firm {
				var n recallNotice
				if json.Unmarshal(bodies[1], &n) != nil || !slices.Equal(n.Lots, []string{late}) || !slices.Equal(n.Locations, []string{dest.ID}) {
					t.Errorf("second notice to %s: %s", f, bodies[1])
				}
			}
		}
	})

	t.Run("regulator recalls any lot", func(t *testing.T) {
		res, b := rs.call("POST", "/api/v1/recalls", reg, RoleRegulator, map[string]any{"codes": []string{multipack}, "reason": "Mislabelled allergen"})
		a := decodeRecall(t, res, b, 201)
		if a.ID == started.ID || a.Published == 0 || a.StartedBy != reg {
			t.Errorf("regulator recall: %s", b)
		}
	})

	t.Run("a recall started outside the API is found on the ledger", func(t *testing.T) {
		sc, err := tracer.Scope(ds.Codes.PasteurisedLot)
		if err != nil {
			t.Fatal(err)
		}
		st, err := recall.Start(context.Background(), rs.log, sc, recall.Request{Reason: "From the command line", Firm: plantFirm})
		if err != nil {
			t.Fatal(err)
		}
		res, b := rs.call("GET", "/api/v1/recalls/"+st.ID, plantFirm, RoleProducer, nil)
		a := decodeRecall(t, res, b, 200)
		if a.ID != st.ID || a.Reason != "From the command line" || !slices.Equal(a.Codes, []string{ds.Codes.PasteurisedLot}) ||
			a.Published != len(sc.Lots) || a.StartedBy != plantFirm {
			t.Errorf("rebuilt: %s", b)
		}
		if got, w := jsonOf(t, a.scopePart), jsonOf(t, scopePart{sc.Lots, sc.LogisticUnits, sc.Locations, sc.AccountedFor}); got != w {
			t.Errorf("rebuilt scope\n got %s\nwant %s", got, w)
		}
	})
}

func TestTraceAPI(t *testing.T) {
	rs := startRecallServer(t)
	plantFirm := rs.ds.Firms[plant].USCC
	tracer := &recall.Tracer{Log: rs.log, Directory: recall.RegistryDirectory{Registry: rs.reg}}
	for _, tc := range []struct {
		direction string
		code      string
	}{{"back", rs.ds.Codes.MultipackLot}, {"forward", rs.ds.Codes.RawMilkLots[0]}, {"", rs.ds.Codes.YogurtLot}} {
		var want *recall.Trace
		var err error
		if tc.direction == "forward" {
			want, err = tracer.Forward(tc.code)
		} else {
			want, err = tracer.Back(tc.code)
		}
		if err != nil {
			t.Fatal(err)
		}
		res, b := rs.call("GET", "/api/v1/trace?direction="+tc.direction+"&code="+tc.code, plantFirm, RoleInspector, nil)
		if res.StatusCode != 200 {
			t.Fatalf("%s %s: %d %s", tc.direction, tc.code, res.StatusCode, b)
		}
		var got any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if g, w := jsonOf(t, got), jsonOf(t, want); g != w || len(want.Lots) == 0 {
			t.Errorf("%s %s:\n got %s\nwant %s", tc.direction, tc.code, g, w)
		}
	}
	res, b := rs.call("GET", "/api/v1/trace?code="+rs.ds.Codes.YogurtLot, "", "", nil)
	problem(t, res, b, 401)
	for q, field := range map[string]string{"": "code", "code=nonsense": "code", "code=" + rs.ds.Codes.YogurtLot + "&direction=up": "direction"} {
		res, b := rs.call("GET", "/api/v1/trace?"+q, plantFirm, RoleProducer, nil)
		if p := problem(t, res, b, 400); p.Field != field {
			t.Errorf("%q: field %q, want %q", q, p.Field, field)
		}
	}
}

func TestWebhookSubscriptions(t *testing.T) {
	rs := startRecallServer(t)
	firm, other := rs.ds.Firms[packer].USCC, rs.ds.Firms[farmA].USCC
	res, b := rs.call("POST", "/api/v1/webhooks", firm, RoleProducer, map[string]any{"url": "https://example.com/recalls", "secret": "0123456789abcdef"})
	var hk webhooks.Hook
	if res.StatusCode != 201 || json.Unmarshal(b, &hk) != nil || hk.Secret != "0123456789abcdef" || res.Header.Get("Location") != "/api/v1/webhooks/"+hk.ID {
		t.Fatalf("create: %d %s", res.StatusCode, b)
	}
	for body, field := range map[string]string{`{"url":"ftp://example.com"}`: "url", `{"url":"/relative"}`: "url",
		`{"url":"https://example.com","secret":"short"}`: "secret", `{}`: "url"} {
		var v any
		_ = json.Unmarshal([]byte(body), &v)
		res, b := rs.call("POST", "/api/v1/webhooks", firm, RoleProducer, v)
		if p := problem(t, res, b, 400); p.Field != field {
			t.Errorf("%s: field %q, want %q", body, p.Field, field)
		}
	}
	res, b = rs.call("GET", "/api/v1/webhooks", firm, RoleInspector, nil)
	var list struct{ Webhooks []webhooks.Hook }
	if res.StatusCode != 200 || json.Unmarshal(b, &list) != nil || len(list.Webhooks) != 1 || list.Webhooks[0].Secret != "" || list.Webhooks[0].ID != hk.ID {
		t.Errorf("list: %s", b)
	}
	res, b = rs.call("GET", "/api/v1/webhooks", other, RoleProducer, nil)
	if json.Unmarshal(b, &list) != nil || len(list.Webhooks) != 0 {
		t.Errorf("another firm's list: %s", b)
	}
	res, b = rs.call("DELETE", "/api/v1/webhooks/"+hk.ID, other, RoleProducer, nil)
	problem(t, res, b, 404)
	if res, b = rs.call("DELETE", "/api/v1/webhooks/"+hk.ID, firm, RoleProducer, nil); res.StatusCode != 204 {
		t.Errorf("delete: %d %s", res.StatusCode, b)
	}
	res, b = rs.call("DELETE", "/api/v1/webhooks/"+hk.ID, firm, RoleProducer, nil)
	problem(t, res, b, 404)
	res, b = rs.call("POST", "/api/v1/webhooks", "", "", map[string]any{"url": "https://example.com"})
	problem(t, res, b, 401)
}

// TestRecallEventIDsMatchStart checks that recall.Start's events are indexed under recall.EventID, which the recall index looks them up by.
func TestRecallEventIDsMatchStart(t *testing.T) {
	l, err := ledger.Open(t.TempDir(), ledger.DefaultOptions().WithIndexer(ledger.EPCISIndexer))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	lot := "https://id.gs1.org/01/06990021000025/10/Y1"
	sc := &recall.Scope{Lots: []recall.ScopeLot{{ID: lot}}, Origins: []string{lot}}
	st, err := recall.Start(context.Background(), l, sc, recall.Request{Reason: "r"})
	if err != nil {
		t.Fatal(err)
	}
	have, err := l.Indexed(ledger.ByGivenID, recall.EventID(st.ID, lot), 0, 1)
	if err != nil || len(have) != 1 {
		t.Errorf("recall event of %s not found by its derived eventID: %v %v", lot, have, err)
	}
}
