package lotrecord

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
	"traceledger/scanner"
)

// traceledgerNS is the namespace of traceledger's extension fields (tl:inspection,
// tl:recall, tl:productionDate), matched by IRI rather than by prefix.
const traceledgerNS = "https://traceledger.example/ns/"

// cbvmdaNS is the CBV master data namespace of ILMD attributes.
const cbvmdaNS = "urn:epcglobal:cbv:mda:"

// An assembly is one Build in progress.
type assembly struct {
	b   *Builder
	dir Directory
	rec *Record
	// seen holds the event hash IDs already in the journey: a lot and the pallet it is
	// packed on share the packing event.
	seen map[string]bool
	// recallAt is the time of the recall event in force, to keep the newest.
	recallAt time.Time
	// commissioned is the event that made the code, once found.
	commissioned *epcis.Event
	commEntry    *ledger.Entry
	// lotNumber is an instance's lot from its commissioning ILMD.
	lotNumber string
}

// own adds the code's own events (newest first) to the record.
func (a *assembly) own(code string, hist []*ledger.Entry) error {
	// Each event is parsed once; entries that are not EPCIS events (registry records
	// chained under the code) are left out.
	evs := make([]*epcis.Event, len(hist))
	for i, e := range hist {
		if ev, err := epcis.ParseEvent(e.Event, nil); err == nil {
			evs[i] = ev
		}
	}
	recalled := false
	// Oldest first, so that a later unset lifts an earlier recall.
	for i := len(hist) - 1; i >= 0; i-- {
		ev := evs[i]
		if ev == nil {
			continue
		}
		if a.commissioned == nil && makes(ev, code) {
			a.commissioned, a.commEntry = ev, hist[i]
		}
		switch r := recallOf(ev); {
		case r == recallSet:
			recalled = true
			a.setRecall(hist[i], ev, "")
		case r == recallUnset && recalled:
			recalled = false
			a.rec.Recall = nil
		}
	}
	for i, e := range hist {
		if evs[i] != nil {
			a.step(e, evs[i], "")
		}
	}
	if a.commissioned == nil {
		// No event says it made the code (an import starting mid-chain): the oldest
		// event is the best origin there is.
		for i := len(hist) - 1; i >= 0; i-- {
			if evs[i] != nil {
				a.commissioned, a.commEntry = evs[i], hist[i]
				break
			}
		}
	}
	return nil
}

// containers adds the events of the logistic units (and cases) the code was packed
// into, from their packing on, and their recalls.
func (a *assembly) containers(code string) error {
	type hop struct {
		code  string
		depth int
	}
	queue := []hop{{code: code}}
	visited := map[string]bool{code: true}
	for n := 0; len(queue) > 0 && n < maxContainers; {
		h := queue[0]
		queue = queue[1:]
		if h.depth >= maxContainerDepth {
			continue
		}
		edges, err := a.b.Log.EdgesFrom(h.code)
		if err != nil {
			return fmt.Errorf("lotrecord: containers of %s: %w", h.code, err)
		}
		for _, ed := range edges {
			if ed.Kind != ledger.EdgeAggregate || visited[ed.To] {
				continue
			}
			visited[ed.To] = true
			n++
			hist, err := a.b.history(ed.To)
			if err != nil {
				return fmt.Errorf("lotrecord: history of %s: %w", ed.To, err)
			}
			for i := len(hist) - 1; i >= 0; i-- {
				e := hist[i]
				if e.Index < ed.Entry {
					continue
				}
				ev, err := epcis.ParseEvent(e.Event, nil)
				if err != nil {
					continue
				}
				if recallOf(ev) == recallSet {
					a.setRecall(e, ev, ed.To)
				}
				a.step(e, ev, ed.To)
			}
			queue = append(queue, hop{code: ed.To, depth: h.depth + 1})
		}
	}
	slices.SortStableFunc(a.rec.Journey, func(x, y Step) int {
		if c := y.Time.Compare(x.Time); c != 0 {
			return c
		}
		return int(y.Index - x.Index)
	})
	return nil
}

// lotOfInstance applies the recall of an instance's lot to the instance.
func (a *assembly) lotOfInstance(lot string) error {
	hist, err := a.b.history(lot)
	if err != nil {
		return fmt.Errorf("lotrecord: history of %s: %w", lot, err)
	}
	for i := len(hist) - 1; i >= 0; i-- {
		if ev, err := epcis.ParseEvent(hist[i].Event, nil); err == nil && recallOf(ev) == recallSet {
			a.setRecall(hist[i], ev, lot)
		}
	}
	return nil
}

// step adds one event to the journey (once), and to the inspections when it is one.
func (a *assembly) step(e *ledger.Entry, ev *epcis.Event, via string) {
	if a.seen[e.EventID] {
		return
	}
	a.seen[e.EventID] = true
	t, _ := epcis.ParseTime(ev.EventTime)
	st := Step{
		Time: t, Type: ev.Type, Action: ev.Action,
		BizStep:     epcis.BizSteps.BareOrURI(ev.BizStep),
		Disposition: epcis.Dispositions.BareOrURI(ev.Disposition),
		EventID:     e.EventID, Index: e.Index, Via: via,
	}
	if loc := location(ev); loc != "" {
		if gln := glnOf(loc); gln != "" {
			st.Location = a.b.place(a.dir, gln)
		}
	}
	if e.Firm != "" && (st.Location == nil || st.Location.Firm == nil || st.Location.Firm.USCC != e.Firm) {
		if f, ok := a.dir.Firm(e.Firm); ok {
			st.Recorder = f
		} else {
			st.Recorder = &Firm{USCC: e.Firm}
		}
	}
	a.rec.Journey = append(a.rec.Journey, st)
	if via == "" && (st.BizStep == "inspecting" || st.BizStep == "sampling") {
		a.rec.Inspections = append(a.rec.Inspections, a.inspection(st, ev))
	}
}

// inspection reads an inspection or sampling event's result and its tl:inspection
// details.
func (a *assembly) inspection(st Step, ev *epcis.Event) Inspection {
	in := Inspection{Time: st.Time, BizStep: st.BizStep, Result: st.Disposition, Location: st.Location,
		EventID: st.EventID, Items: []TestItem{}}
	raw, ok := extension(ev, ev.Extensions, "inspection")
	if !ok {
		raw, ok = extension(ev, ev.ILMD, "inspection")
	}
	if !ok {
		return in
	}
	var d struct {
		Standard   string `json:"tl:standard"`
		SampleSize int    `json:"tl:sampleSize"`
		Lab        string `json:"tl:lab"`
		Report     string `json:"tl:report"`
		Items      []struct {
			Name   string   `json:"tl:name"`
			NameZH string   `json:"tl:nameZH"`
			Value  float64  `json:"tl:value"`
			Unit   string   `json:"tl:unit"`
			Min    *float64 `json:"tl:min"`
			Max    *float64 `json:"tl:max"`
			Pass   bool     `json:"tl:pass"`
		} `json:"tl:items"`
	}
	if json.Unmarshal(raw, &d) != nil {
		return in
	}
	in.Standard, in.SampleSize, in.Report = d.Standard, d.SampleSize, d.Report
	if d.Lab != "" {
		if f, ok := a.dir.Firm(d.Lab); ok {
			in.Lab = f
		} else {
			in.Lab = &Firm{USCC: d.Lab}
		}
	}
	for _, it := range d.Items {
		in.Items = append(in.Items, TestItem(it))
	}
	return in
}

// setRecall records the recall event e as the one in force when it is the newest.
func (a *assembly) setRecall(e *ledger.Entry, ev *epcis.Event, via string) {
	t, _ := epcis.ParseTime(ev.EventTime)
	if a.rec.Recall != nil && t.Before(a.recallAt) {
		return
	}
	r := &Recall{Date: t, EventID: e.EventID, Via: via}
	if raw, ok := extension(ev, ev.Extensions, "recall"); ok {
		var f struct{ ID, Reason string }
		if json.Unmarshal(raw, &f) == nil {
			r.ID, r.Reason = f.ID, f.Reason
		}
	}
	a.rec.Recall, a.recallAt = r, t
}

// finish fills in what comes from the commissioning event and the scanned data.
func (a *assembly) finish(d scanner.Data) {
	rec := a.rec
	if rec.Recall != nil {
		rec.Status = StatusRecalled
	} else if len(rec.Journey) > 0 {
		rec.Status = StatusActive
	} else {
		rec.Status = StatusUnknown
	}
	if ev := a.commissioned; ev != nil {
		if loc := glnOf(location(ev)); loc != "" {
			rec.Origin = a.b.place(a.dir, loc)
		}
		if a.commEntry.Firm != "" {
			if f, ok := a.dir.Firm(a.commEntry.Firm); ok {
				rec.Producer = f
			}
		}
		if rec.Producer == nil && rec.Origin != nil && rec.Origin.Firm != nil {
			rec.Producer = rec.Origin.Firm
		}
		for _, f := range ev.ILMD {
			local, ns := localName(ev, f.Name)
			var s string
			if json.Unmarshal(f.Value, &s) != nil {
				continue
			}
			switch {
			case local == "productionDate" && (ns == traceledgerNS || ns == cbvmdaNS):
				rec.ProductionDate = s
			case (local == "itemExpirationDate" || local == "bestBeforeDate") && ns == cbvmdaNS:
				if rec.Expiry == "" || local == "itemExpirationDate" {
					rec.Expiry = s
				}
			case local == "lotNumber" && ns == cbvmdaNS:
				a.lotNumber = s
			}
		}
		if rec.ProductionDate == "" {
			if t, err := epcis.ParseTime(ev.EventTime); err == nil {
				rec.ProductionDate = t.Format(time.DateOnly)
			}
		}
		rec.Quantity = quantityOf(ev, rec.Code)
	}
	if rec.Producer == nil && rec.Product != nil && rec.Product.Owner != "" {
		if f, ok := a.dir.Firm(rec.Product.Owner); ok {
			rec.Producer = f
		}
	}
	// Dates printed in the code itself, when the ledger has none.
	now := time.Now
	if a.b.Now != nil {
		now = a.b.Now
	}
	for _, e := range d.Elements {
		switch {
		case e.AI == "11" && rec.ProductionDate == "":
			rec.ProductionDate = gs1Date(e.Value, now())
		case (e.AI == "17" || e.AI == "15") && rec.Expiry == "":
			rec.Expiry = gs1Date(e.Value, now())
		}
	}
}

// gs1Date turns a GS1 date YYMMDD into YYYY-MM-DD; day 00 means the month's last day.
func gs1Date(v string, now time.Time) string {
	if len(v) != 6 {
		return ""
	}
	yy, err1 := strconv.Atoi(v[0:2])
	mm, err2 := strconv.Atoi(v[2:4])
	dd, err3 := strconv.Atoi(v[4:6])
	if err1 != nil || err2 != nil || err3 != nil || mm < 1 || mm > 12 {
		return ""
	}
	y := scanner.CenturyYear(yy, now.Year())
	if dd == 0 {
		dd = time.Date(y, time.Month(mm)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	}
	return time.Date(y, time.Month(mm), dd, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// location returns the event's business location, else its read point.
func location(ev *epcis.Event) string {
	if ev.BizLocation != nil && ev.BizLocation.ID != "" {
		return ev.BizLocation.ID
	}
	if ev.ReadPoint != nil {
		return ev.ReadPoint.ID
	}
	return ""
}

// makes reports whether ev brings code into being: a TransformationEvent output, or an
// ObjectEvent or AggregationEvent ADD with bizStep commissioning or creating.
func makes(ev *epcis.Event, code string) bool {
	if ev.Type == epcis.TransformationEvent {
		return containsCode(ev.OutputEPCList, code) || slices.ContainsFunc(ev.OutputQuantityList, func(q epcis.Quantity) bool { return q.EPCClass == code })
	}
	bs := epcis.BizSteps.BareOrURI(ev.BizStep)
	if ev.Action != epcis.ActionAdd || (bs != "commissioning" && bs != "creating_class_instance") {
		return false
	}
	return containsCode(ev.EPCList, code) || slices.ContainsFunc(ev.QuantityList, func(q epcis.Quantity) bool { return q.EPCClass == code })
}

// quantityOf returns the amount of code the commissioning event made.
func quantityOf(ev *epcis.Event, code string) *Quantity {
	for _, l := range [][]epcis.Quantity{ev.OutputQuantityList, ev.QuantityList} {
		for _, q := range l {
			if q.EPCClass != code || q.Quantity == "" {
				continue
			}
			v, err := strconv.ParseFloat(q.Quantity, 64)
			if err != nil {
				continue
			}
			return &Quantity{Value: v, UOM: q.UOM}
		}
	}
	return nil
}

// The effect of an event on a recall.
const (
	recallNone = iota
	recallSet
	recallUnset
)

// recallOf says whether ev recalls (disposition recalled, or persistentDisposition
// set recalled) or lifts a recall (persistentDisposition unset recalled).
func recallOf(ev *epcis.Event) int {
	if pd := ev.PersistentDisposition; pd != nil {
		for _, d := range pd.Unset {
			if epcis.Dispositions.BareOrURI(d) == "recalled" {
				return recallUnset
			}
		}
		for _, d := range pd.Set {
			if epcis.Dispositions.BareOrURI(d) == "recalled" {
				return recallSet
			}
		}
	}
	if epcis.Dispositions.BareOrURI(ev.Disposition) == "recalled" {
		return recallSet
	}
	return recallNone
}

// extension returns the value of traceledger's field with the local name from fields.
func extension(ev *epcis.Event, fields []epcis.Field, local string) (json.RawMessage, bool) {
	for _, f := range fields {
		if l, ns := localName(ev, f.Name); l == local && ns == traceledgerNS {
			return f.Value, true
		}
	}
	return nil, false
}

// localName splits a prefixed field name into its local name and namespace IRI.
func localName(ev *epcis.Event, name string) (local, ns string) {
	prefix, local, ok := strings.Cut(name, ":")
	if !ok {
		return name, ""
	}
	if iri, ok := ev.Namespaces[prefix]; ok {
		return local, iri
	}
	switch prefix { // the prefixes of the EPCIS context itself
	case "cbvmda":
		return local, cbvmdaNS
	case "tl":
		return local, traceledgerNS
	}
	return local, ""
}
