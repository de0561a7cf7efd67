package epcis

// CheckCanonicalReader gives the external tests (which may import package fixtures,
// itself an importer of this package) the comparison of the canonical and the general
// reader.
var CheckCanonicalReader = checkCanonicalReader
