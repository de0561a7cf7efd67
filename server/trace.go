package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"traceledger/ledger/recall"
)

// traceHandler answers GET /api/v1/trace: one walk of the genealogy from a code,
// back to its sources or forward to everything made from it and everywhere it
// went, in the JSON form of `traceledger trace --json`. It needs a key of any role:
// a trace names suppliers, consignees and firms, which is business data, not the
// public record of one code the resolver shows.
type traceHandler struct{ h *recallsHandler }

func (t traceHandler) trace(c echo.Context) error {
	if err := t.h.ready(); err != nil {
		return err
	}
	raw := c.QueryParam("code")
	if raw == "" {
		return BadQuery("code", "name a lot, instance or logistic unit (any scan input)")
	}
	code, err := recall.CanonicalCode(raw)
	if err != nil {
		return BadQuery("code", err.Error())
	}
	tr := t.h.tracer()
	var res *recall.Trace
	switch dir := c.QueryParam("direction"); dir {
	case "back", "backward", "":
		res, err = tr.Back(code)
	case "forward":
		res, err = tr.Forward(code)
	default:
		return BadQuery("direction", "want back or forward, not "+dir)
	}
	if err != nil {
		return Internal(err)
	}
	if res.Truncated {
		c.Response().Header().Set("Warning", `299 traceledger "the walk stopped at its bounds; the trace is incomplete"`)
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.JSON(http.StatusOK, res)
}

func (t traceHandler) routes() []Route {
	list := Schema{"type": "array", "items": Schema{"type": "string"}}
	return []Route{{
		Method: http.MethodGet, Path: "/api/v1/trace", Handler: t.trace,
		Doc: Operation{
			Summary: "Walk a code's genealogy back to its sources or forward to every lot, unit, place and firm it reached",
			Description: "The JSON of `traceledger trace --json`: origin, lots (origin excluded), roots (back), " +
				"logisticUnits, locations, firms and the edges crossed, every list sorted, codes as canonical GS1 Digital " +
				"Links. Needs an API key (any role). A Warning header says when the walk stopped at its bounds.",
			Tags: []string{"recalls"},
			Parameters: []Parameter{
				{Name: "code", In: "query", Required: true, Description: "Any scan input: Digital Link, element string, EPC URN"},
				{Name: "direction", In: "query", Description: "back (default) or forward", Schema: Schema{"enum": []string{"back", "forward"}}},
			},
			Responses: map[string]Response{
				"200": {Description: "The trace", ContentType: "application/json", Schema: Schema{"type": "object", "properties": map[string]any{
					"origin": Schema{"type": "string"}, "lots": list, "roots": list, "logisticUnits": list, "locations": list,
					"firms": list, "edges": Schema{"type": "array", "items": Schema{"type": "object", "properties": map[string]any{
						"from": Schema{"type": "string"}, "to": Schema{"type": "string"}, "eventID": Schema{"type": "string"},
						"kind": Schema{"enum": []string{"transformation", "aggregation", "commissioning", "shipping", "receiving"}}}}}}}},
				"400": {Description: "No code, a code that does not parse, or a bad direction", ContentType: ProblemContentType},
			},
		},
	}}
}
