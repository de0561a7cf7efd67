package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
)

// A FirmChecker decides whether a firm may hold API keys: its Unified Social Credit
// Code is valid and it is registered. The firm registry on the ledger provides it.
type FirmChecker interface {
	// CheckFirm returns nil if firm may hold keys, else an error saying why
	// (a *Problem to choose the status; any other error becomes a 400 about "firm").
	CheckFirm(firm string) error
}

// keysHandler is the admin API of API keys under /api/v1/keys.
type keysHandler struct {
	keys  KeyStore
	firms FirmChecker
}

// createKeyRequest is the body of POST /api/v1/keys.
type createKeyRequest struct {
	Firm string `json:"firm"`
	Role string `json:"role"`
}

// createdKey is the answer to POST /api/v1/keys: the key, shown this once.
type createdKey struct {
	Key string `json:"key"`
	KeyInfo
}

// maxFirmLen bounds the firm code when no FirmChecker validates it.
const maxFirmLen = 64

func (h keysHandler) store() (KeyStore, error) {
	if h.keys == nil {
		return nil, NewProblem(http.StatusServiceUnavailable, ImplementationException,
			"this server has no key store")
	}
	return h.keys, nil
}

func (h keysHandler) create(c echo.Context) error {
	ks, err := h.store()
	if err != nil {
		return err
	}
	var req createKeyRequest
	if err := DecodeJSON(c.Request().Body, &req, true); err != nil {
		return err
	}
	role, err := ParseRole(req.Role)
	if err != nil {
		return BadRequest("role", err.Error())
	}
	if req.Firm == "" {
		return BadRequest("firm", "firm (the Unified Social Credit Code) is required")
	}
	if h.firms != nil {
		if err := h.firms.CheckFirm(req.Firm); err != nil {
			var p *Problem
			if errors.As(err, &p) {
				return p
			}
			return BadRequest("firm", err.Error())
		}
	} else if len(req.Firm) > maxFirmLen {
		return BadRequest("firm", "firm code is too long")
	}
	key, info, err := ks.Create(req.Firm, role)
	if err != nil {
		return Internal(err)
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/keys/"+info.ID)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, createdKey{Key: key, KeyInfo: info})
}

func (h keysHandler) list(c echo.Context) error {
	ks, err := h.store()
	if err != nil {
		return err
	}
	keys, err := ks.List()
	if err != nil {
		return Internal(err)
	}
	if keys == nil {
		keys = []KeyInfo{}
	}
	return c.JSON(http.StatusOK, map[string]any{"keys": keys})
}

func (h keysHandler) revoke(c echo.Context) error {
	ks, err := h.store()
	if err != nil {
		return err
	}
	id := c.Param("id")
	switch err := ks.Revoke(id); {
	case errors.Is(err, ErrUnknownKey):
		return NotFound("no API key has ID " + id).WithField("id")
	case err != nil:
		return Internal(err)
	}
	return c.NoContent(http.StatusNoContent)
}

func (h keysHandler) routes() []Route {
	info := Schema{
		"type": "object",
		"properties": map[string]any{
			"id":      Schema{"type": "string"},
			"firm":    Schema{"type": "string", "description": "Unified Social Credit Code"},
			"role":    Schema{"enum": []string{"producer", "inspector", "regulator", "admin"}},
			"created": Schema{"type": "string", "format": "date-time"},
			"revoked": Schema{"type": "string", "format": "date-time"},
		},
	}
	admin := []Role{RoleAdmin}
	return []Route{{
		Method: http.MethodPost, Path: "/api/v1/keys", Handler: h.create, Roles: admin,
		Doc: Operation{
			Summary:     "Create an API key",
			Description: "The answer holds the key itself; it is shown this once and stored only as a SHA-256 hash.",
			Tags:        []string{"keys"},
			RequestBody: &Body{ContentType: "application/json", Required: true, Schema: Schema{
				"type": "object", "required": []string{"firm", "role"}, "additionalProperties": false,
				"properties": map[string]any{
					"firm": Schema{"type": "string", "description": "Unified Social Credit Code of the firm"},
					"role": Schema{"enum": []string{"producer", "inspector", "regulator", "admin"}},
				}}},
			Responses: map[string]Response{"201": {Description: "Created", ContentType: "application/json",
				Schema:  Schema{"allOf": []any{info, Schema{"properties": map[string]any{"key": Schema{"type": "string"}}}}},
				Headers: map[string]string{"Location": "The key's resource, /api/v1/keys/{id}"}}},
		},
	}, {
		Method: http.MethodGet, Path: "/api/v1/keys", Handler: h.list, Roles: admin,
		Doc: Operation{
			Summary: "List API keys (without the keys), revoked ones included",
			Tags:    []string{"keys"},
			Responses: map[string]Response{"200": {Description: "The keys", ContentType: "application/json",
				Schema: Schema{"type": "object", "properties": map[string]any{"keys": Schema{"type": "array", "items": info}}}}},
		},
	}, {
		Method: http.MethodDelete, Path: "/api/v1/keys/:id", Handler: h.revoke, Roles: admin,
		Doc: Operation{
			Summary:     "Revoke an API key",
			Description: "Revoking a revoked key again succeeds. The record stays for the audit trail.",
			Tags:        []string{"keys"},
			Parameters:  []Parameter{{Name: "id", In: "path", Description: "Key ID (16 hex digits)"}},
			Responses:   map[string]Response{"204": {Description: "Revoked"}, "404": {Description: "No such key", ContentType: ProblemContentType}},
		},
	}}
}
