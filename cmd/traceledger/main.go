// Command traceledger is the one binary of the traceledger product traceability ledger:
// it parses and issues GS1 item codes, keeps the hash-chained ledger, serves it over HTTP
// and answers recalls. Each subcommand lives in its own file beside this one.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// exitError carries a process exit status out of a command: 1 for invalid data,
// 2 for usage or I/O errors, as every command's contract states.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitCode wraps err so that main exits with code.
func exitCode(code int, err error) error { return &exitError{code: code, err: err} }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "traceledger",
		Short:         "Product traceability ledger keyed by GS1 item codes",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	for _, add := range commands {
		root.AddCommand(add())
	}
	return root
}

// commands lists the constructors of every subcommand; each file adds its own in init.
var commands []func() *cobra.Command

func main() {
	err := newRootCmd().Execute()
	if err == nil {
		return
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(os.Stderr, "traceledger:", ee.err)
		}
		os.Exit(ee.code)
	}
	// cobra's own errors (unknown flag, missing argument) are usage errors.
	fmt.Fprintln(os.Stderr, "traceledger:", err)
	os.Exit(2)
}
