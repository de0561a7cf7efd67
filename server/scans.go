package server

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"traceledger/ledger/lotrecord"
	"traceledger/scanner"
)

// scansHandler is the inspector's journey over HTTP (DESIGN.md journey 2): POST
// /api/v1/scans takes whatever a scanner or camera produced, as {"data": "..."} (GS as
// the byte or "\u001d") or as an image (multipart field "image", or an image/* body),
// and answers the parse (ScanReport, the shape of `traceledger scan --json`) with the
// resolved record.
//
// Scans by authenticated callers (inspectors in the field) are recorded: who (firm, key,
// role), where (the site GLN given as ?site=, and the client address) and when. They
// are kept in memory, the newest maxScanLog of them, and readable with GET
// /api/v1/scans; every scan, anonymous ones included, also feeds the scan watch, the
// counterfeit signal of codes seen in too many places. They are deliberately not put
// on the ledger: a scan is an observation of a label, not a business step of the goods
// (an inspection is, and POST /api/v1/inspections records that as an EPCIS event); and
// the ledger is append-only and signed, so a flood of scans (which anyone who can read
// a label can cause) would grow it for ever.
type scansHandler struct {
	res *resolverHandler

	mu     sync.Mutex
	recent []scanRecord // ring of the newest scans
	next   int
}

// maxScanLog bounds the recorded scans kept in memory.
const maxScanLog = 10_000

// maxScanData bounds the text of one scan: more than any GS1 symbol or Digital Link.
const maxScanData = 4096

// A scanRecord is one recorded scan by an authenticated caller.
type scanRecord struct {
	Time    time.Time `json:"time"`
	Firm    string    `json:"firm"`
	KeyID   string    `json:"keyId"`
	Role    Role      `json:"role"`
	Site    string    `json:"site,omitempty"`
	Address string    `json:"address"`
	// Code is the canonical Digital Link scanned, "" when the data was not valid.
	Code  string `json:"code,omitempty"`
	Valid bool   `json:"valid"`
}

// scanRequest is the JSON body of POST /api/v1/scans.
type scanRequest struct {
	Data string `json:"data"`
}

// scanResponse answers a scan: the parse, and the record when the data names a code.
type scanResponse struct {
	Scan ScanReport `json:"scan"`
	// Record is the code's record (null when the data is invalid or the code unknown).
	Record *lotrecord.Record `json:"record"`
	// RecordProblem says why there is no record, as the resolver would answer (404, ...).
	RecordProblem *Problem `json:"recordProblem,omitempty"`
	// Recorded is true when the scan was recorded for the caller.
	Recorded bool `json:"recorded"`
}

func newScansHandler(res *resolverHandler) *scansHandler { return &scansHandler{res: res} }

// input reads the scan from the request body: its text, or the text decoded from an
// image. decodeErr is a scan that yielded nothing (no barcode in the image); err a
// request that is malformed.
func (h *scansHandler) input(c echo.Context) (text string, decodeErr, err error) {
	req := c.Request()
	mt, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	switch {
	case mt == "multipart/form-data":
		if fh, ferr := c.FormFile("image"); ferr == nil {
			f, err := fh.Open()
			if err != nil {
				return "", nil, BadRequest("image", err.Error())
			}
			defer f.Close()
			b, err := io.ReadAll(f)
			if err != nil {
				return "", nil, BadRequest("image", err.Error())
			}
			return decodeImage(b)
		}
		if v := c.FormValue("data"); v != "" {
			return v, nil, nil
		}
		return "", nil, BadRequest("image", `a multipart scan needs an "image" file (or a "data" field)`)
	case strings.HasPrefix(mt, "image/"):
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return "", nil, err
		}
		return decodeImage(b)
	}
	var sr scanRequest
	if err := DecodeJSON(req.Body, &sr, true); err != nil {
		return "", nil, err
	}
	return sr.Data, nil, nil
}

// decodeImage reads the barcode in an uploaded image.
func decodeImage(b []byte) (string, error, error) {
	if len(b) == 0 {
		return "", nil, BadRequest("image", "the image is empty")
	}
	s, err := scanner.DecodeImageBytes(b)
	if err != nil {
		return "", fmt.Errorf("image: %w", err), nil
	}
	return s, nil, nil
}

func (h *scansHandler) post(c echo.Context) error {
	site := c.QueryParam("site")
	if site != "" && !validGLN(site) {
		return BadQuery("site", "site is the 13-digit GLN (with its check digit) of the site where the scan was made")
	}
	text, decodeErr, err := h.input(c)
	if err != nil {
		var p *Problem
		if errors.As(err, &p) {
			return p
		}
		return BadRequest("", err.Error()).WithCause(err)
	}
	// A keyboard-wedge scanner ends with a line feed; it is not data.
	text = strings.TrimRight(text, "\r\n")
	if decodeErr == nil && text == "" {
		return BadRequest("data", "data is required: what the scanner read")
	}
	if len(text) > maxScanData {
		return BadRequest("data", fmt.Sprintf("data is %d bytes long; at most %d", len(text), maxScanData))
	}

	var resp scanResponse
	var d scanner.Data
	if decodeErr != nil {
		resp.Scan = ScanReport{AIs: []ScanAI{}, Errors: []ScanProblem{{Message: decodeErr.Error()}}}
	} else {
		var perr error
		d, perr = scanner.Parse(text, scanner.Options{ZeroSuppressedGTIN: true})
		resp.Scan = NewScanReport(d, perr, "")
	}

	caller := CallerFrom(c.Request().Context())
	place := "ip:" + c.RealIP()
	if site != "" {
		place = "site:" + site
	}
	code := ""
	if resp.Scan.Valid {
		if lv := lotrecord.Levels(d); len(lv) > 0 {
			code = lv[0].Code
			rec, err := h.res.record(d)
			var p *Problem
			switch {
			case err == nil:
				resp.Record = h.res.withScans(rec, place)
			case errors.As(err, &p) && p.Status < 500:
				resp.RecordProblem = p
			default:
				return err
			}
		}
	}
	if !caller.Anonymous() {
		h.remember(scanRecord{Time: h.res.now().UTC(), Firm: caller.Firm, KeyID: caller.KeyID, Role: caller.Role,
			Site: site, Address: c.RealIP(), Code: code, Valid: resp.Scan.Valid})
		resp.Recorded = true
	}
	return c.JSON(http.StatusOK, resp)
}

// remember records a scan in the ring.
func (h *scansHandler) remember(r scanRecord) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.recent) < maxScanLog {
		h.recent = append(h.recent, r)
		return
	}
	h.recent[h.next] = r
	h.next = (h.next + 1) % maxScanLog
}

// list answers GET /api/v1/scans: recorded scans newest first; inspectors and
// producers see their own firm's, regulators and admins everyone's.
func (h *scansHandler) list(c echo.Context) error {
	caller := CallerFrom(c.Request().Context())
	limit := 100
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxScanLog {
			return BadQuery("limit", fmt.Sprintf("limit is 1 to %d", maxScanLog))
		}
		limit = n
	}
	code := ""
	if v := c.QueryParam("code"); v != "" {
		d, err := scanner.Parse(v, scanner.Options{ZeroSuppressedGTIN: true})
		if err != nil {
			return BadQuery("code", err.Error())
		}
		lv := lotrecord.Levels(d)
		if len(lv) == 0 {
			return BadQuery("code", scanner.ErrNoPrimaryKey.Error())
		}
		code = lv[0].Code
	}
	all := caller.Role == RoleRegulator || caller.Role == RoleAdmin
	out := []scanRecord{}
	h.mu.Lock()
	n := len(h.recent)
	for i := 0; i < n && len(out) < limit; i++ {
		// Newest first: the ring's newest is just before next once it is full.
		r := h.recent[(h.next-1-i+2*n)%n]
		if (all || r.Firm == caller.Firm) && (code == "" || r.Code == code) {
			out = append(out, r)
		}
	}
	h.mu.Unlock()
	return c.JSON(http.StatusOK, map[string]any{"scans": out})
}

// validGLN reports whether s is a 13-digit GLN with a correct check digit.
func validGLN(s string) bool {
	if len(s) != 13 || strings.Trim(s, "0123456789") != "" {
		return false
	}
	return scanner.CheckDigit(s[:12]) == s[12]
}

func (h *scansHandler) routes() []Route {
	scanSchema := Schema{"type": "object", "properties": map[string]any{
		"scan":          Schema{"type": "object", "description": "The parse, as `traceledger scan --json` prints it"},
		"record":        Schema{"type": []string{"object", "null"}, "description": "The record of the code, as the resolver's JSON"},
		"recordProblem": Schema{"$ref": "#/components/schemas/Problem"},
		"recorded":      Schema{"type": "boolean"},
	}}
	return []Route{{
		Method: http.MethodPost, Path: "/api/v1/scans", Handler: h.post, Public: true,
		Doc: Operation{
			Summary: "Parse and resolve a scan (text or image)", OperationID: "postScan",
			Description: "Body: {\"data\": \"...\"} with anything `traceledger scan` accepts (GS as the byte or \\u001d), " +
				"or a multipart upload with an \"image\" file, or an image/* body. Answers the parse and the record. " +
				"Scans with an API key are recorded (who, ?site=GLN, when). Invalid data is a 200 whose scan says why.",
			Tags:       []string{"scans"},
			Parameters: []Parameter{{Name: "site", In: "query", Description: "GLN of the site where the scan was made"}},
			RequestBody: &Body{Description: "The scan", ContentType: "application/json", Required: true,
				Schema: Schema{"type": "object", "properties": map[string]any{"data": Schema{"type": "string"}}, "required": []string{"data"}}},
			Responses: map[string]Response{
				"200": {Description: "The parse and the record", ContentType: "application/json", Schema: scanSchema},
				"400": {Description: "Malformed request", ContentType: ProblemContentType, Schema: Schema{"$ref": "#/components/schemas/Problem"}},
			},
		},
	}, {
		Method: http.MethodGet, Path: "/api/v1/scans", Handler: h.list,
		Doc: Operation{
			Summary: "Recorded scans, newest first", OperationID: "listScans",
			Description: "Scans made with an API key (kept in memory, the newest 10,000). Callers see their own firm's; regulators and admins everyone's.",
			Tags:        []string{"scans"},
			Parameters: []Parameter{
				{Name: "code", In: "query", Description: "Only scans of this code (any form)"},
				{Name: "limit", In: "query", Description: "At most this many (default 100)", Schema: Schema{"type": "integer"}},
			},
			Responses: map[string]Response{"200": {Description: "The scans", ContentType: "application/json", Schema: Schema{"type": "object"}}},
		},
	}}
}
