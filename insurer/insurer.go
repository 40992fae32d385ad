// Package insurer delivers the daily insured roster (投保名单, issue 22) to the insurer. It implements
// app.Insurer twice: Directory writes each batch as an encrypted file (the default: someone carries it
// to the insurer), HTTP posts it to the insurer's API with a key, an HMAC signature, retries and the
// batch's Idempotency-Key. Like package sms it talks to the outside world and never to the database.
package insurer

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"lingong/domain"
)

// Directory writes each batch to Dir as roster-<date>-<batch>.csv.sealed, encrypted by Seal, mode 0600
// (the directory 0700). A resent batch overwrites its own file.
type Directory struct {
	Dir  string
	Seal func(plain []byte) ([]byte, error)
}

// Name is the driver's name, recorded with each batch.
func (d Directory) Name() string { return "dir" }

// Submit writes the batch's file atomically (a temporary file renamed into place).
func (d Directory) Submit(_ context.Context, b domain.RosterBatch, csv []byte) (domain.InsurerReceipt, error) {
	if err := os.MkdirAll(d.Dir, 0o700); err != nil {
		return domain.InsurerReceipt{}, fmt.Errorf("roster directory: %w", err)
	}
	sealed, err := d.Seal(csv)
	if err != nil {
		return domain.InsurerReceipt{}, fmt.Errorf("seal roster: %w", err)
	}
	name := fmt.Sprintf("roster-%s-%d.csv.sealed", b.Date, b.Batch)
	tmp, err := os.CreateTemp(d.Dir, ".roster-*")
	if err != nil {
		return domain.InsurerReceipt{}, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return domain.InsurerReceipt{}, err
	}
	if _, err := tmp.Write(sealed); err != nil {
		tmp.Close()
		return domain.InsurerReceipt{}, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return domain.InsurerReceipt{}, err
	}
	if err := tmp.Close(); err != nil {
		return domain.InsurerReceipt{}, err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(d.Dir, name)); err != nil {
		return domain.InsurerReceipt{}, err
	}
	sum := sha256.Sum256(csv)
	return domain.InsurerReceipt{Reference: name, Body: "sha256:" + hex.EncodeToString(sum[:])}, nil
}

// HTTP posts each batch's CSV to URL. Headers: Idempotency-Key (the batch's key, the same on every
// retry), X-Lingong-Key (KeyID), X-Lingong-Timestamp (Unix seconds) and X-Lingong-Signature: hex
// HMAC-SHA256 under Secret of "timestamp\nkey\nsha256(body)". A 2xx answer with JSON {"receipt": "..."}
// is the receipt; network errors, timeouts, 429 and 5xx are retried (Attempts in all, waiting Backoff,
// doubling); other answers fail at once.
type HTTP struct {
	URL      string
	KeyID    string
	Secret   string
	Client   *http.Client  // nil: a client with Timeout per attempt
	Timeout  time.Duration // per attempt; 0 means 15 s
	Attempts int           // 0 means 4
	Backoff  time.Duration // 0 means 2 s
	Now      func() time.Time
}

// Name is the driver's name, recorded with each batch.
func (h HTTP) Name() string { return "http" }

// Sign is the signature of a body sent at ts under key with secret (the fake insurer checks it).
func Sign(secret string, ts int64, key string, body []byte) string {
	sum := sha256.Sum256(body)
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "%d\n%s\n%s", ts, key, hex.EncodeToString(sum[:]))
	return hex.EncodeToString(m.Sum(nil))
}

// errPermanent marks an answer a retry cannot change.
var errPermanent = errors.New("insurer refused the roster")

// Submit sends the batch, retrying what may pass on a second try.
func (h HTTP) Submit(ctx context.Context, b domain.RosterBatch, csv []byte) (domain.InsurerReceipt, error) {
	attempts, backoff := h.Attempts, h.Backoff
	if attempts <= 0 {
		attempts = 4
	}
	if backoff <= 0 {
		backoff = 2 * time.Second
	}
	var last error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return domain.InsurerReceipt{}, ctx.Err()
			case <-time.After(backoff):
			}
			backoff *= 2
		}
		r, err := h.once(ctx, b, csv)
		if err == nil {
			return r, nil
		}
		last = err
		if errors.Is(err, errPermanent) {
			break
		}
	}
	return domain.InsurerReceipt{}, fmt.Errorf("roster %s: %w", b.Key, last)
}

func (h HTTP) once(ctx context.Context, b domain.RosterBatch, csv []byte) (domain.InsurerReceipt, error) {
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	ts := now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(csv))
	if err != nil {
		return domain.InsurerReceipt{}, fmt.Errorf("%w: %v", errPermanent, err)
	}
	req.Header.Set("Content-Type", "text/csv; charset=utf-8")
	req.Header.Set("Idempotency-Key", b.Key)
	req.Header.Set("X-Lingong-Key", h.KeyID)
	req.Header.Set("X-Lingong-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Lingong-Signature", Sign(h.Secret, ts, b.Key, csv))
	req.Header.Set("X-Lingong-Roster-Date", string(b.Date))
	req.Header.Set("X-Lingong-Roster-Batch", strconv.Itoa(b.Batch))
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return domain.InsurerReceipt{}, err // network error or timeout: retried
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return domain.InsurerReceipt{}, err
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return domain.InsurerReceipt{}, fmt.Errorf("insurer answered %d", resp.StatusCode)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return domain.InsurerReceipt{}, fmt.Errorf("%w: %d %s", errPermanent, resp.StatusCode, bytes.TrimSpace(body))
	}
	var ack struct {
		Receipt string `json:"receipt"`
	}
	if err := json.Unmarshal(body, &ack); err != nil || ack.Receipt == "" {
		return domain.InsurerReceipt{}, fmt.Errorf("insurer's answer has no receipt: %s", bytes.TrimSpace(body))
	}
	return domain.InsurerReceipt{Reference: ack.Receipt, Body: string(body)}, nil
}
