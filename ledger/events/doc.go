// Package events turns the simple requests of traceledger's native API (journeys 1
// and 2 of DESIGN.md: a producer registering a lot, packing, shipping and receiving
// it; an inspector recording a result) into standard GS1 EPCIS 2.0 events with CBV 2.0
// vocabulary, so that people who do not speak EPCIS get the same ledger records as
// those who do. The HTTP API, the command line and fixtures can all use it.
//
// Each builder is pure: it reads a request, checks every field (errors are an
// epcis.ValidationError naming the request's JSON field, "inputs[1].quantity"),
// and returns an event that epcis.Event.Validate accepts, with every identifier as
// its canonical GS1 Digital Link URI on https://id.gs1.org:
//
//	CommissionLot      ObjectEvent ADD, commissioning/active, quantityList + ILMD;
//	                   with input lots a TransformationEvent (commissioning/active,
//	                   inputQuantityList -> outputQuantityList, ILMD on the output)
//	CommissionSerials  ObjectEvent ADD, commissioning/active, epcList of instances
//	                   beside their lot class, ILMD lotNumber
//	Pack               AggregationEvent ADD, packing/in_progress, parentID an SSCC
//	Ship, Receive      ObjectEvent OBSERVE, shipping/in_transit or receiving/in_progress,
//	                   source and destination lists, despatch advice and orders
//	Inspect            ObjectEvent OBSERVE, inspecting or sampling,
//	                   conformant/non_conformant, the result as extension tl:inspection
//
// Lot master data uses the CBV master data attributes (namespace
// urn:epcglobal:cbv:mda:, prefix cbvmda): lotNumber, productionDate, bestBeforeDate,
// itemExpirationDate. traceledger's own extension data lives under Namespace.
//
// Builders do not decide who may record what: ownership (a producer commissions only
// under its own GS1 company prefixes, at its own sites) is the registry's business.
package events
