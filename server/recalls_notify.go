package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"traceledger/ledger/recall"
	"traceledger/ledger/webhooks"
)

// recallNotice is the body of a recall notification to a firm's webhook: which
// recall, why, which of the affected lots reached the firm (at which of its
// locations), and where the whole scope is (it needs an API key).
type recallNotice struct {
	RecallID  string    `json:"recallID"`
	Reason    string    `json:"reason"`
	Started   time.Time `json:"started"`
	Firm      string    `json:"firm"`
	Lots      []string  `json:"lots"`
	Locations []string  `json:"locations"`
	ScopeURL  string    `json:"scopeURL"`
}

// affectedFirms groups the scope's consignee locations that lots in only reached by
// firm: the firm the scope names at a location (the registry's, through the Tracer's
// Directory), else the registry's firm with the location's GLN.
func (h *recallsHandler) affectedFirms(sc *recall.Scope, only map[string]bool) map[string]*recallNotice {
	out := map[string]*recallNotice{}
	for _, loc := range sc.Locations {
		lots := slices.DeleteFunc(slices.Clone(loc.Lots), func(l string) bool { return !only[l] })
		if len(lots) == 0 {
			continue
		}
		firm := loc.Firm
		if firm == "" && h.reg != nil {
			if f, err := h.reg.FirmAtGLN(loc.ID); err == nil {
				firm = f.USCC
			}
		}
		if firm == "" {
			continue
		}
		n := out[firm]
		if n == nil {
			n = &recallNotice{Firm: firm}
			out[firm] = n
		}
		n.Lots = append(n.Lots, lots...)
		n.Locations = append(n.Locations, loc.ID)
	}
	for _, n := range out {
		slices.Sort(n.Lots)
		n.Lots = slices.Compact(n.Lots)
		slices.Sort(n.Locations)
		n.Locations = slices.Compact(n.Locations)
	}
	return out
}

// notify starts a delivery to every webhook of every firm the recall's lots in only
// reached, naming those lots; the deliveries run in the background (webhooks.Sender)
// and are recorded per attempt.
func (h *recallsHandler) notify(rec *recallRecord, sc *recall.Scope, only map[string]bool) error {
	topic, _ := recallUUID(rec.ID)
	firms := h.affectedFirms(sc, only)
	names := make([]string, 0, len(firms))
	for f := range firms {
		names = append(names, f)
	}
	slices.Sort(names)
	for _, firm := range names {
		hooks, err := h.hooks.Hooks(firm)
		if err != nil {
			return err
		}
		if len(hooks) == 0 {
			continue
		}
		n := firms[firm]
		n.RecallID, n.Reason, n.Started, n.ScopeURL = rec.ID, rec.Reason, rec.Started, h.links(rec.ID)["self"]
		body, err := json.Marshal(n)
		if err != nil {
			return err
		}
		for _, hk := range hooks {
			if _, err := h.sender.Send(topic, "recall", hk, body); err != nil {
				return err
			}
		}
	}
	return nil
}

// deliveries answers GET /api/v1/recalls/{id}/deliveries: every notification of the
// recall and its attempts. Regulators, admins and the firm that started the recall
// see all of them; any other firm sees its own.
func (h *recallsHandler) deliveries(c echo.Context) error {
	if err := h.ready(); err != nil {
		return err
	}
	rec, err := h.record(c.Param("id"))
	if err != nil {
		return err
	}
	topic, _ := recallUUID(rec.ID)
	ds, err := h.hooks.Deliveries(topic)
	if err != nil {
		return Internal(err)
	}
	caller := CallerFrom(c.Request().Context())
	all := caller.Role == RoleRegulator || caller.Role == RoleAdmin || caller.Firm == rec.StartedBy
	out := []*webhooks.Delivery{}
	for _, d := range ds {
		if all || d.Firm == caller.Firm {
			out = append(out, d)
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"recallID": rec.ID, "deliveries": out})
}
