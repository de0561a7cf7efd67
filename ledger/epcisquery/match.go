package epcisquery

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
)

// Match reports whether a stored event satisfies every constraint of the query,
// as EPCIS 2.0 section 8.2.7.1 defines each parameter. It is the exact test every
// candidate an index proposes goes through.
func (q *Query) Match(e *ledger.Entry, ev *epcis.Event) bool {
	if len(q.EventTypes) > 0 && !slices.Contains(q.EventTypes, ev.Type) {
		return false
	}
	if !q.GEEventTime.IsZero() || !q.LTEventTime.IsZero() {
		t, err := epcis.ParseTime(ev.EventTime)
		if err != nil || !inRange(t, q.GEEventTime, q.LTEventTime) {
			return false
		}
	}
	if !inRange(e.RecordTime, q.GERecordTime, q.LTRecordTime) {
		return false
	}
	if len(q.Actions) > 0 && !slices.Contains(q.Actions, ev.Action) {
		return false
	}
	if len(q.BizSteps) > 0 && (ev.BizStep == "" || !slices.Contains(q.BizSteps, epcis.BizSteps.BareOrURI(ev.BizStep))) {
		return false
	}
	if len(q.Dispositions) > 0 && (ev.Disposition == "" || !slices.Contains(q.Dispositions, epcis.Dispositions.BareOrURI(ev.Disposition))) {
		return false
	}
	if len(q.PersistentSet) > 0 && (ev.PersistentDisposition == nil || !anyVocab(ev.PersistentDisposition.Set, q.PersistentSet)) {
		return false
	}
	if len(q.PersistentUnset) > 0 && (ev.PersistentDisposition == nil || !anyVocab(ev.PersistentDisposition.Unset, q.PersistentUnset)) {
		return false
	}
	if len(q.ReadPoints) > 0 && (ev.ReadPoint == nil || !slices.Contains(q.ReadPoints, canonicalOrSelf(ev.ReadPoint.ID))) {
		return false
	}
	if len(q.BizLocations) > 0 && (ev.BizLocation == nil || !slices.Contains(q.BizLocations, canonicalOrSelf(ev.BizLocation.ID))) {
		return false
	}
	if len(q.TransformIDs) > 0 && (ev.TransformationID == "" || !slices.Contains(q.TransformIDs, ev.TransformationID)) {
		return false
	}
	single := func(id string) []string {
		if id == "" {
			return nil
		}
		return []string{id}
	}
	for _, c := range []struct {
		pats []Pattern
		ids  [][]string
	}{
		{q.EPC, [][]string{ev.EPCList, ev.ChildEPCs}},
		{q.ParentID, [][]string{single(ev.ParentID)}},
		{q.InputEPC, [][]string{ev.InputEPCList}},
		{q.OutputEPC, [][]string{ev.OutputEPCList}},
		{q.AnyEPC, [][]string{single(ev.ParentID), ev.EPCList, ev.ChildEPCs, ev.InputEPCList, ev.OutputEPCList}},
		{q.EPCClass, [][]string{classes(ev.QuantityList), classes(ev.ChildQuantityList)}},
		{q.InputEPCClass, [][]string{classes(ev.InputQuantityList)}},
		{q.OutputEPCClass, [][]string{classes(ev.OutputQuantityList)}},
		{q.AnyEPCClass, [][]string{classes(ev.QuantityList), classes(ev.ChildQuantityList),
			classes(ev.InputQuantityList), classes(ev.OutputQuantityList)}},
	} {
		if len(c.pats) > 0 && !anyMatch(c.pats, c.ids) {
			return false
		}
	}
	for _, c := range q.Quantity {
		if !quantityMatch(c, ev) {
			return false
		}
	}
	if len(q.EventIDs) > 0 && !slices.Contains(q.EventIDs, e.EventID) && (e.GivenID == "" || !slices.Contains(q.EventIDs, e.GivenID)) {
		return false
	}
	ed := ev.ErrorDeclaration
	needED := q.ErrorDeclaration || !q.GEErrorDeclarationTime.IsZero() || !q.LTErrorDeclarationTime.IsZero() ||
		len(q.ErrorReasons) > 0 || len(q.CorrectiveEventIDs) > 0
	if needED && ed == nil {
		return false
	}
	if !q.GEErrorDeclarationTime.IsZero() || !q.LTErrorDeclarationTime.IsZero() {
		t, err := epcis.ParseTime(ed.DeclarationTime)
		if err != nil || !inRange(t, q.GEErrorDeclarationTime, q.LTErrorDeclarationTime) {
			return false
		}
	}
	if len(q.ErrorReasons) > 0 && (ed.Reason == "" || !slices.Contains(q.ErrorReasons, epcis.ErrorReasons.BareOrURI(ed.Reason))) {
		return false
	}
	if len(q.CorrectiveEventIDs) > 0 && !slices.ContainsFunc(ed.CorrectiveEventIDs, func(id string) bool {
		return slices.Contains(q.CorrectiveEventIDs, id)
	}) {
		return false
	}
	return true
}

// inRange reports whether t is in [ge, lt), a zero bound meaning none.
func inRange(t, ge, lt time.Time) bool {
	return (ge.IsZero() || !t.Before(ge)) && (lt.IsZero() || t.Before(lt))
}

// anyVocab reports whether some disposition of have (in any form) is in want.
func anyVocab(have, want []string) bool {
	for _, h := range have {
		if slices.Contains(want, epcis.Dispositions.BareOrURI(h)) {
			return true
		}
	}
	return false
}

// anyMatch reports whether some identifier of the lists matches some pattern.
func anyMatch(pats []Pattern, lists [][]string) bool {
	for _, l := range lists {
		for _, id := range l {
			c := canonicalOrSelf(id)
			for _, p := range pats {
				if p.Match(c) {
					return true
				}
			}
		}
	}
	return false
}

// classes lists the EPC classes of a quantity list.
func classes(qs []epcis.Quantity) []string {
	out := make([]string, 0, len(qs))
	for _, q := range qs {
		out = append(out, q.EPCClass)
	}
	return out
}

// quantityMatch: some quantity element of the event has a quantity satisfying c.
func quantityMatch(c Comparison, ev *epcis.Event) bool {
	for _, l := range [][]epcis.Quantity{ev.QuantityList, ev.ChildQuantityList, ev.InputQuantityList, ev.OutputQuantityList} {
		for _, qe := range l {
			v, err := strconv.ParseFloat(qe.Quantity, 64)
			if qe.Quantity == "" || err != nil {
				continue
			}
			var ok bool
			switch c.Op {
			case "EQ":
				ok = v == c.Value
			case "GT":
				ok = v > c.Value
			case "GE":
				ok = v >= c.Value
			case "LT":
				ok = v < c.Value
			case "LE":
				ok = v <= c.Value
			}
			if ok {
				return true
			}
		}
	}
	return false
}

// canonicalOrSelf is the form the ledger indexes an identifier under. Stored
// events are already in canonical form (Digital Link on id.gs1.org), which is
// taken as is.
func canonicalOrSelf(s string) string {
	if strings.HasPrefix(s, dlStem) {
		return s
	}
	if dl, ok, err := epcis.CanonicalID(s); ok && err == nil {
		return dl
	}
	return s
}
