// Package recall answers the recall journey of traceledger (DESIGN.md section 6,
// journey 4): where did a lot come from, where did it go, and what does a recall of it
// have to reach.
//
// A Tracer walks the ledger's product index and the events themselves, breadth
// first, bounded and cycle-safe, in both directions:
//
//   - Back (Tracer.Back) from a lot, instance or logistic unit: through the
//     TransformationEvents that made it (outputs -> inputs, with the input quantities),
//     the commissioning that put an instance into a lot, the AggregationEvents that
//     packed a logistic unit (parent -> children, never child -> parent: a lot is not
//     walked up to the pallets that carry it, nor across a shared pallet to its
//     neighbours) and the receiving events that name where it came from.
//   - Forward (Tracer.Forward) from one or more lots: to every lot and instance made
//     from them (transitively), every unit that contains any of them (child -> parent,
//     transitively), and every shipment and receipt of any of those, hence every
//     consignee location and firm.
//
// Lot-level (class plus quantity) and instance-level (serial) events may be mixed: an
// instance commissioned under a lot (ILMD lotNumber, or a quantityList naming the lot
// beside the instance in the same event) is part of that lot.
//
// Tracer.Scope turns a forward walk into a recall scope report (Scope, with the JSON
// contract of `traceledger recall --json`), WriteCSV exports it with the FDA FSMA 204
// key data elements, and Start publishes the recall on the ledger: one batch of
// ObjectEvents with disposition "recalled", idempotent per recall ID.
package recall
