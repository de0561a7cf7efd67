package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"traceledger/ledger/events"
	"traceledger/scanner"
)

// lotsHandler registers lots (journey 1): POST /api/v1/lots.
type lotsHandler struct{ nativeAPI }

// lotFields maps event fields of a lot's event to the request's fields.
var lotFields = fieldMap{"readPoint": "site", "bizLocation": "site", "quantityList": "gtin",
	"outputQuantityList": "gtin", "inputQuantityList": "inputs", "outputEPCList": "gtin"}

func (h lotsHandler) create(c echo.Context) error {
	if err := h.ready(); err != nil {
		return err
	}
	var req events.LotRequest
	if err := DecodeJSON(c.Request().Body, &req, true); err != nil {
		return err
	}
	ev, err := events.CommissionLot(req, h.now())
	if err != nil {
		return buildProblem(err)
	}
	r, err := h.capture(c, ev, lotFields)
	if err != nil {
		return err
	}
	gtin, _ := scanner.GTIN14(req.GTIN)
	lot := events.LotURI(gtin, req.Lot)
	r.Links["digitalLink"] = lot
	r.Links["resolver"] = h.resolverURL(lot)
	r.Links["barcodes"] = lotBarcodes(gtin, req.Lot, req.ExpiryDate)
	return answer(c, r)
}

// lotBarcodes are the barcode URLs of a lot's label: GTIN, expiry date (AI 17, when
// known) and lot, fixed-length AIs first as GS1 recommends, in every symbology that
// carries them; and the GTIN alone as EAN-13 when it is a GTIN-13.
func lotBarcodes(gtin, lot, expiry string) map[string]string {
	els := []scanner.Element{{AI: "01", Value: gtin}}
	if len(expiry) == 10 {
		els = append(els, scanner.Element{AI: "17", Value: expiry[2:4] + expiry[5:7] + expiry[8:10]})
	}
	els = append(els, scanner.Element{AI: "10", Value: lot})
	m := barcodeLinks(scanner.Data{Elements: els}.Bracketed())
	if strings.HasPrefix(gtin, "0") {
		m["ean13"] = "/api/v1/barcodes/ean13?data=" + "%2801%29" + gtin
	}
	return m
}

// lotQuantitySchema documents events.LotQuantity.
var lotQuantitySchema = Schema{
	"type": "object", "additionalProperties": false,
	"description": "an amount of a lot: gtin and lot, or code (any GS1 code form with (01) and (10))",
	"properties": map[string]any{
		"code":     Schema{"type": "string", "examples": []string{"(01)06990011000011(10)RM260302A"}},
		"gtin":     Schema{"type": "string", "pattern": "^[0-9]{8,14}$"},
		"lot":      Schema{"type": "string", "maxLength": 20},
		"quantity": Schema{"type": "number", "exclusiveMinimum": 0},
		"unit":     Schema{"type": "string", "description": "UN/ECE Rec. 20 unit code: KGM, LTR, EA, ..."},
	},
}

func (h lotsHandler) routes() []Route {
	producer := []Role{RoleProducer, RoleRegulator, RoleAdmin}
	return []Route{{
		Method: http.MethodPost, Path: "/api/v1/lots", Handler: h.create, Roles: producer,
		Doc: Operation{
			Summary: "Register a lot",
			Description: "Records that lot `lot` of GTIN `gtin` was made at site `site`: a commissioning ObjectEvent " +
				"(ADD, quantityList, ILMD with cbvmda:lotNumber, productionDate, bestBeforeDate, itemExpirationDate), " +
				"or with `inputs` a TransformationEvent from the input lots. A producer may register lots only under " +
				"its own GS1 company prefixes and at its own sites. The answer gives the event's hash ID and ledger " +
				"index, the lot's GS1 Digital Link, its resolver URL on this server and barcode URLs. A request with " +
				"`time` describes one event, so retrying it is idempotent (200, the same hash ID); without `time` " +
				"the event happens now.",
			Tags: []string{"native"},
			RequestBody: &Body{ContentType: "application/json", Required: true, Schema: Schema{
				"type": "object", "additionalProperties": false,
				"required": []string{"gtin", "lot", "quantity", "unit", "productionDate", "site"},
				"properties": map[string]any{
					"gtin":            Schema{"type": "string", "pattern": "^[0-9]{8,14}$"},
					"lot":             Schema{"type": "string", "maxLength": 20, "description": "AI (10), CSET 82"},
					"quantity":        Schema{"type": "number", "exclusiveMinimum": 0},
					"unit":            Schema{"type": "string", "description": "UN/ECE Rec. 20 unit code: KGM, LTR, EA, ..."},
					"productionDate":  Schema{"type": "string", "format": "date"},
					"expiryDate":      Schema{"type": "string", "format": "date"},
					"bestBeforeDate":  Schema{"type": "string", "format": "date"},
					"countryOfOrigin": Schema{"type": "string", "pattern": "^[A-Z]{2}$"},
					"site":            Schema{"type": "string", "pattern": "^[0-9]{13}$", "description": "GLN of the site"},
					"time":            Schema{"type": "string", "format": "date-time", "description": "default: now"},
					"inputs":          Schema{"type": "array", "items": lotQuantitySchema},
				}}},
			Responses: writeResponses("the lot"),
		},
	}}
}
