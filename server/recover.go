package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/labstack/echo/v4"
)

// recoverPanics turns a panic in a handler into a 500 ImplementationException
// problem. The stack goes to the log under the request ID, never to the client.
// http.ErrAbortHandler is re-panicked: it is net/http's way to abort a response.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.LogAttrs(c.Request().Context(), slog.LevelError, "handler panicked",
				slog.String("requestId", requestID(c)), slog.Any("panic", v),
				slog.String("stack", string(debug.Stack())))
			err = Internal(fmt.Errorf("panic: %v", v))
		}()
		return next(c)
	}
}
