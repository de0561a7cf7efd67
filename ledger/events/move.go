package events

import (
	"fmt"
	"strings"
	"time"

	"traceledger/ledger/epcis"
)

// A Party is one end of a move: the site goods leave or reach and the firm that owns
// them there.
type Party struct {
	// Site is the GLN of the location (CBV source/destination type "location").
	Site string `json:"site"`
	// Party is the GLN identifying the owning firm (AI 417, the firm's party GLN),
	// type "owning_party"; optional.
	Party string `json:"party,omitempty"`
	// Firm is the owning firm's Unified Social Credit Code, for callers that know the
	// firm rather than its party GLN: builders ignore it, the server's registry turns
	// it into Party.
	Firm string `json:"firm,omitempty"`
}

// A MoveRequest is one shipment or receipt: goods moving from Source to Destination,
// covered by despatch advices and purchase orders.
type MoveRequest struct {
	Source      Party `json:"source"`
	Destination Party `json:"destination"`
	// Goods are what moves: lots with quantities, SSCCs, serialised items.
	Goods
	// DespatchAdvice are despatch advice numbers (CBV bizTransaction type desadv),
	// issued by the source party; PurchaseOrders are order numbers (type po), issued by
	// the destination party. A value that is already a URI is kept as it is.
	DespatchAdvice []string `json:"despatchAdvice,omitempty"`
	PurchaseOrders []string `json:"purchaseOrders,omitempty"`
	// Time is when the goods left (shipment) or arrived (receipt), RFC 3339; empty
	// means now.
	Time string `json:"time,omitempty"`
}

// Ship builds the ObjectEvent (OBSERVE, bizStep shipping, disposition in_transit) of
// goods leaving the source site, which is its readPoint and bizLocation.
func Ship(r MoveRequest, now time.Time) (*epcis.Event, error) {
	return move(r, now, "shipping", "in_transit", true)
}

// Receive builds the ObjectEvent (OBSERVE, bizStep receiving, disposition
// in_progress) of goods arriving at the destination site, its readPoint and
// bizLocation.
func Receive(r MoveRequest, now time.Time) (*epcis.Event, error) {
	return move(r, now, "receiving", "in_progress", false)
}

func move(r MoveRequest, now time.Time, bizStep, disp string, atSource bool) (*epcis.Event, error) {
	f := &faults{}
	src := f.gln("source.site", r.Source.Site)
	dst := f.gln("destination.site", r.Destination.Site)
	var srcParty, dstParty string
	if r.Source.Party != "" {
		srcParty = f.gln("source.party", r.Source.Party)
	}
	if r.Destination.Party != "" {
		dstParty = f.gln("destination.party", r.Destination.Party)
	}
	if src != "" && src == dst {
		f.add("destination.site", "the same as the source site: nothing moves")
	}
	epcs, qs := f.goods("", r.Goods)
	evTime, offset := f.eventTime("time", r.Time, now)
	var bts []epcis.BizTransaction
	// A document number becomes the CBV 2.0 URN of a business transaction issued by a
	// party: urn:epcglobal:cbv:bt:{GLN}:{number}, the party's GLN, else its site's.
	issuer := func(party, site string) string {
		if party != "" {
			return party
		}
		return site
	}
	for _, d := range []struct {
		field, typ, issuer string
		values             []string
	}{
		{"despatchAdvice", "desadv", issuer(srcParty, src), r.DespatchAdvice},
		{"purchaseOrders", "po", issuer(dstParty, dst), r.PurchaseOrders},
	} {
		for i, v := range d.values {
			fld := fmt.Sprintf("%s[%d]", d.field, i)
			switch {
			case v == "":
				f.add(fld, "empty document number")
			case strings.Contains(v, ":"):
				bts = append(bts, epcis.BizTransaction{Type: d.typ, Value: v})
			case !validDocNumber(v):
				f.add(fld, "%q: a document number has only letters, digits and - . _", v)
			default:
				bts = append(bts, epcis.BizTransaction{Type: d.typ, Value: "urn:epcglobal:cbv:bt:" + d.issuer + ":" + v})
			}
		}
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	at := dst
	if atSource {
		at = src
	}
	ev := newEvent(epcis.ObjectEvent, epcis.ActionObserve, evTime, offset, at)
	ev.EPCList, ev.QuantityList = epcs, qs
	ev.BizStep, ev.Disposition = bizStep, disp
	if srcParty != "" {
		ev.SourceList = append(ev.SourceList, epcis.SourceDest{Type: "owning_party", Value: PartyURI(srcParty)})
	}
	ev.SourceList = append(ev.SourceList, epcis.SourceDest{Type: "location", Value: LocationURI(src)})
	if dstParty != "" {
		ev.DestinationList = append(ev.DestinationList, epcis.SourceDest{Type: "owning_party", Value: PartyURI(dstParty)})
	}
	ev.DestinationList = append(ev.DestinationList, epcis.SourceDest{Type: "location", Value: LocationURI(dst)})
	ev.BizTransactionList = bts
	return finish(ev)
}

// validDocNumber reports whether a document number can go into a URN unescaped.
func validDocNumber(s string) bool {
	if len(s) > 80 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}
