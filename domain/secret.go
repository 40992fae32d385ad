package domain

import (
	"crypto/hmac"
	"crypto/sha256"
)

// DeriveKey derives an independent 32-byte key for one purpose from the service's master secret
// (LINGONG_SECRET_KEY), so that the ID-number cipher, the blind index and the card-token signer never
// share a key: leaking one derived key exposes nothing else.
func DeriveKey(master []byte, purpose string) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte("lingong/" + purpose))
	return m.Sum(nil)
}
