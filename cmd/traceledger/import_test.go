package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"traceledger/fixtures"
	"traceledger/ledger"
	"traceledger/ledger/epcis"
)

func runImportCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := newImportCmd()
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	var out, errOut bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	err := cmd.Execute()
	return out.String(), errOut.String(), exitStatus(err)
}

// TestImportStoresDocumentsIdempotently imports the demo chain as one EPCIS document:
// every event is reported with its hash ID in document order, a second import stores
// nothing new, and the store verifies.
func TestImportStoresDocumentsIdempotently(t *testing.T) {
	ds := fixtures.Demo()
	var doc bytes.Buffer
	if err := epcis.WriteDocument(&doc, ds.Events, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	file := writeTemp(t, "demo.jsonld", doc.String())
	data := filepath.Join(t.TempDir(), "store")

	type line struct {
		Index     int64  `json:"index"`
		EventID   string `json:"eventID"`
		Duplicate bool   `json:"duplicate"`
	}
	read := func(out string) []line {
		var ls []line
		for _, s := range strings.Split(strings.TrimSpace(out), "\n") {
			var l line
			if err := json.Unmarshal([]byte(s), &l); err != nil {
				t.Fatalf("line %q: %v", s, err)
			}
			ls = append(ls, l)
		}
		return ls
	}

	out, errOut, code := runImportCmd(t, "--data", data, "--json", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	first := read(out)
	if len(first) != len(ds.Events) {
		t.Fatalf("%d lines, want %d", len(first), len(ds.Events))
	}
	for i, l := range first {
		if l.Index != int64(i) || l.EventID != ds.Events[i].HashID() || l.Duplicate {
			t.Fatalf("line %d = %+v, want index %d, ID %s, new", i, l, i, ds.Events[i].HashID())
		}
	}

	out, _, code = runImportCmd(t, "--data", data, "--json", file)
	if code != 0 {
		t.Fatalf("second import: exit %d", code)
	}
	for i, l := range read(out) {
		if !l.Duplicate || l.Index != int64(i) {
			t.Fatalf("second import line %d = %+v, want duplicate of entry %d", i, l, i)
		}
	}

	l, err := ledger.Open(data, ledgerOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if l.Size() != int64(len(ds.Events)) {
		t.Fatalf("size %d after two imports, want %d", l.Size(), len(ds.Events))
	}
	if rep, err := l.Verify(nil); err != nil || !rep.OK {
		t.Fatalf("verify: %+v, %v", rep, err)
	}
}

// TestImportRejectsInvalidDocumentWhole checks that one bad event keeps its whole
// document out of the store (exit 1, the reason on stderr) while a good document given
// in the same call is still imported.
func TestImportRejectsInvalidDocumentWhole(t *testing.T) {
	ds := fixtures.Demo()
	var good bytes.Buffer
	if err := epcis.WriteDocument(&good, ds.Events[:3], time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(good.String(), `"action": "ADD"`, `"action": "CREATE"`, 1)
	if bad == good.String() {
		t.Fatal("test document has no ADD action to spoil")
	}
	data := filepath.Join(t.TempDir(), "store")
	_, errOut, code := runImportCmd(t, "--data", data, writeTemp(t, "bad.jsonld", bad))
	if code != 1 || !strings.Contains(errOut, "action") {
		t.Fatalf("bad document: exit %d, stderr %q; want 1 naming the action", code, errOut)
	}
	out, _, code := runImportCmd(t, "--data", data, writeTemp(t, "good.jsonld", good.String()))
	if code != 0 || !strings.Contains(out, "imported 3 events (3 new") {
		t.Fatalf("good document after a rejected one: exit %d, %q", code, out)
	}
}

// TestBenchLedgerPrintsTheContract runs a small bench ledger and checks the JSON
// contract: all four figures present and positive, ratio = ledger / baseline.
func TestBenchLedgerPrintsTheContract(t *testing.T) {
	cmd := newBenchLedgerCmd(ledgerOptions)
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"--events", "600", "--batch", "100", "--json"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	var got map[string]float64
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%q: %v", out.String(), err)
	}
	for _, k := range []string{"ledger_events_per_s", "baseline_events_per_s", "ratio", "verify_entries_per_s"} {
		if got[k] <= 0 {
			t.Errorf("%s = %v, want > 0 (output %s)", k, got[k], out.String())
		}
	}
	if r := got["ledger_events_per_s"] / got["baseline_events_per_s"]; r < got["ratio"]*0.99 || r > got["ratio"]*1.01 {
		t.Errorf("ratio %v, want ledger/baseline = %v", got["ratio"], r)
	}
}

// TestBenchLedgerRowsAlone checks that --rows-alone adds the rate of the log's
// rows written alone and leaves the contract's four figures as they are; without
// it the JSON has exactly the contract's members.
func TestBenchLedgerRowsAlone(t *testing.T) {
	for _, rows := range []bool{false, true} {
		cmd := newBenchLedgerCmd(ledgerOptions)
		var out bytes.Buffer
		cmd.SetOut(&out)
		args := []string{"--events", "600", "--batch", "100", "--json"}
		if rows {
			args = append(args, "--rows-alone")
		}
		cmd.SetArgs(args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		var got map[string]float64
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("%q: %v", out.String(), err)
		}
		want := 4
		if rows {
			want = 5
			if got["rows_alone_events_per_s"] <= 0 {
				t.Errorf("--rows-alone: rows_alone_events_per_s = %v, want > 0 (output %s)", got["rows_alone_events_per_s"], out.String())
			}
		}
		if len(got) != want {
			t.Errorf("rows alone %v: %d members, want %d: %s", rows, len(got), want, out.String())
		}
	}
}
