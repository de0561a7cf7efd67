// Package webhooks keeps the webhook subscriptions of firms and the record of every
// delivery made to them, beside the ledger (in its Meta key-value space: they are
// not events, so nothing hashes or proves them), and signs and delivers the
// notifications the recall journey (DESIGN.md journey 4) sends to affected firms.
//
// Wire format of a delivery: an HTTP POST of a JSON body with
//
//	Content-Type: application/json
//	X-Traceledger-Event: recall
//	X-Traceledger-Delivery: <delivery ID>
//	X-Traceledger-Signature: sha256=<hex HMAC-SHA256 of the body under the hook's secret>
//
// as GitHub's webhooks do (a receiver recomputes the HMAC over the raw body and
// compares in constant time; Verify does it). A 2xx answer is success; anything
// else, or no answer within the timeout, is retried after the next delay of the
// schedule (exponential backoff) until the attempts run out. The retry queue lives
// in memory only: a delivery in flight when the process stops is not resumed, but
// its attempts so far stay recorded.
package webhooks
