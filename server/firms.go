package server

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"traceledger/ledger/registry"
	"traceledger/scanner"
)

// firmsHandler is the registry's API: real-name firms and their products under
// /api/v1/firms and /api/v1/products (DESIGN.md journey 1). Registrations and
// changes are ledger entries (package registry); reads are public, because a firm's
// real-name record is what a consumer checks behind a code.
type firmsHandler struct {
	reg *registry.Registry
}

func newFirmsHandler(deps Deps) firmsHandler { return firmsHandler{reg: deps.Registry} }

// registry returns the registry, or a 503 problem when the server has none.
func (h firmsHandler) registry() (*registry.Registry, error) {
	if h.reg == nil {
		return nil, NewProblem(http.StatusServiceUnavailable, ImplementationException,
			"this server has no firm registry")
	}
	return h.reg, nil
}

// firmRequest is the body of POST /api/v1/firms.
type firmRequest struct {
	USCC     string          `json:"uscc"`
	Name     string          `json:"name"`
	NameEN   string          `json:"nameEN"`
	Region   string          `json:"region"`
	Prefixes []string        `json:"prefixes"`
	PartyGLN string          `json:"partyGLN"`
	Sites    []registry.Site `json:"sites"`
	Status   string          `json:"status"`
}

// firmPatch is the body of PATCH /api/v1/firms/{uscc}: absent members change nothing.
type firmPatch struct {
	Status      string          `json:"status"`
	Blacklisted *bool           `json:"blacklisted"`
	Reason      string          `json:"reason"`
	Name        string          `json:"name"`
	Prefixes    []string        `json:"prefixes"`
	Sites       []registry.Site `json:"sites"`
}

// firmView is a firm as the API shows it: the registered fields and where its
// newest record is on the ledger.
type firmView struct {
	*registry.Firm
	Reason     string    `json:"reason,omitempty"`
	Registered time.Time `json:"registered"`
	Updated    time.Time `json:"updated"`
	RecordID   string    `json:"recordId"`
	Entry      int64     `json:"entry"`
}

func viewFirm(f *registry.Firm) firmView {
	return firmView{Firm: f, Reason: f.Reason, Registered: f.Registered, Updated: f.Updated,
		RecordID: f.RecordID, Entry: f.Entry}
}

// productRequest is the body of POST /api/v1/products.
type productRequest struct {
	GTIN        string `json:"gtin"`
	Description string `json:"description"`
	Name        string `json:"name"`
	Category    string `json:"category"`
	UOM         string `json:"uom"`
	Owner       string `json:"owner"`
}

// productView is a product as the API shows it.
type productView struct {
	*registry.Product
	OwnerName  string    `json:"ownerName,omitempty"`
	Registered time.Time `json:"registered"`
	RecordID   string    `json:"recordId"`
	Entry      int64     `json:"entry"`
}

// registryProblem turns a registry error into the problem to answer with.
func registryProblem(err error) error {
	var fe *registry.FieldError
	switch {
	case errors.As(err, &fe) && errors.Is(err, registry.ErrExists):
		return NewProblem(http.StatusConflict, ResourceAlreadyExistsException, fe.Message).WithField(fe.Field)
	case errors.As(err, &fe) && errors.Is(err, registry.ErrConflict):
		return NewProblem(http.StatusConflict, ValidationException, fe.Message).WithField(fe.Field)
	case errors.As(err, &fe):
		return BadRequest(fe.Field, fe.Message)
	case errors.Is(err, registry.ErrNotFound):
		return NotFound(err.Error())
	}
	return Internal(err)
}

// usccParam returns the USCC in the path, or a 400 naming "uscc".
func usccParam(c echo.Context) (string, error) {
	u, err := url.PathUnescape(c.Param("uscc"))
	if err != nil {
		return "", BadRequest("uscc", "the path segment is not a valid escaped string")
	}
	if err := scanner.ValidateUSCC(u); err != nil {
		return "", BadRequest("uscc", err.Error())
	}
	return u, nil
}

// firm is the registry and the validated {uscc} of a request about one firm; its
// error is the problem to answer with when either is missing.
func (h firmsHandler) firm(c echo.Context) (*registry.Registry, string, error) {
	reg, err := h.registry()
	if err != nil {
		return nil, "", err
	}
	uscc, err := usccParam(c)
	if err != nil {
		return nil, "", err
	}
	return reg, uscc, nil
}

func (h firmsHandler) register(c echo.Context) error {
	reg, err := h.registry()
	if err != nil {
		return err
	}
	var req firmRequest
	if err := DecodeJSON(c.Request().Body, &req, true); err != nil {
		return err
	}
	f := registry.Firm{USCC: req.USCC, Name: req.Name, NameEN: req.NameEN, Region: req.Region,
		Prefixes: req.Prefixes, PartyGLN: req.PartyGLN, Sites: req.Sites, Status: registry.Status(req.Status)}
	if f.Status == registry.StatusSuspended {
		return BadRequest("status", "a firm registers as pending or approved")
	}
	caller := CallerFrom(c.Request().Context())
	ctx := registry.WithActor(c.Request().Context(), caller.Firm)
	if err := reg.RegisterFirm(ctx, f); err != nil {
		return registryProblem(err)
	}
	got, err := reg.Firm(f.USCC)
	if err != nil {
		return Internal(err)
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/firms/"+got.USCC)
	return c.JSON(http.StatusCreated, viewFirm(got))
}

func (h firmsHandler) get(c echo.Context) error {
	reg, uscc, err := h.firm(c)
	if err != nil {
		return err
	}
	f, err := reg.Firm(uscc)
	if err != nil {
		return registryProblem(err)
	}
	return c.JSON(http.StatusOK, viewFirm(f))
}

// firmChange is one record of GET /api/v1/firms/{uscc}/history.
type firmChange struct {
	Entry      int64          `json:"entry"`
	RecordTime time.Time      `json:"recordTime"`
	RecordID   string         `json:"recordId"`
	Type       string         `json:"type"`
	By         string         `json:"by,omitempty"`
	Reason     string         `json:"reason,omitempty"`
	Firm       *registry.Firm `json:"firm"`
}

func (h firmsHandler) history(c echo.Context) error {
	reg, uscc, err := h.firm(c)
	if err != nil {
		return err
	}
	changes, err := reg.FirmHistory(uscc)
	if err != nil {
		return registryProblem(err)
	}
	out := make([]firmChange, len(changes))
	for i, ch := range changes {
		out[i] = firmChange{Entry: ch.Entry, RecordTime: ch.RecordTime, RecordID: ch.RecordID, Type: ch.Type,
			By: ch.By, Reason: ch.Reason, Firm: ch.Firm}
	}
	return c.JSON(http.StatusOK, map[string]any{"uscc": uscc, "code": registry.FirmCode(uscc), "records": out})
}

func (h firmsHandler) update(c echo.Context) error {
	reg, uscc, err := h.firm(c)
	if err != nil {
		return err
	}
	var req firmPatch
	if err := DecodeJSON(c.Request().Body, &req, true); err != nil {
		return err
	}
	caller := CallerFrom(c.Request().Context())
	if caller.Role != RoleRegulator && (req.Status != "" || req.Blacklisted != nil) {
		return Forbidden("approving, suspending and blacklisting firms is the regulator's: " +
			"the API key has role " + string(caller.Role))
	}
	if (req.Status == string(registry.StatusSuspended) || req.Blacklisted != nil && *req.Blacklisted) && req.Reason == "" {
		return BadRequest("reason", "suspending or blacklisting a firm needs a reason")
	}
	u := registry.Update{Status: registry.Status(req.Status), Blacklisted: req.Blacklisted, Reason: req.Reason,
		Name: req.Name, Prefixes: req.Prefixes, Sites: req.Sites}
	f, err := reg.UpdateFirm(registry.WithActor(c.Request().Context(), caller.Firm), uscc, u)
	if err != nil {
		return registryProblem(err)
	}
	return c.JSON(http.StatusOK, viewFirm(f))
}

func (h firmsHandler) registerProduct(c echo.Context) error {
	reg, err := h.registry()
	if err != nil {
		return err
	}
	var req productRequest
	if err := DecodeJSON(c.Request().Body, &req, true); err != nil {
		return err
	}
	caller := CallerFrom(c.Request().Context())
	if req.Owner == "" && caller.Role == RoleProducer {
		req.Owner = caller.Firm
	}
	if req.Owner == "" {
		return BadRequest("owner", "owner (the brand owner's Unified Social Credit Code) is required")
	}
	if err := RequireFirm(caller, req.Owner); err != nil {
		var p *Problem
		if errors.As(err, &p) {
			return p.WithField("owner")
		}
		return err
	}
	p := registry.Product{GTIN: req.GTIN, Description: req.Description, Name: req.Name,
		Category: registry.Category(req.Category), UOM: req.UOM, Owner: req.Owner}
	if err := reg.RegisterProduct(registry.WithActor(c.Request().Context(), caller.Firm), p); err != nil {
		return registryProblem(err)
	}
	gtin, _ := registry.NormalizeGTIN("gtin", req.GTIN)
	return h.writeProduct(c, reg, gtin, http.StatusCreated)
}

func (h firmsHandler) getProduct(c echo.Context) error {
	reg, err := h.registry()
	if err != nil {
		return err
	}
	gtin, err := registry.NormalizeGTIN("gtin", c.Param("gtin"))
	if err != nil {
		return registryProblem(err)
	}
	return h.writeProduct(c, reg, gtin, http.StatusOK)
}

// writeProduct answers with the product gtin and its owner's name.
func (h firmsHandler) writeProduct(c echo.Context, reg *registry.Registry, gtin string, status int) error {
	p, err := reg.Product(gtin)
	if err != nil {
		return registryProblem(err)
	}
	v := productView{Product: p, Registered: p.Registered, RecordID: p.RecordID, Entry: p.Entry}
	switch f, err := reg.Firm(p.Owner); {
	case err == nil:
		v.OwnerName = f.Name
	case !errors.Is(err, registry.ErrUnknownFirm):
		return Internal(err)
	}
	if status == http.StatusCreated {
		c.Response().Header().Set(echo.HeaderLocation, "/api/v1/products/"+p.GTIN)
	}
	return c.JSON(status, v)
}

func (h firmsHandler) routes() []Route {
	site := Schema{"type": "object", "required": []string{"gln"}, "additionalProperties": false,
		"properties": map[string]any{
			"gln":     Schema{"type": "string", "pattern": "^[0-9]{13}$"},
			"name":    Schema{"type": "string"},
			"address": Schema{"type": "string"},
		}}
	prefixes := Schema{"type": "array", "items": Schema{"type": "string", "pattern": "^[0-9]{4,12}$"},
		"description": "GS1 company prefixes (4 to 12 digits) held by no other firm"}
	status := Schema{"enum": []string{"pending", "approved", "suspended"}}
	firm := Schema{"type": "object", "properties": map[string]any{
		"uscc":        Schema{"type": "string", "description": "Unified Social Credit Code (GB 32100)"},
		"name":        Schema{"type": "string", "description": "Legal name"},
		"nameEN":      Schema{"type": "string"},
		"region":      Schema{"type": "string", "description": "GB/T 2260 division code of the registering office"},
		"prefixes":    prefixes,
		"partyGLN":    Schema{"type": "string"},
		"sites":       Schema{"type": "array", "items": site},
		"status":      status,
		"blacklisted": Schema{"type": "boolean"},
		"reason":      Schema{"type": "string", "description": "Reason given with the newest change"},
		"registered":  Schema{"type": "string", "format": "date-time"},
		"updated":     Schema{"type": "string", "format": "date-time"},
		"recordId":    Schema{"type": "string", "description": "ID of the firm's newest registry record on the ledger"},
		"entry":       Schema{"type": "integer", "description": "Ledger index of that record"},
	}}
	product := Schema{"type": "object", "properties": map[string]any{
		"gtin":        Schema{"type": "string", "pattern": "^[0-9]{14}$"},
		"description": Schema{"type": "string"},
		"name":        Schema{"type": "string"},
		"category":    Schema{"enum": []string{"farm_produce", "manufactured"}},
		"uom":         Schema{"type": "string", "description": "UN/CEFACT Rec. 20 unit (KGM, LTR, EA...)"},
		"owner":       Schema{"type": "string", "description": "USCC of the brand owner"},
		"ownerName":   Schema{"type": "string"},
		"registered":  Schema{"type": "string", "format": "date-time"},
		"recordId":    Schema{"type": "string"},
		"entry":       Schema{"type": "integer"},
	}}
	problem := func(d string) Response { return Response{Description: d, ContentType: ProblemContentType} }
	usccParamDoc := []Parameter{{Name: "uscc", In: "path", Description: "Unified Social Credit Code"}}
	return []Route{{
		Method: http.MethodPost, Path: "/api/v1/firms", Handler: h.register,
		Roles: []Role{RoleAdmin, RoleRegulator},
		Doc: Operation{
			Summary: "Register a firm",
			Description: "Records the firm's real-name registration on the ledger. The USCC's check characters, " +
				"the region code, the company prefixes and the site GLNs are checked; problems name the field. " +
				"A firm registers as pending unless status says approved.",
			Tags: []string{"firms"},
			RequestBody: &Body{ContentType: "application/json", Required: true, Schema: Schema{
				"type": "object", "required": []string{"uscc", "name", "region"}, "additionalProperties": false,
				"properties": map[string]any{
					"uscc": Schema{"type": "string"}, "name": Schema{"type": "string"}, "nameEN": Schema{"type": "string"},
					"region": Schema{"type": "string"}, "prefixes": prefixes, "partyGLN": Schema{"type": "string"},
					"sites": Schema{"type": "array", "items": site}, "status": Schema{"enum": []string{"pending", "approved"}},
				}}},
			Responses: map[string]Response{
				"201": {Description: "Registered", ContentType: "application/json", Schema: firm,
					Headers: map[string]string{"Location": "/api/v1/firms/{uscc}"}},
				"400": problem("A field is invalid (the problem's field names it)"),
				"409": problem("The firm is registered already, or a prefix or GLN belongs to another firm"),
			},
		},
	}, {
		Method: http.MethodGet, Path: "/api/v1/firms/:uscc", Handler: h.get, Public: true,
		Doc: Operation{
			Summary: "A firm's real-name record", Tags: []string{"firms"}, Parameters: usccParamDoc,
			Responses: map[string]Response{
				"200": {Description: "The firm", ContentType: "application/json", Schema: firm},
				"400": problem("Not a valid USCC"),
				"404": problem("No such firm"),
			},
		},
	}, {
		Method: http.MethodGet, Path: "/api/v1/firms/:uscc/history", Handler: h.history, Public: true,
		Doc: Operation{
			Summary: "A firm's registration and every change to it, newest first",
			Description: "Read from the firm's chain on the ledger (code urn:traceledger:firm:{uscc}), each link checked: " +
				"the registry part of the firm's quality-credit file. Each record holds the firm as it stood after the change.",
			Tags: []string{"firms"}, Parameters: usccParamDoc,
			Responses: map[string]Response{
				"200": {Description: "The records", ContentType: "application/json", Schema: Schema{
					"type": "object", "properties": map[string]any{
						"uscc": Schema{"type": "string"}, "code": Schema{"type": "string"},
						"records": Schema{"type": "array", "items": Schema{"type": "object", "properties": map[string]any{
							"entry": Schema{"type": "integer"}, "recordTime": Schema{"type": "string", "format": "date-time"},
							"recordId": Schema{"type": "string"},
							"type":     Schema{"enum": []string{registry.TypeFirmRegistration, registry.TypeFirmUpdate}},
							"by":       Schema{"type": "string"}, "reason": Schema{"type": "string"}, "firm": firm,
						}}},
					}}},
				"400": problem("Not a valid USCC"),
				"404": problem("No such firm"),
			},
		},
	}, {
		Method: http.MethodPatch, Path: "/api/v1/firms/:uscc", Handler: h.update,
		Roles: []Role{RoleRegulator, RoleAdmin},
		Doc: Operation{
			Summary: "Change a firm: approve, suspend, blacklist (regulator) or correct its details",
			Description: "Absent members change nothing; prefixes and sites, when given, replace the lists. " +
				"Status and blacklist changes are the regulator's, and suspending or blacklisting needs a reason. " +
				"Every change is a new registry record on the ledger.",
			Tags: []string{"firms"}, Parameters: usccParamDoc,
			RequestBody: &Body{ContentType: "application/json", Required: true, Schema: Schema{
				"type": "object", "additionalProperties": false,
				"properties": map[string]any{
					"status": status, "blacklisted": Schema{"type": "boolean"}, "reason": Schema{"type": "string"},
					"name": Schema{"type": "string"}, "prefixes": prefixes, "sites": Schema{"type": "array", "items": site},
				}}},
			Responses: map[string]Response{
				"200": {Description: "The firm after the change", ContentType: "application/json", Schema: firm},
				"400": problem("A field is invalid"),
				"404": problem("No such firm"),
				"409": problem("A prefix or GLN belongs to another firm"),
			},
		},
	}, {
		Method: http.MethodPost, Path: "/api/v1/products", Handler: h.registerProduct,
		Roles: []Role{RoleProducer, RoleRegulator, RoleAdmin},
		Doc: Operation{
			Summary: "Register a product (GTIN)",
			Description: "A producer registers products of its own firm (owner defaults to it) under its own company " +
				"prefixes; regulators and admins register for any firm.",
			Tags: []string{"products"},
			RequestBody: &Body{ContentType: "application/json", Required: true, Schema: Schema{
				"type": "object", "required": []string{"gtin", "description", "category", "uom"},
				"additionalProperties": false,
				"properties": map[string]any{
					"gtin": Schema{"type": "string", "pattern": "^[0-9]{8}$|^[0-9]{12,14}$"}, "description": Schema{"type": "string"},
					"name": Schema{"type": "string"}, "category": Schema{"enum": []string{"farm_produce", "manufactured"}},
					"uom": Schema{"type": "string"}, "owner": Schema{"type": "string"},
				}}},
			Responses: map[string]Response{
				"201": {Description: "Registered", ContentType: "application/json", Schema: product,
					Headers: map[string]string{"Location": "/api/v1/products/{gtin}"}},
				"400": problem("A field is invalid"),
				"409": problem("The GTIN is registered already"),
			},
		},
	}, {
		Method: http.MethodGet, Path: "/api/v1/products/:gtin", Handler: h.getProduct, Public: true,
		Doc: Operation{
			Summary: "A registered product", Tags: []string{"products"},
			Parameters: []Parameter{{Name: "gtin", In: "path", Description: "GTIN-8, -12, -13 or -14"}},
			Responses: map[string]Response{
				"200": {Description: "The product", ContentType: "application/json", Schema: product},
				"400": problem("Not a valid GTIN"),
				"404": problem("No such product"),
			},
		},
	}}
}
