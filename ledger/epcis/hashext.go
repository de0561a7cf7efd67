package epcis

import "strings"

// Nested extension values (an object or an array, such as an inspection report with
// its items) take the general algorithm's longest way: the value is parsed, expanded,
// turned into the reference's element tree, reshaped (correctStructure) and flattened
// (leftovers), a few allocations per member. For the values whose every member name
// has a colon (a prefixed name or an absolute IRI, as extension names are) and does not
// end in "List", and which have no array directly inside an array, none of those steps
// does anything but this, and preHasher writes it straight from the parsed value:
//
//   - a member is an element named after its (expanded) name; an array member is one
//     such element per item, and an empty one none;
//   - a scalar's element is "name=value" (value as pyStr writes it, prefixes expanded
//     in strings, trimmed and canonicalised; nothing after the name when blank);
//   - an object's element is its name followed by its members' elements, sorted;
//   - JSON-LD comments are left out.
//
// The names rule out what the reshaping acts on ("…List" groups, childEPCs, the
// inputEPC/outputEPC and quantity renames), the "type" and "#text" members the tree
// reads specially, and the (type, value) couple names, which keep their order.
// TestPreHashWriterMatchesTree and FuzzPreHashWriter hold it to the general path.

// nestedExtension writes the extension field named name with the JSON value raw (an
// object or an array) as the general path writes it, one span per element, when the
// value is of the plain shape above; it reports false, having written nothing, when
// not.
func (w *preHasher) nestedExtension(name string, raw []byte) bool {
	p := getParser(raw)
	defer p.release(true) // nothing is kept of the tree
	v, err := p.parseAll()
	if err != nil || !plainNested(v, false) {
		return false
	}
	w.elements(name, v)
	return true
}

// plainNested reports whether v is of the plain shape; inArray says it is an item of
// an array.
func plainNested(v value, inArray bool) bool {
	switch v.kind {
	case kindArray:
		if inArray {
			return false
		}
		for _, e := range v.arr {
			if !plainNested(e, true) {
				return false
			}
		}
	case kindObject:
		for _, m := range v.obj {
			if isComment(m.key) {
				continue
			}
			if strings.IndexByte(m.key, ':') < 0 || strings.HasSuffix(m.key, "List") || !plainNested(m.val, false) {
				return false
			}
		}
	}
	return true
}

// elements writes the elements of a member named name with value v, one span each.
func (w *preHasher) elements(name string, v value) {
	if v.kind != kindArray {
		s := len(w.b)
		w.element(name, v)
		w.spans = append(w.spans, span{s, len(w.b)})
		return
	}
	for _, e := range v.arr {
		s := len(w.b)
		w.element(name, e)
		w.spans = append(w.spans, span{s, len(w.b)})
	}
}

// element writes one element: its name, then its value or its members' elements,
// sorted.
func (w *preHasher) element(name string, v value) {
	w.expandedKey(name)
	switch v.kind {
	case kindObject:
		start, base := len(w.b), len(w.spans)
		for _, m := range v.obj {
			if !isComment(m.key) {
				w.elements(m.key, m.val)
			}
		}
		w.sortSpans(start, base)
	case kindString:
		w.leftoverText(w.expandValue(v.str))
	default:
		w.leftoverText(pyStr(v))
	}
}
