package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"traceledger/ledger/events"
)

// inspectionsHandler records inspections and sampling (journey 2): POST
// /api/v1/inspections.
type inspectionsHandler struct{ nativeAPI }

var inspectFields = fieldMap{"readPoint": "site", "bizLocation": "site", "epcList": "code",
	"quantityList": "code", "bizStep": "kind"}

func (h inspectionsHandler) create(c echo.Context) error {
	if err := h.ready(); err != nil {
		return err
	}
	var req events.InspectionRequest
	if err := DecodeJSON(c.Request().Body, &req, true); err != nil {
		return err
	}
	caller := CallerFrom(c.Request().Context())
	if req.Lab == "" && caller.Role == RoleInspector {
		// An inspector's firm is the inspecting body or laboratory.
		req.Lab = caller.Firm
	}
	ev, err := events.Inspect(req, h.now())
	if err != nil {
		return buildProblem(err)
	}
	r, err := h.capture(c, ev, inspectFields)
	if err != nil {
		return err
	}
	code := ev.QuantityList
	if len(ev.EPCList) > 0 {
		r.Links["digitalLink"] = ev.EPCList[0]
	} else if len(code) > 0 {
		r.Links["digitalLink"] = code[0].EPCClass
	}
	r.Links["resolver"] = h.resolverURL(r.Links["digitalLink"].(string))
	return answer(c, r)
}

func (h inspectionsHandler) routes() []Route {
	item := Schema{"type": "object", "additionalProperties": false, "required": []string{"name", "value"},
		"properties": map[string]any{
			"name":   Schema{"type": "string"},
			"nameZH": Schema{"type": "string"},
			"value":  Schema{"type": "number"},
			"unit":   Schema{"type": "string", "examples": []string{"g/100g", "CFU/g"}},
			"min":    Schema{"type": "number"},
			"max":    Schema{"type": "number"},
			"pass":   Schema{"type": "boolean", "description": "default: min <= value <= max"},
		}}
	return []Route{{
		Method: http.MethodPost, Path: "/api/v1/inspections", Handler: h.create,
		Roles: []Role{RoleInspector, RoleProducer, RoleRegulator, RoleAdmin},
		Doc: Operation{
			Summary: "Record an inspection or sampling result",
			Description: "An ObjectEvent (OBSERVE, bizStep inspecting or sampling, disposition conformant or " +
				"non_conformant) of the scanned code at the site, with the result in the extension field " +
				"tl:inspection (namespace https://traceledger.example/ns/). `code` is anything a scanner produces " +
				"(scan data with AIM identifier and GS, element string, Digital Link, EPC URN). Inspectors record " +
				"anywhere; a producer records its own quality control at its own sites.",
			Tags: []string{"native"},
			RequestBody: &Body{ContentType: "application/json", Required: true, Schema: Schema{
				"type": "object", "additionalProperties": false, "required": []string{"code", "site"},
				"properties": map[string]any{
					"code":       Schema{"type": "string"},
					"kind":       Schema{"enum": []string{"inspection", "sampling"}},
					"result":     Schema{"enum": []string{"conformant", "non_conformant"}, "description": "default: from the items"},
					"items":      Schema{"type": "array", "items": item},
					"standard":   Schema{"type": "string", "examples": []string{"GB 19301-2010"}},
					"sampleSize": Schema{"type": "integer", "minimum": 0},
					"inspector":  Schema{"type": "string"},
					"lab":        Schema{"type": "string", "description": "USCC of the laboratory; default the inspector's firm"},
					"report":     Schema{"type": "string"},
					"site":       Schema{"type": "string", "pattern": "^[0-9]{13}$"},
					"time":       Schema{"type": "string", "format": "date-time"},
				}}},
			Responses: writeResponses("the inspection"),
		},
	}}
}
