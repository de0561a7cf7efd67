// Package scanner holds traceledger's item codes: the GS1 application identifier (AI)
// table, check digits and content checks, element strings in bracketed, unbracketed and
// scan-data form, GS1 Digital Link URIs, EPC URNs, the Chinese firm codes (GB 32100,
// GB 11714), barcode rendering and image decoding.
//
// It follows the GS1 General Specifications and the rules of the GS1 Barcode Syntax
// Engine; the AI table is checked AI by AI against GS1's Barcode Syntax Dictionary in
// TestTableMatchesSyntaxDictionary. The package is pure: no I/O beyond the images it is
// handed.
package scanner
