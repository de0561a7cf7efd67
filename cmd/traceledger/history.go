package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"traceledger/ledger"
)

// The history command prints a product code's per-product chain, newest first, each
// link checked (the entry's hash is the one its successor names):
//
//	traceledger history [--data DIR] [--json] CODE
//
// CODE is any input the scan command accepts (element string, scan data, Digital Link
// URI, EPC URN); it is looked up as its canonical Digital Link URI on
// https://id.gs1.org. Exit status: 0 printed, 1 invalid or unknown code or a broken
// chain, 2 usage or I/O error.

func init() { commands = append(commands, newHistoryCmd) }

// historyEntry is one entry of the --json output.
type historyEntry struct {
	Index      int64           `json:"index"`
	RecordTime time.Time       `json:"recordTime"`
	EventID    string          `json:"eventID"`
	GivenID    string          `json:"givenID,omitempty"`
	Firm       string          `json:"firm,omitempty"`
	Prev       int64           `json:"prev"` // previous entry under the code, -1 for the first
	Event      json.RawMessage `json:"event"`
}

func newHistoryCmd() *cobra.Command {
	var dir string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "history [--data DIR] [--json] CODE",
		Short: "Print a product code's chain of events, newest first, each link verified",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, code, err := openForCode(dir, args[0])
			if err != nil {
				return err
			}
			defer l.Close()
			hist, err := l.History(code)
			var broken *ledger.BrokenChainError
			switch {
			case errors.Is(err, ledger.ErrUnknownCode), errors.As(err, &broken):
				return exitCode(1, err)
			case err != nil:
				return exitCode(2, err)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				list := make([]historyEntry, len(hist))
				for i, e := range hist {
					link, _ := e.Link(code)
					ev := json.RawMessage(e.Event)
					if !json.Valid(ev) {
						ev, _ = json.Marshal(string(e.Event))
					}
					list[i] = historyEntry{Index: e.Index, RecordTime: e.RecordTime, EventID: e.EventID,
						GivenID: e.GivenID, Firm: e.Firm, Prev: link.Prev, Event: ev}
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(map[string]any{"code": code, "verified": true, "entries": list}); err != nil {
					return exitCode(2, err)
				}
				return nil
			}
			fmt.Fprintf(out, "%s: %d entries, newest first, chain verified\n", code, len(hist))
			for _, e := range hist {
				link, _ := e.Link(code)
				prev := "first"
				if link.Prev >= 0 {
					prev = fmt.Sprintf("after #%d", link.Prev)
				}
				fmt.Fprintf(out, "#%d  %s  %s  firm %s  (%s)\n", e.Index, e.RecordTime.Format(time.RFC3339), e.EventID, orDash(e.Firm), prev)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "data", defaultDataDir, "ledger directory")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the entries and their events as JSON")
	return cmd
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
