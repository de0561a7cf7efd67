package main

import "github.com/spf13/cobra"

// The bench command groups the measurements each area states its figures with:
//
//	traceledger bench SUBCOMMAND [flags]
//
// Each subcommand lives in its own file (bench_recall.go, ...) and adds its
// constructor to benchCommands in init.

func init() { commands = append(commands, newBenchCmd) }

// benchCommands lists the constructors of the bench subcommands.
var benchCommands []func() *cobra.Command

func newBenchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench SUBCOMMAND",
		Short: "Measure the ledger, recall walks and other hot paths on synthetic data",
		Args:  cobra.NoArgs,
	}
	for _, add := range benchCommands {
		cmd.AddCommand(add())
	}
	return cmd
}
