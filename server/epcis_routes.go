package server

import (
	"net/http"
)

// routes lists the EPCIS 2.0 REST binding's endpoints with their OpenAPI
// documentation (paths as GS1's document has them, under /epcis).
func (h *epcisHandler) routes() []Route {
	problem := func(d string) Response { return Response{Description: d, ContentType: ProblemContentType} }
	queryDoc := Schema{"type": "object", "description": "EPCISQueryDocument (EPCIS 2.0 JSON-LD) with queryName SimpleEventQuery",
		"required": []string{"@context", "type", "epcisBody"}}
	versionHdrs := map[string]string{"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}
	behaviour := Parameter{Name: "GS1-Capture-Error-Behaviour", In: "header",
		Description: "rollback (default): all or nothing; proceed: store the valid events, report the others in the job",
		Schema:      Schema{"enum": []string{"rollback", "proceed"}}}
	versions := []Parameter{
		{Name: "GS1-EPCIS-Version", In: "header", Description: "EPCIS version of the request; 2.x only"},
		{Name: "GS1-CBV-Version", In: "header", Description: "CBV version of the request; 2.x only"},
	}
	doc := &Body{Description: "An EPCISDocument or EPCISQueryDocument (JSON-LD)", ContentType: "application/ld+json",
		Required: true, Schema: Schema{"type": "object", "required": []string{"@context", "type", "epcisBody"}}}
	event := &Body{Description: "One EPCIS event (bare, with its @context), or a document holding exactly one",
		ContentType: "application/ld+json", Required: true, Schema: Schema{"type": "object"}}
	job := Schema{"type": "object", "required": []string{"captureID", "running", "success", "captureErrorBehaviour", "errors"},
		"properties": map[string]any{
			"captureID":             Schema{"type": "string"},
			"createdAt":             Schema{"type": "string", "format": "date-time"},
			"finishedAt":            Schema{"type": "string", "format": "date-time"},
			"running":               Schema{"type": "boolean"},
			"success":               Schema{"type": "boolean"},
			"captureErrorBehaviour": Schema{"enum": []string{"rollback", "proceed"}},
			"errors":                Schema{"type": "array", "items": Schema{"$ref": "#/components/schemas/Problem"}},
			"captured":              Schema{"type": "integer", "description": "events stored or found already stored"},
		}}
	return []Route{{
		Method: http.MethodPost, Path: "/epcis/capture", Handler: h.capture,
		Doc: Operation{
			Summary: "Capture an EPCIS document (asynchronous job)",
			Description: "Validates the document and the caller's right to record each event (the firm registry's ownership policy), " +
				"then stores the events as one atomic batch in a background job. With rollback (default), an invalid event is a 400 and " +
				"a forbidden one a 403 before any job exists. Limits: GS1-EPCIS-Capture-Limit events and GS1-EPCIS-Capture-File-Size-Limit bytes (413).",
			Tags:        []string{"epcis"},
			Parameters:  append([]Parameter{behaviour}, versions...),
			RequestBody: doc,
			Responses: map[string]Response{
				"202": {Description: "Accepted; the job is at Location", Headers: map[string]string{"Location": "/epcis/capture/{captureID}"}},
				"400": problem("Not an EPCIS document, or (rollback) an invalid event: ValidationException naming the field"),
				"403": problem("(rollback) An event the caller's firm may not record: SecurityException naming the field"),
				"406": problem("An EPCIS or CBV version other than 2.x was asked for"),
				"413": problem("Over GS1-EPCIS-Capture-Limit or GS1-EPCIS-Capture-File-Size-Limit: CaptureLimitExceededException"),
				"415": problem("Not JSON or JSON-LD"),
				"503": problem("Too many capture jobs waiting (Retry-After)"),
			},
		},
	}, {
		Method: http.MethodGet, Path: "/epcis/capture/:captureID", Handler: h.captureJob,
		Doc: Operation{
			Summary:     "The state of a capture job",
			Description: "Jobs are kept in memory for an hour after they finish (at most 10000); only the capturing firm, regulators and admins see a job.",
			Tags:        []string{"epcis"},
			Responses: map[string]Response{
				"200": {Description: "The job", ContentType: "application/json", Schema: job, Headers: versionHdrs},
				"404": problem("No such job: NoSuchResourceException"),
			},
		},
	}, {
		Method: http.MethodGet, Path: "/epcis/capture", Handler: h.captureJobList,
		Doc: Operation{
			Summary:     "The caller's capture jobs, newest first",
			Description: "Regulators and admins see every job. Pages of perPage jobs, continued by the Link rel=\"next\" header.",
			Tags:        []string{"epcis"},
			Parameters: []Parameter{
				{Name: "perPage", In: "query", Description: "jobs per page (default 30)", Schema: Schema{"type": "integer", "minimum": 1}},
				{Name: "nextPageToken", In: "query", Description: "continues the list from the Link rel=\"next\" header"},
			},
			Responses: map[string]Response{
				"200": {Description: "The jobs", ContentType: "application/json", Schema: Schema{"type": "array", "items": job},
					Headers: map[string]string{"Link": `<...nextPageToken=...>; rel="next" while there are more jobs`}},
				"400": problem("Unknown or malformed parameter: QueryParameterException naming it"),
			},
		},
	}, {
		Method: http.MethodOptions, Path: "/epcis/capture", Handler: h.captureOptions,
		Doc: Operation{
			Summary: "Capture interface discovery: versions and limits",
			Tags:    []string{"epcis"},
			Responses: map[string]Response{"204": {Description: "The capture interface's settings", Headers: map[string]string{
				"Allow": "OPTIONS, POST, GET", "GS1-EPCIS-Capture-Limit": "most events per document",
				"GS1-EPCIS-Capture-File-Size-Limit": "largest document in bytes", "GS1-Capture-Error-Behaviour": "all (rollback and proceed)",
				"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}}},
		},
	}, {
		Method: http.MethodPost, Path: "/epcis/events", Handler: h.postEvent,
		Doc: Operation{
			Summary: "Capture one EPCIS event (synchronous)",
			Description: "Stored durably before the answer. Capturing an event that is already stored (same CBV 2.0 hash ID) " +
				"answers 201 with the same Location.",
			Tags:        []string{"epcis"},
			Parameters:  versions,
			RequestBody: event,
			Responses: map[string]Response{
				"201": {Description: "Stored", Headers: map[string]string{"Location": "/epcis/events/{eventID}: the event's hash ID, URL-escaped"}},
				"400": problem("Invalid event: ValidationException naming the field"),
				"403": problem("The caller's firm may not record this event: SecurityException naming the field"),
				"406": problem("An EPCIS or CBV version other than 2.x was asked for"),
				"413": problem("Over GS1-EPCIS-Capture-File-Size-Limit"),
				"415": problem("Not JSON or JSON-LD"),
			},
		},
	}, {
		Method: http.MethodGet, Path: "/epcis/events", Handler: h.queryEvents,
		Doc: Operation{
			Summary: "Query events (SimpleEventQuery in the URI query string)",
			Description: "Multi-valued parameters are pipe-separated. Identifiers may be EPC URIs, EPC pattern URIs (MATCH_ parameters) " +
				"or GS1 Digital Link URIs; CBV values bare words or URIs. Events come with eventID = their CBV 2.0 hash ID. " +
				"Pages of perPage events (default 30, at most the server's MaxEventCount), continued by the Link rel=\"next\" header.",
			Tags:       []string{"epcis"},
			Parameters: queryParameters(),
			Responses: map[string]Response{
				"200": {Description: "EPCISQueryDocument", ContentType: "application/ld+json", Schema: queryDoc,
					Headers: map[string]string{"Link": `<...nextPageToken=...>; rel="next" while there are more results`,
						"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}},
				"400": problem("Unknown, unsupported or malformed parameter: QueryParameterException naming it"),
				"406": problem("An EPCIS or CBV version other than 2.x, or EPC URNs, were asked for"),
				"413": problem("More results than maxEventCount: QueryTooLargeException"),
			},
		},
	}, {
		Method: http.MethodOptions, Path: "/epcis/events", Handler: eventsOptions("OPTIONS, GET, POST"),
		Doc: Operation{Summary: "Events endpoint discovery", Tags: []string{"epcis"},
			Responses: map[string]Response{"204": {Description: "Versions and formats", Headers: map[string]string{"Allow": "OPTIONS, GET, POST"}}}},
	}, {
		Method: http.MethodGet, Path: "/epcis/events/:eventID", Handler: h.eventByID,
		Doc: Operation{
			Summary:     "One event, by its hash ID or the eventID its capturer gave",
			Description: "Answered as an EPCISQueryDocument holding the event, with eventID = its CBV 2.0 hash ID.",
			Tags:        []string{"epcis"},
			Parameters:  []Parameter{{Name: "eventID", In: "path", Description: "Event hash ID (ni:///sha-256;...?ver=CBV2.0) or capturer's eventID, URL-escaped"}},
			Responses: map[string]Response{
				"200": {Description: "EPCISQueryDocument with the event", ContentType: "application/ld+json", Schema: queryDoc, Headers: versionHdrs},
				"404": problem("No such event: NoSuchResourceException"),
			},
		},
	}, {
		Method: http.MethodOptions, Path: "/epcis/events/:eventID", Handler: eventsOptions("OPTIONS, GET"),
		Doc: Operation{Summary: "Event endpoint discovery", Tags: []string{"epcis"},
			Parameters: []Parameter{{Name: "eventID", In: "path", Description: "Event ID, URL-escaped"}},
			Responses:  map[string]Response{"204": {Description: "Versions and formats", Headers: map[string]string{"Allow": "OPTIONS, GET"}}}},
	}}
}

// queryParameters documents the SimpleEventQuery parameters GET /epcis/events takes.
func queryParameters() []Parameter {
	list := func(name, d string) Parameter {
		return Parameter{Name: name, In: "query", Description: d + " (pipe-separated values)"}
	}
	tm := func(name, d string) Parameter {
		return Parameter{Name: name, In: "query", Description: d, Schema: Schema{"type": "string", "format": "date-time"}}
	}
	num := func(name, d string) Parameter {
		return Parameter{Name: name, In: "query", Description: d, Schema: Schema{"type": "number"}}
	}
	return []Parameter{
		list("eventType", "ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent"),
		tm("GE_eventTime", "eventTime at or after"), tm("LT_eventTime", "eventTime before"),
		tm("GE_recordTime", "recordTime at or after"), tm("LT_recordTime", "recordTime before"),
		list("EQ_action", "ADD, OBSERVE or DELETE"),
		list("EQ_bizStep", "CBV business steps, bare or as URIs"),
		list("EQ_disposition", "CBV dispositions, bare or as URIs"),
		list("EQ_persistentDisposition_set", "dispositions set persistently"),
		list("EQ_persistentDisposition_unset", "dispositions unset persistently"),
		list("EQ_readPoint", "read point identifiers (SGLN URI or GLN Digital Link)"),
		list("EQ_bizLocation", "business location identifiers"),
		list("EQ_transformationID", "transformation IDs"),
		list("MATCH_epc", "epcList or childEPCs: identifiers or EPC pattern URIs"),
		list("MATCH_parentID", "parentID: identifiers or patterns"),
		list("MATCH_inputEPC", "inputEPCList: identifiers or patterns"),
		list("MATCH_outputEPC", "outputEPCList: identifiers or patterns"),
		list("MATCH_anyEPC", "any EPC field: identifiers or patterns"),
		list("MATCH_epcClass", "quantityList or childQuantityList classes"),
		list("MATCH_inputEPCClass", "inputQuantityList classes"),
		list("MATCH_outputEPCClass", "outputQuantityList classes"),
		list("MATCH_anyEPCClass", "any quantity list's classes"),
		num("EQ_quantity", "some quantity equals"), num("GT_quantity", "some quantity is greater than"),
		num("GE_quantity", "some quantity is at least"), num("LT_quantity", "some quantity is less than"),
		num("LE_quantity", "some quantity is at most"),
		list("EQ_eventID", "event hash IDs or capturers' eventIDs"),
		{Name: "EXISTS_errorDeclaration", In: "query", Description: "only events declared in error", Schema: Schema{"type": "boolean"}},
		tm("GE_errorDeclarationTime", "errorDeclaration at or after"), tm("LT_errorDeclarationTime", "errorDeclaration before"),
		list("EQ_errorReason", "CBV error reasons"),
		list("EQ_correctiveEventID", "corrective event IDs"),
		{Name: "orderBy", In: "query", Description: "eventTime or recordTime", Schema: Schema{"enum": []string{"eventTime", "recordTime"}}},
		{Name: "orderDirection", In: "query", Description: "ASC or DESC (default)", Schema: Schema{"enum": []string{"ASC", "DESC"}}},
		{Name: "eventCountLimit", In: "query", Description: "keep the first N results (needs orderBy)", Schema: Schema{"type": "integer", "minimum": 1}},
		{Name: "maxEventCount", In: "query", Description: "fail with QueryTooLargeException beyond N results", Schema: Schema{"type": "integer", "minimum": 1}},
		{Name: "perPage", In: "query", Description: "events per page (default 30)", Schema: Schema{"type": "integer", "minimum": 1}},
		{Name: "nextPageToken", In: "query", Description: "continues a query from the Link rel=\"next\" header"},
	}
}
