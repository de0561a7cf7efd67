package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
	"traceledger/ledger/registry"
)

// nativeAPI is the producer and inspector API under /api/v1 for people who do not
// speak EPCIS (lots, serials, packs, shipments, receipts, inspections): each request
// is turned into a standard EPCIS 2.0 event by package ledger/events, checked against
// the registry's ownership rules and captured on the ledger, exactly as if it had
// been posted to /epcis/events.
type nativeAPI struct {
	log  *ledger.Log
	reg  *registry.Registry
	base string           // the service's public URL, for absolute links
	now  func() time.Time // the clock standing for a request without a time
}

func newNativeAPI(cfg Config, deps Deps) nativeAPI {
	return nativeAPI{log: deps.Ledger, reg: deps.Registry, base: strings.TrimSuffix(cfg.BaseURL, "/"), now: time.Now}
}

func (n nativeAPI) routes() []Route {
	var rs []Route
	rs = append(rs, lotsHandler{n}.routes()...)
	rs = append(rs, serialsHandler{n}.routes()...)
	rs = append(rs, packsHandler{n}.routes()...)
	rs = append(rs, shipmentsHandler{n}.routes()...)
	rs = append(rs, inspectionsHandler{n}.routes()...)
	return rs
}

// ready answers 503 when the server has no ledger or registry to capture into.
func (n nativeAPI) ready() error {
	if n.log == nil || n.reg == nil {
		return NewProblem(http.StatusServiceUnavailable, ImplementationException,
			"this server has no ledger or firm registry")
	}
	return nil
}

// buildProblem turns a builder's faults into a 400 naming the first field, with one
// problem per fault.
func buildProblem(err error) error {
	var ve epcis.ValidationError
	if !errors.As(err, &ve) || len(ve) == 0 {
		return Internal(err)
	}
	p := BadRequest(ve[0].Field, ve.Error())
	if len(ve) > 1 {
		for _, fe := range ve {
			p.Errors = append(p.Errors, BadRequest(fe.Field, fe.Message))
		}
	}
	return p
}

// fieldMap names the request field that stands for an event field in a policy
// refusal ("bizLocation" -> "site").
type fieldMap map[string]string

func (m fieldMap) of(eventField string) string {
	name := eventField
	if i := strings.IndexAny(name, "[."); i >= 0 {
		name = name[:i]
	}
	if f, ok := m[name]; ok {
		return f
	}
	return eventField
}

// check applies the registry's ownership rules to ev for the caller: 403 naming the
// request field at fault when the caller may not record it.
func (n nativeAPI) check(ctx context.Context, ev *epcis.Event, fields fieldMap) error {
	caller := CallerFrom(ctx)
	err := n.reg.CheckCapture(caller.Firm, string(caller.Role), ev)
	if err == nil {
		return nil
	}
	var pe *registry.PolicyError
	switch {
	case errors.As(err, &pe):
		p := Forbidden(pe.Error())
		if pe.Field != "" {
			p = p.WithField(fields.of(pe.Field))
		}
		return p.WithCause(err)
	case errors.Is(err, registry.ErrNotFound):
		return Forbidden(err.Error()).WithCause(err)
	}
	return Internal(err)
}

// captured is what every native API write answers: where the event is on the ledger.
type captured struct {
	// EventID is the event's CBV 2.0 hash ID, its identity.
	EventID string `json:"eventID"`
	// Index is the ledger entry holding it.
	Index int64 `json:"index"`
	// Duplicate says the same event was already on the ledger (a repeated request).
	Duplicate bool `json:"duplicate,omitempty"`
	// Event is the event as stored (EPCIS 2.0 JSON-LD).
	Event json.RawMessage `json:"event,omitempty"`
	// Links point at the event and what it is about.
	Links map[string]any `json:"links"`
}

// capture checks and appends one event and describes where it went.
func (n nativeAPI) capture(c echo.Context, ev *epcis.Event, fields fieldMap) (*captured, error) {
	ctx := c.Request().Context()
	if err := n.check(ctx, ev, fields); err != nil {
		return nil, err
	}
	res, err := n.log.Capture(ctx, CallerFrom(ctx).Firm, ev)
	if err != nil {
		if errors.As(err, new(epcis.ValidationError)) {
			return nil, NewProblem(http.StatusBadRequest, ValidationException, err.Error())
		}
		return nil, Internal(err)
	}
	data, err := ev.CanonicalJSON()
	if err != nil {
		return nil, Internal(err)
	}
	return &captured{EventID: res[0].EventID, Index: res[0].Index, Duplicate: res[0].Duplicate, Event: data,
		Links: map[string]any{"event": "/epcis/events/" + url.PathEscape(res[0].EventID)}}, nil
}

// answer writes a capture's answer: 201 with the event's Location, or 200 when the
// event was already there.
func answer(c echo.Context, r *captured) error {
	c.Response().Header().Set(echo.HeaderLocation, r.Links["event"].(string))
	status := http.StatusCreated
	if r.Duplicate {
		status = http.StatusOK
	}
	return c.JSON(status, r)
}

// resolverURL is a canonical Digital Link's URL on this server's resolver.
func (n nativeAPI) resolverURL(canonical string) string {
	return n.base + strings.TrimPrefix(canonical, "https://id.gs1.org")
}

// barcodeLinks are the barcode API's URLs of GS1 data (a bracketed element string)
// in the symbologies a pack carries.
func barcodeLinks(bracketed string) map[string]string {
	m := map[string]string{}
	for _, sym := range []string{"gs1-datamatrix", "gs1-128", "gs1-qr", "dl-qr"} {
		m[sym] = "/api/v1/barcodes/" + sym + "?data=" + url.QueryEscape(bracketed)
	}
	return m
}

// capturedSchema documents the answer of every native API write.
var capturedSchema = Schema{
	"type": "object", "required": []string{"eventID", "index", "links"},
	"properties": map[string]any{
		"eventID":   Schema{"type": "string", "description": "CBV 2.0 event hash ID (ni:///sha-256;…?ver=CBV2.0)"},
		"index":     Schema{"type": "integer", "description": "ledger entry index"},
		"duplicate": Schema{"type": "boolean", "description": "the same event was already on the ledger"},
		"event":     Schema{"type": "object", "description": "the EPCIS 2.0 event as stored"},
		"links":     Schema{"type": "object", "description": "the event (/epcis/events/{eventID}), Digital Links, barcodes"},
	},
}

// writeResponses are the documented answers of a native API write.
func writeResponses(what string) map[string]Response {
	return map[string]Response{
		"201": {Description: what + " recorded", ContentType: "application/json", Schema: capturedSchema,
			Headers: map[string]string{"Location": "/epcis/events/{eventID}"}},
		"200": {Description: "the same event was already recorded (idempotent retry)", ContentType: "application/json", Schema: capturedSchema},
		"400": {Description: "a field is missing or wrong; the problem names it", ContentType: ProblemContentType},
		"403": {Description: "the caller's firm may not record this (not its company prefix or site); nothing is stored", ContentType: ProblemContentType},
	}
}
