package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"traceledger/fixtures/testenv"
)

// runHashCmd runs "traceledger hash args..." in process and returns its standard output,
// standard error and exit status.
func runHashCmd(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	return runCmdIn(t, newHashCmd(), stdin, args...)
}

// twoEvents is a document of two events whose hash IDs are known: the reference
// example of CBV 2.0 (official vector) and the same event in another time zone.
const twoEvents = `{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",{"example":"https://ns.example.com/epcis/"}],
"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2020-03-04T11:00:30Z","epcisBody":{"eventList":[
{"type":"ObjectEvent","eventTime":"2020-03-04T11:00:30.000+01:00","eventTimeZoneOffset":"+01:00",
 "epcList":["urn:epc:id:sscc:4012345.0000000333","urn:epc:id:sscc:4012345.0000000111","urn:epc:id:sscc:4012345.0000000222"],
 "action":"OBSERVE","bizStep":"departing","readPoint":{"id":"urn:epc:id:sgln:4012345.00011.987"},
 "example:myField1":{"example:mySubField1":"2","example:mySubField2":"5"},"example:myField2":"0",
 "example:myField3":{"example:mySubField3":["3","1"]}},
{"type":"ObjectEvent","eventTime":"2020-03-04T10:00:30Z","eventTimeZoneOffset":"+01:00",
 "epcList":["https://id.gs1.org/00/040123450000001112","https://id.gs1.org/00/040123450000002225","https://id.gs1.org/00/040123450000003338"],
 "action":"OBSERVE","bizStep":"https://ref.gs1.org/cbv/BizStep-departing","readPoint":{"id":"https://id.gs1.org/414/4012345000115/254/987"},
 "example:myField3":{"example:mySubField3":["1","3"]},"example:myField2":"0.0",
 "example:myField1":{"example:mySubField2":"5","example:mySubField1":"2"}}]}}`

const referenceHashID = "ni:///sha-256;6ae96341e0acc6d7a261364751f60e68278a81cdf51da0abb6b4e617014e39d7?ver=CBV2.0"

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHashPrintsOneLinePerEvent(t *testing.T) {
	f := writeTemp(t, "doc.jsonld", twoEvents)
	out, _, code := runHashCmd(t, "", f)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if want := referenceHashID + "\n" + referenceHashID + "\n"; out != want {
		t.Fatalf("output\n%s\nwant\n%s", out, want)
	}
}

func TestHashPrehash(t *testing.T) {
	out, _, code := runHashCmd(t, twoEvents, "--prehash", "-")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), out)
	}
	for _, l := range lines {
		hash, pre, ok := strings.Cut(l, "\t")
		if !ok || hash != referenceHashID || !strings.HasPrefix(pre, "eventType=ObjectEventeventTime=2020-03-04T10:00:30.000Z") {
			t.Errorf("line %q", l)
		}
	}
}

func TestHashExitStatus(t *testing.T) {
	good := writeTemp(t, "good.jsonld", twoEvents)
	bad := writeTemp(t, "bad.json", `{"type":"EPCISDocument"`)
	out, errOut, code := runHashCmd(t, "", good, bad)
	if code != 1 || strings.Count(out, "\n") != 2 || !strings.Contains(errOut, "bad.json") {
		t.Errorf("unparsable file: exit %d, stdout %q, stderr %q; want 1, the good file's 2 lines, the bad file named", code, out, errOut)
	}
	if _, _, code := runHashCmd(t, "", filepath.Join(t.TempDir(), "missing.json")); code != 2 {
		t.Errorf("missing file: exit %d, want 2", code)
	}
	if _, _, code := runHashCmd(t, ""); code != 2 {
		t.Errorf("no FILE: exit %d, want 2", code)
	}
	if _, _, code := runHashCmd(t, "", "--bogus", good); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
}

// TestHashVectorsThroughCommand runs the command on the official example documents
// (JSON-LD and XML) and compares every line with hash-vectors.tsv.
func TestHashVectorsThroughCommand(t *testing.T) {
	dir := testenv.Shared(t, "testdata/epcis")
	data, err := os.ReadFile(filepath.Join(dir, "hash-vectors.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{}
	var files []string
	for _, line := range strings.Split(string(data), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) != 4 || strings.HasPrefix(line, "#") {
			continue
		}
		if _, seen := want[cols[0]]; !seen {
			files = append(files, cols[0])
		}
		want[cols[0]] = append(want[cols[0]], cols[2]+"\t"+cols[3])
	}
	rows := 0
	for _, f := range files {
		out, errOut, code := runHashCmd(t, "", "--prehash", filepath.Join(dir, "hash-vectors-RalphTro", f))
		if code != 0 {
			t.Errorf("%s: exit %d: %s", f, code, errOut)
			continue
		}
		got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		for i, w := range want[f] {
			if i >= len(got) || got[i] != w {
				t.Errorf("%s line %d differs", f, i)
				continue
			}
			rows++
		}
	}
	t.Logf("%d of %d vector rows match through the hash command", rows, 89)
}
