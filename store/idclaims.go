package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// ID numbers a worker types themself (domain.IDConflict): the answer never says whether another
// worker holds the number. A held number is taken as a claim: the worker's profile shows it masked (as
// any change would), the sealed number waits in id_conflicts, and the staff of the worker's station
// settle it in person.

var errIDVerified = domain.Forbidden("您的身份证号已由零工驿站核实，不能自己修改；如需更正，请带身份证到零工驿站办理")

// idNumberHolder is the worker (other than self) holding the number by its blind index, or 0.
func idNumberHolder(tx *gorm.DB, index string, self int64) (int64, error) {
	var ids []int64
	if err := tx.Model(&workerRow{}).Where("id_number_index = ? AND id <> ?", index, self).Limit(1).Pluck("id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

// hasOpenClaim reports whether the worker has an open claim to the number (submitting it again changes
// nothing).
func hasOpenClaim(tx *gorm.DB, workerID int64, index string) (bool, error) {
	var n int64
	err := tx.Model(&idConflictRow{}).Where("worker_id = ? AND id_number_index = ? AND resolved_at IS NULL", workerID, index).Count(&n).Error
	return n > 0, err
}

// checkIDChangeRate refuses a worker's own ID change past domain.IDChangesPerDay in any rolling 24
// hours, counted from the worker.id_number audit events every self-service change appends.
func (s *Store) checkIDChangeRate(tx *gorm.DB, workerID int64, now time.Time) error {
	var n int64
	err := tx.Table("audit_events").Where("entity_kind = 'worker' AND entity_id = ? AND action = 'worker.id_number' AND created_at > ?",
		workerID, now.Add(-24*time.Hour)).Count(&n).Error
	if err != nil {
		return err
	}
	if n >= domain.IDChangesPerDay {
		return &domain.Error{Code: domain.CodeRateLimited, Field: "id_number",
			Message: fmt.Sprintf("身份证号 24 小时内最多修改 %d 次，请明天再试，或带身份证到零工驿站办理", domain.IDChangesPerDay)}
	}
	return nil
}

// recordIDClaim writes a claim of w to a number holder holds and returns the columns the claimant's
// row takes: the masked number, birth year and gender the claim implies, no sealed number or index.
func (s *Store) recordIDClaim(tx *gorm.DB, w workerRow, holder int64, idNumber string, now time.Time) (map[string]any, int64, error) {
	var enc, index *string
	var masked string
	if err := s.setIDNumber(&enc, &index, &masked, idNumber); err != nil {
		return nil, 0, err
	}
	c := idConflictRow{CityCode: domain.CityCode, WorkerID: w.ID, HolderID: holder, StationID: w.StationID,
		IDNumberEnc: *enc, IDNumberIndex: *index, IDNumberMasked: masked, CreatedAt: now}
	if err := tx.Create(&c).Error; err != nil {
		return nil, 0, err
	}
	if err := s.insertNotification(tx, domain.Notification{RecipientKind: domain.RecipientStation, RecipientID: w.StationID,
		Kind: "id_conflict", Title: "身份证号冲突待核对：" + w.WorkerNo,
		Body: fmt.Sprintf("零工 %s（%s）填写的身份证号 %s 已被另一位零工登记，请在工作台今日页的“待处理举报与身份证号冲突”里当面核对。", w.Name, w.WorkerNo, masked)}); err != nil {
		return nil, 0, err
	}
	return map[string]any{"id_number_enc": nil, "id_number_index": nil, "id_number_masked": masked,
		"birth_year": domain.BirthYearOfID(idNumber), "gender": domain.GenderOfID(idNumber)}, c.ID, nil
}

// IDConflicts lists the ID number conflicts of a station's (0: every station's) workers, open first, newest first (≤ 200).
func (s *Store) IDConflicts(ctx context.Context, stationID int64) ([]domain.IDConflict, error) {
	var rows []struct {
		ID, WorkerID, HolderID, StationID          int64
		IDNumberMasked, Resolution                 string
		CreatedAt                                  time.Time
		ResolvedAt                                 *time.Time
		WorkerName, WorkerNo, HolderName, HolderNo string
	}
	err := s.conn(ctx).Raw(`SELECT c.id, c.worker_id, c.holder_id, c.station_id, c.id_number_masked, c.resolution, c.created_at,
			c.resolved_at, w.name AS worker_name, w.worker_no AS worker_no, h.name AS holder_name, h.worker_no AS holder_no
		FROM id_conflicts c JOIN workers w ON w.id = c.worker_id JOIN workers h ON h.id = c.holder_id
		WHERE (? = 0 OR c.station_id = ?) ORDER BY CASE WHEN c.resolved_at IS NULL THEN 0 ELSE 1 END, c.id DESC LIMIT 200`, stationID, stationID).Scan(&rows).Error
	if err != nil {
		return nil, translate(fmt.Errorf("id conflicts of station %d: %w", stationID, err), "身份证号冲突")
	}
	out := make([]domain.IDConflict, len(rows))
	for i, r := range rows {
		out[i] = domain.IDConflict{ID: r.ID, WorkerID: r.WorkerID, WorkerName: r.WorkerName, WorkerNo: r.WorkerNo,
			StationID: r.StationID, HolderID: r.HolderID, HolderName: r.HolderName, HolderNo: r.HolderNo,
			IDNumberMasked: r.IDNumberMasked, CreatedAt: r.CreatedAt, ResolvedAt: r.ResolvedAt, Resolution: r.Resolution}
	}
	return out, nil
}

// ResolveIDConflict settles a claim, by staff of the claimant's station who saw both ID cards (or the
// claimant's): to the claimant, the number moves from the holder to the claimant, verified; to the
// holder, the claim is dropped from the claimant's profile. One transaction, audited, both workers told.
func (s *Store) ResolveIDConflict(ctx context.Context, id int64, actor domain.Principal, ip, resolution string) (domain.IDConflict, error) {
	var out domain.IDConflict
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var c idConflictRow
		if err := tx.Where("id = ?", id).Take(&c).Error; err != nil {
			return err
		}
		if !actor.IsStaff() || !actor.CanManageStation(c.StationID) {
			return domain.Forbidden("只能处理本站点零工的身份证号冲突")
		}
		if c.ResolvedAt != nil {
			return domain.Conflict("这条冲突已经处理过了")
		}
		var claimant workerRow
		if err := tx.Where("id = ?", c.WorkerID).Take(&claimant).Error; err != nil {
			return err
		}
		now := s.now()
		switch resolution {
		case domain.ConflictToClaimant:
			// Whoever holds the number now (the holder, or someone since) loses it first: the unique
			// index allows one holder.
			var holders []workerRow
			if err := tx.Where("id_number_index = ? AND id <> ?", c.IDNumberIndex, c.WorkerID).Find(&holders).Error; err != nil {
				return err
			}
			for _, h := range holders {
				if err := tx.Model(&workerRow{}).Where("id = ?", h.ID).Updates(map[string]any{"id_number_enc": nil,
					"id_number_index": nil, "id_number_masked": "", "birth_year": 0, "gender": "", "id_verified_at": nil, "updated_at": now}).Error; err != nil {
					return err
				}
				if err := s.insertNotification(tx, domain.Notification{RecipientKind: domain.RecipientWorker, RecipientID: h.ID,
					Kind: "id_removed", Title: "您登记的身份证号已被移除",
					Body: "零工驿站当面核对后确认，您登记的身份证号属于另一位零工，已从您的资料中移除。如有疑问，请带身份证到零工驿站。"}); err != nil {
					return err
				}
				if err := s.appendAudit(tx, Audit{Actor: actor, Action: "worker.id_number_removed", EntityKind: "worker", EntityID: h.ID,
					IP: ip, Detail: map[string]any{"id_conflict": c.ID}}); err != nil {
					return err
				}
			}
			plain, err := s.sealer.open(c.IDNumberEnc)
			if err != nil {
				return err
			}
			if err := tx.Model(&workerRow{}).Where("id = ?", c.WorkerID).Updates(map[string]any{"id_number_enc": c.IDNumberEnc,
				"id_number_index": c.IDNumberIndex, "id_number_masked": c.IDNumberMasked, "birth_year": domain.BirthYearOfID(plain),
				"gender": domain.GenderOfID(plain), "id_verified_at": now, "updated_at": now}).Error; err != nil {
				return err
			}
		case domain.ConflictToHolder:
			// Drop the claim from the claimant's profile unless they have changed it since.
			if claimant.IDNumberIndex == nil && claimant.IDNumberMasked == c.IDNumberMasked {
				if err := tx.Model(&workerRow{}).Where("id = ?", c.WorkerID).Updates(map[string]any{"id_number_masked": "",
					"birth_year": 0, "gender": "", "updated_at": now}).Error; err != nil {
					return err
				}
			}
		default:
			return domain.Invalid("resolution", "请选择身份证号归谁")
		}
		if err := tx.Model(&idConflictRow{}).Where("id = ?", c.ID).Updates(map[string]any{"resolved_at": now,
			"resolved_by": actor.ID, "resolution": resolution}).Error; err != nil {
			return err
		}
		c.ResolvedAt, c.Resolution = &now, resolution
		out = domain.IDConflict{ID: c.ID, WorkerID: c.WorkerID, WorkerName: claimant.Name, WorkerNo: claimant.WorkerNo,
			StationID: c.StationID, HolderID: c.HolderID, IDNumberMasked: c.IDNumberMasked, CreatedAt: c.CreatedAt,
			ResolvedAt: c.ResolvedAt, Resolution: resolution}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "id_conflict.resolve", EntityKind: "id_conflict", EntityID: c.ID,
			IP: ip, Detail: map[string]any{"resolution": resolution, "claimant": c.WorkerID, "holder": c.HolderID}})
	})
	if err != nil {
		return domain.IDConflict{}, translate(fmt.Errorf("resolve id conflict %d: %w", id, err), "身份证号冲突")
	}
	return out, nil
}

// updateIDNumber puts a change of w's ID number (normalised; "" removes it) into updates and reports
// whether it changes anything. Staff changing it meet a conflict on "id_number" when another worker
// holds the number. The worker's own change is refused (forbidden) when staff verified the number,
// limited to domain.IDChangesPerDay, and answers alike whether the number is free or held: a held
// number becomes a claim (recordIDClaim) instead of a conflict.
func (s *Store) updateIDNumber(tx *gorm.DB, actor domain.Principal, ip string, w workerRow, idNumber string, updates map[string]any) (bool, error) {
	selfService := actor.Kind == domain.AsWorker
	now := s.now()
	var index string
	if idNumber == "" {
		if w.IDNumberEnc == nil && w.IDNumberMasked == "" {
			return false, nil
		}
	} else {
		var err error
		if index, err = s.sealer.index(idNumber); err != nil {
			return false, err
		}
		if w.IDNumberIndex != nil && *w.IDNumberIndex == index {
			if selfService || w.IDVerifiedAt != nil {
				return false, nil
			}
			updates["id_verified_at"] = now // staff confirm the number on file against the card
			return true, nil
		}
		if selfService {
			if open, err := hasOpenClaim(tx, w.ID, index); err != nil || open {
				return false, err
			}
		}
	}
	if selfService {
		if w.IDVerifiedAt != nil {
			return false, errIDVerified
		}
		if err := s.checkIDChangeRate(tx, w.ID, now); err != nil {
			return false, err
		}
	}
	detail := map[string]any{}
	switch {
	case idNumber == "":
		updates["id_number_enc"], updates["id_number_index"], updates["id_number_masked"] = nil, nil, ""
		updates["birth_year"], updates["gender"] = 0, ""
	default:
		holder, err := idNumberHolder(tx, index, w.ID)
		if err != nil {
			return false, err
		}
		if holder != 0 && !selfService {
			return false, errIDNumberTaken(nil)
		}
		if holder != 0 {
			claim, conflictID, err := s.recordIDClaim(tx, w, holder, idNumber, now)
			if err != nil {
				return false, err
			}
			for k, v := range claim {
				updates[k] = v
			}
			detail["id_conflict"] = conflictID
			break
		}
		var enc, idx *string
		var masked string
		if err := s.setIDNumber(&enc, &idx, &masked, idNumber); err != nil {
			return false, err
		}
		updates["id_number_enc"], updates["id_number_index"], updates["id_number_masked"] = *enc, *idx, masked
		updates["birth_year"], updates["gender"] = domain.BirthYearOfID(idNumber), domain.GenderOfID(idNumber)
	}
	if !selfService {
		updates["id_verified_at"] = now // staff typed it from the card
		return true, nil
	}
	updates["id_verified_at"] = nil
	return true, s.appendAudit(tx, Audit{Actor: actor, Action: "worker.id_number", EntityKind: "worker", EntityID: w.ID,
		IP: ip, Detail: detail})
}
