// Package registry is traceledger's register of firms and products (DESIGN.md
// journey 1 and section 7): real-name firms with their Unified Social Credit Code
// (GB 32100), registering region (GB/T 2260), GS1 company prefixes and site GLNs,
// and the products (GTINs) they own, together with the ownership policy that
// decides which EPCIS events a firm may capture.
//
// Registration and every later change are ledger entries like any event, so a
// firm's history is part of its quality-credit file and is proved with the same
// RFC 6962 proofs. A registry record is canonical JSON (encoding/json of Record,
// members in a fixed order) whose type is one of
//
//	tl:FirmRegistration     a firm registers (status pending or approved)
//	tl:FirmUpdate           a firm's status, blacklisting or details change
//	tl:ProductRegistration  a firm registers a trade item (GTIN)
//
// which no EPCIS event can carry (EPCIS allows five event types), so Indexer tells
// the two apart by the bytes' first member. A record's ID is the SHA-256 of its
// bytes as an RFC 6920 ni URI, "ni:///sha-256;<hex>?ver=tl-registry-1"; each
// record names the ID of the record it supersedes (Prev), so a repeated change
// (suspend, approve, suspend) is a new record rather than a duplicate.
//
// Records are chained under codes in the urn:traceledger namespace, never under
// GS1 Digital Links, so that the chains, locations and genealogy of goods hold EPCIS
// events only:
//
//	urn:traceledger:firm:<USCC>      the firm's registration and changes
//	urn:traceledger:product:<GTIN>   the product's registration
//	urn:traceledger:registry         every registry record, in log order
//
// The current state of a firm or product is its newest record. A Registry reads
// every record once when it is made and keeps the state in memory, updating it
// as it appends; it must be the only writer of registry records to its log while
// it is in use (the server and the offline commands each hold the store alone).
package registry
