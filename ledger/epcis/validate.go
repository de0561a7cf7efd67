package epcis

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"traceledger/scanner"
)

// A FieldError is one fault in an event or document, naming the field by its JSON
// path ("eventList[3].bizStep", "quantityList[0].quantity").
type FieldError struct {
	Field   string
	Message string
}

// Error gives the quoted field path and the fault: "eventList[3].bizStep": message.
func (e *FieldError) Error() string { return fmt.Sprintf("%q: %s", e.Field, e.Message) }

// ValidationError is every fault found in one event or document, in field order. It is
// returned as an error only when it is not empty.
type ValidationError []*FieldError

// Error joins every fault's message with "; ", in field order.
func (v ValidationError) Error() string {
	parts := make([]string, len(v))
	for i, e := range v {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// validator collects FieldErrors under a path prefix: "eventList[event]." when event
// is not negative (built only for a fault).
type validator struct {
	event int
	errs  ValidationError
}

func (v *validator) add(field, format string, args ...any) {
	f := field
	if v.event >= 0 {
		f = "eventList[" + strconv.Itoa(v.event) + "]." + field
	}
	f = strings.TrimSuffix(f, ".")
	v.errs = append(v.errs, &FieldError{Field: f, Message: fmt.Sprintf(format, args...)})
}

// Validate checks the event against EPCIS 2.0 and CBV 2.0: the fields its type
// requires and forbids, the action, times and time zone offset, the CBV vocabularies
// (standard values in any of their forms, or custom URIs; bare unknown words are
// refused), numeric quantities, and every GS1 identifier through package scanner (a bad
// check digit is an error). It returns a ValidationError naming each faulty field.
func (e *Event) Validate() error {
	v := &validator{event: -1}
	e.validate(v)
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

// Validate checks the document (it must declare a JSON-LD @context) and every event,
// naming faults as "eventList[i].field".
func (d *Document) Validate() error {
	v := &validator{event: -1}
	if d.Type != "" && len(d.Context) == 0 && !d.xml {
		v.add("@context", "missing: an EPCIS 2.0 JSON-LD document must declare its @context")
	}
	for i, e := range d.Events {
		v.event = i
		e.validate(v)
	}
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

// isOffset reports whether s is a time zone offset ±hh:mm from -14:00 to +14:59, as
// ^[+-](0\d|1[0-4]):[0-5]\d$ says.
func isOffset(s string) bool {
	return len(s) == 6 && (s[0] == '+' || s[0] == '-') &&
		(s[1] == '0' && s[2] >= '0' && s[2] <= '9' || s[1] == '1' && s[2] >= '0' && s[2] <= '4') &&
		s[3] == ':' && s[4] >= '0' && s[4] <= '5' && s[5] >= '0' && s[5] <= '9'
}

// isUOM reports whether s looks like a UN/CEFACT Rec. 20 unit code: two or three
// digits or capital letters.
func isUOM(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

func (e *Event) validate(v *validator) {
	for _, p := range e.problems {
		v.add(p.path, "%s", p.msg)
	}
	if !eventTypes[e.Type] {
		if e.Type == "" {
			v.add("type", "missing")
		} else {
			v.add("type", "unknown event type %q", e.Type)
		}
		return
	}
	checkTime(v, "eventTime", e.EventTime, true)
	checkTime(v, "recordTime", e.RecordTime, false)
	switch {
	case e.EventTimeZoneOffset == "":
		v.add("eventTimeZoneOffset", "missing")
	case !isOffset(e.EventTimeZoneOffset):
		v.add("eventTimeZoneOffset", "%q is not a time zone offset ±hh:mm", e.EventTimeZoneOffset)
	}
	if e.EventID != "" && !isURI(e.EventID) {
		v.add("eventID", "%q is not a URI", e.EventID)
	}
	for i, c := range e.CertificationInfo {
		if !isURI(c) {
			v.add(indexed("certificationInfo", i, len(e.CertificationInfo)), "%q is not a URI", c)
		}
	}
	if d := e.ErrorDeclaration; d != nil {
		checkTime(v, "errorDeclaration.declarationTime", d.DeclarationTime, true)
		if d.Reason != "" {
			checkVocab(v, "errorDeclaration.reason", d.Reason, ErrorReasons)
		}
		for i, id := range d.CorrectiveEventIDs {
			if !isURI(id) {
				v.add(fmt.Sprintf("errorDeclaration.correctiveEventIDs[%d]", i), "%q is not a URI", id)
			}
		}
	}

	// action: required except on TransformationEvent, where it does not exist.
	if e.Type == TransformationEvent {
		if e.Action != "" {
			v.add("action", "a TransformationEvent has no action")
		}
	} else {
		switch e.Action {
		case ActionAdd, ActionObserve, ActionDelete:
		case "":
			v.add("action", "missing (ADD, OBSERVE or DELETE)")
		default:
			v.add("action", "%q is not ADD, OBSERVE or DELETE", e.Action)
		}
	}
	e.validateShape(v)

	checkIDs(v, "epcList", e.EPCList)
	checkIDs(v, "childEPCs", e.ChildEPCs)
	checkIDs(v, "inputEPCList", e.InputEPCList)
	checkIDs(v, "outputEPCList", e.OutputEPCList)
	checkQuantities(v, "quantityList", e.QuantityList)
	checkQuantities(v, "childQuantityList", e.ChildQuantityList)
	checkQuantities(v, "inputQuantityList", e.InputQuantityList)
	checkQuantities(v, "outputQuantityList", e.OutputQuantityList)
	if e.ParentID != "" {
		checkID(v, "parentID", e.ParentID)
	}
	if e.TransformationID != "" && !isURI(e.TransformationID) {
		v.add("transformationID", "%q is not a URI", e.TransformationID)
	}
	if e.BizStep != "" {
		checkVocab(v, "bizStep", e.BizStep, BizSteps)
	}
	if e.Disposition != "" {
		checkVocab(v, "disposition", e.Disposition, Dispositions)
	}
	if pd := e.PersistentDisposition; pd != nil {
		for i, s := range pd.Set {
			if !vocabOK(s, Dispositions) {
				checkVocab(v, fmt.Sprintf("persistentDisposition.set[%d]", i), s, Dispositions)
			}
		}
		for i, s := range pd.Unset {
			if !vocabOK(s, Dispositions) {
				checkVocab(v, fmt.Sprintf("persistentDisposition.unset[%d]", i), s, Dispositions)
			}
		}
	}
	checkLocation(v, "readPoint", e.ReadPoint)
	checkLocation(v, "bizLocation", e.BizLocation)
	for i, bt := range e.BizTransactionList {
		if bt.Type != "" && !vocabOK(bt.Type, BizTransactionTypes) {
			checkVocab(v, fmt.Sprintf("bizTransactionList[%d].type", i), bt.Type, BizTransactionTypes)
		}
		if bt.Value == "" || idProblem(bt.Value) {
			checkURIOrID(v, fmt.Sprintf("bizTransactionList[%d].bizTransaction", i), bt.Value)
		}
	}
	checkSourceDest(v, "sourceList", "source", e.SourceList)
	checkSourceDest(v, "destinationList", "destination", e.DestinationList)
	for i, se := range e.SensorElementList {
		checkSensorElement(v, fmt.Sprintf("sensorElementList[%d]", i), se)
	}
}

// validateShape checks the lists each event type requires (EPCIS 2.0 section 7.4).
func (e *Event) validateShape(v *validator) {
	forbid := func(field string, present bool) {
		if present {
			v.add(field, "not allowed in a%s %s", article(e.Type), e.Type)
		}
	}
	switch e.Type {
	case ObjectEvent:
		if len(e.EPCList) == 0 && len(e.QuantityList) == 0 && len(e.SensorElementList) == 0 {
			v.add("epcList", "an ObjectEvent needs a non-empty epcList or quantityList (or sensor data)")
		}
		forbid("parentID", e.ParentID != "")
		forbid("childEPCs", e.ChildEPCs != nil)
		forbid("inputEPCList", e.InputEPCList != nil || e.InputQuantityList != nil)
		forbid("outputEPCList", e.OutputEPCList != nil || e.OutputQuantityList != nil)
	case AggregationEvent, AssociationEvent:
		if e.ParentID == "" && e.Action != ActionObserve {
			v.add("parentID", "required when action is %s", e.Action)
		}
		if e.Action == ActionAdd && len(e.ChildEPCs) == 0 && len(e.ChildQuantityList) == 0 {
			v.add("childEPCs", "an ADD needs a non-empty childEPCs or childQuantityList")
		}
		forbid("epcList", e.EPCList != nil || e.QuantityList != nil)
		forbid("inputEPCList", e.InputEPCList != nil || e.InputQuantityList != nil)
		forbid("outputEPCList", e.OutputEPCList != nil || e.OutputQuantityList != nil)
	case TransactionEvent:
		if len(e.BizTransactionList) == 0 {
			v.add("bizTransactionList", "a TransactionEvent needs at least one business transaction")
		}
		forbid("childEPCs", e.ChildEPCs != nil || e.ChildQuantityList != nil)
		forbid("inputEPCList", e.InputEPCList != nil || e.InputQuantityList != nil)
		forbid("outputEPCList", e.OutputEPCList != nil || e.OutputQuantityList != nil)
	case TransformationEvent:
		in := len(e.InputEPCList) + len(e.InputQuantityList)
		out := len(e.OutputEPCList) + len(e.OutputQuantityList)
		if in == 0 && out == 0 {
			v.add("inputEPCList", "a TransformationEvent needs inputs or outputs")
		}
		forbid("epcList", e.EPCList != nil || e.QuantityList != nil)
		forbid("parentID", e.ParentID != "")
		forbid("childEPCs", e.ChildEPCs != nil || e.ChildQuantityList != nil)
	}
	if e.ILMD != nil && e.Type != ObjectEvent && e.Type != TransformationEvent {
		v.add("ilmd", "only ObjectEvent and TransformationEvent carry ILMD")
	}
}

func article(t string) string {
	if strings.ContainsRune("AEIOU", rune(t[0])) {
		return "n"
	}
	return ""
}

func indexed(field string, i, n int) string {
	if n == 1 {
		return field
	}
	return fmt.Sprintf("%s[%d]", field, i)
}

// ParseTime reads an EPCIS timestamp: RFC 3339 with a time zone (Z or ±hh:mm) and any
// number of fraction digits.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 date-time with a time zone offset", s)
	}
	return t, nil
}

func checkTime(v *validator, field, s string, required bool) {
	if s == "" {
		if required {
			v.add(field, "missing")
		}
		return
	}
	if _, err := ParseTime(s); err != nil {
		v.add(field, "%v", err)
	}
}

// vocabOK reports whether checkVocab finds s right.
func vocabOK(s string, voc *Vocabulary) bool {
	_, ok := voc.Check(s)
	return ok
}

func checkVocab(v *validator, field, s string, voc *Vocabulary) {
	if _, ok := voc.Check(s); !ok {
		v.add(field, "unknown CBV %s %q (use a CBV 2.0 value or a custom URI)", voc.Name, s)
	}
}

// checkID checks an identifier: an EPC URI or a Digital Link on the canonical stem
// https://id.gs1.org must be a valid GS1 identifier (check digits, lengths, character
// sets); any other must be an absolute URI. A web URI on another domain that only looks
// like a Digital Link but does not parse as one is an ordinary URI, which EPCIS allows.
func checkID(v *validator, field, s string) {
	if s == "" {
		v.add(field, "empty identifier")
		return
	}
	_, gs1, err := CanonicalID(s)
	switch {
	case err != nil && checkStrict(s):
		v.add(field, "invalid GS1 identifier %q: %v", s, err)
	case (!gs1 || err != nil) && !isURI(s):
		v.add(field, "%q is not a URI", s)
	}
}

// idProblem reports whether checkID finds fault with a non-empty identifier; for a
// plain canonical Digital Link that is its check digit and length.
func idProblem(s string) bool {
	if key, qual, ok := plainDL(s); ok {
		return !validDL(key, qual)
	}
	_, gs1, err := CanonicalID(s)
	return err != nil && checkStrict(s) || (!gs1 || err != nil) && !isURI(s)
}

// checkStrict reports whether an identifier claims to be a GS1 one and so must be
// valid: an EPC URI, or a Digital Link on https://id.gs1.org.
func checkStrict(s string) bool {
	return scanner.IsEPCURN(s) || strings.HasPrefix(s, scanner.CanonicalStem+"/")
}

func checkURIOrID(v *validator, field, s string) {
	if s == "" {
		v.add(field, "missing")
		return
	}
	checkID(v, field, s)
}

func checkIDs(v *validator, field string, ids []string) {
	for i, id := range ids {
		if id == "" || idProblem(id) {
			checkID(v, fmt.Sprintf("%s[%d]", field, i), id)
		}
	}
}

func checkQuantities(v *validator, field string, qs []Quantity) {
	for i, q := range qs {
		p := func() string { return fmt.Sprintf("%s[%d]", field, i) }
		if q.EPCClass == "" {
			v.add(p()+".epcClass", "missing")
		} else if idProblem(q.EPCClass) {
			checkID(v, p()+".epcClass", q.EPCClass)
		}
		if q.Quantity != "" {
			if !isDecimal(q.Quantity) {
				v.add(p()+".quantity", "%q is not a number", q.Quantity)
			} else if f, err := strconv.ParseFloat(q.Quantity, 64); err != nil {
				v.add(p()+".quantity", "%q is not a number", q.Quantity)
			} else if f < 0 {
				v.add(p()+".quantity", "%s is negative", q.Quantity)
			}
		} else if q.UOM != "" {
			v.add(p()+".uom", "a unit of measure without a quantity")
		}
		if q.UOM != "" && !isUOM(q.UOM) {
			v.add(p()+".uom", "%q is not a UN/CEFACT Rec. 20 unit code", q.UOM)
		}
	}
}

func checkLocation(v *validator, field string, l *Location) {
	if l == nil {
		return
	}
	if l.ID == "" {
		v.add(field+".id", "missing")
		return
	}
	if idProblem(l.ID) {
		checkID(v, field+".id", l.ID)
	}
}

func checkSourceDest(v *validator, field, valueKey string, sds []SourceDest) {
	for i, sd := range sds {
		p := func() string { return fmt.Sprintf("%s[%d]", field, i) }
		if sd.Type == "" {
			v.add(p()+".type", "missing")
		} else if !vocabOK(sd.Type, SourceDestTypes) {
			checkVocab(v, p()+".type", sd.Type, SourceDestTypes)
		}
		if sd.Value == "" || idProblem(sd.Value) {
			checkURIOrID(v, p()+"."+valueKey, sd.Value)
		}
	}
}

func checkSensorElement(v *validator, p string, se SensorElement) {
	if m := se.Metadata; m != nil {
		checkTime(v, p+".sensorMetadata.time", m.Time, false)
		checkTime(v, p+".sensorMetadata.startTime", m.StartTime, false)
		checkTime(v, p+".sensorMetadata.endTime", m.EndTime, false)
	}
	for i, r := range se.Reports {
		rp := fmt.Sprintf("%s.sensorReport[%d]", p, i)
		checkTime(v, rp+".time", r.Time, false)
		for name, val := range map[string]string{"value": r.Value, "minValue": r.MinValue,
			"maxValue": r.MaxValue, "meanValue": r.MeanValue, "sDev": r.SDev,
			"percRank": r.PercRank, "percValue": r.PercValue} {
			if val != "" && !isDecimal(val) {
				v.add(rp+"."+name, "%q is not a number", val)
			}
		}
		if r.Component != "" {
			checkVocab(v, rp+".component", r.Component, Components)
		}
		if r.UOM != "" && !isUOM(r.UOM) {
			v.add(rp+".uom", "%q is not a UN/CEFACT Rec. 20 unit code", r.UOM)
		}
	}
}
