package server

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"traceledger/fixtures"
	"traceledger/fixtures/memkv"
	"traceledger/ledger"
	"traceledger/ledger/epcis"
	"traceledger/ledger/events"
	"traceledger/ledger/registry"
	"traceledger/scanner"
)

// nativeServer is a real server on 127.0.0.1 over a fresh ledger (EPCIS and registry
// indexer) with the demo's firms and products registered and approved, and an API
// key per demo firm.
type nativeServer struct {
	*testServer
	log  *ledger.Log
	reg  *registry.Registry
	demo *fixtures.Dataset
	keys map[string]string // by firm index in demo.Firms and role: "2/producer"
}

// Demo firms the tests use.
const (
	farmA     = 0 // 91150121MA0CL0010F, prefix 6990011, site 6990011000011
	plant     = 2 // 91150105MA0QC0030D, prefix 6990021, site 6990021000018
	packer    = 3 // 91150104MA0BJ00436, prefix 6990022
	lab       = 7 // 91150105MA0BF0084L, inspector
	regulator = 8
)

func startNative(t *testing.T) *nativeServer {
	return startNativeWith(t, ledger.DefaultOptions())
}

// openNative opens a fresh ledger with opts (and the registry's indexer) holding the
// demo's firms, approved, and products.
func openNative(tb testing.TB, opts ledger.Options) (*ledger.Log, *registry.Registry, *fixtures.Dataset) {
	tb.Helper()
	l, err := ledger.Open(tb.TempDir(), opts.WithIndexer(registry.Indexer(ledger.EPCISIndexer)))
	if err != nil {
		tb.Fatal(err)
	}
	reg := registry.New(l)
	d := fixtures.Demo()
	ctx := context.Background()
	for _, f := range d.Firms {
		rf := registry.Firm{USCC: f.USCC, Name: f.Name, NameEN: f.NameEN, Region: f.Region, PartyGLN: f.PartyGLN,
			Prefixes: f.Prefixes, Status: registry.StatusApproved}
		for _, s := range f.Sites {
			rf.Sites = append(rf.Sites, registry.Site{GLN: s.GLN, Name: s.Name, Address: s.Address})
		}
		if err := reg.RegisterFirm(ctx, rf); err != nil {
			tb.Fatal(err)
		}
	}
	for _, p := range d.Products {
		if err := reg.RegisterProduct(ctx, registry.Product{GTIN: p.GTIN, Description: p.Description, Name: p.Name,
			Category: registry.Category(p.Category), UOM: p.UOM, Owner: p.Owner}); err != nil {
			tb.Fatal(err)
		}
	}
	return l, reg, d
}

func startNativeWith(t *testing.T, opts ledger.Options) *nativeServer {
	t.Helper()
	l, reg, d := openNative(t, opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, keys: NewKVKeyStore(memkv.New()), logs: &bytes.Buffer{}}
	cfg := Config{Addr: ln.Addr().String(), Logger: slog.New(slog.NewJSONHandler(&lockedWriter{w: ts.logs}, nil))}
	ts.s, err = New(cfg, Deps{Store: l, Keys: ts.keys, Firms: reg, Ledger: l, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	ts.url = "http://" + ln.Addr().String()
	ts.client = &http.Client{Timeout: 60 * time.Second}
	sctx, cancel := context.WithCancel(context.Background())
	ts.cancel, ts.done = cancel, make(chan error, 1)
	go func() { ts.done <- ts.s.Serve(sctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-ts.done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	ns := &nativeServer{testServer: ts, log: l, reg: reg, demo: d, keys: map[string]string{}}
	for i, f := range d.Firms {
		for _, role := range Roles {
			k, _, err := ts.keys.Create(f.USCC, role)
			if err != nil {
				t.Fatal(err)
			}
			ns.keys[itoa(i)+"/"+string(role)] = k
		}
	}
	return ns
}

func itoa(i int) string { return string(rune('0' + i)) }

func (ns *nativeServer) key(firm int, role Role) string { return ns.keys[itoa(firm)+"/"+string(role)] }

// post sends a JSON body as a firm's key of role.
func (ns *nativeServer) post(path string, firm int, role Role, body any) (*http.Response, []byte) {
	ns.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		ns.t.Fatal(err)
	}
	return ns.do(http.MethodPost, path, ns.key(firm, role), bytes.NewReader(b), "Content-Type", "application/json")
}

// capturedOK checks a 201 (or 200) answer and that the ledger holds the event under
// the answered hash ID at the answered index, and returns the answer and the event.
func (ns *nativeServer) capturedOK(res *http.Response, body []byte, status int) (captured, *epcis.Event) {
	ns.t.Helper()
	if res.StatusCode != status {
		ns.t.Fatalf("status %d, want %d: %s", res.StatusCode, status, body)
	}
	var c captured
	if err := json.Unmarshal(body, &c); err != nil {
		ns.t.Fatal(err)
	}
	en, err := ns.log.Lookup(c.EventID)
	if err != nil {
		ns.t.Fatalf("event %s not on the ledger: %v", c.EventID, err)
	}
	if en.Index != c.Index || en.EventID != c.EventID {
		ns.t.Fatalf("ledger entry %d %s, answer %d %s", en.Index, en.EventID, c.Index, c.EventID)
	}
	ev, err := epcis.ParseEvent(en.Event, nil)
	if err != nil {
		ns.t.Fatal(err)
	}
	if ev.HashID() != c.EventID {
		ns.t.Fatalf("stored event hashes to %s, answer says %s", ev.HashID(), c.EventID)
	}
	if loc := res.Header.Get("Location"); loc != "/epcis/events/"+url.PathEscape(c.EventID) {
		ns.t.Errorf("Location %q", loc)
	}
	return c, ev
}

const (
	rawGTIN    = "06990011000011"
	yogurtGTIN = "06990021000025"
	farmSite   = "6990011000011"
	plantSite  = "6990021000018"
	testSSCC   = "069900210000000018"
)

// TestNativeAPIJourney walks one lot through the native API on the real server: a
// farm registers raw milk and ships it, the plant receives it, makes yogurt from it,
// packs it and has it inspected; every answer is the stored event.
func TestNativeAPIJourney(t *testing.T) {
	ns := startNative(t)
	lot := map[string]any{"gtin": rawGTIN, "lot": "RMT1", "quantity": 2000, "unit": "KGM",
		"productionDate": "2026-03-02", "bestBeforeDate": "2026-03-05", "site": farmSite, "time": "2026-03-02T06:00:00+08:00"}
	res, body := ns.post("/api/v1/lots", farmA, RoleProducer, lot)
	c, ev := ns.capturedOK(res, body, http.StatusCreated)
	if ev.Type != epcis.ObjectEvent || ev.BizStep != "commissioning" || ev.QuantityList[0].Quantity != "2000" {
		t.Errorf("lot event %s", body)
	}
	rawLot := "https://id.gs1.org/01/" + rawGTIN + "/10/RMT1"
	if c.Links["digitalLink"] != rawLot || c.Links["resolver"] != ns.url+"/01/"+rawGTIN+"/10/RMT1" {
		t.Errorf("links %v", c.Links)
	}
	bc, _ := c.Links["barcodes"].(map[string]any)
	if bc["gs1-datamatrix"] != "/api/v1/barcodes/gs1-datamatrix?data=%2801%29"+rawGTIN+"%2810%29RMT1" || bc["dl-qr"] == nil || bc["gs1-128"] == nil || bc["gs1-qr"] == nil {
		t.Errorf("barcodes %v", bc)
	}
	// The same request again is the same event: 200, not a second entry.
	size := ns.log.Size()
	res, body = ns.post("/api/v1/lots", farmA, RoleProducer, lot)
	again, _ := ns.capturedOK(res, body, http.StatusOK)
	if again.EventID != c.EventID || !again.Duplicate || ns.log.Size() != size {
		t.Errorf("repeat: %s, ledger %d -> %d", body, size, ns.log.Size())
	}

	move := map[string]any{
		"source":         map[string]any{"site": farmSite, "firm": ns.demo.Firms[farmA].USCC},
		"destination":    map[string]any{"site": plantSite},
		"lots":           []any{map[string]any{"gtin": rawGTIN, "lot": "RMT1", "quantity": 2000, "unit": "KGM"}},
		"despatchAdvice": []string{"DA-1"}, "purchaseOrders": []string{"PO-9"},
		"time": "2026-03-02T08:00:00+08:00",
	}
	res, body = ns.post("/api/v1/shipments", farmA, RoleProducer, move)
	_, ship := ns.capturedOK(res, body, http.StatusCreated)
	wantSrc := []epcis.SourceDest{{Type: "owning_party", Value: "https://id.gs1.org/417/" + ns.demo.Firms[farmA].PartyGLN},
		{Type: "location", Value: "https://id.gs1.org/414/" + farmSite}}
	if ship.BizStep != "shipping" || ship.Disposition != "in_transit" || !slices.Equal(ship.SourceList, wantSrc) ||
		len(ship.DestinationList) != 2 || ship.DestinationList[0].Value != "https://id.gs1.org/417/"+ns.demo.Firms[plant].PartyGLN ||
		ship.ReadPoint.ID != "https://id.gs1.org/414/"+farmSite || len(ship.BizTransactionList) != 2 {
		t.Errorf("shipment %s", body)
	}
	// The plant may not record the farm's shipment: not its site.
	res, body = ns.post("/api/v1/shipments", plant, RoleProducer, move)
	if p := problem(t, res, body, http.StatusForbidden); p.Field != "source.site" {
		t.Errorf("shipment by the wrong firm: field %q", p.Field)
	}
	move["time"] = "2026-03-02T10:00:00+08:00"
	res, body = ns.post("/api/v1/receipts", plant, RoleProducer, move)
	if _, rcv := ns.capturedOK(res, body, http.StatusCreated); rcv.BizStep != "receiving" || rcv.BizLocation.ID != "https://id.gs1.org/414/"+plantSite {
		t.Errorf("receipt %s", body)
	}

	yogurt := map[string]any{"gtin": yogurtGTIN, "lot": "YGT1", "quantity": 12000, "unit": "EA",
		"productionDate": "2026-03-03", "expiryDate": "2026-03-24", "site": plantSite, "time": "2026-03-03T10:00:00+08:00",
		"inputs": []any{map[string]any{"code": "]d20106990011000011" + "10RMT1", "quantity": 1500, "unit": "KGM"}}}
	res, body = ns.post("/api/v1/lots", plant, RoleProducer, yogurt)
	yc, tr := ns.capturedOK(res, body, http.StatusCreated)
	yogurtLot := "https://id.gs1.org/01/" + yogurtGTIN + "/10/YGT1"
	if tr.Type != epcis.TransformationEvent || tr.InputQuantityList[0].EPCClass != rawLot || tr.OutputQuantityList[0].EPCClass != yogurtLot {
		t.Errorf("transformation %s", body)
	}
	if bc, _ := yc.Links["barcodes"].(map[string]any); !strings.Contains(bc["gs1-datamatrix"].(string), "%2817%29260324") {
		t.Errorf("barcode data lacks the expiry date: %v", bc)
	}
	edges, err := ns.log.EdgesTo(yogurtLot)
	if err != nil || len(edges) != 1 || edges[0].From != rawLot {
		t.Errorf("genealogy edges into the yogurt lot: %v, %v", edges, err)
	}

	pack := map[string]any{"sscc": testSSCC, "site": plantSite, "time": "2026-03-03T12:00:00+08:00",
		"lots": []any{map[string]any{"gtin": yogurtGTIN, "lot": "YGT1", "quantity": 600, "unit": "EA"}}}
	res, body = ns.post("/api/v1/packs", plant, RoleProducer, pack)
	if _, agg := ns.capturedOK(res, body, http.StatusCreated); agg.Type != epcis.AggregationEvent ||
		agg.ParentID != "https://id.gs1.org/00/"+testSSCC || agg.ChildQuantityList[0].EPCClass != yogurtLot {
		t.Errorf("pack %s", body)
	}

	// The lab inspects at the plant: a failed item makes it non_conformant; the lab is
	// the inspector's firm.
	insp := map[string]any{"code": "]d20106990021000025" + "10YGT1\x1d17260324", "kind": "sampling", "standard": "GB 19302-2010",
		"sampleSize": 5, "inspector": "Wang Fang", "site": plantSite, "time": "2026-03-03T15:00:00+08:00",
		"items": []any{map[string]any{"name": "coliforms", "value": 430, "unit": "CFU/g", "max": 100}}}
	res, body = ns.post("/api/v1/inspections", lab, RoleInspector, insp)
	_, iev := ns.capturedOK(res, body, http.StatusCreated)
	in, ok := events.InspectionOf(iev)
	if iev.BizStep != "sampling" || iev.Disposition != "non_conformant" || !ok || in.Lab != ns.demo.Firms[lab].USCC ||
		in.Items[0].Pass || iev.QuantityList[0].EPCClass != yogurtLot {
		t.Errorf("inspection %s", body)
	}
	// A producer inspects its own goods at its own site, not elsewhere.
	insp["time"] = "2026-03-03T16:00:00+08:00"
	res, body = ns.post("/api/v1/inspections", plant, RoleProducer, insp)
	ns.capturedOK(res, body, http.StatusCreated)
	res, body = ns.post("/api/v1/inspections", farmA, RoleProducer, insp)
	if p := problem(t, res, body, http.StatusForbidden); p.Field != "site" {
		t.Errorf("inspection by a producer elsewhere: field %q", p.Field)
	}
	// An inspector records inspections only.
	res, body = ns.post("/api/v1/lots", lab, RoleInspector, lot)
	problem(t, res, body, http.StatusForbidden)

	hist, err := ns.log.History(yogurtLot)
	if err != nil || len(hist) != 4 {
		t.Errorf("yogurt lot history: %d entries, %v", len(hist), err)
	}

	// The lots resolve on this server's Digital Link resolver, with the inspection.
	res, body = ns.do(http.MethodGet, strings.TrimPrefix(yc.Links["resolver"].(string), ns.url), "", nil, "Accept", "application/json")
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "YGT1") || !strings.Contains(string(body), "non_conformant") ||
		!strings.Contains(string(body), `"2026-03-03"`) || !strings.Contains(string(body), `"2026-03-24"`) {
		t.Errorf("resolving %s: %d %.300s", yc.Links["resolver"], res.StatusCode, body)
	}
	// Every barcode the answer links to scans back to the lot, once barcodes are served.
	if ns.serves(http.MethodGet, "/api/v1/barcodes/:") {
		bc, _ := yc.Links["barcodes"].(map[string]any)
		for sym, link := range bc {
			res, body = ns.do(http.MethodGet, link.(string)+"&format=png", "", nil)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: %d %.200s", link, res.StatusCode, body)
				continue
			}
			text, err := scanner.DecodeImageBytes(body)
			if err != nil {
				t.Errorf("%s does not scan: %v", sym, err)
				continue
			}
			got, err := events.ParseCode(text)
			want := yogurtLot
			if sym == "ean13" {
				want = "https://id.gs1.org/01/" + yogurtGTIN
			}
			if err != nil || got.URI != want {
				t.Errorf("%s scans as %q (%v), want %s", sym, text, err, want)
			}
			if sym == "dl-qr" && !strings.HasPrefix(strings.TrimPrefix(text, "]Q1"), ns.url+"/01/") {
				t.Errorf("the Digital Link QR code leads to %s, not to this resolver", text)
			}
			// The scan API reads the image to the same record.
			if sym == "gs1-datamatrix" && ns.serves(http.MethodPost, "/api/v1/scans") {
				res, scan := ns.do(http.MethodPost, "/api/v1/scans", ns.key(lab, RoleInspector), bytes.NewReader(body), "Content-Type", "image/png")
				if res.StatusCode != http.StatusOK || !strings.Contains(string(scan), "YGT1") || !strings.Contains(string(scan), yogurtGTIN) {
					t.Errorf("POST /api/v1/scans of the %s image: %d %.300s", sym, res.StatusCode, scan)
				}
			}
		}
	}
	// And the EPCIS query interface returns the same events under the same hash IDs,
	// once this server has it.
	if ns.serves(http.MethodGet, "/epcis/events/:") {
		for _, id := range []string{c.EventID, yc.EventID} {
			res, body = ns.do(http.MethodGet, "/epcis/events/"+url.PathEscape(id), ns.key(regulator, RoleRegulator), nil)
			doc, err := epcis.ParseDocument(body) // an EPCISQueryDocument holding the event, as the binding's OpenAPI says
			if res.StatusCode != http.StatusOK || err != nil || len(doc.Events) != 1 || doc.Events[0].HashID() != id {
				t.Errorf("GET /epcis/events/%s: %d %v %.300s", id, res.StatusCode, err, body)
			}
		}
	}
	if ns.serves(http.MethodGet, "/epcis/events") {
		res, body = ns.do(http.MethodGet, "/epcis/events?MATCH_anyEPCClass="+url.QueryEscape(yogurtLot), ns.key(regulator, RoleRegulator), nil)
		doc, err := epcis.ParseDocument(body)
		if res.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("EPCIS query: %d %v %.300s", res.StatusCode, err, body)
		}
		var ids []string
		found := false
		for _, e := range doc.Events {
			ids = append(ids, e.HashID())
			found = found || e.HashID() == yc.EventID
		}
		if len(ids) != 4 || !found {
			t.Errorf("EPCIS query of the yogurt lot: %v, want 4 events with %s", ids, yc.EventID)
		}
	}
}

// serves reports whether the server has a route of method whose pattern starts with
// prefix (other areas add routes; tests of this one use them once they are there).
func (ns *nativeServer) serves(method, prefix string) bool {
	for _, r := range ns.s.order {
		if r.Method == method && (r.Path == prefix || strings.HasSuffix(prefix, ":") && strings.HasPrefix(r.Path, prefix)) {
			return true
		}
	}
	return false
}

// TestNativeAPIOwnership: a producer registering a lot under another firm's prefix,
// or at another firm's site, gets 403 naming the field, and nothing is stored.
func TestNativeAPIOwnership(t *testing.T) {
	ns := startNative(t)
	size := ns.log.Size()
	tests := []struct {
		name  string
		path  string
		body  map[string]any
		field string
	}{
		{"lot under another prefix", "/api/v1/lots", map[string]any{"gtin": yogurtGTIN, "lot": "X1", "quantity": 1, "unit": "EA",
			"productionDate": "2026-03-03", "site": farmSite}, "gtin"},
		{"lot at another site", "/api/v1/lots", map[string]any{"gtin": rawGTIN, "lot": "X1", "quantity": 1, "unit": "KGM",
			"productionDate": "2026-03-03", "site": plantSite}, "site"},
		{"serials under another prefix", "/api/v1/lots/serials", map[string]any{"gtin": yogurtGTIN, "lot": "X1", "count": 3,
			"site": farmSite}, "gtin"},
		{"pack into another firm's SSCC", "/api/v1/packs", map[string]any{"sscc": testSSCC, "site": farmSite,
			"lots": []any{map[string]any{"gtin": rawGTIN, "lot": "X1", "quantity": 1, "unit": "KGM"}}}, "sscc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := ns.post(tc.path, farmA, RoleProducer, tc.body)
			p := problem(t, res, body, http.StatusForbidden)
			if p.Field != tc.field || p.Type != SecurityException {
				t.Errorf("problem %s, want field %q", body, tc.field)
			}
			if ns.log.Size() != size {
				t.Fatalf("ledger grew from %d to %d entries", size, ns.log.Size())
			}
		})
	}
}

// TestNativeAPIBadInput: every malformed request is a 400 problem naming the field.
func TestNativeAPIBadInput(t *testing.T) {
	ns := startNative(t)
	size := ns.log.Size()
	good := func() map[string]any {
		return map[string]any{"gtin": rawGTIN, "lot": "B1", "quantity": 5, "unit": "KGM", "productionDate": "2026-03-02", "site": farmSite}
	}
	with := func(k string, v any) map[string]any { m := good(); m[k] = v; return m }
	without := func(k string) map[string]any { m := good(); delete(m, k); return m }
	tests := []struct {
		name  string
		path  string
		body  any
		field string
	}{
		{"no gtin", "/api/v1/lots", without("gtin"), "gtin"},
		{"bad check digit", "/api/v1/lots", with("gtin", "06990011000012"), "gtin"},
		{"gtin as number", "/api/v1/lots", with("gtin", 6990011000011), "gtin"},
		{"unknown member", "/api/v1/lots", with("colour", "red"), "colour"},
		{"bad unit", "/api/v1/lots", with("unit", "kilos"), "unit"},
		{"bad date", "/api/v1/lots", with("productionDate", "02/03/2026"), "productionDate"},
		{"lot too long", "/api/v1/lots", with("lot", strings.Repeat("9", 21)), "lot"},
		{"input without quantity", "/api/v1/lots", with("inputs", []any{map[string]any{"gtin": rawGTIN, "lot": "A"}}), "inputs[0].quantity"},
		{"serial count", "/api/v1/lots/serials", map[string]any{"gtin": rawGTIN, "lot": "B1", "count": 100001, "site": farmSite}, "count"},
		{"pack nothing", "/api/v1/packs", map[string]any{"sscc": "069900110000000011", "site": farmSite}, "lots"},
		{"ship no destination", "/api/v1/shipments", map[string]any{"source": map[string]any{"site": farmSite},
			"lots": []any{map[string]any{"gtin": rawGTIN, "lot": "B1", "quantity": 1}}}, "destination.site"},
		{"ship unknown firm", "/api/v1/shipments", map[string]any{"source": map[string]any{"site": farmSite, "firm": "91350100M000100Y43"},
			"destination": map[string]any{"site": plantSite}, "lots": []any{map[string]any{"gtin": rawGTIN, "lot": "B1", "quantity": 1}}}, "source.firm"},
		{"inspect garbage", "/api/v1/inspections", map[string]any{"code": "hello", "site": farmSite, "result": "conformant"}, "code"},
		{"inspect bad result", "/api/v1/inspections", map[string]any{"code": "(01)" + rawGTIN + "(10)B1", "site": farmSite, "result": "fine"}, "result"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := ns.post(tc.path, farmA, RoleProducer, tc.body)
			if p := problem(t, res, body, http.StatusBadRequest); p.Field != tc.field {
				t.Errorf("field %q, want %q: %s", p.Field, tc.field, body)
			}
		})
	}
	res, body := ns.do(http.MethodPost, "/api/v1/lots", ns.key(farmA, RoleProducer), strings.NewReader(`{"gtin":`))
	problem(t, res, body, http.StatusBadRequest)
	res, body = ns.do(http.MethodPost, "/api/v1/lots", "", strings.NewReader(`{}`))
	problem(t, res, body, http.StatusUnauthorized)
	if ns.log.Size() != size {
		t.Fatalf("ledger grew from %d to %d entries", size, ns.log.Size())
	}
}
