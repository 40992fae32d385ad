package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"

	"gorm.io/gorm"

	"lingong/domain"
)

// ValidatePassword is the console's password rule: at least 10 characters, not all digits, and not easy to
// guess. "Easy to guess" is zxcvbn's judgement (Dropbox's estimator, Go port github.com/trustelem/zxcvbn):
// it knows the 30,000 most common passwords of leaked password lists, common names and English words,
// keyboard walks (qwertyuiop, 1qaz2wsx), repeats, sequences, dates and l33t spellings, and the account's
// own username and name (personal). A password it estimates below 10^8 guesses (its score 3, "safely
// unguessable" against online attacks) is refused.
func ValidatePassword(field, pw string, personal ...string) error {
	if utf8.RuneCountInString(pw) < 10 {
		return domain.Invalid(field, "密码至少 10 位")
	}
	if len(pw) > 128 {
		return domain.Invalid(field, "密码太长")
	}
	if strings.Trim(pw, "0123456789") == "" {
		return domain.Invalid(field, "密码不能全是数字")
	}
	if zxcvbn.PasswordStrength(pw, personal).Score < minPasswordScore {
		return domain.Invalid(field, "这个密码太常见或太容易猜到（常见密码、键盘顺序、重复字符、用户名或姓名），请换一个")
	}
	return nil
}

// minPasswordScore is the lowest zxcvbn score accepted (3: at least 10^8 guesses).
const minPasswordScore = 3

// CreateStaffAccount adds a console account (admin only). Usernames are unique; staff belong to one station.
func (s *Store) CreateStaffAccount(ctx context.Context, n domain.NewStaff, actor domain.Principal, ip string) (domain.Staff, error) {
	if actor.Kind != domain.AsAdmin {
		return domain.Staff{}, domain.Forbidden("只有管理员可以创建账号")
	}
	n.Username = strings.TrimSpace(n.Username)
	if len(n.Username) < 3 || len(n.Username) > 32 || strings.Trim(strings.ToLower(n.Username), "abcdefghijklmnopqrstuvwxyz0123456789_.-") != "" {
		return domain.Staff{}, domain.Invalid("username", "用户名为 3–32 位字母、数字或 _ . -")
	}
	name, err := domain.CleanText("display_name", n.DisplayName, 20)
	if err != nil {
		return domain.Staff{}, err
	}
	if err := ValidatePassword("password", n.Password, n.Username, name); err != nil {
		return domain.Staff{}, err
	}
	if n.Role != domain.RoleStaff && n.Role != domain.RoleAdmin {
		return domain.Staff{}, domain.Invalid("role", "角色应为 staff 或 admin")
	}
	if n.Role == domain.RoleStaff && n.StationID == 0 {
		return domain.Staff{}, domain.Invalid("station_code", "站点工作人员必须属于一个站点")
	}
	hash, err := HashPassword(n.Password)
	if err != nil {
		return domain.Staff{}, domain.Internal(err)
	}
	now := s.now()
	row := staffRow{CityCode: domain.CityCode, Username: n.Username, DisplayName: name, PasswordHash: hash, Role: string(n.Role),
		CreatedAt: now, UpdatedAt: now}
	if n.StationID != 0 {
		row.StationID = &n.StationID
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "staff.create", EntityKind: "staff", EntityID: row.ID, IP: ip,
			Detail: map[string]any{"username": row.Username, "role": row.Role, "station_id": n.StationID}})
	})
	if err != nil {
		return domain.Staff{}, translate(fmt.Errorf("create staff %s: %w", n.Username, err), "用户名")
	}
	codes, _ := stationCodes(s.conn(ctx))
	return staffFromRow(row, codes), nil
}

// ListStaff lists console accounts: all for admins (stationID 0), one station's otherwise.
func (s *Store) ListStaff(ctx context.Context, stationID int64) ([]domain.Staff, error) {
	q := s.conn(ctx).Order("role, username")
	if stationID != 0 {
		q = q.Where("station_id = ?", stationID)
	}
	var rows []staffRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, translate(err, "账号")
	}
	codes, err := stationCodes(s.conn(ctx))
	if err != nil {
		return nil, translate(err, "站点")
	}
	out := make([]domain.Staff, len(rows))
	for i, r := range rows {
		out[i] = staffFromRow(r, codes)
	}
	return out, nil
}

// ChangeStaffPassword changes a console user's own password after checking the current one, and ends every
// other session of the account (a stolen session dies with the old password).
func (s *Store) ChangeStaffPassword(ctx context.Context, staffID int64, current, next string, keepSessionID int64, ip string) error {
	var row staffRow
	if err := s.conn(ctx).Where("id = ?", staffID).Take(&row).Error; err != nil {
		return translate(err, "账号")
	}
	if !checkPassword(row.PasswordHash, current) {
		return domain.Invalid("current_password", "当前密码不对")
	}
	if err := ValidatePassword("new_password", next, row.Username, row.DisplayName); err != nil {
		return err
	}
	if current == next {
		return domain.Invalid("new_password", "新密码不能和当前密码相同")
	}
	hash, err := HashPassword(next)
	if err != nil {
		return domain.Internal(err)
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&staffRow{}).Where("id = ?", staffID).
			Updates(map[string]any{"password_hash": hash, "must_change_password": false, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		if err := tx.Model(&sessionRow{}).Where("subject_kind = 'staff' AND subject_id = ? AND id <> ? AND revoked_at IS NULL", staffID, keepSessionID).
			Update("revoked_at", s.now()).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: domain.Principal{Kind: domain.AsStaff, ID: staffID}, Action: "staff.password",
			EntityKind: "staff", EntityID: staffID, IP: ip})
	})
	return translate(err, "账号")
}

// SetStaffDisabled turns an account off (or on again); turning it off ends all its sessions at once.
func (s *Store) SetStaffDisabled(ctx context.Context, staffID int64, disabled bool, actor domain.Principal, ip string) error {
	if actor.Kind != domain.AsAdmin {
		return domain.Forbidden("只有管理员可以停用账号")
	}
	if staffID == actor.ID {
		return domain.Conflict("不能停用自己的账号")
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&staffRow{}).Where("id = ?", staffID).Updates(map[string]any{"disabled": disabled, "updated_at": s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		if disabled {
			if err := endStaffSessions(tx, staffID, s.now()); err != nil {
				return err
			}
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "staff.disable", EntityKind: "staff", EntityID: staffID, IP: ip,
			Detail: map[string]any{"disabled": disabled}})
	})
	return translate(err, "账号")
}

// ResetStaffPasswordByName gives a console account a new random password, for an operator on the server who
// lost the admin's (lingong admin reset-password). The password is returned once and never stored in
// clear; every session of the account ends, a lockout is lifted, and the account must choose its own
// password at its next login. The event is audited as the system's.
func (s *Store) ResetStaffPasswordByName(ctx context.Context, username string) (string, error) {
	password := randomPassword()
	hash, err := HashPassword(password)
	if err != nil {
		return "", domain.Internal(err)
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var row staffRow
		if err := tx.Where("username = ?", username).Take(&row).Error; err != nil {
			return err
		}
		now := s.now()
		if err := tx.Model(&staffRow{}).Where("id = ?", row.ID).Updates(map[string]any{"password_hash": hash,
			"must_change_password": true, "failed_logins": 0, "locked_until": nil, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Model(&sessionRow{}).Where("subject_kind = 'staff' AND subject_id = ? AND revoked_at IS NULL", row.ID).
			Update("revoked_at", now).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{System: true, Action: "staff.password_reset", EntityKind: "staff", EntityID: row.ID,
			Detail: map[string]any{"username": row.Username, "via": "lingong admin reset-password"}})
	})
	if err != nil {
		return "", translate(fmt.Errorf("reset password of %s: %w", username, err), "账号 "+username)
	}
	return password, nil

}

// endStaffSessions logs every session of a staff account out.
func endStaffSessions(tx *gorm.DB, staffID int64, now time.Time) error {
	return tx.Model(&sessionRow{}).Where("subject_kind = 'staff' AND subject_id = ? AND revoked_at IS NULL", staffID).
		Update("revoked_at", now).Error
}

// ResetStaffPassword gives an account a new password chosen by an admin (handed over in person), ends
// all its sessions, and makes its owner change it at the next login. Audited; the password is not.
func (s *Store) ResetStaffPassword(ctx context.Context, staffID int64, password string, actor domain.Principal, ip string) error {
	if actor.Kind != domain.AsAdmin {
		return domain.Forbidden("只有管理员可以重置密码")
	}
	if staffID == actor.ID {
		return domain.Conflict("不能重置自己的密码，请用“修改密码”")
	}
	var row staffRow
	if err := s.conn(ctx).Where("id = ?", staffID).Take(&row).Error; err != nil {
		return translate(err, "账号")
	}
	if err := ValidatePassword("password", password, row.Username, row.DisplayName); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return domain.Internal(err)
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&staffRow{}).Where("id = ?", staffID).Updates(map[string]any{"password_hash": hash,
			"must_change_password": true, "failed_logins": 0, "locked_until": nil, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		if err := endStaffSessions(tx, staffID, s.now()); err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "staff.reset_password", EntityKind: "staff", EntityID: staffID, IP: ip})
	})
	return translate(err, "账号")
}

// SetStaffStation moves a station staff account to another station (admins only; audited). Its next
// request already acts for the new station. An admin belongs to no station.
func (s *Store) SetStaffStation(ctx context.Context, staffID, stationID int64, actor domain.Principal, ip string) error {
	if actor.Kind != domain.AsAdmin {
		return domain.Forbidden("只有管理员可以调整站点")
	}
	var row staffRow
	if err := s.conn(ctx).Where("id = ?", staffID).Take(&row).Error; err != nil {
		return translate(err, "账号")
	}
	if row.Role != string(domain.RoleStaff) {
		return domain.Invalid("station_code", "管理员不属于站点")
	}
	var from int64
	if row.StationID != nil {
		from = *row.StationID
	}
	if from == stationID {
		return nil
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&staffRow{}).Where("id = ?", staffID).Updates(map[string]any{"station_id": stationID, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "staff.station", EntityKind: "staff", EntityID: staffID, IP: ip,
			Detail: map[string]any{"from_station_id": from, "to_station_id": stationID}})
	})
	return translate(err, "账号")
}
