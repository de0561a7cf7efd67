package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"traceledger/ledger"
)

// The types of registry records.
const (
	TypeFirmRegistration    = "tl:FirmRegistration"
	TypeFirmUpdate          = "tl:FirmUpdate"
	TypeProductRegistration = "tl:ProductRegistration"
)

// Chain codes of registry records (see the package comment).
const (
	// RegistryCode chains every registry record: its history is the registry's.
	RegistryCode = "urn:traceledger:registry"
	// firmCodePrefix + USCC chains one firm's records.
	firmCodePrefix = "urn:traceledger:firm:"
	// productCodePrefix + GTIN-14 chains one product's records.
	productCodePrefix = "urn:traceledger:product:"
)

// FirmCode is the chain code of a firm's registry records: ledger.History of it is
// the firm's registration history, newest first.
func FirmCode(uscc string) string { return firmCodePrefix + uscc }

// ProductCode is the chain code of a product's registry records.
func ProductCode(gtin string) string { return productCodePrefix + gtin }

// recordIDSuffix versions the record ID scheme, as "?ver=CBV2.0" does event hash IDs.
const recordIDSuffix = "?ver=tl-registry-1"

// recordMark starts the bytes of every registry record and of no EPCIS event: a
// canonical record's first member is its type, and every type starts with "tl:".
var recordMark = []byte(`{"type":"tl:`)

// A Record is one registry entry on the ledger: the full state of a firm or
// product after a registration or change, who made it and the record it
// supersedes. Full states rather than differences make the current state one
// read, and each record readable alone in a proof bundle.
type Record struct {
	// Type is TypeFirmRegistration, TypeFirmUpdate or TypeProductRegistration.
	Type string `json:"type"`
	// Prev is the ID of the record this one supersedes ("" for a registration).
	Prev string `json:"prev,omitempty"`
	// By is the USCC of the firm that made the change (an admin's or regulator's
	// firm, or the firm itself), when known.
	By string `json:"by,omitempty"`
	// Reason says why, for status changes and blacklisting.
	Reason string `json:"reason,omitempty"`
	// Firm is the firm's state after the change (firm records).
	Firm *Firm `json:"firm,omitempty"`
	// Product is the product as registered (product records).
	Product *Product `json:"product,omitempty"`
}

// IsRecord reports whether stored entry bytes are a registry record rather than an
// EPCIS event. Code that reads every entry of the log (exports, statistics) uses
// it to skip registry records.
func IsRecord(event []byte) bool { return bytes.HasPrefix(event, recordMark) }

// RecordID returns the ID of a record's canonical bytes:
// "ni:///sha-256;<hex>?ver=tl-registry-1" (RFC 6920).
func RecordID(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	return "ni:///sha-256;" + hex.EncodeToString(sum[:]) + recordIDSuffix
}

// Marshal returns the record's canonical bytes.
func (r *Record) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("registry: encoding record: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// ErrBadRecord is returned (wrapped) for bytes that look like a registry record
// but are not a canonical, valid one.
var ErrBadRecord = errors.New("registry: malformed record")

// ParseRecord reads a record's canonical bytes. It refuses unknown members,
// non-canonical encodings and records whose subject is missing, so that a record
// has exactly one byte form and hence one ID.
func ParseRecord(data []byte) (*Record, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Record
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadRecord, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the record", ErrBadRecord)
	}
	switch r.Type {
	case TypeFirmRegistration, TypeFirmUpdate:
		if r.Firm == nil || r.Product != nil {
			return nil, fmt.Errorf("%w: a %s holds one firm and no product", ErrBadRecord, r.Type)
		}
	case TypeProductRegistration:
		if r.Product == nil || r.Firm != nil {
			return nil, fmt.Errorf("%w: a %s holds one product and no firm", ErrBadRecord, r.Type)
		}
	default:
		return nil, fmt.Errorf("%w: unknown type %q", ErrBadRecord, r.Type)
	}
	if (r.Type == TypeFirmUpdate) != (r.Prev != "") {
		return nil, fmt.Errorf("%w: only a %s names the record it supersedes", ErrBadRecord, TypeFirmUpdate)
	}
	again, err := r.Marshal()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(again, data) {
		return nil, fmt.Errorf("%w: not in canonical form", ErrBadRecord)
	}
	return &r, nil
}

// codes returns the chain codes the record is linked under.
func (r *Record) codes() []string {
	if r.Firm != nil {
		return []string{FirmCode(r.Firm.USCC), RegistryCode}
	}
	return []string{ProductCode(r.Product.GTIN), RegistryCode}
}

// Indexer returns the ledger Indexer of a log holding registry records beside the
// events next indexes (ledger.EPCISIndexer): registry records get their record ID
// and their chain codes; every other entry goes to next. Open the server's log
// with ledger.DefaultOptions().WithIndexer(registry.Indexer(ledger.EPCISIndexer)).
func Indexer(next ledger.Indexer) ledger.Indexer {
	return func(event []byte) (ledger.IndexKeys, error) {
		if !IsRecord(event) {
			return next(event)
		}
		r, err := ParseRecord(event)
		if err != nil {
			return ledger.IndexKeys{}, err
		}
		return ledger.IndexKeys{EventID: RecordID(event), Products: r.codes()}, nil
	}
}
