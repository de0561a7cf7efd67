package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"traceledger/ledger"
	"traceledger/ledger/epcis"

	"github.com/labstack/echo/v4"
)

// Capture: POST /epcis/capture (a document, asynchronously), GET
// /epcis/capture/{captureID} (the job), OPTIONS /epcis/capture (the limits), and
// POST /epcis/events (one event, synchronously).

// captureBehaviour reads GS1-Capture-Error-Behaviour: "rollback" (the default) or
// "proceed".
func captureBehaviour(c echo.Context) (string, error) {
	switch v := strings.ToLower(strings.TrimSpace(c.Request().Header.Get("GS1-Capture-Error-Behaviour"))); v {
	case "", "rollback":
		return "rollback", nil
	case "proceed":
		return "proceed", nil
	default:
		return "", BadRequest("GS1-Capture-Error-Behaviour", fmt.Sprintf("%q: use rollback or proceed", v))
	}
}

// documentProblem checks the document itself (its @context), apart from its events.
func documentProblem(doc *epcis.Document) error {
	top := *doc
	top.Events = nil
	if err := top.Validate(); err != nil {
		var ve epcis.ValidationError
		if errors.As(err, &ve) {
			return validationProblem(ve, "")
		}
		return BadRequest("", err.Error())
	}
	return nil
}

// capture answers POST /epcis/capture: the document is read, checked and, when it
// may be stored, handed to a background job whose URL the 202 answer gives.
func (h *epcisHandler) capture(c echo.Context) error {
	l, err := h.ledgerOr503()
	if err != nil {
		return err
	}
	if err := checkVersions(c); err != nil {
		return err
	}
	behaviour, err := captureBehaviour(c)
	if err != nil {
		return err
	}
	doc, err := h.readDocument(c)
	if err != nil {
		return err
	}
	if doc.Type == "" {
		return BadRequest("type", "the capture interface takes an EPCISDocument or EPCISQueryDocument; POST a single event to /epcis/events")
	}
	if n := len(doc.Events); n > h.cfg.CaptureLimit {
		return h.tooBig(fmt.Sprintf("the document has %d events; the limit is %d (GS1-EPCIS-Capture-Limit)", n, h.cfg.CaptureLimit))
	}
	if err := documentProblem(doc); err != nil {
		return err
	}
	caller := CallerFrom(c.Request().Context())
	var good []*epcis.Event
	var at []int // positions of good in the document
	var probs []*Problem
	for i, ev := range doc.Events {
		if err := h.checkEvent(caller, ev); err != nil {
			p := eventProblem(err, fmt.Sprintf("eventList[%d].", i))
			if p.Status >= 500 {
				return p
			}
			if behaviour == "rollback" {
				// All or nothing: refused before a job exists, so nothing is stored.
				return p
			}
			probs = append(probs, p)
			continue
		}
		good, at = append(good, ev), append(at, i)
	}
	job, err := h.jobs.start(caller.Firm, behaviour, probs, len(good), func() (int, []*Problem) {
		if len(good) == 0 {
			return 0, nil
		}
		if behaviour == "rollback" {
			res, err := l.Capture(context.Background(), caller.Firm, good...)
			if err != nil {
				return 0, []*Problem{captureFailure(err)}
			}
			return len(res), nil
		}
		// proceed: in chunks, so that a document larger than one ledger transaction
		// is stored too, and a chunk that fails costs only its own events.
		n := 0
		var fails []*Problem
		for lo := 0; lo < len(good); lo += proceedChunk {
			hi := min(len(good), lo+proceedChunk)
			res, err := l.Capture(context.Background(), caller.Firm, good[lo:hi]...)
			if err != nil {
				p := captureFailure(err)
				p.Field = fmt.Sprintf("eventList[%d]", at[lo])
				p.Detail = fmt.Sprintf("events eventList[%d] to eventList[%d] were not stored: %s", at[lo], at[hi-1], p.Detail)
				fails = append(fails, p)
				continue
			}
			n += len(res)
		}
		return n, fails
	})
	if err != nil {
		return err
	}
	versionHeaders(c)
	c.Response().Header().Set(echo.HeaderLocation, "/epcis/capture/"+job.ID)
	return c.NoContent(http.StatusAccepted)
}

// proceedChunk is how many events a proceed job appends at once: well inside one
// ledger transaction (about 2000 small events fit in the default 16 MiB memtable's).
const proceedChunk = 500

// captureFailure is a job's problem when the ledger refuses an append that
// validated: the batch too large for one transaction, or the store failing.
func captureFailure(err error) *Problem {
	if errors.Is(err, ledger.ErrBatchTooBig) {
		return NewProblem(http.StatusRequestEntityTooLarge, CaptureLimitExceededException,
			"the document is too large to store atomically; split it or use GS1-Capture-Error-Behaviour: proceed").WithCause(err)
	}
	p := NewProblem(http.StatusInternalServerError, ImplementationException, "the ledger could not store the events: "+err.Error())
	return p.WithCause(err)
}

// captureJob answers GET /epcis/capture/{captureID}.
func (h *epcisHandler) captureJob(c echo.Context) error {
	job := h.jobs.get(c.Param("captureID"), CallerFrom(c.Request().Context()))
	if job == nil {
		return NotFound("no capture job " + c.Param("captureID") + " (jobs are kept for an hour after they finish)").WithField("captureID")
	}
	versionHeaders(c)
	return c.JSON(http.StatusOK, job)
}

// captureJobList answers GET /epcis/capture: the caller's jobs (every job for
// regulators and admins), newest first, perPage at a time; nextPageToken is the
// last job's ID.
func (h *epcisHandler) captureJobList(c echo.Context) error {
	perPage := min(defaultPerPage, h.cfg.MaxEventCount)
	if v := c.QueryParam("perPage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return BadQuery("perPage", fmt.Sprintf("%q is not a positive integer", v))
		}
		perPage = min(n, h.cfg.MaxEventCount)
	}
	for name := range c.QueryParams() {
		if name != "perPage" && name != "nextPageToken" {
			return BadQuery(name, "unknown query parameter")
		}
	}
	after := c.QueryParam("nextPageToken")
	caller := CallerFrom(c.Request().Context())
	if after != "" && h.jobs.get(after, caller) == nil {
		return BadQuery("nextPageToken", "no such capture job (jobs are kept for an hour after they finish)")
	}
	jobs, more := h.jobs.list(caller, after, perPage)
	if jobs == nil {
		jobs = []*captureJob{}
	}
	if more {
		next := url.Values{"perPage": {strconv.Itoa(perPage)}, "nextPageToken": {jobs[len(jobs)-1].ID}}
		c.Response().Header().Set("Link", fmt.Sprintf(`<%s/epcis/capture?%s>; rel="next"`, h.cfg.BaseURL, next.Encode()))
	}
	versionHeaders(c)
	return c.JSON(http.StatusOK, jobs)
}

// captureOptions answers OPTIONS /epcis/capture: the versions, limits and error
// behaviours of the capture interface.
func (h *epcisHandler) captureOptions(c echo.Context) error {
	discoveryHeaders(c, "OPTIONS, POST, GET")
	hd := c.Response().Header()
	hd.Set("GS1-EPCIS-Capture-Limit", strconv.Itoa(h.cfg.CaptureLimit))
	hd.Set("GS1-EPCIS-Capture-File-Size-Limit", strconv.FormatInt(h.cfg.CaptureFileSizeLimit, 10))
	hd.Set("GS1-Capture-Error-Behaviour", "all") // both rollback and proceed
	return c.NoContent(http.StatusNoContent)
}

// discoveryHeaders sets the headers every EPCIS OPTIONS answer carries.
func discoveryHeaders(c echo.Context, allow string) {
	versionHeaders(c)
	hd := c.Response().Header()
	hd.Set("Allow", allow)
	hd.Set("GS1-EPCIS-Min", epcisVersion)
	hd.Set("GS1-EPCIS-Max", epcisVersion)
	hd.Set("GS1-CBV-Min", cbvVersion)
	hd.Set("GS1-CBV-Max", cbvVersion)
	hd.Set("GS1-EPC-Format", "Always_GS1_Digital_Link")
}

// postEvent captures one event synchronously. Capturing an event already stored
// answers like the first capture, 201 with the same Location: the event (its hash
// ID) is the resource, it exists as the client asked, and the OpenAPI document
// lists 201 as this operation's only success, so clients written against it need
// no other case. 409 is kept for what the binding means by it: a different
// resource under the same name, which cannot happen with hash IDs.
func (h *epcisHandler) postEvent(c echo.Context) error {
	l, err := h.ledgerOr503()
	if err != nil {
		return err
	}
	if err := checkVersions(c); err != nil {
		return err
	}
	doc, err := h.readDocument(c)
	if err != nil {
		return err
	}
	prefix := ""
	if doc.Type != "" {
		if len(doc.Events) != 1 {
			return BadRequest("epcisBody.eventList", fmt.Sprintf("the document has %d events; POST /epcis/events takes one (use /epcis/capture for more)", len(doc.Events)))
		}
		if err := documentProblem(doc); err != nil {
			return err
		}
		prefix = "eventList[0]."
	}
	ev := doc.Events[0]
	caller := CallerFrom(c.Request().Context())
	if err := h.checkEvent(caller, ev); err != nil {
		return eventProblem(err, prefix)
	}
	res, err := l.Capture(c.Request().Context(), caller.Firm, ev)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		if p := eventProblem(err, prefix); p.Status < 500 {
			return p
		}
		return captureFailure(err)
	}
	versionHeaders(c)
	c.Response().Header().Set(echo.HeaderLocation, eventLocation(res[0].EventID))
	return c.NoContent(http.StatusCreated)
}
