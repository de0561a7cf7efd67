// Package ledger is traceledger's append-only, tamper-evident log of GS1 EPCIS 2.0
// events on Badger: event hash IDs (CBV 2.0), per-product hash chains, an RFC 6962
// Merkle tree with signed checkpoints (golang.org/x/mod/sumdb/tlog and note), proofs,
// secondary indexes and verification.
package ledger
