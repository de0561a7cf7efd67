package epcis

import (
	"strings"
	"sync"
	"unsafe"
)

// Verify reads every stored event back, and stored events are always in the one form
// MarshalJSON writes: compact JSON, no escapes in the usual strings, members in the
// order of jsonWriter.event, an optional @context first. canonReader reads that form
// straight into the Event's fields in one pass, where the general reader
// (jsonparse.go, then readEvent) first builds the whole value tree and then walks it.
//
// It reads a strict subset of what the general reader reads without a fault, and makes
// the same Event of it (strings with escapes or bytes over 0x7f are read by the general
// reader's own string reader). Anything it does not expect — whitespace, a member out of
// the writer's order or repeated, a JSON type the field does not take, an extension
// value that value.raw would not write back as it is, an error declaration, sensor
// data, extension fields inside quantity elements or locations, an unknown member —
// makes it give up, and ParseEvent reads the input the general way (which also names
// any fault). TestCanonicalReader* and FuzzCanonicalReader hold the two readers to the
// same Event.

// The members of an event in the order jsonWriter.event writes them; canonReader takes
// them in that order only, each at most once, and extension fields (with the
// "…:ignoreFields" list) after all of them.
const (
	rankContext = iota
	rankType
	rankEventTime
	rankEventTimeZoneOffset
	rankRecordTime
	rankEventID
	rankCertificationInfo
	rankParentID
	rankEPCList
	rankChildEPCs
	rankInputEPCList
	rankOutputEPCList
	rankQuantityList
	rankChildQuantityList
	rankInputQuantityList
	rankOutputQuantityList
	rankAction
	rankTransformationID
	rankBizStep
	rankDisposition
	rankPersistentDisposition
	rankReadPoint
	rankBizLocation
	rankBizTransactionList
	rankSourceList
	rankDestinationList
	rankILMD
	rankExtension // repeats: extension fields and ignoreFields lists
	rankUnknown   // a member the canonical reader does not take
)

// memberRank is the rank of an event member name.
func memberRank(k string) int {
	switch k {
	case "@context":
		return rankContext
	case "type":
		return rankType
	case "eventTime":
		return rankEventTime
	case "eventTimeZoneOffset":
		return rankEventTimeZoneOffset
	case "recordTime":
		return rankRecordTime
	case "eventID":
		return rankEventID
	case "certificationInfo":
		return rankCertificationInfo
	case "parentID":
		return rankParentID
	case "epcList":
		return rankEPCList
	case "childEPCs":
		return rankChildEPCs
	case "inputEPCList":
		return rankInputEPCList
	case "outputEPCList":
		return rankOutputEPCList
	case "quantityList":
		return rankQuantityList
	case "childQuantityList":
		return rankChildQuantityList
	case "inputQuantityList":
		return rankInputQuantityList
	case "outputQuantityList":
		return rankOutputQuantityList
	case "action":
		return rankAction
	case "transformationID":
		return rankTransformationID
	case "bizStep":
		return rankBizStep
	case "disposition":
		return rankDisposition
	case "persistentDisposition":
		return rankPersistentDisposition
	case "readPoint":
		return rankReadPoint
	case "bizLocation":
		return rankBizLocation
	case "bizTransactionList":
		return rankBizTransactionList
	case "sourceList":
		return rankSourceList
	case "destinationList":
		return rankDestinationList
	case "ilmd":
		return rankILMD
	case "errorDeclaration", "sensorElementList":
		return rankUnknown // read by the general reader only
	}
	if isExtensionName(k) {
		return rankExtension
	}
	return rankUnknown
}

// canonDepth bounds the nesting of extension values the canonical reader takes, well
// inside the general reader's maxDepth.
const canonDepth = 64

// A canonReader reads one event in canonical form. Its scratch lists are reused from
// event to event: the lists of an Event it returns are copies of them, or, when it
// lends the Event (borrow), the scratch lists themselves, as the Event and its
// locations are the reader's own, and its strings slices of the input itself.
type canonReader struct {
	// data is the input, and src its copy (or, when lending, the input itself): every
	// string of the Event is a slice of src or decoded from it.
	data []byte
	src  string
	pos  int
	// keyPlain says whether the last member name read is written back as it is.
	keyPlain bool
	// scratch is where a string with escapes is written back, to compare.
	scratch []byte
	borrow  bool
	// raw holds the copies of the extension values' JSON text, one allocation for
	// all of an event's (each value capped at its length); a lent Event's are slices
	// of the input.
	raw    []byte
	strs   []string
	quants []Quantity
	fields []Field
	exts   []Field
	sds    []SourceDest
	bts    []BizTransaction
	// ns, locs and pd are the lent Event's storage.
	ns   map[string]string
	locs [2]Location
	pd   PersistentDisposition
}

var canonReaders = sync.Pool{New: func() any { return new(canonReader) }}

// maxPooledItems bounds the scratch lists a pooled reader keeps.
const maxPooledItems = 4096

// readCanonical reads data as ParseEvent does when data is in canonical form; ok is
// false, and nothing is read, when it is not.
func readCanonical(data []byte, ns map[string]string) (*Event, bool) {
	if !maybeCanonical(data) {
		return nil, false // without copying it first
	}
	r := getCanonReader(data, false)
	defer r.release()
	e := &Event{}
	if !r.event(e, ns) {
		return nil, false
	}
	return e, true
}

// maybeCanonical reports whether data starts and ends as the canonical form does: an
// object, compact.
func maybeCanonical(data []byte) bool {
	n := len(data)
	return n >= 2 && data[0] == '{' && data[n-1] == '}' && (n == 2 || data[1] == '"')
}

// getCanonReader takes a pooled reader for data; with borrow, the Event it reads lends
// the reader's storage and the caller's bytes until release.
func getCanonReader(data []byte, borrow bool) *canonReader {
	r := canonReaders.Get().(*canonReader)
	r.data, r.pos, r.borrow = data, 0, borrow
	if borrow {
		// The lent Event's strings are slices of the caller's bytes themselves, for
		// the length of the loan: HashAndKeys copies the ones it returns.
		r.src = unsafe.String(unsafe.SliceData(data), len(data))
	} else {
		r.src = string(data)
	}
	r.strs, r.quants, r.fields, r.exts = r.strs[:0], r.quants[:0], r.fields[:0], r.exts[:0]
	r.sds, r.bts = r.sds[:0], r.bts[:0]
	r.raw = nil
	return r
}

// release pools the reader, dropping what the Event it read refers to.
func (r *canonReader) release() {
	// Only the items in use hold references: keep clears what it copies out.
	clear(r.strs)
	clear(r.quants)
	clear(r.fields)
	clear(r.exts)
	clear(r.sds)
	clear(r.bts)
	clear(r.ns)
	r.locs, r.pd = [2]Location{}, PersistentDisposition{}
	r.data, r.src, r.raw = nil, "", nil
	if max(cap(r.strs), cap(r.quants), cap(r.fields), cap(r.exts), cap(r.sds), cap(r.bts)) > maxPooledItems {
		return // let outsized buffers go
	}
	canonReaders.Put(r)
}

// keep returns the items of a scratch list from base on, as the Event's list: a copy,
// or when the reader lends the Event, the items themselves (left in the list).
func keep[T any](r *canonReader, list *[]T, base int) []T {
	items := (*list)[base:]
	if r.borrow {
		return items[:len(items):len(items)]
	}
	out := append([]T(nil), items...)
	clear(items) // the scratch list keeps no reference to what the Event owns
	*list = (*list)[:base]
	return out
}

// event reads the whole input into the zero Event e, and reports whether it could.
// A lent Event (e is then the caller's, on its stack as HashAndKeys has it) takes the
// reader's namespace map; another gets its own.
func (r *canonReader) event(e *Event, ns map[string]string) bool {
	if !maybeCanonical(r.data) {
		return false
	}
	if r.borrow {
		if r.ns == nil {
			r.ns = make(map[string]string, len(ns)+2)
		}
		e.Namespaces = r.ns
	} else {
		e.Namespaces = make(map[string]string, len(ns)+2)
	}
	for k, iri := range ns {
		e.Namespaces[k] = iri
	}
	r.pos = 1 // past '{'
	last := -1
	if r.next('}') {
		return r.pos == len(r.src)
	}
	for {
		k, ok := r.key()
		if !ok {
			return false
		}
		rank := memberRank(k)
		if rank == rankUnknown || rank < last || rank == last && rank != rankExtension {
			return false
		}
		last = rank
		if !r.member(e, rank, k) {
			return false
		}
		if r.next(',') {
			continue
		}
		if !r.next('}') || r.pos != len(r.src) {
			return false
		}
		if len(r.exts) > 0 {
			e.Extensions = keep(r, &r.exts, 0)
		}
		return true
	}
}

// member reads the value of the event member k of rank rank into e.
func (r *canonReader) member(e *Event, rank int, k string) bool {
	ok := true
	switch rank {
	case rankContext:
		ok = r.context(e.Namespaces)
	case rankType:
		e.Type, ok = r.str()
	case rankEventTime:
		e.EventTime, ok = r.str()
	case rankEventTimeZoneOffset:
		e.EventTimeZoneOffset, ok = r.str()
	case rankRecordTime:
		e.RecordTime, ok = r.str()
	case rankEventID:
		e.EventID, ok = r.str()
	case rankCertificationInfo:
		if r.peek('[') {
			e.CertificationInfo, ok = r.strList()
		} else {
			var s string
			s, ok = r.str()
			e.CertificationInfo = []string{s}
		}
	case rankParentID:
		e.ParentID, ok = r.str()
	case rankEPCList:
		e.EPCList, ok = r.strList()
	case rankChildEPCs:
		e.ChildEPCs, ok = r.strList()
	case rankInputEPCList:
		e.InputEPCList, ok = r.strList()
	case rankOutputEPCList:
		e.OutputEPCList, ok = r.strList()
	case rankQuantityList:
		e.QuantityList, ok = r.quantities()
	case rankChildQuantityList:
		e.ChildQuantityList, ok = r.quantities()
	case rankInputQuantityList:
		e.InputQuantityList, ok = r.quantities()
	case rankOutputQuantityList:
		e.OutputQuantityList, ok = r.quantities()
	case rankAction:
		e.Action, ok = r.str()
	case rankTransformationID:
		e.TransformationID, ok = r.str()
	case rankBizStep:
		e.BizStep, ok = r.str()
	case rankDisposition:
		e.Disposition, ok = r.str()
	case rankPersistentDisposition:
		e.PersistentDisposition, ok = r.persistent()
	case rankReadPoint:
		e.ReadPoint, ok = r.location(0)
	case rankBizLocation:
		e.BizLocation, ok = r.location(1)
	case rankBizTransactionList:
		e.BizTransactionList, ok = r.bizTransactions()
	case rankSourceList:
		e.SourceList, ok = r.sourceDest("source")
	case rankDestinationList:
		e.DestinationList, ok = r.sourceDest("destination")
	case rankILMD:
		e.ILMD, ok = r.ilmd()
	case rankExtension:
		if _, local, isPrefixed := prefixOf(k); isPrefixed && local == "ignoreFields" && r.peek('[') {
			var names []string
			names, ok = r.strList()
			e.HashIgnore = append(e.HashIgnore, names...)
		} else {
			var f Field
			f, ok = r.field(k)
			r.exts = append(r.exts, f)
		}
	default:
		return false
	}
	return ok
}

// peek reports whether the next byte is c.
func (r *canonReader) peek(c byte) bool { return r.pos < len(r.src) && r.src[r.pos] == c }

// next consumes the byte c, and reports whether it was there.
func (r *canonReader) next(c byte) bool {
	if r.pos < len(r.src) && r.src[r.pos] == c {
		r.pos++
		return true
	}
	return false
}

// key reads a member name and the ':' after it; keyPlain says whether value.raw writes
// the name back as it is.
func (r *canonReader) key() (string, bool) {
	k, plain, ok := r.scanStr()
	r.keyPlain = plain
	return k, ok && r.next(':')
}

// str reads a JSON string as the general reader reads it.
func (r *canonReader) str() (string, bool) {
	s, _, ok := r.scanStr()
	return s, ok
}

// scanStr reads a string as str does; plain reports whether value.raw writes it back
// as its text in the input (appendJSONString does).
func (r *canonReader) scanStr() (s string, plain, ok bool) {
	start := r.pos
	if !r.next('"') {
		return "", false, false
	}
	src := r.src
	i := r.pos
	// Four bytes a step while none of them is special: most strings are long URIs.
	for i+4 <= len(src) && stringByte[src[i]]|stringByte[src[i+1]]|stringByte[src[i+2]]|stringByte[src[i+3]] == 0 {
		i += 4
	}
	for i < len(src) && stringByte[src[i]] == 0 {
		i++
	}
	if i == len(src) || src[i] != '"' {
		return r.scanSpecialStr(start)
	}
	s = src[r.pos:i]
	r.pos = i + 1
	return s, true, true
}

// scanSpecialStr reads the string at start that has an escape, a control character, a
// byte over 0x7f or an HTML character, by the general reader's own string reader.
func (r *canonReader) scanSpecialStr(start int) (s string, plain, ok bool) {
	p := jsonParser{data: r.data, src: r.src, pos: start}
	s, err := p.str()
	if err != nil {
		return "", false, false
	}
	r.pos = p.pos
	r.scratch = appendJSONString(r.scratch[:0], s)
	return s, string(r.scratch) == r.src[start:r.pos], true
}

// strList reads an array of strings (never nil, as reader.strList).
func (r *canonReader) strList() ([]string, bool) {
	if !r.next('[') {
		return nil, false
	}
	if r.next(']') {
		return []string{}, true
	}
	base := len(r.strs)
	for {
		s, ok := r.str()
		if !ok {
			return nil, false
		}
		r.strs = append(r.strs, s)
		if r.next(']') {
			return keep(r, &r.strs, base), true
		}
		if !r.next(',') {
			return nil, false
		}
	}
}

// objectMembers reads an object whose members are read by member, and reports whether
// it was one. member reads the value of the member named k, and fails for a name it
// does not take.
func (r *canonReader) objectMembers(member func(k string) bool) bool {
	if !r.next('{') {
		return false
	}
	if r.next('}') {
		return true
	}
	for {
		k, ok := r.key()
		if !ok || !member(k) {
			return false
		}
		if r.next('}') {
			return true
		}
		if !r.next(',') {
			return false
		}
	}
}

// array reads an array whose elements are read by elem.
func (r *canonReader) array(elem func() bool) bool {
	if !r.next('[') {
		return false
	}
	if r.next(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if r.next(']') {
			return true
		}
		if !r.next(',') {
			return false
		}
	}
}

// context reads the event's @context: its string elements declare nothing the reader
// can see, its objects declare prefixes (as collectNamespaces reads them).
func (r *canonReader) context(ns map[string]string) bool {
	decl := func() bool {
		switch {
		case r.peek('"'):
			_, ok := r.str()
			return ok
		case r.peek('{'):
			return r.objectMembers(func(k string) bool {
				if strings.HasPrefix(k, "@") {
					return false
				}
				iri, ok := r.str()
				ns[k] = iri
				return ok
			})
		}
		return false
	}
	if r.peek('[') {
		return r.array(decl)
	}
	return decl()
}

// quantities reads a quantity list (nil when empty, as reader.quantities).
func (r *canonReader) quantities() ([]Quantity, bool) {
	base := len(r.quants)
	ok := r.array(func() bool {
		var q Quantity
		last := 0
		ok := r.objectMembers(func(k string) bool {
			var ok bool
			switch {
			case k == "epcClass" && last < 1:
				q.EPCClass, ok = r.str()
				last = 1
			case k == "quantity" && last < 2:
				q.Quantity, ok = r.number()
				last = 2
			case k == "uom" && last < 3:
				q.UOM, ok = r.str()
				last = 3
			}
			return ok
		})
		r.quants = append(r.quants, q)
		return ok
	})
	if !ok {
		return nil, false
	}
	if len(r.quants) == base {
		return nil, true
	}
	return keep(r, &r.quants, base), true
}

// number reads a JSON number's literal text.
func (r *canonReader) number() (string, bool) {
	start := r.pos
	for r.pos < len(r.src) {
		c := r.src[r.pos]
		if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
			break
		}
		r.pos++
	}
	s := r.src[start:r.pos]
	return s, isJSONNumber(s)
}

// persistent reads a persistentDisposition.
func (r *canonReader) persistent() (*PersistentDisposition, bool) {
	pd := &r.pd
	if !r.borrow {
		pd = &PersistentDisposition{}
	}
	last := 0
	ok := r.objectMembers(func(k string) bool {
		var ok bool
		switch {
		case k == "set" && last < 1:
			pd.Set, ok = r.strList()
			last = 1
		case k == "unset" && last < 2:
			pd.Unset, ok = r.strList()
			last = 2
		}
		return ok
	})
	return pd, ok
}

// location reads a read point or business location without extension fields; i is
// its slot in the lent Event's storage (0 read point, 1 business location).
func (r *canonReader) location(i int) (*Location, bool) {
	l := &r.locs[i]
	if !r.borrow {
		l = &Location{}
	}
	seen := false
	ok := r.objectMembers(func(k string) bool {
		if k != "id" || seen {
			return false
		}
		seen = true
		var ok bool
		l.ID, ok = r.str()
		return ok
	})
	return l, ok
}

// bizTransactions reads a bizTransactionList (nil when empty).
func (r *canonReader) bizTransactions() ([]BizTransaction, bool) {
	base := len(r.bts)
	ok := r.array(func() bool {
		var bt BizTransaction
		last := 0
		ok := r.objectMembers(func(k string) bool {
			var ok bool
			switch {
			case k == "type" && last < 1:
				bt.Type, ok = r.str()
				last = 1
			case k == "bizTransaction" && last < 2:
				bt.Value, ok = r.str()
				last = 2
			}
			return ok
		})
		r.bts = append(r.bts, bt)
		return ok
	})
	if !ok {
		return nil, false
	}
	if len(r.bts) == base {
		return nil, true
	}
	return keep(r, &r.bts, base), true
}

// sourceDest reads a sourceList or destinationList (nil when empty); valueKey names
// the member that holds the identifier.
func (r *canonReader) sourceDest(valueKey string) ([]SourceDest, bool) {
	base := len(r.sds)
	ok := r.array(func() bool {
		var sd SourceDest
		last := 0
		ok := r.objectMembers(func(k string) bool {
			var ok bool
			switch {
			case k == "type" && last < 1:
				sd.Type, ok = r.str()
				last = 1
			case k == valueKey && last < 2:
				sd.Value, ok = r.str()
				last = 2
			}
			return ok
		})
		r.sds = append(r.sds, sd)
		return ok
	})
	if !ok {
		return nil, false
	}
	if len(r.sds) == base {
		return nil, true
	}
	return keep(r, &r.sds, base), true
}

// ilmd reads the ILMD object: extension fields only (nil when empty).
func (r *canonReader) ilmd() ([]Field, bool) {
	base := len(r.fields)
	ok := r.objectMembers(func(k string) bool {
		if !isExtensionName(k) {
			return false
		}
		f, ok := r.field(k)
		r.fields = append(r.fields, f)
		return ok
	})
	if !ok {
		return nil, false
	}
	if len(r.fields) == base {
		return nil, true
	}
	return keep(r, &r.fields, base), true
}

// field reads the value of extension field k, keeping a copy of its JSON text as
// value.raw writes it.
func (r *canonReader) field(k string) (Field, bool) {
	start := r.pos
	if !r.skip(0) {
		return Field{}, false
	}
	if r.borrow {
		return Field{Name: k, Value: r.data[start:r.pos:r.pos]}, true
	}
	text := r.src[start:r.pos]
	if cap(r.raw)-len(r.raw) < len(text) {
		r.raw = make([]byte, 0, max(len(r.src)-start, len(text)))
	}
	n := len(r.raw)
	r.raw = append(r.raw, text...)
	return Field{Name: k, Value: r.raw[n:len(r.raw):len(r.raw)]}, true
}

// skip passes over one JSON value that value.raw writes back as it is: compact, its
// strings (names included) read by str and plain.
func (r *canonReader) skip(depth int) bool {
	if depth > canonDepth || r.pos >= len(r.src) {
		return false
	}
	switch c := r.src[r.pos]; {
	case c == '{':
		return r.objectMembers(func(string) bool { return r.keyPlain && r.skip(depth+1) })
	case c == '[':
		return r.array(func() bool { return r.skip(depth + 1) })
	case c == '"':
		_, plain, ok := r.scanStr()
		return ok && plain
	case c == 't':
		return r.literal("true")
	case c == 'f':
		return r.literal("false")
	case c == 'n':
		return r.literal("null")
	default:
		_, ok := r.number()
		return ok
	}
}

// literal reads the literal word.
func (r *canonReader) literal(word string) bool {
	if strings.HasPrefix(r.src[r.pos:], word) {
		r.pos += len(word)
		return true
	}
	return false
}
