package main

import (
	"fmt"
	"os"
	"strings"

	"traceledger/ledger"
	"traceledger/ledger/registry"
	"traceledger/scanner"
)

// ledgerOptions builds the options every command that opens the store uses: the
// store serve writes holds EPCIS events and registry records (firms, products),
// so its Indexer is registry.Indexer over ledger.EPCISIndexer.
func ledgerOptions() ledger.Options {
	return ledger.DefaultOptions().WithIndexer(registry.Indexer(ledger.EPCISIndexer))
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

// openForCode is how the commands about one product code start: input parsed into
// its product code (exit 1 when it is not one), then the ledger in dir opened for
// reading (exit 2 when there is none). The caller closes the log.
func openForCode(dir, input string) (*ledger.Log, string, error) {
	code, err := productCode(input)
	if err != nil {
		return nil, "", exitCode(1, err)
	}
	l, err := openLedger(dir, ledgerOptions())
	if err != nil {
		return nil, "", err
	}
	return l, code, nil
}

// closeLog closes l for a command that wrote to it (deferred with the command's named
// error): a store that fails to close turns a success into exit 2, so the command
// does not report what may not have been kept; an earlier error stays the one reported.
func closeLog(l *ledger.Log, err *error) {
	if cerr := l.Close(); cerr != nil && *err == nil {
		*err = exitCode(2, fmt.Errorf("closing the ledger: %w", cerr))
	}
}
