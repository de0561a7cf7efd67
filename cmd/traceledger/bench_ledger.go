package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"traceledger/ledger"
)

// The bench ledger command states the ledger's write and verify figures against a raw
// Badger baseline measured in the same run (issue 4), so a noisy machine moves both:
//
//	traceledger bench ledger [--events N] [--batch B] [--inflight K] [--json] [--cpuprofile FILE] [--rows-alone]
//
// It generates N synthetic events from the fixtures generator, writes their canonical
// bytes to raw Badger in synced transactions of B records (no hashing, no indexes),
// appends the same records to a new ledger in batches of B (one transaction each,
// each append waiting for the one before unless --inflight K keeps K submitted),
// and verifies that ledger.
// --json prints {"ledger_events_per_s", "baseline_events_per_s", "ratio",
// "verify_entries_per_s"}; --rows-alone adds "rows_alone_events_per_s", the
// ledger's own rows written again to raw Badger with no ledger work (the bound
// the storage layout sets). Exit status: 0 measured, 2 usage or I/O error.

func init() {
	benchCommands = append(benchCommands, func() *cobra.Command { return newBenchLedgerCmd(ledgerOptions) })
}

func newBenchLedgerCmd(opts func() ledger.Options) *cobra.Command {
	var events, batch, inFlight int
	var seed uint64
	var asJSON, rowsAlone bool
	var profile string
	cmd := &cobra.Command{
		Use:   "ledger [--events N] [--batch B] [--json]",
		Short: "Measure batched appends and verify against raw synced Badger writes of the same bytes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if events <= 0 || batch <= 0 || inFlight <= 0 {
				return exitCode(2, fmt.Errorf("--events, --batch and --inflight must be positive"))
			}
			dir, err := os.MkdirTemp("", "traceledger-bench-ledger-")
			if err != nil {
				return exitCode(2, err)
			}
			defer os.RemoveAll(dir)
			// Bench asks for the same records twice, baseline first, each time from
			// index 0 up; syntheticRecords restarts the chain at 0.
			records, genErr, err := syntheticRecords(seed)
			if err != nil {
				return exitCode(2, err)
			}
			cfg := ledger.BenchConfig{Events: events, Batch: batch, InFlight: inFlight, Gen: records, RowsAlone: rowsAlone}
			if profile != "" {
				f, err := os.Create(profile)
				if err != nil {
					return exitCode(2, err)
				}
				defer f.Close()
				cfg.Profile = f
			}
			progress, finish := progressBar(int64(events), "bench ledger")
			cfg.Progress = progress
			res, err := ledger.Bench(dir, opts(), cfg)
			finish()
			if err == nil {
				err = genErr()
			}
			if err != nil {
				return exitCode(2, fmt.Errorf("bench ledger: %w", err))
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return json.NewEncoder(out).Encode(res)
			}
			fmt.Fprintf(out, "events             %d in batches of %d\n", events, batch)
			fmt.Fprintf(out, "raw Badger         %10.0f events/s (synced batches, no hashing or indexes)\n", res.BaselinePerSec)
			fmt.Fprintf(out, "ledger             %10.0f events/s (%d append(s) in flight, one transaction each)\n", res.LedgerPerSec, res.InFlight)
			fmt.Fprintf(out, "ratio              %10.2f\n", res.Ratio)
			fmt.Fprintf(out, "verify             %10.0f entries/s\n", res.VerifyPerSec)
			if rowsAlone {
				fmt.Fprintf(out, "ledger rows alone  %10.0f events/s (ratio %.2f: the log's rows written with no ledger work)\n",
					res.RowsAlonePerSec, res.RowsAlonePerSec/res.BaselinePerSec)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&events, "events", 100000, "synthetic events to append")
	f.IntVar(&batch, "batch", 256, "records per append and per baseline transaction")
	f.IntVar(&inFlight, "inflight", 1, "ledger appends submitted at once (1: each waits for the one before, as the baseline's writes)")
	f.Uint64Var(&seed, "seed", 1, "seed of the synthetic supply chain")
	f.BoolVar(&asJSON, "json", false, "print the figures as JSON")
	f.BoolVar(&rowsAlone, "rows-alone", false, "also write the ledger's rows again to raw Badger with no ledger work: the rate the layout allows")
	f.StringVar(&profile, "cpuprofile", "", "write a CPU profile of the ledger's appends (not the baseline or verify) to `FILE`")
	return cmd
}
