package recall

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CSVHeader is the header row of the recall export: the FDA FSMA 204 (21 CFR 1 subpart
// S) key data elements of a tracking event, one row per lot per event, followed by the
// GS1 identifiers and the event's ID so that each row can be checked against the
// ledger. The traceability lot code is the lot's GS1 Digital Link (GTIN plus lot); its
// source is the GLN of the location where the lot was made.
var CSVHeader = []string{
	"Traceability Lot Code",
	"Product Description",
	"Quantity",
	"Unit of Measure",
	"Event Type",
	"Location GLN",
	"Location Name",
	"Date",
	"Reference Document Type",
	"Reference Document Number",
	"Traceability Lot Code Source",
	"Traceability Lot Code Source Name",
	"Ship-To / Ship-From GLN",
	"GTIN",
	"Lot",
	"Event Time",
	"Event ID",
}

// WriteCSV writes the scope's tracking events as an RFC 4180 spreadsheet (CSVHeader,
// then one row per lot per tracking event, sorted by lot code, then time). dir may be
// nil; it names locations and products.
func (sc *Scope) WriteCSV(w io.Writer, dir Directory) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("recall: csv: %w", err)
	}
	source := map[string]string{}
	for _, te := range sc.Events {
		if te.producing && source[te.Lot] == "" {
			source[te.Lot] = te.Location
		}
	}
	name := func(loc string) string {
		if dir == nil || loc == "" {
			return ""
		}
		return dir.LocationName(loc)
	}
	for _, te := range sc.Events {
		desc := ""
		if dir != nil {
			desc = dir.ProductDescription(gtinOf(te.Lot))
		}
		docType, docID := "EPCIS event", te.EventID
		if len(te.Docs) > 0 {
			var types, ids []string
			for _, d := range te.Docs {
				types = append(types, docTypeName(d.Type))
				ids = append(ids, docNumber(d.ID))
			}
			docType, docID = strings.Join(types, "; "), strings.Join(ids, "; ")
		}
		date := te.Time
		if len(date) >= 10 {
			date = date[:10]
		}
		row := []string{
			te.Lot, desc, strconv.FormatFloat(te.Quantity, 'f', -1, 64), te.UOM, te.Kind,
			gln(te.Location), name(te.Location), date, docType, docID,
			gln(source[te.Lot]), name(source[te.Lot]), gln(te.Other),
			gtinOf(te.Lot), lotNumberOf(te.Lot), te.Time, te.EventID,
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("recall: csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("recall: csv: %w", err)
	}
	return nil
}

// gln returns the GLN (with its extension, "gln.ext") of a location Digital Link, or
// the identifier itself when it is not one.
func gln(loc string) string {
	p, ok := strings.CutPrefix(path(loc), "/414/")
	if !ok {
		return loc
	}
	g, ext, _ := strings.Cut(p, "/254/")
	if ext != "" {
		return g + "." + ext
	}
	return g
}

// docTypeName spells a CBV business transaction type the way FSMA 204 reference
// documents are named.
func docTypeName(t string) string {
	names := map[string]string{
		"bol": "Bill of Lading", "desadv": "Despatch Advice", "inv": "Invoice", "po": "Purchase Order",
		"poc": "Purchase Order Confirmation", "prodorder": "Production Order", "recadv": "Receiving Advice",
		"rma": "Return Merchandise Authorization", "cert": "Certificate", "pedigree": "Pedigree",
		"testprd": "Test Procedure", "testres": "Test Result", "upevt": "Upstream EPCIS Event",
	}
	if n, ok := names[bttBare(t)]; ok {
		return n
	}
	return t
}

// bttBare returns the bare CBV business transaction type of t in any of its forms.
func bttBare(t string) string {
	for _, p := range []string{"https://ref.gs1.org/cbv/BTT-", "cbv:BTT-", "urn:epcglobal:cbv:btt:"} {
		if b, ok := strings.CutPrefix(t, p); ok {
			return b
		}
	}
	return t
}

// docNumber returns the document number of a CBV business transaction identifier
// (urn:epcglobal:cbv:bt:{gln}:{number}), or the identifier as written.
func docNumber(id string) string {
	if rest, ok := strings.CutPrefix(id, "urn:epcglobal:cbv:bt:"); ok {
		if _, num, ok := strings.Cut(rest, ":"); ok {
			return num
		}
	}
	return id
}
