package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"traceledger/fixtures/testenv"
	"traceledger/ledger/epcis"
)

// realDocuments lists the valid capture documents of the shared test data: GS1's
// JSON-LD examples and OpenEPCIS's capture documents.
func realDocuments(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"testdata/epcis/gs1-EPCIS/JSON", "testdata/epcis/openepcis-test-resources/JSON/Capture/Documents"} {
		root := testenv.Shared(t, dir)
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".jsonld") || strings.HasSuffix(p, ".json")) {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) < 60 {
		t.Fatalf("only %d documents found", len(files))
	}
	return files
}

// GS1's and OpenEPCIS's documents, captured by a regulator, come back one by one
// from GET /epcis/events/{hash ID}, each carrying its standard hash ID, which the
// returned event itself hashes to.
func TestEPCISCapturesTheRealDocumentsAndAnswersEachEventByHashID(t *testing.T) {
	es := startEPCIS(t, Config{})
	total := 0
	for _, f := range realDocuments(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		res, b := es.do("POST", "/epcis/capture", "regulator", data)
		if res.StatusCode != http.StatusAccepted {
			t.Errorf("%s: %d %s", name, res.StatusCode, b)
			continue
		}
		if res.Header.Get("GS1-EPCIS-Version") != "2.0.0" {
			t.Errorf("%s: GS1-EPCIS-Version %q", name, res.Header.Get("GS1-EPCIS-Version"))
		}
		job := es.waitJob(res.Header.Get("Location"), "regulator")
		if !job.Success || len(job.Errors) != 0 || job.Behaviour != "rollback" {
			t.Errorf("%s: job %+v", name, job)
			continue
		}
		doc, err := epcis.ParseDocument(data)
		if err != nil {
			t.Fatal(err)
		}
		if job.Captured != len(doc.Events) {
			t.Errorf("%s: captured %d of %d", name, job.Captured, len(doc.Events))
		}
		for i, ev := range doc.Events {
			total++
			id := ev.HashID()
			res, b := es.do("GET", eventLocation(id), "producerB", nil)
			if res.StatusCode != 200 {
				t.Errorf("%s event %d: GET %s: %d %s", name, i, eventLocation(id), res.StatusCode, b)
				continue
			}
			got, err := epcis.ParseDocument(b)
			if err != nil || len(got.Events) != 1 {
				t.Fatalf("%s event %d: %v %s", name, i, err, b)
			}
			back := got.Events[0]
			if back.EventID != id || back.HashID() != id || back.RecordTime == "" {
				t.Errorf("%s event %d: eventID %q, hashes to %q, recordTime %q; want %q", name, i, back.EventID, back.HashID(), back.RecordTime, id)
			}
		}
	}
	if total < 100 {
		t.Errorf("only %d events checked", total)
	}
	// And the whole set comes back from a query, page by page.
	all := es.queryAll("perPage=50", "inspector")
	seen := map[string]bool{}
	for _, ev := range all {
		if ev.EventID != ev.HashID() {
			t.Errorf("query answer %q hashes to %q", ev.EventID, ev.HashID())
		}
		seen[ev.EventID] = true
	}
	if len(seen) != len(all) || int64(len(all)) > es.log.Size() || len(all) < total/2 {
		t.Errorf("query: %d events, %d distinct, log size %d, %d captured", len(all), len(seen), es.log.Size(), total)
	}
}

// OpenEPCIS's invalid documents are refused with 400 naming a field (or the
// @context), never a 500; under rollback nothing of them is stored.
func TestEPCISRefusesTheInvalidDocumentsNamingTheField(t *testing.T) {
	es := startEPCIS(t, Config{})
	dir := testenv.Shared(t, "testdata/epcis/openepcis-test-resources/JSON/Capture/Invalid")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) < 15 {
		t.Fatalf("%d invalid documents: %v", len(files), err)
	}
	size := es.log.Size()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, behaviour := range []string{"rollback", "proceed"} {
			before := es.log.Size()
			res, b := es.do("POST", "/epcis/capture", "regulator", data, "GS1-Capture-Error-Behaviour", behaviour)
			name := filepath.Base(f) + " (" + behaviour + ")"
			if behaviour == "rollback" && es.log.Size() != before {
				t.Errorf("%s: stored %d events of an invalid document", name, es.log.Size()-before)
			}
			switch {
			case res.StatusCode == http.StatusBadRequest:
				p := problemOf(t, b)
				if p.Field == "" || p.Type != ValidationException || res.Header.Get("Content-Type") != ProblemContentType {
					t.Errorf("%s: %s", name, b)
				}
			case res.StatusCode == http.StatusAccepted && behaviour == "proceed":
				job := es.waitJob(res.Header.Get("Location"), "regulator")
				if job.Success || len(job.Errors) == 0 {
					t.Errorf("%s: job %+v", name, job)
				}
				for _, p := range job.Errors {
					if p.Status != 400 || !strings.HasPrefix(p.Field, "eventList[") {
						t.Errorf("%s: job error %+v", name, p)
					}
				}
			default:
				t.Errorf("%s: %d %s", name, res.StatusCode, b)
			}
		}
	}
	// proceed stores the valid events of a mixed document; rollback none.
	if got := es.log.Size(); got != size {
		kept := es.queryAll("", "regulator")
		t.Logf("proceed kept %d valid events of the invalid documents", len(kept))
	}
}

// handDocument is an EPCISDocument of the given events (JSON members after type, as
// in eventJSON).
func handDocument(events ...string) []byte {
	var b strings.Builder
	b.WriteString(`{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-01-01T00:00:00Z","epcisBody":{"eventList":[`)
	b.WriteString(strings.Join(events, ","))
	b.WriteString("]}}")
	return []byte(b.String())
}

// objectEvent is an ObjectEvent commissioning serial n of item 107346 (producer A's)
// at producer A's site, at minute n of 2025-03-01.
func objectEvent(n int) string {
	return fmt.Sprintf(`{"type":"ObjectEvent","eventTime":"2025-03-01T%02d:%02d:00Z","eventTimeZoneOffset":"+00:00","action":"ADD",`+
		`"epcList":["urn:epc:id:sgtin:0614141.107346.%d"],"bizStep":"commissioning","disposition":"active",`+
		`"readPoint":{"id":"urn:epc:id:sgln:0614141.00777.0"},"bizLocation":{"id":"urn:epc:id:sgln:0614141.00777.0"}}`, n/60%24, n%60, n)
}

func TestEPCISCaptureRollbackProceedAndLimits(t *testing.T) {
	es := startEPCIS(t, Config{CaptureLimit: 3, CaptureFileSizeLimit: 4096})
	bad := strings.Replace(objectEvent(2), `"commissioning"`, `"comissioning"`, 1)

	// rollback (default): one bad event refuses the document, nothing stored
	size := es.log.Size()
	res, b := es.do("POST", "/epcis/capture", "producerA", handDocument(objectEvent(1), bad, objectEvent(3)))
	if p := problemOf(t, b); res.StatusCode != 400 || p.Field != "eventList[1].bizStep" {
		t.Fatalf("rollback: %d %s", res.StatusCode, b)
	}
	if es.log.Size() != size {
		t.Fatal("rollback stored events")
	}

	// proceed: the valid events are stored, the bad one reported
	res, b = es.do("POST", "/epcis/capture", "producerA", handDocument(objectEvent(1), bad, objectEvent(3)),
		"GS1-Capture-Error-Behaviour", "proceed")
	if res.StatusCode != 202 || !strings.HasPrefix(res.Header.Get("Location"), "/epcis/capture/") {
		t.Fatalf("proceed: %d %s", res.StatusCode, b)
	}
	job := es.waitJob(res.Header.Get("Location"), "producerA")
	if job.Success || job.Behaviour != "proceed" || job.Captured != 2 || len(job.Errors) != 1 || job.Errors[0].Field != "eventList[1].bizStep" {
		t.Fatalf("proceed job: %+v", job)
	}
	if es.log.Size() != size+2 {
		t.Fatalf("proceed stored %d events", es.log.Size()-size)
	}
	// another firm cannot see the job; a regulator can
	if res, _ := es.do("GET", "/epcis/capture/"+job.ID, "producerB", nil); res.StatusCode != 404 {
		t.Errorf("another firm read the job: %d", res.StatusCode)
	}
	if res, _ := es.do("GET", "/epcis/capture/"+job.ID, "regulator", nil); res.StatusCode != 200 {
		t.Errorf("regulator could not read the job: %d", res.StatusCode)
	}
	if res, b := es.do("GET", "/epcis/capture/capnone", "producerA", nil); res.StatusCode != 404 || problemOf(t, b).Type != NoSuchResourceException {
		t.Errorf("unknown job: %d %s", res.StatusCode, b)
	}

	// the same document again: all duplicates, stored once
	res, _ = es.do("POST", "/epcis/capture", "producerA", handDocument(objectEvent(1), objectEvent(3)))
	if job := es.waitJob(res.Header.Get("Location"), "producerA"); !job.Success || job.Captured != 2 || es.log.Size() != size+2 {
		t.Fatalf("recapture: %+v, log grew by %d", job, es.log.Size()-size)
	}

	// limits: advertised, and enforced with 413
	res, _ = es.do("OPTIONS", "/epcis/capture", "producerA", nil)
	if res.StatusCode != 204 || res.Header.Get("GS1-EPCIS-Capture-Limit") != "3" ||
		res.Header.Get("GS1-EPCIS-Capture-File-Size-Limit") != "4096" || res.Header.Get("GS1-EPCIS-Version") != "2.0.0" ||
		!strings.Contains(res.Header.Get("Allow"), "POST") {
		t.Errorf("OPTIONS: %d %v", res.StatusCode, res.Header)
	}
	res, b = es.do("POST", "/epcis/capture", "producerA", handDocument(objectEvent(4), objectEvent(5), objectEvent(6), objectEvent(7)))
	if p := problemOf(t, b); res.StatusCode != 413 || p.Type != CaptureLimitExceededException || res.Header.Get("GS1-EPCIS-Capture-Limit") != "3" {
		t.Errorf("4 events over a limit of 3: %d %s", res.StatusCode, b)
	}
	big := handDocument(objectEvent(8), strings.Replace(objectEvent(9), `"action"`, `"example:pad":"`+strings.Repeat("x", 4096)+`","action"`, 1))
	res, b = es.do("POST", "/epcis/capture", "producerA", big)
	if p := problemOf(t, b); res.StatusCode != 413 || p.Type != CaptureLimitExceededException || res.Header.Get("GS1-EPCIS-Capture-File-Size-Limit") != "4096" {
		t.Errorf("document over the size limit: %d %s", res.StatusCode, b)
	}
	res, b = es.do("POST", "/epcis/events", "producerA", []byte(big))
	if res.StatusCode != 413 {
		t.Errorf("event over the size limit: %d %s", res.StatusCode, b)
	}
	if es.log.Size() != size+2 {
		t.Fatal("a refused document stored events")
	}

	// bad header values
	res, b = es.do("POST", "/epcis/capture", "producerA", handDocument(objectEvent(4)), "GS1-Capture-Error-Behaviour", "sometimes")
	if p := problemOf(t, b); res.StatusCode != 400 || p.Field != "GS1-Capture-Error-Behaviour" {
		t.Errorf("bad behaviour: %d %s", res.StatusCode, b)
	}
	res, b = es.do("POST", "/epcis/capture", "producerA", handDocument(objectEvent(4)), "GS1-EPCIS-Version", "1.2")
	if p := problemOf(t, b); res.StatusCode != 406 || p.Type != NotAcceptableException {
		t.Errorf("EPCIS 1.2: %d %s", res.StatusCode, b)
	}
	if res, _ := es.do("POST", "/epcis/capture", "producerA", handDocument(objectEvent(4)), "GS1-EPCIS-Version", "2.0"); res.StatusCode != 202 {
		t.Errorf("EPCIS 2.0: %d", res.StatusCode)
	}
}

// A producer may record only its own goods at its own sites: commissioning goods
// under another firm's prefix is a 403 naming the field, and nothing is stored.
func TestEPCISProducerCapturingUnderAnotherFirmsPrefixIsForbidden(t *testing.T) {
	es := startEPCIS(t, Config{})
	theirs := strings.Replace(objectEvent(1), "urn:epc:id:sgtin:0614141.107346.1", "urn:epc:id:sgtin:4012345.012345.1", 1)
	size := es.log.Size()
	for _, path := range []string{"/epcis/events", "/epcis/capture"} {
		body := []byte(theirs)
		if path == "/epcis/capture" {
			body = handDocument(objectEvent(2), theirs)
		}
		res, b := es.do("POST", path, "producerA", body)
		p := problemOf(t, b)
		if res.StatusCode != 403 || p.Type != SecurityException || !strings.Contains(p.Field, "epcList") {
			t.Errorf("%s: %d %s", path, res.StatusCode, b)
		}
	}
	// at another firm's site
	elsewhere := strings.ReplaceAll(objectEvent(3), "urn:epc:id:sgln:0614141.00777.0", "urn:epc:id:sgln:4012345.00000.0")
	if res, b := es.do("POST", "/epcis/events", "producerA", []byte(elsewhere)); res.StatusCode != 403 {
		t.Errorf("at another firm's site: %d %s", res.StatusCode, b)
	}
	if es.log.Size() != size {
		t.Fatalf("forbidden captures stored %d entries", es.log.Size()-size)
	}
	if evs := es.queryAll(escapedQuery("MATCH_epc", "urn:epc:id:sgtin:4012345.012345.1"), "regulator"); len(evs) != 0 {
		t.Fatalf("the forbidden event is queryable: %d", len(evs))
	}
	// the owner may; a regulator may record anything
	if res, b := es.do("POST", "/epcis/events", "producerA", []byte(objectEvent(1))); res.StatusCode != 201 {
		t.Errorf("own goods at own site: %d %s", res.StatusCode, b)
	}
	if res, b := es.do("POST", "/epcis/events", "regulator", []byte(theirs)); res.StatusCode != 201 {
		t.Errorf("regulator: %d %s", res.StatusCode, b)
	}
	// an inspector records inspections anywhere, nothing else
	inspect := strings.NewReplacer(`"action":"ADD"`, `"action":"OBSERVE"`, `"commissioning"`, `"inspecting"`).Replace(elsewhere)
	if res, b := es.do("POST", "/epcis/events", "inspector", []byte(inspect)); res.StatusCode != 201 {
		t.Errorf("inspector inspecting: %d %s", res.StatusCode, b)
	}
	if res, _ := es.do("POST", "/epcis/events", "inspector", []byte(objectEvent(7))); res.StatusCode != 403 {
		t.Errorf("inspector commissioning: %d", res.StatusCode)
	}
}

// POST /epcis/events stores one event synchronously and is idempotent; the event is
// found by its hash ID and by the ID its capturer gave.
func TestEPCISSingleEventCaptureIsSynchronousAndIdempotent(t *testing.T) {
	es := startEPCIS(t, Config{})
	ev := strings.Replace(objectEvent(5), `"action"`, `"eventID":"urn:uuid:0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5","action"`, 1)
	body := []byte(`{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],` + ev[1:])
	res, b := es.do("POST", "/epcis/events", "producerA", body)
	loc := res.Header.Get("Location")
	if res.StatusCode != 201 || !strings.HasPrefix(loc, "/epcis/events/ni:%2F%2F%2Fsha-256%3B") {
		t.Fatalf("POST: %d %q %s", res.StatusCode, loc, b)
	}
	size := es.log.Size()
	res, _ = es.do("POST", "/epcis/events", "producerA", body)
	if res.StatusCode != 201 || res.Header.Get("Location") != loc || es.log.Size() != size {
		t.Fatalf("again: %d %q, log grew by %d", res.StatusCode, res.Header.Get("Location"), es.log.Size()-size)
	}
	// as a one-event document too
	res, _ = es.do("POST", "/epcis/events", "producerA", handDocument(ev))
	if res.StatusCode != 201 || res.Header.Get("Location") != loc {
		t.Fatalf("as a document: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	for _, path := range []string{loc, "/epcis/events/urn:uuid:0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"} {
		res, b := es.do("GET", path, "producerB", nil)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
		}
		doc, err := epcis.ParseDocument(b)
		if err != nil || doc.Type != "EPCISQueryDocument" || len(doc.Events) != 1 || eventLocation(doc.Events[0].EventID) != loc {
			t.Fatalf("GET %s: %v %s", path, err, b)
		}
	}
	firm, err := es.reg.Firm(es.firms["producerA"])
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/epcis/events/urn:uuid:none", eventLocation("ni:///sha-256;00?ver=CBV2.0"),
		eventLocation(firm.RecordID)} { // a registry record shares the log but is no event
		res, b := es.do("GET", path, "producerB", nil)
		if p := problemOf(t, b); res.StatusCode != 404 || p.Type != NoSuchResourceException {
			t.Errorf("GET %s: %d %s", path, res.StatusCode, b)
		}
	}
	if res, b := es.do("POST", "/epcis/events", "producerA", handDocument(objectEvent(1), objectEvent(2))); res.StatusCode != 400 {
		t.Errorf("two events: %d %s", res.StatusCode, b)
	}
	if res, _ := es.do("OPTIONS", "/epcis/events", "producerA", nil); res.StatusCode != 204 || res.Header.Get("Allow") != "OPTIONS, GET, POST" {
		t.Errorf("OPTIONS /epcis/events: %d %v", res.StatusCode, res.Header)
	}
}

// Bad input is a 4xx problem naming what is wrong, never a 500.
func TestEPCISBadInput(t *testing.T) {
	es := startEPCIS(t, Config{BodyLimit: 1 << 20})
	for _, tc := range []struct {
		name, path, ctype string
		body              []byte
		status            int
		field             string
	}{
		{"malformed JSON", "/epcis/capture", "", []byte(`{"type":"EPCISDocument","epcisBody":{"eventList":[{]}}`), 400, "epcisBody.eventList[0]"},
		{"truncated JSON", "/epcis/events", "", []byte(`{"type":"ObjectEvent",`), 400, ""},
		{"empty body", "/epcis/events", "", []byte(` `), 400, ""},
		{"wrong type: eventTime a number", "/epcis/events", "", []byte(strings.Replace(objectEvent(1), `"2025-03-01T00:01:00Z"`, `5`, 1)), 400, "eventTime"},
		{"wrong type: epcList an object", "/epcis/capture", "", handDocument(strings.Replace(objectEvent(1), `["urn:epc:id:sgtin:0614141.107346.1"]`, `{"a":1}`, 1)), 400, "eventList[0].epcList"},
		{"unknown vocabulary", "/epcis/events", "", []byte(strings.Replace(objectEvent(1), `"active"`, `"happy"`, 1)), 400, "disposition"},
		{"bad check digit", "/epcis/events", "", []byte(strings.Replace(objectEvent(1), `0614141.00777.0`, `0614141.00777.0"},"x":{"id":"https://id.gs1.org/414/0614141007775`, 1)), 400, ""},
		{"no context", "/epcis/capture", "", []byte(`{"type":"EPCISDocument","epcisBody":{"eventList":[` + objectEvent(1) + `]}}`), 400, "@context"},
		{"bare event to /capture", "/epcis/capture", "", []byte(objectEvent(1)), 400, "type"},
		{"not JSON", "/epcis/events", "text/plain", []byte("hello"), 415, "Content-Type"},
		{"XML", "/epcis/capture", "application/xml", []byte("<x/>"), 415, "Content-Type"},
		{"oversized body", "/epcis/capture", "", []byte(`{"x":"` + strings.Repeat("y", 2<<20) + `"}`), 413, ""},
	} {
		hdr := []string{}
		if tc.ctype != "" {
			hdr = []string{"Content-Type", tc.ctype}
		}
		res, b := es.do("POST", tc.path, "regulator", tc.body, hdr...)
		if res.StatusCode != tc.status {
			t.Errorf("%s: %d %s", tc.name, res.StatusCode, b)
			continue
		}
		p := problemOf(t, b)
		if tc.field != "" && p.Field != tc.field {
			t.Errorf("%s: field %q, want %q (%s)", tc.name, p.Field, tc.field, b)
		}
	}
	// no key: 401; every EPCIS route needs one
	for _, r := range [][2]string{{"GET", "/epcis/events"}, {"GET", "/epcis/events/x"}, {"POST", "/epcis/events"}, {"POST", "/epcis/capture"}, {"GET", "/epcis/capture/x"}} {
		if res, _ := es.do(r[0], r[1], "", nil); res.StatusCode != 401 {
			t.Errorf("%s %s without a key: %d", r[0], r[1], res.StatusCode)
		}
	}
}

// A document larger than one ledger transaction: proceed stores it in chunks;
// rollback, which must be atomic, fails its job with CaptureLimitExceededException
// and stores nothing. How many events one transaction holds depends on the
// ledger's Badger settings, so the test measures it (eventsBeyondOneTransaction)
// rather than assuming a number.
func TestEPCISCaptureLargerThanOneTransaction(t *testing.T) {
	es := startEPCIS(t, Config{})
	events := make([]string, eventsBeyondOneTransaction(t))
	for i := range events {
		events[i] = string(loadEvent(int64(i + 1)))
	}
	doc := handDocument(events...)
	size := es.log.Size()
	res, b := es.do("POST", "/epcis/capture", "producerA", doc)
	if res.StatusCode != 202 {
		t.Fatalf("rollback: %d %s", res.StatusCode, b)
	}
	job := es.waitJob(res.Header.Get("Location"), "producerA")
	if job.Success || len(job.Errors) != 1 || job.Errors[0].Type != CaptureLimitExceededException || es.log.Size() != size {
		t.Fatalf("rollback job %+v, log grew by %d", job, es.log.Size()-size)
	}
	res, b = es.do("POST", "/epcis/capture", "producerA", doc, "GS1-Capture-Error-Behaviour", "proceed")
	if res.StatusCode != 202 {
		t.Fatalf("proceed: %d %s", res.StatusCode, b)
	}
	job = es.waitJob(res.Header.Get("Location"), "producerA")
	if !job.Success || job.Captured != len(events) || es.log.Size() != size+int64(len(events)) {
		t.Fatalf("proceed job %+v, log grew by %d", job, es.log.Size()-size)
	}
}

func TestEPCISCaptureJobList(t *testing.T) {
	es := startEPCIS(t, Config{})
	var ids []string
	for i := range 3 {
		res, b := es.do("POST", "/epcis/capture", "producerA", handDocument(objectEvent(i)))
		if res.StatusCode != 202 {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
		ids = append(ids, es.waitJob(res.Header.Get("Location"), "producerA").ID)
	}
	res, _ := es.do("POST", "/epcis/capture", "regulator", handDocument(objectEvent(9)))
	es.waitJob(res.Header.Get("Location"), "regulator")

	var got []string
	path := "/epcis/capture?perPage=2"
	for path != "" {
		res, b := es.do("GET", path, "producerA", nil)
		var jobs []captureJob
		if res.StatusCode != 200 || json.Unmarshal(b, &jobs) != nil {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
		}
		for _, j := range jobs {
			got = append(got, j.ID)
		}
		path = ""
		if link := res.Header.Get("Link"); link != "" {
			path = strings.TrimPrefix(strings.TrimSuffix(link, `>; rel="next"`), "<"+es.url)
		}
	}
	if want := []string{ids[2], ids[1], ids[0]}; !slices.Equal(got, want) {
		t.Errorf("producer A's jobs %v, want %v (newest first, not the regulator's)", got, want)
	}
	res, b := es.do("GET", "/epcis/capture", "regulator", nil)
	var all []captureJob
	if res.StatusCode != 200 || json.Unmarshal(b, &all) != nil || len(all) != 4 {
		t.Errorf("regulator's list: %d %s", res.StatusCode, b)
	}
	if res, _ := es.do("GET", "/epcis/capture?nextPageToken=capnone", "producerA", nil); res.StatusCode != 400 {
		t.Errorf("unknown token: %d", res.StatusCode)
	}
}
