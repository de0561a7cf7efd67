package webhooks

import (
	"strings"
	"testing"
)

func TestSignAndVerify(t *testing.T) {
	// RFC 4231 test case 2: HMAC-SHA256 of "what do ya want for nothing?" under "Jefe".
	const want = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	body := []byte("what do ya want for nothing?")
	if got := Sign("Jefe", body); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	for _, tc := range []struct {
		secret, sig string
		body        string
		ok          bool
	}{
		{"Jefe", want, string(body), true},
		{"jefe", want, string(body), false},
		{"Jefe", want, string(body) + " ", false},
		{"Jefe", want[len("sha256="):], string(body), false},
		{"Jefe", "sha256=zz", string(body), false},
		{"Jefe", "sha1=" + want[len("sha256="):], string(body), false},
		{"Jefe", "", string(body), false},
	} {
		if got := Verify(tc.secret, []byte(tc.body), tc.sig); got != tc.ok {
			t.Errorf("Verify(%q, %q, %q) = %v", tc.secret, tc.body, tc.sig, got)
		}
	}
}

// FuzzVerify: a receiver's check never panics, and accepts exactly the signature Sign
// makes.
func FuzzVerify(f *testing.F) {
	f.Add("Jefe", []byte("what do ya want for nothing?"), "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
	f.Add("", []byte{}, "sha256=")
	f.Add("s", []byte("{}"), "sha256=ZZ")
	f.Fuzz(func(t *testing.T, secret string, body []byte, sig string) {
		want := Sign(secret, body)
		if Verify(secret, body, sig) && "sha256="+strings.ToLower(strings.TrimPrefix(sig, "sha256=")) != want {
			t.Fatalf("Verify accepted %q for %q under %q, want %q", sig, body, secret, want)
		}
		if !Verify(secret, body, want) {
			t.Fatalf("Sign(%q, %q) does not verify", secret, body)
		}
	})
}

func BenchmarkSign(b *testing.B) {
	body := make([]byte, 2048) // a notification with a few dozen lots
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Sign("a secret of the firm", body)
	}
}
