package epcis

import "encoding/json"

// The five EPCIS 2.0 event types (EPCIS 2.0 section 7.4), as Event.Type holds them.
const (
	ObjectEvent         = "ObjectEvent"
	AggregationEvent    = "AggregationEvent"
	TransformationEvent = "TransformationEvent"
	TransactionEvent    = "TransactionEvent"
	AssociationEvent    = "AssociationEvent"
)

// The three EPCIS actions.
const (
	ActionAdd     = "ADD"
	ActionObserve = "OBSERVE"
	ActionDelete  = "DELETE"
)

// An Event is one EPCIS 2.0 event of any of the five types.
//
// It is one struct with a Type field rather than five types because the five share
// most of their fields (time, where, why, sensor data, extensions), the JSON-LD form
// carries the type as a plain "type" member, and the hash, the validator and the index
// keys all walk the same fields in the same order: one struct keeps each of those a
// single function, and Validate says which fields a type requires or forbids.
//
// String fields hold what the document said (times as written, identifiers as EPC URNs
// or Digital Link URIs, CBV values bare, as URNs, as URIs or as CURIEs) until Normalize
// turns them into the canonical storage form. An empty string or nil slice means the
// field is absent.
type Event struct {
	Type string // ObjectEvent, AggregationEvent, ...

	EventTime           string // RFC 3339 with offset, e.g. "2020-03-04T11:00:30+01:00"
	EventTimeZoneOffset string // ±hh:mm
	RecordTime          string // set by the capturing system; not part of the hash
	EventID             string // any URI the capturer gave; not part of the hash
	CertificationInfo   []string
	ErrorDeclaration    *ErrorDeclaration

	Action             string // ADD, OBSERVE, DELETE (not TransformationEvent)
	ParentID           string // Aggregation, Transaction, Association
	EPCList            []string
	ChildEPCs          []string
	InputEPCList       []string
	OutputEPCList      []string
	QuantityList       []Quantity
	ChildQuantityList  []Quantity
	InputQuantityList  []Quantity
	OutputQuantityList []Quantity
	TransformationID   string

	BizStep               string
	Disposition           string
	PersistentDisposition *PersistentDisposition
	ReadPoint             *Location
	BizLocation           *Location
	BizTransactionList    []BizTransaction
	SourceList            []SourceDest
	DestinationList       []SourceDest
	SensorElementList     []SensorElement
	// ILMD is instance/lot master data: extension fields only (EPCIS 2.0 section 7.3.6).
	ILMD []Field

	// Extensions are the event's own extension fields, in document order.
	Extensions []Field
	// Namespaces maps the prefixes used by extension names ("example") to their
	// namespace IRIs ("https://ns.example.com/epcis/"), as the JSON-LD @context of the
	// document (or of the event) declared them.
	Namespaces map[string]string

	// HashIgnore names extension fields the event hash leaves out, as the document
	// declared them in a top-level "…:ignoreFields" member (a repository's own
	// bookkeeping fields, such as its copy of the hash).
	HashIgnore []string

	// fromXML records that the event was read from XML, where the reference hash
	// writes booleans as the document did ("true") and expands only the gs1: and cbv:
	// prefixes in values.
	fromXML bool

	// problems are what the reader found wrong while mapping JSON onto the fields
	// (wrong JSON type, unknown standard field, ...): Validate reports them.
	problems []problem
}

// A Field is one extension field: a name with a namespace prefix declared in the
// JSON-LD @context ("example:myField") and its JSON value as written.
type Field struct {
	Name  string
	Value json.RawMessage
}

// A Quantity is one element of a quantity list: an EPC class (a product class or lot)
// and optionally how much of it, in a UN/CEFACT Rec. 20 unit when uom is given.
type Quantity struct {
	EPCClass string
	Quantity string // a JSON number's literal text; "" when absent
	UOM      string
	// Extensions of the element, if any.
	Extensions []Field
}

// ErrorDeclaration marks an event as erroneous (EPCIS 2.0 section 7.4.1.2); corrections
// are new events that point back at it.
type ErrorDeclaration struct {
	DeclarationTime    string
	Reason             string // CBV error reason, e.g. "incorrect_data"
	CorrectiveEventIDs []string
	Extensions         []Field
}

// PersistentDisposition lists dispositions that stay in force until unset, such as
// "recalled" (EPCIS 2.0 section 7.3.5.5).
type PersistentDisposition struct {
	Set   []string
	Unset []string
}

// A Location is a read point or business location: a location identifier (SGLN / GLN
// Digital Link) plus extension fields.
type Location struct {
	ID         string
	Extensions []Field
}

// A BizTransaction is one business transaction reference with its CBV type ("po").
type BizTransaction struct {
	Type  string
	Value string
}

// A SourceDest is one source or destination with its CBV type ("owning_party",
// "possessing_party", "location").
type SourceDest struct {
	Type  string
	Value string
}

// A SensorElement is one sensor's metadata and reports (EPCIS 2.0 section 7.3.8).
type SensorElement struct {
	Metadata   *SensorMetadata
	Reports    []SensorReport
	Extensions []Field
}

// SensorMetadata describes the sensor device and the period its reports cover.
type SensorMetadata struct {
	Time                 string
	StartTime            string
	EndTime              string
	DeviceID             string
	DeviceMetadata       string
	RawData              string
	DataProcessingMethod string
	BizRules             string
	Extensions           []Field
}

// A SensorReport is one measurement or alert. Numeric members hold a JSON number's
// literal text, "" when absent.
type SensorReport struct {
	Type                      string // gs1 measurement type, e.g. "Temperature"
	Exception                 string // "ALARM_CONDITION", "ERROR_CONDITION"
	DeviceID                  string
	DeviceMetadata            string
	RawData                   string
	DataProcessingMethod      string
	Time                      string
	Microorganism             string
	ChemicalSubstance         string
	Value                     string
	Component                 string
	StringValue               string
	BooleanValue              string // "true", "false" or ""
	HexBinaryValue            string
	URIValue                  string
	MinValue                  string
	MaxValue                  string
	MeanValue                 string
	SDev                      string
	PercRank                  string
	PercValue                 string
	UOM                       string
	CoordinateReferenceSystem string
	// BizRules appears in GS1's own sensor examples on reports, though the standard
	// puts it in the metadata; it is kept, and hashed with the leftovers as the
	// reference implementation does.
	BizRules   string
	Extensions []Field
}

// A problem is one fault found while reading, kept for Validate.
type problem struct {
	path string
	msg  string
}
