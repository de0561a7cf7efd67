package server

import (
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
)

// HeaderRequestID is the header field that carries a request's ID both ways.
const HeaderRequestID = "X-Request-ID"

// Echo context keys of this package.
const (
	requestIDKey = "traceledger.requestID"
	logAttrsKey  = "traceledger.logAttrs"
)

// maxRequestIDLen bounds a client-supplied request ID, which ends up in logs.
const maxRequestIDLen = 128

// observe is the outermost middleware. It gives the request an ID (the client's
// X-Request-ID if it is sane, else a new UUID) and echoes it, then runs the chain,
// turns a returned error into its problem response right there (so the status is
// known), and records the request in the access log and the metrics.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		req := c.Request()
		id := req.Header.Get(HeaderRequestID)
		if !saneRequestID(id) {
			id = uuid.NewString()
		}
		c.Set(requestIDKey, id)
		c.Response().Header().Set(HeaderRequestID, id)
		extra := make([]slog.Attr, 0, 2)
		c.Set(logAttrsKey, &extra)
		s.metrics.inflight.Inc()
		defer s.metrics.inflight.Dec()

		if err := next(c); err != nil {
			c.Error(err)
		}

		res := c.Response()
		status := res.Status
		if status == 0 {
			status = 200
		}
		d := time.Since(start)
		route := c.Path()
		if s.route(c) == nil {
			route = "unmatched" // 404 and 405: the raw path would mint label values
		}
		s.metrics.observeRequest(route, methodLabel(req.Method), status, d)
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		attrs := append([]slog.Attr{
			slog.String("requestId", id),
			slog.String("method", req.Method),
			slog.String("path", req.URL.Path),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Int64("bytes", res.Size),
			slog.Float64("ms", float64(d.Microseconds())/1000),
			slog.String("remote", c.RealIP()),
		}, extra...)
		s.log.LogAttrs(req.Context(), level, "request", attrs...)
		return nil
	}
}

// requestID returns the ID observe gave the request ("" outside observe).
func requestID(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

// saneRequestID accepts client request IDs of printable ASCII without spaces or
// quotes, short enough for a log line; anything else is replaced by a fresh ID.
func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if b := id[i]; b <= ' ' || b >= 0x7f || b == '"' || b == '\\' {
			return false
		}
	}
	return true
}
