// Package ledger is traceledger's append-only, tamper-evident log of GS1 EPCIS 2.0
// events on Badger: event hash IDs (CBV 2.0), per-product hash chains, an RFC 6962
// Merkle tree with signed checkpoints (golang.org/x/mod/sumdb/tlog and note), proofs,
// secondary indexes and verification.
//
// The log follows the design of Certificate Transparency (RFC 6962) as the Go checksum
// database does: its proofs are tlog's, compatible with that system (see
// TestTreeMatchesRFC6962Vectors and TestProofsMatchTransparencyDev), and its
// checkpoints are C2SP tlog-checkpoint signed notes. It does not parse events: an
// Indexer supplied in Options derives each event's index data (IndexKeys), so the
// event model lives elsewhere (ledger/epcis).
//
// Where things are:
//
//	entry.go       the entry and its canonical encoding (what the tree commits to)
//	log.go         Options, Open, Close, Get, Lookup, Checkpoint
//	append.go      Record, Append and the group-committing appender
//	index.go       IndexKeys, Indexer and the index rows of an entry
//	keys.go        the store's key layout
//	tree.go        the Merkle tree on the store, inclusion and consistency proofs
//	checkpoint.go  the signing key and signed checkpoints
//	history.go     the per-product chain walk
//	bundle.go      proof bundles and their offline check (VerifyBundle)
//	query.go       index queries
//	verify.go      Verify: recompute everything, name the first bad entry
//	store.go       the Store interface; badger.go its Badger implementation
//	bench.go       the benchmark driver behind `traceledger bench ledger`
package ledger
