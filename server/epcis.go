package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
	"traceledger/ledger/registry"

	"github.com/labstack/echo/v4"
)

// The EPCIS 2.0 REST binding (GS1's OpenAPI document "EPCIS 2.0 REST Bindings",
// mounted under /epcis): capture of documents (asynchronous jobs) and single events
// (synchronous), events by ID, and SimpleEventQuery over the URI query string.
//
// Decisions the standard leaves open, made here:
//
//   - Events are answered with eventID set to their CBV 2.0 event hash ID, the
//     ledger's identity for them (and the ID in their Location). The hash does not
//     cover eventID, so a client can check it against the event it reads. An ID
//     the capturer gave still finds the event (GET /epcis/events/{id}, EQ_eventID),
//     but is not repeated in the body: capturers' IDs are not unique in practice
//     (GS1's own examples reuse illustrative ones), the hash ID is. recordTime is
//     the ledger's record time.
//   - Identifiers are answered as GS1 Digital Link URIs on https://id.gs1.org
//     (GS1-EPC-Format Always_GS1_Digital_Link, the binding's default); EPC URNs
//     cannot be rebuilt without the company prefix length, so Always_EPC_URN is
//     refused with 406.
//   - Every EPCIS route needs an API key of any role: reads of the supply chain's
//     events are not among the public reads of DESIGN.md (resolve, verify,
//     barcodes, checkpoints), and every role may query every event. Capture is open
//     to every role; the registry's ownership policy (CheckCapture) decides which
//     events a firm may record, and a producer's refused event is a 403.
//   - With the default capture error behaviour (rollback), a document with an
//     invalid event is refused at once with 400 and one with an event the caller
//     may not record with 403, before any job exists, so nothing is stored. With
//     "proceed", those events become the job's errors and the others are stored.

// EPCIS versions this server speaks and announces.
const (
	epcisVersion = "2.0.0"
	cbvVersion   = "2.0.0"
)

// epcisHandler serves the EPCIS 2.0 REST binding.
type epcisHandler struct {
	cfg  Config
	log  *ledger.Log
	reg  *registry.Registry
	jobs *captureJobs
	seen *eventCache // events answered by ID
}

// newEPCISHandler returns the EPCIS binding on deps' ledger and registry.
func newEPCISHandler(cfg Config, deps Deps) *epcisHandler {
	return &epcisHandler{cfg: cfg, log: deps.Ledger, reg: deps.Registry, jobs: newCaptureJobs(captureWorkers, captureQueue),
		seen: newEventCache(eventCacheSize)}
}

// ledgerOr503 returns the log, or the problem that there is none.
func (h *epcisHandler) ledgerOr503() (*ledger.Log, error) {
	if h.log == nil {
		return nil, NewProblem(http.StatusServiceUnavailable, ImplementationException, "this server has no ledger open")
	}
	return h.log, nil
}

// versionHeaders sets the EPCIS and CBV versions every EPCIS answer carries.
func versionHeaders(c echo.Context) {
	h := c.Response().Header()
	h.Set("GS1-EPCIS-Version", epcisVersion)
	h.Set("GS1-CBV-Version", cbvVersion)
}

// checkVersions refuses requests for EPCIS or CBV versions other than 2.x (the
// GS1-EPCIS-Version / -Min / -Max and GS1-CBV-* request headers) and EPC formats
// this server cannot write, with 406 NotAcceptableException.
func checkVersions(c echo.Context) error {
	req := c.Request().Header
	for _, name := range []string{"GS1-EPCIS-Version", "GS1-CBV-Version"} {
		if v := req.Get(name); v != "" && !isMajor2(v) {
			return NewProblem(http.StatusNotAcceptable, NotAcceptableException,
				fmt.Sprintf("%s %q: this server speaks version 2.0.0 only", name, v)).WithField(name)
		}
	}
	for _, name := range []string{"GS1-EPCIS-Min", "GS1-CBV-Min"} {
		if v := req.Get(name); v != "" && versionAbove2(v) {
			return NewProblem(http.StatusNotAcceptable, NotAcceptableException,
				fmt.Sprintf("%s %q: this server speaks version 2.0.0 only", name, v)).WithField(name)
		}
	}
	for _, name := range []string{"GS1-EPCIS-Max", "GS1-CBV-Max"} {
		if v := req.Get(name); v != "" && versionBelow2(v) {
			return NewProblem(http.StatusNotAcceptable, NotAcceptableException,
				fmt.Sprintf("%s %q: this server speaks version 2.0.0 only", name, v)).WithField(name)
		}
	}
	if f := req.Get("GS1-EPC-Format"); f == "Always_EPC_URN" {
		return NewProblem(http.StatusNotAcceptable, NotAcceptableException,
			"GS1-EPC-Format Always_EPC_URN: this server writes identifiers as GS1 Digital Link URIs").WithField("GS1-EPC-Format")
	}
	return nil
}

// versionParts reads "2", "2.0" or "2.0.0" as numbers; ok is false for anything else.
func versionParts(v string) (parts [3]int, ok bool) {
	fs := strings.Split(strings.TrimSpace(v), ".")
	if len(fs) == 0 || len(fs) > 3 {
		return parts, false
	}
	for i, f := range fs {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return parts, false
		}
		parts[i] = n
	}
	return parts, true
}

// isMajor2 reports whether a version is 2, 2.x or 2.x.y.
func isMajor2(v string) bool { p, ok := versionParts(v); return ok && p[0] == 2 }

// versionAbove2 reports whether a minimum version excludes 2.0.0.
func versionAbove2(v string) bool {
	p, ok := versionParts(v)
	return !ok || p[0] > 2 || (p[0] == 2 && (p[1] > 0 || p[2] > 0))
}

// versionBelow2 reports whether a maximum version excludes 2.0.0.
func versionBelow2(v string) bool { p, ok := versionParts(v); return !ok || p[0] < 2 }

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

// presented is an entry's event as answered: eventID the hash ID, recordTime the
// ledger's.
func presented(e *ledger.Entry, ev *epcis.Event) *epcis.Event {
	ev.EventID = e.EventID
	ev.RecordTime = e.RecordTime.UTC().Format(time.RFC3339Nano)
	return ev
}

// writeQueryDocument answers an EPCISQueryDocument of SimpleEventQuery results.
// Each event's own @context declares the extension prefixes it uses
// (epcis.Event.MarshalJSON), so the document's context is the standard one.
func writeQueryDocument(c echo.Context, events []*epcis.Event) error {
	raw := make([][]byte, len(events))
	for i, ev := range events {
		js, err := ev.MarshalJSON()
		if err != nil {
			return Internal(fmt.Errorf("writing event %s: %w", ev.EventID, err))
		}
		raw[i] = js
	}
	return writeQueryDocumentJSON(c, raw)
}

// writeQueryDocumentJSON is writeQueryDocument of events already written as JSON.
func writeQueryDocumentJSON(c echo.Context, events [][]byte) error {
	var b bytes.Buffer
	b.WriteString(`{"@context":["` + epcis.ContextURL + `"],"type":"EPCISQueryDocument","schemaVersion":"2.0","creationDate":`)
	created, _ := json.Marshal(time.Now().UTC().Format(time.RFC3339Nano))
	b.Write(created)
	b.WriteString(`,"epcisBody":{"queryResults":{"queryName":"SimpleEventQuery","resultsBody":{"eventList":[`)
	for i, js := range events {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(js)
	}
	b.WriteString("]}}}}\n")
	versionHeaders(c)
	c.Response().Header().Set("GS1-EPC-Format", "Always_GS1_Digital_Link")
	return c.Blob(http.StatusOK, "application/ld+json", b.Bytes())
}

// eventLocation is the path of an event's resource: its hash ID, URL-escaped as
// one path segment (as the native API's Locations write it).
func eventLocation(id string) string {
	return "/epcis/events/" + url.PathEscape(id)
}
