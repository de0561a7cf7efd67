package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestToProblem(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		typ    Exception
	}{
		{"a problem", BadQuery("eventCountLimit", "must be a positive integer"), 400, QueryParameterException},
		{"a wrapped problem", fmt.Errorf("capture: %w", NotFound("no event")), 404, NoSuchResourceException},
		{"echo 404", echo.ErrNotFound, 404, NoSuchResourceException},
		{"echo 405", echo.ErrMethodNotAllowed, 405, NoException},
		{"echo 414", echo.ErrRequestURITooLong, 414, URITooLongException},
		{"echo 415", echo.ErrUnsupportedMediaType, 415, UnsupportedMediaTypeException},
		{"echo 413", echo.ErrStatusRequestEntityTooLarge, 413, CaptureLimitExceededException},
		{"echo 401", echo.ErrUnauthorized, 401, SecurityException},
		{"echo 429", echo.ErrTooManyRequests, 429, NoException},
		{"echo 500", echo.ErrInternalServerError, 500, ImplementationException},
		{"max bytes", fmt.Errorf("read: %w", &http.MaxBytesError{Limit: 10}), 413, CaptureLimitExceededException},
		{"json syntax", &json.SyntaxError{Offset: 3}, 400, ValidationException},
		{"timeout", fmt.Errorf("query: %w", context.DeadlineExceeded), 503, ImplementationException},
		{"anything else", errors.New("disk on fire"), 500, ImplementationException},
	}
	for _, tt := range tests {
		p := toProblem(tt.err)
		if p.Status != tt.status || p.Type != tt.typ || p.Title == "" {
			t.Errorf("%s: %d %q %q, want %d %q", tt.name, p.Status, p.Type, p.Title, tt.status, tt.typ)
		}
		if p.Status >= 500 && p.Detail == "disk on fire" {
			t.Errorf("%s: internal error text sent to the client", tt.name)
		}
	}
}

func TestProblemIsAnError(t *testing.T) {
	cause := errors.New("badger: closed")
	p := Internal(cause)
	if !errors.Is(p, cause) {
		t.Error("Internal hides its cause from errors.Is")
	}
	b, _ := json.Marshal(p)
	if !json.Valid(b) || strings.Contains(string(b), "badger") {
		t.Errorf("problem JSON %s", b)
	}
	if got := BadRequest("eventList[0].action", "must be ADD, OBSERVE or DELETE").Error(); got !=
		"400 Bad Request: eventList[0].action: must be ADD, OBSERVE or DELETE" {
		t.Errorf("Error() = %q", got)
	}
}
