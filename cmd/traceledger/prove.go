package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"traceledger/ledger"
)

// The prove and verify-proof commands give a product code's history as a proof that a
// consumer checks offline with nothing but the log's public key:
//
//	traceledger prove [--data DIR] CODE > bundle.json
//	traceledger verify-proof --key KEYFILE bundle.json
//
// CODE is any input the scan command accepts. The bundle (ledger.Bundle, JSON) holds
// the code's chain entries newest first, each with its RFC 6962 inclusion proof, and
// the signed checkpoint they are proved against. KEYFILE holds the log's verifier key
// (DIR/signing.pub, or the output of `traceledger checkpoint --key`).
// prove exits 0 printed, 1 invalid or unknown code, 2 usage or I/O error;
// verify-proof exits 0 when the bundle verifies, 1 when it does not, 2 usage or I/O error.

func init() { commands = append(commands, newProveCmd, newVerifyProofCmd) }

func newProveCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "prove [--data DIR] CODE",
		Short: "Print a product code's proof bundle (chain entries, inclusion proofs, signed checkpoint)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, code, err := openForCode(dir, args[0])
			if err != nil {
				return err
			}
			defer l.Close()
			b, err := l.Prove(code)
			if errors.Is(err, ledger.ErrUnknownCode) || errors.Is(err, ledger.ErrEmpty) {
				return exitCode(1, err)
			}
			if err != nil {
				return exitCode(2, err)
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			if err := enc.Encode(b); err != nil {
				return exitCode(2, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "data", defaultDataDir, "ledger directory")
	return cmd
}

func newVerifyProofCmd() *cobra.Command {
	var keyFile string
	cmd := &cobra.Command{
		Use:   "verify-proof --key KEYFILE BUNDLE",
		Short: "Check a proof bundle offline against the log's public verifier key",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if keyFile == "" {
				return exitCode(2, errors.New("--key KEYFILE is required"))
			}
			key, err := os.ReadFile(keyFile)
			if err != nil {
				return exitCode(2, err)
			}
			bundle, err := readInput(cmd, args[0])
			if err != nil {
				return exitCode(2, err)
			}
			vb, err := ledger.CheckBundle(bundle, string(key))
			if err != nil {
				return exitCode(1, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "ok: %d entries of %s are in %s at tree size %d, chained to the first\n",
				len(vb.Entries), vb.Code, vb.Checkpoint.Origin, vb.Checkpoint.Size)
			return nil
		},
	}
	cmd.Flags().StringVar(&keyFile, "key", "", "file holding the log's verifier key (signing.pub)")
	return cmd
}

// readInput reads a named file, or standard input for "-".
func readInput(cmd *cobra.Command, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(cmd.InOrStdin())
	}
	return os.ReadFile(name)
}
