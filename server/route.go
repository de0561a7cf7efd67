package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// A Route is one endpoint: what Echo serves, who may call it, and what the OpenAPI
// document says about it. Every handler type lists its routes in a routes() method
// and Server.add registers them, so a route cannot be served without being
// documented (TestOpenAPICoversEveryRoute checks the converse too).
type Route struct {
	// Method is the HTTP method.
	Method string
	// Path is the Echo path pattern, with ":name" parameters and a final "*".
	Path string
	// Handler answers the request; it returns a *Problem (or any error) to fail.
	Handler echo.HandlerFunc
	// Public routes need no API key; anonymous callers are rate limited per
	// client address. Other routes need a valid key.
	Public bool
	// Roles, when not empty, are the roles allowed to call a non-public route; empty
	// means any valid key.
	Roles []Role
	// Unlimited exempts a public route from the rate limit (probes and scrapes).
	Unlimited bool
	// Compressed marks responses that are already compressed (PNG images), which
	// gzip would only make larger.
	Compressed bool
	// Doc is the route's OpenAPI operation.
	Doc Operation

	// autoHead marks the HEAD route add derives from a GET route.
	autoHead bool
}

// key identifies a route by method and pattern, as Echo's c.Path() reports it.
func (r Route) key() string { return r.Method + " " + r.Path }

// openAPIPath converts an Echo pattern to an OpenAPI path template:
// "/epcis/events/:eventID" becomes "/epcis/events/{eventID}" and a final "*"
// becomes "{path}".
func openAPIPath(echoPath string) string {
	segs := strings.Split(echoPath, "/")
	for i, s := range segs {
		switch {
		case strings.HasPrefix(s, ":"):
			segs[i] = "{" + s[1:] + "}"
		case s == "*":
			segs[i] = "{path}"
		}
	}
	return strings.Join(segs, "/")
}

// pathParams lists the parameter names of an Echo pattern in order.
func pathParams(echoPath string) []string {
	var names []string
	for _, s := range strings.Split(echoPath, "/") {
		switch {
		case strings.HasPrefix(s, ":"):
			names = append(names, s[1:])
		case s == "*":
			names = append(names, "path")
		}
	}
	return names
}

// add registers r with Echo behind the role check it asks for, and remembers it for
// the OpenAPI document and the per-route middleware decisions. A GET route also
// answers HEAD (net/http drops the body), as HTTP semantics (RFC 9110 section 9.3.2)
// and GS1's resolver conformance expect, unless a HEAD route of its own replaces it.
func (s *Server) add(r Route) {
	if r.Handler == nil || r.Method == "" || !strings.HasPrefix(r.Path, "/") {
		panic(fmt.Sprintf("server: incomplete route %q %q", r.Method, r.Path))
	}
	prev, dup := s.routes[r.key()]
	if dup && !prev.autoHead {
		panic("server: route registered twice: " + r.key())
	}
	var mw []echo.MiddlewareFunc
	if !r.Public {
		mw = append(mw, requireRole(r.Roles...))
	}
	s.e.Add(r.Method, r.Path, r.Handler, mw...)
	rr := r
	if dup {
		*prev = rr // keep its place in the document
	} else {
		s.routes[r.key()] = &rr
		s.order = append(s.order, &rr)
	}
	if r.Method == http.MethodGet {
		if _, taken := s.routes[http.MethodHead+" "+r.Path]; !taken {
			h := r
			h.Method, h.autoHead = http.MethodHead, true
			if h.Doc.OperationID != "" {
				h.Doc.OperationID += "_head"
			}
			h.Doc.RequestBody = nil
			s.add(h)
		}
	}
}

// route returns the registered route that matched c, or nil (404, 405).
func (s *Server) route(c echo.Context) *Route {
	return s.routes[c.Request().Method+" "+c.Path()]
}
