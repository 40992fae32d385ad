package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	"lingong/domain"
)

// sealer encrypts resident ID numbers at rest (AES-256-GCM, random nonce) and computes their blind index
// (HMAC-SHA256 with a separate derived key), so a number can be looked up without being stored in clear.
type sealer struct {
	aead     cipher.AEAD
	indexKey []byte
}

func newSealer(master []byte) (*sealer, error) {
	if len(master) < 32 {
		return nil, fmt.Errorf("secret key must be at least 32 bytes, got %d", len(master))
	}
	block, err := aes.NewCipher(domain.DeriveKey(master, "id-number-encryption"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead, indexKey: domain.DeriveKey(master, "id-number-index")}, nil
}

var errNoKey = errors.New("store opened without a secret key: cannot handle ID numbers")

// seal returns base64(nonce || ciphertext).
func (s *sealer) seal(plain string) (string, error) {
	if s == nil {
		return "", errNoKey
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := s.aead.Seal(nonce, nonce, []byte(plain), []byte("id-number"))
	return base64.StdEncoding.EncodeToString(out), nil
}

func (s *sealer) open(sealed string) (string, error) {
	if s == nil {
		return "", errNoKey
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return "", fmt.Errorf("sealed value is malformed")
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte("id-number"))
	if err != nil {
		return "", fmt.Errorf("open sealed value: %w", err)
	}
	return string(plain), nil
}

// index is the blind index of a normalised ID number.
func (s *sealer) index(plain string) (string, error) {
	if s == nil {
		return "", errNoKey
	}
	m := hmac.New(sha256.New, s.indexKey)
	m.Write([]byte(plain))
	return hex.EncodeToString(m.Sum(nil)), nil
}
