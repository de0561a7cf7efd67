package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

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

// importBatch is the number of events appended per ledger call: a whole group
// commit of the log (its MaxBatchRecords), so that the appender stages one batch
// while it writes the one before (it stages beside a write only a full group) and
// each sync makes many events durable, while staying far below Badger's
// transaction limit (the log splits a group that does not fit).
var importBatch = ledger.DefaultOptions().MaxBatchRecords

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
	inFlight    []submitted     // batches submitted and not yet reported, oldest first

	// unreleased counts the event bytes appended since the value log's pages were
	// last released; noRelease is set once releasing them failed (warned once).
	unreleased int
	noRelease  bool
}

// document appends doc's events in batches, preparing the next batch (canonical
// form, hash IDs and index keys, on every core) while the appender commits the
// current one. Up to importInFlight batches are submitted and not yet durable at
// once, so that the appender stages one while it writes the one before; they are
// answered, and reported, in order. The chunks of a streamed file keep batches in
// flight from one chunk to the next (streamFile drains them at the end); a whole
// document is drained before document returns. It returns only once the
// preparing goroutine has ended: when an append fails, that goroutine stops
// instead of waiting forever to hand over its next batch.
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
		for start := 0; start < len(doc.Events); start += importBatch {
			recs, err := im.records(name, start, doc.Events[start:min(start+importBatch, len(doc.Events))])
			select {
			case batches <- prepared{recs, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	progress, finish := progressBar(int64(len(doc.Events)), "importing "+name)
	base, total := int64(0), int64(len(doc.Events))
	if im.stream != nil { // one chunk of a streamed file: its bar goes on
		progress, finish = im.stream.progress, func() {}
		base, total = im.stream.done, im.stream.total
		im.stream.done += int64(len(doc.Events))
	}
	defer finish()
	done := int64(0)
	onDone := func(n int) {
		done += int64(n)
		if progress != nil {
			progress(base+done, total)
		}
	}
	for b := range batches {
		if b.err != nil {
			return errors.Join(exitCode(1, b.err), im.drain())
		}
		if len(im.inFlight) == importInFlight {
			if err := im.report(); err != nil {
				return errors.Join(err, im.drain())
			}
		}
		wait, err := im.log.Submit(ctx, b.recs...)
		if err != nil {
			return errors.Join(exitCode(2, fmt.Errorf("%s: %w", name, err)), im.drain())
		}
		n := 0
		for _, r := range b.recs {
			n += len(r.Event)
		}
		im.inFlight = append(im.inFlight, submitted{name: name, bytes: n, wait: wait, done: onDone})
	}
	if im.stream != nil {
		return nil
	}
	return im.drain()
}

// records prepares the events of one batch, the first at index start of the
// document, for the log: canonical bytes, and index keys from the event in hand
// rather than from parsing those bytes again. The events are split over the cores.
func (im *importer) records(name string, start int, events []*epcis.Event) ([]ledger.Record, error) {
	recs := make([]ledger.Record, len(events))
	errs := make([]error, len(events))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(events)/64))
	per := (len(events) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * per; i < min((w+1)*per, len(events)); i++ {
				b, err := events[i].CanonicalJSON()
				if err != nil {
					errs[i] = fmt.Errorf("%s: eventList[%d]: %w", name, start+i, err)
					return
				}
				k := ledger.EPCISKeys(events[i])
				recs[i] = ledger.Record{Event: b, Firm: im.firm, Keys: &k}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // the first event that failed
		}
	}
	return recs, nil
}

// A submitted batch is one the log has taken and not yet reported durable.
type submitted struct {
	name  string
	bytes int // event bytes
	wait  func() ([]ledger.Appended, error)
	done  func(events int) // advances its document's progress
}

// report waits for the oldest batch in flight and reports its events.
func (im *importer) report() error {
	sb := im.inFlight[0]
	im.inFlight = im.inFlight[1:]
	got, err := sb.wait()
	if err != nil {
		return exitCode(2, fmt.Errorf("%s: %w", sb.name, err))
	}
	im.unreleased += sb.bytes
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
	sb.done(len(got))
	return nil
}

// drain reports every batch still in flight, in order, and returns the first
// failure; behind a failure it still waits for the rest, so that nothing the log
// holds is left unanswered when the import returns.
func (im *importer) drain() error {
	var first error
	for len(im.inFlight) > 0 {
		if first != nil {
			im.inFlight[0].wait()
			im.inFlight = im.inFlight[1:]
			continue
		}
		first = im.report()
	}
	return first
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
