package server

import (
	"context"
	"net/http"
	"testing"
)

func TestBearerToken(t *testing.T) {
	tests := []struct {
		header, token string
		present, bad  bool
	}{
		{"", "", false, false},
		{"Bearer tlk_abc", "tlk_abc", true, false},
		{"bearer   tlk_abc  ", "tlk_abc", true, false},
		{"BEARER tlk_abc", "tlk_abc", true, false},
		{"Bearer", "", true, true},
		{"Bearer    ", "", true, true},
		{"Basic dXNlcjpwYXNz", "", true, true},
		{"tlk_abc", "", true, true},
	}
	for _, tt := range tests {
		token, present, err := bearerToken(tt.header)
		if token != tt.token || present != tt.present || (err != nil) != tt.bad {
			t.Errorf("bearerToken(%q) = %q, %v, %v", tt.header, token, present, err)
		}
	}
}

func TestRequireFirm(t *testing.T) {
	const own, other = "91350100M000100Y43", "91110000600037341L"
	tests := []struct {
		caller Caller
		firm   string
		ok     bool
	}{
		{Caller{KeyID: "k", Firm: own, Role: RoleProducer}, own, true},
		{Caller{KeyID: "k", Firm: own, Role: RoleProducer}, other, false},
		{Caller{KeyID: "k", Firm: own, Role: RoleInspector}, other, false},
		{Caller{KeyID: "k", Firm: own, Role: RoleRegulator}, other, true},
		{Caller{KeyID: "k", Firm: own, Role: RoleAdmin}, other, true},
		{Caller{}, "", false},
	}
	for _, tt := range tests {
		err := RequireFirm(tt.caller, tt.firm)
		if (err == nil) != tt.ok {
			t.Errorf("RequireFirm(%+v, %q) = %v", tt.caller, tt.firm, err)
		}
		if p, isP := err.(*Problem); err != nil && (!isP || p.Status != http.StatusForbidden) {
			t.Errorf("RequireFirm error %v is not a 403 problem", err)
		}
	}
}

func TestCallerContext(t *testing.T) {
	if !CallerFrom(context.Background()).Anonymous() {
		t.Error("a bare context has a caller")
	}
	c := Caller{KeyID: "0123456789abcdef", Firm: "F", Role: RoleInspector}
	if got := CallerFrom(WithCaller(context.Background(), c)); got != c {
		t.Errorf("CallerFrom = %+v", got)
	}
}

// FuzzKeyParsing: any Authorization header value is parsed and checked without a
// panic, and only well-formed keys reach the store.
func FuzzKeyParsing(f *testing.F) {
	k, _ := newKey()
	for _, s := range []string{"Bearer " + k, "Bearer tlk_", "bearer x", "Basic a", "", "Bearer " + k + "=", "Bearer tlk_" + "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		token, _, err := bearerToken(header)
		if err != nil {
			return
		}
		_, id, err := hashKey(token)
		if err == nil && !validKeyID(id) {
			t.Fatalf("key %q got malformed ID %q", token, id)
		}
	})
}
