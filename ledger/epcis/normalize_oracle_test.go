package epcis

import (
	"fmt"
	"reflect"
	"testing"
)

// oracleNormalize is Normalize as first written (every list copied): Normalize must
// give the same event and the same error.
func oracleNormalize(e *Event) error {
	c := *e
	var firstErr error
	id := func(s string) string {
		if s == "" {
			return s
		}
		dl, ok, err := CanonicalID(s)
		if err != nil {
			if firstErr == nil && checkStrict(s) {
				firstErr = fmt.Errorf("epcis: %q: %w", s, err)
			}
			return s
		}
		if !ok {
			return s
		}
		return dl
	}
	ids := func(l []string) []string {
		if l == nil {
			return nil
		}
		out := make([]string, len(l))
		for i, s := range l {
			out[i] = id(s)
		}
		return out
	}
	qs := func(l []Quantity) []Quantity {
		if l == nil {
			return nil
		}
		out := make([]Quantity, len(l))
		for i, q := range l {
			q.EPCClass = id(q.EPCClass)
			out[i] = q
		}
		return out
	}
	c.ParentID = id(c.ParentID)
	c.EPCList, c.ChildEPCs = ids(c.EPCList), ids(c.ChildEPCs)
	c.InputEPCList, c.OutputEPCList = ids(c.InputEPCList), ids(c.OutputEPCList)
	c.QuantityList, c.ChildQuantityList = qs(c.QuantityList), qs(c.ChildQuantityList)
	c.InputQuantityList, c.OutputQuantityList = qs(c.InputQuantityList), qs(c.OutputQuantityList)
	if l := c.ReadPoint; l != nil {
		c.ReadPoint = &Location{ID: id(l.ID), Extensions: l.Extensions}
	}
	if l := c.BizLocation; l != nil {
		c.BizLocation = &Location{ID: id(l.ID), Extensions: l.Extensions}
	}
	c.BizStep = BizSteps.BareOrURI(c.BizStep)
	c.Disposition = Dispositions.BareOrURI(c.Disposition)
	if pd := c.PersistentDisposition; pd != nil {
		n := &PersistentDisposition{}
		for _, s := range pd.Set {
			n.Set = append(n.Set, Dispositions.BareOrURI(s))
		}
		for _, s := range pd.Unset {
			n.Unset = append(n.Unset, Dispositions.BareOrURI(s))
		}
		c.PersistentDisposition = n
	}
	if c.BizTransactionList != nil {
		l := make([]BizTransaction, len(c.BizTransactionList))
		for i, bt := range c.BizTransactionList {
			l[i] = BizTransaction{Type: BizTransactionTypes.BareOrURI(bt.Type), Value: bt.Value}
		}
		c.BizTransactionList = l
	}
	sd := func(l []SourceDest) []SourceDest {
		if l == nil {
			return nil
		}
		out := make([]SourceDest, len(l))
		for i, s := range l {
			out[i] = SourceDest{Type: SourceDestTypes.BareOrURI(s.Type), Value: id(s.Value)}
		}
		return out
	}
	c.SourceList, c.DestinationList = sd(c.SourceList), sd(c.DestinationList)
	if d := c.ErrorDeclaration; d != nil {
		n := *d
		n.Reason = ErrorReasons.BareOrURI(d.Reason)
		c.ErrorDeclaration = &n
	}
	if firstErr != nil {
		return firstErr
	}
	*e = c
	return nil
}

func checkNormalize(t testing.TB, name string, e *Event) {
	t.Helper()
	a, b := *e, *e
	errA, errB := a.Normalize(), oracleNormalize(&b)
	if fmt.Sprint(errA) != fmt.Sprint(errB) || !reflect.DeepEqual(a, b) {
		t.Errorf("%s: Normalize gives %v\n%+v\nthe former one %v\n%+v", name, errA, a, errB, b)
	}
}

func TestNormalizeMatchesOracle(t *testing.T) {
	for _, be := range benchEvents {
		checkNormalize(t, be.name, mustEvent(t, benchEvent(be.tmpl, 1)))
	}
	checkNormalize(t, "lotEvent", mustEvent(t, lotEvent))
	checkNormalize(t, "referenceEvent", mustEvent(t, referenceEvent))
	checkNormalize(t, "empty lists", &Event{EPCList: []string{}, PersistentDisposition: &PersistentDisposition{Set: []string{}},
		SourceList: []SourceDest{}, BizTransactionList: []BizTransaction{}, ErrorDeclaration: &ErrorDeclaration{}})
	for name, e := range sharedEvents(t) {
		checkNormalize(t, name, e)
	}
}

func FuzzNormalizeMatchesOracle(f *testing.F) {
	for _, be := range benchEvents {
		f.Add([]byte(benchEvent(be.tmpl, 1)))
	}
	f.Add([]byte(lotEvent))
	f.Add([]byte(`{"type":"ObjectEvent","epcList":["https://id.gs1.org/01/09520123456787"],"persistentDisposition":{"set":[],"unset":["cbv:Disp-recalled"]},` +
		`"sourceList":[{"type":"location","source":"urn:epc:id:sgln:0614141.00001.0"}],"errorDeclaration":{"reason":"incorrect_data"}}`))
	seedFiles(f, "*.jsonld")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseDocument(data)
		if err != nil {
			return
		}
		for _, e := range doc.Events {
			checkNormalize(t, "event", e)
		}
	})
}
