package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync/atomic"

	"traceledger/ledger/epcis"
)

// Large documents are imported streaming, so that importing a million events
// does not hold a million parsed events: the file is read twice, event by event,
// in chunks of streamChunk events. The first pass parses and validates every
// chunk and the second appends them, so a document with an invalid event is
// still rejected whole with nothing stored. Each chunk is parsed as a document of
// its own carrying the original @context and header members, so that its events
// read exactly as in the whole document. A document whose shape does not allow
// this (not an EPCISDocument with epcisBody.eventList, or a member after the
// body) is read whole as before.

// streamMinSize is the file size from which import streams.
var streamMinSize int64 = 32 << 20

// streamChunk is the number of events parsed at a time when streaming.
var streamChunk = 2048

// errNotStreamable reports a document shape that streaming does not handle.
var errNotStreamable = errors.New("document not streamable")

// streamProgress carries one progress bar across the chunks of a streamed file.
type streamProgress struct {
	progress    func(done, total int64)
	done, total int64
}

// streamFile imports a large JSON-LD file in chunks. handled is false when the
// file is to be read whole instead (small, XML, stdin or not streamable); a
// rejected document comes back as rejected with nothing stored.
func (im *importer) streamFile(ctx context.Context, name string) (handled bool, rejected, err error) {
	if name == "-" {
		return false, nil, nil
	}
	fi, err := os.Stat(name)
	if err != nil || fi.Size() < streamMinSize {
		return false, nil, nil
	}
	n := 0
	err = walkChunks(name, func(offset int, doc *epcis.Document) error {
		if err := doc.Validate(); err != nil {
			return &chunkInvalid{shiftEventIndexes(err, offset)}
		}
		n += len(doc.Events)
		return nil
	})
	var invalid *chunkInvalid
	switch {
	case errors.Is(err, errNotStreamable):
		return false, nil, nil
	case errors.As(err, &invalid):
		return true, invalid.err, nil
	case err != nil:
		return true, nil, err
	}
	progress, finish := progressBar(int64(n), "importing "+name)
	defer finish()
	if progress == nil {
		progress = func(int64, int64) {}
	}
	im.stream = &streamProgress{progress: progress, total: int64(n)}
	defer func() { im.stream = nil }()
	err = walkChunks(name, func(_ int, doc *epcis.Document) error {
		return im.document(ctx, name, doc)
	})
	// The chunks leave their last batches in flight: wait for them, also
	// behind a failure.
	err = errors.Join(err, im.drain())
	if errors.Is(err, errNotStreamable) {
		err = exitCode(2, fmt.Errorf("%s changed while it was imported", name))
	}
	return true, nil, err
}

// chunkInvalid carries a validation failure out of the first pass.
type chunkInvalid struct{ err error }

func (c *chunkInvalid) Error() string { return c.err.Error() }

// shiftEventIndexes renames "eventList[i]" in a chunk's validation faults to the
// event's index in the whole document.
func shiftEventIndexes(err error, offset int) error {
	var ve epcis.ValidationError
	if offset == 0 || !errors.As(err, &ve) {
		return err
	}
	out := make(epcis.ValidationError, len(ve))
	for i, fe := range ve {
		f := *fe
		if rest, ok := strings.CutPrefix(f.Field, "eventList["); ok {
			if j := strings.IndexByte(rest, ']'); j > 0 {
				if k, err := strconv.Atoi(rest[:j]); err == nil {
					f.Field = "eventList[" + strconv.Itoa(k+offset) + rest[j:]
				}
			}
		}
		out[i] = &f
	}
	return out
}

// walkChunks reads the EPCISDocument in file name and calls fn with each run of
// up to streamChunk events, parsed as a document of their own with the file's
// @context and header members, and the index of its first event. It returns
// errNotStreamable, before calling fn, for a shape it does not handle; a chunk
// that does not parse is an invalid document (exit 1).
func walkChunks(name string, fn func(offset int, doc *epcis.Document) error) error {
	f, err := os.Open(name)
	if err != nil {
		return exitCode(2, err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	var head bytes.Buffer // `{"member":value,...,` of the top-level members so far
	head.WriteByte('{')
	isEPCISDocument, seenBody := false, false
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return errNotStreamable
	}
	var chunk []json.RawMessage
	offset := 0
	var parse *parseAhead // started with the event list
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		var b bytes.Buffer
		b.Write(head.Bytes())
		b.WriteString(`"epcisBody":{"eventList":[`)
		for i, ev := range chunk {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(ev)
		}
		b.WriteString("]}}")
		if !parse.add(offset, b.Bytes()) {
			return parse.wait() // fn or a parse failed
		}
		offset += len(chunk)
		chunk = chunk[:0]
		return nil
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return errNotStreamable
		}
		key, _ := t.(string)
		if seenBody {
			return errNotStreamable // a member after the body: read whole
		}
		if key != "epcisBody" {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return errNotStreamable
			}
			if key == "type" {
				isEPCISDocument = string(raw) == `"EPCISDocument"`
			}
			kb, _ := json.Marshal(key)
			head.Write(kb)
			head.WriteByte(':')
			head.Write(raw)
			head.WriteByte(',')
			continue
		}
		seenBody = true
		if !isEPCISDocument {
			return errNotStreamable
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			return errNotStreamable
		}
		if t, err := dec.Token(); err != nil || t != "eventList" {
			return errNotStreamable
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return errNotStreamable
		}
		// The events are split off the rest of the file by an arraySplitter
		// (the decoder's scanner costs several times more per byte), and the
		// end of the document is checked by it too.
		split := newArraySplitter(io.MultiReader(dec.Buffered(), f))
		parse = startParseAhead(name, fn)
		// Every way out waits for the chunks handed over; the first failure of
		// fn or of a chunk's parse wins over what stopped the reading.
		finish := func(err error) error {
			if werr := parse.wait(); werr != nil {
				return werr
			}
			return err
		}
		var raw []byte
		for {
			raw, err = split.next(raw)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return finish(exitCode(1, fmt.Errorf("%s: eventList[%d]: %w", name, offset+len(chunk), err)))
			}
			chunk = append(chunk, bytes.Clone(raw))
			if len(chunk) == streamChunk {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := split.end(); err != nil {
			if !errors.Is(err, errNotStreamable) {
				err = exitCode(1, fmt.Errorf("%s: %w", name, err))
			}
			return finish(err)
		}
		if err := flush(); err != nil {
			return err
		}
		return finish(nil)
	}
	return errNotStreamable // no epcisBody
}

// parseAheadChunks is how many chunks of a streamed document are parsed ahead of
// the one being handled: parsing a chunk costs about as much as appending it.
const parseAheadChunks = 2

// parseAhead parses the chunks of a streamed document on goroutines of their
// own, up to parseAheadChunks ahead, and calls fn with them in order on one
// goroutine, until fn or a parse fails.
type parseAhead struct {
	name   string
	fn     func(offset int, doc *epcis.Document) error
	queue  chan *parsedChunk
	done   chan struct{}
	err    error // the first failure; read after done
	failed atomic.Bool
}

// parsedChunk is one chunk on its way through parseAhead.
type parsedChunk struct {
	offset int
	doc    *epcis.Document
	err    error
	ready  chan struct{}
}

func startParseAhead(name string, fn func(offset int, doc *epcis.Document) error) *parseAhead {
	p := &parseAhead{name: name, fn: fn, queue: make(chan *parsedChunk, parseAheadChunks), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		for c := range p.queue {
			<-c.ready
			if p.err != nil {
				continue // draining after a failure
			}
			p.err = c.err
			if p.err == nil {
				p.err = p.fn(c.offset, c.doc)
			}
			if p.err != nil {
				p.failed.Store(true)
			}
		}
	}()
	return p
}

// add hands over the chunk of events from offset, as a document in data. It
// reports false once a failure has stopped the chunks.
func (p *parseAhead) add(offset int, data []byte) bool {
	if p.failed.Load() {
		return false
	}
	c := &parsedChunk{offset: offset, ready: make(chan struct{})}
	go func() {
		defer close(c.ready)
		doc, err := epcis.ParseDocument(data)
		if err != nil {
			c.err = exitCode(1, fmt.Errorf("%s: events from %d: %w", p.name, offset, err))
		}
		c.doc = doc
	}()
	p.queue <- c
	return true
}

// wait ends the chunks, waits for every one handed over and returns the first failure.
func (p *parseAhead) wait() error {
	close(p.queue)
	<-p.done
	return p.err
}
