package webhooks

import (
	"errors"
	"testing"

	"traceledger/fixtures/memkv"
)

func TestCheckURL(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://example.com/hooks/recall", true},
		{"http://127.0.0.1:8080/x?y=1", true},
		{"ftp://example.com/", false},
		{"/relative", false},
		{"https://", false},
		{"https://user:pw@example.com/", false},
		{"https://example.com/#frag", false},
		{"https://exa mple.com/", false},
	} {
		if err := CheckURL(tc.url); (err == nil) != tc.ok {
			t.Errorf("CheckURL(%q) = %v, want ok %v", tc.url, err, tc.ok)
		}
	}
}

func TestHooksPerFirm(t *testing.T) {
	s := NewStore(memkv.New())
	a, err := s.Register("F1", "https://a.example/", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Secret) != 48 || a.ID == "" || a.Firm != "F1" {
		t.Errorf("made-up secret or ID missing: %+v", a)
	}
	b, err := s.Register("F1", "https://b.example/", "the firm's own secret")
	if err != nil || b.Secret != "the firm's own secret" {
		t.Fatalf("%+v %v", b, err)
	}
	if _, err := s.Register("F10", "https://c.example/", ""); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][2]string{{"", "https://x.example/"}, {"F/1", "https://x.example/"}, {"F1", "mailto:x@example.com"}} {
		if _, err := s.Register(bad[0], bad[1], ""); err == nil {
			t.Errorf("Register(%q, %q) accepted", bad[0], bad[1])
		}
	}
	hooks, err := s.Hooks("F1")
	if err != nil || len(hooks) != 2 {
		t.Fatalf("F1 hooks %v %v (F10's must not be listed under F1)", hooks, err)
	}
	if err := s.Delete("F1", a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("F1", a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if err := s.Delete("F10", b.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("another firm's hook deleted: %v", err)
	}
	hooks, _ = s.Hooks("F1")
	if len(hooks) != 1 || hooks[0].ID != b.ID {
		t.Errorf("after delete: %+v", hooks)
	}
}
