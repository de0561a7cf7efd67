package server

import (
	"errors"

	"traceledger/scanner"
)

// A ScanReport is the parse of one scan, in the JSON shape of `traceledger scan
// --json` (the command's contract): whether it is valid GS1 data, the symbology it came
// from, every AI read (even when some are wrong), the canonical forms when valid, and
// every problem with its AI and position. It is defined here, where both the scan API
// and the command can use it.
type ScanReport struct {
	Valid bool `json:"valid"`
	// Symbology is the AIM symbology identifier of scan data, null for typed input.
	Symbology   *string       `json:"symbology"`
	AIs         []ScanAI      `json:"ais"`         // in input order
	Bracketed   string        `json:"bracketed"`   // "" when invalid
	DigitalLink string        `json:"digitalLink"` // "" when invalid or without a primary key
	Errors      []ScanProblem `json:"errors"`      // [] when valid
}

// A ScanAI is one element read from a scan, with the AI's title.
type ScanAI struct {
	AI    string `json:"ai"`
	Title string `json:"title"`
	Value string `json:"value"`
}

// A ScanProblem is one problem of a scan: the AI it is in ("" when not in one), its
// 0-based position in the input, and the message.
type ScanProblem struct {
	AI       string `json:"ai"`
	Position int    `json:"position"`
	Message  string `json:"message"`
}

// NewScanReport turns a parse result into the report; stem is the Digital Link stem
// ("" for https://id.gs1.org).
func NewScanReport(d scanner.Data, perr error, stem string) ScanReport {
	rep := ScanReport{Valid: perr == nil, AIs: []ScanAI{}, Errors: []ScanProblem{}}
	if d.Symbology != "" {
		sym := d.Symbology
		rep.Symbology = &sym
	}
	for _, e := range d.Elements {
		title := ""
		if a := scanner.LookupAI(e.AI); a != nil {
			title = a.Title
		}
		rep.AIs = append(rep.AIs, ScanAI{AI: e.AI, Title: title, Value: e.Value})
	}
	if perr != nil {
		var es scanner.Errors
		var e *scanner.Error
		switch {
		case errors.As(perr, &es):
			for _, e := range es {
				rep.Errors = append(rep.Errors, ScanProblem{AI: e.AI, Position: e.Position, Message: e.Message})
			}
		case errors.As(perr, &e):
			rep.Errors = append(rep.Errors, ScanProblem{AI: e.AI, Position: e.Position, Message: e.Message})
		default:
			rep.Errors = append(rep.Errors, ScanProblem{Message: perr.Error()})
		}
		return rep
	}
	rep.Bracketed = d.Bracketed()
	if dl, err := d.DigitalLink(stem); err == nil {
		rep.DigitalLink = dl
	}
	return rep
}
