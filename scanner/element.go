package scanner

// An Element is one GS1 element string: an application identifier and its value.
type Element struct {
	AI    string
	Value string
}

// Data is GS1 data as read from any input form: its elements in input order and, for
// scan data, the AIM symbology identifier it came with.
type Data struct {
	// Symbology is the AIM symbology identifier ("]d2", "]C1", "]Q3", "]E0", ...), or ""
	// when the data was typed (bracketed, unbracketed) or came as a Digital Link URI.
	Symbology string
	Elements  []Element
}

// Options tunes parsing and validation. The zero value applies every rule.
type Options struct {
	// NoRequisite turns off the requisite-AI check (e.g. (10) without (01)).
	NoRequisite bool
	// ZeroSuppressedGTIN accepts 8-, 12- and 13-digit GTINs in a Digital Link path and
	// pads them to 14 digits; without it they are rejected as the standard says.
	ZeroSuppressedGTIN bool
}
