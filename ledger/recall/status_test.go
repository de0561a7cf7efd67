package recall

import (
	"context"
	"testing"
	"time"

	"traceledger/ledger/epcis"
)

func TestRecalledAfterStartUntilLifted(t *testing.T) {
	c, id, wheels := serials(t, testIndexer)
	if n, err := Recalled(c.log, id["W"]); err != nil || n != nil {
		t.Fatalf("before: %+v, %v", n, err)
	}
	sc, err := c.tracer().Scope(id["P"])
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)
	st, err := Start(context.Background(), c.log, sc, Request{Reason: "Listeria", Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{id["P"], id["W"], wheels[3], id["G"]} {
		n, err := Recalled(c.log, code)
		if err != nil || n == nil || n.ID != st.ID || n.Reason != "Listeria" || !n.Since.Equal(at) {
			t.Errorf("%s: %+v, %v", code, n, err)
		}
	}
	for _, code := range []string{id["R"], lot(9, "UNKNOWN")} {
		if n, err := Recalled(c.log, code); err != nil || n != nil {
			t.Errorf("%s not affected: %+v, %v", code, n, err)
		}
	}
	// Lifting: a later event unsets the persistent disposition.
	e := c.base(epcis.ObjectEvent, epcis.ActionObserve, 2)
	e.QuantityList = []epcis.Quantity{{EPCClass: id["P"]}}
	e.BizStep, e.Disposition = "holding", "active"
	e.EventTime = at.Add(time.Hour).Format(time.RFC3339)
	e.PersistentDisposition = &epcis.PersistentDisposition{Unset: []string{"recalled"}}
	c.add(2, e)
	if n, err := Recalled(c.log, id["P"]); err != nil || n != nil {
		t.Errorf("after lifting: %+v, %v", n, err)
	}
}
