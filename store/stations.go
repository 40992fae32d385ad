package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"lingong/domain"
)

// Stations returns all stations, markets first, then by code.
func (s *Store) Stations(ctx context.Context) ([]domain.Station, error) {
	var rows []stationRow
	if err := s.conn(ctx).Order("kind, code").Find(&rows).Error; err != nil {
		return nil, translate(fmt.Errorf("list stations: %w", err), "站点")
	}
	out := make([]domain.Station, len(rows))
	for i, r := range rows {
		out[i] = stationFromRow(r)
	}
	return out, nil
}

// StationByCode returns the station with that code, or not_found.
func (s *Store) StationByCode(ctx context.Context, code string) (domain.Station, error) {
	var row stationRow
	if err := s.conn(ctx).Where("code = ?", code).Take(&row).Error; err != nil {
		return domain.Station{}, translate(err, "站点")
	}
	return stationFromRow(row), nil
}

// StationByID returns the station with that id, or not_found.
func (s *Store) StationByID(ctx context.Context, id int64) (domain.Station, error) {
	var row stationRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return domain.Station{}, translate(err, "站点")
	}
	return stationFromRow(row), nil
}

func stationFromRow(r stationRow) domain.Station {
	return domain.Station{ID: r.ID, Code: r.Code, Kind: domain.StationKind(r.Kind), Name: r.Name, District: r.District,
		Town: r.Town, Address: r.Address, Lat: r.Lat, Lng: r.Lng, Phone: r.Phone, CityCode: r.CityCode,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// stationCodes maps station ids to codes. Stations are few (25), so one query is cheap.
func stationCodes(db *gorm.DB) (map[int64]string, error) {
	var rows []stationRow
	if err := db.Select("id, code").Find(&rows).Error; err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(rows))
	for _, r := range rows {
		m[r.ID] = r.Code
	}
	return m, nil
}

// scanInBatches reads every row of T matching cond in id order, 1,000 at a time (keyset pagination, so
// a large table never sits in one result set), and hands each batch to fn. id extracts a row's key.
func scanInBatches[T any](db *gorm.DB, cond string, id func(T) int64, fn func(db *gorm.DB, batch []T) error) error {
	var lastID int64
	for {
		var batch []T
		if err := db.Where(cond).Where("id > ?", lastID).Order("id").Limit(1000).Find(&batch).Error; err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		if err := fn(db, batch); err != nil {
			return err
		}
		if len(batch) < 1000 {
			return nil
		}
		lastID = id(batch[len(batch)-1])
	}
}
