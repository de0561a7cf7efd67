package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"traceledger/scanner"
	"traceledger/server"
)

// The scan command is the inspector's journey from the command line: whatever a scanner
// or camera produced is parsed, validated and shown in every canonical form. Its output
// and exit statuses are a contract that tests outside the repository rely on:
//
//	traceledger scan [--json] [--stem URL] [--no-requisite] [--zero-suppressed-gtin] INPUT
//
// INPUT is bracketed "(01)...", unbracketed "^01...", scan data "]d2..." (GS as the byte
// 0x1D), a Digital Link URI "https://...", an EPC URN "urn:epc:...", "@FILE" (a barcode
// image to decode) or "-" (one input read from standard input, trailing newline removed).
// Exit status: 0 valid, 1 invalid data, 2 usage or I/O error.

func init() { commands = append(commands, newScanCmd) }

// scanReport is the --json output: one object per input. The type is server.ScanReport,
// so that POST /api/v1/scans answers in exactly the same shape.
type scanReport = server.ScanReport

// scanFlags are the command's options.
type scanFlags struct {
	json               bool
	stem               string
	noRequisite        bool
	zeroSuppressedGTIN bool
}

func newScanCmd() *cobra.Command { return newScanCmdWith(scanner.DecodeImageBytes) }

// newScanCmdWith builds the scan command with the image decoder that @FILE uses.
func newScanCmdWith(decodeImage func([]byte) (string, error)) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [--json] [--stem URL] [--no-requisite] [--zero-suppressed-gtin] INPUT",
		Short: "Parse and validate a GS1 code: element string, scan data, Digital Link URI, EPC URN or barcode image",
		Long: `Parse and validate one GS1 code and print its AIs, its bracketed element string and its
GS1 Digital Link URI.

INPUT is one of:
  (01)09520123456788(10)ABC123     bracketed element string ("\(" for a literal "(")
  ^010952012345678810ABC123^17...   unbracketed, "^" for FNC1 (or GS 0x1D separators)
  ]d2010952012345678810ABC123...    scan data with its AIM symbology identifier
  https://id.gs1.org/01/...         GS1 Digital Link URI on any stem
  urn:epc:id:sgtin:...              EPC URN
  @FILE                             an image of a barcode to decode
  -                                 one input read from standard input

Exit status: 0 valid, 1 invalid data, 2 usage or I/O error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd, f, args[0], decodeImage)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.json, "json", false, "print one JSON object")
	fl.StringVar(&f.stem, "stem", "", "stem of the printed Digital Link URI (default "+scanner.CanonicalStem+")")
	fl.BoolVar(&f.noRequisite, "no-requisite", false, "do not require requisite AIs (e.g. (10) without (01))")
	fl.BoolVar(&f.zeroSuppressedGTIN, "zero-suppressed-gtin", false, "accept GTIN-8/12/13 in a Digital Link path, padded to 14 digits")
	return cmd
}

func runScan(cmd *cobra.Command, f scanFlags, arg string, decodeImage func([]byte) (string, error)) error {
	if f.stem != "" && !validStem(f.stem) {
		return exitCode(2, fmt.Errorf("scan: --stem %q: want an http:// or https:// URL with a host", f.stem))
	}
	input, decodeErr, err := scanInput(cmd.InOrStdin(), arg, decodeImage)
	if err != nil {
		return exitCode(2, fmt.Errorf("scan: %w", err))
	}

	var rep scanReport
	if decodeErr != nil {
		rep = scanReport{AIs: []server.ScanAI{}, Errors: []server.ScanProblem{{Message: decodeErr.Error()}}}
	} else {
		opts := scanner.Options{NoRequisite: f.noRequisite, ZeroSuppressedGTIN: f.zeroSuppressedGTIN}
		d, perr := scanner.Parse(input, opts)
		rep = newScanReport(d, perr, f.stem)
	}

	out := cmd.OutOrStdout()
	if f.json {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return exitCode(2, fmt.Errorf("scan: %w", err))
		}
	} else if err := printScanTable(out, rep); err != nil {
		return exitCode(2, fmt.Errorf("scan: %w", err))
	}
	if !rep.Valid {
		if f.json {
			return exitCode(1, errors.New("")) // the JSON says why
		}
		return exitCode(1, fmt.Errorf("scan: invalid GS1 data (%d problems)", len(rep.Errors)))
	}
	return nil
}

// scanInput returns the GS1 text the argument stands for: the argument itself, one line
// of standard input for "-", or the scan data decoded from the image file for "@FILE".
// A file that cannot be read is an I/O error (err); an image without a readable barcode
// is a fault in the data (decodeErr).
func scanInput(stdin io.Reader, arg string, decodeImage func([]byte) (string, error)) (input string, decodeErr, err error) {
	switch {
	case arg == "-":
		b, err := io.ReadAll(stdin)
		if err != nil {
			return "", nil, fmt.Errorf("reading standard input: %w", err)
		}
		s := strings.TrimSuffix(string(b), "\n")
		return strings.TrimSuffix(s, "\r"), nil, nil
	case strings.HasPrefix(arg, "@"):
		b, err := os.ReadFile(arg[1:])
		if err != nil {
			return "", nil, err
		}
		s, err := decodeImage(b)
		if err != nil {
			return "", fmt.Errorf("image %s: %w", arg[1:], err), nil
		}
		return s, nil, nil
	}
	return arg, nil, nil
}

func validStem(s string) bool {
	for _, p := range []string{"https://", "http://"} {
		if strings.HasPrefix(strings.ToLower(s), p) {
			host, _, _ := strings.Cut(s[len(p):], "/")
			return host != ""
		}
	}
	return false
}

// newScanReport turns a parse result into the report: the AIs read (even when some are
// wrong) and, when valid, the canonical forms.
func newScanReport(d scanner.Data, perr error, stem string) scanReport {
	return server.NewScanReport(d, perr, stem)
}

// printScanTable writes the report for people.
func printScanTable(w io.Writer, rep scanReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if rep.Valid {
		fmt.Fprintln(tw, "valid\tyes")
	} else {
		fmt.Fprintln(tw, "valid\tNO")
	}
	if rep.Symbology != nil {
		fmt.Fprintf(tw, "symbology\t%s %s\n", *rep.Symbology, scanner.SymbologyName(*rep.Symbology))
	}
	if rep.Bracketed != "" {
		fmt.Fprintf(tw, "bracketed\t%s\n", rep.Bracketed)
	}
	if rep.DigitalLink != "" {
		fmt.Fprintf(tw, "digital link\t%s\n", rep.DigitalLink)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rep.AIs) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "AI\tTITLE\tVALUE")
		for _, a := range rep.AIs {
			fmt.Fprintf(tw, "(%s)\t%s\t%s\n", a.AI, a.Title, printable(a.Value))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(rep.Errors) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "errors:")
		for _, e := range rep.Errors {
			if e.AI != "" {
				fmt.Fprintf(w, "  position %d: AI (%s): %s\n", e.Position, e.AI, e.Message)
			} else {
				fmt.Fprintf(w, "  position %d: %s\n", e.Position, e.Message)
			}
		}
	}
	return nil
}

// printable shows control characters of a value (a stray GS, ...) visibly.
func printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0 {
		return s
	}
	q := fmt.Sprintf("%q", s)
	return q[1 : len(q)-1]
}
