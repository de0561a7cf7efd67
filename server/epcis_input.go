package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"traceledger/ledger/epcis"
	"traceledger/ledger/registry"

	"github.com/labstack/echo/v4"
)

// Reading what capturers send: the body within the limits, the document, and the
// problems of events that cannot be stored (400 invalid, 403 not the caller's).

// readEPCISBody reads a capture request's body: JSON or JSON-LD only (415
// otherwise), at most CaptureFileSizeLimit bytes (413 CaptureLimitExceededException
// with the limits, otherwise).
func (h *epcisHandler) readEPCISBody(c echo.Context) ([]byte, error) {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && mt != "application/ld+json") {
			return nil, NewProblem(http.StatusUnsupportedMediaType, UnsupportedMediaTypeException,
				fmt.Sprintf("Content-Type %q: send application/json or application/ld+json", ct)).WithField("Content-Type")
		}
	}
	limit := h.cfg.CaptureFileSizeLimit
	if req.ContentLength > limit {
		return nil, h.tooBig(fmt.Sprintf("the document has %d bytes; the limit is %d (GS1-EPCIS-Capture-File-Size-Limit)", req.ContentLength, limit))
	}
	data, err := io.ReadAll(io.LimitReader(req.Body, limit+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, h.tooBig(fmt.Sprintf("the document is larger than the limit of %d bytes", mbe.Limit))
		}
		return nil, BadRequest("", "cannot read the request body: "+err.Error()).WithCause(err)
	}
	if int64(len(data)) > limit {
		return nil, h.tooBig(fmt.Sprintf("the document is larger than the limit of %d bytes (GS1-EPCIS-Capture-File-Size-Limit)", limit))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, BadRequest("", "the request body is empty; an EPCIS document or event is required")
	}
	if !json.Valid(data) {
		// DecodeJSON's problem names the path and byte offset of the fault.
		var v json.RawMessage
		if err := decodeJSONBytes(data, &v, false); err != nil {
			return nil, err
		}
		return nil, BadRequest("", "the body is not JSON")
	}
	return data, nil
}

// tooBig is the 413 CaptureLimitExceededException with the limits announced.
func (h *epcisHandler) tooBig(detail string) *Problem {
	return NewProblem(http.StatusRequestEntityTooLarge, CaptureLimitExceededException, detail).
		WithHeader("GS1-EPCIS-Capture-Limit", strconv.Itoa(h.cfg.CaptureLimit)).
		WithHeader("GS1-EPCIS-Capture-File-Size-Limit", strconv.FormatInt(h.cfg.CaptureFileSizeLimit, 10))
}

// readDocument is the document or bare event a capture request carries (readEPCISBody,
// then parseDocument), or the problem to answer with.
func (h *epcisHandler) readDocument(c echo.Context) (*epcis.Document, error) {
	data, err := h.readEPCISBody(c)
	if err != nil {
		return nil, err
	}
	return parseDocument(data)
}

// parseDocument reads an EPCIS document or bare event; a body that is JSON but no
// EPCIS document is a 400 naming what is missing.
func parseDocument(data []byte) (*epcis.Document, error) {
	doc, err := epcis.ParseDocument(data)
	if err != nil {
		var ve epcis.ValidationError
		if errors.As(err, &ve) {
			return nil, validationProblem(ve, "")
		}
		return nil, BadRequest("", err.Error())
	}
	return doc, nil
}

// validationProblem turns epcis's field errors into one 400 problem: the first
// fault names the field, every fault is listed in errors. prefix is put before
// each field ("eventList[3].") when the errors are about one event of a document.
func validationProblem(ve epcis.ValidationError, prefix string) *Problem {
	if len(ve) == 0 {
		return BadRequest(strings.TrimSuffix(prefix, "."), "invalid event")
	}
	p := BadRequest(joinField(prefix, ve[0].Field), ve.Error())
	if len(ve) > 1 {
		for _, fe := range ve {
			p.Errors = append(p.Errors, BadRequest(joinField(prefix, fe.Field), fe.Message))
		}
	}
	return p
}

// joinField puts an event's position before a field path inside it.
func joinField(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return strings.TrimSuffix(prefix, ".")
	case strings.HasPrefix(field, "["):
		return strings.TrimSuffix(prefix, ".") + field
	}
	return prefix + field
}

// eventProblem is the problem of one event that cannot be captured: invalid
// (400, the fields at fault) or not the caller's to record (403, the reason).
func eventProblem(err error, prefix string) *Problem {
	var ve epcis.ValidationError
	var fe *epcis.FieldError
	var pe *registry.PolicyError
	switch {
	case errors.As(err, &ve):
		return validationProblem(ve, prefix)
	case errors.As(err, &fe):
		return validationProblem(epcis.ValidationError{fe}, prefix)
	case errors.As(err, &pe):
		p := Forbidden(pe.Error()).WithCause(err)
		if pe.Field != "" {
			p.Field = joinField(prefix, pe.Field)
		} else {
			p.Field = strings.TrimSuffix(prefix, ".")
		}
		return p
	case errors.Is(err, registry.ErrNotFound):
		return Forbidden("the caller's firm is not registered: " + err.Error()).WithCause(err)
	case errors.Is(err, epcis.ErrHashForm):
		return BadRequest(strings.TrimSuffix(prefix, "."), err.Error())
	}
	return Internal(err)
}

// checkEvent validates one event and applies the ownership policy for the caller.
func (h *epcisHandler) checkEvent(caller Caller, ev *epcis.Event) error {
	if err := ev.Validate(); err != nil {
		return err
	}
	if h.reg == nil {
		if caller.Role == RoleRegulator || caller.Role == RoleAdmin {
			return nil
		}
		return &registry.PolicyError{Reason: "this server has no firm registry to check ownership against; only regulators and admins may capture"}
	}
	return h.reg.CheckCapture(caller.Firm, string(caller.Role), ev)
}
