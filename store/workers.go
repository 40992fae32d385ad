package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"lingong/domain"
)

// insertWorker writes a new worker with its skills and certificates inside tx, numbering it and sealing
// its ID number (when given). It fills w.ID, w.No and the timestamps.
func (s *Store) insertWorker(tx *gorm.DB, w *domain.Worker, idNumber string) error {
	n, err := nextCounter(tx, "worker_no")
	if err != nil {
		return err
	}
	now := s.now()
	row := workerRow{
		CityCode: domain.CityCode, WorkerNo: workerNo(n), Phone: w.Phone, Name: w.Name, Gender: w.Gender,
		BirthYear: w.BirthYear, District: w.District, Town: w.Town, Lat: w.Lat, Lng: w.Lng,
		SelfDescription: w.SelfDescription, AvailableFrom: string(w.AvailableFrom), AvailableTo: string(w.AvailableTo),
		ExpectedWageFen: w.ExpectedWageFen, ExpectedWageUnit: string(w.ExpectedWageUnit), MaxCommuteKm: w.MaxCommuteKm,
		StationID: w.StationID, PushOptOut: w.PushOptOut, Status: domain.WorkerActive, CardVersion: 1,
		CreatedAt: now, UpdatedAt: now,
	}
	if row.ExpectedWageUnit == "" {
		row.ExpectedWageUnit = string(domain.PerDay)
	}
	if w.RegisteredBy != 0 {
		row.RegisteredByStaffID = &w.RegisteredBy
	}
	if idNumber != "" {
		if err := s.setIDNumber(&row.IDNumberEnc, &row.IDNumberIndex, &row.IDNumberMasked, idNumber); err != nil {
			return err
		}
	}
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	if err := replaceWorkerTags(tx, row.ID, w.Skills, w.Certs); err != nil {
		return err
	}
	w.ID, w.No, w.CreatedAt, w.UpdatedAt = row.ID, row.WorkerNo, row.CreatedAt, row.UpdatedAt
	w.Status, w.CardVersion, w.CityCode, w.IDNumberMasked = row.Status, row.CardVersion, row.CityCode, row.IDNumberMasked
	return nil
}

// setIDNumber seals a normalised ID number into the three columns that hold it.
func (s *Store) setIDNumber(enc, index **string, masked *string, idNumber string) error {
	sealed, err := s.sealer.seal(idNumber)
	if err != nil {
		return err
	}
	idx, err := s.sealer.index(idNumber)
	if err != nil {
		return err
	}
	*enc, *index, *masked = &sealed, &idx, domain.MaskIDNumber(idNumber)
	return nil
}

// replaceWorkerTags sets a worker's skills and certificates to exactly the given sets.
func replaceWorkerTags(tx *gorm.DB, workerID int64, skills, certs []string) error {
	if err := tx.Where("worker_id = ?", workerID).Delete(&workerSkillRow{}).Error; err != nil {
		return err
	}
	if err := tx.Where("worker_id = ?", workerID).Delete(&workerCertRow{}).Error; err != nil {
		return err
	}
	for _, sk := range skills {
		if err := tx.Create(&workerSkillRow{WorkerID: workerID, Skill: sk}).Error; err != nil {
			return err
		}
	}
	for _, c := range certs {
		if err := tx.Create(&workerCertRow{WorkerID: workerID, Cert: c}).Error; err != nil {
			return err
		}
	}
	return nil
}

// loadWorkers converts rows to domain workers, loading their skills, certificates and station codes in
// three queries however many rows there are.
func loadWorkers(db *gorm.DB, rows []workerRow) ([]domain.Worker, error) {
	if len(rows) == 0 {
		return []domain.Worker{}, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	skills := map[int64][]string{}
	certs := map[int64][]string{}
	for _, chunk := range chunks(ids, 500) {
		var sk []workerSkillRow
		if err := db.Where("worker_id IN ?", chunk).Order("worker_id, skill").Find(&sk).Error; err != nil {
			return nil, err
		}
		for _, r := range sk {
			skills[r.WorkerID] = append(skills[r.WorkerID], r.Skill)
		}
		var cs []workerCertRow
		if err := db.Where("worker_id IN ?", chunk).Order("worker_id, cert").Find(&cs).Error; err != nil {
			return nil, err
		}
		for _, r := range cs {
			certs[r.WorkerID] = append(certs[r.WorkerID], r.Cert)
		}
	}
	codes, err := stationCodes(db)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Worker, len(rows))
	for i, r := range rows {
		out[i] = workerFromRow(r, nonNil(skills[r.ID]), nonNil(certs[r.ID]), codes[r.StationID])
	}
	return out, nil
}

func workerFromRow(r workerRow, skills, certs []string, stationCode string) domain.Worker {
	w := domain.Worker{
		ID: r.ID, No: r.WorkerNo, Phone: r.Phone, Name: r.Name, Gender: r.Gender, BirthYear: r.BirthYear,
		District: r.District, Town: r.Town, Lat: r.Lat, Lng: r.Lng, Skills: skills, Certs: certs,
		SelfDescription: r.SelfDescription, AvailableFrom: domain.Date(r.AvailableFrom), AvailableTo: domain.Date(r.AvailableTo),
		ExpectedWageFen: r.ExpectedWageFen, ExpectedWageUnit: domain.WageUnit(r.ExpectedWageUnit), MaxCommuteKm: r.MaxCommuteKm,
		StationID: r.StationID, StationCode: stationCode, IDNumberMasked: r.IDNumberMasked, Completed: r.Completed,
		NoShows: r.NoShows, PushOptOut: r.PushOptOut, Status: r.Status, CardVersion: r.CardVersion, CityCode: r.CityCode,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.RegisteredByStaffID != nil {
		w.RegisteredBy = *r.RegisteredByStaffID
	}
	return w
}

// WorkerByID returns the worker, or not_found.
func (s *Store) WorkerByID(ctx context.Context, id int64) (domain.Worker, error) {
	return s.workerWhere(ctx, "id = ?", id)
}

// WorkerByPhone returns the worker registered with that (normalised) phone, or not_found.
func (s *Store) WorkerByPhone(ctx context.Context, phone string) (domain.Worker, error) {
	return s.workerWhere(ctx, "phone = ?", phone)
}

// WorkerByNo returns the worker with that printed number, or not_found.
func (s *Store) WorkerByNo(ctx context.Context, no string) (domain.Worker, error) {
	return s.workerWhere(ctx, "worker_no = ?", no)
}

func (s *Store) workerWhere(ctx context.Context, cond string, arg any) (domain.Worker, error) {
	var row workerRow
	db := s.conn(ctx)
	if err := db.Where(cond, arg).Take(&row).Error; err != nil {
		return domain.Worker{}, translate(err, "零工")
	}
	ws, err := loadWorkers(db, []workerRow{row})
	if err != nil {
		return domain.Worker{}, translate(fmt.Errorf("load worker %d: %w", row.ID, err), "零工")
	}
	return ws[0], nil
}

// ActiveWorkers returns every active worker (the matching index is built from it at start).
func (s *Store) ActiveWorkers(ctx context.Context) ([]domain.Worker, error) {
	var out []domain.Worker
	err := scanInBatches(s.conn(ctx), "status = 'active'", func(r workerRow) int64 { return r.ID }, func(db *gorm.DB, batch []workerRow) error {
		ws, err := loadWorkers(db, batch)
		out = append(out, ws...)
		return err
	})
	if err != nil {
		return nil, translate(fmt.Errorf("active workers: %w", err), "零工")
	}
	return out, nil
}

func chunks(ids []int64, n int) [][]int64 {
	var out [][]int64
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}
