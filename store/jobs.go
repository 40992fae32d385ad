package store

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

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
	return jobRow{
		ID: j.ID, EmployerID: j.EmployerID, StationID: j.StationID, Title: j.Title, Description: j.Description,
		Headcount: j.Headcount, Filled: j.Filled, WageFen: j.WageFen, WageUnit: string(j.WageUnit),
		ExpectedHours: j.ExpectedHours, Settlement: string(j.Settlement), District: j.District, Town: j.Town,
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
		ExpectedHours: r.ExpectedHours, Settlement: domain.Settlement(r.Settlement), District: r.District, Town: r.Town,
		Address: r.Address, Lat: r.Lat, Lng: r.Lng, StartDate: domain.Date(r.StartDate), EndDate: domain.Date(r.EndDate),
		Shifts: shifts, DailyHours: r.DailyHours, Contact: r.Contact, OnsiteFirst: r.OnsiteFirst,
		Status: domain.JobStatus(r.Status), RejectReason: r.RejectReason, ReviewedAt: r.ReviewedAt,
		ApprovedAt: r.ApprovedAt, CityCode: r.CityCode, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.ReviewedBy != nil {
		j.ReviewedBy = *r.ReviewedBy
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

// OpenJobs returns every gig in the library (status open); the matching index is built from it at start.
func (s *Store) OpenJobs(ctx context.Context) ([]domain.Job, error) {
	var out []domain.Job
	err := scanInBatches(s.conn(ctx), "status = 'open'", func(r jobRow) int64 { return r.ID }, func(db *gorm.DB, batch []jobRow) error {
		js, err := loadJobs(db, batch)
		out = append(out, js...)
		return err
	})
	if err != nil {
		return nil, translate(fmt.Errorf("open jobs: %w", err), "零工岗位")
	}
	return out, nil
}
