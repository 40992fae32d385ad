package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"lingong/domain"
	"lingong/migrations"
)

// The matching index is built at start from every open gig and every active worker (100k and 200k in
// a large city). Reading them through gorm, a thousand rows at a time with their tags and the station
// codes queried again for every batch, cost most of the start-up: gorm's reflection per column and
// thousands of round trips. The loaders here read each table with one query in id order (through
// database/sql on SQLite, pgx on PostgreSQL: see rowReader) into the same row structs (so the gigs and workers are exactly what the gorm readers
// build: TestIndexLoadersAgreeWithTheSingleRowReaders), the tags first, then the rows streamed and
// merged with them.

const jobColumns = `id, city_code, employer_id, station_id, title, description, headcount, filled, wage_fen,
	wage_unit, piece_unit, expected_hours, settlement, district, town, address, lat, lng, start_date, end_date,
	shifts, daily_hours, contact, onsite_first, wage_floor_pay_fen, wage_floor_fen, wage_floor_per, status,
	reject_reason, reviewed_by, reviewed_at, approved_at, created_at, updated_at`

func (r *jobRow) scanDest() []any {
	return []any{&r.ID, &r.CityCode, &r.EmployerID, &r.StationID, &r.Title, &r.Description, &r.Headcount,
		&r.Filled, &r.WageFen, &r.WageUnit, &r.PieceUnit, &r.ExpectedHours, &r.Settlement, &r.District, &r.Town,
		&r.Address, &r.Lat, &r.Lng, &r.StartDate, &r.EndDate, &r.Shifts, &r.DailyHours, &r.Contact,
		&r.OnsiteFirst, &r.WageFloorPayFen, &r.WageFloorFen, &r.WageFloorPer, &r.Status, &r.RejectReason,
		&r.ReviewedBy, &r.ReviewedAt, &r.ApprovedAt, &r.CreatedAt, &r.UpdatedAt}
}

const workerColumns = `id, city_code, worker_no, phone, name, gender, birth_year, district, town, village, lat,
	lng, located, self_description, available_from, available_to, expected_wage_fen, expected_wage_unit,
	max_commute_km, station_id, registered_by_staff_id, id_number_masked, id_verified_at, completed, no_shows,
	push_opt_out, status, card_version, created_at, updated_at`

func (r *workerRow) scanDest() []any {
	return []any{&r.ID, &r.CityCode, &r.WorkerNo, &r.Phone, &r.Name, &r.Gender, &r.BirthYear, &r.District,
		&r.Town, &r.Village, &r.Lat, &r.Lng, &r.Located, &r.SelfDescription, &r.AvailableFrom, &r.AvailableTo,
		&r.ExpectedWageFen, &r.ExpectedWageUnit, &r.MaxCommuteKm, &r.StationID, &r.RegisteredByStaffID,
		&r.IDNumberMasked, &r.IDVerifiedAt, &r.Completed, &r.NoShows, &r.PushOptOut, &r.Status, &r.CardVersion,
		&r.CreatedAt, &r.UpdatedAt}
}

// OpenJobs returns every gig in the library (status open) in id order; the matching index is built
// from it at start.
func (s *Store) OpenJobs(ctx context.Context) ([]domain.Job, error) {
	out, err := s.openJobs(ctx)
	if err != nil {
		return nil, translate(fmt.Errorf("open jobs: %w", err), "零工岗位")
	}
	return out, nil
}

// ActiveWorkers returns every active worker in id order (the matching index is built from it at start).
func (s *Store) ActiveWorkers(ctx context.Context) ([]domain.Worker, error) {
	out, err := s.activeWorkers(ctx)
	if err != nil {
		return nil, translate(fmt.Errorf("active workers: %w", err), "零工")
	}
	return out, nil
}

func (s *Store) openJobs(ctx context.Context) ([]domain.Job, error) {
	rr, err := s.newRowReader(ctx)
	if err != nil {
		return nil, err
	}
	defer rr.close()
	const open = `FROM jobs j WHERE j.status = 'open'`
	skills, err := rr.tags(ctx, `SELECT t.job_id, t.skill FROM job_skills t JOIN jobs j ON j.id = t.job_id WHERE j.status = 'open' ORDER BY t.job_id, t.skill`)
	if err != nil {
		return nil, err
	}
	certs, err := rr.tags(ctx, `SELECT t.job_id, t.cert FROM job_certs t JOIN jobs j ON j.id = t.job_id WHERE j.status = 'open' ORDER BY t.job_id, t.cert`)
	if err != nil {
		return nil, err
	}
	codes, err := rr.stationCodeMap(ctx)
	if err != nil {
		return nil, err
	}
	employers := map[int64]employerRow{}
	err = rr.each(ctx, `SELECT id, name, verified FROM employers WHERE id IN (SELECT j.employer_id `+open+`)`,
		func(rows rowScanner) error {
			var e employerRow
			if err := rows.Scan(&e.ID, &e.Name, &e.Verified); err != nil {
				return err
			}
			employers[e.ID] = e
			return nil
		})
	if err != nil {
		return nil, err
	}
	out, err := presized[domain.Job](ctx, rr, `SELECT count(*) `+open)
	if err != nil {
		return nil, err
	}
	err = rr.each(ctx, `SELECT `+jobColumns+` `+open+` ORDER BY j.id`, func(rows rowScanner) error {
		var r jobRow
		if err := rows.Scan(r.scanDest()...); err != nil {
			return err
		}
		j := jobFromRow(r)
		j.Skills, j.RequiredCerts = skills.of(r.ID), certs.of(r.ID)
		j.StationCode = codes[r.StationID]
		j.EmployerName, j.EmployerVerified = employers[r.EmployerID].Name, employers[r.EmployerID].Verified
		out = append(out, j)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return nonNilSlice(out), nil
}

func (s *Store) activeWorkers(ctx context.Context) ([]domain.Worker, error) {
	rr, err := s.newRowReader(ctx)
	if err != nil {
		return nil, err
	}
	defer rr.close()
	skills, err := rr.tags(ctx, `SELECT t.worker_id, t.skill FROM worker_skills t JOIN workers w ON w.id = t.worker_id WHERE w.status = 'active' ORDER BY t.worker_id, t.skill`)
	if err != nil {
		return nil, err
	}
	certs, err := rr.tags(ctx, `SELECT t.worker_id, t.cert FROM worker_certs t JOIN workers w ON w.id = t.worker_id WHERE w.status = 'active' ORDER BY t.worker_id, t.cert`)
	if err != nil {
		return nil, err
	}
	codes, err := rr.stationCodeMap(ctx)
	if err != nil {
		return nil, err
	}
	out, err := presized[domain.Worker](ctx, rr, `SELECT count(*) FROM workers WHERE status = 'active'`)
	if err != nil {
		return nil, err
	}
	err = rr.each(ctx, `SELECT `+workerColumns+` FROM workers WHERE status = 'active' ORDER BY id`, func(rows rowScanner) error {
		var r workerRow
		if err := rows.Scan(r.scanDest()...); err != nil {
			return err
		}
		out = append(out, workerFromRow(r, skills.of(r.ID), certs.of(r.ID), codes[r.StationID]))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return nonNilSlice(out), nil
}

// rowScanner is one row of a result: *sql.Rows on SQLite, pgx's rows on PostgreSQL.
type rowScanner interface{ Scan(dest ...any) error }

// rowReader runs one loader's queries. On PostgreSQL it holds a connection of its own, outside the
// pool, and reads through pgx itself (issue 24): reading was a fifth of the start's CPU for its 300,000
// rows, much of it database/sql boxing every column in an interface and converting it again at Scan,
// where pgx scans its binary columns straight into the row structs' fields, to the same values
// (TestIndexLoadersAgreeWithTheSingleRowReaders); and with connections of their own the loaders never
// wait for WarmPool, which a start runs at the same time.
type rowReader struct {
	s    *Store
	conn *pgx.Conn // PostgreSQL only
}

func (s *Store) newRowReader(ctx context.Context) (*rowReader, error) {
	rr := &rowReader{s: s}
	if s.dialect != migrations.Postgres {
		return rr, nil
	}
	cfg, err := pgx.ParseConfig(s.dsn)
	if err != nil {
		return nil, err
	}
	cfg.RuntimeParams["application_name"] = "lingong-index-load"
	if rr.conn, err = pgx.ConnectConfig(ctx, cfg); err != nil {
		return nil, err
	}
	return rr, nil
}

func (rr *rowReader) close() {
	if rr.conn != nil {
		rr.conn.Close(context.Background())
	}
}

// each runs query and calls fn on each row.
func (rr *rowReader) each(ctx context.Context, query string, fn func(rowScanner) error) error {
	if rr.conn != nil {
		rows, err := rr.conn.Query(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	rows, err := rr.s.sqlDB.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (rr *rowReader) stationCodeMap(ctx context.Context) (map[int64]string, error) {
	codes := map[int64]string{}
	err := rr.each(ctx, `SELECT id, code FROM stations`, func(rows rowScanner) error {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return err
		}
		codes[id] = code
		return nil
	})
	return codes, err
}

// tagList holds (owner id, tag) pairs in owner order, each owner's tags in the database's order; of
// hands them out to owners asked for in increasing id order.
type tagList struct {
	ids  []int64
	tags []string
	next int
}

func (rr *rowReader) tags(ctx context.Context, query string) (*tagList, error) {
	var l tagList
	err := rr.each(ctx, query, func(rows rowScanner) error {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return err
		}
		l.ids, l.tags = append(l.ids, id), append(l.tags, tag)
		return nil
	})
	return &l, err
}

// of returns the tags of owner id (never nil), skipping those of smaller ids (owners that left the
// set between the two queries); successive calls must ask for increasing ids.
func (l *tagList) of(id int64) []string {
	for l.next < len(l.ids) && l.ids[l.next] < id {
		l.next++
	}
	start := l.next
	for l.next < len(l.ids) && l.ids[l.next] == id {
		l.next++
	}
	if start == l.next {
		return []string{}
	}
	return l.tags[start:l.next:l.next]
}

// presized returns an empty slice with room for the rows that countQuery counts, on PostgreSQL:
// appending 200,000 workers to a slice that grows as it goes copied them about twice over (issue 24).
// Rows added after the count only make append grow it once more. On SQLite it returns nil (the slice
// grows as before): there the heap in use after the start came out higher with it.
func presized[T any](ctx context.Context, rr *rowReader, countQuery string) ([]T, error) {
	if rr.conn == nil {
		return nil, nil
	}
	var n int64
	err := rr.each(ctx, countQuery, func(rows rowScanner) error { return rows.Scan(&n) })
	return make([]T, 0, n), err
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
