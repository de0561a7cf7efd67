package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// limitBody refuses bodies over limit bytes with a 413 problem: at once when the
// Content-Length says so, else when reading passes the limit (chunked bodies), in
// which case the reader's *http.MaxBytesError becomes the 413 (see toProblem and
// DecodeJSON). http.MaxBytesReader also tells net/http to close the connection
// rather than drain an oversized body.
func limitBody(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.ContentLength > limit {
				return tooLarge(limit)
			}
			if req.Body != nil && req.Body != http.NoBody {
				req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
			}
			return next(c)
		}
	}
}
