package server

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"
)

// openAPIDoc is the part of an OpenAPI 3.1 document the tests look at.
type openAPIDoc struct {
	OpenAPI string `json:"openapi"`
	Info    struct {
		Title   string `json:"title"`
		Version string `json:"version"`
	} `json:"info"`
	Paths      map[string]map[string]openAPIOp `json:"paths"`
	Components struct {
		Schemas         map[string]json.RawMessage `json:"schemas"`
		SecuritySchemes map[string]json.RawMessage `json:"securitySchemes"`
		Responses       map[string]json.RawMessage `json:"responses"`
	} `json:"components"`
}

type openAPIOp struct {
	OperationID string `json:"operationId"`
	Parameters  []struct {
		Name     string `json:"name"`
		In       string `json:"in"`
		Required bool   `json:"required"`
	} `json:"parameters"`
	Responses map[string]struct {
		Ref         string `json:"$ref"`
		Description string `json:"description"`
	} `json:"responses"`
	Security []map[string][]string `json:"security"`
}

// TestOpenAPICoversEveryRoute loads /openapi.json from the running server and
// checks it against Echo's route table both ways: every route Echo serves is
// documented, and every documented operation is served.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	ts := startServer(t, Config{})
	res, body := ts.do("GET", "/openapi.json", "", nil)
	if res.StatusCode != 200 {
		t.Fatalf("openapi.json: %d", res.StatusCode)
	}
	var doc openAPIDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != OpenAPIVersion || doc.Info.Title == "" || doc.Info.Version == "" {
		t.Fatalf("header: %q %q %q", doc.OpenAPI, doc.Info.Title, doc.Info.Version)
	}

	served := map[string]bool{}
	for _, r := range ts.s.e.Routes() {
		served[strings.ToLower(r.Method)+" "+openAPIPath(r.Path)] = true
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[method+" "+path] = true
		}
	}
	for _, k := range sortedSet(served) {
		if !documented[k] {
			t.Errorf("route %s is served but not documented", k)
		}
	}
	for _, k := range sortedSet(documented) {
		if !served[k] {
			t.Errorf("operation %s is documented but not served", k)
		}
	}
	if len(served) < 7 {
		t.Errorf("only %d routes: %v", len(served), sortedSet(served))
	}
}

// TestOpenAPIDocumentIsWellFormed checks what OpenAPI 3.1 requires of each
// operation and what our conventions add: unique operation IDs, every path template
// parameter declared as a required path parameter, responses present, error
// responses referring to the Problem schema, security stated.
func TestOpenAPIDocumentIsWellFormed(t *testing.T) {
	ts := startServer(t, Config{})
	_, body := ts.do("GET", "/openapi.json", "", nil)
	var doc openAPIDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Components.Schemas["Problem"] == nil || doc.Components.SecuritySchemes["apiKey"] == nil ||
		doc.Components.Responses["Problem"] == nil {
		t.Fatal("components lack Problem or apiKey")
	}
	ids := map[string]string{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			where := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s: no operationId", where)
			} else if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("%s and %s share operationId %s", prev, where, op.OperationID)
			}
			ids[op.OperationID] = where
			declared := map[string]bool{}
			for _, p := range op.Parameters {
				if p.In == "path" {
					if !p.Required {
						t.Errorf("%s: path parameter %s not required", where, p.Name)
					}
					declared[p.Name] = true
				}
			}
			for _, seg := range strings.Split(path, "/") {
				if strings.HasPrefix(seg, "{") && !declared[strings.Trim(seg, "{}")] {
					t.Errorf("%s: path parameter %s not declared", where, seg)
				}
			}
			if len(op.Responses) == 0 || op.Responses["default"].Ref != "#/components/responses/Problem" {
				t.Errorf("%s: no default problem response", where)
			}
			if len(op.Security) == 0 {
				t.Errorf("%s: security not stated", where)
			}
			for code, r := range op.Responses {
				if r.Ref == "" && r.Description == "" {
					t.Errorf("%s %s: response without description", where, code)
				}
			}
		}
	}
	keyed := doc.Paths["/api/v1/keys/{id}"]["delete"]
	if keyed.Responses["401"].Ref == "" || keyed.Responses["403"].Ref == "" {
		t.Errorf("keyed operation lacks 401/403: %+v", keyed.Responses)
	}
}

func TestOpenAPIPath(t *testing.T) {
	tests := []struct{ echo, openapi string }{
		{"/healthz", "/healthz"},
		{"/api/v1/keys/:id", "/api/v1/keys/{id}"},
		{"/01/:gtin/10/:lot", "/01/{gtin}/10/{lot}"},
		{"/static/*", "/static/{path}"},
	}
	for _, tt := range tests {
		if got := openAPIPath(tt.echo); got != tt.openapi {
			t.Errorf("openAPIPath(%q) = %q, want %q", tt.echo, got, tt.openapi)
		}
	}
	if got := operationID(http.MethodDelete, "/api/v1/keys/:id"); got != "delete_api_v1_keys_id" {
		t.Errorf("operationID = %q", got)
	}
}

// sortedSet lists a set's members in order.
func sortedSet(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
