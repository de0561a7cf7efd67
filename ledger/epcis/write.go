package epcis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// ContextURL is the EPCIS 2.0 JSON-LD context every document written here declares.
const ContextURL = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"

// MarshalJSON writes the event as EPCIS 2.0 JSON-LD, members in the standard's order.
// When it has extension fields, an event-level @context declares their prefixes, so
// that the bytes stand alone (the ledger stores them so).
func (e *Event) MarshalJSON() ([]byte, error) {
	return marshalEvent(e), nil
}

// treeMarshalJSON is MarshalJSON by way of the event's JSON tree (jsonValue).
func (e *Event) treeMarshalJSON() []byte {
	v := e.jsonValue(form{})
	if ctx, ok := e.context(); ok {
		v.obj = append([]member{{"@context", ctx}}, v.obj...)
	}
	return v.raw()
}

// UnmarshalJSON reads one JSON-LD event (as MarshalJSON writes it). Faults inside the
// event are left for Validate.
func (e *Event) UnmarshalJSON(data []byte) error {
	ev, err := ParseEvent(data, nil)
	if err != nil {
		return err
	}
	*e = *ev
	return nil
}

// context is the @context declaring the prefixes the event's extensions use.
func (e *Event) context() (value, bool) {
	used := e.usedPrefixes()
	if len(used) == 0 {
		return value{}, false
	}
	decl := value{kind: kindObject}
	for _, p := range used {
		decl.obj = append(decl.obj, member{p, value{kind: kindString, str: e.Namespaces[p]}})
	}
	return value{kind: kindArray, arr: []value{{kind: kindString, str: ContextURL}, decl}}, true
}

// WriteDocument writes events as one EPCIS 2.0 JSON-LD EPCISDocument created at
// created, declaring in its @context every prefix the events' extensions use.
func WriteDocument(w io.Writer, events []*Event, created time.Time) error {
	decl := value{kind: kindObject}
	declared := map[string]string{}
	for _, e := range events {
		for _, p := range e.usedPrefixes() {
			iri := e.Namespaces[p]
			if prev, ok := declared[p]; ok {
				if prev != iri {
					return fmt.Errorf("epcis: prefix %q names both %q and %q", p, prev, iri)
				}
				continue
			}
			declared[p] = iri
			decl.obj = append(decl.obj, member{p, value{kind: kindString, str: iri}})
		}
	}
	ctx := value{kind: kindArray, arr: []value{{kind: kindString, str: ContextURL}}}
	if len(decl.obj) > 0 {
		ctx.arr = append(ctx.arr, decl)
	}
	list := value{kind: kindArray, arr: []value{}}
	for _, e := range events {
		list.arr = append(list.arr, e.jsonValue(form{}))
	}
	doc := value{kind: kindObject, obj: []member{
		{"@context", ctx},
		{"type", value{kind: kindString, str: "EPCISDocument"}},
		{"schemaVersion", value{kind: kindString, str: "2.0"}},
		{"creationDate", value{kind: kindString, str: created.UTC().Format(time.RFC3339Nano)}},
		{"epcisBody", value{kind: kindObject, obj: []member{{"eventList", list}}}},
	}}
	var b bytes.Buffer
	if err := json.Indent(&b, doc.raw(), "", "  "); err != nil {
		return err
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// Normalize turns the event into its canonical storage form: every GS1 identifier as
// its Digital Link URI on https://id.gs1.org (EPC URIs converted, other stems
// replaced, data attributes dropped) and standard CBV values bare ("shipping"). Its
// hash ID does not change. It fails, changing nothing, when an identifier written as a
// GS1 one is invalid.
func (e *Event) Normalize() error {
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
	// The lists are copied only when something in them changes: a stored event's are
	// canonical already.
	ids := func(l []string) []string {
		var out []string
		for i, s := range l {
			if c := id(s); c != s && out == nil {
				out = slices.Clone(l)
				out[i] = c
			} else if out != nil {
				out[i] = c
			}
		}
		if out == nil {
			return l
		}
		return out
	}
	qs := func(l []Quantity) []Quantity {
		var out []Quantity
		for i, q := range l {
			if c := id(q.EPCClass); c != q.EPCClass && out == nil {
				out = slices.Clone(l)
				out[i].EPCClass = c
			} else if out != nil {
				out[i].EPCClass = c
			}
		}
		if out == nil {
			return l
		}
		return out
	}
	c.ParentID = id(c.ParentID)
	c.EPCList, c.ChildEPCs = ids(c.EPCList), ids(c.ChildEPCs)
	c.InputEPCList, c.OutputEPCList = ids(c.InputEPCList), ids(c.OutputEPCList)
	c.QuantityList, c.ChildQuantityList = qs(c.QuantityList), qs(c.ChildQuantityList)
	c.InputQuantityList, c.OutputQuantityList = qs(c.InputQuantityList), qs(c.OutputQuantityList)
	if l := c.ReadPoint; l != nil && id(l.ID) != l.ID {
		c.ReadPoint = &Location{ID: id(l.ID), Extensions: l.Extensions}
	}
	if l := c.BizLocation; l != nil && id(l.ID) != l.ID {
		c.BizLocation = &Location{ID: id(l.ID), Extensions: l.Extensions}
	}
	c.BizStep = BizSteps.BareOrURI(c.BizStep)
	c.Disposition = Dispositions.BareOrURI(c.Disposition)
	if pd := c.PersistentDisposition; pd != nil && (!bareAlready(pd.Set) || !bareAlready(pd.Unset)) {
		n := &PersistentDisposition{}
		for _, s := range pd.Set {
			n.Set = append(n.Set, Dispositions.BareOrURI(s))
		}
		for _, s := range pd.Unset {
			n.Unset = append(n.Unset, Dispositions.BareOrURI(s))
		}
		c.PersistentDisposition = n
	}
	if c.BizTransactionList != nil && slices.ContainsFunc(c.BizTransactionList, func(bt BizTransaction) bool {
		return BizTransactionTypes.BareOrURI(bt.Type) != bt.Type
	}) {
		l := make([]BizTransaction, len(c.BizTransactionList))
		for i, bt := range c.BizTransactionList {
			l[i] = BizTransaction{Type: BizTransactionTypes.BareOrURI(bt.Type), Value: bt.Value}
		}
		c.BizTransactionList = l
	}
	sd := func(l []SourceDest) []SourceDest {
		if !slices.ContainsFunc(l, func(s SourceDest) bool {
			return SourceDestTypes.BareOrURI(s.Type) != s.Type || id(s.Value) != s.Value
		}) {
			return l
		}
		out := make([]SourceDest, len(l))
		for i, s := range l {
			out[i] = SourceDest{Type: SourceDestTypes.BareOrURI(s.Type), Value: id(s.Value)}
		}
		return out
	}
	c.SourceList, c.DestinationList = sd(c.SourceList), sd(c.DestinationList)
	if d := c.ErrorDeclaration; d != nil && ErrorReasons.BareOrURI(d.Reason) != d.Reason {
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

// bareAlready reports whether Normalize leaves a persistent disposition list as it is:
// absent, or non-empty with every value bare. (It writes an empty list as an absent
// one.)
func bareAlready(l []string) bool {
	if l == nil {
		return true
	}
	if len(l) == 0 {
		return false
	}
	for _, s := range l {
		if Dispositions.BareOrURI(s) != s {
			return false
		}
	}
	return true
}

// ErrHashForm reports an event read from XML whose JSON-LD form would hash
// differently: the reference hash reads XML and JSON-LD slightly differently (a sensor
// booleanValue is "true" in one and "True" in the other; compact IRI values and
// extension elements named "…List" are expanded or regrouped only in JSON-LD), so such
// an event cannot be stored as JSON-LD under its XML hash ID.
var ErrHashForm = errors.New("epcis: the event's JSON-LD form has another CBV 2.0 hash ID than its XML form")

// CanonicalJSON is the event's canonical storage form as bytes: Normalize, then
// MarshalJSON. The bytes read back (UnmarshalJSON) to an event with the same hash ID;
// for an event read from XML that is checked, and ErrHashForm returned when it fails.
func (e *Event) CanonicalJSON() ([]byte, error) {
	c := *e
	if err := c.Normalize(); err != nil {
		return nil, err
	}
	data, err := c.MarshalJSON()
	if err != nil || !e.fromXML {
		return data, err
	}
	back, err := ParseEvent(data, nil)
	if err != nil {
		return nil, err
	}
	if back.HashID() != e.HashID() {
		return nil, ErrHashForm
	}
	return data, nil
}
