package epcis

import (
	"slices"
	"sync"
)

// The stored form of every event is written by MarshalJSON, once per capture. The
// general way (jsonValue, then the value's encoding, and before that a second
// jsonValue to find the namespace prefixes the event uses) builds the event twice as
// a tree. jsonWriter writes the same bytes straight from the fields, noting the
// prefixes as it goes, and puts the @context in front at the end.
// TestMarshalJSONMatchesTree and FuzzMarshalJSON hold it to the tree form.

// A jsonWriter appends one event's JSON-LD form.
type jsonWriter struct {
	b []byte
	e *Event
	// comma says the next member or element needs a separator.
	comma bool
	// used are the declared prefixes the event uses, each once.
	used []string
}

var jsonWriters = sync.Pool{New: func() any { return &jsonWriter{b: make([]byte, 0, 2048)} }}

// marshalEvent writes e as MarshalJSON does.
func marshalEvent(e *Event) []byte {
	w := jsonWriters.Get().(*jsonWriter)
	w.b, w.e, w.comma, w.used = w.b[:0], e, false, w.used[:0]
	w.event()
	var out []byte
	if len(w.used) == 0 {
		out = slices.Clone(w.b)
	} else {
		slices.Sort(w.used)
		size := len(w.b) + len(ContextURL) + 32
		for _, p := range w.used {
			size += len(p) + len(e.Namespaces[p]) + 6
		}
		out = make([]byte, 0, size)
		out = append(out, `{"@context":[`...)
		out = appendJSONString(out, ContextURL)
		out = append(out, ",{"...)
		for i, p := range w.used {
			if i > 0 {
				out = append(out, ',')
			}
			out = appendJSONString(out, p)
			out = append(out, ':')
			out = appendJSONString(out, e.Namespaces[p])
		}
		out = append(out, "}]"...)
		if len(w.b) > 2 { // the event has members of its own
			out = append(out, ',')
		}
		out = append(out, w.b[1:]...)
	}
	if cap(w.b) <= 64<<10 {
		w.e = nil
		clear(w.used)
		jsonWriters.Put(w)
	}
	return out
}

// noteValue records the prefix of a compact IRI value ("ex:summarising") when the
// event declares it.
func (w *jsonWriter) noteValue(s string) {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			if i > 0 {
				w.note(s[:i])
			}
			return
		}
	}
}

// noteKey records the prefix of an extension name when the event declares it.
func (w *jsonWriter) noteKey(k string) {
	if p, _, ok := prefixOf(k); ok {
		w.note(p)
	}
}

func (w *jsonWriter) note(p string) {
	if _, declared := w.e.Namespaces[p]; declared && !slices.Contains(w.used, p) {
		w.used = append(w.used, p)
	}
}

// open starts an object or array and returns the enclosing separator state for close.
func (w *jsonWriter) open(c byte) bool {
	w.b = append(w.b, c)
	prev := w.comma
	w.comma = false
	return prev
}

func (w *jsonWriter) close(c byte, prev bool) {
	w.b = append(w.b, c)
	w.comma = prev
}

// key starts a member.
func (w *jsonWriter) key(k string) {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.comma = true
	w.noteKey(k)
	w.b = appendJSONString(w.b, k)
	w.b = append(w.b, ':')
}

// elem starts an array element.
func (w *jsonWriter) elem() {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.comma = true
}

func (w *jsonWriter) text(s string) {
	w.noteValue(s)
	w.b = appendJSONString(w.b, s)
}

func (w *jsonWriter) str(k, s string) {
	if s != "" {
		w.key(k)
		w.text(s)
	}
}

func (w *jsonWriter) strs(k string, ss []string) {
	if ss == nil {
		return
	}
	w.key(k)
	prev := w.open('[')
	for _, s := range ss {
		w.elem()
		w.text(s)
	}
	w.close(']', prev)
}

// num writes a number, or a string when s is not a JSON number (as objBuilder.num).
func (w *jsonWriter) num(k, s string) {
	switch {
	case s == "":
	case isJSONNumber(s):
		w.key(k)
		w.b = append(w.b, s...)
	default:
		w.key(k)
		w.text(s)
	}
}

// value writes a JSON value, noting the prefixes in its member names and strings.
func (w *jsonWriter) value(v value) {
	w.notePrefixes(v)
	w.b = v.appendJSON(w.b)
}

func (w *jsonWriter) notePrefixes(v value) {
	switch v.kind {
	case kindString:
		w.noteValue(v.str)
	case kindArray:
		for _, e := range v.arr {
			w.notePrefixes(e)
		}
	case kindObject:
		for _, m := range v.obj {
			w.noteKey(m.key)
			w.notePrefixes(m.val)
		}
	}
}

// ext writes extension fields as objBuilder.ext does outside the hash form.
func (w *jsonWriter) ext(fs []Field) {
	for _, fld := range fs {
		w.key(fld.Name)
		if v, ok := scalarJSON(fld.Value); ok {
			if v.kind == kindString {
				w.text(v.str)
			} else {
				w.b = append(w.b, fld.Value...)
			}
			continue
		}
		v, err := parseValue(fld.Value)
		if err != nil {
			v = value{kind: kindString, str: string(fld.Value)}
		}
		w.value(v)
	}
}

func (w *jsonWriter) quantities(k string, qs []Quantity) {
	if qs == nil {
		return
	}
	w.key(k)
	prev := w.open('[')
	for _, q := range qs {
		w.elem()
		p := w.open('{')
		w.str("epcClass", q.EPCClass)
		w.num("quantity", q.Quantity)
		w.str("uom", q.UOM)
		w.ext(q.Extensions)
		w.close('}', p)
	}
	w.close(']', prev)
}

func (w *jsonWriter) location(k string, l *Location) {
	if l == nil {
		return
	}
	w.key(k)
	prev := w.open('{')
	w.str("id", l.ID)
	w.ext(l.Extensions)
	w.close('}', prev)
}

func (w *jsonWriter) sourceDest(k, vk string, sds []SourceDest) {
	if len(sds) == 0 {
		return
	}
	w.key(k)
	prev := w.open('[')
	for _, sd := range sds {
		w.elem()
		p := w.open('{')
		w.str("type", sd.Type)
		w.str(vk, sd.Value)
		w.close('}', p)
	}
	w.close(']', prev)
}

// event writes the members of jsonValue(form{}) in its order.
func (w *jsonWriter) event() {
	e := w.e
	prev := w.open('{')
	w.str("type", e.Type)
	w.str("eventTime", e.EventTime)
	w.str("eventTimeZoneOffset", e.EventTimeZoneOffset)
	w.str("recordTime", e.RecordTime)
	w.str("eventID", e.EventID)
	switch len(e.CertificationInfo) {
	case 0:
	case 1:
		w.str("certificationInfo", e.CertificationInfo[0])
	default:
		w.strs("certificationInfo", e.CertificationInfo)
	}
	if d := e.ErrorDeclaration; d != nil {
		sub := &objBuilder{}
		sub.str("declarationTime", d.DeclarationTime)
		sub.vocab("reason", d.Reason, ErrorReasons)
		sub.strs("correctiveEventIDs", d.CorrectiveEventIDs, nil)
		sub.ext(d.Extensions)
		w.key("errorDeclaration")
		w.value(sub.value())
	}
	w.str("parentID", e.ParentID)
	w.strs("epcList", e.EPCList)
	w.strs("childEPCs", e.ChildEPCs)
	w.strs("inputEPCList", e.InputEPCList)
	w.strs("outputEPCList", e.OutputEPCList)
	w.quantities("quantityList", e.QuantityList)
	w.quantities("childQuantityList", e.ChildQuantityList)
	w.quantities("inputQuantityList", e.InputQuantityList)
	w.quantities("outputQuantityList", e.OutputQuantityList)
	w.str("action", e.Action)
	w.str("transformationID", e.TransformationID)
	w.str("bizStep", e.BizStep)
	w.str("disposition", e.Disposition)
	if pd := e.PersistentDisposition; pd != nil {
		w.key("persistentDisposition")
		p := w.open('{')
		w.strs("set", pd.Set)
		w.strs("unset", pd.Unset)
		w.close('}', p)
	}
	w.location("readPoint", e.ReadPoint)
	w.location("bizLocation", e.BizLocation)
	if len(e.BizTransactionList) > 0 {
		w.key("bizTransactionList")
		p := w.open('[')
		for _, bt := range e.BizTransactionList {
			w.elem()
			q := w.open('{')
			w.str("type", bt.Type)
			w.str("bizTransaction", bt.Value)
			w.close('}', q)
		}
		w.close(']', p)
	}
	w.sourceDest("sourceList", "source", e.SourceList)
	w.sourceDest("destinationList", "destination", e.DestinationList)
	if len(e.SensorElementList) > 0 {
		o := &objBuilder{}
		w.key("sensorElementList")
		p := w.open('[')
		for _, se := range e.SensorElementList {
			w.elem()
			w.value(o.sensorElement(se))
		}
		w.close(']', p)
	}
	if len(e.ILMD) > 0 {
		w.key("ilmd")
		p := w.open('{')
		w.ext(e.ILMD)
		w.close('}', p)
	}
	w.ext(e.Extensions)
	if len(e.HashIgnore) > 0 {
		w.strs(ignoreFieldsKey(e.HashIgnore), e.HashIgnore)
	}
	w.close('}', prev)
}
