package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"lingong/domain"
)

// insertJob writes a new gig with its skills and certificates inside tx and fills j.ID and timestamps.
func (s *Store) insertJob(tx *gorm.DB, j *domain.Job) error {
	now := s.now()
	row := jobRowFrom(j)
	row.CityCode = domain.CityCode
	row.CreatedAt, row.UpdatedAt = now, now
	if row.Status == "" {
		row.Status = string(domain.JobPendingReview)
	}
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	if err := replaceJobTags(tx, row.ID, j.Skills, j.RequiredCerts); err != nil {
		return err
	}
	j.ID, j.CreatedAt, j.UpdatedAt, j.Status, j.CityCode = row.ID, now, now, domain.JobStatus(row.Status), row.CityCode
	return nil
}

// jobRowFrom copies the columns a gig's owner and reviewers set; ids and times are the caller's job.
func jobRowFrom(j *domain.Job) jobRow {
	shifts, _ := json.Marshal(j.Shifts)
	if j.Shifts == nil {
		shifts = []byte("[]")
	}
	var floor domain.WageFloor
	if j.WageFloor != nil {
		floor = *j.WageFloor
	}
	return jobRow{
		WageFloorPayFen: floor.PayFen, WageFloorFen: floor.FloorFen, WageFloorPer: string(floor.Per),
		ID: j.ID, EmployerID: j.EmployerID, StationID: j.StationID, Title: j.Title, Description: j.Description,
		Headcount: j.Headcount, Filled: j.Filled, WageFen: j.WageFen, WageUnit: string(j.WageUnit),
		PieceUnit: j.PieceUnit, ExpectedHours: j.ExpectedHours, Settlement: string(j.Settlement), District: j.District, Town: j.Town,
		Address: j.Address, Lat: j.Lat, Lng: j.Lng, StartDate: string(j.StartDate), EndDate: string(j.EndDate),
		Shifts: string(shifts), DailyHours: j.DailyHours, Contact: j.Contact, OnsiteFirst: j.OnsiteFirst,
		Status: string(j.Status), RejectReason: j.RejectReason, ReviewedAt: j.ReviewedAt, ApprovedAt: j.ApprovedAt,
	}
}

// replaceJobTags sets a gig's skills and required certificates to exactly the given sets.
func replaceJobTags(tx *gorm.DB, jobID int64, skills, certs []string) error {
	if err := tx.Where("job_id = ?", jobID).Delete(&jobSkillRow{}).Error; err != nil {
		return err
	}
	if err := tx.Where("job_id = ?", jobID).Delete(&jobCertRow{}).Error; err != nil {
		return err
	}
	for _, sk := range skills {
		if err := tx.Create(&jobSkillRow{JobID: jobID, Skill: sk}).Error; err != nil {
			return err
		}
	}
	for _, c := range certs {
		if err := tx.Create(&jobCertRow{JobID: jobID, Cert: c}).Error; err != nil {
			return err
		}
	}
	return nil
}

// loadJobs converts rows to domain gigs with their skills, certificates, station codes and employer
// names, in a fixed number of queries.
func loadJobs(db *gorm.DB, rows []jobRow) ([]domain.Job, error) {
	if len(rows) == 0 {
		return []domain.Job{}, nil
	}
	ids := make([]int64, len(rows))
	empIDs := map[int64]bool{}
	for i, r := range rows {
		ids[i] = r.ID
		empIDs[r.EmployerID] = true
	}
	skills := map[int64][]string{}
	certs := map[int64][]string{}
	for _, chunk := range chunks(ids, 500) {
		var sk []jobSkillRow
		if err := db.Where("job_id IN ?", chunk).Order("job_id, skill").Find(&sk).Error; err != nil {
			return nil, err
		}
		for _, r := range sk {
			skills[r.JobID] = append(skills[r.JobID], r.Skill)
		}
		var cs []jobCertRow
		if err := db.Where("job_id IN ?", chunk).Order("job_id, cert").Find(&cs).Error; err != nil {
			return nil, err
		}
		for _, r := range cs {
			certs[r.JobID] = append(certs[r.JobID], r.Cert)
		}
	}
	empList := make([]int64, 0, len(empIDs))
	for id := range empIDs {
		empList = append(empList, id)
	}
	employers := map[int64]employerRow{}
	for _, chunk := range chunks(empList, 500) {
		var es []employerRow
		if err := db.Select("id, name, verified").Where("id IN ?", chunk).Find(&es).Error; err != nil {
			return nil, err
		}
		for _, e := range es {
			employers[e.ID] = e
		}
	}
	codes, err := stationCodes(db)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Job, len(rows))
	for i, r := range rows {
		j := jobFromRow(r)
		j.Skills, j.RequiredCerts = nonNil(skills[r.ID]), nonNil(certs[r.ID])
		j.StationCode = codes[r.StationID]
		j.EmployerName, j.EmployerVerified = employers[r.EmployerID].Name, employers[r.EmployerID].Verified
		out[i] = j
	}
	return out, nil
}

func jobFromRow(r jobRow) domain.Job {
	var shifts []domain.Shift
	_ = json.Unmarshal([]byte(r.Shifts), &shifts)
	if shifts == nil {
		shifts = []domain.Shift{}
	}
	j := domain.Job{
		ID: r.ID, EmployerID: r.EmployerID, StationID: r.StationID, Title: r.Title, Description: r.Description,
		Headcount: r.Headcount, Filled: r.Filled, WageFen: r.WageFen, WageUnit: domain.WageUnit(r.WageUnit),
		PieceUnit: r.PieceUnit, ExpectedHours: r.ExpectedHours, Settlement: domain.Settlement(r.Settlement), District: r.District, Town: r.Town,
		Address: r.Address, Lat: r.Lat, Lng: r.Lng, StartDate: domain.Date(r.StartDate), EndDate: domain.Date(r.EndDate),
		Shifts: shifts, DailyHours: r.DailyHours, Contact: r.Contact, OnsiteFirst: r.OnsiteFirst,
		Status: domain.JobStatus(r.Status), RejectReason: r.RejectReason, ReviewedAt: r.ReviewedAt,
		ApprovedAt: r.ApprovedAt, CityCode: r.CityCode, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.ReviewedBy != nil {
		j.ReviewedBy = *r.ReviewedBy
	}
	if r.WageFloorFen > 0 {
		j.WageFloor = &domain.WageFloor{PayFen: r.WageFloorPayFen, FloorFen: r.WageFloorFen, Per: domain.WageUnit(r.WageFloorPer), Below: true}
	}
	return j
}

// JobByID returns the gig, or not_found.
func (s *Store) JobByID(ctx context.Context, id int64) (domain.Job, error) {
	var row jobRow
	db := s.conn(ctx)
	if err := db.Where("id = ?", id).Take(&row).Error; err != nil {
		return domain.Job{}, translate(err, "零工岗位")
	}
	js, err := loadJobs(db, []jobRow{row})
	if err != nil {
		return domain.Job{}, translate(fmt.Errorf("load job %d: %w", id, err), "零工岗位")
	}
	return js[0], nil
}

// CreateJob stores a new gig, awaiting review, with its skills, certificates and audit event in one
// transaction. The caller has validated it (domain.JobRules); the status is always pending_review,
// whatever j says, and the counters start at zero.
func (s *Store) CreateJob(ctx context.Context, j domain.Job, by domain.Principal, ip string) (domain.Job, error) {
	j.ID, j.Filled, j.Status, j.RejectReason = 0, 0, domain.JobPendingReview, ""
	j.ReviewedBy, j.ReviewedAt, j.ApprovedAt = 0, nil, nil
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.insertJob(tx, &j); err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: by, Action: "job.create", EntityKind: "job", EntityID: j.ID, IP: ip,
			Detail: map[string]any{"employer_id": j.EmployerID, "station_id": j.StationID, "headcount": j.Headcount,
				"wage_fen": j.WageFen, "wage_unit": j.WageUnit}})
	})
	if err != nil {
		return domain.Job{}, translate(fmt.Errorf("create job: %w", err), "零工岗位")
	}
	return s.JobByID(ctx, j.ID)
}

// UpdateJob edits a gig: inside one transaction it reads the gig (locked against concurrent edits and
// reviews), lets edit change it (edit checks the caller's rights and validates; an error aborts), and
// sends it back to review: status pending_review, the previous review's outcome cleared. Only the
// owner's fields are written; id, employer, station and filled never change here. It returns the gig
// as it was and as it is now (the api takes an open gig out of the library).
func (s *Store) UpdateJob(ctx context.Context, id int64, by domain.Principal, ip string, edit func(j *domain.Job) error) (before, after domain.Job, err error) {
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var row jobRow
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&row).Error; err != nil {
			return translate(err, "零工岗位")
		}
		js, err := loadJobs(tx, []jobRow{row})
		if err != nil {
			return err
		}
		before = js[0]
		j := before
		j.Skills = append([]string(nil), before.Skills...)
		j.RequiredCerts = append([]string(nil), before.RequiredCerts...)
		j.Shifts = append([]domain.Shift(nil), before.Shifts...)
		if !before.Editable() {
			return domain.Conflict(fmt.Sprintf("岗位%s，不能再修改", before.Status.Label()))
		}
		if err := edit(&j); err != nil {
			return err
		}
		upd := jobRowFrom(&j)
		res := tx.Model(&jobRow{}).Where("id = ? AND status = ?", id, row.Status).Updates(map[string]any{
			"title": upd.Title, "description": upd.Description, "headcount": upd.Headcount, "wage_fen": upd.WageFen,
			"wage_unit": upd.WageUnit, "piece_unit": upd.PieceUnit, "expected_hours": upd.ExpectedHours, "settlement": upd.Settlement,
			"district": upd.District, "town": upd.Town, "address": upd.Address, "lat": upd.Lat, "lng": upd.Lng,
			"start_date": upd.StartDate, "end_date": upd.EndDate, "shifts": upd.Shifts, "daily_hours": upd.DailyHours,
			"contact": upd.Contact, "onsite_first": upd.OnsiteFirst, "wage_floor_pay_fen": upd.WageFloorPayFen,
			"wage_floor_fen": upd.WageFloorFen, "wage_floor_per": upd.WageFloorPer,
			"status": string(domain.JobPendingReview), "reject_reason": "", "reviewed_by": nil, "reviewed_at": nil,
			"approved_at": nil, "updated_at": s.now(),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.Conflict("岗位刚被他人修改，请刷新后重试")
		}
		if err := replaceJobTags(tx, id, j.Skills, j.RequiredCerts); err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: by, Action: "job.edit", EntityKind: "job", EntityID: id, IP: ip,
			Detail: map[string]any{"from": before.Status, "to": domain.JobPendingReview, "changed": changedFields(before, j)}})
	})
	if err != nil {
		return domain.Job{}, domain.Job{}, translate(fmt.Errorf("update job %d: %w", id, err), "零工岗位")
	}
	after, err = s.JobByID(ctx, id)
	return before, after, err
}

// changedFields names the JSON fields an edit changed, for the audit log (values stay out of it: a
// contact line may hold a phone number).
func changedFields(a, b domain.Job) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	add("title", a.Title != b.Title)
	add("description", a.Description != b.Description)
	add("skills", strings.Join(a.Skills, ",") != strings.Join(b.Skills, ","))
	add("required_certs", strings.Join(a.RequiredCerts, ",") != strings.Join(b.RequiredCerts, ","))
	add("headcount", a.Headcount != b.Headcount)
	add("wage_fen", a.WageFen != b.WageFen)
	add("wage_unit", a.WageUnit != b.WageUnit)
	add("piece_unit", a.PieceUnit != b.PieceUnit)
	add("expected_hours", a.ExpectedHours != b.ExpectedHours)
	add("settlement", a.Settlement != b.Settlement)
	add("district", a.District != b.District)
	add("town", a.Town != b.Town)
	add("address", a.Address != b.Address)
	add("lat", a.Lat != b.Lat || a.Lng != b.Lng)
	add("start_date", a.StartDate != b.StartDate)
	add("end_date", a.EndDate != b.EndDate)
	add("shifts", fmt.Sprint(a.Shifts) != fmt.Sprint(b.Shifts))
	add("daily_hours", a.DailyHours != b.DailyHours)
	add("contact", a.Contact != b.Contact)
	add("onsite_first", a.OnsiteFirst != b.OnsiteFirst)
	if out == nil {
		out = []string{}
	}
	return out
}

// ReviewJob records station staff's decision on a gig awaiting review: approve opens it (it enters the
// library), reject closes it to the public with the reason the employer will read. Only a gig in
// pending_review can be reviewed (conflict otherwise); a gig whose end date has passed cannot be
// approved. The caller has checked that the reviewer may act for the gig's station.
func (s *Store) ReviewJob(ctx context.Context, id int64, approve bool, reason string, by domain.Principal, ip string) (domain.Job, error) {
	return s.ReviewJobCovered(ctx, id, approve, reason, domain.CoverReview{}, by, ip)
}

// ReviewJobCovered is ReviewJob with the reviewer's word on the gig's accident cover: an approval records
// the check of the own policy or the exemption, and is refused when the admin requires cover and the gig
// has none (store/protection.go coverGate), all in the same transaction.
func (s *Store) ReviewJobCovered(ctx context.Context, id int64, approve bool, reason string, cr domain.CoverReview, by domain.Principal, ip string) (domain.Job, error) {
	now := s.now()
	today := domain.DateOf(now)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		updates := map[string]any{"reviewed_at": now, "updated_at": now, "reject_reason": reason}
		if by.IsStaff() {
			updates["reviewed_by"] = by.ID
		}
		action := "job.reject"
		q := tx.Model(&jobRow{}).Where("id = ? AND status = ?", id, string(domain.JobPendingReview))
		if approve {
			if err := s.checkNoOverdueArrears(tx, id, today); err != nil {
				return err
			}
			if err := s.coverGate(tx, id, cr, by, ip); err != nil {
				return err
			}
			if err := s.guaranteeGate(tx, id); err != nil {
				return err
			}
			action = "job.approve"
			updates["status"], updates["approved_at"], updates["reject_reason"] = string(domain.JobOpen), now, ""
			q = q.Where("end_date >= ?", string(today))
		} else {
			updates["status"] = string(domain.JobRejected)
		}
		res := q.Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var row jobRow
			if err := tx.Select("id, status, end_date").Where("id = ?", id).Take(&row).Error; err != nil {
				return translate(err, "零工岗位")
			}
			if row.Status == string(domain.JobPendingReview) {
				return domain.Conflict("岗位的结束日期已过，不能通过审核")
			}
			return domain.Conflict(fmt.Sprintf("岗位%s，不在待审核状态", domain.JobStatus(row.Status).Label()))
		}
		detail := map[string]any{}
		if reason != "" {
			detail["reason"] = reason
		}
		return s.appendAudit(tx, Audit{Actor: by, Action: action, EntityKind: "job", EntityID: id, IP: ip, Detail: detail})
	})
	if err != nil {
		return domain.Job{}, translate(fmt.Errorf("review job %d: %w", id, err), "零工岗位")
	}
	return s.JobByID(ctx, id)
}

// CloseJob ends a gig at its employer's (or the staff's) request: it leaves the library and takes no more
// applications. Closed and expired gigs are a conflict.
func (s *Store) CloseJob(ctx context.Context, id int64, reason string, by domain.Principal, ip string) (domain.Job, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var row jobRow
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id, status").Where("id = ?", id).Take(&row).Error; err != nil {
			return translate(err, "零工岗位")
		}
		j := domain.Job{Status: domain.JobStatus(row.Status)}
		if !j.Closable() {
			return domain.Conflict(fmt.Sprintf("岗位%s，无需关闭", j.Status.Label()))
		}
		res := tx.Model(&jobRow{}).Where("id = ? AND status = ?", id, row.Status).
			Updates(map[string]any{"status": string(domain.JobClosed), "updated_at": s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.Conflict("岗位刚被他人修改，请刷新后重试")
		}
		detail := map[string]any{"from": row.Status}
		if reason != "" {
			detail["reason"] = reason
		}
		return s.appendAudit(tx, Audit{Actor: by, Action: "job.close", EntityKind: "job", EntityID: id, IP: ip, Detail: detail})
	})
	if err != nil {
		return domain.Job{}, translate(fmt.Errorf("close job %d: %w", id, err), "零工岗位")
	}
	return s.JobByID(ctx, id)
}

// ExpireJobs marks every open or pending gig whose end date is before today as expired, each with an
// audit event by the system, in one transaction, and returns their ids (the api takes them out of the
// library). Running it again the same day finds nothing.
func (s *Store) ExpireJobs(ctx context.Context, today domain.Date) ([]int64, error) {
	var ids []int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var rows []jobRow
		if err := tx.Select("id, status").Where("status IN ? AND end_date < ?",
			[]string{string(domain.JobOpen), string(domain.JobPendingReview)}, string(today)).
			Order("id").Find(&rows).Error; err != nil {
			return err
		}
		now := s.now()
		for _, r := range rows {
			res := tx.Model(&jobRow{}).Where("id = ? AND status = ?", r.ID, r.Status).
				Updates(map[string]any{"status": string(domain.JobExpired), "updated_at": now})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				continue
			}
			if err := s.appendAudit(tx, Audit{Actor: domain.Principal{}, Action: "job.expire", EntityKind: "job", EntityID: r.ID,
				Detail: map[string]any{"from": r.Status, "today": today}}); err != nil {
				return err
			}
			ids = append(ids, r.ID)
		}
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("expire jobs: %w", err), "零工岗位")
	}
	return ids, nil
}

// Jobs lists the gigs the filter selects, newest first, one page of them, with the total.
func (s *Store) Jobs(ctx context.Context, f domain.JobFilter) ([]domain.Job, int, error) {
	db := s.conn(ctx)
	q := db.Model(&jobRow{})
	if f.EmployerID != 0 {
		q = q.Where("employer_id = ?", f.EmployerID)
	}
	if f.StationID != 0 {
		q = q.Where("station_id = ?", f.StationID)
	}
	if len(f.Statuses) > 0 {
		st := make([]string, len(f.Statuses))
		for i, v := range f.Statuses {
			st[i] = string(v)
		}
		q = q.Where("status IN ?", st)
	}
	if f.StartsOn != "" {
		q = q.Where("start_date = ?", string(f.StartsOn))
	}
	order := "created_at DESC, id DESC"
	if search := domain.ParseSearch(f.Q); search.Text != "" {
		cond := `(title LIKE ? ESCAPE '\' OR employer_id IN (SELECT id FROM employers WHERE name LIKE ? ESCAPE '\')`
		args := []any{like(search.Text), like(search.Text)}
		if search.Digits != "" && len(search.Digits) <= 18 {
			// The gig with that number first, then the titles and phones that hold the digits.
			if id, err := strconv.ParseInt(search.Digits, 10, 64); err == nil {
				cond += " OR id = ?"
				args = append(args, id)
				order = fmt.Sprintf("CASE WHEN id = %d THEN 0 ELSE 1 END, %s", id, order)
			}
		}
		if search.PhoneTail() {
			tail := "%" + escapeLike(search.Digits)
			cond += ` OR contact LIKE ? ESCAPE '\' OR employer_id IN (SELECT id FROM employers WHERE contact_phone LIKE ? ESCAPE '\')`
			args = append(args, tail, tail)
		}
		q = q.Where(cond+")", args...)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("count jobs: %w", err), "零工岗位")
	}
	var rows []jobRow
	if err := q.Order(order).Offset((f.Page - 1) * f.PerPage).Limit(f.PerPage).Find(&rows).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("list jobs: %w", err), "零工岗位")
	}
	js, err := loadJobs(db, rows)
	if err != nil {
		return nil, 0, translate(fmt.Errorf("list jobs: %w", err), "零工岗位")
	}
	return js, int(total), nil
}

// CountJobs counts every gig, whatever its status (the demo is loaded only into a market without any).
func (s *Store) CountJobs(ctx context.Context) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&jobRow{}).Count(&n).Error
	return n, translate(err, "岗位")
}
