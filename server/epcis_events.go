package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
	"traceledger/ledger/epcisquery"
	"traceledger/ledger/registry"

	"github.com/labstack/echo/v4"
)

// Reading events: GET /epcis/events/{eventID} and GET /epcis/events (a
// SimpleEventQuery in the URI query string, one page at a time).

// defaultPerPage is the page size when perPage is not given (the binding's default).
const defaultPerPage = 30

// eventByID answers one event, by its hash ID or the ID its capturer gave, as an
// EPCISQueryDocument holding it (the binding's 200EPCISQueryDocumentSinglePage).
func (h *epcisHandler) eventByID(c echo.Context) error {
	l, err := h.ledgerOr503()
	if err != nil {
		return err
	}
	if err := checkVersions(c); err != nil {
		return err
	}
	id := c.Param("eventID")
	if strings.Contains(id, "%") { // routed on the escaped path: the ID is still escaped
		if u, err := url.PathUnescape(id); err == nil {
			id = u
		}
	}
	if js, ok := h.seen.get(id); ok {
		return writeQueryDocumentJSON(c, [][]byte{js})
	}
	e, err := l.Lookup(id)
	switch {
	case errors.Is(err, ledger.ErrUnknownID):
		return NotFound("no event has ID " + id).WithField("eventID")
	case err != nil:
		return Internal(err)
	}
	if registry.IsRecord(e.Event) {
		return NotFound("no event has ID " + id + " (it names a registry record)").WithField("eventID")
	}
	ev, err := epcis.ParseEvent(e.Event, nil)
	if err != nil {
		return Internal(fmt.Errorf("entry %d: %w", e.Index, err))
	}
	js, err := presented(e, ev).MarshalJSON()
	if err != nil {
		return Internal(fmt.Errorf("writing event %s: %w", e.EventID, err))
	}
	h.seen.put(id, js)
	return writeQueryDocumentJSON(c, [][]byte{js})
}

// queryEvents runs a SimpleEventQuery from the URI query string and answers one
// page, with a Link rel="next" header to the next while there is one.
func (h *epcisHandler) queryEvents(c echo.Context) error {
	l, err := h.ledgerOr503()
	if err != nil {
		return err
	}
	if err := checkVersions(c); err != nil {
		return err
	}
	params := c.QueryParams()
	q, err := epcisquery.Parse(params)
	if err != nil {
		return queryProblem(err)
	}
	perPage := min(defaultPerPage, h.cfg.MaxEventCount)
	if v, ok := params["perPage"]; ok {
		n, err := strconv.Atoi(v[0])
		if len(v) != 1 || err != nil || n < 1 {
			return BadQuery("perPage", fmt.Sprintf("%q is not a positive integer", v[0]))
		}
		// The server's page limit caps what a client asks for (the binding allows a
		// global upper limit the client cannot override).
		perPage = min(n, h.cfg.MaxEventCount)
	}
	var after *epcisquery.Cursor
	if v, ok := params["nextPageToken"]; ok {
		if len(v) != 1 {
			return BadQuery("nextPageToken", "give it once")
		}
		if after, err = epcisquery.ParseCursor(q, v[0]); err != nil {
			return queryProblem(err)
		}
	}
	page, err := epcisquery.Run(l, q, after, perPage, epcisquery.Limits{})
	if err != nil {
		return queryProblem(err)
	}
	events := make([]*epcis.Event, len(page.Hits))
	for i, hit := range page.Hits {
		events[i] = presented(hit.Entry, hit.Event)
	}
	if page.Next != nil {
		next := url.Values{}
		for k, v := range params {
			if k != "nextPageToken" {
				next[k] = v
			}
		}
		next.Set("nextPageToken", page.Next.Token(q))
		c.Response().Header().Set("Link", fmt.Sprintf(`<%s/epcis/events?%s>; rel="next"`, h.cfg.BaseURL, next.Encode()))
	}
	return writeQueryDocument(c, events)
}

// queryProblem maps the query package's errors to the binding's exceptions.
func queryProblem(err error) error {
	var pe *epcisquery.ParamError
	var tl *epcisquery.TooLargeError
	switch {
	case errors.As(err, &pe):
		return BadQuery(pe.Param, pe.Error()).WithCause(err)
	case errors.As(err, &tl):
		return NewProblem(http.StatusRequestEntityTooLarge, QueryTooLargeException, tl.Error()).WithField("maxEventCount")
	}
	return Internal(err)
}

// eventsOptions answers OPTIONS on /epcis/events and /epcis/events/{eventID}.
func eventsOptions(allow string) echo.HandlerFunc {
	return func(c echo.Context) error {
		discoveryHeaders(c, allow)
		return c.NoContent(http.StatusNoContent)
	}
}
