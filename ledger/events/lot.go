package events

import (
	"fmt"
	"time"

	"traceledger/ledger/epcis"
)

// A LotRequest registers a lot (journey 1): lot Lot of GTIN was made at Site,
// Quantity Unit of it, on ProductionDate, optionally from input lots.
type LotRequest struct {
	GTIN string `json:"gtin"`
	Lot  string `json:"lot"`
	// Quantity and Unit (UN/ECE Rec. 20: KGM, LTR, EA, ...) say how much was made.
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
	// ProductionDate is required; ExpiryDate (itemExpirationDate) and BestBeforeDate
	// are optional, and not before it.
	ProductionDate string `json:"productionDate"`
	ExpiryDate     string `json:"expiryDate,omitempty"`
	BestBeforeDate string `json:"bestBeforeDate,omitempty"`
	// CountryOfOrigin is an ISO 3166-1 alpha-2 code, optional.
	CountryOfOrigin string `json:"countryOfOrigin,omitempty"`
	// Site is the GLN of the site where the lot was made.
	Site string `json:"site"`
	// Time is when the lot was recorded as made (RFC 3339); empty means now.
	Time string `json:"time,omitempty"`
	// Inputs are the lots consumed, with the quantities used; with inputs the event
	// is a TransformationEvent.
	Inputs []LotQuantity `json:"inputs,omitempty"`
}

// CommissionLot builds the event that registers a lot: without inputs an ObjectEvent
// (ADD, bizStep commissioning, disposition active) with the lot class and quantity in
// its quantityList; with inputs a TransformationEvent from the inputs' quantities to
// the lot's (bizStep commissioning: the output lot's identity is created there, as in
// GS1's own transformation examples). Either carries the lot's master data as ILMD:
// cbvmda:lotNumber, productionDate, bestBeforeDate, itemExpirationDate and
// countryOfOrigin. now stands for an empty Time.
func CommissionLot(r LotRequest, now time.Time) (*epcis.Event, error) {
	f := &faults{}
	gtin := f.gtin("gtin", r.GTIN)
	lot := f.lot("lot", r.Lot)
	qty := f.amount("quantity", "unit", r.Quantity, r.Unit, true)
	if r.Unit == "" {
		f.add("unit", "required: a UN/ECE Recommendation 20 unit code such as KGM, LTR or EA")
	}
	site := f.gln("site", r.Site)
	ilmd := f.lotMasterData(r, lot)
	evTime, offset := f.eventTime("time", r.Time, now)
	var inputs []epcis.Quantity
	for i, in := range r.Inputs {
		q, ok := f.lotQuantity(fmt.Sprintf("inputs[%d]", i), in, true)
		if ok && gtin != "" && lot != "" && q.EPCClass == LotURI(gtin, lot) {
			f.add(fmt.Sprintf("inputs[%d]", i), "a lot cannot be made from itself")
		}
		inputs = append(inputs, q)
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	out := epcis.Quantity{EPCClass: LotURI(gtin, lot), Quantity: qty, UOM: r.Unit}
	var ev *epcis.Event
	if len(inputs) == 0 {
		ev = newEvent(epcis.ObjectEvent, epcis.ActionAdd, evTime, offset, site)
		ev.QuantityList = []epcis.Quantity{out}
	} else {
		ev = newEvent(epcis.TransformationEvent, "", evTime, offset, site)
		ev.InputQuantityList = inputs
		ev.OutputQuantityList = []epcis.Quantity{out}
	}
	ev.BizStep, ev.Disposition = "commissioning", "active"
	ev.ILMD = ilmd
	ev.Namespaces = namespaces()
	return finish(ev)
}

// lotMasterData checks the dates of r and returns the lot's ILMD.
func (f *faults) lotMasterData(r LotRequest, lot string) []epcis.Field {
	made, ok := f.date("productionDate", r.ProductionDate)
	if !ok && r.ProductionDate == "" {
		f.add("productionDate", "required (YYYY-MM-DD)")
	}
	ilmd := []epcis.Field{strField("cbvmda:lotNumber", lot)}
	if ok {
		ilmd = append(ilmd, strField("cbvmda:productionDate", r.ProductionDate))
	}
	for _, d := range []struct{ field, name, value string }{
		{"bestBeforeDate", "cbvmda:bestBeforeDate", r.BestBeforeDate},
		{"expiryDate", "cbvmda:itemExpirationDate", r.ExpiryDate},
	} {
		t, set := f.date(d.field, d.value)
		if !set {
			continue
		}
		if ok && t.Before(made) {
			f.add(d.field, "%s is before the production date %s", d.value, r.ProductionDate)
			continue
		}
		ilmd = append(ilmd, strField(d.name, d.value))
	}
	if c := r.CountryOfOrigin; c != "" {
		if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			f.add("countryOfOrigin", "%q is not an ISO 3166-1 alpha-2 code such as CN", c)
		} else {
			ilmd = append(ilmd, strField("cbvmda:countryOfOrigin", c))
		}
	}
	return ilmd
}
