package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"traceledger/ledger"
	"traceledger/ledger/recall"
	"traceledger/ledger/registry"
	"traceledger/ledger/webhooks"
)

// recallsHandler is the recall journey's API (DESIGN.md journey 4, issue 7):
// POST /api/v1/recalls walks forward from the suspect lots, publishes the recall
// on the ledger (recall.Start: one batch of recall events, idempotent per recall
// ID) and notifies the webhooks of every firm the goods reached; GET gives the
// recall back as JSON or as the FSMA 204 spreadsheet, and its deliveries.
//
// Who may recall what: a producer recalls its own goods only (every code's GS1
// company prefix is one of its firm's, registry.FirmForCode); regulators and
// admins recall anything. Inspectors cannot start recalls. Reading a recall needs
// a key of any role: a scope names consignees and quantities, business data that
// is not for anonymous callers (the recalled status of a code is public on the
// resolver).
type recallsHandler struct {
	base   string
	log    *ledger.Log
	reg    *registry.Registry
	index  recallIndex
	hooks  *webhooks.Store
	sender *webhooks.Sender
	logger *slog.Logger // the server's, for what fails without failing the request
	mu     sync.Mutex   // one recall start at a time: index record and notifications once
}

func newRecallsHandler(s *Server, cfg Config, deps Deps) *recallsHandler {
	h := &recallsHandler{base: cfg.BaseURL, log: deps.Ledger, reg: deps.Registry, logger: s.log}
	if deps.Ledger != nil {
		meta := deps.Ledger.Meta()
		h.index = recallIndex{kv: meta, log: deps.Ledger}
		h.hooks = webhooks.NewStore(meta)
		h.sender = &webhooks.Sender{Store: h.hooks, Schedule: cfg.WebhookRetries, Log: s.log}
	}
	return h
}

// tracer returns a Tracer over the ledger naming firms and places from the registry.
func (h *recallsHandler) tracer() *recall.Tracer {
	t := &recall.Tracer{Log: h.log}
	if h.reg != nil {
		t.Directory = recall.RegistryDirectory{Registry: h.reg}
	}
	return t
}

// ready returns a 503 problem when the server has no ledger.
func (h *recallsHandler) ready() error {
	if h.log == nil {
		return NewProblem(http.StatusServiceUnavailable, ImplementationException, "this server has no ledger")
	}
	return nil
}

// recallRequest is the body of POST /api/v1/recalls.
type recallRequest struct {
	Codes  []string `json:"codes"`
	Reason string   `json:"reason"`
	DryRun bool     `json:"dryRun"`
}

// recallView is a recall as the API answers it: the scope in the JSON form of
// `traceledger recall --json` (lots, logisticUnits, locations, accountedFor, id),
// with what the recall is and where its parts are.
type recallView struct {
	ID        string     `json:"id"`
	Reason    string     `json:"reason"`
	Codes     []string   `json:"codes"`
	DryRun    bool       `json:"dryRun,omitempty"`
	Started   *time.Time `json:"started,omitempty"`
	StartedBy string     `json:"startedBy,omitempty"`
	// Published counts the recall events on the ledger; Appended those this request added.
	Published int  `json:"published"`
	Appended  *int `json:"appended,omitempty"`
	// Unpublished lists the lots the goods reached since the recall was started: in
	// the scope now, without a recall event of this recall. Repeating the POST
	// recalls them (and notifies the firms they reached).
	Unpublished []string `json:"unpublished,omitempty"`
	Truncated   bool     `json:"truncated,omitempty"`
	*recall.Scope
	Links map[string]string `json:"links,omitempty"`
}

// maxRecallCodes bounds the codes of one recall request.
const maxRecallCodes = 1000

func (h *recallsHandler) start(c echo.Context) error {
	if err := h.ready(); err != nil {
		return err
	}
	caller := CallerFrom(c.Request().Context())
	var req recallRequest
	if err := DecodeJSON(c.Request().Body, &req, true); err != nil {
		return err
	}
	switch {
	case len(req.Codes) == 0:
		return BadRequest("codes", "name at least one lot, instance or logistic unit to recall")
	case len(req.Codes) > maxRecallCodes:
		return BadRequest("codes", fmt.Sprintf("at most %d codes per recall", maxRecallCodes))
	case !req.DryRun && strings.TrimSpace(req.Reason) == "":
		return BadRequest("reason", "a recall needs a reason")
	case len(req.Reason) > 2000:
		return BadRequest("reason", "at most 2000 bytes")
	}
	codes := make([]string, len(req.Codes))
	for i, in := range req.Codes {
		field := fmt.Sprintf("codes[%d]", i)
		code, err := recall.CanonicalCode(in)
		if err != nil {
			return BadRequest(field, err.Error())
		}
		if err := h.mayRecall(caller, code, field); err != nil {
			return err
		}
		known, err := h.known(code)
		if err != nil {
			return Internal(err)
		}
		if !known {
			return NotFound(field + ": " + code + " is not on the ledger").WithField(field)
		}
		codes[i] = code
	}
	sc, err := h.tracer().Scope(codes...)
	if err != nil {
		return Internal(err)
	}
	view := &recallView{ID: recall.ID(sc.Origins, req.Reason), Reason: req.Reason, Codes: sc.Origins,
		DryRun: req.DryRun, Truncated: sc.Truncated, Scope: sc}
	if req.DryRun {
		return c.JSON(http.StatusOK, view)
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	st, err := recall.Start(c.Request().Context(), h.log, sc, recall.Request{Reason: req.Reason, Firm: caller.Firm})
	if err != nil {
		return Internal(err)
	}
	appended := len(st.Appended)
	view.ID, view.Appended = st.ID, &appended
	rec, found, err := h.index.get(st.ID)
	if err != nil {
		return Internal(err)
	}
	status := http.StatusOK
	if !found {
		status = http.StatusCreated
		rec = &recallRecord{ID: st.ID, Reason: req.Reason, Codes: sc.Origins, StartedBy: caller.Firm, Started: time.Now().UTC()}
	}
	// Lots new to the recall: all of them the first time; on a repeat, those the goods
	// reached since (made from or shipped after the first request), which Start has just
	// recalled too. Each firm is notified of a lot once: a plain repeat sends nothing.
	fresh := map[string]bool{}
	for _, l := range sc.Lots {
		if !slices.Contains(rec.Lots, l.ID) {
			fresh[l.ID] = true
			rec.Lots = append(rec.Lots, l.ID)
		}
	}
	if !found || len(fresh) > 0 {
		if err := h.index.put(rec); err != nil {
			return Internal(err)
		}
		if err := h.notify(rec, sc, fresh); err != nil {
			return Internal(err)
		}
	}
	if view.Published, err = h.index.published(rec); err != nil {
		return Internal(err)
	}
	view.Started, view.StartedBy = &rec.Started, rec.StartedBy
	view.Links = h.links(st.ID)
	c.Response().Header().Set(echo.HeaderLocation, view.Links["self"])
	return c.JSON(status, view)
}

// mayRecall says whether the caller may recall code: regulators and admins anything,
// producers goods under their own GS1 company prefixes.
func (h *recallsHandler) mayRecall(caller Caller, code, field string) error {
	if caller.Role == RoleRegulator || caller.Role == RoleAdmin {
		return nil
	}
	if h.reg == nil {
		return Forbidden("this server has no registry to tell whose goods " + code + " are").WithField(field)
	}
	f, err := h.reg.FirmForCode(code)
	if err != nil || f.USCC != caller.Firm {
		owner := "no registered firm"
		if err == nil {
			owner = "firm " + f.USCC
		}
		return Forbidden(fmt.Sprintf("%s: %s belongs to %s; a producer recalls only its own goods (a regulator may recall any)",
			field, code, owner)).WithField(field)
	}
	return nil
}

// known says whether the ledger has anything about code: entries of its own, or
// genealogy edges that reach it (a lot named only in its instances' ILMD).
func (h *recallsHandler) known(code string) (bool, error) {
	ns, err := h.log.Indexed(ledger.ByProduct, code, 0, 1)
	if err != nil || len(ns) > 0 {
		return len(ns) > 0, err
	}
	es, err := h.log.EdgesTo(code)
	return len(es) > 0, err
}

// links are the URLs of a recall's representations.
func (h *recallsHandler) links(id string) map[string]string {
	u, _ := recallUUID(id)
	self := h.base + "/api/v1/recalls/" + u
	return map[string]string{"self": self, "csv": self + ".csv", "deliveries": self + "/deliveries"}
}

// record returns the index record of the recall in the path, rebuilt from the
// ledger when the recall was started elsewhere.
func (h *recallsHandler) record(raw string) (*recallRecord, error) {
	if _, ok := recallUUID(raw); !ok {
		return nil, BadRequest("id", "not a recall ID (a UUID, or urn:uuid:…)")
	}
	rec, found, err := h.index.get(raw)
	if err != nil {
		return nil, Internal(err)
	}
	if found {
		return rec, nil
	}
	rec, err = h.index.rebuild(raw, h.tracer())
	if errors.Is(err, errNoRecall) {
		return nil, NotFound("no recall " + raw + " on the ledger")
	}
	if err != nil {
		return nil, Internal(err)
	}
	// The record is a cache of what the ledger holds: failing to keep it costs the next
	// reader another rebuild, not this answer; it is logged, not answered.
	if err := h.index.put(rec); err != nil {
		h.logger.Warn("recall index record not kept", slog.String("recall", rec.ID), slog.Any("err", err))
	}
	return rec, nil
}

func (h *recallsHandler) get(c echo.Context) error {
	if err := h.ready(); err != nil {
		return err
	}
	id := c.Param("id")
	asCSV := strings.HasSuffix(id, ".csv")
	id = strings.TrimSuffix(id, ".csv")
	if !asCSV {
		for _, a := range strings.Split(c.Request().Header.Get(echo.HeaderAccept), ",") {
			mt, _, _ := strings.Cut(strings.TrimSpace(a), ";")
			if strings.EqualFold(mt, "text/csv") {
				asCSV = true
			}
		}
	}
	rec, err := h.record(id)
	if err != nil {
		return err
	}
	// The scope as the ledger stands now: goods shipped since the recall started
	// show up in it (they are to be recalled too).
	tr := h.tracer()
	sc, err := tr.Scope(rec.Codes...)
	if err != nil {
		return Internal(err)
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	if asCSV {
		u, _ := recallUUID(rec.ID)
		c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8; header=present")
		c.Response().Header().Set("Content-Disposition", `attachment; filename="recall-`+u+`.csv"`)
		c.Response().WriteHeader(http.StatusOK)
		return sc.WriteCSV(c.Response(), tr.Directory)
	}
	view := &recallView{ID: rec.ID, Reason: rec.Reason, Codes: rec.Codes, StartedBy: rec.StartedBy,
		Truncated: sc.Truncated, Scope: sc, Links: h.links(rec.ID)}
	if !rec.Started.IsZero() {
		view.Started = &rec.Started
	}
	if view.Published, err = h.index.published(rec); err != nil {
		return Internal(err)
	}
	for _, l := range sc.Lots {
		if !slices.Contains(rec.Lots, l.ID) {
			view.Unpublished = append(view.Unpublished, l.ID)
		}
	}
	return c.JSON(http.StatusOK, view)
}
