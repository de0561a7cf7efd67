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

// The trace command walks the genealogy of one code (DESIGN.md section 6):
//
//	traceledger trace [--data DIR] [--json] --direction back|forward CODE
//
// back: where it came from (upstream lots, root sources, the places and firms it came
// from); forward: where it went (lots made from it, units holding it, consignees).
// CODE is any input the scan command accepts, walked as its canonical Digital Link on
// https://id.gs1.org. --json prints {"origin", "lots", "roots", "logisticUnits",
// "locations", "firms", "edges"} (recall.Trace). Exit status: 0 printed, 1 invalid
// code, 2 usage or I/O error.

func init() { commands = append(commands, func() *cobra.Command { return newTraceCmd(ledgerOptions) }) }

func newTraceCmd(opts func() ledger.Options) *cobra.Command {
	var dir, direction string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "trace [--data DIR] [--json] --direction back|forward CODE",
		Short: "Walk a lot's genealogy back to its sources or forward to everything made from it and everywhere it went",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if direction != "back" && direction != "forward" {
				return exitCode(2, fmt.Errorf("--direction must be back or forward, not %q", direction))
			}
			code, err := recall.CanonicalCode(args[0])
			if err != nil {
				return exitCode(1, fmt.Errorf("code %q: %w", args[0], err))
			}
			l, err := openLedger(dir, opts())
			if err != nil {
				return err
			}
			defer l.Close()
			t := &recall.Tracer{Log: l, Directory: recall.RegistryDirectory{Registry: registry.New(l)}}
			var tr *recall.Trace
			if direction == "back" {
				tr, err = t.Back(code)
			} else {
				tr, err = t.Forward(code)
			}
			if err != nil {
				return exitCode(2, err)
			}
			if tr.Truncated {
				fmt.Fprintln(cmd.ErrOrStderr(), "traceledger: warning: walk stopped at its bounds; the result is incomplete")
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(tr); err != nil {
					return exitCode(2, err)
				}
				return nil
			}
			if err := printTrace(out, direction, tr); err != nil {
				return exitCode(2, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "data", defaultDataDir, "ledger directory")
	cmd.Flags().StringVar(&direction, "direction", "back", "back (sources) or forward (destinations)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// printTrace writes a trace for people: each list under a heading, then the edges.
func printTrace(w io.Writer, direction string, tr *recall.Trace) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s trace of %s\n", direction, tr.Origin)
	section := func(name string, list []string) {
		fmt.Fprintf(&b, "%s (%d)\n", name, len(list))
		for _, s := range list {
			fmt.Fprintf(&b, "  %s\n", s)
		}
	}
	section("lots", tr.Lots)
	if direction == "back" {
		section("roots", tr.Roots)
	}
	section("logistic units", tr.LogisticUnits)
	section("locations", tr.Locations)
	section("firms", tr.Firms)
	fmt.Fprintf(&b, "edges (%d)\n", len(tr.Edges))
	for _, e := range tr.Edges {
		fmt.Fprintf(&b, "  %s -[%s]-> %s\n", e.From, e.Kind, e.To)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
