package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"traceledger/ledger/epcis"
)

// The hash command prints the CBV 2.0 event hash ID of every event in EPCIS documents,
// without a store: the identity an event will have on the ledger. Its output and exit
// statuses are a contract that tests outside the repository rely on:
//
//	traceledger hash [--prehash] FILE...
//
// For each FILE (EPCIS 2.0 JSON-LD, or XML when it starts with "<"; "-" is standard
// input), one line per event in document order: the hash ID, or with --prehash the hash
// ID, a TAB and the canonical pre-hash string. Exit status: 0 all hashed, 1 a file is not
// an EPCIS document (the others are still hashed), 2 usage or I/O error.

func init() { commands = append(commands, newHashCmd) }

func newHashCmd() *cobra.Command {
	var prehash bool
	cmd := &cobra.Command{
		Use:   "hash [--prehash] FILE...",
		Short: "Print the CBV 2.0 event hash ID of every event in EPCIS documents",
		Long: `Print the CBV 2.0 event hash ID (ni:///sha-256;...?ver=CBV2.0) of every event in each
EPCIS 2.0 document (JSON-LD, or XML), one line per event in document order. With
--prehash, each line is the hash ID, a TAB and the canonical pre-hash string it hashes.
FILE "-" reads standard input. No store is needed.

Exit status: 0 every file hashed, 1 a file is not an EPCIS document, 2 usage or I/O error.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := bufio.NewWriter(cmd.OutOrStdout())
			var parseErr, ioErr error
			for _, name := range args {
				data, err := readHashInput(cmd, name)
				if err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "traceledger: %v\n", err)
					ioErr = errors.Join(ioErr, err)
					continue
				}
				doc, err := parseEPCIS(data)
				if err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "traceledger: %s: %v\n", name, err)
					parseErr = errors.Join(parseErr, fmt.Errorf("%s: %w", name, err))
					continue
				}
				for _, e := range doc.Events {
					if prehash {
						fmt.Fprintf(out, "%s\t%s\n", e.HashID(), e.PreHash())
					} else {
						fmt.Fprintln(out, e.HashID())
					}
				}
			}
			if err := out.Flush(); err != nil {
				return exitCode(2, err)
			}
			// Each fault was reported above; the error only sets the status.
			switch {
			case ioErr != nil:
				return exitCode(2, errors.New(""))
			case parseErr != nil:
				return exitCode(1, errors.New(""))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&prehash, "prehash", false, "also print the canonical pre-hash string, after a TAB")
	return cmd
}

// readHashInput reads a file, or standard input for "-".
func readHashInput(cmd *cobra.Command, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(cmd.InOrStdin())
	}
	return os.ReadFile(name)
}

// parseEPCIS reads an EPCIS document as XML when it starts with "<", as JSON-LD
// otherwise.
func parseEPCIS(data []byte) (*epcis.Document, error) {
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '<' {
		return epcis.ParseXMLDocument(data)
	}
	return epcis.ParseDocument(data)
}
