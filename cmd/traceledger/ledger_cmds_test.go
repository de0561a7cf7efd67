package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/spf13/cobra"

	"traceledger/ledger"
)

// The store commands are tested on a ledger written with a small JSON event form and
// its own Indexer, so that they do not depend on the EPCIS model's wiring.

type cmdTestEvent struct {
	ID       string   `json:"id"`
	Products []string `json:"products"`
}

func cmdTestIndexer(event []byte) (ledger.IndexKeys, error) {
	var e cmdTestEvent
	err := json.Unmarshal(event, &e)
	return ledger.IndexKeys{EventID: e.ID, Products: e.Products}, err
}

func cmdTestOptions() ledger.Options { return ledger.DefaultOptions().WithIndexer(cmdTestIndexer) }

const cmdLot = "https://id.gs1.org/01/09506000134352/10/ABC1"

// cmdTestStore writes a ledger of three events, two of them under cmdLot.
func cmdTestStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	l, err := ledger.Open(dir, cmdTestOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, e := range []cmdTestEvent{
		{ID: "ni:///sha-256;01?ver=CBV2.0", Products: []string{cmdLot}},
		{ID: "ni:///sha-256;02?ver=CBV2.0", Products: []string{"https://id.gs1.org/00/095060001343520004"}},
		{ID: "ni:///sha-256;03?ver=CBV2.0", Products: []string{cmdLot}},
	} {
		b, _ := json.Marshal(e)
		if _, err := l.Append(context.Background(), ledger.Record{Event: b, Firm: "firm"}); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runCmd runs cmd in process with args and an empty standard input, and returns its
// standard output, standard error and the exit status main would give it.
func runCmd(t *testing.T, cmd *cobra.Command, args ...string) (string, string, int) {
	t.Helper()
	return runCmdIn(t, cmd, "", args...)
}

// runCmdIn is runCmd with stdin as the standard input.
func runCmdIn(t *testing.T, cmd *cobra.Command, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	var out, errOut bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	err := cmd.Execute()
	return out.String(), errOut.String(), exitStatus(err)
}

func TestVerifyCommandExitStatus(t *testing.T) {
	dir := cmdTestStore(t)
	out, _, code := runCmd(t, newVerifyCmd(cmdTestOptions), "--data", dir)
	if code != 0 || !strings.HasPrefix(out, "ok: 3 entries") {
		t.Errorf("verify intact store: exit %d, %q", code, out)
	}
	out, _, code = runCmd(t, newVerifyCmd(cmdTestOptions), "--data", dir, "--json")
	var rep ledger.VerifyReport
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || !rep.OK || rep.Entries != 3 {
		t.Errorf("verify --json: exit %d, %q", code, out)
	}
	if _, _, code = runCmd(t, newVerifyCmd(cmdTestOptions), "--data", filepath.Join(dir, "nothing")); code != 2 {
		t.Errorf("verify of a missing store: exit %d, want 2", code)
	}

	// Change one byte of entry 1 directly in Badger.
	db, err := badger.Open(badger.DefaultOptions(ledger.StoreDir(dir)).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	key := append([]byte("e"), 0, 0, 0, 0, 0, 0, 0, 1)
	err = db.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(key)
		if err != nil {
			return err
		}
		v, _ := item.ValueCopy(nil)
		v[len(v)-5] ^= 1
		return txn.Set(key, v)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, _, code = runCmd(t, newVerifyCmd(cmdTestOptions), "--data", dir)
	if code != 1 || !strings.HasPrefix(out, "entry 1: ") {
		t.Errorf("verify tampered store: exit %d, %q", code, out)
	}
}

func TestHistoryCommand(t *testing.T) {
	dir := cmdTestStore(t)
	for _, code := range []string{cmdLot, "(01)09506000134352(10)ABC1"} {
		out, errOut, status := runCmd(t, newHistoryCmd(), "--data", dir, code)
		if status != 0 || !strings.Contains(out, "2 entries") || strings.Index(out, "#2 ") > strings.Index(out, "#0 ") {
			t.Errorf("history %s: exit %d, %q %q", code, status, out, errOut)
		}
	}
	out, _, status := runCmd(t, newHistoryCmd(), "--data", dir, "--json", cmdLot)
	var got struct {
		Code    string
		Entries []struct {
			Index int64
			Prev  int64
			Event cmdTestEvent
		}
	}
	if status != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got.Entries) != 2 ||
		got.Entries[0].Index != 2 || got.Entries[0].Prev != 0 || got.Entries[1].Event.ID != "ni:///sha-256;01?ver=CBV2.0" {
		t.Errorf("history --json: exit %d, %q", status, out)
	}
	if _, _, status := runCmd(t, newHistoryCmd(), "--data", dir, "(01)09506000134352(10)NOPE"); status != 1 {
		t.Errorf("history of an unknown code: exit %d, want 1", status)
	}
	if _, _, status := runCmd(t, newHistoryCmd(), "--data", dir, "(01)09506000134353"); status != 1 {
		t.Errorf("history of an invalid code: exit %d, want 1", status)
	}
}

func TestCheckpointProveAndVerifyProofCommands(t *testing.T) {
	dir := cmdTestStore(t)
	cp, _, status := runCmd(t, newCheckpointCmd(), "--data", dir)
	if status != 0 || !strings.HasPrefix(cp, "traceledger/") || strings.Split(cp, "\n")[1] != "3" || !strings.Contains(cp, "\n\n— traceledger/") {
		t.Errorf("checkpoint: exit %d, %q", status, cp)
	}
	key, _, status := runCmd(t, newCheckpointCmd(), "--data", dir, "--key")
	pub, _ := os.ReadFile(filepath.Join(dir, ledger.VerifierKeyFile))
	if status != 0 || strings.TrimSpace(key) != strings.TrimSpace(string(pub)) {
		t.Errorf("checkpoint --key: exit %d, %q", status, key)
	}
	bundle, _, status := runCmd(t, newProveCmd(), "--data", dir, "(01)09506000134352(10)ABC1")
	if status != 0 {
		t.Fatalf("prove: exit %d", status)
	}
	bundleFile := filepath.Join(t.TempDir(), "bundle.json")
	os.WriteFile(bundleFile, []byte(bundle), 0o644)
	keyFile := filepath.Join(dir, ledger.VerifierKeyFile)
	out, _, status := runCmd(t, newVerifyProofCmd(), "--key", keyFile, bundleFile)
	if status != 0 || !strings.HasPrefix(out, "ok: 2 entries") {
		t.Errorf("verify-proof: exit %d, %q", status, out)
	}
	tampered := strings.Replace(bundle, `"index": 2`, `"index": 1`, 1)
	os.WriteFile(bundleFile, []byte(tampered), 0o644)
	if _, _, status := runCmd(t, newVerifyProofCmd(), "--key", keyFile, bundleFile); status != 1 {
		t.Errorf("verify-proof of a tampered bundle: exit %d, want 1", status)
	}
	if _, _, status := runCmd(t, newVerifyProofCmd(), bundleFile); status != 2 {
		t.Errorf("verify-proof without --key: exit %d, want 2", status)
	}
}
