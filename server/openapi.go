package server

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// The OpenAPI 3.1 document at /openapi.json is built in Go from the registered
// routes (Route.Doc), so it is generated from what the server really serves. Schemas
// are JSON Schema 2020-12 objects, the dialect OpenAPI 3.1 uses.

// OpenAPIVersion is the OpenAPI specification version of the document.
const OpenAPIVersion = "3.1.0"

// A Schema is a JSON Schema 2020-12 object, written as a map.
type Schema map[string]any

// An Operation documents one route for OpenAPI. Path parameters are derived from
// the route's pattern unless Parameters describes them; the problem responses every
// route can give (401/403 for keyed routes, 429 for rate-limited ones, default) are
// added automatically.
type Operation struct {
	// Summary is a one-line description.
	Summary string
	// Description says more, in CommonMark.
	Description string
	// OperationID is unique per operation; "" derives one from method and path.
	OperationID string
	// Tags group operations in viewers ("epcis", "keys", "operations"...).
	Tags []string
	// Parameters are the query, header and path parameters.
	Parameters []Parameter
	// RequestBody describes the body, if any.
	RequestBody *Body
	// Responses maps status codes ("200", "4XX") to responses.
	Responses map[string]Response
}

// A Parameter documents a query, header or path parameter.
type Parameter struct {
	// Name is the parameter's name.
	Name string
	// In is "query", "header" or "path".
	In string
	// Description says what it does.
	Description string
	// Required marks required parameters (path parameters always are).
	Required bool
	// Schema is its JSON Schema; nil means a string.
	Schema Schema
}

// A Body documents a request body.
type Body struct {
	// Description says what the body is.
	Description string
	// ContentType is its media type, e.g. "application/json".
	ContentType string
	// Schema is its JSON Schema.
	Schema Schema
	// Required marks a body the request must have.
	Required bool
}

// A Response documents one response of an operation.
type Response struct {
	// Description says when it is given.
	Description string
	// ContentType is the body's media type; "" means no body.
	ContentType string
	// Schema is the body's JSON Schema.
	Schema Schema
	// Headers maps response header names to descriptions.
	Headers map[string]string
}

// problemSchema is the JSON Schema of a Problem, referenced by every error response.
var problemSchema = Schema{
	"type":     "object",
	"required": []string{"type", "title", "status"},
	"properties": map[string]any{
		"type":      Schema{"type": "string", "description": "Problem type: an EPCIS exception such as epcisException:ValidationException, or about:blank."},
		"title":     Schema{"type": "string"},
		"status":    Schema{"type": "integer"},
		"detail":    Schema{"type": "string"},
		"instance":  Schema{"type": "string", "description": "The request path."},
		"field":     Schema{"type": "string", "description": "JSON path or parameter at fault, e.g. eventList[2].bizStep."},
		"offset":    Schema{"type": "integer", "description": "Byte offset in the body where decoding failed."},
		"requestId": Schema{"type": "string", "description": "X-Request-ID of the request."},
		"errors":    Schema{"type": "array", "items": Schema{"$ref": "#/components/schemas/Problem"}},
	},
}

// openAPIDocument builds the document for the routes in registration order.
func openAPIDocument(baseURL string, routes []*Route) map[string]any {
	paths := map[string]map[string]any{}
	for _, r := range routes {
		p := openAPIPath(r.Path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(r.Method)] = openAPIOperation(r)
	}
	return map[string]any{
		"openapi": OpenAPIVersion,
		"info": map[string]any{
			"title":   "traceledger",
			"version": "1",
			"summary": "GS1 product traceability ledger: EPCIS 2.0 capture and query, Digital Link resolver, native API.",
		},
		"servers": []any{map[string]any{"url": baseURL}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": map[string]any{"Problem": problemSchema},
			"securitySchemes": map[string]any{
				"apiKey": map[string]any{
					"type": "http", "scheme": "bearer",
					"description": "An API key of a firm (tlk_...), sent as Authorization: Bearer KEY.",
				},
			},
			"responses": map[string]any{
				"Problem": map[string]any{
					"description": "An RFC 9457 problem.",
					"content":     map[string]any{ProblemContentType: map[string]any{"schema": Schema{"$ref": "#/components/schemas/Problem"}}},
				},
			},
		},
	}
}

// openAPIOperation renders one route's operation object.
func openAPIOperation(r *Route) map[string]any {
	d := r.Doc
	op := map[string]any{"operationId": d.OperationID}
	if d.OperationID == "" {
		op["operationId"] = operationID(r.Method, r.Path)
	}
	if d.Summary != "" {
		op["summary"] = d.Summary
	}
	if d.Description != "" {
		op["description"] = d.Description
	}
	if len(d.Tags) > 0 {
		op["tags"] = d.Tags
	}
	var params []any
	declared := map[string]bool{}
	for _, p := range d.Parameters {
		declared[p.In+" "+p.Name] = true
		params = append(params, openAPIParameter(p))
	}
	for _, name := range pathParams(r.Path) {
		if !declared["path "+name] {
			params = append(params, openAPIParameter(Parameter{Name: name, In: "path"}))
		}
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if b := d.RequestBody; b != nil {
		op["requestBody"] = map[string]any{
			"description": b.Description,
			"required":    b.Required,
			"content":     map[string]any{b.ContentType: map[string]any{"schema": orAny(b.Schema)}},
		}
	}
	responses := map[string]any{}
	for code, resp := range d.Responses {
		o := map[string]any{"description": resp.Description}
		if resp.ContentType != "" {
			schema := orAny(resp.Schema)
			if resp.Schema == nil && resp.ContentType == ProblemContentType {
				schema = Schema{"$ref": "#/components/schemas/Problem"}
			}
			o["content"] = map[string]any{resp.ContentType: map[string]any{"schema": schema}}
		}
		if len(resp.Headers) > 0 {
			h := map[string]any{}
			for name, desc := range resp.Headers {
				h[name] = map[string]any{"description": desc, "schema": Schema{"type": "string"}}
			}
			o["headers"] = h
		}
		responses[code] = o
	}
	problem := map[string]any{"$ref": "#/components/responses/Problem"}
	if r.Public {
		op["security"] = []any{map[string]any{}, map[string]any{"apiKey": []string{}}}
		if !r.Unlimited {
			responses["429"] = map[string]any{
				"description": "Too many requests from this client address without an API key.",
				"headers":     map[string]any{"Retry-After": map[string]any{"description": "Seconds to wait.", "schema": Schema{"type": "integer"}}},
				"content":     map[string]any{ProblemContentType: map[string]any{"schema": Schema{"$ref": "#/components/schemas/Problem"}}},
			}
		}
	} else {
		op["security"] = []any{map[string]any{"apiKey": []string{}}}
		responses["401"] = problem
		responses["403"] = problem
		if len(r.Roles) > 0 {
			roles := make([]string, len(r.Roles))
			for i, role := range r.Roles {
				roles[i] = string(role)
			}
			op["x-roles"] = roles
		}
	}
	responses["default"] = problem
	op["responses"] = responses
	return op
}

// openAPIParameter renders a parameter object.
func openAPIParameter(p Parameter) map[string]any {
	o := map[string]any{"name": p.Name, "in": p.In, "schema": p.Schema}
	if p.Schema == nil {
		o["schema"] = Schema{"type": "string"}
	}
	if p.Description != "" {
		o["description"] = p.Description
	}
	if p.Required || p.In == "path" {
		o["required"] = true
	}
	return o
}

// orAny is s, or the schema that accepts anything.
func orAny(s Schema) Schema {
	if s == nil {
		return Schema{}
	}
	return s
}

// operationID derives an operation ID such as "get_api_v1_keys_id".
func operationID(method, path string) string {
	f := strings.FieldsFunc(strings.ToLower(path), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	return strings.ToLower(method) + "_" + strings.Join(f, "_")
}

// openAPIHandler serves the document, rendered once at start-up.
type openAPIHandler struct{ doc []byte }

// newOpenAPIHandler renders the document of routes (which must include the
// handler's own route, so it is added before rendering).
func newOpenAPIHandler() *openAPIHandler { return &openAPIHandler{} }

// render fixes the document once every route is registered.
func (h *openAPIHandler) render(baseURL string, routes []*Route) error {
	doc, err := json.MarshalIndent(openAPIDocument(baseURL, routes), "", "  ")
	h.doc = doc
	return err
}

func (h *openAPIHandler) get(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/json", h.doc)
}

func (h *openAPIHandler) routes() []Route {
	return []Route{{
		Method: http.MethodGet, Path: "/openapi.json", Handler: h.get, Public: true, Unlimited: true,
		Doc: Operation{
			Summary: "This OpenAPI 3.1 document",
			Tags:    []string{"operations"},
			Responses: map[string]Response{"200": {Description: "The OpenAPI document",
				ContentType: "application/json"}},
		},
	}}
}
