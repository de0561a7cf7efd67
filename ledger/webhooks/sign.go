package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Header names of a delivery.
const (
	HeaderSignature = "X-Traceledger-Signature"
	HeaderDelivery  = "X-Traceledger-Delivery"
	HeaderEvent     = "X-Traceledger-Event"
)

// Sign returns the signature header value of body under secret:
// "sha256=" and the hex HMAC-SHA256 (RFC 2104).
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature is body's signature under secret, comparing in
// constant time: what a receiver does before trusting a delivery.
func Verify(secret string, body []byte, signature string) bool {
	hexSum, ok := strings.CutPrefix(signature, "sha256=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}
