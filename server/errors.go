package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// handleError is the Echo HTTPErrorHandler: whatever a handler or middleware
// returned becomes an RFC 9457 problem document. Causes are logged with the request
// ID; clients see only the problem, never a stack trace or an internal message.
func (s *Server) handleError(err error, c echo.Context) {
	p := toProblem(err)
	req := c.Request()
	if p.Instance == "" {
		p.Instance = req.URL.Path
	}
	if p.RequestID == "" {
		p.RequestID = requestID(c)
	}
	if p.Status >= 500 {
		s.log.LogAttrs(req.Context(), slog.LevelError, "request failed",
			slog.String("requestId", p.RequestID), slog.String("method", req.Method),
			slog.String("path", req.URL.Path), slog.Int("status", p.Status), slog.Any("error", err))
	}
	res := c.Response()
	if res.Committed {
		// The handler already started its answer; all that is left is to say so in the log.
		s.log.LogAttrs(req.Context(), slog.LevelWarn, "error after response started",
			slog.String("requestId", p.RequestID), slog.Any("error", err))
		return
	}
	h := res.Header()
	for k, vs := range p.Header {
		h.Del(k)
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	h.Set(echo.HeaderContentType, ProblemContentType)
	h.Set("Cache-Control", "no-store")
	h.Del(echo.HeaderContentLength)
	if req.Method == http.MethodHead {
		res.WriteHeader(p.Status)
		return
	}
	body, merr := json.Marshal(p)
	if merr != nil { // cannot happen for Problem's field types; keep the status anyway
		body = []byte(`{"type":"about:blank","title":"Internal Server Error","status":500}`)
	}
	res.WriteHeader(p.Status)
	_, _ = res.Write(append(body, '\n'))
}

// toProblem maps any error to the problem that answers it. Bad input never maps to
// a 5xx: Echo's own errors keep their status, body-size and JSON errors become 413
// and 400, and only errors of unknown kind become a 500 ImplementationException.
func toProblem(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		q := *p
		if q.Type == "" {
			q.Type = NoException
		}
		if q.Title == "" {
			q.Title = http.StatusText(q.Status)
		}
		return &q
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(mbe.Limit)
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		if inner, ok := he.Internal.(*echo.HTTPError); ok {
			he = inner
		}
		return fromEchoError(he)
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	if errors.As(err, &se) || errors.As(err, &te) {
		return BadRequest("", "malformed JSON: "+err.Error())
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return NewProblem(http.StatusServiceUnavailable, ImplementationException,
			"the request took longer than the server allows").WithCause(err)
	}
	if errors.Is(err, context.Canceled) {
		// The client went away; the status is for the access log only.
		return NewProblem(499, NoException, "client closed the request").WithCause(err)
	}
	return Internal(err)
}

// fromEchoError maps Echo's router and middleware errors to problems with the EPCIS
// exception that fits the status.
func fromEchoError(he *echo.HTTPError) *Problem {
	detail := ""
	switch m := he.Message.(type) {
	case string:
		detail = m
	case error:
		detail = m.Error()
	}
	if strings.EqualFold(detail, http.StatusText(he.Code)) {
		detail = ""
	}
	exc := NoException
	switch he.Code {
	case http.StatusBadRequest:
		exc = ValidationException
	case http.StatusUnauthorized, http.StatusForbidden:
		exc = SecurityException
	case http.StatusNotFound:
		exc = NoSuchResourceException
		if detail == "" {
			detail = "no resource at this path"
		}
	case http.StatusMethodNotAllowed: // EPCIS has no exception for it
		if detail == "" {
			detail = "the resource does not support this method; see the Allow header"
		}
	case http.StatusRequestEntityTooLarge:
		exc = CaptureLimitExceededException
	case http.StatusUnsupportedMediaType:
		exc = UnsupportedMediaTypeException
	case http.StatusNotAcceptable:
		exc = NotAcceptableException
	case http.StatusRequestURITooLong:
		exc = URITooLongException
	}
	p := NewProblem(he.Code, exc, detail)
	if he.Code >= 500 {
		p.Type = ImplementationException
		p.Cause = he
		if he.Internal != nil {
			p.Cause = he.Internal
		}
	}
	return p
}

// tooLarge is the 413 problem for a body over limit bytes.
func tooLarge(limit int64) *Problem {
	return NewProblem(http.StatusRequestEntityTooLarge, CaptureLimitExceededException,
		"request body is larger than the limit of "+formatBytes(limit))
}
