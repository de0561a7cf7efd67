package registry

import (
	"errors"
	"fmt"

	"traceledger/ledger/epcis"
)

// The roles of API keys, as the server names them (server.Role values).
const (
	RoleProducer  = "producer"
	RoleInspector = "inspector"
	RoleRegulator = "regulator"
	RoleAdmin     = "admin"
)

// A PolicyError says why a firm may not capture an event: the field of the event
// at fault ("bizLocation", "epcList[2]", "" for the firm itself) and the reason.
// The server answers it with 403.
type PolicyError struct {
	Field  string
	Reason string
}

// Error gives the field and the reason it is refused, or the reason alone when the
// refusal is not about one field.
func (e *PolicyError) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return e.Field + ": " + e.Reason
}

// ErrForbidden is matched by every *PolicyError (errors.Is).
var ErrForbidden = errors.New("registry: capture not allowed")

// Is makes errors.Is(err, ErrForbidden) true for policy errors.
func (e *PolicyError) Is(target error) bool { return target == ErrForbidden }

func refuse(field, format string, a ...any) *PolicyError {
	return &PolicyError{Field: field, Reason: fmt.Sprintf(format, a...)}
}

// CheckCapture applies the ownership rules of DESIGN.md section 7 to one event
// that firm (a USCC) captures with an API key of role, and returns nil when it may,
// else a *PolicyError saying why (or a lookup error):
//
//   - regulators and admins may capture any event (imports, migrations);
//   - the firm of a producer or inspector must be registered and approved;
//   - an inspector records inspections and sampling (bizStep inspecting or
//     sampling) anywhere, and nothing else;
//   - a producer records events only at its own sites: the event's readPoint and
//     bizLocation, each one given, must be site GLNs of the firm, and an event with
//     neither is refused;
//   - a producer creates identifiers only under its own company prefixes: the
//     epcList and quantityList of an ObjectEvent ADD, the parentID of an
//     AggregationEvent or AssociationEvent ADD, the outputs of a
//     TransformationEvent. Shipping, receiving, packing and transforming another
//     firm's goods at its own sites is allowed.
func (r *Registry) CheckCapture(firm, role string, ev *epcis.Event) error {
	switch role {
	case RoleRegulator, RoleAdmin:
		return nil
	case RoleProducer, RoleInspector:
	default:
		return refuse("", "role %q may not capture events", role)
	}
	f, err := r.firm(firm)
	if err != nil {
		return err
	}
	if f == nil {
		return refuse("", "firm %s is not registered", firm)
	}
	switch f.Status {
	case StatusApproved:
	case StatusSuspended:
		return refuse("", "firm %s is suspended and may not record events", firm)
	default:
		return refuse("", "firm %s is pending approval and may not record events yet", firm)
	}
	bizStep, _ := epcis.BizSteps.Bare(ev.BizStep)
	if role == RoleInspector {
		if bizStep != "inspecting" && bizStep != "sampling" {
			return refuse("bizStep", "an inspector records only inspecting or sampling events, not %s",
				describe(ev.BizStep, "events without a bizStep"))
		}
		return nil
	}
	if err := atOwnSite(f, ev); err != nil {
		return err
	}
	for _, c := range created(ev) {
		digits, _, err := keyDigits(c.code)
		if err != nil {
			return refuse(c.field, "%s is not a GS1 identifier under a company prefix of firm %s: "+
				"a producer commissions only under its own prefixes", c.code, firm)
		}
		if !ownsDigits(f.Prefixes, digits) {
			return refuse(c.field, "%s is not under a company prefix of firm %s (%v): a producer commissions "+
				"lots, serials and logistic units only under its own prefixes", c.code, firm, f.Prefixes)
		}
	}
	return nil
}

// describe returns s, or none when s is empty.
func describe(s, none string) string {
	if s == "" {
		return none
	}
	return s
}

// atOwnSite checks that the event happens at one of f's sites.
func atOwnSite(f *Firm, ev *epcis.Event) error {
	if ev.ReadPoint == nil && ev.BizLocation == nil {
		return refuse("bizLocation", "the event has neither readPoint nor bizLocation: "+
			"a producer's events must happen at one of its sites")
	}
	for _, l := range []struct {
		field string
		loc   *epcis.Location
	}{{"readPoint", ev.ReadPoint}, {"bizLocation", ev.BizLocation}} {
		if l.loc == nil {
			continue
		}
		gln, err := glnOf(l.loc.ID)
		if err != nil {
			return refuse(l.field+".id", "%s is not a GLN location: a producer's events must happen at one "+
				"of its sites", l.loc.ID)
		}
		if !f.HasSite(gln) {
			return refuse(l.field+".id", "GLN %s is not a site of firm %s", gln, f.USCC)
		}
	}
	return nil
}

// createdCode is an identifier an event creates and the field that holds it.
type createdCode struct{ field, code string }

// created lists the identifiers an event commissions: what exists because of it.
func created(ev *epcis.Event) []createdCode {
	var out []createdCode
	list := func(field string, codes []string) {
		for i, c := range codes {
			out = append(out, createdCode{fmt.Sprintf("%s[%d]", field, i), c})
		}
	}
	quantities := func(field string, qs []epcis.Quantity) {
		for i, q := range qs {
			out = append(out, createdCode{fmt.Sprintf("%s[%d].epcClass", field, i), q.EPCClass})
		}
	}
	switch ev.Type {
	case epcis.ObjectEvent:
		if ev.Action == epcis.ActionAdd {
			list("epcList", ev.EPCList)
			quantities("quantityList", ev.QuantityList)
		}
	case epcis.AggregationEvent, epcis.AssociationEvent:
		if ev.Action == epcis.ActionAdd && ev.ParentID != "" {
			out = append(out, createdCode{"parentID", ev.ParentID})
		}
	case epcis.TransformationEvent:
		list("outputEPCList", ev.OutputEPCList)
		quantities("outputQuantityList", ev.OutputQuantityList)
	}
	return out
}
