package server

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"traceledger/fixtures"
	"traceledger/ledger"
	"traceledger/ledger/registry"
)

// registryServer is the real server on a real ledger with a registry, on 127.0.0.1.
type registryServer struct {
	t    *testing.T
	url  string
	log  *ledger.Log
	keys *KVKeyStore
}

func startRegistryServer(t *testing.T) *registryServer {
	t.Helper()
	l, err := ledger.Open(t.TempDir(), ledger.DefaultOptions().WithIndexer(registry.Indexer(ledger.EPCISIndexer)))
	if err != nil {
		t.Fatal(err)
	}
	reg := registry.New(l)
	keys := NewKVKeyStore(l.Meta())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Addr: ln.Addr().String(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
		Deps{Store: l, Ledger: l, Registry: reg, Keys: keys, Firms: reg})
	if err != nil {
		t.Fatal(err)
	}
	serveUntilCleanup(t, s, ln, 10*time.Second)
	return &registryServer{t: t, url: "http://" + ln.Addr().String(), log: l, keys: keys}
}

// key makes an API key of role for firm.
func (rs *registryServer) key(firm string, role Role) string {
	rs.t.Helper()
	k, _, err := rs.keys.Create(firm, role)
	if err != nil {
		rs.t.Fatal(err)
	}
	return k
}

// call sends a request with a JSON body (none when body is nil) and decodes the
// answer into a map.
func (rs *registryServer) call(method, path, key string, body any) (int, http.Header, map[string]any) {
	rs.t.Helper()
	var r io.Reader
	if s, ok := body.(string); ok {
		r = strings.NewReader(s)
	} else if body != nil {
		b, _ := json.Marshal(body)
		r = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, rs.url+path, r)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		rs.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil && !errors.Is(err, io.EOF) {
		rs.t.Fatalf("%s %s: %d answer is not a JSON object: %v", method, path, resp.StatusCode, err)
	}
	return resp.StatusCode, resp.Header, m
}

// firmBody is the registration body of a fixture firm.
func firmBody(f *fixtures.Firm) map[string]any {
	var sites []map[string]string
	for _, s := range f.Sites {
		sites = append(sites, map[string]string{"gln": s.GLN, "name": s.Name, "address": s.Address})
	}
	return map[string]any{"uscc": f.USCC, "name": f.Name, "nameEN": f.NameEN, "region": f.Region,
		"prefixes": f.Prefixes, "partyGLN": f.PartyGLN, "sites": sites}
}

func TestFirmsRegisterReadAndChange(t *testing.T) {
	rs := startRegistryServer(t)
	d := fixtures.Demo()
	farm, plant, bureau := &d.Firms[0], &d.Firms[2], &d.Firms[8]
	admin, regulator := rs.key(bureau.USCC, RoleAdmin), rs.key(bureau.USCC, RoleRegulator)
	producer := rs.key(farm.USCC, RoleProducer)

	code, h, body := rs.call("POST", "/api/v1/firms", admin, firmBody(farm))
	if code != http.StatusCreated || h.Get("Location") != "/api/v1/firms/"+farm.USCC || body["status"] != "pending" {
		t.Fatalf("register: %d %v %v", code, h.Get("Location"), body)
	}
	code, _, body = rs.call("GET", "/api/v1/firms/"+farm.USCC, "", nil)
	if code != http.StatusOK || body["name"] != farm.Name || body["region"] != farm.Region ||
		len(body["sites"].([]any)) != len(farm.Sites) || !strings.HasSuffix(body["recordId"].(string), "?ver=tl-registry-1") {
		t.Fatalf("public read: %d %v", code, body)
	}

	bad := func(change func(m map[string]any)) map[string]any {
		m := firmBody(plant)
		change(m)
		return m
	}
	for _, tc := range []struct {
		name, key string
		body      any
		status    int
		field     string
	}{
		{"again", admin, firmBody(farm), http.StatusConflict, "uscc"},
		{"check character", admin, bad(func(m map[string]any) { m["uscc"] = plant.USCC[:17] + "Y" }), http.StatusBadRequest, "uscc"},
		{"site GLN", regulator, bad(func(m map[string]any) {
			m["sites"] = []map[string]string{{"gln": "1234567890123"}}
		}), http.StatusBadRequest, "sites[0].gln"},
		{"prefix of another firm", admin, bad(func(m map[string]any) { m["prefixes"] = farm.Prefixes }), http.StatusConflict, "prefixes[0]"},
		{"region", admin, bad(func(m map[string]any) { m["region"] = "15" }), http.StatusBadRequest, "region"},
		{"suspended at birth", admin, bad(func(m map[string]any) { m["status"] = "suspended" }), http.StatusBadRequest, "status"},
		{"unknown member", admin, bad(func(m map[string]any) { m["owner"] = "x" }), http.StatusBadRequest, "owner"},
		{"wrong type", admin, bad(func(m map[string]any) { m["prefixes"] = "6990021" }), http.StatusBadRequest, "prefixes"},
		{"malformed JSON", admin, `{"uscc":`, http.StatusBadRequest, ""},
		{"producer key", producer, firmBody(plant), http.StatusForbidden, ""},
		{"no key", "", firmBody(plant), http.StatusUnauthorized, ""},
	} {
		code, _, body := rs.call("POST", "/api/v1/firms", tc.key, tc.body)
		if code != tc.status || (tc.field != "" && body["field"] != tc.field) {
			t.Errorf("%s: %d field %v (%v), want %d field %q", tc.name, code, body["field"], body["detail"], tc.status, tc.field)
		}
	}
	if code, _, _ := rs.call("GET", "/api/v1/firms/"+plant.USCC, "", nil); code != http.StatusNotFound {
		t.Errorf("a refused firm: %d, want 404", code)
	}
	if code, _, body := rs.call("GET", "/api/v1/firms/"+plant.USCC[:17]+"Y", "", nil); code != http.StatusBadRequest || body["field"] != "uscc" {
		t.Errorf("invalid USCC in the path: %d %v", code, body)
	}

	path := "/api/v1/firms/" + farm.USCC
	for _, tc := range []struct {
		name, key string
		body      any
		status    int
		want      string // status after
	}{
		{"admin may not approve", admin, map[string]any{"status": "approved"}, http.StatusForbidden, "pending"},
		{"regulator approves", regulator, map[string]any{"status": "approved"}, http.StatusOK, "approved"},
		{"suspension needs a reason", regulator, map[string]any{"status": "suspended"}, http.StatusBadRequest, "approved"},
		{"unknown status", regulator, map[string]any{"status": "closed"}, http.StatusBadRequest, "approved"},
		{"regulator suspends", regulator, map[string]any{"status": "suspended", "reason": "aflatoxin M1 over the limit"}, http.StatusOK, "suspended"},
		{"admin corrects the name", admin, map[string]any{"name": farm.Name + "（更名）"}, http.StatusOK, "suspended"},
		{"producer may not", producer, map[string]any{"status": "approved"}, http.StatusForbidden, "suspended"},
	} {
		code, _, body := rs.call("PATCH", path, tc.key, tc.body)
		if code != tc.status {
			t.Errorf("%s: %d %v, want %d", tc.name, code, body, tc.status)
		}
		if _, _, got := rs.call("GET", path, "", nil); got["status"] != tc.want {
			t.Errorf("%s: status %v, want %s", tc.name, got["status"], tc.want)
		}
	}
	if code, _, _ := rs.call("PATCH", "/api/v1/firms/"+plant.USCC, regulator, map[string]any{"status": "approved"}); code != http.StatusNotFound {
		t.Errorf("PATCH of an unknown firm: %d, want 404", code)
	}
	hist, err := rs.log.History(registry.FirmCode(farm.USCC))
	if err != nil || len(hist) != 4 {
		t.Fatalf("the firm's history on the ledger: %d records, %v", len(hist), err)
	}
	if rec, err := registry.ParseRecord(hist[1].Event); err != nil || rec.By != bureau.USCC || rec.Reason == "" {
		t.Errorf("suspension record: %+v, %v", rec, err)
	}
	code, _, body = rs.call("GET", path+"/history", "", nil)
	records, _ := body["records"].([]any)
	if code != http.StatusOK || len(records) != 4 {
		t.Fatalf("history: %d %v", code, body)
	}
	if r := records[1].(map[string]any); r["type"] != registry.TypeFirmUpdate || r["reason"] != "aflatoxin M1 over the limit" ||
		r["firm"].(map[string]any)["status"] != "suspended" || r["by"] != bureau.USCC {
		t.Errorf("history record 1: %v", r)
	}
	if code, _, _ := rs.call("GET", "/api/v1/firms/"+plant.USCC+"/history", "", nil); code != http.StatusNotFound {
		t.Errorf("history of an unknown firm: %d, want 404", code)
	}
}

func TestProductsRegisterAndRead(t *testing.T) {
	rs := startRegistryServer(t)
	d := fixtures.Demo()
	farm, plant, bureau := &d.Firms[0], &d.Firms[2], &d.Firms[8]
	admin := rs.key(bureau.USCC, RoleAdmin)
	for _, f := range []*fixtures.Firm{farm, plant} {
		if code, _, body := rs.call("POST", "/api/v1/firms", admin, firmBody(f)); code != http.StatusCreated {
			t.Fatalf("register %s: %d %v", f.NameEN, code, body)
		}
	}
	producer := rs.key(plant.USCC, RoleProducer)
	var p *fixtures.Product
	for i := range d.Products {
		if d.Products[i].Owner == plant.USCC {
			p = &d.Products[i]
			break
		}
	}
	body := map[string]any{"gtin": p.GTIN, "description": p.Description, "category": string(p.Category), "uom": p.UOM}
	code, h, got := rs.call("POST", "/api/v1/products", producer, body)
	if code != http.StatusCreated || got["owner"] != plant.USCC || h.Get("Location") != "/api/v1/products/"+p.GTIN {
		t.Fatalf("register product: %d %v", code, got)
	}
	code, _, got = rs.call("GET", "/api/v1/products/"+p.GTIN[1:], "", nil)
	if code != http.StatusOK || got["description"] != p.Description || got["ownerName"] != plant.Name {
		t.Fatalf("read product: %d %v", code, got)
	}
	with := func(k string, v any) map[string]any {
		m := map[string]any{"gtin": fixtures.GTIN(plant.Prefixes[0], 901), "description": "test", "category": "manufactured", "uom": "EA"}
		m[k] = v
		return m
	}
	for _, tc := range []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"again", body, http.StatusConflict, "gtin"},
		{"another firm's prefix", with("gtin", fixtures.GTIN(farm.Prefixes[0], 5)), http.StatusBadRequest, "gtin"},
		{"for another firm", with("owner", farm.USCC), http.StatusForbidden, "owner"},
		{"check digit", with("gtin", "06990021000010"), http.StatusBadRequest, "gtin"},
		{"category", with("category", "dairy"), http.StatusBadRequest, "category"},
		{"uom", with("uom", "kilo"), http.StatusBadRequest, "uom"},
	} {
		code, _, got := rs.call("POST", "/api/v1/products", producer, tc.body)
		if code != tc.status || got["field"] != tc.field {
			t.Errorf("%s: %d field %v (%v), want %d %q", tc.name, code, got["field"], got["detail"], tc.status, tc.field)
		}
	}
	// An admin registers for any firm.
	if code, _, got := rs.call("POST", "/api/v1/products", admin, with("owner", plant.USCC)); code != http.StatusCreated {
		t.Errorf("admin registers a product: %d %v", code, got)
	}
	if code, _, _ := rs.call("GET", "/api/v1/products/"+fixtures.GTIN(farm.Prefixes[0], 5), "", nil); code != http.StatusNotFound {
		t.Errorf("unknown product: %d, want 404", code)
	}
	if code, _, got := rs.call("GET", "/api/v1/products/123", "", nil); code != http.StatusBadRequest || got["field"] != "gtin" {
		t.Errorf("bad GTIN: %d %v", code, got)
	}
	rep, err := rs.log.Verify(nil)
	if err != nil || !rep.OK {
		t.Errorf("the ledger does not verify: %+v, %v", rep, err)
	}
}
