package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
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
