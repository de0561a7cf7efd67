package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
)

// A Caller is who sent a request: the firm and role of its API key, or the zero
// Caller for an anonymous (public) request.
type Caller struct {
	// KeyID is the ID of the key used; "" for anonymous callers.
	KeyID string
	// Firm is the Unified Social Credit Code of the key's firm.
	Firm string
	// Role is the key's role.
	Role Role
}

// Anonymous reports whether the request carried no API key.
func (c Caller) Anonymous() bool { return c.KeyID == "" }

// callerKey is the context key of the Caller.
type callerKey struct{}

// WithCaller returns ctx carrying the caller.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller of a request context: the zero Caller when anonymous.
func CallerFrom(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey{}).(Caller)
	return c
}

// bearerToken extracts the token of an "Authorization: Bearer TOKEN" header field
// (RFC 6750 section 2.1; the scheme is case-insensitive). ok is false when there is
// no Authorization field; err says what is wrong with one that is not a bearer token.
func bearerToken(h string) (token string, ok bool, err error) {
	if h == "" {
		return "", false, nil
	}
	scheme, rest, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", true, errors.New("the Authorization header must use the Bearer scheme")
	}
	token = strings.TrimSpace(rest)
	if token == "" {
		return "", true, errors.New("the Authorization header has no token after Bearer")
	}
	return token, true, nil
}

// authenticate resolves the API key of the request, if any, into the Caller in the
// request context. A request without a key goes on as anonymous (routes decide
// whether that is enough); a request with a bad, unknown or revoked key is refused
// with 401 whatever the route, so a client never mistakes a dead key for access.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, present, err := bearerToken(c.Request().Header.Get(echo.HeaderAuthorization))
		if !present {
			return next(c)
		}
		if err != nil {
			return Unauthorized("invalid_request", err.Error())
		}
		if s.keys == nil {
			return Unauthorized("invalid_token", "this server has no API keys configured")
		}
		info, err := s.keys.Lookup(token)
		switch {
		case errors.Is(err, ErrMalformedKey):
			return Unauthorized("invalid_token", "the API key is malformed: keys start with "+KeyPrefix)
		case errors.Is(err, ErrUnknownKey):
			return Unauthorized("invalid_token", "the API key is unknown")
		case errors.Is(err, ErrKeyRevoked):
			return Unauthorized("invalid_token", "the API key "+info.ID+" was revoked on "+
				info.Revoked.Format("2006-01-02"))
		case err != nil:
			return Internal(err)
		}
		caller := Caller{KeyID: info.ID, Firm: info.Firm, Role: info.Role}
		req := c.Request()
		c.SetRequest(req.WithContext(WithCaller(req.Context(), caller)))
		if l, ok := c.Get(logAttrsKey).(*[]slog.Attr); ok {
			*l = append(*l, slog.String("keyId", info.ID), slog.String("firm", info.Firm))
		}
		return next(c)
	}
}

// requireRole is the route middleware of non-public routes: 401 without a key, 403
// when the key's role is not among roles (any role when roles is empty).
func requireRole(roles ...Role) echo.MiddlewareFunc {
	allowed := make([]string, len(roles))
	for i, r := range roles {
		allowed[i] = string(r)
	}
	want := strings.Join(allowed, " or ")
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			caller := CallerFrom(c.Request().Context())
			if caller.Anonymous() {
				return Unauthorized("", "this endpoint requires an API key: send Authorization: Bearer KEY")
			}
			if len(roles) > 0 && !slices.Contains(roles, caller.Role) {
				return Forbidden("the API key has role " + string(caller.Role) +
					"; this endpoint requires role " + want)
			}
			return next(c)
		}
	}
}

// RequireFirm is for handlers: it returns a 403 problem unless the caller acts for
// firm or has one of the roles that act for every firm (regulator, admin).
func RequireFirm(c Caller, firm string) error {
	if c.Role == RoleRegulator || c.Role == RoleAdmin || (c.Firm == firm && firm != "") {
		return nil
	}
	return NewProblem(http.StatusForbidden, SecurityException,
		"the API key acts for firm "+c.Firm+", not for firm "+firm)
}
