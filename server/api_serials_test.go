package server

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"traceledger/ledger"
	"traceledger/ledger/events"
	"traceledger/scanner"
)

// TestSerialIssuance100k issues the largest batch through the real server and checks
// that the serials are unique, valid, not sequential, recorded on the ledger and
// listed back in order; only the GTIN's owner may list them.
func TestSerialIssuance100k(t *testing.T) {
	ns := startNative(t)
	start := time.Now()
	res, body := ns.post("/api/v1/lots/serials", plant, RoleProducer,
		map[string]any{"gtin": yogurtGTIN, "lot": "YGS1", "count": events.MaxSerials, "site": plantSite})
	took := time.Since(start)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("status %d: %.500s", res.StatusCode, body)
	}
	var out issued
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d serials issued in %v over %d events (%d bytes answer)", out.Count, took, len(out.Events), len(body))
	if out.Count != events.MaxSerials || len(out.Serials) != out.Count || len(out.DigitalLinks) != out.Count {
		t.Fatalf("count %d, %d serials, %d links", out.Count, len(out.Serials), len(out.DigitalLinks))
	}
	seen := map[string]bool{}
	n := 0
	for _, e := range out.Events {
		n += e.Count
		if e.Count > serialChunk {
			t.Errorf("event %s holds %d serials", e.EventID, e.Count)
		}
	}
	if n != out.Count {
		t.Errorf("events hold %d serials, want %d", n, out.Count)
	}
	valid := regexp.MustCompile(`^[0-9A-Za-z_-]{20}$`)
	for i, s := range out.Serials {
		if seen[s] || !valid.MatchString(s) {
			t.Fatalf("serial %d %q repeated or malformed", i, s)
		}
		seen[s] = true
		if out.DigitalLinks[i] != "https://id.gs1.org/01/"+yogurtGTIN+"/21/"+s {
			t.Fatalf("Digital Link %s", out.DigitalLinks[i])
		}
		if i > 0 && commonPrefixLen(s, out.Serials[i-1]) > 6 {
			t.Fatalf("serials %q and %q look sequential", out.Serials[i-1], s)
		}
	}
	// Each is an AI 21 value, and commissioned: the ledger has its chain.
	for _, i := range []int{0, 1, out.Count / 2, out.Count - 1} {
		d := scanner.Data{Elements: []scanner.Element{{AI: "01", Value: yogurtGTIN}, {AI: "21", Value: out.Serials[i]}}}
		if err := d.Validate(scanner.Options{}); err != nil {
			t.Errorf("serial %q: %v", out.Serials[i], err)
		}
		if h, err := ns.log.History(out.DigitalLinks[i]); err != nil || len(h) != 1 {
			t.Errorf("history of %s: %d entries, %v", out.DigitalLinks[i], len(h), err)
		}
	}
	if _, err := ns.log.History("https://id.gs1.org/01/" + yogurtGTIN + "/21/" + strings.Repeat("A", 20)); !errors.Is(err, ledger.ErrUnknownCode) {
		t.Errorf("a serial never issued has a history: %v", err)
	}

	// Paging through them gives them back in issue order.
	q := "/api/v1/lots/serials?gtin=" + yogurtGTIN + "&lot=YGS1"
	start = time.Now()
	res, body = ns.do(http.MethodGet, q+"&page=3&perPage=1000", ns.key(plant, RoleProducer), nil)
	t.Logf("page 3 of 1000 listed in %v", time.Since(start))
	var page serialPage
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &page) != nil {
		t.Fatalf("list: %d %.300s", res.StatusCode, body)
	}
	if page.Total != out.Count || len(page.Serials) != 1000 || page.Serials[0] != out.Serials[2000] ||
		page.Serials[999] != out.Serials[2999] || page.DigitalLinks[5] != out.DigitalLinks[2005] {
		t.Errorf("page 3: total %d, %d serials", page.Total, len(page.Serials))
	}
	if !strings.Contains(res.Header.Get("Link"), "page=4") {
		t.Errorf("Link %q", res.Header.Get("Link"))
	}
	res, body = ns.do(http.MethodGet, q+"&page=100&perPage=1000", ns.key(plant, RoleProducer), nil)
	if json.Unmarshal(body, &page) != nil || len(page.Serials) != 1000 || res.Header.Get("Link") != "" {
		t.Errorf("last page: %d serials, Link %q", len(page.Serials), res.Header.Get("Link"))
	}
	// Only the owner (and regulators) see the list: it would hand out valid codes.
	res, body = ns.do(http.MethodGet, q, ns.key(farmA, RoleProducer), nil)
	problem(t, res, body, http.StatusForbidden)
	res, _ = ns.do(http.MethodGet, q+"&perPage=1", ns.key(regulator, RoleRegulator), nil)
	if res.StatusCode != http.StatusOK {
		t.Errorf("regulator: %d", res.StatusCode)
	}
	res, body = ns.do(http.MethodGet, q+"&perPage=0", ns.key(plant, RoleProducer), nil)
	if p := problem(t, res, body, http.StatusBadRequest); p.Field != "perPage" {
		t.Errorf("field %q", p.Field)
	}
}

func commonPrefixLen(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// TestSerialLabelSheet fetches a sheet of Digital Link QR labels and checks that each
// label's path draws exactly the symbol of its serial (on this server's resolver) and
// that the symbol decodes to that Digital Link.
func TestSerialLabelSheet(t *testing.T) {
	ns := startNative(t)
	res, body := ns.post("/api/v1/lots/serials", plant, RoleProducer,
		map[string]any{"gtin": yogurtGTIN, "lot": "YGL1", "count": 30, "site": plantSite})
	var out issued
	if res.StatusCode != http.StatusCreated || json.Unmarshal(body, &out) != nil {
		t.Fatalf("issue: %d %.300s", res.StatusCode, body)
	}
	for _, sym := range []string{"dl-qr", "gs1-datamatrix"} {
		res, body = ns.do(http.MethodGet, "/api/v1/lots/serials/labels?gtin="+yogurtGTIN+"&lot=YGL1&perPage=12&page=2&symbology="+sym,
			ns.key(plant, RoleProducer), nil)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("%s labels: %d %s %.300s", sym, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
		var sheet struct {
			Labels []struct {
				Serial string `xml:"data-serial,attr"`
				Path   struct {
					D string `xml:"d,attr"`
				} `xml:"path"`
				Text []string `xml:"text"`
			} `xml:"g"`
		}
		if err := xml.Unmarshal(body, &sheet); err != nil {
			t.Fatalf("%s sheet is not XML: %v", sym, err)
		}
		if len(sheet.Labels) != 12 {
			t.Fatalf("%s sheet has %d labels, want 12", sym, len(sheet.Labels))
		}
		for i, l := range sheet.Labels {
			serial := out.Serials[12+i]
			if l.Serial != serial || len(l.Text) != 2 || l.Text[1] != "(21)"+serial {
				t.Fatalf("label %d: serial %q, text %q; want %q", i, l.Serial, l.Text, serial)
			}
		}
		// The first label's drawing is its symbol, and the symbol reads back.
		d := scanner.Data{Elements: []scanner.Element{{AI: "01", Value: yogurtGTIN}, {AI: "10", Value: "YGL1"}, {AI: "21", Value: out.Serials[12]}}}
		kind, _ := scanner.ParseSymbology(sym)
		symbol, err := scanner.Encode(kind, d, scanner.RenderOptions{Stem: ns.url})
		if err != nil {
			t.Fatal(err)
		}
		if got := drawnModules(t, sheet.Labels[0].Path.D, symbol.Width, symbol.Height); !slices.Equal(got, symbol.Modules) {
			t.Fatalf("%s: the label's path does not draw its symbol", sym)
		}
		text, err := scanner.DecodeImage(symbol.Image())
		if err != nil {
			t.Fatal(err)
		}
		want := symbol.Data
		if !strings.HasSuffix(text, want) {
			t.Errorf("%s label decodes to %q, want %q", sym, text, want)
		}
		if sym == "dl-qr" && want != ns.url+"/01/"+yogurtGTIN+"/10/YGL1/21/"+out.Serials[12] {
			t.Errorf("Digital Link QR carries %q", want)
		}
	}
	res, body = ns.do(http.MethodGet, "/api/v1/lots/serials/labels?gtin="+yogurtGTIN+"&lot=YGL1&perPage=12&page=4",
		ns.key(plant, RoleProducer), nil)
	problem(t, res, body, http.StatusNotFound)
}

// drawnModules rasterises a path of "M x yhNv1h-Nz" rectangles into a module grid.
func drawnModules(t *testing.T, d string, w, h int) []bool {
	grid := make([]bool, w*h)
	re := regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	for _, m := range re.FindAllStringSubmatch(d, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		n, _ := strconv.Atoi(m[3])
		for i := 0; i < n; i++ {
			grid[y*w+x+i] = true
		}
	}
	if re.ReplaceAllString(d, "") != "" {
		t.Fatalf("path has other commands: %.80s", re.ReplaceAllString(d, ""))
	}
	return grid
}

// TestSerialIssuanceSplitsToFitTheLedger pins why serials are commissioned in chunks:
// one event of 100,000 EPCs is too big for one transaction of a default ledger, one
// of serialChunk fits.
func TestSerialIssuanceSplitsToFitTheLedger(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tries a 100,000-EPC event")
	}
	l, err := ledger.Open(t.TempDir(), ledger.DefaultOptions().WithIndexer(ledger.EPCISIndexer))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	serials, err := events.NewSerials(events.MaxSerials)
	if err != nil {
		t.Fatal(err)
	}
	r := events.SerialsRequest{GTIN: yogurtGTIN, Lot: "YGS1", Site: plantSite}
	big, err := events.CommissionSerials(r, serials, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Capture(t.Context(), "", big); !errors.Is(err, ledger.ErrBatchTooBig) {
		t.Fatalf("a 100,000-EPC event: %v, want ErrBatchTooBig", err)
	}
	small, err := events.CommissionSerials(r, serials[:serialChunk], time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Capture(t.Context(), "", small); err != nil {
		t.Fatalf("a %d-EPC event: %v", serialChunk, err)
	}
}

// TestSerialIssuanceHalvesEventsThatDoNotFit: on a ledger with a smaller memtable a
// chunk of serialChunk EPCs is too big for one transaction; the issuance halves the
// events until they fit and still records every serial.
func TestSerialIssuanceHalvesEventsThatDoNotFit(t *testing.T) {
	ns := startNativeWith(t, ledger.DefaultOptions().WithMemTableSize(4<<20))
	res, body := ns.post("/api/v1/lots/serials", plant, RoleProducer,
		map[string]any{"gtin": yogurtGTIN, "lot": "YGH1", "count": serialChunk + 7, "site": plantSite})
	var out issued
	if res.StatusCode != http.StatusCreated || json.Unmarshal(body, &out) != nil {
		t.Fatalf("issue: %d %.300s", res.StatusCode, body)
	}
	n := 0
	for _, e := range out.Events {
		n += e.Count
		if e.Count > serialChunk/2 {
			t.Errorf("event of %d serials on a 4 MiB memtable", e.Count)
		}
	}
	if n != out.Count || out.Count != serialChunk+7 {
		t.Errorf("%d serials in events, %d issued", n, out.Count)
	}
	res, body = ns.do(http.MethodGet, "/api/v1/lots/serials?gtin="+yogurtGTIN+"&lot=YGH1&perPage=10000", ns.key(plant, RoleProducer), nil)
	var page serialPage
	if json.Unmarshal(body, &page) != nil || page.Total != out.Count {
		t.Errorf("listed %d of %d", page.Total, out.Count)
	}
}
