package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"traceledger/ledger"
	"traceledger/ledger/recall"
)

// The bench recall command times the recall walks on a synthetic supply chain (issue 7
// targets, 1 million events: forward scope median < 50 ms, p99 < 250 ms, backward
// trace < 20 ms):
//
//	traceledger bench recall [--events N] [--samples K] [--seed S] [--dir DIR] [--json]
//
// It builds a store of N events from the fixtures generator (in DIR, kept, and reused
// by a later run with the same DIR; in a temporary directory removed afterwards
// without --dir), then times K backward traces, forward walks and full recall scopes
// from random lots, beside a baseline measured in the same run: reading the lot's own
// entries. --json prints recall.BenchResult. Exit status: 0 measured, 2 usage
// or I/O error.

func init() {
	benchCommands = append(benchCommands, func() *cobra.Command { return newBenchRecallCmd(ledgerOptions) })
}

func newBenchRecallCmd(opts func() ledger.Options) *cobra.Command {
	var events, samples int
	var seed uint64
	var dir string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "recall [--events N] [--samples K] [--dir DIR] [--json]",
		Short: "Time backward traces, forward walks and recall scopes on a synthetic store of N events",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if events <= 0 || samples <= 0 {
				return exitCode(2, fmt.Errorf("--events and --samples must be positive"))
			}
			if dir == "" {
				tmp, err := os.MkdirTemp("", "traceledger-bench-recall-")
				if err != nil {
					return exitCode(2, err)
				}
				defer os.RemoveAll(tmp)
				dir = tmp
			}
			records, genErr, err := syntheticRecords(seed)
			if err != nil {
				return exitCode(2, err)
			}
			progress, done := progressBar(int64(events), "building store")
			res, err := recall.Bench(dir, opts(), recall.BenchConfig{Events: events, Samples: samples, Seed: seed,
				Records: records, Progress: progress})
			done()
			if err == nil {
				err = genErr()
			}
			if err != nil {
				return exitCode(2, err)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(res); err != nil {
					return exitCode(2, err)
				}
				return nil
			}
			if res.BuildSeconds > 0 {
				fmt.Fprintf(out, "store: %d events, built in %.1f s (%.0f events/s)\n", res.Events, res.BuildSeconds,
					float64(res.Events)/res.BuildSeconds)
			} else {
				fmt.Fprintf(out, "store: %d events (reused)\n", res.Events)
			}
			for _, k := range []struct {
				name string
				t    recall.Timing
			}{{"baseline", res.Baseline}, {"backward trace", res.Backward}, {"forward walk", res.Forward},
				{"recall scope", res.Scope}} {
				fmt.Fprintf(out, "%-15s median %8.3f ms  p99 %8.3f ms  max %8.3f ms  (%d walks, %.1f lots each)\n",
					k.name, k.t.MedianMS, k.t.P99MS, k.t.MaxMS, k.t.Samples, k.t.Lots)
			}
			fmt.Fprintf(out, "median over baseline (the lot's own entries read): backward %.1fx, scope %.1fx\n",
				res.BackwardRatio, res.ScopeRatio)
			return nil
		},
	}
	cmd.Flags().IntVar(&events, "events", 100_000, "events in the synthetic store")
	cmd.Flags().IntVar(&samples, "samples", 500, "walks timed per kind")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "generator and sampling seed")
	cmd.Flags().StringVar(&dir, "dir", "", "build (or reuse) the store in DIR and keep it")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the figures as JSON")
	return cmd
}
