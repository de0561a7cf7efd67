package epcis

import (
	"sort"
	"strings"
)

// form says how jsonValue writes an event: as stored and exchanged (JSON-LD, values
// as they are), or as the event hash sees it (namespaces expanded to "{iri}local",
// CBV values as web URIs, fields the hash ignores left out).
type form struct {
	hash bool
	// ns resolves prefixes in hash form.
	ns map[string]string
	// xml applies the reference's XML reading: booleans as written, only gs1: and cbv:
	// expanded in values.
	xml bool
	// ignore names top-level extension fields the hash leaves out.
	ignore map[string]bool
}

// isComment reports whether a member is a JSON-LD comment, which the hash ignores.
func isComment(k string) bool { return k == "comment" || k == "rdfs:comment" }

// jsonValue renders the event as an ordered JSON object in the EPCIS 2.0 JSON-LD member
// names.
func (e *Event) jsonValue(f form) value {
	o := &objBuilder{f: f}
	o.str("type", e.Type)
	o.str("eventTime", e.EventTime)
	o.str("eventTimeZoneOffset", e.EventTimeZoneOffset)
	if !f.hash {
		o.str("recordTime", e.RecordTime)
		o.str("eventID", e.EventID)
	}
	switch len(e.CertificationInfo) {
	case 0:
	case 1:
		o.str("certificationInfo", e.CertificationInfo[0])
	default:
		o.strs("certificationInfo", e.CertificationInfo, nil)
	}
	if d := e.ErrorDeclaration; d != nil && !f.hash {
		sub := &objBuilder{f: f}
		sub.str("declarationTime", d.DeclarationTime)
		sub.vocab("reason", d.Reason, ErrorReasons)
		sub.strs("correctiveEventIDs", d.CorrectiveEventIDs, nil)
		sub.ext(d.Extensions)
		o.add("errorDeclaration", sub.value())
	}
	o.str("parentID", e.ParentID)
	o.strs("epcList", e.EPCList, nil)
	o.strs("childEPCs", e.ChildEPCs, nil)
	o.strs("inputEPCList", e.InputEPCList, nil)
	o.strs("outputEPCList", e.OutputEPCList, nil)
	o.quantities("quantityList", e.QuantityList)
	o.quantities("childQuantityList", e.ChildQuantityList)
	o.quantities("inputQuantityList", e.InputQuantityList)
	o.quantities("outputQuantityList", e.OutputQuantityList)
	o.str("action", e.Action)
	o.str("transformationID", e.TransformationID)
	o.vocab("bizStep", e.BizStep, BizSteps)
	o.vocab("disposition", e.Disposition, Dispositions)
	if pd := e.PersistentDisposition; pd != nil {
		sub := &objBuilder{f: f}
		sub.strs("set", pd.Set, Dispositions)
		sub.strs("unset", pd.Unset, Dispositions)
		o.add("persistentDisposition", sub.value())
	}
	o.location("readPoint", e.ReadPoint)
	o.location("bizLocation", e.BizLocation)
	if len(e.BizTransactionList) > 0 {
		l := value{kind: kindArray}
		for _, bt := range e.BizTransactionList {
			sub := &objBuilder{f: f}
			sub.vocab("type", bt.Type, BizTransactionTypes)
			sub.str("bizTransaction", bt.Value)
			l.arr = append(l.arr, sub.value())
		}
		o.add("bizTransactionList", l)
	}
	o.sourceDest("sourceList", "source", e.SourceList)
	o.sourceDest("destinationList", "destination", e.DestinationList)
	if len(e.SensorElementList) > 0 {
		l := value{kind: kindArray}
		for _, se := range e.SensorElementList {
			l.arr = append(l.arr, o.sensorElement(se))
		}
		o.add("sensorElementList", l)
	}
	if len(e.ILMD) > 0 {
		sub := &objBuilder{f: f}
		sub.ext(e.ILMD)
		o.add("ilmd", sub.value())
	}
	o.ext(e.Extensions)
	if len(e.HashIgnore) > 0 && !f.hash {
		o.strs(ignoreFieldsKey(e.HashIgnore), e.HashIgnore, nil)
	}
	return o.value()
}

// ignoreFieldsKey names the member that carries an event's HashIgnore list: an
// extension field "prefix:ignoreFields" under the prefix of the first ignored name that
// has one, which is declared since that name uses it; "_:ignoreFields" when none has
// (the reader takes "…:ignoreFields" under any prefix, and must, or the list and with
// it the hash would be lost on reading the event back).
func ignoreFieldsKey(names []string) string {
	for _, n := range names {
		if p, _, ok := prefixOf(n); ok {
			return p + ":ignoreFields"
		}
	}
	return "_:ignoreFields"
}

// objBuilder accumulates the members of one JSON object in order.
type objBuilder struct {
	f       form
	members []member
}

func (o *objBuilder) value() value { return value{kind: kindObject, obj: o.members} }

func (o *objBuilder) add(k string, v value) { o.members = append(o.members, member{k, v}) }

// text is a string value as the form writes it.
func (o *objBuilder) text(s string) value {
	if o.f.hash {
		s = o.f.expandValue(s)
	}
	return value{kind: kindString, str: s}
}

func (o *objBuilder) str(k, s string) {
	if s != "" {
		o.add(k, o.text(s))
	}
}

// num writes a numeric member; text that is not a JSON number (a fault Validate
// reports) is written as a string so that the output stays JSON.
func (o *objBuilder) num(k, s string) {
	switch {
	case s == "":
	case isJSONNumber(s):
		o.add(k, value{kind: kindNumber, str: s})
	default:
		o.add(k, value{kind: kindString, str: s})
	}
}

func (o *objBuilder) vocab(k, s string, voc *Vocabulary) {
	if s == "" {
		return
	}
	o.add(k, o.vocabValue(s, voc))
}

func (o *objBuilder) vocabValue(s string, voc *Vocabulary) value {
	if o.f.hash {
		return value{kind: kindString, str: voc.WebURI(o.f.expandValue(s))}
	}
	return value{kind: kindString, str: s}
}

func (o *objBuilder) strs(k string, ss []string, voc *Vocabulary) {
	if ss == nil {
		return
	}
	l := value{kind: kindArray, arr: []value{}}
	for _, s := range ss {
		if voc != nil {
			l.arr = append(l.arr, o.vocabValue(s, voc))
		} else {
			l.arr = append(l.arr, o.text(s))
		}
	}
	o.add(k, l)
}

func (o *objBuilder) quantities(k string, qs []Quantity) {
	if qs == nil {
		return
	}
	l := value{kind: kindArray, arr: []value{}}
	for _, q := range qs {
		sub := &objBuilder{f: o.f}
		sub.str("epcClass", q.EPCClass)
		sub.num("quantity", q.Quantity)
		sub.str("uom", q.UOM)
		sub.ext(q.Extensions)
		l.arr = append(l.arr, sub.value())
	}
	o.add(k, l)
}

func (o *objBuilder) location(k string, l *Location) {
	if l == nil {
		return
	}
	sub := &objBuilder{f: o.f}
	sub.str("id", l.ID)
	sub.ext(l.Extensions)
	o.add(k, sub.value())
}

func (o *objBuilder) sourceDest(k, vk string, sds []SourceDest) {
	if len(sds) == 0 {
		return
	}
	l := value{kind: kindArray}
	for _, sd := range sds {
		sub := &objBuilder{f: o.f}
		sub.vocab("type", sd.Type, SourceDestTypes)
		sub.str(vk, sd.Value)
		l.arr = append(l.arr, sub.value())
	}
	o.add(k, l)
}

func (o *objBuilder) sensorElement(se SensorElement) value {
	sub := &objBuilder{f: o.f}
	if m := se.Metadata; m != nil {
		mb := &objBuilder{f: o.f}
		mb.str("time", m.Time)
		mb.str("startTime", m.StartTime)
		mb.str("endTime", m.EndTime)
		mb.str("deviceID", m.DeviceID)
		mb.str("deviceMetadata", m.DeviceMetadata)
		mb.str("rawData", m.RawData)
		mb.str("dataProcessingMethod", m.DataProcessingMethod)
		mb.str("bizRules", m.BizRules)
		mb.ext(m.Extensions)
		sub.add("sensorMetadata", mb.value())
	}
	if se.Reports != nil {
		l := value{kind: kindArray, arr: []value{}}
		for _, r := range se.Reports {
			rb := &objBuilder{f: o.f}
			if o.f.hash {
				rb.str("type", gs1VocURI(o.f.expandValue(r.Type)))
				rb.str("exception", gs1VocURI(o.f.expandValue(r.Exception)))
			} else {
				rb.str("type", r.Type)
				rb.str("exception", r.Exception)
			}
			rb.str("deviceID", r.DeviceID)
			rb.str("deviceMetadata", r.DeviceMetadata)
			rb.str("rawData", r.RawData)
			rb.str("dataProcessingMethod", r.DataProcessingMethod)
			rb.str("time", r.Time)
			rb.str("microorganism", r.Microorganism)
			rb.str("chemicalSubstance", r.ChemicalSubstance)
			rb.num("value", r.Value)
			rb.vocab("component", r.Component, Components)
			rb.str("stringValue", r.StringValue)
			if r.BooleanValue != "" {
				if o.f.xml {
					rb.add("booleanValue", value{kind: kindString, str: r.BooleanValue})
				} else {
					rb.add("booleanValue", value{kind: kindBool, str: r.BooleanValue})
				}
			}
			rb.str("hexBinaryValue", r.HexBinaryValue)
			rb.str("uriValue", r.URIValue)
			rb.num("minValue", r.MinValue)
			rb.num("maxValue", r.MaxValue)
			rb.num("meanValue", r.MeanValue)
			rb.num("sDev", r.SDev)
			rb.num("percRank", r.PercRank)
			rb.num("percValue", r.PercValue)
			rb.str("uom", r.UOM)
			rb.str("coordinateReferenceSystem", r.CoordinateReferenceSystem)
			rb.str("bizRules", r.BizRules)
			rb.ext(r.Extensions)
			l.arr = append(l.arr, rb.value())
		}
		sub.add("sensorReport", l)
	}
	sub.ext(se.Extensions)
	return sub.value()
}

// ext appends extension fields; in hash form their names and nested names become
// "{namespace}local" and prefixed values are expanded.
func (o *objBuilder) ext(fs []Field) {
	for _, fld := range fs {
		if o.f.hash && (isComment(fld.Name) || o.f.ignore[fld.Name]) {
			continue
		}
		v, err := parseValue(fld.Value)
		if err != nil {
			v = value{kind: kindString, str: string(fld.Value)}
		}
		if o.f.hash {
			o.add(o.f.expandKey(fld.Name), o.f.expandTree(v))
		} else {
			o.add(fld.Name, v)
		}
	}
}

// expandKey turns "prefix:local" into "{iri}local" when the prefix is declared.
func (f form) expandKey(k string) string {
	if p, local, ok := prefixOf(k); ok {
		if iri, ok := f.ns[p]; ok {
			return "{" + iri + "}" + local
		}
	}
	return k
}

// expandValue turns a string "prefix:local" into "iri" + "local" when the prefix is
// declared.
func (f form) expandValue(s string) string {
	if f.xml {
		switch {
		case strings.HasPrefix(s, "gs1:"):
			return gs1Voc + s[4:]
		case strings.HasPrefix(s, "cbv:"):
			return "https://ref.gs1.org/cbv/" + s[4:]
		}
		return s
	}
	if i := strings.IndexByte(s, ':'); i > 0 {
		if iri, ok := f.ns[s[:i]]; ok {
			return iri + s[i+1:]
		}
	}
	return s
}

func (f form) expandTree(v value) value {
	switch v.kind {
	case kindString:
		return value{kind: kindString, str: f.expandValue(v.str)}
	case kindArray:
		out := value{kind: kindArray, arr: make([]value, len(v.arr))}
		for i, e := range v.arr {
			out.arr[i] = f.expandTree(e)
		}
		return out
	case kindObject:
		out := value{kind: kindObject, obj: []member{}}
		for _, m := range v.obj {
			k := m.key
			if isComment(k) {
				continue
			}
			if k != "type" && k != "#text" {
				k = f.expandKey(k)
			}
			out.obj = append(out.obj, member{k, f.expandTree(m.val)})
		}
		return out
	}
	return v
}

// hashTree is the event as the CBV 2.0 hash algorithm walks it.
func (e *Event) hashTree() *node {
	f := form{hash: true, ns: e.Namespaces, xml: e.fromXML}
	if len(e.HashIgnore) > 0 {
		f.ignore = map[string]bool{}
		for _, n := range e.HashIgnore {
			f.ignore[n] = true
		}
	}
	v := e.jsonValue(f)
	t := correctStructure(jsonToTree(v), e.fromXML)
	t.name = e.Type
	return t
}

// usedPrefixes lists, sorted, the declared prefixes the event uses, in extension names
// and in compact IRI values ("ex:summarising", which the hash expands).
func (e *Event) usedPrefixes() []string {
	seen := map[string]bool{}
	var walk func(v value)
	note := func(k string) {
		if p, _, ok := prefixOf(k); ok {
			if _, declared := e.Namespaces[p]; declared {
				seen[p] = true
			}
		}
	}
	walk = func(v value) {
		if v.kind == kindString {
			if i := strings.IndexByte(v.str, ':'); i > 0 {
				if _, declared := e.Namespaces[v.str[:i]]; declared {
					seen[v.str[:i]] = true
				}
			}
		}
		for _, a := range v.arr {
			walk(a)
		}
		for _, m := range v.obj {
			note(m.key)
			walk(m.val)
		}
	}
	walk(e.jsonValue(form{}))
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
