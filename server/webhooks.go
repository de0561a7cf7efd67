package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"traceledger/ledger/webhooks"
)

// webhooksHandler lets a firm subscribe URLs to the notifications traceledger sends
// it (recalls that reach its goods): POST, GET and DELETE /api/v1/webhooks, always
// for the caller's own firm. The secret that signs deliveries (HMAC-SHA256 in
// X-Traceledger-Signature, see package webhooks) is chosen by the firm or made up,
// and shown only in the answer to POST.
type webhooksHandler struct{ hooks *webhooks.Store }

// webhookRequest is the body of POST /api/v1/webhooks.
type webhookRequest struct {
	URL    string `json:"url"`
	Secret string `json:"secret"`
}

func (h webhooksHandler) ready() error {
	if h.hooks == nil {
		return NewProblem(http.StatusServiceUnavailable, ImplementationException, "this server has no ledger")
	}
	return nil
}

func (h webhooksHandler) create(c echo.Context) error {
	if err := h.ready(); err != nil {
		return err
	}
	caller := CallerFrom(c.Request().Context())
	var req webhookRequest
	if err := DecodeJSON(c.Request().Body, &req, true); err != nil {
		return err
	}
	if err := webhooks.CheckURL(req.URL); err != nil {
		return BadRequest("url", err.Error())
	}
	if req.Secret != "" && len(req.Secret) < 16 {
		return BadRequest("secret", "a secret needs at least 16 characters (or none: one is made up)")
	}
	hk, err := h.hooks.Register(caller.Firm, req.URL, req.Secret)
	if err != nil {
		return Internal(err)
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/webhooks/"+hk.ID)
	return c.JSON(http.StatusCreated, hk)
}

func (h webhooksHandler) list(c echo.Context) error {
	if err := h.ready(); err != nil {
		return err
	}
	hooks, err := h.hooks.Hooks(CallerFrom(c.Request().Context()).Firm)
	if err != nil {
		return Internal(err)
	}
	out := make([]webhooks.Hook, 0, len(hooks))
	for _, hk := range hooks {
		v := *hk
		v.Secret = "" // shown once, at registration
		out = append(out, v)
	}
	return c.JSON(http.StatusOK, map[string]any{"webhooks": out})
}

func (h webhooksHandler) delete(c echo.Context) error {
	if err := h.ready(); err != nil {
		return err
	}
	err := h.hooks.Delete(CallerFrom(c.Request().Context()).Firm, c.Param("id"))
	if errors.Is(err, webhooks.ErrNotFound) {
		return NotFound("your firm has no webhook " + c.Param("id"))
	}
	if err != nil {
		return Internal(err)
	}
	return c.NoContent(http.StatusNoContent)
}

func (h webhooksHandler) routes() []Route {
	hook := Schema{"type": "object", "properties": map[string]any{
		"id": Schema{"type": "string"}, "firm": Schema{"type": "string"}, "url": Schema{"type": "string", "format": "uri"},
		"secret":  Schema{"type": "string", "description": "only in the answer to POST"},
		"created": Schema{"type": "string", "format": "date-time"},
	}}
	problem := func(d string) Response { return Response{Description: d, ContentType: ProblemContentType} }
	return []Route{{
		Method: http.MethodPost, Path: "/api/v1/webhooks", Handler: h.create,
		Doc: Operation{
			Summary: "Subscribe a URL of the caller's firm to its notifications (recalls that reach its goods)",
			Description: "Deliveries are POSTs of JSON signed with HMAC-SHA256 over the body under the secret, " +
				"header X-Traceledger-Signature: sha256=<hex>, retried with exponential backoff (6 attempts over about " +
				"a minute) and recorded. Without a secret one is made up; the answer is the only place it is shown.",
			Tags: []string{"recalls"},
			RequestBody: &Body{ContentType: "application/json", Required: true, Schema: Schema{
				"type": "object", "required": []string{"url"}, "additionalProperties": false,
				"properties": map[string]any{"url": Schema{"type": "string", "format": "uri"},
					"secret": Schema{"type": "string", "minLength": 16}}}},
			Responses: map[string]Response{
				"201": {Description: "Subscribed", ContentType: "application/json", Schema: hook},
				"400": problem("Not an http(s) URL, or a short secret"),
			},
		},
	}, {
		Method: http.MethodGet, Path: "/api/v1/webhooks", Handler: h.list,
		Doc: Operation{
			Summary: "The caller's firm's webhooks", Tags: []string{"recalls"},
			Responses: map[string]Response{"200": {Description: "The webhooks (without secrets)", ContentType: "application/json",
				Schema: Schema{"type": "object", "properties": map[string]any{"webhooks": Schema{"type": "array", "items": hook}}}}},
		},
	}, {
		Method: http.MethodDelete, Path: "/api/v1/webhooks/:id", Handler: h.delete,
		Doc: Operation{
			Summary: "Unsubscribe one of the caller's firm's webhooks", Tags: []string{"recalls"},
			Parameters: []Parameter{{Name: "id", In: "path", Description: "The webhook's ID"}},
			Responses: map[string]Response{
				"204": {Description: "Unsubscribed"},
				"404": problem("The firm has no such webhook"),
			},
		},
	}}
}
