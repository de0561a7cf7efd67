package ledger

import (
	"errors"
	"fmt"
	"testing"
)

func TestMetaRowsAreBesideTheLogAndVerifyIgnoresThem(t *testing.T) {
	l, err := Open(t.TempDir(), DefaultOptions().WithIndexer(EPCISIndexer))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	m := l.Meta()
	if _, found, err := m.Get([]byte("apikey/1")); found || err != nil {
		t.Fatalf("empty meta: found %v, %v", found, err)
	}
	for i := range 3 {
		if err := m.Put(fmt.Appendf(nil, "apikey/%d", i), fmt.Appendf(nil, "v%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Put([]byte("other"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	v, found, err := m.Get([]byte("apikey/1"))
	if !found || err != nil || string(v) != "v1" {
		t.Fatalf("Get = %q, %v, %v", v, found, err)
	}
	var keys []string
	err = m.Iterate([]byte("apikey/"), func(k, v []byte) error { keys = append(keys, string(k)+"="+string(v)); return nil })
	if err != nil || fmt.Sprint(keys) != "[apikey/0=v0 apikey/1=v1 apikey/2=v2]" {
		t.Fatalf("Iterate = %v, %v", keys, err)
	}
	stop := errors.New("stop")
	if err := m.Iterate(nil, func(k, v []byte) error { return stop }); err != stop {
		t.Errorf("Iterate did not return fn's error: %v", err)
	}
	if l.Size() != 0 {
		t.Errorf("meta rows became entries: size %d", l.Size())
	}
	rep, err := l.Verify(nil)
	if err != nil || !rep.OK {
		t.Fatalf("Verify with meta rows: %+v, %v", rep, err)
	}
}

func TestReadyFollowsTheAppender(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, DefaultOptions().WithIndexer(EPCISIndexer))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Ready(); err != nil {
		t.Fatalf("open log not ready: %v", err)
	}
	l.Close()
	if err := l.Ready(); !errors.Is(err, ErrClosed) {
		t.Errorf("closed log: Ready = %v, want ErrClosed", err)
	}
	if err := l.Meta().Put([]byte("k"), []byte("v")); !errors.Is(err, ErrClosed) {
		t.Errorf("closed log: Put = %v, want ErrClosed", err)
	}
	ro, err := Open(dir, DefaultOptions().WithIndexer(EPCISIndexer).WithReadOnly(true))
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.Ready(); err == nil {
		t.Error("read-only log claims to be ready for appends")
	}
}
