package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"lingong/domain"
)

// Errors of the application flow, in the words a worker or employer understands.
var (
	errJobFull      = domain.Conflict("该零工岗位名额已满")
	errJobNotOpen   = domain.Conflict("该零工岗位现在不接受报名")
	errWorkerBusy   = domain.Conflict("该零工在同一时间已有其他零工，不能重复录用")
	errAlreadyFinal = domain.Conflict("该报名已处理，不能再改")
	errDeclined     = domain.Conflict("用工方已婉拒了这次报名")
)

// Apply joins a worker to a gig: the worker applies (origin applied), the employer invites (invited) or
// station staff apply on the worker's behalf (staff). Pressing the button twice makes one application:
// an existing pending or accepted application is returned with created == false. A withdrawn one may be
// reopened. The other side is notified and the step audited, in the same transaction.
func (s *Store) Apply(ctx context.Context, jobID, workerID int64, origin domain.ApplicationOrigin, actor domain.Principal, ip string) (app domain.Application, created bool, err error) {
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var job jobRow
		if err := tx.Where("id = ?", jobID).Take(&job).Error; err != nil {
			return err
		}
		var w workerRow
		if err := tx.Where("id = ?", workerID).Take(&w).Error; err != nil {
			return err
		}
		// Staff apply at the desk for a worker of their own station to any open gig of the city (the
		// worker stands in front of them); otherwise the gig must be theirs to manage.
		deskForOwnWorker := origin == domain.OriginStaff && actor.IsStaff() && actor.CanManageStation(w.StationID)
		if !deskForOwnWorker {
			if err := authorizeJobActor(actor, job, origin); err != nil {
				return err
			}
		}
		if err := jobTakesWorker(job, w); err != nil {
			return err
		}
		now := s.now()
		row := applicationRow{CityCode: domain.CityCode, JobID: jobID, WorkerID: workerID, Origin: string(origin),
			Status: string(domain.AppPending), CreatedAt: now, UpdatedAt: now}
		if origin == domain.OriginStaff {
			row.StaffID = &actor.ID
		}
		// ON CONFLICT DO NOTHING: a double tap (or two racing taps) inserts once; UNIQUE(job_id, worker_id)
		// is the guarantee, this only avoids an error for the second.
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var existing applicationRow
			if err := tx.Where("job_id = ? AND worker_id = ?", jobID, workerID).Take(&existing).Error; err != nil {
				return err
			}
			switch domain.ApplicationStatus(existing.Status) {
			case domain.AppPending, domain.AppAccepted:
				app = applicationFromRow(existing)
				return nil
			case domain.AppDeclined:
				return errDeclined
			}
			// Withdrawn: the worker changed their mind again; reopen.
			if err := tx.Model(&applicationRow{}).Where("id = ?", existing.ID).
				Updates(map[string]any{"status": domain.AppPending, "origin": origin, "updated_at": now}).Error; err != nil {
				return err
			}
			existing.Status, existing.Origin, existing.UpdatedAt = string(domain.AppPending), string(origin), now
			row = existing
		}
		app, created = applicationFromRow(row), true
		note := domain.Notification{RecipientKind: domain.RecipientEmployer, RecipientID: job.EmployerID, Kind: "application_new",
			Title: "新报名：" + job.Title, Body: fmt.Sprintf("零工 %s 报名了您的岗位「%s」，请尽快处理。", domain.MaskName(w.Name), job.Title), JobID: job.ID}
		if origin == domain.OriginInvited {
			note = domain.Notification{RecipientKind: domain.RecipientWorker, RecipientID: w.ID, Kind: "application_invited",
				Title: "用工邀请：" + job.Title, Body: fmt.Sprintf("用工方邀请您参加「%s」（%s 至 %s）。", job.Title, job.StartDate, job.EndDate), JobID: job.ID}
		}
		if err := s.insertNotification(tx, note); err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "application." + string(origin), EntityKind: "application",
			EntityID: app.ID, IP: ip, Detail: map[string]any{"job_id": jobID, "worker_id": workerID}})
	})
	if err != nil {
		return domain.Application{}, false, translate(fmt.Errorf("apply job %d worker %d: %w", jobID, workerID, err), "零工岗位")
	}
	return app, created, nil
}

// authorizeJobActor checks who may act on a gig's applications: the worker for themselves, the gig's own
// employer, staff of the gig's station, admin. Another employer's gig is "not found" (no hint it exists).
func authorizeJobActor(actor domain.Principal, job jobRow, origin domain.ApplicationOrigin) error {
	switch actor.Kind {
	case domain.AsWorker:
		if origin != domain.OriginApplied {
			return domain.Forbidden("")
		}
		return nil
	case domain.AsEmployer:
		if job.EmployerID != actor.ID {
			return gorm.ErrRecordNotFound
		}
		return nil
	case domain.AsStaff, domain.AsAdmin:
		if !actor.CanManageStation(job.StationID) {
			return domain.Forbidden("只能处理本站点的零工岗位")
		}
		return nil
	}
	return domain.Unauthorized("")
}

func applicationFromRow(r applicationRow) domain.Application {
	a := domain.Application{ID: r.ID, JobID: r.JobID, WorkerID: r.WorkerID, Origin: domain.ApplicationOrigin(r.Origin),
		Status: domain.ApplicationStatus(r.Status), CityCode: r.CityCode, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.StaffID != nil {
		a.StaffID = *r.StaffID
	}
	a.AwaitingWorker = a.AwaitsWorker()
	return a
}

// AcceptApplication accepts a pending application and creates its contract (draft) in one transaction:
//
//   - a place of the headcount is taken by the conditional UPDATE … WHERE filled < headcount, so under any
//     concurrency the accepted never exceed the headcount (the CHECK constraint is the backstop); the gig
//     becomes filled with its last place;
//   - the worker may not already hold a gig whose days and hours overlap (the worker row is locked first
//     on PostgreSQL; SQLite's write lock serialises the check);
//   - the terms are frozen by build (canonical JSON + SHA-256) under a fresh number ZW-YYYYMM-NNNNNN.
//
// It answers conflict when the gig is full, the application is no longer pending, or the worker is busy.
func (s *Store) AcceptApplication(ctx context.Context, appID int64, actor domain.Principal, ip string, build domain.TermsBuilder) (domain.Contract, error) {
	var contract domain.Contract
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var app applicationRow
		if err := tx.Where("id = ?", appID).Take(&app).Error; err != nil {
			return err
		}
		var job jobRow
		if err := tx.Where("id = ?", app.JobID).Take(&job).Error; err != nil {
			return err
		}
		if actor.Kind == domain.AsWorker {
			return domain.Forbidden("只有用工方或驿站工作人员可以录用")
		}
		if err := authorizeJobActor(actor, job, domain.OriginInvited); err != nil {
			return err
		}
		if applicationFromRow(app).AwaitsWorker() {
			return domain.ErrOfferUnanswered
		}
		var err error
		if contract, err = s.acceptTx(tx, app, job, actor, ip, "application.accept", build); err != nil {
			return err
		}
		return s.insertNotification(tx, domain.Notification{RecipientKind: domain.RecipientWorker, RecipientID: app.WorkerID,
			Kind: "application_accepted", Title: "已被录用：" + job.Title, JobID: job.ID,
			Body: fmt.Sprintf("您已被「%s」录用，请查看并确认电子合约 %s。", job.Title, contract.Number)})
	})
	if err != nil {
		return domain.Contract{}, translate(fmt.Errorf("accept application %d: %w", appID, err), "报名")
	}
	return contract, nil
}

// acceptTx is the acceptance itself, inside tx, for an application its caller authorised: the worker
// row locked, the application still pending, the worker free then, the fair queue of a 现场优先 gig, a
// place taken, the application accepted, the contract drafted; audited as action with contract.create.
func (s *Store) acceptTx(tx *gorm.DB, app applicationRow, job jobRow, actor domain.Principal, ip, action string, build domain.TermsBuilder) (domain.Contract, error) {
	if err := s.lockRow(tx, "workers", app.WorkerID); err != nil {
		return domain.Contract{}, err
	}
	// Re-read under the lock: a concurrent decision may have come first.
	if err := tx.Where("id = ?", app.ID).Take(&app).Error; err != nil {
		return domain.Contract{}, err
	}
	if app.Status != string(domain.AppPending) {
		return domain.Contract{}, errAlreadyFinal
	}
	if err := s.checkWorkerFree(tx, app.WorkerID, job); err != nil {
		return domain.Contract{}, err
	}
	now := s.now()
	if job.OnsiteFirst {
		// The gig row is locked before the queue is read, so two accepts of one 现场优先 gig on
		// PostgreSQL see each other's decisions (SQLite's write lock serialises them already).
		if err := s.lockRow(tx, "jobs", job.ID); err != nil {
			return domain.Contract{}, err
		}
		if err := checkOnsiteOrder(tx, job, app.ID, domain.DateOf(now)); err != nil {
			return domain.Contract{}, err
		}
	}
	res := tx.Exec(`UPDATE jobs SET filled = filled + 1,
		status = CASE WHEN filled + 1 >= headcount THEN 'filled' ELSE status END, updated_at = ?
		WHERE id = ? AND status = 'open' AND filled < headcount`, now, job.ID)
	if res.Error != nil {
		return domain.Contract{}, res.Error
	}
	if res.RowsAffected == 0 {
		if job.Status != string(domain.JobOpen) && job.Status != string(domain.JobFilled) {
			return domain.Contract{}, errJobNotOpen
		}
		return domain.Contract{}, errJobFull
	}
	res = tx.Model(&applicationRow{}).Where("id = ? AND status = ?", app.ID, domain.AppPending).
		Updates(map[string]any{"status": domain.AppAccepted, "updated_at": now})
	if res.Error != nil {
		return domain.Contract{}, res.Error
	}
	if res.RowsAffected == 0 {
		return domain.Contract{}, errAlreadyFinal
	}
	contract, err := s.createContract(tx, app, 1, nil, nil, build)
	if err != nil {
		return domain.Contract{}, err
	}
	detail := map[string]any{"job_id": job.ID, "worker_id": app.WorkerID, "contract_id": contract.ID}
	if actor.Kind != domain.AsWorker && app.Origin == string(domain.OriginInvited) {
		detail["witnessed_by_staff"] = actor.ID // the worker said yes in front of staff
	}
	if err := s.appendAudit(tx, Audit{Actor: actor, Action: action, EntityKind: "application", EntityID: app.ID,
		IP: ip, Detail: detail}); err != nil {
		return domain.Contract{}, err
	}
	return contract, s.appendAudit(tx, Audit{Actor: actor, Action: "contract.create", EntityKind: "contract", EntityID: contract.ID,
		IP: ip, Detail: contractAnchor(contract)})
}

// checkWorkerFree refuses when the worker already holds an accepted place on a gig that overlaps job
// (up to the last day of their contract on it, when that contract was ended early).
func (s *Store) checkWorkerFree(tx *gorm.DB, workerID int64, job jobRow) error {
	var others []jobRow
	err := tx.Raw(`SELECT j.* FROM jobs j JOIN applications a ON a.job_id = j.id
		WHERE a.worker_id = ? AND a.status = 'accepted' AND j.id <> ? AND j.start_date <= ? AND j.end_date >= ?`,
		workerID, job.ID, job.EndDate, job.StartDate).Scan(&others).Error
	if err != nil {
		return err
	}
	// A contract of the worker's ended early frees the days after its last day (domain/ending.go).
	var ended []struct {
		JobID   int64
		EndDate string
	}
	if len(others) > 0 {
		if err := tx.Raw(`SELECT c.job_id, c.end_date FROM contracts c WHERE c.worker_id = ? AND c.status = 'active'
			AND EXISTS (SELECT 1 FROM contract_endings e WHERE e.contract_id = c.id)`, workerID).Scan(&ended).Error; err != nil {
			return err
		}
	}
	this := jobFromRow(job)
	for _, o := range others {
		for _, e := range ended {
			if e.JobID == o.ID && e.EndDate < o.EndDate {
				o.EndDate = e.EndDate
			}
		}
		if this.Overlaps(jobFromRow(o)) {
			return errWorkerBusy
		}
	}
	return nil
}

// DeclineApplication turns a pending application down and tells the worker.
func (s *Store) DeclineApplication(ctx context.Context, appID int64, actor domain.Principal, ip string) (domain.Application, error) {
	var out domain.Application
	err := s.tx(ctx, func(tx *gorm.DB) error {
		app, job, err := loadAppAndJob(tx, appID)
		if err != nil {
			return err
		}
		if actor.Kind == domain.AsWorker {
			return domain.Forbidden("")
		}
		if err := authorizeJobActor(actor, job, domain.OriginInvited); err != nil {
			return err
		}
		if app.Status != string(domain.AppPending) {
			return errAlreadyFinal
		}
		now := s.now()
		if err := tx.Model(&applicationRow{}).Where("id = ?", app.ID).Updates(map[string]any{"status": domain.AppDeclined, "updated_at": now}).Error; err != nil {
			return err
		}
		app.Status, app.UpdatedAt = string(domain.AppDeclined), now
		out = applicationFromRow(app)
		if err := s.insertNotification(tx, domain.Notification{RecipientKind: domain.RecipientWorker, RecipientID: app.WorkerID,
			Kind: "application_declined", Title: "未被录用：" + job.Title, JobID: job.ID,
			Body: fmt.Sprintf("很抱歉，「%s」这次没有录用您，看看其他合适的活吧。", job.Title)}); err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "application.decline", EntityKind: "application", EntityID: app.ID, IP: ip})
	})
	if err != nil {
		return domain.Application{}, translate(fmt.Errorf("decline application %d: %w", appID, err), "报名")
	}
	return out, nil
}

// WithdrawApplication lets a worker step back before signing: a pending application is withdrawn; an
// accepted one whose contract the worker has not signed is withdrawn too, its place given back to the
// gig and the draft contract terminated. After the worker signed, only the station can help.
func (s *Store) WithdrawApplication(ctx context.Context, appID int64, actor domain.Principal, ip string) (domain.Application, error) {
	var out domain.Application
	err := s.tx(ctx, func(tx *gorm.DB) error {
		app, job, err := loadAppAndJob(tx, appID)
		if err != nil {
			return err
		}
		if actor.Kind != domain.AsWorker || actor.ID != app.WorkerID {
			return gorm.ErrRecordNotFound
		}
		now := s.now()
		switch domain.ApplicationStatus(app.Status) {
		case domain.AppPending:
		case domain.AppAccepted:
			var c contractRow
			if err := tx.Where("application_id = ? AND status = ?", app.ID, domain.ContractDraft).Order("version DESC").Take(&c).Error; err != nil {
				if errors.Is(err, gorm.ErrRecordNotFound) {
					return domain.Conflict("合约已生效，不能撤回；如需取消请联系零工驿站")
				}
				return err
			}
			var signed int64
			if err := tx.Model(&signatureRow{}).Where("contract_id = ? AND role = ?", c.ID, domain.SignerWorker).Count(&signed).Error; err != nil {
				return err
			}
			if signed > 0 {
				return domain.Conflict("您已签署合约，不能自行撤回；如需取消请联系零工驿站")
			}
			if err := tx.Model(&contractRow{}).Where("id = ?", c.ID).Updates(map[string]any{"status": domain.ContractTerminated, "updated_at": now}).Error; err != nil {
				return err
			}
			if err := tx.Exec(`UPDATE jobs SET filled = filled - 1,
				status = CASE WHEN status = 'filled' THEN 'open' ELSE status END, updated_at = ? WHERE id = ? AND filled > 0`, now, job.ID).Error; err != nil {
				return err
			}
			if err := s.appendAudit(tx, Audit{Actor: actor, Action: "contract.terminate", EntityKind: "contract", EntityID: c.ID, IP: ip,
				Detail: map[string]any{"reason": "worker withdrew before signing"}}); err != nil {
				return err
			}
		default:
			return errAlreadyFinal
		}
		if err := tx.Model(&applicationRow{}).Where("id = ?", app.ID).Updates(map[string]any{"status": domain.AppWithdrawn, "updated_at": now}).Error; err != nil {
			return err
		}
		app.Status, app.UpdatedAt = string(domain.AppWithdrawn), now
		out = applicationFromRow(app)
		if err := s.insertNotification(tx, domain.Notification{RecipientKind: domain.RecipientEmployer, RecipientID: job.EmployerID,
			Kind: "application_withdrawn", Title: "报名已撤回：" + job.Title, JobID: job.ID,
			Body: fmt.Sprintf("一名零工撤回了「%s」的报名。", job.Title)}); err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "application.withdraw", EntityKind: "application", EntityID: app.ID, IP: ip})
	})
	if err != nil {
		return domain.Application{}, translate(fmt.Errorf("withdraw application %d: %w", appID, err), "报名")
	}
	return out, nil
}

func loadAppAndJob(tx *gorm.DB, appID int64) (applicationRow, jobRow, error) {
	var app applicationRow
	if err := tx.Where("id = ?", appID).Take(&app).Error; err != nil {
		return app, jobRow{}, err
	}
	var job jobRow
	err := tx.Where("id = ?", app.JobID).Take(&job).Error
	return app, job, err
}

// ApplicationByID returns one application, or not_found.
func (s *Store) ApplicationByID(ctx context.Context, id int64) (domain.Application, error) {
	var row applicationRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return domain.Application{}, translate(err, "报名")
	}
	return applicationFromRow(row), nil
}

// ApplicationsForWorker lists a worker's applications, newest first, with gig and contract.
func (s *Store) ApplicationsForWorker(ctx context.Context, workerID int64) ([]domain.ApplicationView, error) {
	return s.applicationViews(ctx, "a.worker_id = ?", workerID)
}

// ApplicationsForJob lists a gig's applications, oldest first (first come, first considered).
func (s *Store) ApplicationsForJob(ctx context.Context, jobID int64) ([]domain.ApplicationView, error) {
	return s.applicationViews(ctx, "a.job_id = ?", jobID)
}

type applicationViewRow struct {
	ID             int64
	CityCode       string
	JobID          int64
	WorkerID       int64
	Origin         string
	Status         string
	StaffID        *int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	JobTitle       string
	JobStartDate   string
	JobEndDate     string
	JobStationID   int64
	EmployerID     int64
	EmployerName   string
	WorkerName     string
	WorkerNo       string
	WorkerPhone    string
	ContractID     *int64
	ContractNumber *string
	ContractStatus *string
}

func (s *Store) applicationViews(ctx context.Context, cond string, arg int64) ([]domain.ApplicationView, error) {
	var rows []applicationViewRow
	order := "a.id DESC"
	if cond == "a.job_id = ?" {
		order = "a.id"
	}
	err := s.conn(ctx).Raw(`SELECT a.*, j.title AS job_title, j.start_date AS job_start_date, j.end_date AS job_end_date,
			j.station_id AS job_station_id, e.id AS employer_id, e.name AS employer_name,
			w.name AS worker_name, w.worker_no AS worker_no, w.phone AS worker_phone,
			c.id AS contract_id, c.number AS contract_number, c.status AS contract_status
		FROM applications a
		JOIN jobs j ON j.id = a.job_id
		JOIN employers e ON e.id = j.employer_id
		JOIN workers w ON w.id = a.worker_id
		LEFT JOIN contracts c ON c.application_id = a.id AND c.version = (SELECT max(version) FROM contracts c2 WHERE c2.application_id = a.id)
		WHERE `+cond+` ORDER BY `+order+` LIMIT 500`, arg).Scan(&rows).Error
	if err != nil {
		return nil, translate(fmt.Errorf("list applications: %w", err), "报名")
	}
	out := make([]domain.ApplicationView, len(rows))
	for i, r := range rows {
		app := applicationRow{ID: r.ID, CityCode: r.CityCode, JobID: r.JobID, WorkerID: r.WorkerID, Origin: r.Origin,
			Status: r.Status, StaffID: r.StaffID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
		v := domain.ApplicationView{Application: applicationFromRow(app), JobTitle: r.JobTitle,
			JobStartDate: domain.Date(r.JobStartDate), JobEndDate: domain.Date(r.JobEndDate), JobStationID: r.JobStationID,
			EmployerID: r.EmployerID, EmployerName: r.EmployerName, WorkerName: r.WorkerName, WorkerNo: r.WorkerNo,
			WorkerPhone: r.WorkerPhone}
		if r.ContractID != nil {
			v.ContractID, v.ContractNumber, v.ContractStatus = *r.ContractID, *r.ContractNumber, domain.ContractStatus(*r.ContractStatus)
		}
		out[i] = v
	}
	return out, nil
}

// contractNumber formats ZW-YYYYMM-NNNNNN; the sequence restarts each month (Asia/Shanghai).
func contractNumber(issued time.Time, seq int64) string {
	return fmt.Sprintf("ZW-%s-%06d", issued.In(domain.Shanghai).Format("200601"), seq)
}

// jobTakesWorker is the rule an application and an offer share: the job is open with a place left, and
// the worker's account is active.
func jobTakesWorker(job jobRow, w workerRow) error {
	if job.Status != string(domain.JobOpen) {
		return errJobNotOpen
	}
	if job.Filled >= job.Headcount {
		return errJobFull
	}
	if w.Status != domain.WorkerActive {
		return domain.Conflict("该零工账号已停用")
	}
	return nil
}
