package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"traceledger/scanner"
)

// barcodesHandler issues barcodes: GET /api/v1/barcodes/{symbology}?data=...&format=
// png|svg&module=N&hri=1, public and cacheable. The same request always draws the same
// symbol, so the answer carries an ETag (a hash of the normalised parameters: the data
// as its bracketed element string, so "(01)…" and "01…" typed differently share it)
// and Cache-Control: public; If-None-Match answers 304 without drawing. Recently drawn
// images are also kept in memory (bounded), so a label sheet's repeated symbols are
// drawn once.
type barcodesHandler struct {
	stem string // Digital Link stem of dl-qr and dl-datamatrix: this resolver

	mu    sync.Mutex
	cache map[string][]byte // ETag -> image bytes
	size  int               // bytes held
}

// Limits of the barcode API.
const (
	barcodeMaxData       = 1024    // characters of data: more than any GS1 symbol holds
	barcodeMaxModule     = 32      // pixels per module
	barcodeCacheBytes    = 8 << 20 // image bytes kept in memory
	barcodeCacheMaxImage = 256 << 10
	// barcodeVersion changes the ETags when the rendering changes.
	barcodeVersion = "1"
	barcodeMaxAge  = 86400
)

func newBarcodesHandler(s *Server) *barcodesHandler {
	return &barcodesHandler{stem: s.cfg.BaseURL, cache: map[string][]byte{}}
}

// barcodeRequest is a parsed, normalised barcode request.
type barcodeRequest struct {
	sym    scanner.Symbology
	data   string // as given
	norm   string // bracketed element string, or the bare GTIN
	format string // "png" or "svg"
	module int
	hri    bool
	stem   string
}

// etag is the strong entity tag of the image the request draws.
func (r *barcodeRequest) etag() string {
	h := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%s\x00%d\x00%t\x00%s\x00%s", barcodeVersion, r.sym, r.format, r.module, r.hri, r.stem, r.norm))
	return `"` + hex.EncodeToString(h[:12]) + `"`
}

func (h *barcodesHandler) parse(c echo.Context) (*barcodeRequest, error) {
	sym, err := scanner.ParseSymbology(c.Param("symbology"))
	if err != nil {
		names := []string{}
		for _, s := range scanner.Symbologies() {
			names = append(names, s.String())
		}
		return nil, BadRequest("symbology", fmt.Sprintf("%v; one of %s", err, strings.Join(names, ", ")))
	}
	q := c.QueryParams()
	r := &barcodeRequest{sym: sym, data: q.Get("data"), format: strings.ToLower(q.Get("format")), module: scanner.DefaultModule, stem: h.stem}
	switch {
	case r.data == "":
		return nil, BadQuery("data", "data is required: the GS1 data to encode, e.g. (01)09506000134352(10)ABC")
	case len(r.data) > barcodeMaxData:
		return nil, BadQuery("data", fmt.Sprintf("data is %d characters long; at most %d", len(r.data), barcodeMaxData))
	}
	switch r.format {
	case "":
		r.format = "png"
	case "png", "svg":
	default:
		return nil, BadQuery("format", "format is png or svg")
	}
	if m := q.Get("module"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 1 || n > barcodeMaxModule {
			return nil, BadQuery("module", fmt.Sprintf("module is the module size in pixels, 1 to %d", barcodeMaxModule))
		}
		r.module = n
	}
	if v := q.Get("hri"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, BadQuery("hri", "hri is 1 or 0")
		}
		r.hri = b
	}
	if s := q.Get("stem"); s != "" {
		if !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
			return nil, BadQuery("stem", "stem is an http(s) URL, e.g. https://id.gs1.org")
		}
		r.stem = strings.TrimRight(s, "/")
	}
	if d, err := scanner.Parse(r.data, scanner.Options{}); err == nil {
		r.norm = d.Bracketed()
	} else {
		r.norm = r.data // a bare GTIN for EAN/UPC, or data Render will refuse
	}
	return r, nil
}

func (h *barcodesHandler) get(c echo.Context) error {
	r, err := h.parse(c)
	if err != nil {
		return err
	}
	etag := r.etag()
	hdr := c.Response().Header()
	hdr.Set(echo.HeaderCacheControl, "public, max-age="+strconv.Itoa(barcodeMaxAge))
	hdr.Set("ETag", etag)
	if etagMatch(c.Request().Header.Get("If-None-Match"), etag) {
		return c.NoContent(http.StatusNotModified)
	}
	ct := "image/png"
	if r.format == "svg" {
		ct = "image/svg+xml"
	}
	h.mu.Lock()
	img, ok := h.cache[etag]
	h.mu.Unlock()
	if ok {
		return c.Blob(http.StatusOK, ct, img)
	}
	sym, err := scanner.Render(r.sym, r.data, scanner.RenderOptions{Module: r.module, HRI: r.hri, Stem: r.stem})
	if err != nil {
		return BadQuery("data", fmt.Sprintf("cannot encode as %s: %v", r.sym, err)).WithCause(err)
	}
	var b bytes.Buffer
	if r.format == "svg" {
		err = sym.SVG(&b)
	} else {
		err = sym.PNG(&b)
	}
	if err != nil {
		return Internal(err)
	}
	h.remember(etag, b.Bytes())
	return c.Blob(http.StatusOK, ct, b.Bytes())
}

// remember keeps an image, emptying the cache when it would grow past its bound.
func (h *barcodesHandler) remember(etag string, img []byte) {
	if len(img) > barcodeCacheMaxImage {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.size+len(img) > barcodeCacheBytes {
		clear(h.cache)
		h.size = 0
	}
	h.cache[etag] = img
	h.size += len(img)
}

// etagMatch reports whether an If-None-Match field lists etag (or is "*"), comparing
// weakly as RFC 9110 section 13.1.2 says.
func etagMatch(field, etag string) bool {
	for t := range strings.SplitSeq(field, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

func (h *barcodesHandler) routes() []Route {
	return []Route{{
		Method: http.MethodGet, Path: "/api/v1/barcodes/:symbology", Handler: h.get, Public: true, Compressed: true,
		Doc: Operation{
			Summary: "Draw a barcode", OperationID: "getBarcode",
			Description: "Encodes GS1 data (any form the scanner parses: bracketed, unbracketed, scan data, Digital Link, EPC URN; " +
				"a bare GTIN for EAN/UPC) as the symbology. dl-qr and dl-datamatrix carry a Digital Link on this resolver unless " +
				"stem is given. Cacheable: ETag, Cache-Control public, 304 on If-None-Match.",
			Tags: []string{"barcodes"},
			Parameters: []Parameter{
				{Name: "symbology", In: "path", Required: true, Description: "gs1-128, gs1-datamatrix, gs1-qr, dl-qr, dl-datamatrix, ean13, upca or ean8",
					Schema: Schema{"type": "string", "enum": []string{"gs1-128", "gs1-datamatrix", "gs1-qr", "dl-qr", "dl-datamatrix", "ean13", "upca", "ean8"}}},
				{Name: "data", In: "query", Required: true, Description: "The GS1 data, e.g. (01)09506000134352(10)ABC"},
				{Name: "format", In: "query", Description: "png (default) or svg", Schema: Schema{"type": "string", "enum": []string{"png", "svg"}}},
				{Name: "module", In: "query", Description: "Module size in pixels, 1 to 32 (default 4)", Schema: Schema{"type": "integer", "minimum": 1, "maximum": 32}},
				{Name: "hri", In: "query", Description: "1 to print the human-readable line under linear symbols", Schema: Schema{"type": "boolean"}},
				{Name: "stem", In: "query", Description: "Digital Link stem for dl-qr and dl-datamatrix (default: this resolver)"},
			},
			Responses: map[string]Response{
				"200": {Description: "The barcode image", ContentType: "image/png", Schema: Schema{"type": "string", "format": "binary"},
					Headers: map[string]string{"ETag": "Hash of the normalised request", "Cache-Control": "public, max-age=86400"}},
				"304": {Description: "Not modified (If-None-Match matched the ETag)"},
				"400": {Description: "Unknown symbology, bad parameter, or data the symbology cannot hold (the parser's message)",
					ContentType: ProblemContentType, Schema: Schema{"$ref": "#/components/schemas/Problem"}},
			},
		},
	}}
}
