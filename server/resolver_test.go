package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"traceledger/ledger/lotrecord"
	"traceledger/ledger/recall"
)

// pathOf returns the Digital Link path of a canonical code.
func pathOf(code string) string { return strings.TrimPrefix(code, "https://id.gs1.org") }

// demoCodes lists every code of the demo chain a consumer or inspector may scan.
func demoCodes(ds *demoServer) []string {
	c := ds.ds.Codes
	codes := append([]string{}, c.RawMilkLots...)
	codes = append(codes, c.RejectedLot, c.PasteurisedLot, c.YogurtLot, c.MultipackLot)
	codes = append(codes, c.CheeseWheels...)
	codes = append(codes, c.GiftBoxes...)
	return append(codes, c.Pallets...)
}

func TestEveryDemoCodeResolvesInJSONLinksetAndHTML(t *testing.T) {
	ds := startDemoServer(t)
	schema := loadLinksetSchema(t)
	for _, code := range demoCodes(ds) {
		p := pathOf(code)
		resp, body := ds.do(t, "GET", p, "Accept", "application/json")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("%s JSON: %d %s %s", p, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		var rec lotrecord.Record
		if err := json.Unmarshal(body, &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Code != code || rec.Status != lotrecord.StatusActive || !rec.Verification.Verified || len(rec.Journey) == 0 {
			t.Errorf("%s: code %s status %s verification %+v journey %d", p, rec.Code, rec.Status, rec.Verification, len(rec.Journey))
		}
		if rec.Kind != lotrecord.KindUnit && (rec.Product == nil || rec.Producer == nil || rec.Producer.USCC == "" || rec.Origin == nil) {
			t.Errorf("%s: product %+v producer %+v origin %+v", p, rec.Product, rec.Producer, rec.Origin)
		}

		resp, body = ds.do(t, "GET", p, "Accept", "application/linkset+json")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != linksetMediaType {
			t.Fatalf("%s linkset: %d %s", p, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		schema.check(t, body)
		var ls struct {
			Linkset []map[string]json.RawMessage `json:"linkset"`
		}
		if err := json.Unmarshal(body, &ls); err != nil {
			t.Fatal(err)
		}
		var anchor string
		json.Unmarshal(ls.Linkset[0]["anchor"], &anchor)
		if anchor != ds.url+p {
			t.Errorf("%s: anchor %s", p, anchor)
		}
		for _, lt := range []string{linkPIP, linkDefault, linkTraceability, linkRecallStatus, linkVerificationSvc} {
			if _, ok := ls.Linkset[0][lt]; !ok {
				t.Errorf("%s: linkset lacks %s", p, lt)
			}
		}

		resp, body = ds.do(t, "GET", p, "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s HTML: %d", p, resp.StatusCode)
		}
		page := string(body)
		for _, want := range []string{"Record verified", "✔ yes", "Journey"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: page lacks %q", p, want)
			}
		}
		if rec.Product != nil && !strings.Contains(page, template_escape(rec.Product.Description)) {
			t.Errorf("%s: page lacks the product", p)
		}
		if rec.Producer != nil && !strings.Contains(page, rec.Producer.USCC) {
			t.Errorf("%s: page lacks the producer's code", p)
		}
	}
}

// template_escape escapes what html/template escapes in text.
func template_escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}

func TestResolverAnswersAsTheStandardSays(t *testing.T) {
	ds := startDemoServer(t)
	lot := pathOf(ds.ds.Codes.YogurtLot)
	page := ds.url + "/page" + lot
	record := ds.url + "/api/v1/records" + lot
	tests := []struct {
		name     string
		method   string
		path     string
		hdr      []string
		status   int
		location string // exact Location, "" for none
		ctype    string // Content-Type prefix, "" to skip
		body     string // substring of the body
	}{
		{"default redirects to the default link", "GET", lot, nil, 307, page, "", ""},
		{"*/* is no preference", "GET", lot, []string{"Accept", "*/*"}, 307, page, "", ""},
		{"an unusable Accept is no preference, never 406", "GET", lot, []string{"Accept", "image/png;q=oops, ,;;"}, 307, page, "", ""},
		{"the query string is passed on", "GET", lot + "?foo=bar", nil, 307, page + "?foo=bar", "", ""},
		{"a trailing slash is tolerated", "GET", lot + "/", nil, 307, page, "", ""},
		{"zero-suppressed GTINs are padded", "GET", "/01/6990021000025/10/YG260303", nil, 307, page, "", ""},
		{"HEAD answers like GET", "HEAD", lot, nil, 307, page, "", ""},
		{"linkType in English", "GET", lot + "?linkType=gs1:pip", []string{"Accept-Language", "en"}, 307, page, "", ""},
		{"linkType in Chinese", "GET", lot + "?linkType=gs1:pip", []string{"Accept-Language", "zh-CN,zh;q=0.9"}, 307, page + "?lang=zh", "", ""},
		{"linkType as a full URI, query passed on", "GET", lot + "?linkType=https://gs1.org/voc/recallStatus&x=1", []string{"Accept", "application/json"}, 307, record + "?x=1", "", ""},
		{"several links fit equally: 300", "GET", lot + "?linkType=gs1:pip", nil, 300, "", "application/json", `"hreflang":["zh"]`},
		{"a missing linkType is 404", "GET", lot + "?linkType=gs1:smpc", nil, 404, "", ProblemContentType, "no link of type gs1:smpc"},
		{"an unknown link vocabulary is 404", "GET", lot + "?linkType=foo:bar", nil, 404, "", ProblemContentType, ""},
		{"linkType=linkset", "GET", lot + "?linkType=linkset", nil, 200, "", linksetMediaType, `"linkset"`},
		{"linkType=all as JSON", "GET", lot + "?linkType=all", []string{"Accept", "application/json"}, 200, "", "application/json", `"anchor":"` + ds.url + lot + `"`},
		{"JSON gives the record", "GET", lot, []string{"Accept", "application/json"}, 200, "", "application/json", `"status":"active"`},
		{"a bad check digit is 400 with the parser's message", "GET", "/01/06990021000026/10/X", nil, 400, "", ProblemContentType, "check digit"},
		{"a stray path segment is 400", "GET", lot + "/foo", nil, 400, "", ProblemContentType, ""},
		{"a bad SSCC is 400", "GET", "/00/12345", nil, 400, "", ProblemContentType, ""},
		{"an unknown GTIN is 404", "GET", "/01/09520123456788/10/X", nil, 404, "", ProblemContentType, ""},
		{"an unknown SSCC is 404", "GET", "/00/095201234567891235", []string{"Accept", "application/json"}, 404, "", ProblemContentType, ""},
		{"a lot not on the ledger falls back to its GTIN", "GET", "/01/06990021000025/10/NOPE", []string{"Accept", "application/json"}, 200, "", "application/json", `"fallback":"product"`},
		{"a serial never issued is flagged", "GET", "/01/06990021000032/21/FAKE-9", []string{"Accept", "application/json"}, 200, "", "application/json", `"neverIssued":true`},
		{"a serial with its lot falls back to the lot", "GET", "/01/06990021000025/10/YG260303/21/X1", []string{"Accept", "application/json"}, 200, "", "application/json", `"fallback":"lot"`},
		{"a pallet resolves", "GET", pathOf(ds.ds.Codes.Pallets[0]), []string{"Accept", "application/json"}, 200, "", "application/json", `"kind":"logistic_unit"`},
		{"a site resolves", "GET", "/414/6990021000018", []string{"Accept", "application/json"}, 200, "", "application/json", `"kind":"location"`},
		{"the page in Chinese", "GET", "/page" + lot + "?lang=zh", nil, 200, "", "text/html", "原味凝固型酸奶"},
		{"the page writes measured values plainly", "GET", "/page" + lot, nil, 200, "", "text/html", "340939157 CFU/g"},
		{"the record", "GET", "/api/v1/records" + lot, nil, 200, "", "application/json", `"inspections":[{`},
		{"the resolver description", "GET", "/.well-known/gs1resolver", nil, 200, "", "application/json", `"supportedPrimaryKeys":["01"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := ds.do(t, tt.method, tt.path, tt.hdr...)
			if resp.StatusCode != tt.status {
				t.Fatalf("%s %s: %d, want %d: %s", tt.method, tt.path, resp.StatusCode, tt.status, body)
			}
			if got := resp.Header.Get("Location"); got != tt.location {
				t.Errorf("Location %q, want %q", got, tt.location)
			}
			if tt.ctype != "" && !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.ctype) {
				t.Errorf("Content-Type %q, want %q", resp.Header.Get("Content-Type"), tt.ctype)
			}
			if !strings.Contains(string(body), tt.body) {
				t.Errorf("body lacks %q: %s", tt.body, body)
			}
			if tt.method == "HEAD" && len(body) != 0 {
				t.Errorf("HEAD with a body")
			}
			if resp.StatusCode < 400 && strings.HasPrefix(tt.path, "/01/") {
				checkLinkHeader(t, resp.Header)
				if resp.Header.Get("Access-Control-Allow-Origin") == "" {
					t.Error("no CORS header")
				}
			}
		})
	}
}

// checkLinkHeader checks the Link header as GS1's conformance suite does: one field,
// every link with a target, a rel and a title, and rel="linkset" among them.
func checkLinkHeader(t *testing.T, h http.Header) {
	t.Helper()
	vals := h.Values("Link")
	if len(vals) != 1 {
		t.Fatalf("%d Link fields, want 1", len(vals))
	}
	links := strings.Split(vals[0], `",`)
	linkset := false
	for _, l := range links {
		l += `"`
		if !strings.Contains(l, "<http") || !strings.Contains(l, `rel="`) || !strings.Contains(l, `title="`) {
			t.Errorf("incomplete link %s", l)
		}
		if strings.Contains(l, `rel="linkset"`) {
			linkset = true
		}
		if strings.Contains(l, `rel="gs1:`) {
			t.Errorf("link type not a full URI: %s", l)
		}
	}
	if !linkset {
		t.Error(`no rel="linkset"`)
	}
}

func TestOptionsCarriesLinksAndCORS(t *testing.T) {
	ds := startDemoServer(t)
	lot := pathOf(ds.ds.Codes.MultipackLot)
	for _, hdr := range [][]string{
		nil,
		{"Origin", "https://example.org", "Access-Control-Request-Method", "GET"},
	} {
		resp, _ := ds.do(t, "OPTIONS", lot, hdr...)
		if resp.StatusCode != 204 {
			t.Fatalf("OPTIONS %v: %d", hdr, resp.StatusCode)
		}
		checkLinkHeader(t, resp.Header)
		for _, m := range []string{"GET", "HEAD", "OPTIONS"} {
			if !strings.Contains(resp.Header.Get("Allow"), m) || !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), m) {
				t.Errorf("OPTIONS %v: Allow %q, Access-Control-Allow-Methods %q", hdr, resp.Header.Get("Allow"), resp.Header.Get("Access-Control-Allow-Methods"))
			}
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("OPTIONS %v: no CORS", hdr)
		}
	}
	resp, _ := ds.do(t, "GET", lot, "Origin", "https://example.org")
	if resp.Header.Get("Access-Control-Allow-Origin") == "" || !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "Link") {
		t.Errorf("GET from another origin: %v", resp.Header)
	}
	if resp, _ := ds.do(t, "OPTIONS", "/01/06990021000026"); resp.StatusCode != 400 {
		t.Errorf("OPTIONS on a bad code: %d", resp.StatusCode)
	}
}

// After a recall, every affected code resolves as recalled: the JSON says so with the
// recall's ID and reason, and the page shows the banner.
func TestRecalledLotsShowTheRecall(t *testing.T) {
	dd, err := newDemoLedger(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dd.log.Close() })
	ds := serveDemo(t, dd)
	c := ds.ds.Codes
	// Resolve once before the recall, so the cached record must be dropped.
	if resp, _ := ds.do(t, "GET", pathOf(c.MultipackLot), "Accept", "application/json"); resp.StatusCode != 200 {
		t.Fatal(resp.StatusCode)
	}
	sc, err := (&recall.Tracer{Log: dd.log}).Scope(c.PasteurisedLot)
	if err != nil {
		t.Fatal(err)
	}
	st, err := recall.Start(context.Background(), dd.log, sc, recall.Request{Reason: "Listeria monocytogenes", Now: func() time.Time { return time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{c.MultipackLot, c.CheeseWheels[0], c.YogurtLot} {
		resp, body := ds.do(t, "GET", pathOf(code), "Accept", "application/json")
		var rec lotrecord.Record
		if err := json.Unmarshal(body, &rec); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v", code, resp.StatusCode, err)
		}
		if rec.Status != lotrecord.StatusRecalled || rec.Recall == nil || rec.Recall.ID != st.ID || rec.Recall.Reason != "Listeria monocytogenes" {
			t.Errorf("%s: %s %+v", code, rec.Status, rec.Recall)
		}
		_, body = ds.do(t, "GET", pathOf(code), "Accept", "text/html")
		if !strings.Contains(string(body), "RECALLED") || !strings.Contains(string(body), "Listeria monocytogenes") {
			t.Errorf("%s: page without the recall banner", code)
		}
	}
	_, body := ds.do(t, "GET", pathOf(c.RawMilkLots[0]), "Accept", "application/json")
	if !strings.Contains(string(body), `"status":"active"`) {
		t.Errorf("a source lot shows recalled")
	}
}

// With a list of allowed origins the resolver names the caller's origin when it is one
// of them, and no origin otherwise.
func TestResolverCORSWithAllowedOrigins(t *testing.T) {
	demoLedgerUsed.Store(true)
	dd, err := demoLedger()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{PublicRate: -1, Logger: discardLogger(), CORSOrigins: []string{"https://shop.example"}},
		Deps{Ledger: dd.log, Registry: dd.reg})
	if err != nil {
		t.Fatal(err)
	}
	lot := pathOf(dd.ds.Codes.YogurtLot)
	for _, m := range []string{"GET", "OPTIONS"} {
		for origin, want := range map[string]string{"https://shop.example": "https://shop.example", "https://evil.example": ""} {
			req := httptest.NewRequest(m, lot, nil)
			req.Header.Set("Origin", origin)
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != want {
				t.Errorf("%s from %s: %d Access-Control-Allow-Origin %q, want %q", m, origin, rec.Code, got, want)
			}
		}
	}
}
