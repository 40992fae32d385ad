package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// Token prefixes tell the kind of a bearer token at a glance (and in a leaked-secret scanner).
const (
	StaffTokenPrefix  = "lgs_"
	WorkerTokenPrefix = "lgw_"
	APIKeyPrefix      = "lgk_"
)

// Session lifetimes: a station PC logs in each working day; a worker on a cheap phone should not have to
// ask for a new SMS code every time.
const (
	StaffSessionTTL  = 12 * time.Hour
	WorkerSessionTTL = 30 * 24 * time.Hour
)

// Lockout: after maxFailedLogins wrong passwords in a row, the account is locked for lockoutPeriod.
const (
	maxFailedLogins = 5
	lockoutPeriod   = 15 * time.Minute
)

// Per address: at most maxIPFailures unsuccessful console logins in ipFailureWindow, across usernames, so
// one machine cannot try 5 passwords on every account in turn. A station's PCs share one address behind
// the town's NAT, so the limit leaves room for a whole office's typos.
const (
	maxIPFailures   = 30
	ipFailureWindow = 15 * time.Minute
)

// NewSecret returns a random token with the given prefix (256 bits, URL-safe).
func NewSecret(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is how tokens and keys are stored: SHA-256 hex. They are random 256-bit values, so a fast
// hash is enough (no dictionary to attack); the database never holds a usable credential.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// createSession stores a new session for the subject inside db.
func (s *Store) createSession(db *gorm.DB, kind string, subjectID int64, ip, ua string) (domain.Session, error) {
	prefix, ttl := WorkerTokenPrefix, WorkerSessionTTL
	if kind == "staff" {
		prefix, ttl = StaffTokenPrefix, StaffSessionTTL
	}
	now := s.now()
	token := NewSecret(prefix)
	row := sessionRow{TokenHash: HashSecret(token), SubjectKind: kind, SubjectID: subjectID,
		CsrfToken: NewSecret(""), IP: ip, UserAgent: truncate(ua, 300), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := db.Create(&row).Error; err != nil {
		return domain.Session{}, err
	}
	return domain.Session{ID: row.ID, Token: token, CSRFToken: row.CsrfToken, ExpiresAt: row.ExpiresAt}, nil
}

// CreateWorkerSession logs a worker in (after the SMS code was checked) and returns the token.
func (s *Store) CreateWorkerSession(ctx context.Context, workerID int64, ip, ua string) (domain.Session, error) {
	sess, err := s.createSession(s.conn(ctx), "worker", workerID, ip, ua)
	return sess, translate(err, "会话")
}

// LoginStaff checks a console user's password and opens a session. Wrong password, unknown user and
// disabled account all answer the same unauthorized error (no user enumeration); after 5 failures in a
// row the account is locked for 15 minutes and answers rate_limited, and so does a client address that
// failed maxIPFailures times in 15 minutes, whatever usernames it tried.
//
// Both limits are decided BEFORE the slow password hash, by atomic writes: an attempt first takes one of
// the account's 5 tries (a conditional UPDATE that fails once they are used) and records itself against
// its address (an INSERT, then a count), and only then is the password checked. So 200 guesses sent at
// once check at most 5 passwords, not 200 (a counter read before the hash would let them all through).
func (s *Store) LoginStaff(ctx context.Context, username, password, ip, ua string) (domain.Staff, domain.Session, error) {
	now := s.now()
	failureID, err := s.takeAddressTry(ctx, ip, username, now)
	if err != nil {
		return domain.Staff{}, domain.Session{}, err
	}
	var row staffRow
	err = s.conn(ctx).Where("username = ?", username).Take(&row).Error
	if err != nil {
		// Spend the same time as a real check so timing does not reveal which usernames exist.
		checkPassword(dummyHash, password)
		if domain.IsCode(translate(err, ""), domain.CodeNotFound) {
			return domain.Staff{}, domain.Session{}, domain.Unauthorized("用户名或密码错误")
		}
		return domain.Staff{}, domain.Session{}, translate(err, "账号")
	}
	if err := s.takeAccountTry(ctx, row.ID, now); err != nil {
		return domain.Staff{}, domain.Session{}, err
	}
	if !checkPassword(row.PasswordHash, password) || row.Disabled {
		return domain.Staff{}, domain.Session{}, domain.Unauthorized("用户名或密码错误")
	}
	var sess domain.Session
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&staffRow{}).Where("id = ?", row.ID).
			Updates(map[string]any{"failed_logins": 0, "locked_until": nil}).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", failureID).Delete(&loginFailureRow{}).Error; err != nil {
			return err
		}
		var err error
		sess, err = s.createSession(tx, "staff", row.ID, ip, ua)
		return err
	})
	if err != nil {
		return domain.Staff{}, domain.Session{}, translate(fmt.Errorf("login %s: %w", username, err), "账号")
	}
	codes, err := stationCodes(s.conn(ctx))
	if err != nil {
		return domain.Staff{}, domain.Session{}, translate(err, "站点")
	}
	return staffFromRow(row, codes), sess, nil
}

// takeAccountTry spends one of the account's maxFailedLogins tries, or answers rate_limited when they are
// spent and the lock has not run out. The try counts as a failure until a successful login resets the
// count. The last try sets the lock at once, so tries racing it find the door shut.
func (s *Store) takeAccountTry(ctx context.Context, staffID int64, now time.Time) error {
	db := s.conn(ctx)
	// A lock that has run out gives the account its tries back. The condition on locked_until makes this
	// happen once: racing requests after the first find it NULL and change nothing.
	if err := db.Model(&staffRow{}).Where("id = ? AND locked_until IS NOT NULL AND locked_until <= ?", staffID, now).
		Updates(map[string]any{"failed_logins": 0, "locked_until": nil}).Error; err != nil {
		return translate(err, "账号")
	}
	res := db.Model(&staffRow{}).Where("id = ? AND failed_logins < ?", staffID, maxFailedLogins).
		Updates(map[string]any{
			"failed_logins": gorm.Expr("failed_logins + 1"),
			"locked_until":  gorm.Expr("CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END", maxFailedLogins, now.Add(lockoutPeriod)),
		})
	if res.Error != nil {
		return translate(res.Error, "账号")
	}
	if res.RowsAffected == 0 {
		return domain.RateLimited("密码错误次数过多，账号已锁定，请 15 分钟后再试")
	}
	return nil
}

// takeAddressTry records a login attempt against the client's address before anything is checked, and
// answers rate_limited when the address already has maxIPFailures unsuccessful attempts in the last
// ipFailureWindow (across all usernames). Insert-then-count makes it safe under concurrency: the n-th
// attempt to be inserted counts at least n rows. It returns the attempt's row, which a successful login
// deletes.
func (s *Store) takeAddressTry(ctx context.Context, ip, username string, now time.Time) (int64, error) {
	db := s.conn(ctx)
	since := now.Add(-ipFailureWindow)
	// Old rows of this address are of no use any more; removing them here keeps the table small.
	if err := db.Where("ip = ? AND created_at < ?", ip, since).Delete(&loginFailureRow{}).Error; err != nil {
		return 0, translate(err, "登录记录")
	}
	row := loginFailureRow{IP: ip, Username: truncate(username, 64), CreatedAt: now}
	if err := db.Create(&row).Error; err != nil {
		return 0, translate(err, "登录记录")
	}
	var n int64
	if err := db.Model(&loginFailureRow{}).Where("ip = ? AND created_at >= ?", ip, since).Count(&n).Error; err != nil {
		return 0, translate(err, "登录记录")
	}
	if n > maxIPFailures {
		return 0, domain.RateLimited("这台电脑登录失败的次数过多，请 15 分钟后再试")
	}
	return row.ID, nil
}

// dummyHash is checked against when the username does not exist (see LoginStaff).
var dummyHash, _ = HashPassword("lingong-no-such-user")

func staffFromRow(r staffRow, codes map[int64]string) domain.Staff {
	st := domain.Staff{ID: r.ID, Username: r.Username, DisplayName: r.DisplayName, Role: domain.StaffRole(r.Role),
		Disabled: r.Disabled, MustChangePassword: r.MustChangePassword, CityCode: r.CityCode, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.StationID != nil {
		st.StationID = *r.StationID
		st.StationCode = codes[*r.StationID]
	}
	return st
}

// Authenticate resolves a bearer token (staff or worker session, or employer API key) to the caller.
// An unknown, expired, revoked or logged-out token is unauthorized.
func (s *Store) Authenticate(ctx context.Context, token string) (domain.Principal, error) {
	switch {
	case strings.HasPrefix(token, APIKeyPrefix):
		return s.authenticateAPIKey(ctx, token)
	case strings.HasPrefix(token, StaffTokenPrefix), strings.HasPrefix(token, WorkerTokenPrefix):
		return s.authenticateSession(ctx, token)
	}
	return domain.Principal{}, domain.Unauthorized("登录凭证无效，请重新登录")
}

func (s *Store) authenticateAPIKey(ctx context.Context, key string) (domain.Principal, error) {
	var k apiKeyRow
	if err := s.conn(ctx).Where("key_hash = ?", HashSecret(key)).Take(&k).Error; err != nil {
		if domain.IsCode(translate(err, ""), domain.CodeNotFound) {
			return domain.Principal{}, domain.Unauthorized("API 密钥无效")
		}
		return domain.Principal{}, translate(err, "密钥")
	}
	if k.RevokedAt != nil {
		return domain.Principal{}, domain.Unauthorized("API 密钥已被撤销")
	}
	var e employerRow
	if err := s.conn(ctx).Select("id, status").Where("id = ?", k.EmployerID).Take(&e).Error; err != nil || e.Status != "active" {
		return domain.Principal{}, domain.Unauthorized("用工单位已停用")
	}
	// Record use at most once a minute per key: enough for "last used", cheap under load.
	now := s.now()
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) > time.Minute {
		s.conn(ctx).Model(&apiKeyRow{}).Where("id = ?", k.ID).Update("last_used_at", now)
	}
	return domain.Principal{Kind: domain.AsEmployer, ID: k.EmployerID, CredentialID: k.ID, AdminKey: k.IsAdmin}, nil
}

// StaffCSRFToken returns the CSRF token bound to a staff session (console forms carry it).
func (s *Store) StaffCSRFToken(ctx context.Context, sessionID int64) (string, error) {
	var sess sessionRow
	if err := s.conn(ctx).Select("id, csrf_token").Where("id = ?", sessionID).Take(&sess).Error; err != nil {
		return "", translate(err, "会话")
	}
	return sess.CsrfToken, nil
}

// RevokeSession logs a session out: its token answers 401 from now on.
func (s *Store) RevokeSession(ctx context.Context, sessionID int64) error {
	err := s.conn(ctx).Model(&sessionRow{}).Where("id = ? AND revoked_at IS NULL", sessionID).Update("revoked_at", s.now()).Error
	return translate(err, "会话")
}

// StaffByID returns a console user, or not_found.
func (s *Store) StaffByID(ctx context.Context, id int64) (domain.Staff, error) {
	var row staffRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return domain.Staff{}, translate(err, "工作人员")
	}
	codes, err := stationCodes(s.conn(ctx))
	if err != nil {
		return domain.Staff{}, translate(err, "站点")
	}
	return staffFromRow(row, codes), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
