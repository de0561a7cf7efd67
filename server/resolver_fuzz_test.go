package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Negotiation reads headers any client may send: it must never panic, and the links
// it picks are always some of the candidates.
func FuzzNegotiate(f *testing.F) {
	for _, s := range [][2]string{
		{"", ""}, {"*/*", "*"}, {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "zh-CN,zh;q=0.9,en;q=0.8"},
		{"application/json;q=0", "en-GB;q=oops"}, {"application/linkset+json, application/json;q=0.5", "fr, de;q=0.1"},
		{";;,,;q=", "-,*-"}, {"TEXT/*", "ZH"},
	} {
		f.Add(s[0], s[1])
	}
	cands := []typedLink{
		{Rel: linkPIP, Href: "https://x/p", Title: "en", Type: mediaHTML, Hreflang: []string{"en"}},
		{Rel: linkPIP, Href: "https://x/p?lang=zh", Title: "zh", Type: mediaHTML, Hreflang: []string{"zh"}},
		{Rel: linkPIP, Href: "https://x/j", Title: "json", Type: mediaJSON},
	}
	f.Fuzz(func(t *testing.T, accept, lang string) {
		switch preferredRepresentation(accept) {
		case reprNone, reprLinkset, reprJSON, reprHTML:
		default:
			t.Fatal("unknown representation")
		}
		best := bestLinks(cands, accept, lang)
		if len(best) == 0 {
			t.Fatal("no link chosen")
		}
		for _, b := range best {
			if !slices.ContainsFunc(cands, func(c typedLink) bool { return c.Href == b.Href }) {
				t.Fatalf("chose %v", b)
			}
		}
		_ = pageLang(&http.Request{URL: &url.URL{}, Header: http.Header{"Accept-Language": {lang}}})
	})
}

// Whatever path, query and headers a client sends to the resolver, it answers with a
// client error or a proper answer, never a server error, and every answer about a
// code carries exactly one Link header field.
func FuzzResolverRequest(f *testing.F) {
	demoLedgerUsed.Store(true)
	dd, err := demoLedger()
	if err != nil {
		f.Fatal(err)
	}
	s, err := New(Config{PublicRate: -1, Logger: discardLogger()}, Deps{Ledger: dd.log, Registry: dd.reg})
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	for _, seed := range [][4]string{
		{"01/06990021000025/10/YG260303", "", "", ""},
		{"01/06990021000025/10/YG260303", "linkType=gs1:pip", "*/*", "zh"},
		{"01/6990021000025/10/YG260303/", "linkType=all", "application/json", ""},
		{"01/06990021000032/21/CH260303-01", "17=260101&foo=bar", "text/html", ""},
		{"00/069900220026030418", "linkType=linkset", "", ""},
		{"414/6990021000018/254/1", "", "application/json", ""},
		{"01/06990021000026", "", "", ""},
		{"01/0699002100002%2F5/10/%ZZ", "linkType=%", ";q=", ""},
		{"8004/69900210000251234", "", "", ""},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	f.Fuzz(func(t *testing.T, path, query, accept, lang string) {
		for _, m := range []string{http.MethodGet, http.MethodOptions} {
			req := &http.Request{Method: m, URL: &url.URL{Path: "/" + path, RawQuery: query}, Header: http.Header{},
				Host: "example.org", RemoteAddr: "192.0.2.1:1234"}
			req.Header.Set("Accept", accept)
			req.Header.Set("Accept-Language", lang)
			req.RequestURI = req.URL.RequestURI()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s %s?%s: %d %s", m, path, query, rec.Code, rec.Body)
			}
			if rec.Code < 400 && isResolverPath(path) {
				if n := len(rec.Header().Values("Link")); n != 1 {
					t.Fatalf("%s %s?%s: %d: %d Link fields", m, path, query, rec.Code, n)
				}
			}
			if (rec.Code == 307) != (rec.Header().Get("Location") != "") {
				t.Fatalf("%s %s?%s: %d with Location %q", m, path, query, rec.Code, rec.Header().Get("Location"))
			}
		}
	})
}

// isResolverPath says whether a path is under one of the resolver's primary keys.
func isResolverPath(path string) bool {
	for _, k := range primaryKeys {
		if strings.HasPrefix(path, k+"/") {
			return true
		}
	}
	return false
}
