package events

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"traceledger/ledger/epcis"
	"traceledger/scanner"
)

// Namespace is the JSON-LD namespace of traceledger's own extension fields, declared
// with prefix NamespacePrefix in every event that uses one (the same as fixtures').
const (
	Namespace       = "https://traceledger.example/ns/"
	NamespacePrefix = "tl"
)

// CBVMDA is the namespace of the CBV master data attributes used in ILMD, declared
// with prefix "cbvmda". The URN form is the one EPCIS XML documents declare, so ILMD
// hashes the same whether an event is read back from JSON-LD or XML.
const CBVMDA = "urn:epcglobal:cbv:mda:"

// namespaces are the prefixes every event with ILMD or extension fields declares.
func namespaces() map[string]string {
	return map[string]string{NamespacePrefix: Namespace, "cbvmda": CBVMDA}
}

// A LotQuantity names an amount of one lot: by GTIN and lot number, or by Code (any
// form a scanner or person produces: element string, scan data, Digital Link, EPC
// URN) carrying (01) and (10).
type LotQuantity struct {
	// Code is the lot as any GS1 code form; alternatively GTIN and Lot.
	Code string `json:"code,omitempty"`
	// GTIN is the product's GTIN (8, 12, 13 or 14 digits; padded to 14).
	GTIN string `json:"gtin,omitempty"`
	// Lot is the batch/lot number, AI (10): up to 20 characters of CSET 82.
	Lot string `json:"lot,omitempty"`
	// Quantity is the amount, positive.
	Quantity float64 `json:"quantity"`
	// Unit is the UN/ECE Recommendation 20 unit code (KGM, LTR, EA, ...); empty
	// means a count of trade items.
	Unit string `json:"unit,omitempty"`
}

// Goods are what a pack, shipment or receipt holds: lots with quantities, logistic
// units (SSCCs) and serialised instances.
type Goods struct {
	// Lots are amounts of lots.
	Lots []LotQuantity `json:"lots,omitempty"`
	// SSCCs are logistic units: 18 digits or any code form with (00).
	SSCCs []string `json:"ssccs,omitempty"`
	// Items are serialised instances (SGTIN, GIAI, ...) in any code form.
	Items []string `json:"items,omitempty"`
}

// faults collects the problems of one request, each naming its JSON field.
type faults struct{ errs epcis.ValidationError }

func (f *faults) add(field, format string, a ...any) {
	f.errs = append(f.errs, &epcis.FieldError{Field: field, Message: fmt.Sprintf(format, a...)})
}

func (f *faults) err() error {
	if len(f.errs) == 0 {
		return nil
	}
	return f.errs
}

// element validates one GS1 element through package scanner's AI table.
func element(ai, value string) error {
	d := scanner.Data{Elements: []scanner.Element{{AI: ai, Value: value}}}
	return d.Validate(scanner.Options{NoRequisite: true})
}

// gtin checks a required GTIN field.
func (f *faults) gtin(field, s string) string {
	if s == "" {
		f.add(field, "required")
		return ""
	}
	g, err := scanner.GTIN14(s)
	if err != nil {
		f.add(field, "%v", err)
		return ""
	}
	return g
}

// lot checks a required lot number field.
func (f *faults) lot(field, s string) string {
	if s == "" {
		f.add(field, "required")
		return ""
	}
	if err := element("10", s); err != nil {
		f.add(field, "not a valid lot number (AI 10): %v", err)
		return ""
	}
	return s
}

// gln checks a required GLN field (13 digits with check digit).
func (f *faults) gln(field, s string) string {
	if s == "" {
		f.add(field, "required")
		return ""
	}
	if err := element("414", s); err != nil {
		f.add(field, "not a valid GLN: %v", err)
		return ""
	}
	return s
}

// LotURI returns the canonical Digital Link of lot of gtin (a valid GTIN-14 and lot),
// percent-encoded as the Digital Link standard says.
func LotURI(gtin, lot string) string {
	return dl(scanner.Element{AI: "01", Value: gtin}, scanner.Element{AI: "10", Value: lot})
}

// SerialURI returns the canonical Digital Link of one serialised instance.
func SerialURI(gtin, serial string) string {
	return dl(scanner.Element{AI: "01", Value: gtin}, scanner.Element{AI: "21", Value: serial})
}

// LocationURI returns the canonical Digital Link of a physical location (AI 414).
func LocationURI(gln string) string { return scanner.CanonicalStem + "/414/" + gln }

// PartyURI returns the canonical Digital Link of a party (AI 417).
func PartyURI(gln string) string { return scanner.CanonicalStem + "/417/" + gln }

// SSCCURI returns the canonical Digital Link of a logistic unit.
func SSCCURI(sscc string) string { return scanner.CanonicalStem + "/00/" + sscc }

func dl(els ...scanner.Element) string {
	s, err := scanner.Data{Elements: els}.DigitalLink("")
	if err != nil {
		// Callers pass validated keys: a failure is a bug here, not bad input.
		panic("events: digital link of validated data: " + err.Error())
	}
	return s
}

// A CodeKind says what a GS1 code identifies.
type CodeKind int

// The kinds of code the native API handles.
const (
	KindOther    CodeKind = iota // another GS1 key (GLN, GRAI without serial, ...)
	KindClass                    // a product class: (01) alone
	KindLot                      // a lot: (01) with (10)
	KindInstance                 // a serialised instance: (01) with (21), or another individual asset key
	KindSSCC                     // a logistic unit: (00)
)

// A Code is a GS1 code read from any input form, in canonical form.
type Code struct {
	// URI is the canonical Digital Link URI on https://id.gs1.org, without data
	// attributes.
	URI  string
	Kind CodeKind
	// GTIN, Lot and Serial are set for product codes.
	GTIN, Lot, Serial string
	// SSCC is set for logistic units.
	SSCC string
	// Data is the parsed input, data attributes included.
	Data scanner.Data
}

// ParseCode reads any code a scanner or person produces (bracketed or unbracketed
// element string, scan data with an AIM identifier and GS separators, Digital Link
// URI on any stem, EPC URN) and returns its canonical form and kind.
func ParseCode(input string) (Code, error) {
	d, err := scanner.Parse(strings.TrimSpace(input), scanner.Options{ZeroSuppressedGTIN: true})
	if err != nil {
		return Code{}, err
	}
	c := Code{Data: d}
	var keyAI, grai string
	for _, e := range d.Elements {
		switch e.AI {
		case "01":
			c.GTIN = e.Value
		case "10":
			c.Lot = e.Value
		case "21":
			c.Serial = e.Value
		case "00":
			c.SSCC = e.Value
		case "8003":
			grai = e.Value
		}
	}
	if k, ok := d.PrimaryKey(); ok {
		keyAI = k.AI
	} else {
		return Code{}, scanner.ErrNoPrimaryKey
	}
	uri, err := d.DigitalLink("")
	if err != nil {
		return Code{}, err
	}
	canon, _, err := epcis.CanonicalID(uri)
	if err != nil {
		return Code{}, err
	}
	c.URI = canon
	switch {
	case keyAI == "00":
		c.Kind = KindSSCC
	case keyAI == "01" && c.Serial != "":
		c.Kind = KindInstance
	case keyAI == "01" && c.Lot != "":
		c.Kind = KindLot
	case keyAI == "01":
		c.Kind = KindClass
	case keyAI == "8004" || keyAI == "8003" && len(grai) > 14:
		// GIAI, and a GRAI with its serial component, identify one asset.
		c.Kind = KindInstance
	default:
		c.Kind = KindOther
	}
	return c, nil
}

// lotQuantity checks one LotQuantity and returns its quantity list element.
func (f *faults) lotQuantity(field string, q LotQuantity, needQty bool) (epcis.Quantity, bool) {
	n := len(f.errs)
	gtin, lot := q.GTIN, q.Lot
	if q.Code != "" {
		if q.GTIN != "" || q.Lot != "" {
			f.add(field+".code", "give either code or gtin and lot, not both")
		}
		c, err := ParseCode(q.Code)
		switch {
		case err != nil:
			f.add(field+".code", "%v", err)
		case c.Kind != KindLot:
			f.add(field+".code", "not a lot: a lot code carries (01) and (10) and no serial")
		default:
			gtin, lot = c.GTIN, c.Lot
		}
	} else {
		gtin = f.gtin(field+".gtin", gtin)
		lot = f.lot(field+".lot", lot)
	}
	qty := f.amount(field+".quantity", field+".unit", q.Quantity, q.Unit, needQty)
	if len(f.errs) > n {
		return epcis.Quantity{}, false
	}
	eq := epcis.Quantity{EPCClass: LotURI(gtin, lot), Quantity: qty}
	if qty != "" {
		eq.UOM = q.Unit
	}
	return eq, true
}

// amount checks a quantity and its unit and returns the quantity as a JSON number's
// text ("" for zero when it is not needed).
func (f *faults) amount(qtyField, unitField string, v float64, unit string, need bool) string {
	qty := ""
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0) || v < 0:
		f.add(qtyField, "must be a positive number")
	case v == 0 && need:
		f.add(qtyField, "required, a positive number")
	case v > 0:
		qty = strconv.FormatFloat(v, 'f', -1, 64)
	}
	if unit != "" && !validUnit(unit) {
		f.add(unitField, "%q is not a UN/ECE Recommendation 20 unit code (2 or 3 upper-case letters or digits, e.g. KGM, LTR, EA)", unit)
	}
	return qty
}

// validUnit reports whether u has the shape of a UN/ECE Recommendation 20 common
// code: two or three upper-case letters or digits.
func validUnit(u string) bool {
	if len(u) < 2 || len(u) > 3 {
		return false
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// goods checks Goods and returns its EPCs (instances and units) and lot quantities.
func (f *faults) goods(field string, g Goods) (epcs []string, qs []epcis.Quantity) {
	pre := field
	if pre != "" {
		pre += "."
	}
	for i, l := range g.Lots {
		if q, ok := f.lotQuantity(fmt.Sprintf("%slots[%d]", pre, i), l, false); ok {
			qs = append(qs, q)
		}
	}
	for i, s := range g.SSCCs {
		fld := fmt.Sprintf("%sssccs[%d]", pre, i)
		if len(s) == 18 && isDigits(s) {
			if err := element("00", s); err != nil {
				f.add(fld, "not a valid SSCC: %v", err)
			} else {
				epcs = append(epcs, SSCCURI(s))
			}
			continue
		}
		c, err := ParseCode(s)
		switch {
		case err != nil:
			f.add(fld, "%v", err)
		case c.Kind != KindSSCC:
			f.add(fld, "not an SSCC")
		default:
			epcs = append(epcs, c.URI)
		}
	}
	for i, s := range g.Items {
		fld := fmt.Sprintf("%sitems[%d]", pre, i)
		c, err := ParseCode(s)
		switch {
		case err != nil:
			f.add(fld, "%v", err)
		case c.Kind != KindInstance && c.Kind != KindSSCC:
			f.add(fld, "not an individual item: give a serialised code such as (01)…(21)…, or list lots under lots")
		default:
			epcs = append(epcs, c.URI)
		}
	}
	if len(epcs)+len(qs) == 0 && len(g.Lots)+len(g.SSCCs)+len(g.Items) == 0 {
		f.add(pre+"lots", "name at least one lot, SSCC or item (lots, ssccs, items)")
	}
	return epcs, qs
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// eventTime reads an optional RFC 3339 time; empty means now. It returns the time as
// EPCIS writes it and its time zone offset.
func (f *faults) eventTime(field, s string, now time.Time) (string, string) {
	t := now
	if s != "" {
		var err error
		if t, err = epcis.ParseTime(s); err != nil {
			f.add(field, "not an RFC 3339 time with time zone: %v", err)
			return "", ""
		}
		if t.After(now.Add(24 * time.Hour)) {
			f.add(field, "%s is in the future", s)
		}
	}
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return t.Format(time.RFC3339Nano), fmt.Sprintf("%c%02d:%02d", sign, off/3600, off%3600/60)
}

// date reads an optional calendar date (YYYY-MM-DD).
func (f *faults) date(field, s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		f.add(field, "not a date YYYY-MM-DD: %q", s)
		return time.Time{}, false
	}
	return t, true
}

// newEvent starts an event at a site: readPoint and bizLocation are the site's GLN.
func newEvent(typ, action, eventTime, offset, site string) *epcis.Event {
	return &epcis.Event{
		Type: typ, Action: action,
		EventTime: eventTime, EventTimeZoneOffset: offset,
		ReadPoint:   &epcis.Location{ID: LocationURI(site)},
		BizLocation: &epcis.Location{ID: LocationURI(site)},
	}
}

// strField is an ILMD or extension field with a JSON string value.
func strField(name, v string) epcis.Field {
	b, _ := json.Marshal(v)
	return epcis.Field{Name: name, Value: b}
}

// finish validates a built event: a failure is a bug in the builder (the request was
// checked), reported under the field "event" so that it is never silent.
func finish(ev *epcis.Event) (*epcis.Event, error) {
	if err := ev.Validate(); err != nil {
		return nil, fmt.Errorf("events: built event does not validate: %w", err)
	}
	return ev, nil
}
