package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"traceledger/ledger"
	"traceledger/ledger/lotrecord"
	"traceledger/scanner"
)

// resolverHandler is the GS1 Digital Link resolver at the site root (GS1's resolver
// standard 1.2; DESIGN.md section 7): GET, HEAD and OPTIONS on /01/{gtin}[...],
// /00/{sscc}, /414/{gln}[/254/{ext}] and the other primary keys. What it answers:
//
//   - a syntax error in the URI: 400 with the parser's message (AI and position);
//   - a code whose GTIN (or SSCC, GLN) is neither registered nor on the ledger: 404;
//   - ?linkType=linkset or all, or Accept: application/linkset+json: the RFC 9264
//     linkset, link types as full GS1 vocabulary URIs, anchor = the request URI;
//   - ?linkType=gs1:X (or the full URI): 307 to that link with the query passed on, 300
//     when several links fit Accept and Accept-Language equally, 404 when there is none;
//   - Accept: application/json: the record (package ledger/lotrecord);
//   - Accept: text/html (browsers): the consumer page;
//   - anything else (no Accept, */*, or types it does not serve): 307 to the default
//     link, the consumer page; an unusable Accept is no preference, never 406.
//
// Every answer about a code carries one Link header field with all its links and
// rel="linkset", OPTIONS included, and Vary: Accept, Accept-Language. A compressed
// Digital Link (/{compressed}, or /01/{gtin}/{compressed}) is answered as its full
// form, named in the Link header with rel="owl:sameAs" (resolver_compressed.go; full
// ones are rewritten before routing by decompressRequests). A serial or lot
// that is not on the ledger falls back to its lot, then its GTIN, and the answer says
// so (the record's fallback, and the page).
type resolverHandler struct {
	base    string // public base URL, no trailing slash
	log     *ledger.Log
	builder *lotrecord.Builder
	watch   *scanWatch
	cors    []string // allowed origins (Config.CORSOrigins); nil means any
	now     func() time.Time

	mu    sync.Mutex
	cache map[string]*cachedRecord
}

// cachedRecord is a built record with what every answer about it needs (its links,
// the Link header field, its JSON), and the log size it was built at: any append may
// change a record (a recall, a new journey step, a newer checkpoint), so it is reused
// only while the log has not grown. Resolving a lot in steady state is then a parse, a
// map lookup and a write.
type cachedRecord struct {
	size  int64
	rec   *lotrecord.Record
	links []typedLink
	// header is the Link header field: every link, then rel="linkset".
	header string
	json   []byte
	// pages holds the rendered consumer page by language ([]byte), made on first use.
	pages sync.Map
}

// maxCachedRecords bounds the record cache; when full it is emptied (records are cheap
// to rebuild, and a full cache under a scan storm is better dropped than managed).
const maxCachedRecords = 4096

// primaryKeys are the GS1 Digital Link primary key AIs the resolver serves.
var primaryKeys = []string{"01", "00", "414", "417", "8003", "8004", "8006", "8010", "8013", "8017", "8018", "253", "255", "401", "402"}

func newResolverHandler(s *Server, deps Deps) *resolverHandler {
	h := &resolverHandler{base: s.cfg.BaseURL, log: deps.Ledger, watch: newScanWatch(), now: time.Now,
		cache: map[string]*cachedRecord{}}
	if deps.Ledger != nil {
		h.builder = &lotrecord.Builder{Log: deps.Ledger}
		if deps.Registry != nil {
			h.builder.Dir = lotrecord.FromRegistry(deps.Registry)
		}
	}
	h.cors = s.cfg.CORSOrigins
	return h
}

// query parameters of the resolver that are not GS1 data attributes.
const (
	paramLinkType = "linkType"
	paramContext  = "context"
)

// resolved is one request's parse: the data, the request URI as the anchor, and the
// record with its links.
type resolved struct {
	data   scanner.Data
	anchor string
	// sameAs is the full form of a compressed request URI, "" otherwise.
	sameAs string
	*cachedRecord
}

// linkHeader is the Link header field of the answer: the record's, and the full form
// of a compressed request as rel="owl:sameAs".
func (r *resolved) linkHeader() string {
	if r.sameAs == "" {
		return r.header
	}
	return r.header + ", " + linkHeader([]typedLink{{Rel: owlSameAs, Href: r.sameAs, Title: "The uncompressed GS1 Digital Link"}})
}

// resolve parses the request path as a Digital Link on this resolver and builds the
// record: the shared first half of GET and OPTIONS.
func (h *resolverHandler) resolve(c echo.Context, path string) (*resolved, error) {
	if h.builder == nil {
		return nil, NewProblem(http.StatusServiceUnavailable, ImplementationException, "this server has no ledger")
	}
	// GS1 asks resolvers to tolerate a trailing slash.
	path = strings.TrimRight(path, "/")
	d, err := h.parse(c, path)
	sameAs := ""
	if err != nil {
		// A partially compressed Digital Link (/01/{gtin}/{compressed}) does not parse
		// as it stands; answered as its full form when it decompresses.
		full, derr := decompressPath(path)
		if derr != nil {
			return nil, err
		}
		if d, err = h.parse(c, full); err != nil {
			return nil, err
		}
		path, sameAs = full, h.base+full
	}
	if full, ok := c.Get(sameAsKey).(string); ok {
		sameAs = full
	}
	cr, err := h.entry(d)
	if err != nil {
		return nil, err
	}
	anchor, _, _ := strings.Cut(h.base+path, "?")
	return &resolved{data: d, anchor: anchor, cachedRecord: cr, sameAs: sameAs}, nil
}

// parse reads path (which may carry a query of its own, from decompression) with the
// request's query as a Digital Link on this resolver.
func (h *resolverHandler) parse(c echo.Context, path string) (scanner.Data, error) {
	uri := h.base + path
	if q := c.Request().URL.RawQuery; q != "" {
		if strings.Contains(uri, "?") {
			uri += "&" + q
		} else {
			uri += "?" + q
		}
	}
	d, err := scanner.ParseDigitalLink(uri, scanner.Options{ZeroSuppressedGTIN: true})
	if err != nil {
		// Positions are in uri; say which URI they count in.
		return d, BadRequest("path", "not a valid GS1 Digital Link URI: "+err.Error()+" (positions count in "+uri+")").WithCause(err)
	}
	return d, nil
}

// sameAsKey is the Echo context key of the full form of a compressed request URI.
const sameAsKey = "traceledger.sameAs"

// decompressRequests is the resolver's pre-routing middleware for fully compressed
// Digital Links (/{compressed}): a request whose path is one segment that no route
// serves and that decompresses to GS1 data with a primary key is routed as its full
// form, which resolve then names with rel="owl:sameAs". Done before routing so that
// the full form gets everything the resolver's routes get (OPTIONS, CORS, metrics by
// route) without a catch-all route at the site root.
func (h *resolverHandler) decompressRequests(s *Server) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			p := req.URL.Path
			if len(p) < 3 || strings.IndexByte(p[1:], '/') >= 0 || s.routes[http.MethodGet+" "+p] != nil {
				return next(c)
			}
			full, err := decompressPath(p)
			if err != nil {
				return next(c)
			}
			// Echo routes the request it was handed, so the rewrite is in place.
			path, query, _ := strings.Cut(full, "?")
			pu, err := url.Parse(path)
			if err != nil {
				return next(c)
			}
			req.URL.Path, req.URL.RawPath = pu.Path, pu.RawPath
			if query != "" {
				if req.URL.RawQuery != "" {
					query += "&" + req.URL.RawQuery
				}
				req.URL.RawQuery = query
			}
			req.RequestURI = req.URL.RequestURI()
			c.Set(sameAsKey, h.base+full)
			return next(c)
		}
	}
}

// record returns the record of d, from the cache while the log has not grown.
func (h *resolverHandler) record(d scanner.Data) (*lotrecord.Record, error) {
	cr, err := h.entry(d)
	if err != nil {
		return nil, err
	}
	return cr.rec, nil
}

// entry returns the cache entry of d, building it when the log has grown since.
func (h *resolverHandler) entry(d scanner.Data) (*cachedRecord, error) {
	key := d.Bracketed()
	size := h.log.Size()
	h.mu.Lock()
	cr, ok := h.cache[key]
	h.mu.Unlock()
	if ok && cr.size == size {
		return cr, nil
	}
	rec, err := h.builder.Build(d)
	switch {
	case errors.Is(err, lotrecord.ErrUnknown):
		return nil, NotFound("no record of " + describeData(d) + ": it is neither registered nor on the ledger")
	case errors.Is(err, scanner.ErrNoPrimaryKey):
		return nil, BadRequest("path", err.Error())
	case err != nil:
		return nil, Internal(err)
	}
	cr = &cachedRecord{size: size, rec: rec, links: h.links(rec)}
	// The linkset link names the code's canonical path on this resolver: the same for
	// every spelling of the request (zero-suppressed, trailing slash).
	canonical := h.base + strings.TrimPrefix(rec.Requested, scanner.CanonicalStem)
	cr.header = linkHeader(append(slices.Clone(cr.links),
		typedLink{Rel: linksetRel, Href: canonical + "?linkType=linkset", Title: linksetTitle, Type: linksetMediaType}))
	if cr.json, err = jsonBytes(rec); err != nil {
		return nil, Internal(err)
	}
	h.mu.Lock()
	if len(h.cache) >= maxCachedRecords {
		clear(h.cache)
	}
	h.cache[key] = cr
	h.mu.Unlock()
	return cr, nil
}

// describeData names the code for messages: its canonical Digital Link.
func describeData(d scanner.Data) string {
	if s, err := d.DigitalLink(""); err == nil {
		return s
	}
	return d.Bracketed()
}

// withScans returns rec, or a copy of it with the scan watch's counterfeit signal when
// the code was scanned in implausibly many places, after recording this scan from
// place when place is not "" (HEAD and OPTIONS do not count).
func (h *resolverHandler) withScans(rec *lotrecord.Record, place string) *lotrecord.Record {
	var places int
	var flagged bool
	if place != "" {
		places, flagged = h.watch.observe(rec.Requested, place, h.now())
	} else {
		places, flagged = h.watch.peek(rec.Requested, h.now())
	}
	if !flagged {
		return rec
	}
	cp := *rec
	cp.Counterfeit.Reasons = append([]string(nil), rec.Counterfeit.Reasons...)
	cp.Counterfeit.Places, cp.Counterfeit.Window = places, h.watch.window.String()
	cp.Counterfeit.Flag(h.watch.reason(places))
	return &cp
}

// recordJSON answers the record as JSON: the cached encoding unless the scan watch
// flags the code.
func (h *resolverHandler) recordJSON(c echo.Context, cr *cachedRecord, place string) error {
	rec := h.withScans(cr.rec, place)
	if rec == cr.rec {
		return c.Blob(http.StatusOK, mediaJSON, cr.json)
	}
	return c.JSON(http.StatusOK, rec)
}

// get answers GET and HEAD on a Digital Link.
func (h *resolverHandler) get(c echo.Context) error {
	r, err := h.resolve(c, c.Request().URL.EscapedPath())
	if err != nil {
		return err
	}
	return h.answer(c, r)
}

// answer answers GET and HEAD on a resolved code.
func (h *resolverHandler) answer(c echo.Context, r *resolved) error {
	req := c.Request()
	hdr := c.Response().Header()
	hdr.Set("Vary", "Accept, Accept-Language")
	h.allowOrigin(c)
	hdr.Set(echo.HeaderAccessControlExposeHeaders, "Link, Location, Vary, "+HeaderRequestID)
	q := req.URL.Query()
	lt := q.Get(paramLinkType)
	hdr.Set("Link", r.linkHeader())

	place := ""
	if req.Method == http.MethodGet {
		place = "ip:" + c.RealIP()
	}
	switch {
	case lt == "linkset" || lt == "all":
		return h.serveLinkset(c, r, preferredRepresentation(req.Header.Get(echo.HeaderAccept)) == reprJSON)
	case lt != "":
		rel, ok := linkTypeURI(lt)
		if !ok {
			return NotFound("no link of type " + lt + " for " + r.rec.Requested).WithField(paramLinkType)
		}
		var cands []typedLink
		for _, l := range r.links {
			if l.Rel == rel {
				cands = append(cands, l)
			}
		}
		if len(cands) == 0 {
			return NotFound("no link of type " + lt + " for " + r.rec.Requested).WithField(paramLinkType)
		}
		h.withScans(r.rec, place)
		return h.redirect(c, r, bestLinks(cands, req.Header.Get(echo.HeaderAccept), req.Header.Get("Accept-Language")))
	}
	switch preferredRepresentation(req.Header.Get(echo.HeaderAccept)) {
	case reprLinkset:
		return h.serveLinkset(c, r, false)
	case reprJSON:
		return h.recordJSON(c, r.cachedRecord, place)
	case reprHTML:
		return h.page(c, r.cachedRecord, place, pageLang(req))
	}
	h.withScans(r.rec, place)
	return h.redirect(c, r, []typedLink{r.defaultLink()})
}

// redirect answers 307 to the one best link, with the request's query (less the
// resolver's own parameters) passed on as GS1 asks, or 300 listing the links that fit
// equally well.
func (h *resolverHandler) redirect(c echo.Context, r *resolved, best []typedLink) error {
	if len(best) == 1 {
		c.Response().Header().Set(echo.HeaderLocation, withQuery(best[0].Href, passedOnQuery(c.Request().URL)))
		return c.NoContent(http.StatusTemporaryRedirect)
	}
	doc := linkset{Linkset: []linkContext{{Anchor: r.anchor, ItemDescription: itemDescription(r.rec), Links: best}}}
	return c.JSON(http.StatusMultipleChoices, doc)
}

// serveLinkset answers the linkset: as application/linkset+json, or as
// application/json when the client asked for JSON (GS1's conformance suite asks for
// linkType=all with Accept: application/json).
func (h *resolverHandler) serveLinkset(c echo.Context, r *resolved, asJSON bool) error {
	doc := linkset{Linkset: []linkContext{{Anchor: r.anchor, ItemDescription: itemDescription(r.rec), Links: r.links}}}
	hdr := c.Response().Header()
	// One Link field: the code's links, then the JSON-LD context of the linkset.
	hdr.Set("Link", hdr.Get("Link")+", "+linkHeader([]typedLink{{Rel: jsonLDContextRel, Href: gs1LinksetContext, Type: mediaJSONLD, Title: "JSON-LD context of GS1 linksets"}}))
	ct := linksetMediaType
	if asJSON {
		ct = mediaJSON
	}
	b, err := jsonBytes(doc)
	if err != nil {
		return Internal(err)
	}
	return c.Blob(http.StatusOK, ct, b)
}

// options answers OPTIONS on a Digital Link: the methods, CORS, and the Link header,
// so a client learns the links without a GET.
func (h *resolverHandler) options(c echo.Context) error {
	r, err := h.resolve(c, c.Request().URL.EscapedPath())
	if err != nil {
		return err
	}
	return h.answerOptions(c, r)
}

// answerOptions answers OPTIONS on a resolved code.
func (h *resolverHandler) answerOptions(c echo.Context, r *resolved) error {
	hdr := c.Response().Header()
	hdr.Set(echo.HeaderAllow, "GET, HEAD, OPTIONS")
	h.allowOrigin(c)
	hdr.Set(echo.HeaderAccessControlAllowMethods, "GET, HEAD, OPTIONS")
	hdr.Set(echo.HeaderAccessControlAllowHeaders, "Accept, Accept-Language, Authorization, "+HeaderRequestID)
	hdr.Set(echo.HeaderAccessControlExposeHeaders, "Link, Location, Vary, "+HeaderRequestID)
	hdr.Set(echo.HeaderAccessControlMaxAge, "86400")
	hdr.Set("Link", r.linkHeader())
	return c.NoContent(http.StatusNoContent)
}

// allowOrigin sets Access-Control-Allow-Origin on a resolver answer, which GS1 asks
// of every answer (not only those to browsers that send Origin): "*" when any origin
// may read, else the request's Origin when it is one of the allowed ones.
func (h *resolverHandler) allowOrigin(c echo.Context) {
	if len(h.cors) == 0 || slices.Contains(h.cors, "*") {
		c.Response().Header().Set(echo.HeaderAccessControlAllowOrigin, "*")
		return
	}
	if o := c.Request().Header.Get(echo.HeaderOrigin); o != "" && slices.Contains(h.cors, o) {
		c.Response().Header().Set(echo.HeaderAccessControlAllowOrigin, o)
		c.Response().Header().Add(echo.HeaderVary, echo.HeaderOrigin)
	}
}

// passedOnQuery is the request's query without the resolver's own parameters.
func passedOnQuery(u *url.URL) string {
	if u.RawQuery == "" {
		return ""
	}
	var keep []string
	for part := range strings.SplitSeq(u.RawQuery, "&") {
		k, _, _ := strings.Cut(part, "=")
		if k == paramLinkType || k == paramContext || k == "" {
			continue
		}
		keep = append(keep, part)
	}
	return strings.Join(keep, "&")
}

// withQuery appends a raw query to a URL that may have one.
func withQuery(href, q string) string {
	if q == "" {
		return href
	}
	frag := ""
	if i := strings.IndexByte(href, '#'); i >= 0 {
		href, frag = href[:i], href[i:]
	}
	if strings.Contains(href, "?") {
		return href + "&" + q + frag
	}
	return href + "?" + q + frag
}

// linkTypeURI turns a linkType parameter into the link type's full URI: "gs1:pip" and
// "https://gs1.org/voc/pip" (or http:) both give "https://gs1.org/voc/pip".
func linkTypeURI(lt string) (string, bool) {
	switch {
	case strings.HasPrefix(lt, "gs1:"):
		return gs1Voc + lt[4:], len(lt) > 4
	case strings.HasPrefix(lt, gs1Voc):
		return lt, len(lt) > len(gs1Voc)
	case strings.HasPrefix(lt, "http://gs1.org/voc/"):
		return gs1Voc + lt[len("http://gs1.org/voc/"):], len(lt) > len("http://gs1.org/voc/")
	}
	return "", false
}
