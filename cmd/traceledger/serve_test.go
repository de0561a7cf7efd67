package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// runServeCmd runs "traceledger serve args..." in process until ctx ends and
// returns what it logged and the exit status main would give it.
func runServeCmd(t *testing.T, ctx context.Context, args ...string) (string, int) {
	t.Helper()
	cmd := newServeCmd()
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	var logs bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&logs)
	cmd.SetErr(&logs)
	err := cmd.ExecuteContext(ctx)
	var ee *exitError
	switch {
	case err == nil:
		return logs.String(), 0
	case errors.As(err, &ee):
		return logs.String() + err.Error(), ee.code
	}
	return logs.String() + err.Error(), 2
}

func TestServeStopsCleanlyWhenItsContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as if SIGTERM arrived at once
	logs, code := runServeCmd(t, ctx, "--addr", "127.0.0.1:0", "--data", t.TempDir())
	if code != 0 || !strings.Contains(logs, "stopped cleanly") {
		t.Fatalf("exit %d, logs:\n%s", code, logs)
	}
	if !strings.Contains(logs, "not wired") {
		t.Errorf("no start-up notice about the unwired ledger:\n%s", logs)
	}
}

func TestServeUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"--base-url", "not a url"},
		{"--addr", "256.0.0.1:99999"},
		{"extra-argument"},
	} {
		if logs, code := runServeCmd(t, context.Background(), args...); code != 2 {
			t.Errorf("serve %v: exit %d, want 2\n%s", args, code, logs)
		}
	}
}
