package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// The checkpoint command prints the store's latest signed checkpoint, the value a
// consumer keeps to check proofs against and to see that the log only grows:
//
//	traceledger checkpoint [--data DIR] [--key]
//
// The checkpoint is a C2SP tlog-checkpoint signed note (origin, tree size, base64 root
// hash, then the Ed25519 signature line). With --key it prints the log's public
// verifier key instead (note verifier format, the content of DIR/signing.pub).
// Exit status: 0 printed, 1 the log is empty, 2 usage or I/O error.

func init() { commands = append(commands, newCheckpointCmd) }

func newCheckpointCmd() *cobra.Command {
	var dir string
	var key bool
	cmd := &cobra.Command{
		Use:   "checkpoint [--data DIR] [--key]",
		Short: "Print the latest signed checkpoint (or, with --key, the public verifier key)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, err := openLedger(dir, ledgerOptions())
			if err != nil {
				return err
			}
			defer l.Close()
			if key {
				fmt.Fprintln(cmd.OutOrStdout(), l.VerifierKey())
				return nil
			}
			cp, err := l.Checkpoint()
			if err != nil {
				return exitCode(1, err)
			}
			_, err = cmd.OutOrStdout().Write(cp.Note)
			if err != nil {
				return exitCode(2, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "data", defaultDataDir, "ledger directory")
	cmd.Flags().BoolVar(&key, "key", false, "print the public verifier key instead")
	return cmd
}
