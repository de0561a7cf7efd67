package server

import (
	"fmt"
	"net/http"
)

// Problems follow RFC 9457 (Problem Details for HTTP APIs): every error answer is an
// application/problem+json object with the standard members type, title, status,
// detail and instance, plus these extension members:
//
//	field      the JSON path or parameter at fault, e.g. "eventList[2].bizStep"
//	offset     the byte offset in the request body where JSON decoding failed
//	requestId  the X-Request-ID of the request, to find it in the access log
//	errors     further problems of the same request (one per rejected event)
//
// The EPCIS 2.0 REST binding puts its exception names in type as a CURIE
// ("epcisException:ValidationException"), so clients written against the standard
// recognise them; problems outside EPCIS's vocabulary use "about:blank".

// ProblemContentType is the media type of every error response (RFC 9457 section 3).
const ProblemContentType = "application/problem+json"

// An Exception is an EPCIS 2.0 exception name, used as the problem type URI.
type Exception string

// The EPCIS 2.0 exception types (EPCIS 2.0 section 8.2.7 and the REST binding's
// OpenAPI document), as problem type URIs.
const (
	// NoException marks a problem outside EPCIS's vocabulary (RFC 9457's "about:blank").
	NoException Exception = "about:blank"
	// ValidationException: a captured document or event breaks the EPCIS schema or CBV rules.
	ValidationException Exception = "epcisException:ValidationException"
	// QueryParameterException: a query parameter is unknown, malformed or out of range.
	QueryParameterException Exception = "epcisException:QueryParameterException"
	// NoSuchResourceException: the named event, capture job or resource does not exist.
	NoSuchResourceException Exception = "epcisException:NoSuchResourceException"
	// NoSuchNameException: a named query or vocabulary name is unknown.
	NoSuchNameException Exception = "epcisException:NoSuchNameException"
	// SecurityException: the caller is not authenticated or not allowed to do this.
	SecurityException Exception = "epcisException:SecurityException"
	// CaptureLimitExceededException: a capture document has too many events or bytes.
	CaptureLimitExceededException Exception = "epcisException:CaptureLimitExceededException"
	// QueryTooLargeException: the query would return more events than allowed.
	QueryTooLargeException Exception = "epcisException:QueryTooLargeException"
	// QueryTooComplexException: the query cannot be executed at reasonable cost.
	QueryTooComplexException Exception = "epcisException:QueryTooComplexException"
	// ResourceAlreadyExistsException: the resource to create already exists differently.
	ResourceAlreadyExistsException Exception = "epcisException:ResourceAlreadyExistsException"
	// UnsupportedMediaTypeException: the request body's media type is not accepted.
	UnsupportedMediaTypeException Exception = "epcisException:UnsupportedMediaTypeException"
	// NotAcceptableException: no representation matches the Accept header.
	NotAcceptableException Exception = "epcisException:NotAcceptableException"
	// URITooLongException: the request URI (a query's parameters) is too long.
	URITooLongException Exception = "epcisException:URITooLongException"
	// ImplementationException: the server failed; the request may be fine.
	ImplementationException Exception = "epcisException:ImplementationException"
)

// A Problem is an error a handler returns to answer with an RFC 9457 problem
// document. Handlers return *Problem values (built with NewProblem or the helpers
// below); the server's error handler writes them, fills in instance and requestId,
// and logs the cause without ever sending it to the client.
type Problem struct {
	// Type is the problem type URI; empty means NoException ("about:blank").
	Type Exception `json:"type"`
	// Title is a short summary of the problem type (HTTP status text by default).
	Title string `json:"title"`
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Detail explains this occurrence to the client, naming the field and value.
	Detail string `json:"detail,omitempty"`
	// Instance is the request path, filled in by the error handler when empty.
	Instance string `json:"instance,omitempty"`
	// Field is the JSON path or parameter name at fault.
	Field string `json:"field,omitempty"`
	// Offset is the byte offset in the body where decoding failed (meaningful when > 0).
	Offset int64 `json:"offset,omitempty"`
	// RequestID echoes the X-Request-ID of the request.
	RequestID string `json:"requestId,omitempty"`
	// Errors lists further problems of the same request, such as one per rejected event.
	Errors []*Problem `json:"errors,omitempty"`

	// Header holds response header fields to send with the problem
	// (Retry-After, WWW-Authenticate, Allow).
	Header http.Header `json:"-"`
	// Cause is the underlying error, logged but never sent.
	Cause error `json:"-"`
}

// NewProblem returns a problem with the given status, EPCIS exception (or
// NoException) and detail; the title is the status text.
func NewProblem(status int, exc Exception, detail string) *Problem {
	return &Problem{Type: exc, Title: http.StatusText(status), Status: status, Detail: detail}
}

// Error makes a Problem an error, so handlers can return it.
func (p *Problem) Error() string {
	s := fmt.Sprintf("%d %s", p.Status, p.Title)
	if p.Field != "" {
		s += ": " + p.Field
	}
	if p.Detail != "" {
		s += ": " + p.Detail
	}
	return s
}

// Unwrap returns the cause, so errors.Is and errors.As see through a Problem.
func (p *Problem) Unwrap() error { return p.Cause }

// WithField names the field at fault and returns p.
func (p *Problem) WithField(field string) *Problem { p.Field = field; return p }

// WithCause records the underlying error (logged, never sent) and returns p.
func (p *Problem) WithCause(err error) *Problem { p.Cause = err; return p }

// WithHeader adds a response header field and returns p.
func (p *Problem) WithHeader(key, value string) *Problem {
	if p.Header == nil {
		p.Header = http.Header{}
	}
	p.Header.Add(key, value)
	return p
}

// BadRequest is a 400 ValidationException about field.
func BadRequest(field, detail string) *Problem {
	return NewProblem(http.StatusBadRequest, ValidationException, detail).WithField(field)
}

// BadQuery is a 400 QueryParameterException about the query parameter param.
func BadQuery(param, detail string) *Problem {
	return NewProblem(http.StatusBadRequest, QueryParameterException, detail).WithField(param)
}

// NotFound is a 404 NoSuchResourceException.
func NotFound(detail string) *Problem {
	return NewProblem(http.StatusNotFound, NoSuchResourceException, detail)
}

// Unauthorized is a 401 SecurityException with the RFC 6750 challenge. reason is
// the error code of RFC 6750 section 3.1 ("invalid_token", or "" for a missing key).
func Unauthorized(reason, detail string) *Problem {
	challenge := `Bearer realm="traceledger"`
	if reason != "" {
		challenge += fmt.Sprintf(`, error=%q, error_description=%q`, reason, detail)
	}
	return NewProblem(http.StatusUnauthorized, SecurityException, detail).
		WithHeader("WWW-Authenticate", challenge)
}

// Forbidden is a 403 SecurityException: the caller is known but not allowed.
func Forbidden(detail string) *Problem {
	return NewProblem(http.StatusForbidden, SecurityException, detail)
}

// Internal is a 500 ImplementationException; cause is logged, never sent.
func Internal(cause error) *Problem {
	return NewProblem(http.StatusInternalServerError, ImplementationException,
		"the server failed to handle the request; it is logged under the request ID").WithCause(cause)
}
