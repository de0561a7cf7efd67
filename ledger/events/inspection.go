package events

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"traceledger/ledger/epcis"
)

// InspectionField is the name of the event extension field that carries an
// inspection's or sampling's result details (DESIGN.md section 4: an inspection is
// bizStep inspecting or sampling, disposition conformant or non_conformant, and the
// details as extension fields).
const InspectionField = NamespacePrefix + ":inspection"

// An Inspection is the result of testing a sample of a lot or of serialised items
// against a standard. It is written into an event as the value of the extension field
// InspectionField; its JSON member names carry the tl: prefix so that they are IRIs
// under Namespace, as JSON-LD requires of extension data, and a reader decodes the
// field's value into this type with encoding/json. It is the shape fixtures writes
// (TestInspectionShapeMatchesFixtures), plus the optional inspector.
type Inspection struct {
	// Standard is the standard tested against, e.g. "GB 19301-2010".
	Standard string `json:"tl:standard"`
	// SampleSize is how many units (packs, or 1 kg portions of bulk goods) were taken.
	SampleSize int `json:"tl:sampleSize"`
	// Lab is the USCC of the laboratory (or inspecting body) that tested the sample.
	Lab string `json:"tl:lab,omitempty"`
	// Report is the lab's test report number.
	Report string `json:"tl:report,omitempty"`
	// Inspector names the person who inspected or took the sample.
	Inspector string `json:"tl:inspector,omitempty"`
	// Items are the test items with measured values and limits.
	Items []TestItem `json:"tl:items"`
}

// A TestItem is one measured property of a sample with the standard's limits: it
// passes when Min <= Value <= Max for the limits given.
type TestItem struct {
	Name   string   `json:"tl:name"`   // English name, e.g. "protein"
	NameZH string   `json:"tl:nameZH"` // the standard's name, e.g. "蛋白质"
	Value  float64  `json:"tl:value"`
	Unit   string   `json:"tl:unit"` // e.g. "g/100g", "CFU/g", "μg/kg"
	Min    *float64 `json:"tl:min,omitempty"`
	Max    *float64 `json:"tl:max,omitempty"`
	Pass   bool     `json:"tl:pass"`
}

// Conformant reports whether every test item passed.
func (in *Inspection) Conformant() bool {
	for _, it := range in.Items {
		if !it.Pass {
			return false
		}
	}
	return true
}

// Field returns the inspection as the event extension field InspectionField.
func (in *Inspection) Field() epcis.Field {
	b, err := json.Marshal(in)
	if err != nil {
		// Only strings, ints, finite floats and bools: cannot fail.
		panic("events: marshal inspection: " + err.Error())
	}
	return epcis.Field{Name: InspectionField, Value: b}
}

// InspectionOf decodes the InspectionField of an event, if it has one.
func InspectionOf(ev *epcis.Event) (*Inspection, bool) {
	for _, f := range ev.Extensions {
		if f.Name == InspectionField {
			var in Inspection
			if json.Unmarshal(f.Value, &in) == nil {
				return &in, true
			}
		}
	}
	return nil, false
}

// A TestResult is one test item as a request gives it: Pass may be left out and is
// then decided by the limits.
type TestResult struct {
	Name   string   `json:"name"`
	NameZH string   `json:"nameZH,omitempty"`
	Value  float64  `json:"value"`
	Unit   string   `json:"unit,omitempty"`
	Min    *float64 `json:"min,omitempty"`
	Max    *float64 `json:"max,omitempty"`
	Pass   *bool    `json:"pass,omitempty"`
}

// An InspectionRequest records an inspection or a sampling of one code (journey 2).
type InspectionRequest struct {
	// Code is what was scanned: any code form (scan data, element string, Digital
	// Link, EPC URN) of a lot, a serialised item, a logistic unit or a product.
	Code string `json:"code"`
	// Kind is "inspection" (bizStep inspecting, the default) or "sampling".
	Kind string `json:"kind,omitempty"`
	// Result is "conformant" or "non_conformant"; empty means decided by the items.
	Result string `json:"result,omitempty"`
	// Items are the test items; a failed item makes the result non_conformant.
	Items []TestResult `json:"items,omitempty"`
	// Standard is what was tested against, e.g. "GB 19301-2010".
	Standard   string `json:"standard,omitempty"`
	SampleSize int    `json:"sampleSize,omitempty"`
	Inspector  string `json:"inspector,omitempty"`
	// Lab is the USCC of the testing laboratory; Report its report number.
	Lab    string `json:"lab,omitempty"`
	Report string `json:"report,omitempty"`
	// Site is the GLN where the inspection or sampling took place.
	Site string `json:"site"`
	// Time is when (RFC 3339); empty means now.
	Time string `json:"time,omitempty"`
}

// maxText bounds free-text fields of an inspection.
const maxText = 200

// Inspect builds the ObjectEvent (OBSERVE, bizStep inspecting or sampling, disposition
// conformant or non_conformant) that records an inspection of the code at the site,
// with the details as the extension field InspectionField. The code is canonicalised:
// a lot or product class goes in the quantityList (without quantity), an instance or
// logistic unit in the epcList; data attributes such as an expiry date in the
// barcode are dropped (they are the lot's master data, not its identity).
func Inspect(r InspectionRequest, now time.Time) (*epcis.Event, error) {
	f := &faults{}
	var code Code
	if r.Code == "" {
		f.add("code", "required")
	} else if c, err := ParseCode(r.Code); err != nil {
		f.add("code", "%v", err)
	} else if c.Kind == KindOther {
		f.add("code", "%s identifies neither a product, a lot, an item nor a logistic unit", c.URI)
	} else {
		code = c
	}
	bizStep := ""
	switch r.Kind {
	case "", "inspection", "inspecting":
		bizStep = "inspecting"
	case "sampling":
		bizStep = "sampling"
	default:
		f.add("kind", "%q: want inspection or sampling", r.Kind)
	}
	in := &Inspection{Standard: r.Standard, SampleSize: r.SampleSize, Lab: r.Lab, Report: r.Report,
		Inspector: r.Inspector, Items: make([]TestItem, 0, len(r.Items))}
	for _, t := range []struct{ field, v string }{{"standard", r.Standard}, {"inspector", r.Inspector},
		{"lab", r.Lab}, {"report", r.Report}} {
		if len(t.v) > maxText {
			f.add(t.field, "longer than %d bytes", maxText)
		}
	}
	if r.SampleSize < 0 {
		f.add("sampleSize", "must not be negative")
	}
	failed := ""
	for i, t := range r.Items {
		fld := fmt.Sprintf("items[%d]", i)
		if t.Name == "" {
			f.add(fld+".name", "required")
		}
		for _, v := range []struct {
			name string
			v    *float64
		}{{"value", &t.Value}, {"min", t.Min}, {"max", t.Max}} {
			// JSON cannot carry them, and Field's json.Marshal would fail on them.
			if v.v != nil && (math.IsNaN(*v.v) || math.IsInf(*v.v, 0)) {
				f.add(fld+"."+v.name, "must be a finite number")
			}
		}
		if t.Min != nil && t.Max != nil && *t.Min > *t.Max {
			f.add(fld+".min", "the lower limit %v is above the upper limit %v", *t.Min, *t.Max)
		}
		within := (t.Min == nil || t.Value >= *t.Min) && (t.Max == nil || t.Value <= *t.Max)
		pass := within
		if t.Pass != nil {
			pass = *t.Pass
			if pass && !within {
				f.add(fld+".pass", "true, but %v is outside the limits", t.Value)
			}
		}
		if !pass && failed == "" {
			failed = t.Name
		}
		in.Items = append(in.Items, TestItem{Name: t.Name, NameZH: t.NameZH, Value: t.Value, Unit: t.Unit,
			Min: t.Min, Max: t.Max, Pass: pass})
	}
	disp := ""
	switch r.Result {
	case "":
		if len(r.Items) == 0 {
			f.add("result", "required when no test items are given: conformant or non_conformant")
		}
		disp = "conformant"
		if failed != "" {
			disp = "non_conformant"
		}
	case "conformant":
		disp = r.Result
		if failed != "" {
			f.add("result", "conformant, but test item %q failed", failed)
		}
	case "non_conformant":
		disp = r.Result
	default:
		f.add("result", "%q: want conformant or non_conformant", r.Result)
	}
	site := f.gln("site", r.Site)
	evTime, offset := f.eventTime("time", r.Time, now)
	if err := f.err(); err != nil {
		return nil, err
	}
	ev := newEvent(epcis.ObjectEvent, epcis.ActionObserve, evTime, offset, site)
	switch code.Kind {
	case KindLot, KindClass:
		ev.QuantityList = []epcis.Quantity{{EPCClass: code.URI}}
	default:
		ev.EPCList = []string{code.URI}
	}
	ev.BizStep, ev.Disposition = bizStep, disp
	ev.Extensions = []epcis.Field{in.Field()}
	ev.Namespaces = namespaces()
	return finish(ev)
}
