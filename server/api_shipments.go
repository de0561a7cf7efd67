package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"traceledger/ledger/epcis"
	"traceledger/ledger/events"
	"traceledger/ledger/registry"
)

// shipmentsHandler records goods leaving and reaching sites: POST /api/v1/shipments
// and POST /api/v1/receipts.
type shipmentsHandler struct{ nativeAPI }

var shipFields = fieldMap{"readPoint": "source.site", "bizLocation": "source.site", "epcList": "items", "quantityList": "lots"}
var receiveFields = fieldMap{"readPoint": "destination.site", "bizLocation": "destination.site", "epcList": "items", "quantityList": "lots"}

func (h shipmentsHandler) ship(c echo.Context) error {
	return h.move(c, events.Ship, shipFields)
}

func (h shipmentsHandler) receive(c echo.Context) error {
	return h.move(c, events.Receive, receiveFields)
}

func (h shipmentsHandler) move(c echo.Context, build func(events.MoveRequest, time.Time) (*epcis.Event, error), fields fieldMap) error {
	if err := h.ready(); err != nil {
		return err
	}
	var req events.MoveRequest
	if err := DecodeJSON(c.Request().Body, &req, true); err != nil {
		return err
	}
	for _, p := range []struct {
		field string
		party *events.Party
	}{{"source", &req.Source}, {"destination", &req.Destination}} {
		if err := h.owningParty(p.field, p.party); err != nil {
			return err
		}
	}
	ev, err := build(req, h.now())
	if err != nil {
		return buildProblem(err)
	}
	r, err := h.capture(c, ev, fields)
	if err != nil {
		return err
	}
	return answer(c, r)
}

// owningParty fills in the party GLN of one end of a move: from the firm named by its
// USCC, else from the firm that owns the site, when the registry knows one.
func (h shipmentsHandler) owningParty(field string, p *events.Party) error {
	if p.Firm != "" {
		f, err := h.reg.Firm(p.Firm)
		switch {
		case errors.Is(err, registry.ErrNotFound):
			return BadRequest(field+".firm", "no registered firm has the Unified Social Credit Code "+p.Firm)
		case err != nil:
			return Internal(err)
		case f.PartyGLN == "":
			return BadRequest(field+".firm", "firm "+p.Firm+" has no party GLN; give "+field+".party")
		case p.Party != "" && p.Party != f.PartyGLN:
			return BadRequest(field+".party", "party GLN "+p.Party+" is not the party GLN of firm "+p.Firm)
		}
		p.Party = f.PartyGLN
		return nil
	}
	if p.Party == "" && p.Site != "" {
		if f, err := h.reg.FirmAtGLN(p.Site); err == nil && f.PartyGLN != "" {
			p.Party = f.PartyGLN
		}
	}
	return nil
}

func (h shipmentsHandler) routes() []Route {
	party := Schema{"type": "object", "additionalProperties": false, "required": []string{"site"},
		"properties": map[string]any{
			"site":  Schema{"type": "string", "pattern": "^[0-9]{13}$", "description": "GLN of the location"},
			"party": Schema{"type": "string", "pattern": "^[0-9]{13}$", "description": "party GLN of the owning firm (AI 417)"},
			"firm":  Schema{"type": "string", "description": "USCC of the owning firm (its party GLN is looked up)"},
		}}
	body := &Body{ContentType: "application/json", Required: true, Schema: Schema{
		"type": "object", "additionalProperties": false, "required": []string{"source", "destination"},
		"properties": goodsProperties(map[string]any{
			"source":         party,
			"destination":    party,
			"despatchAdvice": Schema{"type": "array", "items": Schema{"type": "string"}, "description": "despatch advice numbers (desadv)"},
			"purchaseOrders": Schema{"type": "array", "items": Schema{"type": "string"}, "description": "purchase order numbers (po)"},
			"time":           Schema{"type": "string", "format": "date-time"},
		})}}
	roles := []Role{RoleProducer, RoleRegulator, RoleAdmin}
	return []Route{{
		Method: http.MethodPost, Path: "/api/v1/shipments", Handler: h.ship, Roles: roles,
		Doc: Operation{
			Summary: "Record a shipment",
			Description: "An ObjectEvent (OBSERVE, bizStep shipping, disposition in_transit) at the source site, " +
				"with source and destination lists (owning_party, location) and the despatch advices and orders. " +
				"A producer ships from its own sites; the goods may be anyone's.",
			Tags: []string{"native"}, RequestBody: body, Responses: writeResponses("the shipment"),
		},
	}, {
		Method: http.MethodPost, Path: "/api/v1/receipts", Handler: h.receive, Roles: roles,
		Doc: Operation{
			Summary: "Record a receipt",
			Description: "An ObjectEvent (OBSERVE, bizStep receiving, disposition in_progress) at the destination " +
				"site, with the same lists as the shipment. A producer receives at its own sites.",
			Tags: []string{"native"}, RequestBody: body, Responses: writeResponses("the receipt"),
		},
	}}
}
