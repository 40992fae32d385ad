package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strings"
)

// A worker card carries a QR code with a signed token, not the worker's database id: the token names
// the worker and the card's version, and an HMAC over both (with a key derived from the service's
// secret) makes it unforgeable. Bumping the worker's card_version revokes every card printed before.
//
// Layout, then base64url without padding: uvarint(worker id) || uvarint(card version) || the first 16
// bytes of HMAC-SHA256(key, "lingong-card" || the two varints). 128 bits of MAC are plenty against
// forgery and keep the token (about 27 characters) short, so the QR stays coarse and scans from a
// worn, printed card.

const (
	cardMACBytes     = 16
	maxCardTokenLen  = 64
	cardDomainPrefix = "lingong-card"
)

// CardToken signs a worker card for the given worker id and card version. key is the derived
// "worker-card" key (DeriveKey(master, "worker-card")).
func CardToken(key []byte, workerID int64, version int) string {
	payload := binary.AppendUvarint(nil, uint64(workerID))
	payload = binary.AppendUvarint(payload, uint64(version))
	return base64.RawURLEncoding.EncodeToString(append(payload, cardMAC(key, payload)...))
}

// ParseCardToken checks a token's signature and returns the worker id and card version it names. Any
// malformed, truncated or tampered token gives the same not_found error ("这张零工卡无效或已作废"), so a
// prober learns nothing about why. The caller must still compare the version with the worker's current
// card_version: a revoked card has a valid signature.
func ParseCardToken(key []byte, token string) (workerID int64, version int, err error) {
	if token == "" || len(token) > maxCardTokenLen {
		return 0, 0, ErrCardInvalid()
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	// The decoder skips \r and \n inside its input: a token is accepted only in its one canonical
	// spelling, so that a printed card has exactly one valid text (found by FuzzParseCardToken).
	if err != nil || len(raw) <= cardMACBytes || base64.RawURLEncoding.EncodeToString(raw) != token {
		return 0, 0, ErrCardInvalid()
	}
	payload, mac := raw[:len(raw)-cardMACBytes], raw[len(raw)-cardMACBytes:]
	if !hmac.Equal(mac, cardMAC(key, payload)) {
		return 0, 0, ErrCardInvalid()
	}
	id, n := binary.Uvarint(payload)
	if n <= 0 {
		return 0, 0, ErrCardInvalid()
	}
	ver, m := binary.Uvarint(payload[n:])
	if m <= 0 || n+m != len(payload) || id == 0 || id > 1<<62 || ver == 0 || ver > 1<<30 {
		return 0, 0, ErrCardInvalid()
	}
	return int64(id), int(ver), nil
}

func cardMAC(key, payload []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(cardDomainPrefix))
	m.Write(payload)
	return m.Sum(nil)[:cardMACBytes]
}

// ErrCardInvalid is the answer for a card token that is malformed, forged or revoked.
func ErrCardInvalid() *Error {
	return &Error{Code: CodeNotFound, Message: "这张零工卡无效或已作废"}
}

// CardTokenFromScan extracts the token from what a scanner typed: the card's URL ({PUBLIC_URL}/c/{token},
// from any host, with or without a trailing slash or query) or the bare token.
func CardTokenFromScan(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "/c/"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "?#/"); i >= 0 {
		s = s[:i]
	}
	return s
}

// NormalizeWorkerNo recognises a typed worker number: LG and 8 digits, case and width folded
// ("lg 0000 0012" typed at a desk works). ok is false when s is not shaped like one.
func NormalizeWorkerNo(s string) (string, bool) {
	s = strings.ToUpper(strings.ReplaceAll(foldWidth(strings.TrimSpace(s)), " ", ""))
	if len(s) != 10 || !strings.HasPrefix(s, "LG") || strings.Trim(s[2:], "0123456789") != "" {
		return "", false
	}
	return s, true
}
