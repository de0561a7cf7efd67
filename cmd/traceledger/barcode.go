package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"traceledger/scanner"
)

// The barcode command is the producer's journey from the command line: it issues a
// printable symbol for GS1 data. Its flags, output and exit statuses are a contract:
//
//	traceledger barcode --symbology gs1-128|gs1-datamatrix|gs1-qr|dl-qr|dl-datamatrix|ean13|upca|ean8
//	    [--format png|svg] [--module PX] [--hri] [--stem URL] [-o FILE] DATA
//
// DATA is any input `traceledger scan` accepts (bracketed, unbracketed, scan data,
// Digital Link URI, EPC URN, "@FILE" image, "-" for standard input); for EAN/UPC also a
// bare GTIN of 8, 12, 13 or 14 digits. The image goes to FILE or standard output.
// Exit status: 0 written, 1 the data is invalid or cannot go in that symbology, 2 usage
// or I/O error.

func init() { commands = append(commands, newBarcodeCmd) }

// barcodeFlags are the command's options.
type barcodeFlags struct {
	symbology string
	format    string
	module    int
	hri       bool
	stem      string
	output    string
}

func newBarcodeCmd() *cobra.Command {
	var f barcodeFlags
	names := make([]string, 0, 8)
	for _, s := range scanner.Symbologies() {
		names = append(names, s.String())
	}
	cmd := &cobra.Command{
		Use:   "barcode --symbology NAME [--format png|svg] [--module PX] [--hri] [--stem URL] [-o FILE] DATA",
		Short: "Issue a GS1 barcode (GS1-128, GS1 DataMatrix, GS1 QR, Digital Link QR/DataMatrix, EAN/UPC) as PNG or SVG",
		Long: `Encode GS1 data as a printable barcode and write it as PNG or SVG.

Symbologies:
  gs1-128          Code 128 with FNC1: the element string, at most 48 data characters
  gs1-datamatrix   GS1 DataMatrix: the element string
  gs1-qr           GS1 QR Code (FNC1 in first position): the element string
  dl-qr            QR Code holding the GS1 Digital Link URI (consumer-facing packs)
  dl-datamatrix    Data Matrix holding the GS1 Digital Link URI
  ean13, upca, ean8  the GTIN alone (GTIN-13 or -12, GTIN-12, GTIN-8)

DATA is any input "traceledger scan" accepts: (01)..., ^01..., ]d2..., https://...,
urn:epc:..., @FILE (a barcode image to re-issue) or - (standard input); for ean13, upca
and ean8 also a bare GTIN of 8, 12, 13 or 14 digits.

The image goes to FILE (-o) or standard output; --format defaults to svg when FILE ends
in .svg, else png. Linear symbols get their human-readable line with --hri.

Exit status: 0 written, 1 the data is invalid or cannot go in that symbology, 2 usage
or I/O error.`,
		Example: `  traceledger barcode --symbology gs1-datamatrix -o lot.png '(01)09506000134352(17)261231(10)LOT42'
  traceledger barcode --symbology dl-qr --stem https://example.com --format svg '(01)09506000134352(10)LOT42' > lot.svg
  traceledger barcode --symbology ean13 --hri -o pack.png 9506000134352`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBarcode(cmd, f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.symbology, "symbology", "", "symbology: "+strings.Join(names, ", ")+" (required)")
	fl.StringVar(&f.format, "format", "", "image format: png or svg (default png, svg for an -o FILE ending in .svg)")
	fl.IntVar(&f.module, "module", scanner.DefaultModule, "module size in pixels (1-100)")
	fl.BoolVar(&f.hri, "hri", false, "print the human-readable line under linear symbols")
	fl.StringVar(&f.stem, "stem", "", "Digital Link stem for dl-qr and dl-datamatrix (default "+scanner.CanonicalStem+")")
	fl.StringVarP(&f.output, "output", "o", "", "write the image to FILE instead of standard output")
	_ = cmd.MarkFlagRequired("symbology")
	return cmd
}

func runBarcode(cmd *cobra.Command, f barcodeFlags, arg string) error {
	sym, err := scanner.ParseSymbology(f.symbology)
	if err != nil {
		return exitCode(2, fmt.Errorf("barcode: --symbology: %w", err))
	}
	format := strings.ToLower(f.format)
	if format == "" {
		format = "png"
		if strings.EqualFold(filepath.Ext(f.output), ".svg") {
			format = "svg"
		}
	}
	if format != "png" && format != "svg" {
		return exitCode(2, fmt.Errorf("barcode: --format %q: want png or svg", f.format))
	}
	if f.module < 1 || f.module > 100 {
		return exitCode(2, fmt.Errorf("barcode: --module %d: want 1 to 100 pixels", f.module))
	}
	if f.stem != "" && !validStem(f.stem) {
		return exitCode(2, fmt.Errorf("barcode: --stem %q: want an http:// or https:// URL with a host", f.stem))
	}
	// DATA is read exactly as `traceledger scan` reads INPUT; an @FILE image lets a
	// photographed code be re-issued in another symbology.
	input, decodeErr, err := scanInput(cmd.InOrStdin(), arg, scanner.DecodeImageBytes)
	if err != nil {
		return exitCode(2, fmt.Errorf("barcode: %w", err))
	}
	if decodeErr != nil {
		return exitCode(1, fmt.Errorf("barcode: %w", decodeErr))
	}

	s, err := scanner.Render(sym, input, scanner.RenderOptions{Module: f.module, HRI: f.hri, Stem: f.stem})
	if err != nil {
		return exitCode(1, fmt.Errorf("barcode: cannot issue %s: %w", sym, err))
	}
	var buf bytes.Buffer
	if format == "svg" {
		err = s.SVG(&buf)
	} else {
		err = s.PNG(&buf)
	}
	if err != nil {
		return exitCode(2, fmt.Errorf("barcode: %w", err))
	}

	if f.output != "" && f.output != "-" {
		if err := os.WriteFile(f.output, buf.Bytes(), 0o644); err != nil {
			return exitCode(2, fmt.Errorf("barcode: %w", err))
		}
		return nil
	}
	out := cmd.OutOrStdout()
	if file, ok := out.(*os.File); ok && format == "png" && term.IsTerminal(int(file.Fd())) {
		return exitCode(2, errors.New("barcode: not writing a PNG to a terminal: use -o FILE or redirect the output"))
	}
	if _, err := out.Write(buf.Bytes()); err != nil {
		return exitCode(2, fmt.Errorf("barcode: %w", err))
	}
	return nil
}
