package epcis

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// EPCIS 2.0 XML (EPCIS 2.0 section 9.2) is read into the same Event model, so that XML
// and JSON-LD captures of one event have one hash ID and one stored form. Standard
// elements are in no namespace; <extension> and <baseExtension> wrappers (EPCIS 1.x
// style) are transparent; elements and attributes in a namespace are extension fields,
// named with the prefix the document declared for that namespace.

// xmlElem is one parsed XML element.
type xmlElem struct {
	name  xml.Name
	attrs []xml.Attr
	text  string
	kids  []*xmlElem
}

// ParseXMLDocument reads an EPCIS 2.0 XML document (epcis:EPCISDocument or
// epcis:EPCISQueryDocument) and returns its events in document order.
func ParseXMLDocument(data []byte) (*Document, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	prefixes := map[string]string{} // namespace URI -> prefix
	ns := map[string]string{}       // prefix -> namespace URI
	var stack []*xmlElem
	var root *xmlElem
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("epcis: document is not valid XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > maxDepth {
				return nil, fmt.Errorf("epcis: XML nested deeper than %d levels", maxDepth)
			}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" {
					if _, seen := prefixes[a.Value]; !seen {
						prefixes[a.Value] = a.Name.Local
					}
					ns[a.Name.Local] = a.Value
				}
			}
			e := &xmlElem{name: t.Name, attrs: t.Attr}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, e)
			} else if root == nil {
				root = e
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("epcis: XML document has no root element")
	}
	doc := &Document{Type: root.name.Local, xml: true}
	list := findXML(root, "EventList")
	if list == nil {
		return nil, errors.New("epcis: XML document has no EventList")
	}
	var ignore []string
	if ig := findXML(root, "ignoreFields"); ig != nil && ig.name.Space != "" {
		for _, k := range ig.kids {
			ignore = append(ignore, xmlReader{e: &Event{Namespaces: ns}, prefixes: prefixes}.qname(k.name))
		}
	}
	for _, ev := range unwrapXML(list.kids) {
		e := readXMLEvent(ev, ns, prefixes)
		e.HashIgnore = ignore
		doc.Events = append(doc.Events, e)
		if len(doc.Events) > MaxEvents {
			return nil, fmt.Errorf("epcis: more than %d events", MaxEvents)
		}
	}
	return doc, nil
}

// findXML returns the first element named local (in any namespace), depth first.
func findXML(e *xmlElem, local string) *xmlElem {
	if e.name.Local == local {
		return e
	}
	for _, k := range e.kids {
		if f := findXML(k, local); f != nil {
			return f
		}
	}
	return nil
}

// unwrapXML replaces <extension> and <baseExtension> elements by their children.
func unwrapXML(kids []*xmlElem) []*xmlElem {
	var out []*xmlElem
	for _, k := range kids {
		if k.name.Space == "" && (k.name.Local == "extension" || k.name.Local == "baseExtension") {
			out = append(out, unwrapXML(k.kids)...)
			continue
		}
		out = append(out, k)
	}
	return out
}

func (x *xmlElem) trimmed() string { return strings.TrimSpace(x.text) }

func (x *xmlElem) attr(local string) (string, bool) {
	for _, a := range x.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// xmlReader maps XML elements onto an Event.
type xmlReader struct {
	e        *Event
	prefixes map[string]string
}

func (r xmlReader) fault(path, format string, args ...any) {
	r.e.problems = append(r.e.problems, problem{path, fmt.Sprintf(format, args...)})
}

// qname is the JSON-LD name of a namespaced XML name: "prefix:local".
func (r xmlReader) qname(n xml.Name) string {
	p, ok := r.prefixes[n.Space]
	if !ok {
		p = "ns" + fmt.Sprint(len(r.prefixes))
		r.prefixes[n.Space] = p
		r.e.Namespaces[p] = n.Space
	}
	return p + ":" + n.Local
}

// extValue converts an extension element to its JSON-LD value: text for a leaf, an
// object of its attributes and children otherwise (repeated children become arrays).
func (r xmlReader) extValue(x *xmlElem) value {
	kids := unwrapXML(x.kids)
	var attrs []xml.Attr
	for _, a := range x.attrs {
		if a.Name.Space != "xmlns" && !(a.Name.Space == "" && a.Name.Local == "xmlns") {
			attrs = append(attrs, a)
		}
	}
	if len(kids) == 0 && len(attrs) == 0 {
		return value{kind: kindString, str: x.trimmed()}
	}
	o := value{kind: kindObject, obj: []member{}}
	for _, a := range attrs {
		k := a.Name.Local
		if a.Name.Space != "" {
			k = r.qname(a.Name)
		}
		o.obj = append(o.obj, member{k, value{kind: kindString, str: a.Value}})
	}
	if t := x.trimmed(); t != "" {
		o.obj = append(o.obj, member{"#text", value{kind: kindString, str: t}})
	}
	index := map[string]int{}
	for _, k := range kids {
		key := k.name.Local
		if k.name.Space != "" {
			key = r.qname(k.name)
		}
		v := r.extValue(k)
		if i, seen := index[key]; seen {
			m := &o.obj[i]
			if m.val.kind != kindArray || !m.val.repeated {
				m.val = value{kind: kindArray, arr: []value{m.val}, repeated: true}
			}
			m.val.arr = append(m.val.arr, v)
			continue
		}
		index[key] = len(o.obj)
		o.obj = append(o.obj, member{key, v})
	}
	return o
}

// ext keeps a namespaced element as an extension field, reporting whether it was one.
func (r xmlReader) ext(x *xmlElem, into *[]Field) bool {
	if x.name.Space == "" {
		return false
	}
	*into = append(*into, Field{Name: r.qname(x.name), Value: r.extValue(x).raw()})
	return true
}

// extAttrs keeps namespaced attributes as extension fields, and unknown plain ones
// (not in known) as fields Validate refuses but the hash sees.
func (r xmlReader) extAttrs(path string, x *xmlElem, into *[]Field, known func(string) bool) {
	for _, a := range x.attrs {
		switch {
		case a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns":
		case a.Name.Space != "":
			*into = append(*into, Field{Name: r.qname(a.Name), Value: value{kind: kindString, str: a.Value}.raw()})
		case !known(a.Name.Local):
			*into = append(*into, Field{Name: a.Name.Local, Value: value{kind: kindString, str: a.Value}.raw()})
			r.fault(path+"."+a.Name.Local, "unknown attribute")
		}
	}
}

func (r xmlReader) texts(path string, x *xmlElem, child string) []string {
	out := []string{}
	for _, k := range unwrapXML(x.kids) {
		if k.name.Space == "" && k.name.Local == child {
			out = append(out, k.trimmed())
		} else {
			r.fault(path+"."+k.name.Local, "unknown element")
		}
	}
	return out
}

func readXMLEvent(x *xmlElem, ns, prefixes map[string]string) *Event {
	e := &Event{Type: x.name.Local, Namespaces: map[string]string{}, fromXML: true}
	for k, v := range ns {
		e.Namespaces[k] = v
	}
	r := xmlReader{e: e, prefixes: prefixes}
	for _, k := range unwrapXML(x.kids) {
		name := k.name.Local
		if k.name.Space != "" {
			r.ext(k, &e.Extensions)
			continue
		}
		switch name {
		case "eventTime":
			e.EventTime = k.trimmed()
		case "recordTime":
			e.RecordTime = k.trimmed()
		case "eventTimeZoneOffset":
			e.EventTimeZoneOffset = k.trimmed()
		case "eventID":
			e.EventID = k.trimmed()
		case "certificationInfo":
			e.CertificationInfo = append(e.CertificationInfo, k.trimmed())
		case "errorDeclaration":
			d := &ErrorDeclaration{}
			for _, c := range unwrapXML(k.kids) {
				switch {
				case c.name.Space != "":
					r.ext(c, &d.Extensions)
				case c.name.Local == "declarationTime":
					d.DeclarationTime = c.trimmed()
				case c.name.Local == "reason":
					d.Reason = c.trimmed()
				case c.name.Local == "correctiveEventIDs":
					d.CorrectiveEventIDs = r.texts("errorDeclaration.correctiveEventIDs", c, "correctiveEventID")
				}
			}
			e.ErrorDeclaration = d
		case "action":
			e.Action = k.trimmed()
		case "parentID":
			e.ParentID = k.trimmed()
		case "transformationID":
			e.TransformationID = k.trimmed()
		case "bizStep":
			e.BizStep = k.trimmed()
		case "disposition":
			e.Disposition = k.trimmed()
		case "epcList":
			e.EPCList = r.texts(name, k, "epc")
		case "childEPCs":
			e.ChildEPCs = r.texts(name, k, "epc")
		case "inputEPCList":
			e.InputEPCList = r.texts(name, k, "epc")
		case "outputEPCList":
			e.OutputEPCList = r.texts(name, k, "epc")
		case "quantityList":
			e.QuantityList = r.quantities(k)
		case "childQuantityList":
			e.ChildQuantityList = r.quantities(k)
		case "inputQuantityList":
			e.InputQuantityList = r.quantities(k)
		case "outputQuantityList":
			e.OutputQuantityList = r.quantities(k)
		case "persistentDisposition":
			pd := &PersistentDisposition{}
			for _, c := range unwrapXML(k.kids) {
				switch c.name.Local {
				case "set":
					pd.Set = append(pd.Set, c.trimmed())
				case "unset":
					pd.Unset = append(pd.Unset, c.trimmed())
				}
			}
			e.PersistentDisposition = pd
		case "readPoint", "bizLocation":
			l := &Location{}
			for _, c := range unwrapXML(k.kids) {
				if !r.ext(c, &l.Extensions) && c.name.Local == "id" {
					l.ID = c.trimmed()
				}
			}
			if name == "readPoint" {
				e.ReadPoint = l
			} else {
				e.BizLocation = l
			}
		case "bizTransactionList":
			for _, c := range unwrapXML(k.kids) {
				t, _ := c.attr("type")
				e.BizTransactionList = append(e.BizTransactionList, BizTransaction{Type: t, Value: c.trimmed()})
			}
		case "sourceList", "destinationList":
			var sds []SourceDest
			for _, c := range unwrapXML(k.kids) {
				t, _ := c.attr("type")
				sds = append(sds, SourceDest{Type: t, Value: c.trimmed()})
			}
			if name == "sourceList" {
				e.SourceList = sds
			} else {
				e.DestinationList = sds
			}
		case "sensorElementList":
			for _, c := range unwrapXML(k.kids) {
				e.SensorElementList = append(e.SensorElementList, r.sensorElement(c))
			}
		case "ilmd":
			for _, c := range unwrapXML(k.kids) {
				r.ext(c, &e.ILMD)
			}
		default:
			r.fault(name, "unknown element")
		}
	}
	return e
}

func (r xmlReader) quantities(x *xmlElem) []Quantity {
	qs := []Quantity{}
	for _, c := range unwrapXML(x.kids) {
		var q Quantity
		for _, f := range unwrapXML(c.kids) {
			switch {
			case r.ext(f, &q.Extensions):
			case f.name.Local == "epcClass":
				q.EPCClass = f.trimmed()
			case f.name.Local == "quantity":
				q.Quantity = f.trimmed()
			case f.name.Local == "uom":
				q.UOM = f.trimmed()
			}
		}
		qs = append(qs, q)
	}
	return qs
}

func (r xmlReader) sensorElement(x *xmlElem) SensorElement {
	var se SensorElement
	for _, c := range unwrapXML(x.kids) {
		switch {
		case r.ext(c, &se.Extensions):
		case c.name.Local == "sensorMetadata":
			m := &SensorMetadata{}
			fields := map[string]*string{
				"time": &m.Time, "startTime": &m.StartTime, "endTime": &m.EndTime,
				"deviceID": &m.DeviceID, "deviceMetadata": &m.DeviceMetadata, "rawData": &m.RawData,
				"dataProcessingMethod": &m.DataProcessingMethod, "bizRules": &m.BizRules,
			}
			for _, a := range c.attrs {
				if p, ok := fields[a.Name.Local]; ok && a.Name.Space == "" {
					*p = a.Value
				}
			}
			r.extAttrs("sensorMetadata", c, &m.Extensions, func(n string) bool { return fields[n] != nil })
			for _, f := range unwrapXML(c.kids) {
				r.ext(f, &m.Extensions)
			}
			se.Metadata = m
		case c.name.Local == "sensorReport":
			var s SensorReport
			strs, nums := s.stringFields(), s.numberFields()
			for _, a := range c.attrs {
				if a.Name.Space != "" {
					continue
				}
				if p, ok := strs[a.Name.Local]; ok {
					*p = a.Value
				} else if p, ok := nums[a.Name.Local]; ok {
					*p = a.Value
				} else if a.Name.Local == "booleanValue" {
					s.BooleanValue = a.Value
				}
			}
			r.extAttrs("sensorReport", c, &s.Extensions, func(n string) bool {
				return strs[n] != nil || nums[n] != nil || n == "booleanValue"
			})
			for _, f := range unwrapXML(c.kids) {
				r.ext(f, &s.Extensions)
			}
			se.Reports = append(se.Reports, s)
		}
	}
	return se
}
