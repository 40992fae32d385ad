package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"lingong/domain"
)

// Offers (domain/offers.go): an invitation is an application with origin invited that stays pending
// until the worker answers it. The employer never accepts it; the worker's yes accepts it.

var errNotAnOffer = domain.Conflict("这不是待您答复的邀请（可能已经答复过，或对方已撤回）")

// Invite makes an offer of a gig to a worker: the gig's employer, or staff of the gig's station. An
// employer sends at most limit.PerDay invitations in any rolling 24 hours (the employer row is locked
// first, so concurrent invitations count each other); past it the answer is rate_limited. Inviting
// again answers the existing application (created false); a worker who refused or withdrew is not
// invited again. The worker is notified and the step audited, in the same transaction.
func (s *Store) Invite(ctx context.Context, jobID, workerID int64, actor domain.Principal, ip string, limit domain.InviteLimit) (app domain.Application, job domain.Job, created bool, err error) {
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var jr jobRow
		if err := tx.Where("id = ?", jobID).Take(&jr).Error; err != nil {
			return err
		}
		if err := authorizeJobActor(actor, jr, domain.OriginInvited); err != nil {
			return err
		}
		var w workerRow
		if err := tx.Where("id = ?", workerID).Take(&w).Error; err != nil {
			return err
		}
		if jr.Status != string(domain.JobOpen) {
			return errJobNotOpen
		}
		if jr.Filled >= jr.Headcount {
			return errJobFull
		}
		if w.Status != domain.WorkerActive {
			return domain.Conflict("该零工账号已停用")
		}
		var existing applicationRow
		err := tx.Where("job_id = ? AND worker_id = ?", jobID, workerID).Take(&existing).Error
		switch {
		case err == nil:
			switch domain.ApplicationStatus(existing.Status) {
			case domain.AppPending, domain.AppAccepted:
				app = applicationFromRow(existing)
				return nil
			case domain.AppDeclined:
				return errDeclined
			}
			return domain.Conflict("这位零工已谢绝或撤回了这个岗位，不能再次邀请")
		case !isNotFound(err):
			return err
		}
		now := s.now()
		if actor.Kind == domain.AsEmployer {
			if err := s.lockRow(tx, "employers", jr.EmployerID); err != nil {
				return err
			}
			var sent int64
			if err := tx.Raw(`SELECT count(*) FROM applications a JOIN jobs j ON j.id = a.job_id
				WHERE j.employer_id = ? AND a.origin = 'invited' AND a.created_at > ?`,
				jr.EmployerID, now.Add(-24*time.Hour)).Scan(&sent).Error; err != nil {
				return err
			}
			if int(sent) >= limit.PerDay {
				return domain.RateLimited(fmt.Sprintf("24 小时内最多发出 %d 个邀请，已达上限，请稍后再邀请，或请零工驿站协助招工", limit.PerDay))
			}
		}
		row := applicationRow{CityCode: domain.CityCode, JobID: jobID, WorkerID: workerID, Origin: string(domain.OriginInvited),
			Status: string(domain.AppPending), CreatedAt: now, UpdatedAt: now}
		if actor.IsStaff() {
			row.StaffID = &actor.ID
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 { // a racing duplicate: answer the one that won
			if err := tx.Where("job_id = ? AND worker_id = ?", jobID, workerID).Take(&existing).Error; err != nil {
				return err
			}
			app = applicationFromRow(existing)
			return nil
		}
		app, created = applicationFromRow(row), true
		if err := s.insertNotification(tx, domain.Notification{RecipientKind: domain.RecipientWorker, RecipientID: w.ID,
			Kind: "application_invited", Title: "用工邀请：" + jr.Title, JobID: jr.ID,
			Body: fmt.Sprintf("用工方邀请您参加「%s」（%s 至 %s）。去不去由您决定：在“我的零工卡”页点“接受”或“不去”；您同意之前，对方看不到您的姓名和电话。",
				jr.Title, jr.StartDate, jr.EndDate)}); err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "application.invited", EntityKind: "application",
			EntityID: app.ID, IP: ip, Detail: map[string]any{"job_id": jobID, "worker_id": workerID}})
	})
	if err != nil {
		return domain.Application{}, domain.Job{}, false, translate(fmt.Errorf("invite worker %d to job %d: %w", workerID, jobID, err), "零工岗位")
	}
	if job, err = s.JobByID(ctx, jobID); err != nil {
		return domain.Application{}, domain.Job{}, false, err
	}
	return app, job, created, nil
}

// loadOffer loads an offer for the one who may answer it: the worker themself, or staff of the
// worker's station (the worker answering in front of them) and admins. Anyone else: not found.
func loadOffer(tx *gorm.DB, appID int64, actor domain.Principal) (applicationRow, jobRow, workerRow, error) {
	app, job, err := loadAppAndJob(tx, appID)
	if err != nil {
		return app, job, workerRow{}, err
	}
	var w workerRow
	if err := tx.Where("id = ?", app.WorkerID).Take(&w).Error; err != nil {
		return app, job, w, err
	}
	switch {
	case actor.Kind == domain.AsWorker && actor.ID == app.WorkerID:
	case actor.IsStaff() && actor.CanManageStation(w.StationID):
	default:
		return app, job, w, gorm.ErrRecordNotFound
	}
	if !applicationFromRow(app).AwaitsWorker() {
		return app, job, w, errNotAnOffer
	}
	return app, job, w, nil
}

// AgreeToOffer is the worker's yes (or staff recording it as witness): the offer is accepted as
// AcceptApplication would, a place taken and the contract drafted; the employer is told.
func (s *Store) AgreeToOffer(ctx context.Context, appID int64, actor domain.Principal, ip string, build domain.TermsBuilder) (domain.Contract, error) {
	var contract domain.Contract
	err := s.tx(ctx, func(tx *gorm.DB) error {
		app, job, w, err := loadOffer(tx, appID, actor)
		if err != nil {
			return err
		}
		if contract, err = s.acceptTx(tx, app, job, actor, ip, "application.offer_agree", build); err != nil {
			return err
		}
		return s.insertNotification(tx, domain.Notification{RecipientKind: domain.RecipientEmployer, RecipientID: job.EmployerID,
			Kind: "offer_agreed", Title: "零工接受了邀请：" + job.Title, JobID: job.ID,
			Body: fmt.Sprintf("零工 %s 接受了您对「%s」的邀请，电子合约 %s 已生成，请签署。", domain.MaskName(w.Name), job.Title, contract.Number)})
	})
	if err != nil {
		return domain.Contract{}, translate(fmt.Errorf("agree to offer %d: %w", appID, err), "邀请")
	}
	return contract, nil
}

// RefuseOffer is the worker's no (or staff recording it): the offer is withdrawn and the employer told,
// without the worker's name. With a reason (report), the staff of the worker's station also get a
// report of the offer to look into. All in one transaction, audited.
func (s *Store) RefuseOffer(ctx context.Context, appID int64, actor domain.Principal, ip string, report bool, reason string) (domain.Application, error) {
	var out domain.Application
	err := s.tx(ctx, func(tx *gorm.DB) error {
		app, job, w, err := loadOffer(tx, appID, actor)
		if err != nil {
			return err
		}
		now := s.now()
		res := tx.Model(&applicationRow{}).Where("id = ? AND status = ?", app.ID, domain.AppPending).
			Updates(map[string]any{"status": domain.AppWithdrawn, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errNotAnOffer
		}
		app.Status, app.UpdatedAt = string(domain.AppWithdrawn), now
		out = applicationFromRow(app)
		if err := s.insertNotification(tx, domain.Notification{RecipientKind: domain.RecipientEmployer, RecipientID: job.EmployerID,
			Kind: "offer_refused", Title: "邀请未被接受：" + job.Title, JobID: job.ID,
			Body: fmt.Sprintf("您对「%s」发出的一个邀请，零工没有接受。", job.Title)}); err != nil {
			return err
		}
		action := "application.offer_refuse"
		if report {
			action = "application.offer_report"
			rep := offerReportRow{CityCode: domain.CityCode, ApplicationID: app.ID, WorkerID: w.ID, StationID: w.StationID,
				EmployerID: job.EmployerID, JobID: job.ID, Reason: reason, CreatedAt: now}
			if err := tx.Create(&rep).Error; err != nil {
				return err
			}
			if err := s.insertNotification(tx, domain.Notification{RecipientKind: domain.RecipientStation, RecipientID: w.StationID,
				Kind: "offer_reported", Title: "零工举报了一个邀请：" + job.Title, JobID: job.ID,
				Body: fmt.Sprintf("零工 %s（%s）举报了「%s」的邀请，请在工作台今日页的“待处理举报与身份证号冲突”里查看。", w.Name, w.WorkerNo, job.Title)}); err != nil {
				return err
			}
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: action, EntityKind: "application", EntityID: app.ID, IP: ip,
			Detail: map[string]any{"job_id": job.ID, "worker_id": w.ID, "employer_id": job.EmployerID}})
	})
	if err != nil {
		return domain.Application{}, translate(fmt.Errorf("refuse offer %d: %w", appID, err), "邀请")
	}
	return out, nil
}

// OfferReports lists a station's (0: every station's) reports of offers, the open ones first, newest first (at most 200).
func (s *Store) OfferReports(ctx context.Context, stationID int64) ([]domain.OfferReport, error) {
	var rows []struct {
		ID, ApplicationID, WorkerID, StationID, EmployerID, JobID int64
		Reason                                                    string
		CreatedAt                                                 time.Time
		HandledAt                                                 *time.Time
		HandledBy                                                 *int64
		WorkerName, WorkerNo, EmployerName, JobTitle              string
	}
	err := s.conn(ctx).Raw(`SELECT r.id, r.application_id, r.worker_id, r.station_id, r.employer_id, r.job_id, r.reason,
			r.created_at, r.handled_at, r.handled_by, w.name AS worker_name, w.worker_no AS worker_no, e.name AS employer_name, j.title AS job_title
		FROM offer_reports r JOIN workers w ON w.id = r.worker_id JOIN employers e ON e.id = r.employer_id JOIN jobs j ON j.id = r.job_id
		WHERE (? = 0 OR r.station_id = ?) ORDER BY CASE WHEN r.handled_at IS NULL THEN 0 ELSE 1 END, r.id DESC LIMIT 200`, stationID, stationID).Scan(&rows).Error
	if err != nil {
		return nil, translate(fmt.Errorf("offer reports of station %d: %w", stationID, err), "举报")
	}
	out := make([]domain.OfferReport, len(rows))
	for i, r := range rows {
		out[i] = domain.OfferReport{ID: r.ID, ApplicationID: r.ApplicationID, WorkerID: r.WorkerID, WorkerName: r.WorkerName,
			WorkerNo: r.WorkerNo, StationID: r.StationID, EmployerID: r.EmployerID, EmployerName: r.EmployerName, JobID: r.JobID,
			JobTitle: r.JobTitle, Reason: r.Reason, CreatedAt: r.CreatedAt, HandledAt: r.HandledAt}
		if r.HandledBy != nil {
			out[i].HandledBy = *r.HandledBy
		}
	}
	return out, nil
}

// HandleOfferReport marks a report dealt with by staff of the worker's station (audited).
func (s *Store) HandleOfferReport(ctx context.Context, id int64, actor domain.Principal, ip, note string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var r offerReportRow
		if err := tx.Where("id = ?", id).Take(&r).Error; err != nil {
			return err
		}
		if !actor.IsStaff() || !actor.CanManageStation(r.StationID) {
			return domain.Forbidden("只能处理本站点零工的举报")
		}
		if r.HandledAt != nil {
			return domain.Conflict("这条举报已经处理过了")
		}
		now := s.now()
		if err := tx.Model(&offerReportRow{}).Where("id = ?", id).Updates(map[string]any{"handled_at": now, "handled_by": actor.ID}).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "offer_report.handle", EntityKind: "offer_report", EntityID: id, IP: ip,
			Detail: map[string]any{"employer_id": r.EmployerID, "note": note}})
	})
	if err != nil {
		return translate(fmt.Errorf("handle offer report %d: %w", id, err), "举报")
	}
	return nil
}
