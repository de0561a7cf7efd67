package events

import (
	"time"

	"traceledger/ledger/epcis"
)

// A PackRequest packs goods into a logistic unit identified by an SSCC.
type PackRequest struct {
	// SSCC is the logistic unit: 18 digits, or any code form with (00).
	SSCC string `json:"sscc"`
	// Goods are what goes in: lots with quantities, serialised items, inner units.
	Goods
	// Site is the GLN where the packing happens.
	Site string `json:"site"`
	// Time is when it was packed (RFC 3339); empty means now.
	Time string `json:"time,omitempty"`
}

// Pack builds the AggregationEvent (ADD, bizStep packing, disposition in_progress)
// that puts the goods into the unit: parentID the SSCC, childEPCs the items and inner
// units, childQuantityList the lot quantities. now stands for an empty Time.
func Pack(r PackRequest, now time.Time) (*epcis.Event, error) {
	f := &faults{}
	parent := ""
	switch {
	case r.SSCC == "":
		f.add("sscc", "required")
	case len(r.SSCC) == 18 && isDigits(r.SSCC):
		if err := element("00", r.SSCC); err != nil {
			f.add("sscc", "not a valid SSCC: %v", err)
		} else {
			parent = SSCCURI(r.SSCC)
		}
	default:
		c, err := ParseCode(r.SSCC)
		switch {
		case err != nil:
			f.add("sscc", "%v", err)
		case c.Kind != KindSSCC:
			f.add("sscc", "not an SSCC: the unit packed into is identified by (00)")
		default:
			parent = c.URI
		}
	}
	epcs, qs := f.goods("", r.Goods)
	for i, e := range epcs {
		if e == parent && parent != "" {
			f.add("ssccs", "item %d is the unit itself", i)
		}
	}
	site := f.gln("site", r.Site)
	evTime, offset := f.eventTime("time", r.Time, now)
	if err := f.err(); err != nil {
		return nil, err
	}
	ev := newEvent(epcis.AggregationEvent, epcis.ActionAdd, evTime, offset, site)
	ev.ParentID = parent
	ev.ChildEPCs = epcs
	ev.ChildQuantityList = qs
	ev.BizStep, ev.Disposition = "packing", "in_progress"
	return finish(ev)
}
