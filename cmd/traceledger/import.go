package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"traceledger/ledger"
	"traceledger/ledger/epcis"
)

// The import command captures EPCIS documents into the store offline, the way a
// migration from another EPCIS system runs. Its output is a contract:
//
//	traceledger import [--data DIR] [--json] [--firm USCC] FILE...
//
// Every document is read and validated whole before any of its events is stored, so a
// document with one invalid event is rejected with the reason and nothing of it is
// stored. Valid documents are appended in batches (importBatch events per group
// commit); re-importing is idempotent, so an import cut short is finished by running
// it again. With --json it prints one line per event, {"index": N, "eventID": "...",
// "duplicate": bool}; otherwise a progress bar on a terminal and a summary. Exit
// status: 0 all imported, 1 a document was rejected, 2 usage or I/O error.
//
// Memory stays bounded whatever the size of the import: large files are read in
// chunks (import_stream.go) and the value log's written pages are handed back to the
// kernel as it goes (releasePages). A million events peak at about 0.8 GB resident;
// TestImportLoad (import_load_test.go) measures it.

func init() { commands = append(commands, newImportCmd) }

// importBatch is the number of events appended per ledger call: large enough to
// amortise the synced commit, small enough to stay far below Badger's transaction limit.
const importBatch = 256

// importInFlight is how many batches import keeps submitted to the appender at once.
const importInFlight = 2

// releaseEvery is how many bytes of events import appends between two calls of
// ReleaseValueLogPages: the entries it writes would otherwise all stay resident
// through Badger's mapped value log (a million events, about a gigabyte).
const releaseEvery = 32 << 20

func newImportCmd() *cobra.Command {
	var dir, firm string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import [--data DIR] [--json] [--firm USCC] FILE...",
		Short: "Capture EPCIS 2.0 documents (JSON-LD or XML, - for stdin) into the store",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			l, err := ledger.Open(dir, ledgerOptions())
			if err != nil {
				return exitCode(2, err)
			}
			defer l.Close()
			imp := importer{log: l, firm: firm, out: cmd.OutOrStdout(), errOut: cmd.ErrOrStderr(), json: asJSON}
			var rejected error
			for _, f := range files {
				handled, invalid, err := imp.streamFile(cmd.Context(), f)
				if err != nil {
					return err
				}
				if invalid != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "traceledger: import: %s rejected, nothing of it stored: %v\n", f, invalid)
					rejected = errors.Join(rejected, fmt.Errorf("%s: %w", f, invalid))
					continue
				}
				if handled {
					continue
				}
				doc, err := readEPCISFile(cmd.InOrStdin(), f)
				if err != nil {
					return err
				}
				if err := doc.Validate(); err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "traceledger: import: %s rejected, nothing of it stored: %v\n", f, err)
					rejected = errors.Join(rejected, fmt.Errorf("%s: %w", f, err))
					continue
				}
				if err := imp.document(cmd.Context(), f, doc); err != nil {
					return err
				}
			}
			if !asJSON {
				fmt.Fprintf(cmd.OutOrStdout(), "imported %d events (%d new, %d already stored); ledger size %d\n",
					imp.total, imp.total-imp.dups, imp.dups, l.Size())
			}
			if rejected != nil {
				return exitCode(1, fmt.Errorf("import: some documents were rejected"))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "data", defaultDataDir, "directory of the embedded store (created if missing)")
	f.BoolVar(&asJSON, "json", false, `print one line per event: {"index": N, "eventID": "...", "duplicate": bool}`)
	f.StringVar(&firm, "firm", "", "USCC of the firm the events are recorded for (default: none, an import)")
	return cmd
}

// readEPCISFile reads one EPCIS document from a file ("-" is stdin), JSON-LD or XML
// by its first non-blank byte. A file that cannot be read is an I/O error (exit 2); one
// that is not an EPCIS document is invalid data (exit 1).
func readEPCISFile(stdin io.Reader, name string) (*epcis.Document, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, exitCode(2, err)
	}
	var doc *epcis.Document
	if firstByte(data) == '<' {
		doc, err = epcis.ParseXMLDocument(data)
	} else {
		doc, err = epcis.ParseDocument(data)
	}
	if err != nil {
		return nil, exitCode(1, fmt.Errorf("%s: %w", name, err))
	}
	return doc, nil
}

func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n', 0xEF, 0xBB, 0xBF: // blanks and a UTF-8 BOM
			continue
		}
		return c
	}
	return 0
}

// An importer appends validated documents to the log and reports each event.
type importer struct {
	log         *ledger.Log
	firm        string
	out, errOut io.Writer
	json        bool
	total, dups int
	stream      *streamProgress // set while a file is imported in chunks

	// unreleased counts the event bytes appended since the value log's pages were
	// last released; noRelease is set once releasing them failed (warned once).
	unreleased int
	noRelease  bool
}

// document appends doc's events in batches, preparing the next batch (canonical
// form, hash IDs and index keys) while the appender commits the current one. It
// returns only once the preparing goroutine has ended: when an append fails, that
// goroutine stops instead of waiting forever to hand over its next batch.
func (im *importer) document(ctx context.Context, name string, doc *epcis.Document) error {
	type prepared struct {
		recs []ledger.Record
		err  error
	}
	batches := make(chan prepared, 2)
	stop := make(chan struct{})
	stopped := make(chan struct{})
	defer func() { close(stop); <-stopped }()
	go func() {
		defer close(stopped)
		defer close(batches)
		send := func(p prepared) bool {
			select {
			case batches <- p:
				return true
			case <-stop:
				return false
			}
		}
		for start := 0; start < len(doc.Events); start += importBatch {
			end := min(start+importBatch, len(doc.Events))
			recs := make([]ledger.Record, 0, end-start)
			for i, ev := range doc.Events[start:end] {
				b, err := ev.CanonicalJSON()
				if err != nil {
					send(prepared{err: fmt.Errorf("%s: eventList[%d]: %w", name, start+i, err)})
					return
				}
				// The keys come from the event in hand, not from parsing b again.
				k := ledger.EPCISKeys(ev)
				recs = append(recs, ledger.Record{Event: b, Firm: im.firm, Keys: &k})
			}
			if !send(prepared{recs: recs}) {
				return
			}
		}
	}()
	progress, finish := progressBar(int64(len(doc.Events)), "importing "+name)
	base, total := int64(0), int64(len(doc.Events))
	if im.stream != nil { // one chunk of a streamed file: its bar goes on
		progress, finish = im.stream.progress, func() {}
		base, total = im.stream.done, im.stream.total
		defer func() { im.stream.done += int64(len(doc.Events)) }()
	}
	defer finish()
	done := 0
	// Up to importInFlight batches are submitted and not yet durable at once, so
	// that the appender can stage one while it writes the one before. They are
	// answered, and reported, in order.
	type submitted struct {
		n    int // event bytes
		wait func() ([]ledger.Appended, error)
	}
	var inFlight []submitted
	defer func() { // every submitted batch is waited for, also behind an error
		for _, sb := range inFlight {
			sb.wait()
		}
	}()
	report := func() error {
		sb := inFlight[0]
		inFlight = inFlight[1:]
		got, err := sb.wait()
		if err != nil {
			return exitCode(2, fmt.Errorf("%s: %w", name, err))
		}
		im.unreleased += sb.n
		im.releasePages()
		for _, a := range got {
			im.total++
			if a.Duplicate {
				im.dups++
			}
			if im.json {
				line, _ := json.Marshal(struct {
					Index     int64  `json:"index"`
					EventID   string `json:"eventID"`
					Duplicate bool   `json:"duplicate"`
				}{a.Index, a.EventID, a.Duplicate})
				fmt.Fprintf(im.out, "%s\n", line)
			}
		}
		done += len(got)
		if progress != nil {
			progress(base+int64(done), total)
		}
		return nil
	}
	for b := range batches {
		if b.err != nil {
			return exitCode(1, b.err)
		}
		if len(inFlight) == importInFlight {
			if err := report(); err != nil {
				return err
			}
		}
		wait, err := im.log.Submit(ctx, b.recs...)
		if err != nil {
			return exitCode(2, fmt.Errorf("%s: %w", name, err))
		}
		n := 0
		for _, r := range b.recs {
			n += len(r.Event)
		}
		inFlight = append(inFlight, submitted{n, wait})
	}
	for len(inFlight) > 0 {
		if err := report(); err != nil {
			return err
		}
	}
	return nil
}

// releasePages hands the value log's pages back to the kernel once releaseEvery
// bytes of events have been appended since the last time. A failure costs only
// memory: it is reported once and the import goes on.
func (im *importer) releasePages() {
	if im.noRelease || im.unreleased < releaseEvery {
		return
	}
	im.unreleased = 0
	if err := im.log.ReleaseValueLogPages(); err != nil {
		im.noRelease = true
		fmt.Fprintf(im.errOut, "traceledger: import: cannot release the value log's memory (the import goes on): %v\n", err)
	}
}
