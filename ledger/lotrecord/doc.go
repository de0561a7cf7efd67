// Package lotrecord assembles what traceledger knows about one item code from the
// ledger: the record a consumer sees when scanning a pack and the JSON the GS1 Digital
// Link resolver serves (DESIGN.md journey 3).
//
// A Record names the product and its real-name producer (from a Directory, the firm
// and product registry), where and when the lot was made, how much of it, its expiry,
// whether it is recalled (with the recall's ID, reason and date from the tl:recall
// extension field that package ledger/recall writes), its journey newest first, the
// inspection and sampling results (the tl:inspection extension field), and whether its
// per-product chain verifies against the latest signed checkpoint: the chain is
// proved with Log.Prove and the bundle checked with ledger.CheckBundle under the
// log's own verifier key, exactly as an offline verifier would.
//
// Builder.Build walks up as GS1's resolver standard asks: an instance that is not on
// the ledger falls back to its lot (when the code names one), then to its GTIN, and the
// record says so (Record.Fallback). An instance serial that was never commissioned
// while its lot or GTIN is known is a counterfeit signal (Counterfeit.NeverIssued).
//
// The package reads only: it never appends.
package lotrecord
