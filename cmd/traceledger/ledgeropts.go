package main

import (
	"fmt"
	"os"
	"strings"

	"traceledger/ledger"
	"traceledger/scanner"
)

// ledgerOptions builds the options every command that opens the store uses.
//
// WIRING HOOK: the Indexer must be ledger/epcis's (parse the canonical event, take
// its Keys, convert them to ledger.IndexKeys). Until it is wired, commands that
// need the Indexer (verify, import, bench) fail with "no Indexer"; history,
// checkpoint, prove and verify-proof do not need it.
func ledgerOptions() ledger.Options {
	return ledger.DefaultOptions()
}

// defaultDataDir is the store every command uses without --data.
const defaultDataDir = "./data"

// openLedger opens the log in dir with opts, refusing to create one: commands
// that read the store treat a missing store as a usage error (exit 2).
func openLedger(dir string, opts ledger.Options) (*ledger.Log, error) {
	if _, err := os.Stat(ledger.StoreDir(dir)); err != nil {
		return nil, exitCode(2, fmt.Errorf("no ledger in %s (use --data DIR)", dir))
	}
	l, err := ledger.Open(dir, opts)
	if err != nil {
		return nil, exitCode(2, err)
	}
	return l, nil
}

// productCode turns any input the scan command accepts into the canonical
// product code the ledger chains under: the GS1 Digital Link URI on
// https://id.gs1.org with the key and its qualifiers, without data attributes.
func productCode(input string) (string, error) {
	d, err := scanner.Parse(input, scanner.Options{})
	if err != nil {
		return "", fmt.Errorf("code %q: %w", input, err)
	}
	dl, err := d.DigitalLink("")
	if err != nil {
		return "", fmt.Errorf("code %q: %w", input, err)
	}
	if i := strings.IndexByte(dl, '?'); i >= 0 {
		dl = dl[:i]
	}
	return dl, nil
}
