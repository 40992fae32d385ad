package store

import (
	"context"
	"crypto/rand"
	"fmt"
	"math"
	"sort"

	"gorm.io/gorm"

	"lingong/domain"
)

// The daily insured roster (投保名单, issue 22 item 3).

// ContractsWorkingOn returns the contracts worked on day according to the contracts themselves: active
// ones whose period contains the day, with the gig's daily hours (app.AttendanceDays adds attendance).
func (s *Store) ContractsWorkingOn(ctx context.Context, day domain.Date) ([]domain.WorkDay, error) {
	var rows []struct {
		ID         int64
		DailyHours float64
	}
	err := s.conn(ctx).Raw(`SELECT c.id, j.daily_hours FROM contracts c JOIN jobs j ON j.id = c.job_id
		WHERE c.status = 'active' AND c.start_date <= ? AND c.end_date >= ? ORDER BY c.id`, string(day), string(day)).Scan(&rows).Error
	if err != nil {
		return nil, translate(fmt.Errorf("contracts working on %s: %w", day, err), "合约")
	}
	out := make([]domain.WorkDay, len(rows))
	for i, r := range rows {
		out[i] = domain.WorkDay{ContractID: r.ID, HoursMilli: int64(math.Round(r.DailyHours * 1000))}
	}
	return out, nil
}

// CheckedInOn returns the contracts someone checked in on day (whatever the contract's status now),
// with the hours worked: from check-in to check-out when both exist, else the gig's daily hours.
func (s *Store) CheckedInOn(ctx context.Context, day domain.Date) ([]domain.WorkDay, error) {
	var rows []attendanceRow
	if err := s.conn(ctx).Where("work_date = ?", string(day)).Order("contract_id, id").Find(&rows).Error; err != nil {
		return nil, translate(fmt.Errorf("attendance on %s: %w", day, err), "考勤记录")
	}
	type pair struct{ in, out *domain.AttendanceEvent }
	byContract := map[int64]*pair{}
	var order, jobIDs []int64
	jobOf := map[int64]int64{}
	for _, r := range rows {
		p, ok := byContract[r.ContractID]
		if !ok {
			p = &pair{}
			byContract[r.ContractID] = p
			order = append(order, r.ContractID)
			jobOf[r.ContractID] = r.JobID
			jobIDs = append(jobIDs, r.JobID)
		}
		ev := attendanceFromRow(r)
		if ev.Kind == domain.CheckIn {
			p.in = &ev
		} else {
			p.out = &ev
		}
	}
	daily := map[int64]float64{}
	for _, chunk := range chunks(jobIDs, 500) {
		var js []struct {
			ID         int64
			DailyHours float64
		}
		if err := s.conn(ctx).Raw("SELECT id, daily_hours FROM jobs WHERE id IN ?", chunk).Scan(&js).Error; err != nil {
			return nil, translate(fmt.Errorf("daily hours: %w", err), "零工岗位")
		}
		for _, j := range js {
			daily[j.ID] = j.DailyHours
		}
	}
	var out []domain.WorkDay
	for _, id := range order {
		p := byContract[id]
		if p.in == nil {
			continue // a check-out alone is not a day that began at work
		}
		d := domain.WorkDay{ContractID: id, HoursMilli: int64(math.Round(daily[jobOf[id]] * 1000))}
		if p.out != nil {
			if m := (domain.AttendanceDay{In: p.in, Out: p.out}).Minutes(); m > 0 {
				d.HoursMilli = m * 1000 / 60
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// RosterLines builds the roster lines of the given work days: the worker's name and full ID number
// (decrypted here, the only other place than the payroll export), the gig, its place and the day's
// cover. Only an admin may; the read is audited (date, number of lines, never the numbers).
func (s *Store) RosterLines(ctx context.Context, day domain.Date, days []domain.WorkDay, actor domain.Principal, ip string) ([]domain.RosterLine, error) {
	if actor.Kind != domain.AsAdmin {
		return nil, domain.Forbidden("投保名单含完整身份证号，只有管理员可以查看")
	}
	hours := map[int64]int64{}
	ids := make([]int64, 0, len(days))
	for _, d := range days {
		hours[d.ContractID] = d.HoursMilli
		ids = append(ids, d.ContractID)
	}
	out := []domain.RosterLine{}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		for _, chunk := range chunks(ids, 500) {
			lines, err := s.rosterChunk(tx, day, chunk, hours)
			if err != nil {
				return err
			}
			out = append(out, lines...)
		}
		return s.appendAudit(tx, Audit{Actor: actor, System: actor.ID == 0, Action: "roster.read", EntityKind: "roster", IP: ip,
			Detail: map[string]any{"date": day, "lines": len(out)}})
	})
	if err != nil {
		return nil, translate(fmt.Errorf("roster of %s: %w", day, err), "投保名单")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ContractID < out[j].ContractID })
	return out, nil
}

func (s *Store) rosterChunk(tx *gorm.DB, day domain.Date, ids []int64, hours map[int64]int64) ([]domain.RosterLine, error) {
	var rows []struct {
		ID          int64
		Number      string
		WorkerID    int64
		JobID       int64
		Name        string
		IDNumberEnc *string
		Title       string
		District    string
		Town        string
		Address     string
	}
	if err := tx.Raw(`SELECT c.id, c.number, c.worker_id, c.job_id, w.name, w.id_number_enc, j.title, j.district, j.town, j.address
		FROM contracts c JOIN workers w ON w.id = c.worker_id JOIN jobs j ON j.id = c.job_id WHERE c.id IN ?`, ids).Scan(&rows).Error; err != nil {
		return nil, err
	}
	jobIDs := make([]int64, len(rows))
	for i, r := range rows {
		jobIDs[i] = r.JobID
	}
	var covers []jobCoverRow
	if err := tx.Omit("scan_base64").Where("job_id IN ?", jobIDs).Find(&covers).Error; err != nil {
		return nil, err
	}
	coverOf := map[int64]domain.Cover{}
	for _, c := range covers {
		coverOf[c.JobID] = c.domain()
	}
	out := make([]domain.RosterLine, 0, len(rows))
	for _, r := range rows {
		l := domain.RosterLine{ContractID: r.ID, ContractNumber: r.Number, WorkerID: r.WorkerID, WorkerName: r.Name, JobID: r.JobID,
			JobTitle: r.Title, Place: r.District + r.Town + " " + r.Address, HoursMilli: hours[r.ID]}
		if r.IDNumberEnc != nil {
			plain, err := s.sealer.open(*r.IDNumberEnc)
			if err != nil {
				return nil, err
			}
			l.IDNumber = plain
		}
		c := coverOf[r.JobID]
		l.Covered = c.CoveredOn(day)
		switch {
		case l.Covered:
			l.Cover = c.Policy.Label()
		case c.Kind == domain.CoverExempt:
			l.Cover = "豁免：" + c.ExemptionReason
		case c.Kind == domain.CoverOwn && c.CheckedAt == nil:
			l.Cover = "保单未核对"
		case c.Declared():
			l.Cover = "保单不在有效期内"
		default:
			l.Cover = "未申报保险"
		}
		out = append(out, l)
	}
	return out, nil
}

// SealRosterFile encrypts a roster file for the directory the insurer driver writes to (AES-256-GCM
// under the ID-number key, bound to its purpose): the file holds full ID numbers.
func (s *Store) SealRosterFile(plain []byte) ([]byte, error) {
	if s.sealer == nil {
		return nil, errNoKey
	}
	nonce := make([]byte, s.sealer.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return s.sealer.aead.Seal(nonce, nonce, plain, []byte("roster-file")), nil
}

// OpenRosterFile decrypts a file SealRosterFile made (for the operator's `lingong` tools and tests).
func (s *Store) OpenRosterFile(sealed []byte) ([]byte, error) {
	if s.sealer == nil {
		return nil, errNoKey
	}
	n := s.sealer.aead.NonceSize()
	if len(sealed) < n {
		return nil, fmt.Errorf("roster file is malformed")
	}
	return s.sealer.aead.Open(nil, sealed[:n], sealed[n:], []byte("roster-file"))
}
