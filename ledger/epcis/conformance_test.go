package epcis

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"traceledger/fixtures/testenv"
)

// TestExpectedEqual checks that every event inside each expected_equal document (the
// same event written differently: field order, time zone, number precision, empty
// lists, EPC URN or Digital Link) has one hash ID.
func TestExpectedEqual(t *testing.T) {
	dir := testenv.Shared(t, "testdata/epcis/hash-vectors-RalphTro/tests/expected_equal")
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no expected_equal files in %s: %v", dir, err)
	}
	for _, f := range files {
		doc, err := readAny(f)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if len(doc.Events) < 2 {
			t.Errorf("%s: %d events, want at least 2", filepath.Base(f), len(doc.Events))
			continue
		}
		want := doc.Events[0].HashID()
		for i, e := range doc.Events[1:] {
			if got := e.HashID(); got != want {
				t.Errorf("%s: event %d hashes to %s, event 0 to %s\n pre-hash %d: %s\n pre-hash 0: %s",
					filepath.Base(f), i+1, got, want, i+1, e.PreHash(), doc.Events[0].PreHash())
			}
		}
		t.Logf("%s: %d events, one hash", filepath.Base(f), len(doc.Events))
	}
}

// validDocuments lists the JSON-LD documents every EPCIS 2.0 implementation must accept.
func validDocuments(t *testing.T) []string {
	var files []string
	for _, rel := range []string{
		"testdata/epcis/openepcis-test-resources/JSON/Capture/Documents",
		"testdata/epcis/gs1-EPCIS/JSON",
	} {
		root := testenv.Shared(t, rel)
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".jsonld")) {
				files = append(files, p)
			}
			return nil
		})
	}
	sort.Strings(files)
	return files
}

func TestValidDocumentsAccepted(t *testing.T) {
	files := validDocuments(t)
	if len(files) < 40 {
		t.Fatalf("only %d valid documents found", len(files))
	}
	events := 0
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := ParseDocument(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := doc.Validate(); err != nil {
			t.Errorf("%s: rejected: %v", name, err)
		}
		events += len(doc.Events)
	}
	t.Logf("%d valid documents, %d events accepted", len(files), events)
}

func TestInvalidDocumentsRejected(t *testing.T) {
	dir := testenv.Shared(t, "testdata/epcis/openepcis-test-resources/JSON/Capture/Invalid")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Fatalf("no invalid documents in %s", dir)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := ParseDocument(data)
		if err == nil {
			err = doc.Validate()
		}
		if err == nil {
			t.Errorf("%s: accepted, want rejected", filepath.Base(f))
			continue
		}
		t.Logf("%s: rejected: %v", filepath.Base(f), err)
	}
}
