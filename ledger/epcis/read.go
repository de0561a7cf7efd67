package epcis

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A Document is an EPCIS 2.0 document as read: its kind, its JSON-LD @context and
// header members (kept to write them back) and its events in document order.
type Document struct {
	// Type is "EPCISDocument", "EPCISQueryDocument", or "" when the input was one bare
	// event.
	Type string
	// Context is the document's @context as written ("" when it had none).
	Context []byte
	// Header holds the other top-level members (schemaVersion, creationDate, sender,
	// epcisHeader, ...) in document order.
	Header []Field
	Events []*Event

	xml bool // read from EPCIS XML, which has no JSON-LD @context
}

// MaxEvents bounds the events read from one document, so that one upload cannot hold
// the reader forever; a document with more is rejected, not truncated.
const MaxEvents = 1 << 20

// ReadDocument reads an EPCIS 2.0 JSON-LD document: an EPCISDocument
// (epcisBody.eventList, or epcisBody.event), an EPCISQueryDocument
// (epcisBody.queryResults.resultsBody.eventList) or one bare event. It fails only when
// the input is not JSON or has no event list where the document type says; faults inside
// events are reported by Validate.
func ReadDocument(r io.Reader) (*Document, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("epcis: reading document: %w", err)
	}
	return ParseDocument(data)
}

// ParseDocument is ReadDocument on a byte slice.
func ParseDocument(data []byte) (*Document, error) {
	p := getParser(data)
	defer p.release(true) // nothing below keeps the tree
	root, err := p.parseAll()
	if err != nil {
		return nil, fmt.Errorf("epcis: document is not valid JSON: %w", err)
	}
	if root.kind != kindObject {
		return nil, fmt.Errorf("epcis: document is a JSON %s, want an object", root.typeName())
	}
	doc := &Document{}
	ns := map[string]string{}
	if c, ok := root.get("@context"); ok {
		doc.Context = c.raw()
		collectNamespaces(c, ns)
	}
	typ, _ := root.get("type")
	doc.Type, _ = typ.scalarText()
	if _, isEvent := eventTypes[doc.Type]; isEvent {
		doc.Type = ""
		doc.Events = []*Event{readEvent(root, ns)}
		return doc, nil
	}
	for _, m := range root.obj {
		if m.key != "@context" && m.key != "type" && m.key != "epcisBody" {
			doc.Header = append(doc.Header, Field{Name: m.key, Value: m.val.raw()})
		}
	}
	body, ok := root.get("epcisBody")
	if !ok || body.kind != kindObject {
		return nil, errors.New(`epcis: "epcisBody": missing or not an object`)
	}
	var list value
	path := "epcisBody.eventList"
	switch doc.Type {
	case "EPCISQueryDocument":
		path = "epcisBody.queryResults.resultsBody.eventList"
		qr, _ := body.get("queryResults")
		rb, _ := qr.get("resultsBody")
		list, ok = rb.get("eventList")
	default:
		if doc.Type != "EPCISDocument" {
			return nil, fmt.Errorf(`epcis: "type": %q is neither EPCISDocument, EPCISQueryDocument nor an event type`, doc.Type)
		}
		list, ok = body.get("eventList")
		if !ok {
			if ev, one := body.get("event"); one {
				list, ok = value{kind: kindArray, arr: []value{ev}}, true
			}
		}
	}
	if !ok || list.kind != kindArray {
		return nil, fmt.Errorf("epcis: %q: missing or not an array", path)
	}
	if len(list.arr) > MaxEvents {
		return nil, fmt.Errorf("epcis: %q: %d events, more than %d", path, len(list.arr), MaxEvents)
	}
	qr, _ := body.get("queryResults")
	ignore := ignoreFields(root, body, qr)
	for _, ev := range list.arr {
		e := readEvent(ev, ns)
		e.HashIgnore = append(ignore[:len(ignore):len(ignore)], e.HashIgnore...)
		doc.Events = append(doc.Events, e)
	}
	return doc, nil
}

// ParseEvent reads one bare JSON-LD event; prefixes not declared by its own @context may
// be supplied in ns.
//
// An event in the form MarshalJSON writes (as every stored event is) is read by the
// canonical reader in one pass; any other takes the general reader.
func ParseEvent(data []byte, ns map[string]string) (*Event, error) {
	if e, ok := readCanonical(data, ns); ok {
		return e, nil
	}
	return parseEventGeneral(data, ns)
}

// parseEventGeneral is ParseEvent by way of the JSON value tree.
func parseEventGeneral(data []byte, ns map[string]string) (*Event, error) {
	p := getParser(data)
	defer p.release(true) // readEvent keeps nothing of the tree
	v, err := p.parseAll()
	if err != nil {
		return nil, fmt.Errorf("epcis: event is not valid JSON: %w", err)
	}
	return readEvent(v, ns), nil
}

// ignoreFields collects the field names listed by "…:ignoreFields" members of the
// document, its body or its query results: a repository's own bookkeeping fields that
// the event hash leaves out.
func ignoreFields(objs ...value) []string {
	var names []string
	for _, o := range objs {
		for _, m := range o.obj {
			if _, local, ok := prefixOf(m.key); ok && local == "ignoreFields" && m.val.kind == kindArray {
				for _, n := range m.val.arr {
					if n.kind == kindString {
						names = append(names, n.str)
					}
				}
			}
		}
	}
	return names
}

var eventTypes = map[string]bool{
	ObjectEvent: true, AggregationEvent: true, TransformationEvent: true,
	TransactionEvent: true, AssociationEvent: true,
}

// collectNamespaces adds the prefix declarations of a JSON-LD @context (a string, an
// object or an array of both) to ns. Remote contexts (strings) declare nothing we can see.
func collectNamespaces(c value, ns map[string]string) {
	switch c.kind {
	case kindArray:
		for _, e := range c.arr {
			collectNamespaces(e, ns)
		}
	case kindObject:
		for _, m := range c.obj {
			if strings.HasPrefix(m.key, "@") {
				continue
			}
			switch m.val.kind {
			case kindString:
				ns[m.key] = m.val.str
			case kindObject:
				if id, ok := m.val.get("@id"); ok && id.kind == kindString {
					ns[m.key] = id.str
				}
			}
		}
	}
}

// reader maps one JSON event onto an Event, recording problems instead of stopping so
// that Validate can name every fault.
type reader struct{ e *Event }

func (r reader) fault(path string, format string, args ...any) {
	r.e.problems = append(r.e.problems, problem{path, fmt.Sprintf(format, args...)})
}

// A loc names a field for a fault: path, then "[index]" when index >= 0, then
// ".key" when key is not empty. Reading builds the string only for a fault.
type loc struct {
	path  string
	index int
	key   string
}

func at(path string) loc { return loc{path: path, index: -1} }

func (l loc) String() string {
	s := l.path
	if l.index >= 0 {
		s += "[" + strconv.Itoa(l.index) + "]"
	}
	if l.key != "" {
		s += "." + l.key
	}
	return s
}

// field is the loc of member key of the object at l.
func (l loc) field(key string) loc {
	if l.key != "" {
		return at(l.String()).field(key)
	}
	l.key = key
	return l
}

func readEvent(v value, docNS map[string]string) *Event {
	e := &Event{Namespaces: make(map[string]string, len(docNS))}
	for k, iri := range docNS {
		e.Namespaces[k] = iri
	}
	r := reader{e}
	if v.kind != kindObject {
		r.fault("", "event is a JSON %s, want an object", v.typeName())
		return e
	}
	if c, ok := v.get("@context"); ok {
		collectNamespaces(c, e.Namespaces)
	}
	for _, m := range v.obj {
		k, val := m.key, m.val
		switch k {
		case "@context":
		case "type":
			e.Type = r.str(at(k), val)
		case "eventID":
			e.EventID = r.str(at(k), val)
		case "eventTime":
			e.EventTime = r.str(at(k), val)
		case "recordTime":
			e.RecordTime = r.str(at(k), val)
		case "eventTimeZoneOffset":
			e.EventTimeZoneOffset = r.str(at(k), val)
		case "certificationInfo":
			if val.kind == kindArray {
				e.CertificationInfo = r.strList(k, val)
			} else {
				e.CertificationInfo = []string{r.str(at(k), val)}
			}
		case "errorDeclaration":
			e.ErrorDeclaration = r.errorDeclaration(k, val)
		case "action":
			e.Action = r.str(at(k), val)
		case "parentID":
			e.ParentID = r.str(at(k), val)
		case "transformationID":
			e.TransformationID = r.str(at(k), val)
		case "bizStep":
			e.BizStep = r.str(at(k), val)
		case "disposition":
			e.Disposition = r.str(at(k), val)
		case "epcList":
			e.EPCList = r.strList(k, val)
		case "childEPCs":
			e.ChildEPCs = r.strList(k, val)
		case "inputEPCList":
			e.InputEPCList = r.strList(k, val)
		case "outputEPCList":
			e.OutputEPCList = r.strList(k, val)
		case "quantityList":
			e.QuantityList = r.quantities(k, val)
		case "childQuantityList":
			e.ChildQuantityList = r.quantities(k, val)
		case "inputQuantityList":
			e.InputQuantityList = r.quantities(k, val)
		case "outputQuantityList":
			e.OutputQuantityList = r.quantities(k, val)
		case "persistentDisposition":
			e.PersistentDisposition = r.persistent(k, val)
		case "readPoint":
			e.ReadPoint = r.location(k, val)
		case "bizLocation":
			e.BizLocation = r.location(k, val)
		case "bizTransactionList":
			list := r.objects(k, val)
			if len(list) > 0 {
				e.BizTransactionList = make([]BizTransaction, 0, len(list))
			}
			for i, bt := range list {
				p := loc{k, i, ""}
				var t BizTransaction
				r.members(p, bt, func(key string, mv value) bool {
					switch key {
					case "type":
						t.Type = r.str(p.field(key), mv)
					case "bizTransaction":
						t.Value = r.str(p.field(key), mv)
					default:
						return false
					}
					return true
				}, nil)
				e.BizTransactionList = append(e.BizTransactionList, t)
			}
		case "sourceList":
			e.SourceList = r.sourceDest(k, val, "source")
		case "destinationList":
			e.DestinationList = r.sourceDest(k, val, "destination")
		case "sensorElementList":
			for i, se := range r.objects(k, val) {
				e.SensorElementList = append(e.SensorElementList, r.sensorElement(fmt.Sprintf("%s[%d]", k, i), se))
			}
		case "ilmd":
			if val.kind != kindObject {
				r.fault(k, "is a JSON %s, want an object", val.typeName())
				continue
			}
			if len(val.obj) > 0 {
				e.ILMD = make([]Field, 0, len(val.obj))
			}
			r.members(at(k), val, func(string, value) bool { return false }, &e.ILMD)
		default:
			if _, local, ok := prefixOf(k); ok && local == "ignoreFields" && val.kind == kindArray {
				e.HashIgnore = append(e.HashIgnore, r.strList(k, val)...)
				continue
			}
			if !r.extension(k, k, val, &e.Extensions) {
				r.fault(k, "unknown field (extension fields need a namespace prefix declared in @context)")
			}
		}
	}
	return e
}

// extension keeps key as an extension field when it is a prefixed name (or a JSON-LD
// comment), and reports whether it did.
func (r reader) extension(path, key string, val value, into *[]Field) bool {
	if !isExtensionName(key) {
		return false
	}
	*into = append(*into, Field{Name: key, Value: val.raw()})
	return true
}

// isExtensionName reports whether a member that is not a standard field is kept as an
// extension field: a prefixed name, a JSON-LD comment, or a name written as an IRI
// ("{iri}local", "http…").
func isExtensionName(key string) bool {
	if _, _, ok := prefixOf(key); ok || key == "comment" {
		return true
	}
	return strings.HasPrefix(key, "{") || strings.HasPrefix(key, "http")
}

// members walks an object's members: known handles the standard ones, the rest are
// extensions (kept in ext, or reported when ext is nil).
func (r reader) members(path loc, v value, known func(string, value) bool, ext *[]Field) {
	if v.kind != kindObject {
		r.fault(path.String(), "is a JSON %s, want an object", v.typeName())
		return
	}
	for _, m := range v.obj {
		if known(m.key, m.val) {
			continue
		}
		if ext == nil {
			r.fault(path.field(m.key).String(), "unknown field")
			continue
		}
		if !r.extension(m.key, m.key, m.val, ext) {
			p := path.field(m.key).String()
			// Kept so that the hash sees what the document said, as the reference
			// implementation does; Validate refuses the event.
			*ext = append(*ext, Field{Name: m.key, Value: m.val.raw()})
			r.fault(p, "unknown field (extension fields need a namespace prefix declared in @context)")
		}
	}
}

func (r reader) str(path loc, v value) string {
	if v.kind != kindString {
		r.fault(path.String(), "is a JSON %s, want a string", v.typeName())
		s, _ := v.scalarText()
		return s
	}
	return v.str
}

func (r reader) num(path loc, v value) string {
	if v.kind != kindNumber {
		r.fault(path.String(), "is a JSON %s, want a number", v.typeName())
		s, _ := v.scalarText()
		return s
	}
	return v.str
}

func (r reader) strList(path string, v value) []string {
	if v.kind != kindArray {
		r.fault(path, "is a JSON %s, want an array", v.typeName())
		return nil
	}
	out := make([]string, 0, len(v.arr))
	for i, e := range v.arr {
		out = append(out, r.str(loc{path, i, ""}, e))
	}
	return out
}

func (r reader) objects(path string, v value) []value {
	if v.kind != kindArray {
		r.fault(path, "is a JSON %s, want an array", v.typeName())
		return nil
	}
	return v.arr
}

func (r reader) quantities(path string, v value) []Quantity {
	var out []Quantity
	list := r.objects(path, v)
	if len(list) > 0 {
		out = make([]Quantity, 0, len(list))
	}
	for i, qv := range list {
		p := loc{path, i, ""}
		var q Quantity
		r.members(p, qv, func(key string, mv value) bool {
			switch key {
			case "epcClass":
				q.EPCClass = r.str(p.field(key), mv)
			case "quantity":
				q.Quantity = r.num(p.field(key), mv)
			case "uom":
				q.UOM = r.str(p.field(key), mv)
			default:
				return false
			}
			return true
		}, &q.Extensions)
		out = append(out, q)
	}
	return out
}

func (r reader) persistent(path string, v value) *PersistentDisposition {
	pd := &PersistentDisposition{}
	r.members(at(path), v, func(key string, mv value) bool {
		switch key {
		case "set":
			pd.Set = r.strList(path+".set", mv)
		case "unset":
			pd.Unset = r.strList(path+".unset", mv)
		default:
			return false
		}
		return true
	}, nil)
	return pd
}

func (r reader) location(path string, v value) *Location {
	l := &Location{}
	r.members(at(path), v, func(key string, mv value) bool {
		if key == "id" {
			l.ID = r.str(loc{path, -1, key}, mv)
			return true
		}
		return false
	}, &l.Extensions)
	return l
}

func (r reader) sourceDest(path string, v value, valueKey string) []SourceDest {
	var out []SourceDest
	list := r.objects(path, v)
	if len(list) > 0 {
		out = make([]SourceDest, 0, len(list))
	}
	for i, sv := range list {
		p := loc{path, i, ""}
		var sd SourceDest
		r.members(p, sv, func(key string, mv value) bool {
			switch key {
			case "type":
				sd.Type = r.str(p.field(key), mv)
			case valueKey:
				sd.Value = r.str(p.field(key), mv)
			default:
				return false
			}
			return true
		}, nil)
		out = append(out, sd)
	}
	return out
}

func (r reader) errorDeclaration(path string, v value) *ErrorDeclaration {
	d := &ErrorDeclaration{}
	r.members(at(path), v, func(key string, mv value) bool {
		switch key {
		case "declarationTime":
			d.DeclarationTime = r.str(loc{path, -1, key}, mv)
		case "reason":
			d.Reason = r.str(loc{path, -1, key}, mv)
		case "correctiveEventIDs":
			d.CorrectiveEventIDs = r.strList(path+".correctiveEventIDs", mv)
		default:
			return false
		}
		return true
	}, &d.Extensions)
	return d
}

func (r reader) sensorElement(path string, v value) SensorElement {
	var se SensorElement
	r.members(at(path), v, func(key string, mv value) bool {
		switch key {
		case "sensorMetadata":
			se.Metadata = r.sensorMetadata(path+".sensorMetadata", mv)
		case "sensorReport":
			for i, rv := range r.objects(path+".sensorReport", mv) {
				se.Reports = append(se.Reports, r.sensorReport(fmt.Sprintf("%s.sensorReport[%d]", path, i), rv))
			}
		default:
			return false
		}
		return true
	}, &se.Extensions)
	return se
}

func (r reader) sensorMetadata(path string, v value) *SensorMetadata {
	m := &SensorMetadata{}
	fields := map[string]*string{
		"time": &m.Time, "startTime": &m.StartTime, "endTime": &m.EndTime,
		"deviceID": &m.DeviceID, "deviceMetadata": &m.DeviceMetadata, "rawData": &m.RawData,
		"dataProcessingMethod": &m.DataProcessingMethod, "bizRules": &m.BizRules,
	}
	r.members(at(path), v, func(key string, mv value) bool {
		if p, ok := fields[key]; ok {
			*p = r.str(at(path+"."+key), mv)
			return true
		}
		return false
	}, &m.Extensions)
	return m
}

func (r reader) sensorReport(path string, v value) SensorReport {
	var s SensorReport
	strs, nums := s.stringFields(), s.numberFields()
	r.members(at(path), v, func(key string, mv value) bool {
		if p, ok := strs[key]; ok {
			*p = r.str(at(path+"."+key), mv)
			return true
		}
		if p, ok := nums[key]; ok {
			*p = r.num(at(path+"."+key), mv)
			return true
		}
		if key == "booleanValue" {
			if mv.kind != kindBool {
				r.fault(path+"."+key, "is a JSON %s, want a boolean", mv.typeName())
			}
			s.BooleanValue, _ = mv.scalarText()
			return true
		}
		return false
	}, &s.Extensions)
	return s
}

// stringFields maps the JSON names of a sensor report's string members to its fields.
func (s *SensorReport) stringFields() map[string]*string {
	return map[string]*string{
		"type": &s.Type, "exception": &s.Exception, "deviceID": &s.DeviceID,
		"deviceMetadata": &s.DeviceMetadata, "rawData": &s.RawData,
		"dataProcessingMethod": &s.DataProcessingMethod, "time": &s.Time,
		"microorganism": &s.Microorganism, "chemicalSubstance": &s.ChemicalSubstance,
		"component": &s.Component, "stringValue": &s.StringValue,
		"hexBinaryValue": &s.HexBinaryValue, "uriValue": &s.URIValue, "uom": &s.UOM,
		"coordinateReferenceSystem": &s.CoordinateReferenceSystem, "bizRules": &s.BizRules,
	}
}

// numberFields maps the JSON names of a sensor report's numeric members to its fields.
func (s *SensorReport) numberFields() map[string]*string {
	return map[string]*string{
		"value": &s.Value, "minValue": &s.MinValue, "maxValue": &s.MaxValue,
		"meanValue": &s.MeanValue, "sDev": &s.SDev, "percRank": &s.PercRank,
		"percValue": &s.PercValue,
	}
}
