package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"traceledger/ledger"
	"traceledger/ledger/recall"
	"traceledger/ledger/registry"
)

// The recall command computes the recall scope of one or more lots and, unless
// --dry-run, publishes the recall on the ledger (DESIGN.md journey 4):
//
//	traceledger recall [--data DIR] [--json|--csv] [--dry-run] [--reason TEXT] [--firm USCC] CODE...
//
// The scope is the forward walk from every given code, given codes included
// (recall.Scope); --json prints {"lots", "logisticUnits", "locations",
// "accountedFor"}, plus "id" (the recall ID) when the recall is published; --csv
// prints the FDA FSMA 204 sortable spreadsheet (recall.CSVHeader). Publishing appends,
// in one batch, a recall event (disposition recalled, persistentDisposition set
// recalled) for every affected lot not yet recalled under this recall ID; the ID is a
// UUIDv5 of the reason and the sorted codes, so repeating the command appends nothing.
// The recall ID is printed (on stderr with --json or --csv). Exit status: 0 done,
// 1 invalid code, 2 usage or I/O error.

func init() {
	commands = append(commands, func() *cobra.Command { return newRecallCmd(ledgerOptions) })
}

// recallJSON is the --json output: the scope, and the recall ID when published.
type recallJSON struct {
	ID string `json:"id,omitempty"`
	*recall.Scope
}

func newRecallCmd(opts func() ledger.Options) *cobra.Command {
	var dir, reason, firm string
	var asJSON, asCSV, dryRun bool
	cmd := &cobra.Command{
		Use:   "recall [--data DIR] [--json|--csv] [--dry-run] [--reason TEXT] CODE...",
		Short: "Compute a recall's scope (lots, units, consignees) and publish the recall on the ledger",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			if asJSON && asCSV {
				return exitCode(2, fmt.Errorf("--json and --csv exclude each other"))
			}
			var codes []string
			for _, a := range args {
				c, err := recall.CanonicalCode(a)
				if err != nil {
					return exitCode(1, fmt.Errorf("code %q: %w", a, err))
				}
				codes = append(codes, c)
			}
			l, err := openLedger(dir, opts())
			if err != nil {
				return err
			}
			defer closeLog(l, &err)
			dirn := recall.RegistryDirectory{Registry: registry.New(l)}
			sc, err := (&recall.Tracer{Log: l, Directory: dirn}).Scope(codes...)
			if err != nil {
				return exitCode(2, err)
			}
			stderr := cmd.ErrOrStderr()
			if sc.Truncated {
				fmt.Fprintln(stderr, "traceledger: warning: walk stopped at its bounds; the scope is incomplete")
			}
			var started *recall.Started
			if !dryRun {
				started, err = recall.Start(cmd.Context(), l, sc, recall.Request{Reason: reason, Firm: firm})
				if err != nil {
					return exitCode(2, err)
				}
			}
			out := cmd.OutOrStdout()
			switch {
			case asJSON:
				res := recallJSON{Scope: sc}
				if started != nil {
					res.ID = started.ID
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				err = enc.Encode(res)
			case asCSV:
				err = sc.WriteCSV(out, dirn)
			default:
				err = printScope(out, sc)
			}
			if err != nil {
				return exitCode(2, err)
			}
			if started != nil {
				w := out
				if asJSON || asCSV {
					w = stderr
				}
				fmt.Fprintf(w, "recall %s: %d recall events appended, %d already on the ledger\n",
					started.ID, len(started.Appended), started.Skipped)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "data", defaultDataDir, "ledger directory")
	cmd.Flags().StringVar(&reason, "reason", "", "why the lots are recalled (recorded in the recall events)")
	cmd.Flags().StringVar(&firm, "firm", "", "USCC of the firm starting the recall")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the scope as JSON")
	cmd.Flags().BoolVar(&asCSV, "csv", false, "print the scope as an FSMA 204 CSV spreadsheet")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "compute the scope without publishing the recall")
	return cmd
}

// printScope writes a scope for people.
func printScope(w io.Writer, sc *recall.Scope) error {
	var b strings.Builder
	fmt.Fprintf(&b, "affected lots (%d)\n", len(sc.Lots))
	for _, l := range sc.Lots {
		fmt.Fprintf(&b, "  %s  produced %g %s, shipped %g\n", l.ID, l.QuantityProduced, l.UOM, l.QuantityShipped)
	}
	fmt.Fprintf(&b, "logistic units (%d)\n", len(sc.LogisticUnits))
	for _, u := range sc.LogisticUnits {
		fmt.Fprintf(&b, "  %s\n", u)
	}
	fmt.Fprintf(&b, "consignees (%d)\n", len(sc.Locations))
	for _, l := range sc.Locations {
		fmt.Fprintf(&b, "  %s  firm %s  quantity %g  lots %d\n", l.ID, l.Firm, l.Quantity, len(l.Lots))
	}
	fmt.Fprintf(&b, "accounted for: %.1f %%\n", 100*sc.AccountedFor)
	_, err := io.WriteString(w, b.String())
	return err
}
