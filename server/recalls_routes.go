package server

import (
	"net/http"
)

// routes are the recall journey's routes: recalls, their deliveries, the trace
// walk and the webhook subscriptions they notify.
func (h *recallsHandler) routes() []Route {
	str, list := Schema{"type": "string"}, Schema{"type": "array", "items": Schema{"type": "string"}}
	scope := Schema{"type": "object", "properties": map[string]any{
		"id": str, "reason": str, "codes": list, "dryRun": Schema{"type": "boolean"},
		"started": Schema{"type": "string", "format": "date-time"}, "startedBy": str,
		"published": Schema{"type": "integer"}, "appended": Schema{"type": "integer"},
		"lots": Schema{"type": "array", "items": Schema{"type": "object", "properties": map[string]any{
			"id": str, "gtin": str, "lot": str, "quantityProduced": Schema{"type": "number"},
			"quantityShipped": Schema{"type": "number"}, "uom": str, "via": list}}},
		"logisticUnits": list,
		"locations": Schema{"type": "array", "items": Schema{"type": "object", "properties": map[string]any{
			"id": str, "firm": str, "lots": list, "quantity": Schema{"type": "number"}}}},
		"accountedFor": Schema{"type": "number"},
		"links":        Schema{"type": "object", "additionalProperties": str},
	}}
	problem := func(d string) Response { return Response{Description: d, ContentType: ProblemContentType} }
	idParam := []Parameter{{Name: "id", In: "path", Description: "The recall's UUID (or urn:uuid:…); {id}.csv for the spreadsheet"}}
	routes := []Route{{
		Method: http.MethodPost, Path: "/api/v1/recalls", Handler: h.start,
		Roles: []Role{RoleProducer, RoleRegulator, RoleAdmin},
		Doc: Operation{
			Summary: "Start a recall: walk forward from the suspect lots, publish recall events, notify affected firms",
			Description: "The scope is the forward walk from every given code (lots, instances or logistic units, any " +
				"scan input), given codes included, as `traceledger recall --json` prints it. Unless dryRun, a recall " +
				"event (disposition recalled) is appended for every affected lot in one batch, idempotently: the recall " +
				"ID is a UUIDv5 of the reason and the codes, and repeating the request appends and notifies nothing " +
				"(200 instead of 201). Every affected firm (firms at the scope's locations) with webhooks is notified. " +
				"Producers recall only goods under their own GS1 company prefixes; regulators and admins any.",
			Tags: []string{"recalls"},
			RequestBody: &Body{ContentType: "application/json", Required: true, Schema: Schema{
				"type": "object", "required": []string{"codes"}, "additionalProperties": false,
				"properties": map[string]any{"codes": list, "reason": str, "dryRun": Schema{"type": "boolean"}}}},
			Responses: map[string]Response{
				"201": {Description: "Recall started (Location: the recall)", ContentType: "application/json", Schema: scope},
				"200": {Description: "Dry run, or the recall was started before", ContentType: "application/json", Schema: scope},
				"400": problem("No codes, a code that does not parse, or no reason"),
				"403": problem("A producer's recall of another firm's goods"),
				"404": problem("A code the ledger does not know"),
			},
		},
	}, {
		Method: http.MethodGet, Path: "/api/v1/recalls/:id", Handler: h.get,
		Doc: Operation{
			Summary: "A recall's scope as the ledger stands now (JSON), or its FSMA 204 spreadsheet",
			Description: "JSON by default; the FDA FSMA 204 key data elements as CSV (one row per lot per tracking " +
				"event) for {id}.csv or Accept: text/csv. Needs an API key of any role.",
			Tags: []string{"recalls"}, Parameters: idParam,
			Responses: map[string]Response{
				"200": {Description: "The recall", ContentType: "application/json", Schema: scope},
				"400": problem("Not a recall ID"),
				"404": problem("No such recall on the ledger"),
			},
		},
	}, {
		Method: http.MethodGet, Path: "/api/v1/recalls/:id/deliveries", Handler: h.deliveries,
		Doc: Operation{
			Summary: "The webhook notifications of a recall and every attempt (status, time, HTTP code)",
			Description: "Regulators, admins and the firm that started the recall see all; other firms their own. " +
				"Retries run in memory: a delivery pending when the server stops is not resumed.",
			Tags: []string{"recalls"}, Parameters: idParam,
			Responses: map[string]Response{
				"200": {Description: "The deliveries", ContentType: "application/json", Schema: Schema{"type": "object"}},
				"404": problem("No such recall on the ledger"),
			},
		},
	}}
	routes = append(routes, traceHandler{h}.routes()...)
	return append(routes, webhooksHandler{hooks: h.hooks}.routes()...)
}
