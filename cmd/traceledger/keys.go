package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"traceledger/ledger"
	"traceledger/ledger/registry"
	"traceledger/scanner"
	"traceledger/server"
)

// The keys command manages API keys offline, on the store the server uses (the
// server holds the store locked while it runs; admins use /api/v1/keys then):
//
//	traceledger keys create [--data DIR] [--json] --firm USCC --role producer|inspector|regulator|admin
//	traceledger keys list   [--data DIR] [--json]
//	traceledger keys revoke [--data DIR] ID
//
// create prints the key once; the store keeps only its SHA-256. A producer,
// inspector or regulator key needs a registered firm; an admin key needs only a
// valid Unified Social Credit Code, so that the operator of a new store can create
// the first admin key and register firms with it. create makes the store when
// there is none. Exit status: 0 done, 1 invalid or unregistered firm or unknown
// key ID, 2 usage or I/O error.

func init() { commands = append(commands, newKeysCmd) }

func newKeysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Create, list and revoke API keys (offline, on the server's store)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newKeysCreateCmd(), newKeysListCmd(), newKeysRevokeCmd())
	return cmd
}

// serveStoreOptions are the options of the server's store: EPCIS events and registry
// records (ledgerOptions, named for what serve and keys rely on).
func serveStoreOptions() ledger.Options { return ledgerOptions() }

func newKeysCreateCmd() *cobra.Command {
	var dir, firm, role string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "create [--data DIR] [--json] --firm USCC --role producer|inspector|regulator|admin",
		Short: "Create an API key and print it, this once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			r, err := server.ParseRole(role)
			if err != nil {
				return exitCode(2, err)
			}
			if err := scanner.ValidateUSCC(firm); err != nil {
				return exitCode(1, fmt.Errorf("--firm: %w", err))
			}
			l, err := ledger.Open(dir, serveStoreOptions())
			if err != nil {
				return exitCode(2, err)
			}
			defer closeLog(l, &err)
			if r != server.RoleAdmin {
				if err := registry.New(l).CheckFirm(firm); err != nil {
					var fe *registry.FieldError
					if errors.As(err, &fe) {
						return exitCode(1, fmt.Errorf("--firm: %s", fe.Message))
					}
					return exitCode(2, err)
				}
			}
			key, info, err := server.NewKVKeyStore(l.Meta()).Create(firm, r)
			if err != nil {
				return exitCode(2, err)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeKeysJSON(out, struct {
					Key string `json:"key"`
					server.KeyInfo
				}{key, info})
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "key\t%s\nid\t%s\nfirm\t%s\nrole\t%s\n", key, info.ID, info.Firm, info.Role)
			if err := tw.Flush(); err != nil {
				return exitCode(2, err)
			}
			fmt.Fprintln(cmd.ErrOrStderr(), "Keep the key now: it is stored only as a hash and never shown again.")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "data", defaultDataDir, "directory of the store")
	f.StringVar(&firm, "firm", "", "Unified Social Credit Code of the firm the key acts for (required)")
	f.StringVar(&role, "role", "", "producer, inspector, regulator or admin (required)")
	f.BoolVar(&asJSON, "json", false, "print the key and its description as JSON")
	_ = cmd.MarkFlagRequired("firm")
	_ = cmd.MarkFlagRequired("role")
	return cmd
}

func newKeysListCmd() *cobra.Command {
	var dir string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--data DIR] [--json]",
		Short: "List API keys (IDs, firms, roles, dates; never the keys)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, err := openLedger(dir, serveStoreOptions())
			if err != nil {
				return err
			}
			defer l.Close()
			keys, err := server.NewKVKeyStore(l.Meta()).List()
			if err != nil {
				return exitCode(2, err)
			}
			if keys == nil {
				keys = []server.KeyInfo{}
			}
			if asJSON {
				return writeKeysJSON(cmd.OutOrStdout(), map[string]any{"keys": keys})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tFIRM\tROLE\tCREATED\tREVOKED")
			for _, k := range keys {
				revoked := "-"
				if !k.Active() {
					revoked = k.Revoked.Format("2006-01-02T15:04:05Z07:00")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.ID, k.Firm, k.Role,
					k.Created.Format("2006-01-02T15:04:05Z07:00"), revoked)
			}
			if err := tw.Flush(); err != nil {
				return exitCode(2, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "data", defaultDataDir, "directory of the store")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the keys as JSON")
	return cmd
}

func newKeysRevokeCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "revoke [--data DIR] ID",
		Short: "Revoke an API key by its ID (revoking twice is not an error)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			l, err := openLedger(dir, serveStoreOptions())
			if err != nil {
				return err
			}
			defer closeLog(l, &err)
			switch err := server.NewKVKeyStore(l.Meta()).Revoke(args[0]); {
			case errors.Is(err, server.ErrUnknownKey):
				return exitCode(1, fmt.Errorf("no API key has ID %q", args[0]))
			case err != nil:
				return exitCode(2, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "revoked %s\n", args[0])
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "data", defaultDataDir, "directory of the store")
	return cmd
}

// writeKeysJSON writes v as indented JSON, exit status 2 on failure.
func writeKeysJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return exitCode(2, err)
	}
	return nil
}
