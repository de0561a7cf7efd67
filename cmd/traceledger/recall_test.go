package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"traceledger/fixtures"
	"traceledger/ledger"
	"traceledger/ledger/recall"
	"traceledger/ledger/registry"
)

// recallTestOptions open the trace and recall tests' stores with the server's
// Indexer (EPCIS events and registry records).
func recallTestOptions() ledger.Options {
	return ledger.DefaultOptions().WithIndexer(registry.Indexer(ledger.EPCISIndexer))
}

// demoStore writes the fixtures' demo chain to a new store.
func demoStore(t *testing.T) (string, *fixtures.Dataset) {
	t.Helper()
	dir := t.TempDir()
	d := fixtures.Demo()
	l, err := ledger.Open(dir, recallTestOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var recs []ledger.Record
	for i, e := range d.Events {
		b, err := e.CanonicalJSON()
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, ledger.Record{Event: b, Firm: d.Recorders[i]})
	}
	if _, err := l.Append(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
	return dir, d
}

func keysOf(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestTraceCommandJSONContract(t *testing.T) {
	dir, d := demoStore(t)
	c := d.Codes
	// The multipack lot typed as an element string.
	mp := strings.TrimPrefix(c.MultipackLot, "https://id.gs1.org/01/")
	gtin, lot, _ := strings.Cut(mp, "/10/")
	out, errOut, code := runCmd(t, newTraceCmd(recallTestOptions), "--data", dir, "--json", "--direction", "back",
		"(01)"+gtin+"(10)"+lot)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if ks := keysOf(t, json.RawMessage(out)); !slices.Equal(ks, []string{"edges", "firms", "locations", "logisticUnits", "lots", "origin", "roots"}) {
		t.Errorf("keys %q", ks)
	}
	var tr recall.Trace
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatal(err)
	}
	if tr.Origin != c.MultipackLot {
		t.Errorf("origin %q", tr.Origin)
	}
	want := append([]string{c.PasteurisedLot, c.YogurtLot}, c.RawMilkLots...)
	slices.Sort(want)
	if !slices.Equal(tr.Lots, want) || !slices.Equal(tr.Roots, c.RawMilkLots) {
		t.Errorf("lots %q roots %q", tr.Lots, tr.Roots)
	}
	for _, e := range tr.Edges {
		if !slices.Contains([]string{"transformation", "aggregation", "shipping", "receiving", "commissioning"}, e.Kind) ||
			!strings.HasPrefix(e.EventID, "ni:///sha-256;") {
			t.Errorf("edge %+v", e)
		}
	}
	if len(tr.Firms) != 4 {
		t.Errorf("firms %q", tr.Firms)
	}

	out, _, code = runCmd(t, newTraceCmd(recallTestOptions), "--data", dir, "--json", "--direction", "forward", c.RawMilkLots[0])
	if err := json.Unmarshal([]byte(out), &tr); code != 0 || err != nil {
		t.Fatalf("forward: exit %d, %v", code, err)
	}
	if !slices.Equal(tr.LogisticUnits, c.Pallets) || len(tr.Locations) != 5 || len(tr.Roots) != 0 || tr.Roots == nil {
		t.Errorf("forward: units %q locations %q roots %v", tr.LogisticUnits, tr.Locations, tr.Roots)
	}

	out, _, code = runCmd(t, newTraceCmd(recallTestOptions), "--data", dir, "--direction", "forward", c.YogurtLot)
	if code != 0 || !strings.Contains(out, c.MultipackLot) || !strings.Contains(out, "locations (4)") {
		t.Errorf("text output: exit %d\n%s", code, out)
	}
}

func TestTraceCommandExitStatus(t *testing.T) {
	dir, d := demoStore(t)
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--data", dir, "--direction", "back", "(01)06990022000018(10)X"}, 1}, // bad check digit
		{[]string{"--data", dir, "--direction", "sideways", d.Codes.YogurtLot}, 2},
		{[]string{"--data", filepath.Join(dir, "none"), "--direction", "back", d.Codes.YogurtLot}, 2},
		{[]string{"--data", dir, "--direction", "back"}, 2},
		{[]string{"--data", dir, "--direction", "back", "https://id.gs1.org/01/06990022000017/10/NEVER"}, 0},
	} {
		if _, errOut, code := runCmd(t, newTraceCmd(recallTestOptions), tc.args...); code != tc.want {
			t.Errorf("%q: exit %d, want %d (%s)", tc.args, code, tc.want, errOut)
		}
	}
}

func TestRecallCommand(t *testing.T) {
	dir, d := demoStore(t)
	c := d.Codes
	out, errOut, code := runCmd(t, newRecallCmd(recallTestOptions), "--data", dir, "--json", "--dry-run", c.YogurtLot)
	if code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, errOut)
	}
	if ks := keysOf(t, json.RawMessage(out)); !slices.Equal(ks, []string{"accountedFor", "locations", "logisticUnits", "lots"}) {
		t.Errorf("dry-run keys %q", ks)
	}
	var sc recall.Scope
	if err := json.Unmarshal([]byte(out), &sc); err != nil {
		t.Fatal(err)
	}
	if len(sc.Lots) != 2 || len(sc.LogisticUnits) != 3 || len(sc.Locations) != 4 || sc.AccountedFor != 1 {
		t.Errorf("scope %s", out)
	}

	out, _, code = runCmd(t, newRecallCmd(recallTestOptions), "--data", dir, "--csv", "--dry-run", c.YogurtLot)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || !slices.Equal(rows[0], recall.CSVHeader) || len(rows) < 5 {
		t.Errorf("csv: exit %d, %v, %q", code, err, rows)
	}

	// Publish twice: the same ID, nothing new the second time.
	var ids []string
	for i := range 2 {
		out, errOut, code = runCmd(t, newRecallCmd(recallTestOptions), "--data", dir, "--json", "--reason", "Listeria monocytogenes", c.YogurtLot)
		var res struct {
			ID string `json:"id"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &res) != nil || !strings.HasPrefix(res.ID, "urn:uuid:") {
			t.Fatalf("run %d: exit %d, %s %s", i, code, out, errOut)
		}
		ids = append(ids, res.ID)
		want := []string{"2 recall events appended, 0 already", "0 recall events appended, 2 already"}[i]
		if !strings.Contains(errOut, want) {
			t.Errorf("run %d: %q, want %q", i, errOut, want)
		}
	}
	if ids[0] != ids[1] {
		t.Errorf("recall IDs differ: %q", ids)
	}
	if _, _, code := runCmd(t, newRecallCmd(recallTestOptions), "--data", dir, "--dry-run", "nonsense"); code != 1 {
		t.Errorf("invalid code: exit %d, want 1", code)
	}
}

func TestBenchRecallCommand(t *testing.T) {
	out, errOut, code := runCmd(t, newBenchRecallCmd(recallTestOptions), "--events", "1500", "--samples", "10", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res recall.BenchResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Events != 1500 || res.Scope.Samples != 10 || res.BuildSeconds <= 0 {
		t.Errorf("%s: %+v %v", out, res, err)
	}
	if ks := keysOf(t, json.RawMessage(out)); !slices.Equal(ks, []string{"backward", "backward_ratio", "baseline", "build_s", "events", "forward", "scope", "scope_ratio"}) {
		t.Errorf("keys %q", ks)
	}
	if _, _, code := runCmd(t, newBenchRecallCmd(recallTestOptions), "--events", "0"); code != 2 {
		t.Errorf("--events 0: exit %d", code)
	}
}
