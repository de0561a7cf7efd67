package epcis

import (
	"slices"
	"strings"
)

// A node is the simple tree the CBV 2.0 event hash is computed over: an element name,
// its text and its children, as the reference implementation
// (RalphTro/epcis-event-hash-generator) models both XML and JSON-LD events. A pair node
// stands for the (type, value) couples of bizTransactionList, sourceList and
// destinationList and has no name of its own.
type node struct {
	name string
	text string
	kids []*node
	pair bool
}

// jsonToTree converts a JSON value to the tree exactly as the reference's JSON reader
// does: an object's "type" member names the node (members of list-valued keys become
// siblings named after the key), scalars become text, JSON-LD comments are dropped and
// children are sorted unless they are a (type, value) couple.
func jsonToTree(v value) *node {
	n := &node{}
	switch v.kind {
	case kindArray:
		for _, e := range v.arr {
			n.kids = append(n.kids, jsonToTree(e))
		}
		couple := false
		for _, e := range v.arr {
			if e.kind == kindString && isCoupleKey(e.str) {
				couple = true
			}
		}
		if !couple {
			sortNodes(n.kids)
		}
		return n
	case kindObject:
		if t, ok := v.get("type"); ok {
			n.name = pyStr(t)
		}
		if t, ok := v.get("#text"); ok {
			n.text = pyStr(t)
		}
		couple := false
		for _, m := range v.obj {
			if isCoupleKey(m.key) {
				couple = true
			}
			switch m.key {
			case "#text", "rdfs:comment", "comment":
				continue
			}
			child := jsonToTree(m.val)
			if m.val.kind == kindArray {
				for _, e := range child.kids {
					n.kids = append(n.kids, &node{name: m.key, text: e.text, kids: e.kids})
				}
			} else {
				child.name = m.key
				n.kids = append(n.kids, child)
			}
		}
		if !couple {
			sortNodes(n.kids)
		}
		return n
	default:
		n.text = pyStr(v)
		return n
	}
}

func isCoupleKey(k string) bool {
	return k == "bizTransaction" || k == "source" || k == "destination"
}

// pyStr is the text Python's str() gives a JSON scalar in the reference.
func pyStr(v value) string {
	switch v.kind {
	case kindNull:
		return "None"
	case kindBool:
		if v.str == "true" {
			return "True"
		}
		return "False"
	case kindString, kindNumber:
		return v.str
	}
	return ""
}

// sortNodes orders nodes as Python orders (name, text, children) tuples.
func sortNodes(ns []*node) {
	slices.SortStableFunc(ns, compareNodes)
}

func compareNodes(a, b *node) int {
	if c := strings.Compare(a.name, b.name); c != 0 {
		return c
	}
	if c := strings.Compare(a.text, b.text); c != 0 {
		return c
	}
	for i := 0; i < len(a.kids) && i < len(b.kids); i++ {
		if c := compareNodes(a.kids[i], b.kids[i]); c != 0 {
			return c
		}
	}
	return len(a.kids) - len(b.kids)
}

// correctStructure maps the JSON-LD shape onto the XML shape, as the reference's
// json_xml_model_mismatch_correction does: members of "xxxList" become one "xxxList"
// element with "xxx" children ((type, value) couples for bizTransactionList, sourceList
// and destinationList), childEPCs become one element of "epc" children, and
// inputEPC/outputEPC and the quantity elements get their XML names.
//
// Extension elements read from XML keep their XML shape: the reference corrects only
// what it read from JSON.
func correctStructure(n *node, fromXML bool) *node {
	if fromXML && strings.Contains(n.name, "}") {
		return n
	}
	kids := n.kids
	type group struct {
		name  string
		items []*node
	}
	var groups []*group
	index := map[string]*group{}
	var rest []*node
	for _, k := range kids {
		if !k.pair && strings.HasSuffix(k.name, "List") && !(fromXML && strings.Contains(k.name, "}")) {
			g := index[k.name]
			if g == nil {
				g = &group{name: k.name}
				index[k.name] = g
				groups = append(groups, g)
			}
			g.items = append(g.items, &node{name: k.name[:len(k.name)-4], text: k.text, kids: k.kids})
			continue
		}
		rest = append(rest, k)
	}
	for _, g := range groups {
		if isCoupleList(g.name) {
			l := &node{name: g.name}
			for _, it := range g.items {
				p := &node{pair: true}
				if len(it.kids) > 2 {
					p.kids = it.kids[:2]
				} else {
					p.kids = it.kids
				}
				l.kids = append(l.kids, p)
			}
			rest = append(rest, l)
		} else {
			rest = append(rest, &node{name: g.name, kids: g.items})
		}
	}
	var epcs []*node
	kept := rest[:0]
	for _, k := range rest {
		if !k.pair && k.name == "childEPCs" {
			epcs = append(epcs, &node{name: "epc", text: k.text})
			continue
		}
		kept = append(kept, k)
	}
	rest = kept
	if len(epcs) > 0 {
		rest = append(rest, &node{name: "childEPCs", kids: epcs})
	}
	out := &node{name: n.name, text: n.text, pair: n.pair}
	for _, k := range rest {
		if !k.pair && isCoupleList(k.name) {
			out.kids = append(out.kids, k)
		} else {
			out.kids = append(out.kids, correctStructure(k, fromXML))
		}
	}
	switch out.name {
	case "inputEPC", "outputEPC":
		out.name = "epc"
	case "inputQuantity", "outputQuantity", "childQuantity":
		out.name = "quantityElement"
	case "quantity":
		if len(out.kids) > 0 {
			out.name = "quantityElement"
		}
	}
	return out
}

func isCoupleList(name string) bool {
	return name == "sourceList" || name == "destinationList" || name == "bizTransactionList"
}
