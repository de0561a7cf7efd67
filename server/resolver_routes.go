package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// resolverDescription is the resolver description file GS1's resolver standard asks
// for at /.well-known/gs1resolver.
type resolverDescription struct {
	Name                             string              `json:"name"`
	ResolverRoot                     string              `json:"resolverRoot"`
	SupportedLinkType                []supportedLinkType `json:"supportedLinkType"`
	SupportedPrimaryKeys             []string            `json:"supportedPrimaryKeys"`
	SupportedContextValuesEnumerated []string            `json:"supportedContextValuesEnumerated"`
	LinkTypeDefaultCanBeLinkset      bool                `json:"linkTypeDefaultCanBeLinkset"`
	LinkTypeDefaultCanBeAll          bool                `json:"linkTypeDefaultCanBeAll"`
	SupportsCompression              bool                `json:"supportsCompression"`
	ValidatesGS1DigitalLinkSyntax    bool                `json:"validatesGS1DigitalLinkSyntax"`
}

// supportedLinkType names a link type namespace the resolver recognises.
type supportedLinkType struct {
	Namespace string `json:"namespace"`
	Prefix    string `json:"prefix"`
	Profile   string `json:"profile,omitempty"`
}

func (h *resolverHandler) wellKnown(c echo.Context) error {
	return c.JSON(http.StatusOK, resolverDescription{
		Name:         "traceledger GS1 Digital Link resolver",
		ResolverRoot: h.base,
		SupportedLinkType: []supportedLinkType{{Namespace: gs1Voc, Prefix: "gs1:",
			Profile: "https://gs1.org/voc/?show=linktypes"}},
		SupportedPrimaryKeys:             primaryKeys,
		SupportedContextValuesEnumerated: []string{},
		// linkType=linkset and linkType=all give the linkset; the default without
		// linkType is the consumer page, not the linkset.
		LinkTypeDefaultCanBeLinkset:   true,
		LinkTypeDefaultCanBeAll:       true,
		SupportsCompression:           true,
		ValidatesGS1DigitalLinkSyntax: true,
	})
}

func (h *resolverHandler) routes() []Route {
	html := Response{Description: "The consumer page", ContentType: mediaHTML, Schema: Schema{"type": "string"}}
	record := Response{Description: "The record of the code (ledger/lotrecord.Record)", ContentType: mediaJSON,
		Schema: Schema{"type": "object"}}
	codeParams := []Parameter{
		{Name: "path", In: "path", Required: true, Description: "The rest of the GS1 Digital Link path after the primary key AI: the key, then key qualifiers (e.g. 09506000134352/10/ABC)."},
		{Name: paramLinkType, In: "query", Description: "linkset or all for the linkset; a link type (gs1:pip, or its full URI https://gs1.org/voc/pip) to be redirected to that link."},
	}
	var rs []Route
	for _, ai := range primaryKeys {
		path := "/" + ai + "/*"
		rs = append(rs, Route{
			Method: http.MethodGet, Path: path, Handler: h.get, Public: true,
			Doc: Operation{
				Summary:     "Resolve a GS1 Digital Link (AI " + ai + ")",
				OperationID: "resolve_" + ai,
				Description: "GS1 resolver standard 1.2: the linkset (linkType=linkset|all or Accept: application/linkset+json), " +
					"a 307 to a link (linkType=gs1:X; 300 when several fit equally), the record (Accept: application/json), " +
					"the consumer page (Accept: text/html) or a 307 to the default link. A serial or lot not on the ledger " +
					"falls back to its lot, then its GTIN. Every answer carries one Link header with every link and rel=\"linkset\".",
				Tags:       []string{"resolver"},
				Parameters: codeParams,
				Responses: map[string]Response{
					"200": {Description: "The linkset, record or consumer page, by content negotiation", ContentType: mediaJSON,
						Schema: Schema{"type": "object"}, Headers: map[string]string{"Link": "Every link of the code, and rel=\"linkset\""}},
					"300": {Description: "Several links of the requested type fit equally; the body is a linkset of them", ContentType: mediaJSON, Schema: Schema{"type": "object"}},
					"307": {Description: "Redirect to the requested or default link; the query is passed on", Headers: map[string]string{"Location": "The link"}},
					"400": {Description: "Not a valid GS1 Digital Link URI (the parser's message, AI and position)", ContentType: ProblemContentType,
						Schema: Schema{"$ref": "#/components/schemas/Problem"}},
					"404": {Description: "Unknown code, or no link of the requested type", ContentType: ProblemContentType,
						Schema: Schema{"$ref": "#/components/schemas/Problem"}},
				},
			},
		}, Route{
			Method: http.MethodOptions, Path: path, Handler: h.options, Public: true,
			Doc: Operation{
				Summary:     "Allowed methods, CORS and the links of a GS1 Digital Link (AI " + ai + ")",
				OperationID: "resolve_" + ai + "_options",
				Tags:        []string{"resolver"},
				Parameters:  codeParams[:1],
				Responses: map[string]Response{"204": {Description: "Allow, CORS and Link headers",
					Headers: map[string]string{"Link": "Every link of the code, and rel=\"linkset\""}}},
			},
		})
	}
	rs = append(rs, Route{
		Method: http.MethodGet, Path: "/page/*", Handler: h.servePage, Public: true,
		Doc: Operation{
			Summary: "The consumer page of a code (the gs1:pip link)", OperationID: "page",
			Description: "The path after /page is a GS1 Digital Link path. ?lang=en|zh, else Accept-Language.",
			Tags:        []string{"resolver"},
			Parameters:  []Parameter{{Name: "path", In: "path", Required: true, Description: "GS1 Digital Link path, e.g. 01/09506000134352/10/ABC"}, {Name: "lang", In: "query", Description: "en or zh"}},
			Responses: map[string]Response{"200": html,
				"400": {Description: "Not a valid GS1 Digital Link", ContentType: ProblemContentType},
				"404": {Description: "Unknown code", ContentType: ProblemContentType}},
		},
	}, Route{
		Method: http.MethodGet, Path: "/api/v1/records/*", Handler: h.serveRecord, Public: true,
		Doc: Operation{
			Summary: "The record of a code as JSON (the gs1:recallStatus link)", OperationID: "getRecord",
			Description: "Product, real-name producer, origin, dates, quantity, status and recall, journey newest first, inspections, " +
				"verification against the latest checkpoint, counterfeit signals.",
			Tags:       []string{"resolver"},
			Parameters: []Parameter{{Name: "path", In: "path", Required: true, Description: "GS1 Digital Link path, e.g. 01/09506000134352/10/ABC"}},
			Responses: map[string]Response{"200": record,
				"400": {Description: "Not a valid GS1 Digital Link", ContentType: ProblemContentType},
				"404": {Description: "Unknown code", ContentType: ProblemContentType}},
		},
	}, Route{
		Method: http.MethodGet, Path: "/.well-known/gs1resolver", Handler: h.wellKnown, Public: true,
		Doc: Operation{
			Summary: "GS1 resolver description file", OperationID: "gs1ResolverDescription",
			Tags:      []string{"resolver"},
			Responses: map[string]Response{"200": {Description: "The resolver description", ContentType: mediaJSON, Schema: Schema{"type": "object"}}},
		},
	})
	return rs
}
