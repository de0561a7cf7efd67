package lotrecord

import "time"

// Kinds of code a record is about, by the GS1 key and qualifiers of its Digital Link.
const (
	KindProduct  = "product"  // /01/{gtin}: a trade item class
	KindLot      = "lot"      // /01/{gtin}/10/{lot}
	KindInstance = "instance" // /01/{gtin}/21/{serial}
	KindUnit     = "logistic_unit"
	KindLocation = "location" // /414/{gln}[/254/{ext}]
	KindOther    = "other"    // any other GS1 key (GRAI, GIAI, ...)
)

// Statuses of a record.
const (
	StatusActive   = "active"
	StatusRecalled = "recalled"
	// StatusUnknown is the status of a code with no events on the ledger.
	StatusUnknown = "unknown"
)

// A Record is everything the ledger says about one code, as the resolver serves it
// (JSON) and the consumer page shows it.
type Record struct {
	// Requested is the canonical Digital Link of the code asked for (on
	// https://id.gs1.org), without data attributes.
	Requested string `json:"requested"`
	// Code is the canonical Digital Link the record describes: Requested, or the lot or
	// product it fell back to.
	Code string `json:"code"`
	Kind string `json:"kind"`
	// Fallback is "" when Code is Requested, else the kind walked up to ("lot",
	// "product"); FallbackReason says why, for people.
	Fallback       string `json:"fallback,omitempty"`
	FallbackReason string `json:"fallbackReason,omitempty"`

	GTIN   string `json:"gtin,omitempty"`
	Lot    string `json:"lot,omitempty"`
	Serial string `json:"serial,omitempty"`
	SSCC   string `json:"sscc,omitempty"`
	GLN    string `json:"gln,omitempty"`

	Product  *Product `json:"product,omitempty"`
	Producer *Firm    `json:"producer,omitempty"`
	// Origin is where the code was commissioned (made, packed or created).
	Origin *Place `json:"origin,omitempty"`
	// ProductionDate and Expiry are dates (YYYY-MM-DD) from the commissioning event's
	// ILMD, or from the scanned code's own AIs (11, 17, 15) when the ledger has none.
	ProductionDate string    `json:"productionDate,omitempty"`
	Expiry         string    `json:"expiry,omitempty"`
	Quantity       *Quantity `json:"quantity,omitempty"`

	Status string  `json:"status"`
	Recall *Recall `json:"recall,omitempty"`

	// Journey lists the code's events newest first, with those of the logistic units
	// that carried it (Step.Via).
	Journey     []Step       `json:"journey"`
	Inspections []Inspection `json:"inspections"`

	Verification Verification `json:"verification"`
	Counterfeit  Counterfeit  `json:"counterfeit"`
}

// A Place is a location with the firm whose site it is.
type Place struct {
	GLN  string `json:"gln"`
	Name string `json:"name,omitempty"`
	// Firm is the firm at the location, when known.
	Firm *Firm `json:"firm,omitempty"`
}

// A Quantity is an amount in a UN/CEFACT Rec. 20 unit ("" for a count of items).
type Quantity struct {
	Value float64 `json:"value"`
	UOM   string  `json:"uom,omitempty"`
}

// A Recall is the recall that applies to the code.
type Recall struct {
	// ID is the recall ID (urn:uuid:…) from the recall event's tl:recall field.
	ID     string `json:"id,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Date is the recall event's time.
	Date time.Time `json:"date"`
	// EventID is the hash ID of the recall event.
	EventID string `json:"eventID"`
	// Via is the code whose recall applies ("" when the code itself was recalled): a
	// logistic unit that carried it, or the lot of an instance.
	Via string `json:"via,omitempty"`
}

// A Step is one event of a code's journey.
type Step struct {
	Time        time.Time `json:"time"`
	Type        string    `json:"type"`
	Action      string    `json:"action,omitempty"`
	BizStep     string    `json:"bizStep,omitempty"`
	Disposition string    `json:"disposition,omitempty"`
	Location    *Place    `json:"location,omitempty"`
	// Recorder is the firm that submitted the event, when known and not the firm at the
	// location (a lab sampling at a farm, a regulator importing events).
	Recorder *Firm  `json:"recorder,omitempty"`
	EventID  string `json:"eventID"`
	// Index is the event's position in the ledger.
	Index int64 `json:"index"`
	// Via is the logistic unit (or lot) the event is about, when it concerns the code
	// only because the code was packed in it; "" for the code's own events.
	Via string `json:"via,omitempty"`
}

// An Inspection is one inspection or sampling result (bizStep inspecting or
// sampling).
type Inspection struct {
	Time    time.Time `json:"time"`
	BizStep string    `json:"bizStep"`
	// Result is "conformant" or "non_conformant" (the event's disposition).
	Result     string     `json:"result"`
	Standard   string     `json:"standard,omitempty"`
	SampleSize int        `json:"sampleSize,omitempty"`
	Lab        *Firm      `json:"lab,omitempty"`
	Report     string     `json:"report,omitempty"`
	Items      []TestItem `json:"items"`
	Location   *Place     `json:"location,omitempty"`
	EventID    string     `json:"eventID"`
}

// A TestItem is one measured property with the standard's limits.
type TestItem struct {
	Name   string   `json:"name"`
	NameZH string   `json:"nameZH,omitempty"`
	Value  float64  `json:"value"`
	Unit   string   `json:"unit,omitempty"`
	Min    *float64 `json:"min,omitempty"`
	Max    *float64 `json:"max,omitempty"`
	Pass   bool     `json:"pass"`
}

// Verification says whether the code's chain verifies against the latest signed
// checkpoint.
type Verification struct {
	Verified bool `json:"verified"`
	// CheckpointSize is the tree size of the checkpoint the chain was checked against.
	CheckpointSize int64 `json:"checkpointSize,omitempty"`
	// Entries is how many chain entries the proof covered.
	Entries int `json:"entries"`
	// Error says why it did not verify ("" when it did, or when there is nothing to
	// verify because the code has no events).
	Error string `json:"error,omitempty"`
}

// Counterfeit holds the signals that the code may be fake.
type Counterfeit struct {
	// Suspect is true when any signal is raised.
	Suspect bool `json:"suspect"`
	// NeverIssued: an instance serial that was never commissioned on the ledger while
	// its product is known.
	NeverIssued bool `json:"neverIssued"`
	// Reasons explain the signals, for people.
	Reasons []string `json:"reasons,omitempty"`
	// Places and Window are filled in when the resolver's scan watch flags the code:
	// how many distinct places scanned it within the window.
	Places int    `json:"places,omitempty"`
	Window string `json:"window,omitempty"`
}

// Flag raises a counterfeit signal with a reason.
func (c *Counterfeit) Flag(reason string) {
	c.Suspect = true
	c.Reasons = append(c.Reasons, reason)
}
