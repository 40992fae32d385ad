package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Key purposes of the evidence (each derived from LINGONG_SECRET_KEY with DeriveKey, never stored in the
// database): the audit chain and the ledger chain are keyed with EvidenceKeyPurpose, a contract's check
// code with CheckCodeKeyPurpose. An insider who can write the database but does not hold the secret key
// cannot recompute either, so a rewritten row, a recomputed chain or a guessed check code is found.
const (
	EvidenceKeyPurpose  = "evidence-chain"
	CheckCodeKeyPurpose = "contract-check-code"
)

// GenesisHash is the previous hash of the first link of a chain (the audit log, or a contract's ledger).
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ChainMAC is the keyed hash of one link of a chain: HMAC-SHA256 over the fields, each length-prefixed
// so that no two different lists of fields serialise alike. Hex.
func ChainMAC(key []byte, fields ...string) string {
	m := hmac.New(sha256.New, key)
	for _, f := range fields {
		m.Write([]byte(strconv.Itoa(len(f))))
		m.Write([]byte{':'})
		m.Write([]byte(f))
		m.Write([]byte{';'})
	}
	return hex.EncodeToString(m.Sum(nil))
}

// MACEqual compares two hex MACs in constant time.
func MACEqual(a, b string) bool { return hmac.Equal([]byte(a), []byte(b)) }

// Micros writes an instant as the integer count of microseconds since 1970 (UTC): the precision both
// databases keep, so a MAC over a time recomputes from the stored row.
func Micros(t time.Time) string { return strconv.FormatInt(t.UnixMicro(), 10) }

// CheckCodeLen is the length of a contract's check code: 10 base32 characters, 50 bits.
const CheckCodeLen = 10

// checkCodeAlphabet is base32 without the letters read for digits (I, L, O, U): Crockford's alphabet.
const checkCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

var checkCodeEncoding = base32.NewEncoding(checkCodeAlphabet).WithPadding(base32.NoPadding)

// ContractCheckCode is the check code printed beside a contract's number and inside its QR code. The
// number is sequential and public; the check code (50 bits of an HMAC of the number under a key derived
// from the secret key) is what proves the reader holds the paper, so numbers cannot be enumerated.
func ContractCheckCode(key []byte, number string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("contract-check-code:" + number))
	return checkCodeEncoding.EncodeToString(m.Sum(nil))[:CheckCodeLen]
}

// NormalizeCheckCode folds a typed check code: spaces and dashes dropped, upper case, and the letters
// people type for digits (O -> 0, I and L -> 1) as Crockford's base32 reads them.
func NormalizeCheckCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '\u3000':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CheckCodeMatches reports whether code (as typed or scanned) is the check code of number, in constant time.
func CheckCodeMatches(key []byte, number, code string) bool {
	return hmac.Equal([]byte(NormalizeCheckCode(code)), []byte(ContractCheckCode(key, number)))
}

// EvidenceReport is one run of the whole verification (`lingong audit verify`, or the daily sweep): the
// audit chain, every contract against its signed terms, and every contract's ledger chain.
type EvidenceReport struct {
	CheckedAt   time.Time `json:"checked_at"`
	Source      string    `json:"source"` // "sweep" or "command"
	Intact      bool      `json:"intact"`
	Problems    []string  `json:"problems"` // Chinese, each naming what broke
	Contracts   int       `json:"contracts"`
	LedgerLines int       `json:"ledger_lines"`
	// HeadID and HeadHash are the audit chain's last event when checked: the value printed on the day's
	// report, against which a later rewrite of the whole chain (even with the key) is caught.
	HeadID   int64  `json:"head_id"`
	HeadHash string `json:"head_hash"`
}
