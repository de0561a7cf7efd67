package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"traceledger/ledger/events"
)

// packsHandler packs goods into logistic units: POST /api/v1/packs.
type packsHandler struct{ nativeAPI }

var packFields = fieldMap{"readPoint": "site", "bizLocation": "site", "parentID": "sscc",
	"childEPCs": "items", "childQuantityList": "lots"}

func (h packsHandler) create(c echo.Context) error {
	if err := h.ready(); err != nil {
		return err
	}
	var req events.PackRequest
	if err := DecodeJSON(c.Request().Body, &req, true); err != nil {
		return err
	}
	ev, err := events.Pack(req, h.now())
	if err != nil {
		return buildProblem(err)
	}
	r, err := h.capture(c, ev, packFields)
	if err != nil {
		return err
	}
	r.Links["digitalLink"] = ev.ParentID
	r.Links["resolver"] = h.resolverURL(ev.ParentID)
	sscc := ev.ParentID[len(ev.ParentID)-18:]
	r.Links["barcodes"] = map[string]string{
		"gs1-128":        "/api/v1/barcodes/gs1-128?data=%2800%29" + sscc,
		"gs1-datamatrix": "/api/v1/barcodes/gs1-datamatrix?data=%2800%29" + sscc,
	}
	return answer(c, r)
}

// goodsProperties document events.Goods inside a request schema.
func goodsProperties(props map[string]any) map[string]any {
	props["lots"] = Schema{"type": "array", "items": lotQuantitySchema}
	props["ssccs"] = Schema{"type": "array", "items": Schema{"type": "string"},
		"description": "logistic units: 18 digits or any code form with (00)"}
	props["items"] = Schema{"type": "array", "items": Schema{"type": "string"},
		"description": "serialised items in any code form, e.g. (01)…(21)… or a Digital Link"}
	return props
}

func (h packsHandler) routes() []Route {
	return []Route{{
		Method: http.MethodPost, Path: "/api/v1/packs", Handler: h.create,
		Roles: []Role{RoleProducer, RoleRegulator, RoleAdmin},
		Doc: Operation{
			Summary: "Pack lots or items into a logistic unit (SSCC)",
			Description: "An AggregationEvent (ADD, bizStep packing): parentID the SSCC, childEPCs the items and " +
				"inner units, childQuantityList the lot quantities. A producer packs at its own sites into SSCCs " +
				"under its own company prefixes; the goods may be anyone's.",
			Tags: []string{"native"},
			RequestBody: &Body{ContentType: "application/json", Required: true, Schema: Schema{
				"type": "object", "additionalProperties": false, "required": []string{"sscc", "site"},
				"properties": goodsProperties(map[string]any{
					"sscc": Schema{"type": "string", "description": "18 digits, or any code form with (00)"},
					"site": Schema{"type": "string", "pattern": "^[0-9]{13}$"},
					"time": Schema{"type": "string", "format": "date-time"},
				})}},
			Responses: writeResponses("the packing"),
		},
	}}
}
