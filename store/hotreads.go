package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
	"lingong/migrations"
)

// The reads every worker's phone makes on each request (the session behind its token; the worker, their
// tags and their live applications for GET /api/v1/workers/me/matches) go through database/sql with one
// statement each, not gorm: under load gorm's statement building and reflection cost about as much CPU as
// the rest of the request (issue 24). Nothing here is cached: every request reads the database, so a
// logout, a block or a profile edit made by any process sharing it is honoured by the next request that
// reaches any process (TestRevocationsReachEveryProcess).

// pool is the handle for a hot read: the context's transaction when there is one (as conn), else the
// pool itself.
func (s *Store) pool(ctx context.Context) gorm.ConnPool {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx.Statement.ConnPool
	}
	return s.sqlDB
}

// bind rewrites the ? placeholders of a hot read for the dialect ($1, $2, … on PostgreSQL). The queries
// here hold no ? inside string literals.
func (s *Store) bind(query string) string {
	if s.dialect != migrations.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var (
	queryMu      sync.RWMutex
	sessionQuery = map[bool]string{}
	matchesQuery = map[bool]string{}
)

// sessionSQL: one round trip for the session and, for a worker's, the worker's status.
const sessionSQL = `SELECT s.id, s.subject_kind, s.subject_id, s.expires_at, s.revoked_at, w.status
	FROM sessions s LEFT JOIN workers w ON s.subject_kind = 'worker' AND w.id = s.subject_id
	WHERE s.token_hash = ? LIMIT 1`

func (s *Store) authenticateSession(ctx context.Context, token string) (domain.Principal, error) {
	var (
		id, subjectID int64
		kind          string
		expiresAt     time.Time
		revokedAt     sql.NullTime
		workerStatus  sql.NullString
	)
	err := s.pool(ctx).QueryRowContext(ctx, s.query(sessionQuery, sessionSQL), HashSecret(token)).
		Scan(&id, &kind, &subjectID, &expiresAt, &revokedAt, &workerStatus)
	if err != nil {
		if err == sql.ErrNoRows {
			return domain.Principal{}, domain.Unauthorized("登录凭证无效，请重新登录")
		}
		return domain.Principal{}, translate(err, "会话")
	}
	if revokedAt.Valid || !expiresAt.After(s.now()) {
		return domain.Principal{}, domain.Unauthorized("登录已过期，请重新登录")
	}
	p := domain.Principal{ID: subjectID, CredentialID: id, SessionID: id}
	switch kind {
	case "worker":
		if !workerStatus.Valid || workerStatus.String != string(domain.WorkerActive) {
			return domain.Principal{}, domain.Unauthorized("账号不可用，请联系零工驿站")
		}
		p.Kind = domain.AsWorker
	case "staff":
		var st staffRow
		if err := s.conn(ctx).Where("id = ?", subjectID).Take(&st).Error; err != nil || st.Disabled {
			return domain.Principal{}, domain.Unauthorized("账号不可用")
		}
		p.Kind = domain.AsStaff
		p.MustChangePassword = st.MustChangePassword
		if st.Role == string(domain.RoleAdmin) {
			p.Kind = domain.AsAdmin
		}
		if st.StationID != nil {
			p.StationID = *st.StationID
		}
	}
	return p, nil
}

// query returns sql bound for the dialect, computed once per process (the two dialects never mix in
// one store, but the cache is keyed by dialect all the same).
func (s *Store) query(cache map[bool]string, sql string) string {
	pg := s.dialect == migrations.Postgres
	queryMu.RLock()
	q, ok := cache[pg]
	queryMu.RUnlock()
	if ok {
		return q
	}
	q = s.bind(sql)
	queryMu.Lock()
	cache[pg] = q
	queryMu.Unlock()
	return q
}

// matchesSQL reads a worker for their matches in one round trip: the row, the station's code, and one
// joined row per skill ('s'), certificate ('c') and gig with a live (pending or accepted) application
// ('a'). Tags come in the database's order, as loadOneWorker gives them.
const matchesSQL = `SELECT ` + prefixedWorkerColumns + `, st.code, t.kind, t.value
	FROM workers w
	LEFT JOIN stations st ON st.id = w.station_id
	LEFT JOIN (
		SELECT 's' AS kind, skill AS value FROM worker_skills WHERE worker_id = ?
		UNION ALL SELECT 'c', cert FROM worker_certs WHERE worker_id = ?
		UNION ALL SELECT 'a', CAST(job_id AS TEXT) FROM applications WHERE worker_id = ? AND status IN ('pending', 'accepted')
	) t ON 1 = 1
	WHERE w.id = ?
	ORDER BY t.kind, t.value`

const prefixedWorkerColumns = `w.id, w.city_code, w.worker_no, w.phone, w.name, w.gender, w.birth_year, w.district,
	w.town, w.village, w.lat, w.lng, w.located, w.self_description, w.available_from, w.available_to,
	w.expected_wage_fen, w.expected_wage_unit, w.max_commute_km, w.station_id, w.registered_by_staff_id,
	w.id_number_masked, w.id_verified_at, w.completed, w.no_shows, w.push_opt_out, w.status, w.card_version,
	w.created_at, w.updated_at`

// WorkerWithLiveApplications returns the worker (as WorkerByID does) and the gigs they have a pending or
// accepted application for, in one round trip: what GET /api/v1/workers/me/matches needs from the
// database.
func (s *Store) WorkerWithLiveApplications(ctx context.Context, id int64) (domain.Worker, map[int64]bool, error) {
	rows, err := s.pool(ctx).QueryContext(ctx, s.query(matchesQuery, matchesSQL), id, id, id, id)
	if err != nil {
		return domain.Worker{}, nil, translate(fmt.Errorf("worker %d for matches: %w", id, err), "零工")
	}
	defer rows.Close()
	var (
		r             workerRow
		code          sql.NullString
		kind, value   sql.NullString
		found         bool
		skills, certs = []string{}, []string{}
		applied       = map[int64]bool{}
	)
	dest := append(r.scanDest(), &code, &kind, &value)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return domain.Worker{}, nil, translate(fmt.Errorf("worker %d for matches: %w", id, err), "零工")
		}
		found = true
		switch kind.String {
		case "s":
			skills = append(skills, value.String)
		case "c":
			certs = append(certs, value.String)
		case "a":
			jobID, err := strconv.ParseInt(value.String, 10, 64)
			if err != nil {
				return domain.Worker{}, nil, domain.Internal(fmt.Errorf("worker %d: application job id %q", id, value.String))
			}
			applied[jobID] = true
		}
	}
	if err := rows.Err(); err != nil {
		return domain.Worker{}, nil, translate(fmt.Errorf("worker %d for matches: %w", id, err), "零工")
	}
	if !found {
		return domain.Worker{}, nil, domain.NotFound("零工")
	}
	return workerFromRow(r, skills, certs, code.String), applied, nil
}
