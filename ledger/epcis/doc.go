// Package epcis is traceledger's model of GS1 EPCIS 2.0 events (ObjectEvent,
// AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent) with the
// Core Business Vocabulary (CBV) 2.0: it reads and writes EPCIS 2.0 JSON-LD documents
// (and reads EPCIS 2.0 XML), validates events, computes the CBV 2.0 event hash ID
// (CBV 2.0 section 8.9, checked against the reference implementation's vectors, see
// TestHashVectors) and derives the index keys the ledger stores beside each event.
//
// The package is pure: it does no I/O beyond the readers and writers it is given.
// Identifiers go through package scanner; the canonical form of a GS1 identifier is its
// GS1 Digital Link URI on https://id.gs1.org.
package epcis
