package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"lingong/domain"
)

// apiKeyPrefixLen is how much of the secret is kept in clear to tell keys apart in a list: "lgk_" and 6
// random characters, 36 bits, too few to guess the remaining 250.
const apiKeyPrefixLen = len(APIKeyPrefix) + 6

// insertAPIKey issues a key for the employer inside tx and audits it; admin marks it the employer's
// administrator key. An employer holds at most domain.MaxActiveAPIKeys unrevoked keys.
func (s *Store) insertAPIKey(tx *gorm.DB, employerID int64, admin bool, by domain.Principal, ip string) (domain.IssuedAPIKey, error) {
	var active int64
	if err := tx.Model(&apiKeyRow{}).Where("employer_id = ? AND revoked_at IS NULL", employerID).Count(&active).Error; err != nil {
		return domain.IssuedAPIKey{}, err
	}
	if active >= domain.MaxActiveAPIKeys {
		return domain.IssuedAPIKey{}, domain.Conflict(fmt.Sprintf("每个用工单位最多同时持有 %d 个有效密钥，请先撤销不用的密钥", domain.MaxActiveAPIKeys))
	}
	secret := NewSecret(APIKeyPrefix)
	row := apiKeyRow{EmployerID: employerID, Prefix: secret[:apiKeyPrefixLen], KeyHash: HashSecret(secret), IsAdmin: admin, CreatedAt: s.now()}
	if err := tx.Create(&row).Error; err != nil {
		return domain.IssuedAPIKey{}, err
	}
	if err := s.appendAudit(tx, Audit{Actor: by, Action: "apikey.create", EntityKind: "employer", EntityID: employerID, IP: ip,
		Detail: map[string]any{"key_id": row.ID, "prefix": row.Prefix, "admin": admin}}); err != nil {
		return domain.IssuedAPIKey{}, err
	}
	return domain.IssuedAPIKey{Key: apiKeyFromRow(row), Secret: secret}, nil
}

func apiKeyFromRow(r apiKeyRow) domain.APIKey {
	return domain.APIKey{ID: r.ID, EmployerID: r.EmployerID, Prefix: r.Prefix, Admin: r.IsAdmin, CreatedAt: r.CreatedAt,
		LastUsedAt: r.LastUsedAt, RevokedAt: r.RevokedAt}
}

// APIKeys lists an employer's keys, newest first, revoked ones included (with their revocation time).
// Secrets are not stored, so they are not listed: only each key's prefix.
func (s *Store) APIKeys(ctx context.Context, employerID int64) ([]domain.APIKey, error) {
	var rows []apiKeyRow
	if err := s.conn(ctx).Where("employer_id = ?", employerID).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, translate(fmt.Errorf("list keys of employer %d: %w", employerID, err), "密钥")
	}
	out := make([]domain.APIKey, len(rows))
	for i, r := range rows {
		out[i] = apiKeyFromRow(r)
	}
	return out, nil
}

// CreateAPIKey issues an additional key for the employer (to rotate without downtime: issue, deploy,
// then revoke the old one). It is a conflict when the employer already holds the maximum of active keys.
// The new key is an ordinary one, except when station staff issue it to an employer left without an
// active administrator key (theirs was revoked): then it becomes the administrator key.
func (s *Store) CreateAPIKey(ctx context.Context, employerID int64, by domain.Principal, ip string) (domain.IssuedAPIKey, error) {
	var key domain.IssuedAPIKey
	err := s.tx(ctx, func(tx *gorm.DB) error {
		admin := false
		if by.IsStaff() {
			var admins int64
			if err := tx.Model(&apiKeyRow{}).Where("employer_id = ? AND is_admin AND revoked_at IS NULL", employerID).Count(&admins).Error; err != nil {
				return err
			}
			admin = admins == 0
		}
		var err error
		key, err = s.insertAPIKey(tx, employerID, admin, by, ip)
		return err
	})
	if err != nil {
		return domain.IssuedAPIKey{}, translate(fmt.Errorf("create key for employer %d: %w", employerID, err), "密钥")
	}
	return key, nil
}

// RotateAPIKey revokes one of the employer's keys and issues its replacement in one transaction: the old
// secret answers 401 from the moment this returns. A key of another employer is not_found; an already
// revoked key is a conflict.
func (s *Store) RotateAPIKey(ctx context.Context, employerID, keyID int64, by domain.Principal, ip string) (domain.IssuedAPIKey, error) {
	var key domain.IssuedAPIKey
	err := s.tx(ctx, func(tx *gorm.DB) error {
		old, err := s.revokeAPIKey(tx, employerID, keyID, by, ip, "apikey.rotate")
		if err != nil {
			return err
		}
		key, err = s.insertAPIKey(tx, employerID, old.Admin, by, ip) // the replacement keeps the old key's rights
		return err
	})
	if err != nil {
		return domain.IssuedAPIKey{}, translate(fmt.Errorf("rotate key %d: %w", keyID, err), "密钥")
	}
	return key, nil
}

// RevokeAPIKey revokes one of the employer's keys: every request with it answers 401 from now on (keys
// are checked against the database on each request, nothing caches them). Revoking a revoked key is a
// conflict; a key of another employer is not_found.
func (s *Store) RevokeAPIKey(ctx context.Context, employerID, keyID int64, by domain.Principal, ip string) (domain.APIKey, error) {
	var key domain.APIKey
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		key, err = s.revokeAPIKey(tx, employerID, keyID, by, ip, "apikey.revoke")
		return err
	})
	if err != nil {
		return domain.APIKey{}, translate(fmt.Errorf("revoke key %d: %w", keyID, err), "密钥")
	}
	return key, nil
}

func (s *Store) revokeAPIKey(tx *gorm.DB, employerID, keyID int64, by domain.Principal, ip, action string) (domain.APIKey, error) {
	now := s.now()
	r := tx.Model(&apiKeyRow{}).Where("id = ? AND employer_id = ? AND revoked_at IS NULL", keyID, employerID).Update("revoked_at", now)
	if r.Error != nil {
		return domain.APIKey{}, r.Error
	}
	var row apiKeyRow
	if err := tx.Where("id = ? AND employer_id = ?", keyID, employerID).Take(&row).Error; err != nil {
		return domain.APIKey{}, translate(err, "密钥")
	}
	if r.RowsAffected == 0 {
		return domain.APIKey{}, domain.Conflict("该密钥已经撤销")
	}
	if err := s.appendAudit(tx, Audit{Actor: by, Action: action, EntityKind: "employer", EntityID: employerID, IP: ip,
		Detail: map[string]any{"key_id": keyID, "prefix": row.Prefix}}); err != nil {
		return domain.APIKey{}, err
	}
	return apiKeyFromRow(row), nil
}
