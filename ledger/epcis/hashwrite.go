package epcis

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// The event hash is on the ledger's hot path twice: once when an event is captured
// and once more for every entry verify re-checks. The general algorithm (hashtree.go,
// prehash.go) mirrors the reference implementation step by step: it renders the
// event as a JSON tree, converts that to an element tree, reshapes it as the reference
// reshapes JSON into its XML model and then flattens it, allocating a few hundred
// objects per event. preHasher writes the same pre-hash straight from the Event's
// fields into one pooled buffer, for the events the ledger stores: read from JSON-LD,
// no sensor data, no extension fields inside quantity elements or locations, and
// extension names that the reference's reshaping leaves alone. Anything else takes
// the general path, which also serves as its oracle: TestPreHashWriterMatchesTree and
// FuzzPreHashWriter hold the two to the same output.
//
// What the general path does to such an event, and so what preHasher writes:
// "eventType=" and the type; then the standard fields in the order of propOrder, each
// as "name=value" with the value trimmed and canonicalised (eventTime as hashTime,
// everything else as canonicalValue, CBV values as web URIs first), lists as their
// name followed by their items sorted, a quantity element as "quantityElement"
// followed by its epcClass, quantity and uom, fields whose values are all empty left
// out; then, sorted among themselves, the fields the order leaves over:
// bizTransactionList, sourceList and destinationList (their name, then their (type,
// value) couples sorted, each couple in its own order), "ilmd" followed by its
// fields sorted, and the event's extension fields, each "{namespace}name=value" or
// its name followed by its children as the general leftovers rule writes them.

// A span is one item written to the buffer, to be sorted among its siblings.
type span struct{ start, end int }

// A preHasher writes pre-hash strings; it is pooled with its buffers.
type preHasher struct {
	b       []byte
	spans   []span
	scratch []byte
	f       form
	// unbound are the last two value prefixes found undeclared ("https" and "urn"
	// mostly), so that the next values with them skip the namespace lookup.
	unbound [2]string
	// keyPrefix is the last name prefix looked up, keyIRI and keyBound what the
	// namespaces say of it: extension names mostly share one or two prefixes.
	keyPrefix, keyIRI string
	keyBound          bool
}

var preHasherPool = sync.Pool{New: func() any {
	return &preHasher{b: make([]byte, 0, 2048), spans: make([]span, 0, 32)}
}}

// getPreHasher takes a pooled writer for an event whose namespaces are ns. (It keeps
// no pointer to the event, which may be on its caller's stack.)
func getPreHasher(ns map[string]string) *preHasher {
	w := preHasherPool.Get().(*preHasher)
	w.b, w.spans, w.unbound = w.b[:0], w.spans[:0], [2]string{}
	w.keyPrefix, w.keyIRI, w.keyBound = "", "", false
	w.f = form{hash: true, ns: ns}
	return w
}

func (w *preHasher) release() {
	if cap(w.b) > 64<<10 {
		return // let an outsized buffer go rather than keep it pooled
	}
	w.f, w.unbound = form{}, [2]string{}
	w.keyPrefix, w.keyIRI, w.keyBound = "", "", false
	preHasherPool.Put(w)
}

// fastPreHash reports whether the event is one preHasher writes.
func (e *Event) fastPreHash() bool {
	if e.fromXML || e.EventTime == "" || len(e.SensorElementList) > 0 {
		return false
	}
	for _, l := range [...][]Quantity{e.QuantityList, e.ChildQuantityList, e.InputQuantityList, e.OutputQuantityList} {
		for _, q := range l {
			if len(q.Extensions) > 0 || q.EPCClass == "" && q.Quantity == "" && q.UOM == "" {
				return false
			}
		}
	}
	for _, l := range [...]*Location{e.ReadPoint, e.BizLocation} {
		if l != nil && len(l.Extensions) > 0 {
			return false
		}
	}
	for _, fs := range [...][]Field{e.ILMD, e.Extensions} {
		for _, fld := range fs {
			if e.hashIgnores(fld.Name) {
				continue
			}
			// A name without a namespace could be taken for a standard one, and one
			// ending in "List" is regrouped by the reference's reshaping. (Expanding
			// a prefix gives "{iri}local": a name with a colon stays one with a
			// colon or a brace, and keeps its ending.)
			if strings.IndexByte(fld.Name, ':') < 0 && strings.IndexByte(fld.Name, '{') < 0 ||
				strings.HasSuffix(fld.Name, "List") {
				return false
			}
		}
	}
	return true
}

// hashIgnores reports whether the hash leaves out the extension field named name.
func (e *Event) hashIgnores(name string) bool {
	return isComment(name) || slices.Contains(e.HashIgnore, name)
}

// write writes the pre-hash of e (fastPreHash must hold).
func (w *preHasher) write(e *Event) {
	w.b = append(w.b, "eventType="...)
	w.b = append(w.b, e.Type...)
	w.timeLeaf("eventTime", e.EventTime)
	w.leaf("eventTimeZoneOffset", e.EventTimeZoneOffset, nil)
	w.leaves("certificationInfo", e.CertificationInfo, nil)
	w.leaf("parentID", e.ParentID, nil)
	w.list("epcList", e.EPCList)
	w.list("inputEPCList", e.InputEPCList)
	w.list("childEPCs", e.ChildEPCs)
	w.quantities("quantityList", e.QuantityList)
	w.quantities("childQuantityList", e.ChildQuantityList)
	w.quantities("inputQuantityList", e.InputQuantityList)
	w.list("outputEPCList", e.OutputEPCList)
	w.quantities("outputQuantityList", e.OutputQuantityList)
	w.leaf("action", e.Action, nil)
	w.leaf("transformationID", e.TransformationID, nil)
	w.leaf("bizStep", e.BizStep, BizSteps)
	w.leaf("disposition", e.Disposition, Dispositions)
	if pd := e.PersistentDisposition; pd != nil {
		w.group("persistentDisposition", func() {
			w.leaves("set", pd.Set, Dispositions)
			w.leaves("unset", pd.Unset, Dispositions)
		})
	}
	for _, l := range [...]struct {
		name string
		loc  *Location
	}{{"readPoint", e.ReadPoint}, {"bizLocation", e.BizLocation}} {
		if l.loc != nil {
			w.group(l.name, func() { w.leaf("id", l.loc.ID, nil) })
		}
	}

	// The leftovers, sorted.
	start, base := len(w.b), len(w.spans)
	if len(e.BizTransactionList) > 0 {
		s := len(w.b)
		w.b = append(w.b, "bizTransactionList"...)
		inner, ib := len(w.b), len(w.spans)
		for _, bt := range e.BizTransactionList {
			w.couple(BizTransactionTypes, bt.Type, "bizTransaction", bt.Value)
		}
		w.sortSpans(inner, ib)
		w.spans = append(w.spans, span{s, len(w.b)})
	}
	// In their sorted order, so that only extension fields can make sortSpans move
	// anything.
	w.sourceDest("destinationList", "destination", e.DestinationList)
	if len(e.ILMD) > 0 {
		s := len(w.b)
		w.b = append(w.b, "ilmd"...)
		inner, ib := len(w.b), len(w.spans)
		w.extensions(e, e.ILMD)
		w.sortSpans(inner, ib)
		w.spans = append(w.spans, span{s, len(w.b)})
	}
	w.sourceDest("sourceList", "source", e.SourceList)
	w.extensions(e, e.Extensions)
	w.sortSpans(start, base)
}

// group writes name followed by what body writes, or nothing when body writes nothing.
func (w *preHasher) group(name string, body func()) {
	mark := len(w.b)
	w.b = append(w.b, name...)
	inner := len(w.b)
	body()
	if len(w.b) == inner {
		w.b = w.b[:mark]
	}
}

// list writes an EPC list: its name, then "epc=…" for each identifier, sorted.
func (w *preHasher) list(name string, ids []string) {
	if len(ids) > 0 {
		w.group(name, func() { w.leaves("epc", ids, nil) })
	}
}

// leaves writes one leaf per value, sorted.
func (w *preHasher) leaves(name string, vals []string, voc *Vocabulary) {
	start, base := len(w.b), len(w.spans)
	for _, v := range vals {
		s := len(w.b)
		if w.leaf(name, v, voc) {
			w.spans = append(w.spans, span{s, len(w.b)})
		}
	}
	w.sortSpans(start, base)
}

// leaf writes "name=value" for a standard field and reports whether it wrote anything
// (an empty or blank value writes nothing).
func (w *preHasher) leaf(name, raw string, voc *Vocabulary) bool {
	if raw == "" {
		return false
	}
	if voc != nil && voc.set.has(raw) {
		// A bare standard value: its web URI is its canonical value.
		w.b = append(w.b, name...)
		w.b = append(w.b, '=')
		w.b = append(w.b, voc.Web...)
		w.b = append(w.b, raw...)
		return true
	}
	text := w.expandValue(raw)
	if voc != nil {
		text = voc.WebURI(text)
	}
	return w.rawLeaf(name, text)
}

// rawLeaf writes "name=value" for text as it is (no prefix expansion).
func (w *preHasher) rawLeaf(name, text string) bool {
	t := pyStrip(text)
	if t == "" {
		return false
	}
	w.b = append(w.b, name...)
	w.b = append(w.b, '=')
	w.canonical(t)
	return true
}

func (w *preHasher) timeLeaf(name, raw string) {
	t := pyStrip(w.expandValue(raw))
	if t == "" {
		return
	}
	w.b = append(w.b, name...)
	w.b = append(w.b, '=')
	var ok bool
	if w.b, ok = appendHashTime(w.b, t); !ok {
		w.b = append(w.b, t...)
	}
}

// canonical appends canonicalValue(t) (t is trimmed).
func (w *preHasher) canonical(t string) {
	if strings.IndexByte(t, ':') < 0 {
		// Neither a CBV URN nor a GS1 identifier (an EPC URI or a web URI) has no
		// colon: of canonicalValue only the number rule applies.
		w.b = append(w.b, hashNumber(t)...)
		return
	}
	if _, _, ok := plainDL(t); ok {
		w.b = append(w.b, t...)
		return
	}
	w.b = append(w.b, canonicalValue(t)...)
}

func (w *preHasher) quantities(name string, qs []Quantity) {
	if len(qs) == 0 {
		return
	}
	w.group(name, func() {
		start, base := len(w.b), len(w.spans)
		for _, q := range qs {
			s := len(w.b)
			w.b = append(w.b, "quantityElement"...)
			inner := len(w.b)
			w.leaf("epcClass", q.EPCClass, nil)
			w.rawLeaf("quantity", q.Quantity)
			w.leaf("uom", q.UOM, nil)
			if len(w.b) == inner {
				w.b = w.b[:s]
				continue
			}
			w.spans = append(w.spans, span{s, len(w.b)})
		}
		w.sortSpans(start, base)
	})
}

func (w *preHasher) sourceDest(name, valueKey string, sds []SourceDest) {
	if len(sds) == 0 {
		return
	}
	s := len(w.b)
	w.b = append(w.b, name...)
	inner, ib := len(w.b), len(w.spans)
	for _, sd := range sds {
		w.couple(SourceDestTypes, sd.Type, valueKey, sd.Value)
	}
	w.sortSpans(inner, ib)
	w.spans = append(w.spans, span{s, len(w.b)})
}

// couple writes one (type, value) couple as the leftovers rule does: each member
// present is written by name, with "=value" when its value is not blank.
func (w *preHasher) couple(voc *Vocabulary, typ, valueKey, val string) {
	s := len(w.b)
	switch {
	case voc.set.has(typ): // bare standard value: its web URI is canonical
		w.b = append(w.b, "type="...)
		w.b = append(w.b, voc.Web...)
		w.b = append(w.b, typ...)
	case typ != "":
		w.leftoverLeaf("type", voc.WebURI(w.expandValue(typ)))
	}
	if val != "" {
		w.leftoverLeaf(valueKey, w.expandValue(val))
	}
	w.spans = append(w.spans, span{s, len(w.b)})
}

// leftoverLeaf writes a leaf the way leftovers does: the name always, "=value" when
// the value is not blank.
func (w *preHasher) leftoverLeaf(name, text string) {
	w.b = append(w.b, name...)
	w.leftoverText(text)
}

func (w *preHasher) leftoverText(text string) {
	if t := pyStrip(text); t != "" {
		w.b = append(w.b, '=')
		w.canonical(t)
	}
}

// expandValue is form.expandValue of the event's form (JSON-LD, hash).
func (w *preHasher) expandValue(s string) string {
	i := strings.IndexByte(s, ':')
	if i <= 0 || len(w.f.ns) == 0 {
		return s
	}
	p := s[:i]
	if p == w.unbound[0] || p == w.unbound[1] {
		return s
	}
	if iri, ok := w.f.ns[p]; ok {
		return iri + s[i+1:]
	}
	w.unbound[0], w.unbound[1] = p, w.unbound[0]
	return s
}

// expandedKey writes form.expandKey(k).
func (w *preHasher) expandedKey(k string) {
	if p, local, ok := prefixOf(k); ok {
		if p != w.keyPrefix { // p is never "": the empty cache matches none
			w.keyIRI, w.keyBound = w.f.ns[p]
			w.keyPrefix = p
		}
		if iri := w.keyIRI; w.keyBound {
			w.b = append(w.b, '{')
			w.b = append(w.b, iri...)
			w.b = append(w.b, '}')
			w.b = append(w.b, local...)
			return
		}
	}
	w.b = append(w.b, k...)
}

// extensions writes extension fields of e as leftovers, one span per element.
func (w *preHasher) extensions(e *Event, fs []Field) {
	for _, fld := range fs {
		if e.hashIgnores(fld.Name) {
			continue
		}
		if body, ok := plainStringJSON(fld.Value); ok && bytes.IndexByte(body, ':') < 0 {
			// A string without a colon: no prefix to expand, and canonicalValue
			// changes nothing in it but a number.
			s := len(w.b)
			w.expandedKey(fld.Name)
			if t := bytes.TrimSpace(body); len(t) > 0 {
				w.b = append(w.b, '=')
				if isDecimal(t) {
					w.b = append(w.b, canonicalValue(string(t))...)
				} else {
					w.b = append(w.b, t...)
				}
			}
			w.spans = append(w.spans, span{s, len(w.b)})
			continue
		}
		if text, ok := scalarJSON(fld.Value); ok {
			s := len(w.b)
			if text.str != "" && text.kind == kindString {
				text.str = w.expandValue(text.str)
			}
			w.expandedKey(fld.Name)
			w.leftoverText(pyStr(text))
			w.spans = append(w.spans, span{s, len(w.b)})
			continue
		}
		if w.nestedExtension(fld.Name, fld.Value) {
			continue
		}
		v, err := parseValue(fld.Value)
		if err != nil {
			v = value{kind: kindString, str: string(fld.Value)}
		}
		key := w.f.expandKey(fld.Name)
		v = w.f.expandTree(v)
		// As jsonToTree makes a member of its parent, and correctStructure reshapes it.
		child := jsonToTree(v)
		var nodes []*node
		if v.kind == kindArray {
			for _, k := range child.kids {
				nodes = append(nodes, &node{name: key, text: k.text, kids: k.kids})
			}
		} else {
			child.name = key
			nodes = []*node{child}
		}
		for _, n := range nodes {
			n = correctStructure(n, false)
			s := len(w.b)
			w.b = append(w.b, n.name...)
			if t := pyStrip(n.text); t != "" {
				w.b = append(w.b, '=')
				w.canonical(t)
			}
			w.b = append(w.b, leftovers(n.kids)...)
			w.spans = append(w.spans, span{s, len(w.b)})
		}
	}
}

// plainStringJSON returns the text of a JSON string written without escapes, as
// parseValue would read it.
func plainStringJSON(raw []byte) ([]byte, bool) {
	n := len(raw)
	if n < 2 || raw[0] != '"' || raw[n-1] != '"' {
		return nil, false
	}
	body := raw[1 : n-1]
	for _, c := range body {
		if c < 0x20 || c == '"' || c == '\\' {
			return nil, false
		}
	}
	return body, utf8.Valid(body)
}

// scalarJSON reads a JSON string without escapes, a number, true, false or null, as
// parseValue would, without allocating; ok is false for anything else.
func scalarJSON(raw []byte) (value, bool) {
	n := len(raw)
	switch {
	case n >= 2 && raw[0] == '"' && raw[n-1] == '"':
		body, ok := plainStringJSON(raw)
		if !ok {
			return value{}, false
		}
		return value{kind: kindString, str: string(body)}, true
	case bytes.Equal(raw, []byte("true")), bytes.Equal(raw, []byte("false")):
		return value{kind: kindBool, str: string(raw)}, true
	case bytes.Equal(raw, []byte("null")):
		return value{kind: kindNull}, true
	case isJSONNumber(raw):
		return value{kind: kindNumber, str: string(raw)}, true
	}
	return value{}, false
}

// isJSONNumber reports whether b is exactly one JSON number,
// -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?.
func isJSONNumber[T string | []byte](b T) bool {
	i, n := 0, len(b)
	if i < n && b[i] == '-' {
		i++
	}
	switch {
	case i < n && b[i] == '0':
		i++
	case i < n && b[i] >= '1' && b[i] <= '9':
		for i < n && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < n && b[i] == '.' {
		i++
		d := i
		for i < n && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < n && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < n && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < n && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	return i == n
}

// sortSpans sorts the items written since start (the spans above base) and drops
// their spans.
func (w *preHasher) sortSpans(start, base int) {
	sp := w.spans[base:]
	cmp := func(a, b span) int { return bytes.Compare(w.b[a.start:a.end], w.b[b.start:b.end]) }
	if len(sp) > 1 && !slices.IsSortedFunc(sp, cmp) {
		slices.SortFunc(sp, cmp)
		w.scratch = append(w.scratch[:0], w.b[start:]...)
		pos := start
		for _, s := range sp {
			pos += copy(w.b[pos:], w.scratch[s.start-start:s.end-start])
		}
	}
	w.spans = w.spans[:base]
}
