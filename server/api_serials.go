package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
	"traceledger/ledger/events"
	"traceledger/ledger/registry"
	"traceledger/scanner"
)

// serialsHandler issues item-level serial numbers under a lot and lists them:
// POST and GET /api/v1/lots/serials, GET /api/v1/lots/serials/labels.
//
// Serials are random (events.NewSerials), so a counterfeiter cannot guess one, and
// the list of a lot's serials is therefore only shown to the firm that owns the
// GTIN (and regulators and admins): a public list would hand out valid codes.
type serialsHandler struct{ nativeAPI }

// serialChunk is how many serials one commissioning event holds at most. A single
// event with 100,000 EPCs does not fit one ledger transaction with the default options
// (about 470 bytes of rows per EPC against Badger's limit of 15 % of the 16 MiB
// memtable; see TestSerialIssuanceSplitsToFitTheLedger), so a large issuance is
// recorded as several commissioning events of at most serialChunk EPCs; an event that
// still does not fit (a smaller memtable) is halved until it does.
const serialChunk = 4000

var serialFields = fieldMap{"readPoint": "site", "bizLocation": "site", "epcList": "gtin", "quantityList": "gtin"}

// issued is the answer to POST /api/v1/lots/serials.
type issued struct {
	GTIN  string `json:"gtin"`
	Lot   string `json:"lot"`
	Count int    `json:"count"`
	// Events are the commissioning events that recorded the serials, in order.
	Events []issuedEvent `json:"events"`
	// Serials are the AI 21 values, DigitalLinks their canonical GS1 Digital Links.
	Serials      []string          `json:"serials"`
	DigitalLinks []string          `json:"digitalLinks"`
	Links        map[string]string `json:"links"`
}

type issuedEvent struct {
	EventID string `json:"eventID"`
	Index   int64  `json:"index"`
	Count   int    `json:"count"`
}

func (h serialsHandler) issue(c echo.Context) error {
	if err := h.ready(); err != nil {
		return err
	}
	var req events.SerialsRequest
	if err := DecodeJSON(c.Request().Body, &req, true); err != nil {
		return err
	}
	gtin, err := req.Check()
	if err != nil {
		return buildProblem(err)
	}
	req.GTIN = gtin
	if req.Time == "" {
		// One time for every event of the issuance.
		req.Time = h.now().UTC().Format("2006-01-02T15:04:05.000Z07:00")
	}
	serials, err := events.NewSerials(req.Count)
	if err != nil {
		return Internal(err)
	}
	ctx := c.Request().Context()
	firm := CallerFrom(ctx).Firm
	out := &issued{GTIN: gtin, Lot: req.Lot, Count: len(serials), Serials: serials}
	chunk := serialChunk
	for done := 0; done < len(serials); {
		part := serials[done:min(done+chunk, len(serials))]
		ev, err := events.CommissionSerials(req, part, h.now())
		if err != nil {
			return buildProblem(err)
		}
		if err := h.check(ctx, ev, serialFields); err != nil {
			if done > 0 {
				// Cannot happen for events that differ only in their serials; say so if it does.
				return Internal(fmt.Errorf("serials: refused after %d were recorded: %w", done, err))
			}
			return err
		}
		res, err := h.log.Capture(ctx, firm, ev)
		if errors.Is(err, ledger.ErrBatchTooBig) && chunk > 1 {
			chunk /= 2
			continue
		}
		if err != nil {
			if done > 0 {
				return Internal(fmt.Errorf("serials: %d of %d recorded in %d events before: %w", done, len(serials), len(out.Events), err))
			}
			return Internal(err)
		}
		out.Events = append(out.Events, issuedEvent{EventID: res[0].EventID, Index: res[0].Index, Count: len(part)})
		done += len(part)
	}
	out.DigitalLinks = make([]string, len(serials))
	for i, s := range serials {
		out.DigitalLinks[i] = events.SerialURI(gtin, s)
	}
	q := "?gtin=" + gtin + "&lot=" + url.QueryEscape(req.Lot)
	out.Links = map[string]string{
		"serials": "/api/v1/lots/serials" + q,
		"labels":  "/api/v1/lots/serials/labels" + q + "&symbology=dl-qr",
		"lot":     h.resolverURL(events.LotURI(gtin, req.Lot)),
	}
	c.Response().Header().Set(echo.HeaderLocation, out.Links["serials"])
	return c.JSON(http.StatusCreated, out)
}

// serialPage is the answer to GET /api/v1/lots/serials.
type serialPage struct {
	GTIN         string            `json:"gtin"`
	Lot          string            `json:"lot"`
	Total        int               `json:"total"`
	Page         int               `json:"page"`
	PerPage      int               `json:"perPage"`
	Serials      []string          `json:"serials"`
	DigitalLinks []string          `json:"digitalLinks"`
	Links        map[string]string `json:"links,omitempty"`
}

// Paging of serial lists and label sheets.
const (
	defaultSerialsPerPage = 1000
	maxSerialsPerPage     = 10000
)

// lotQuery reads gtin and lot from the query and checks that the caller may see the
// lot's serials: the firm owning the GTIN's company prefix, a regulator or an admin.
func (h serialsHandler) lotQuery(c echo.Context) (gtin, lot string, err error) {
	if err := h.ready(); err != nil {
		return "", "", err
	}
	gtin, err = scanner.GTIN14(c.QueryParam("gtin"))
	if err != nil {
		return "", "", BadQuery("gtin", err.Error())
	}
	lot = c.QueryParam("lot")
	if lot == "" {
		return "", "", BadQuery("lot", "required")
	}
	caller := CallerFrom(c.Request().Context())
	if caller.Role == RoleRegulator || caller.Role == RoleAdmin {
		return gtin, lot, nil
	}
	owner, err := h.reg.FirmForCode(gtin)
	if errors.Is(err, registry.ErrNotFound) {
		return "", "", Forbidden("no registered firm owns GTIN " + gtin + "; only regulators may list its serials")
	}
	if err != nil {
		return "", "", Internal(err)
	}
	if err := RequireFirm(caller, owner.USCC); err != nil {
		return "", "", Forbidden("the serials of GTIN " + gtin + " are listed only to its owner " + owner.USCC)
	}
	return gtin, lot, nil
}

// pageParams reads page (1-based) and perPage.
func pageParams(c echo.Context, def, max int) (page, perPage int, err error) {
	page, perPage = 1, def
	if s := c.QueryParam("page"); s != "" {
		if page, err = strconv.Atoi(s); err != nil || page < 1 {
			return 0, 0, BadQuery("page", "a page number from 1")
		}
	}
	if s := c.QueryParam("perPage"); s != "" {
		if perPage, err = strconv.Atoi(s); err != nil || perPage < 1 || perPage > max {
			return 0, 0, BadQuery("perPage", fmt.Sprintf("from 1 to %d", max))
		}
	}
	return page, perPage, nil
}

// lotSerials returns the serials commissioned under lot of gtin, in the order they
// were recorded: the instances of this GTIN in every commissioning ObjectEvent ADD in
// the lot's chain (events.CommissionSerials names the lot beside its serials).
func (h serialsHandler) lotSerials(gtin, lot string) ([]string, error) {
	idx, err := h.log.Indexed(ledger.ByProduct, events.LotURI(gtin, lot), 0, 0)
	if err != nil {
		return nil, err
	}
	prefix := "https://id.gs1.org/01/" + gtin + "/21/"
	var out []string
	seen := map[string]bool{}
	for _, n := range idx {
		en, err := h.log.Get(n)
		if err != nil {
			return nil, err
		}
		ev, err := epcis.ParseEvent(en.Event, nil)
		if err != nil || ev.Type != epcis.ObjectEvent || ev.Action != epcis.ActionAdd ||
			epcis.BizSteps.BareOrURI(ev.BizStep) != "commissioning" {
			continue
		}
		for _, e := range ev.EPCList {
			s, ok := strings.CutPrefix(e, prefix)
			if !ok {
				continue
			}
			if u, err := url.PathUnescape(s); err == nil {
				s = u
			}
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out, nil
}

func (h serialsHandler) list(c echo.Context) error {
	gtin, lot, err := h.lotQuery(c)
	if err != nil {
		return err
	}
	page, perPage, err := pageParams(c, defaultSerialsPerPage, maxSerialsPerPage)
	if err != nil {
		return err
	}
	all, err := h.lotSerials(gtin, lot)
	if err != nil {
		return Internal(err)
	}
	from := min((page-1)*perPage, len(all))
	to := min(from+perPage, len(all))
	p := serialPage{GTIN: gtin, Lot: lot, Total: len(all), Page: page, PerPage: perPage,
		Serials: all[from:to], DigitalLinks: make([]string, to-from)}
	for i, s := range p.Serials {
		p.DigitalLinks[i] = events.SerialURI(gtin, s)
	}
	if to < len(all) {
		next := fmt.Sprintf("/api/v1/lots/serials?gtin=%s&lot=%s&page=%d&perPage=%d", gtin, url.QueryEscape(lot), page+1, perPage)
		p.Links = map[string]string{"next": next}
		c.Response().Header().Set("Link", "<"+next+`>; rel="next"`)
	}
	return c.JSON(http.StatusOK, p)
}

func (h serialsHandler) routes() []Route {
	roles := []Role{RoleProducer, RoleRegulator, RoleAdmin}
	lotParams := []Parameter{
		{Name: "gtin", In: "query", Required: true, Description: "GTIN (8 to 14 digits)"},
		{Name: "lot", In: "query", Required: true, Description: "lot number (AI 10)"},
	}
	paging := func(def, max int) []Parameter {
		return append(append([]Parameter{}, lotParams...),
			Parameter{Name: "page", In: "query", Description: "page number, from 1", Schema: Schema{"type": "integer", "minimum": 1}},
			Parameter{Name: "perPage", In: "query", Description: fmt.Sprintf("per page, default %d, at most %d", def, max),
				Schema: Schema{"type": "integer", "minimum": 1, "maximum": max}})
	}
	strs := Schema{"type": "array", "items": Schema{"type": "string"}}
	return []Route{{
		Method: http.MethodPost, Path: "/api/v1/lots/serials", Handler: h.issue, Roles: roles,
		Doc: Operation{
			Summary: "Issue serial numbers for the items of a lot",
			Description: fmt.Sprintf("Issues `count` (1 to %d) unique random serial numbers (AI 21: 20 characters "+
				"from 0-9 A-Z a-z - _, 120 random bits each, never sequential, so a counterfeiter cannot guess one) and "+
				"commissions them under the lot: ObjectEvents (ADD, bizStep commissioning) with the serials' Digital "+
				"Links in epcList, the lot class in quantityList and ILMD cbvmda:lotNumber, at most %d serials per "+
				"event (a single event of 100,000 does not fit one ledger transaction). A producer issues serials only "+
				"under its own company prefixes, at its own sites.", events.MaxSerials, serialChunk),
			Tags: []string{"native"},
			RequestBody: &Body{ContentType: "application/json", Required: true, Schema: Schema{
				"type": "object", "additionalProperties": false, "required": []string{"gtin", "lot", "count", "site"},
				"properties": map[string]any{
					"gtin":  Schema{"type": "string", "pattern": "^[0-9]{8,14}$"},
					"lot":   Schema{"type": "string", "maxLength": 20},
					"count": Schema{"type": "integer", "minimum": 1, "maximum": events.MaxSerials},
					"site":  Schema{"type": "string", "pattern": "^[0-9]{13}$"},
					"time":  Schema{"type": "string", "format": "date-time"},
				}}},
			Responses: map[string]Response{
				"201": {Description: "the serials, commissioned", ContentType: "application/json", Schema: Schema{
					"type": "object", "properties": map[string]any{
						"gtin": Schema{"type": "string"}, "lot": Schema{"type": "string"}, "count": Schema{"type": "integer"},
						"events": Schema{"type": "array", "items": Schema{"type": "object", "properties": map[string]any{
							"eventID": Schema{"type": "string"}, "index": Schema{"type": "integer"}, "count": Schema{"type": "integer"}}}},
						"serials": strs, "digitalLinks": strs, "links": Schema{"type": "object"},
					}}},
				"400": {Description: "a field is missing or wrong", ContentType: ProblemContentType},
			},
		},
	}, {
		Method: http.MethodGet, Path: "/api/v1/lots/serials", Handler: h.list, Roles: roles,
		Doc: Operation{
			Summary:     "List the serial numbers issued under a lot",
			Description: "Pages through the serials commissioned under the lot, in issue order; only for the GTIN's owner, regulators and admins.",
			Tags:        []string{"native"},
			Parameters:  paging(defaultSerialsPerPage, maxSerialsPerPage),
			Responses: map[string]Response{"200": {Description: "one page of serials", ContentType: "application/json",
				Schema: Schema{"type": "object", "properties": map[string]any{
					"gtin": Schema{"type": "string"}, "lot": Schema{"type": "string"}, "total": Schema{"type": "integer"},
					"page": Schema{"type": "integer"}, "perPage": Schema{"type": "integer"},
					"serials": strs, "digitalLinks": strs, "links": Schema{"type": "object"},
				}},
				Headers: map[string]string{"Link": `<next page>; rel="next" while there are more`}}},
		},
	}, {
		Method: http.MethodGet, Path: "/api/v1/lots/serials/labels", Handler: h.labels, Roles: roles,
		Doc: Operation{
			Summary: "A printable sheet of serial labels",
			Description: "An A4 SVG page of `perPage` labels of the lot's serials (page `page`), each a Digital Link QR " +
				"code on this server's resolver (`dl-qr`) or a GS1 DataMatrix (`gs1-datamatrix`) of (01)(10)(21), with " +
				"its human-readable text.",
			Tags: []string{"native"},
			Parameters: append(paging(defaultLabelsPerPage, maxLabelsPerPage), Parameter{Name: "symbology", In: "query",
				Description: "dl-qr (default) or gs1-datamatrix", Schema: Schema{"enum": []string{"dl-qr", "gs1-datamatrix"}}}),
			Responses: map[string]Response{"200": {Description: "the label sheet", ContentType: "image/svg+xml"}},
		},
	}}
}
