package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"traceledger/ledger"
)

// The verify command is the auditor's check of a whole store, offline. Its output and
// exit statuses are a contract that tests outside the repository rely on:
//
//	traceledger verify [--data DIR] [--json]
//
// It recomputes every entry hash, per-product chain link, Merkle tree hash, checkpoint
// signature and index row (ledger.Log.Verify). Exit status: 0 intact, 1 not intact (the
// first bad entry and what differs on stderr, or in the JSON report), 2 usage or I/O
// error. A progress bar goes to stderr when it is a terminal.

func init() {
	commands = append(commands, func() *cobra.Command { return newVerifyCmd(ledgerOptions) })
}

func newVerifyCmd(options func() ledger.Options) *cobra.Command {
	var dir string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "verify [--data DIR] [--json]",
		Short: "Recompute every hash, chain link, tree hash, checkpoint signature and index of the store",
		Long: `Recompute everything in the ledger from its entries: every entry's hash, every
per-product chain link, every Merkle tree hash, every signed checkpoint and every index row,
and name the first entry that does not match.

Exit status: 0 intact, 1 not intact, 2 usage or I/O error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, err := openLedger(dir, options())
			if err != nil {
				return err
			}
			defer l.Close()
			progress, finish := progressBar(l.Size(), "verifying")
			rep, err := l.Verify(progress)
			finish()
			if err != nil {
				return exitCode(2, err)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return exitCode(2, err)
				}
			} else if rep.OK {
				fmt.Fprintf(out, "ok: %d entries, %d tree hashes, %d checkpoints, %d index rows verified\n",
					rep.Entries, rep.TreeHashes, rep.Checkpoints, rep.IndexRows)
			} else {
				for i, p := range rep.Problems {
					if i == 10 {
						fmt.Fprintf(out, "... %d more\n", len(rep.Problems)-i)
						break
					}
					if p.Entry >= 0 {
						fmt.Fprintf(out, "entry %d: %s\n", p.Entry, p.What)
					} else {
						fmt.Fprintf(out, "%s\n", p.What)
					}
				}
			}
			if !rep.OK {
				return exitCode(1, rep.Err())
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "data", defaultDataDir, "ledger directory")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the verification report as JSON")
	return cmd
}

// progressBar returns a progress callback drawing a bar on stderr when stderr is a
// terminal (and doing nothing in pipes), and a function that clears the bar.
func progressBar(total int64, what string) (func(done, total int64), func()) {
	if !term.IsTerminal(int(os.Stderr.Fd())) || total < 10000 {
		return nil, func() {}
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("entries"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish())
	return func(done, _ int64) { bar.Set64(done) }, func() { bar.Finish() }
}
