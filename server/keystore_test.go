package server

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"traceledger/fixtures/memkv"
)

func TestKVKeyStoreLifecycle(t *testing.T) {
	kv := memkv.New()
	ks := NewKVKeyStore(kv)
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	ks.now = func() time.Time { return now }

	key, info, err := ks.Create("91350100M000100Y43", RoleProducer)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key, KeyPrefix) || len(key) != len(KeyPrefix)+43 {
		t.Errorf("key %q has the wrong form", key)
	}
	if info.ID == "" || !validKeyID(info.ID) || info.Role != RoleProducer || !info.Created.Equal(now) || !info.Active() {
		t.Errorf("info %+v", info)
	}
	// Only the hash is stored.
	err = kv.Iterate(nil, func(k, v []byte) error {
		if s := string(k) + string(v); strings.Contains(s, key) || strings.Contains(s, strings.TrimPrefix(key, KeyPrefix)) {
			t.Fatalf("the key itself is stored under %q", k)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ks.Lookup(key)
	if err != nil || got != info {
		t.Fatalf("Lookup: %+v %v, want %+v", got, err, info)
	}
	key2, info2, err := ks.Create("91350100M000100Y43", RoleAdmin)
	if err != nil || key2 == key || info2.ID == info.ID {
		t.Fatalf("second key: %v (same key %v)", err, key2 == key)
	}
	list, err := ks.List()
	if err != nil || len(list) != 2 || list[0].ID > list[1].ID {
		t.Fatalf("List: %+v %v", list, err)
	}

	now = now.Add(time.Hour)
	if err := ks.Revoke(info.ID); err != nil {
		t.Fatal(err)
	}
	if err := ks.Revoke(info.ID); err != nil {
		t.Fatalf("second revoke: %v", err)
	}
	got, err = ks.Lookup(key)
	if !errors.Is(err, ErrKeyRevoked) || !got.Revoked.Equal(now) {
		t.Fatalf("revoked Lookup: %+v %v", got, err)
	}
	if _, err := ks.Lookup(key2); err != nil {
		t.Fatalf("the other key died too: %v", err)
	}
	if err := ks.Revoke("0123456789abcdef"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("revoke unknown: %v", err)
	}
	if err := ks.Revoke("../../etc"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("revoke malformed ID: %v", err)
	}
}

func TestKVKeyStoreLookupRejects(t *testing.T) {
	ks := NewKVKeyStore(memkv.New())
	key, _, err := ks.Create("F", RoleInspector)
	if err != nil {
		t.Fatal(err)
	}
	// Same ID prefix is impossible to forge, but a wrong key of the right form is unknown.
	other, _ := newKey()
	tests := []struct {
		key  string
		want error
	}{
		{"", ErrMalformedKey},
		{"tlk_", ErrMalformedKey},
		{strings.TrimPrefix(key, KeyPrefix), ErrMalformedKey},
		{key[:len(key)-1], ErrMalformedKey},
		{key + "A", ErrMalformedKey},
		{KeyPrefix + strings.Repeat("!", 43), ErrMalformedKey},
		{other, ErrUnknownKey},
		{key, nil},
	}
	for _, tt := range tests {
		if _, err := ks.Lookup(tt.key); !errors.Is(err, tt.want) && !(tt.want == nil && err == nil) {
			t.Errorf("Lookup(%q) = %v, want %v", tt.key, err, tt.want)
		}
	}
	if _, _, err := ks.Create("", RoleAdmin); err == nil {
		t.Error("created a key for no firm")
	}
	if _, _, err := ks.Create("F", Role("root")); err == nil {
		t.Error("created a key with an unknown role")
	}
}

// A key whose ID collides with a stored one but whose hash differs must not pass:
// Lookup compares the whole hash, not only the 64-bit ID.
func TestKVKeyStoreComparesTheWholeHash(t *testing.T) {
	kv := memkv.New()
	ks := NewKVKeyStore(kv)
	key, info, err := ks.Create("F", RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	id := []byte(keyRecordPrefix + info.ID)
	rec, ok, err := kv.Get(id)
	if err != nil || !ok {
		t.Fatalf("no record under %q: %v", id, err)
	}
	if err := kv.Put(id, bytes.Replace(rec, []byte(`"sha256":"`), []byte(`"sha256":"AAAA`), 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Lookup(key); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("a key with a different stored hash: %v, want ErrUnknownKey", err)
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range Roles {
		if got, err := ParseRole(string(r)); err != nil || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, err)
		}
	}
	for _, bad := range []string{"", "Admin", "root", "producer "} {
		if _, err := ParseRole(bad); err == nil {
			t.Errorf("ParseRole(%q) accepted", bad)
		}
	}
}
