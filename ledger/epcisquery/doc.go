// Package epcisquery evaluates EPCIS 2.0 SimpleEventQuery queries (EPCIS 2.0
// section 8.2.7.1, as the REST binding passes them in the URI query string) over
// the ledger's indexes.
//
// A query is parsed once (Parse: every parameter checked, identifiers canonicalised
// to GS1 Digital Link with epcis.CanonicalID, CBV values to their bare words) and
// then run a page at a time (Run). Running picks the most selective way in:
// an event ID lookup, a multi-valued index (bizStep, disposition, locations,
// product codes), the event-time index, the record-time range (entries are
// appended in record-time order, so a range of record times is a range of entry
// indexes), or, with no usable parameter, the log in entry order; then every
// candidate event is parsed and matched against the whole query exactly, so an
// index only ever narrows the work, never the answer.
//
// Pages are continued with an opaque Cursor (see token.go) bound to the query it
// came from.
//
// The package reads through Source, the few read methods of *ledger.Log it needs,
// so it can be tested against a real log without a server.
package epcisquery
