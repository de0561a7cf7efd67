package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"traceledger/fixtures"
	"traceledger/ledger"
	"traceledger/ledger/registry"
	"traceledger/server"
)

// keysTestStore makes a store with one registered firm and returns its directory.
func keysTestStore(t *testing.T, f *fixtures.Firm) string {
	t.Helper()
	dir := t.TempDir()
	l, err := ledger.Open(dir, serveStoreOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := registry.New(l).RegisterFirm(context.Background(), demoRegistration(f)); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestKeysCreateListRevoke(t *testing.T) {
	d := fixtures.Demo()
	farm, other := &d.Firms[0], &d.Firms[1]
	dir := keysTestStore(t, farm)

	out, errOut, code := runCmd(t, newKeysCmd(), "create", "--data", dir, "--firm", farm.USCC, "--role", "producer")
	if code != 0 {
		t.Fatalf("create: exit %d: %s", code, errOut)
	}
	key := strings.Fields(strings.SplitN(out, "\n", 2)[0])[1]
	if !strings.HasPrefix(key, server.KeyPrefix) || !strings.Contains(errOut, "never shown again") {
		t.Fatalf("create printed %q / %q", out, errOut)
	}
	out, _, code = runCmd(t, newKeysCmd(), "create", "--data", dir, "--json", "--firm", other.USCC, "--role", "admin")
	var admin struct {
		Key  string `json:"key"`
		ID   string `json:"id"`
		Role string `json:"role"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &admin) != nil || admin.Role != "admin" || admin.ID == "" {
		t.Fatalf("create admin for an unregistered firm: exit %d, %q", code, out)
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"producer of an unregistered firm", []string{"--firm", other.USCC, "--role", "producer"}, 1},
		{"bad check character", []string{"--firm", farm.USCC[:17] + "0", "--role", "admin"}, 1},
		{"unknown role", []string{"--firm", farm.USCC, "--role", "owner"}, 2},
		{"no role", []string{"--firm", farm.USCC}, 2},
	} {
		args := append([]string{"create", "--data", dir}, tc.args...)
		if out, errOut, code := runCmd(t, newKeysCmd(), args...); code != tc.code {
			t.Errorf("%s: exit %d, want %d (%s%s)", tc.name, code, tc.code, out, errOut)
		}
	}

	out, _, code = runCmd(t, newKeysCmd(), "list", "--data", dir, "--json")
	var list struct{ Keys []server.KeyInfo }
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list.Keys) != 2 || strings.Contains(out, key) {
		t.Fatalf("list: exit %d, %s", code, out)
	}
	var producerID string
	for _, k := range list.Keys {
		if k.Role == server.RoleProducer {
			producerID = k.ID
		}
	}
	if _, _, code := runCmd(t, newKeysCmd(), "revoke", "--data", dir, producerID); code != 0 {
		t.Fatalf("revoke: exit %d", code)
	}
	if _, _, code := runCmd(t, newKeysCmd(), "revoke", "--data", dir, "0123456789abcdef"); code != 1 {
		t.Errorf("revoke of an unknown ID: exit %d, want 1", code)
	}
	out, _, _ = runCmd(t, newKeysCmd(), "list", "--data", dir)
	if !strings.Contains(out, producerID) || strings.Count(out, "\n") != 3 {
		t.Errorf("list after revoke:\n%s", out)
	}

	// The keys are in the store the server opens: the admin key resolves, the
	// revoked one does not.
	l, err := ledger.Open(dir, serveStoreOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ks := server.NewKVKeyStore(l.Meta())
	if info, err := ks.Lookup(admin.Key); err != nil || info.ID != admin.ID {
		t.Errorf("admin key: %+v, %v", info, err)
	}
	if _, err := ks.Lookup(key); err == nil {
		t.Error("the revoked key still resolves")
	}
	if l.Size() != 1 {
		t.Errorf("keys became ledger entries: %d entries", l.Size())
	}
}

func TestKeysListWithoutStoreExits2(t *testing.T) {
	if _, _, code := runCmd(t, newKeysCmd(), "list", "--data", t.TempDir()+"/none"); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
}
