package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
	"lingong/migrations"
)

// SMS codes are stored as HMAC-SHA256(key, purpose|phone|code) with a key derived from the service's
// secret: a leaked database gives no usable codes (a plain hash of 6 digits is reversed by trying all
// million). Limits are counted from the otp_codes rows themselves, so they hold across several API
// processes on one PostgreSQL.

// Advisory lock classes serialising code issuance per phone and per IP on PostgreSQL (SQLite
// serialises every write transaction already).
const (
	lockClassOTPPhone = 640501
	lockClassOTPIP    = 640502
)

// otpKeyPurpose names the derived key of the code HMAC.
const otpKeyPurpose = "otp-code"

// IssueOTP makes a new 6-digit code for phone (already normalised) and stores its HMAC, valid for
// domain.OTPTTL. It enforces limits: a send within limits.PhoneInterval of the previous one, more than
// limits.PhonePerHour for the phone or limits.IPPerHour from ip within the last hour answer rate_limited
// with a Chinese message that says when to try again. The returned code is the only copy in clear.
//
// outbox, when given, is the code's text message (the code masked), recorded in the SMS outbox with the
// code: in the same transaction on SQLite, right after it on PostgreSQL (where the code's commit does not
// wait for the disk but the outbox row's does); when the row cannot be written the code is deleted.
func (s *Store) IssueOTP(ctx context.Context, phone, purpose, ip string, limits domain.OTPLimits, outbox *domain.SMSMessage) (domain.OTPCode, error) {
	if s.otpKey == nil {
		return domain.OTPCode{}, domain.Internal(errNoKey)
	}
	code, err := randomDigits(domain.OTPDigits)
	if err != nil {
		return domain.OTPCode{}, domain.Internal(err)
	}
	now := s.now()
	row := otpRow{Phone: phone, Purpose: purpose, CodeHash: s.otpHash(purpose, phone, code), IP: ip,
		CreatedAt: now, ExpiresAt: now.Add(domain.OTPTTL)}
	pg := s.dialect == migrations.Postgres
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// The phone's checks and housekeeping come first, under the phone's lock only; the IP's lock,
		// which every code asked from one address (a station's Wi-Fi, a carrier's NAT: the morning a
		// poster goes up) takes in turn, is held for the count, the insert and the commit alone.
		if pg {
			// That commit does not wait for the disk: a code lost in a crash of the database machine is
			// asked again, and the limits then count one send fewer (at most the last fraction of a
			// second of codes). Nothing else here must outlive such a crash; a row is never half-written. (So
			// the outbox row, the record of a text that goes out, is written after it, durably.)
			if err := tx.Exec("SET LOCAL synchronous_commit TO OFF").Error; err != nil {
				return err
			}
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?, hashtext(?))", lockClassOTPPhone, phone).Error; err != nil {
				return err
			}
		}
		if err := s.checkPhoneLimits(tx, phone, now, limits); err != nil {
			return err
		}
		// Housekeeping on the phone's own index: its codes older than a day count for nothing.
		if err := tx.Where("phone = ? AND created_at < ?", phone, now.Add(-24*time.Hour)).Delete(&otpRow{}).Error; err != nil {
			return err
		}
		// On SQLite the outbox row goes in here: one commit fewer per code (each waits for the disk).
		if outbox != nil && !pg {
			if err := s.appendSMS(tx, outbox); err != nil {
				return err
			}
		}
		if pg && limits.IPPerHour > 0 && ip != "" {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?, hashtext(?))", lockClassOTPIP, ip).Error; err != nil {
				return err
			}
			// The count and the insert in one statement, after the lock (so it counts every code
			// committed before): one round trip fewer while every code from this address waits.
			var ids []int64
			err := tx.Raw(`INSERT INTO otp_codes (phone, purpose, code_hash, attempts, ip, created_at, expires_at)
				SELECT ?, ?, ?, 0, ?, ?, ? WHERE (SELECT count(*) FROM otp_codes WHERE ip = ? AND created_at > ?) < ?
				RETURNING id`, row.Phone, row.Purpose, row.CodeHash, row.IP, row.CreatedAt, row.ExpiresAt,
				ip, now.Add(-time.Hour), limits.IPPerHour).Scan(&ids).Error
			if err != nil {
				return err
			}
			if len(ids) == 0 {
				return errIPLimit()
			}
			row.ID = ids[0]
			return nil
		}
		if err := s.checkIPLimit(tx, ip, now, limits); err != nil {
			return err
		}
		return tx.Create(&row).Error
	})
	if err == nil && outbox != nil && pg {
		if err = s.appendSMS(s.conn(ctx), outbox); err != nil {
			if cerr := s.CancelOTP(context.WithoutCancel(ctx), row.ID); cerr != nil {
				err = errors.Join(err, cerr)
			}
		}
	}
	if err != nil {
		return domain.OTPCode{}, translate(fmt.Errorf("issue code for %s: %w", domain.MaskPhone(phone), err), "验证码")
	}
	return domain.OTPCode{ID: row.ID, Phone: phone, Code: code, ExpiresAt: row.ExpiresAt}, nil
}

// checkPhoneLimits refuses a code within limits.PhoneInterval of the phone's previous one or past
// limits.PhonePerHour.
func (s *Store) checkPhoneLimits(tx *gorm.DB, phone string, now time.Time, limits domain.OTPLimits) error {
	hourAgo := now.Add(-time.Hour)
	var recent []otpRow
	if err := tx.Select("created_at").Where("phone = ? AND created_at > ?", phone, hourAgo).
		Order("created_at DESC").Find(&recent).Error; err != nil {
		return err
	}
	if len(recent) > 0 && limits.PhoneInterval > 0 {
		if wait := recent[0].CreatedAt.Add(limits.PhoneInterval).Sub(now); wait > 0 {
			return domain.RateLimited(fmt.Sprintf("验证码刚发过，请 %d 秒后再获取", int((wait+time.Second-1)/time.Second)))
		}
	}
	if limits.PhonePerHour > 0 && len(recent) >= limits.PhonePerHour {
		wait := recent[len(recent)-1].CreatedAt.Add(time.Hour).Sub(now)
		return domain.RateLimited(fmt.Sprintf("这个手机号 1 小时内获取验证码太多次了，请 %d 分钟后再试", int(wait/time.Minute)+1))
	}
	return nil
}

// checkIPLimit refuses a code past limits.IPPerHour codes from ip within the last hour.
func (s *Store) checkIPLimit(tx *gorm.DB, ip string, now time.Time, limits domain.OTPLimits) error {
	if limits.IPPerHour <= 0 || ip == "" {
		return nil
	}
	var n int64
	if err := tx.Model(&otpRow{}).Where("ip = ? AND created_at > ?", ip, now.Add(-time.Hour)).Count(&n).Error; err != nil {
		return err
	}
	if n >= int64(limits.IPPerHour) {
		return errIPLimit()
	}
	return nil
}

func errIPLimit() error {
	return domain.RateLimited("这个网络获取验证码太频繁，请稍后再试，或请驿站工作人员帮您登记")
}

// CancelOTP deletes a code that could not be sent, so that it neither works nor counts against the
// phone's limits.
func (s *Store) CancelOTP(ctx context.Context, id int64) error {
	return translate(s.conn(ctx).Where("id = ?", id).Delete(&otpRow{}).Error, "验证码")
}

// verifyOTP checks code against the newest code sent to phone for purpose, without using it up, and
// returns that code's id; useOTP consumes it inside the use case's transaction.
//
// Only the newest code counts. Each check first reserves one of its OTPMaxAttempts tries with a
// conditional UPDATE, then compares: so however many requests race, at most five comparisons ever
// happen per code. A correct code gives its try back (it was not a wrong one). After five wrong tries
// the code is dead and answers rate_limited.
func (s *Store) verifyOTP(ctx context.Context, phone, purpose, code string) (int64, error) {
	id, err := s.holdOTP(s.conn(ctx), phone, purpose, code)
	if err != nil {
		return 0, err
	}
	if err := s.returnOTPTry(ctx, id); err != nil {
		return 0, translate(err, "验证码")
	}
	return id, nil
}

// returnOTPTry gives back the try a correct code reserved.
func (s *Store) returnOTPTry(ctx context.Context, id int64) error {
	return s.conn(ctx).Model(&otpRow{}).Where("id = ?", id).Update("attempts", gorm.Expr("attempts - 1")).Error
}

// holdOTP is verifyOTP on db without giving the correct code's try back. Registration calls it inside
// the transaction that uses the code up (useHeldOTP gives the try back there): the reserved try, the
// registration and the used code commit together, and a failed registration's rollback returns the try,
// one commit per registration fewer than a check of its own (on SQLite every commit waits for the disk).
// A wrong code's try must still count: that transaction then commits with nothing else in it (see
// otpRefusal).
func (s *Store) holdOTP(db *gorm.DB, phone, purpose, code string) (int64, error) {
	code, err := otpInput(code)
	if err != nil {
		return 0, err
	}
	var row otpRow
	if err := db.Where("phone = ? AND purpose = ?", phone, purpose).Order("id DESC").Take(&row).Error; err != nil {
		if isNotFound(err) {
			return 0, domain.Invalid("code", "请先获取验证码")
		}
		return 0, translate(err, "验证码")
	}
	if err := s.otpUsable(row); err != nil {
		return 0, err
	}
	res := db.Model(&otpRow{}).Where("id = ? AND attempts < ? AND used_at IS NULL", row.ID, domain.OTPMaxAttempts).
		Update("attempts", gorm.Expr("attempts + 1"))
	if res.Error != nil {
		return 0, translate(res.Error, "验证码")
	}
	if res.RowsAffected == 0 {
		// Another request used it up or spent its last try in the meantime.
		if err := db.Where("id = ?", row.ID).Take(&row).Error; err != nil {
			return 0, translate(err, "验证码")
		}
		if err := s.otpUsable(row); err != nil {
			return 0, err
		}
		return 0, errOTPDead()
	}
	if !hmac.Equal([]byte(row.CodeHash), []byte(s.otpHash(purpose, phone, code))) {
		left := domain.OTPMaxAttempts - (row.Attempts + 1)
		if left <= 0 {
			return 0, domain.Invalidf("code", "验证码不正确。已经输错 %d 次，这个验证码作废了，请重新获取", domain.OTPMaxAttempts)
		}
		return 0, domain.Invalidf("code", "验证码不正确，还可以再试 %d 次", left)
	}
	return row.ID, nil
}

// otpInput is a typed code as stored (full-width digits folded), or why it cannot be one.
func otpInput(code string) (string, error) {
	code = strings.TrimSpace(domain.FoldWidth(code))
	if len(code) != domain.OTPDigits || strings.Trim(code, "0123456789") != "" {
		return "", domain.Invalidf("code", "验证码是 %d 位数字", domain.OTPDigits)
	}
	return code, nil
}

// otpRefusal reports whether holdOTP's error refuses the code (wrong, used, expired, dead: the answer
// to the caller, whatever try it spent must be committed) rather than failing to check it.
func otpRefusal(err error) bool {
	var de *domain.Error
	return errors.As(err, &de) && de.Field == "code"
}

// otpUsable says why a code can no longer be used, or nil.
func (s *Store) otpUsable(row otpRow) error {
	switch {
	case row.UsedAt != nil:
		return domain.Invalid("code", "这个验证码已经用过了，请重新获取")
	case !row.ExpiresAt.After(s.now()):
		return domain.Invalid("code", "验证码已过期（5 分钟内有效），请重新获取")
	case row.Attempts >= domain.OTPMaxAttempts:
		return errOTPDead()
	}
	return nil
}

func errOTPDead() error {
	return &domain.Error{Code: domain.CodeRateLimited, Field: "code",
		Message: fmt.Sprintf("验证码已输错 %d 次，已作废，请重新获取验证码", domain.OTPMaxAttempts)}
}

// useOTP consumes a verified code inside tx: exactly one transaction can, so a code is single use even
// when two requests carry it at once.
func (s *Store) useOTP(tx *gorm.DB, id int64) error {
	return s.spendOTP(tx, id, map[string]any{"used_at": s.now()})
}

// useHeldOTP is useOTP for a code checked with holdOTP: it also gives back the try the check reserved.
func (s *Store) useHeldOTP(tx *gorm.DB, id int64) error {
	return s.spendOTP(tx, id, map[string]any{"used_at": s.now(), "attempts": gorm.Expr("attempts - 1")})
}

func (s *Store) spendOTP(tx *gorm.DB, id int64, set map[string]any) error {
	res := tx.Model(&otpRow{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", id, s.now()).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return domain.Invalid("code", "这个验证码已经用过了，请重新获取")
	}
	return nil
}

func (s *Store) otpHash(purpose, phone, code string) string {
	m := hmac.New(sha256.New, s.otpKey)
	fmt.Fprintf(m, "%s|%s|%s", purpose, phone, code)
	return hex.EncodeToString(m.Sum(nil))
}

// randomDigits returns n uniformly random decimal digits from crypto/rand.
func randomDigits(n int) (string, error) {
	max := big.NewInt(1)
	for i := 0; i < n; i++ {
		max.Mul(max, big.NewInt(10))
	}
	v, err := rand.Int(rand.Reader, max)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", n, v), nil
}

// VerifyWorkerConfirmCode checks a confirmation code (purpose OTPConfirm) sent to the worker's phone and
// returns its id. The code is only checked here; the use case it authorises (signing, confirming a
// payment) consumes it inside its own transaction, so it works once.
func (s *Store) VerifyWorkerConfirmCode(ctx context.Context, workerID int64, code string) (int64, error) {
	var w workerRow
	if err := s.conn(ctx).Select("id, phone").Where("id = ?", workerID).Take(&w).Error; err != nil {
		return 0, translate(err, "零工")
	}
	return s.verifyOTP(ctx, w.Phone, domain.OTPConfirm, code)
}
