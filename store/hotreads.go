package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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
// the rest of the request (issue 24). The session is read from the database on every request, so a
// logout, a block or a profile edit made by any process sharing it is honoured by the next request that
// reaches any process (TestSessionRevocationsReachTheOtherServer). A worker's session comes with the
// worker's version number (migration 00210), and the worker read for their matches is kept in memory by
// that number (workerCache): a matches request is one round trip when the worker has not changed.

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

// sessionSQL: one round trip for the session and, for a worker's, the worker's status and version.
const sessionSQL = `SELECT s.id, s.subject_kind, s.subject_id, s.expires_at, s.revoked_at, w.status, COALESCE(v.version, 0)
	FROM sessions s LEFT JOIN workers w ON s.subject_kind = 'worker' AND w.id = s.subject_id
	LEFT JOIN worker_versions v ON s.subject_kind = 'worker' AND v.worker_id = s.subject_id
	WHERE s.token_hash = ? LIMIT 1`

func (s *Store) authenticateSession(ctx context.Context, token string) (domain.Principal, error) {
	var (
		id, subjectID int64
		kind          string
		expiresAt     time.Time
		revokedAt     sql.NullTime
		workerStatus  sql.NullString
		version       int64
	)
	err := s.pool(ctx).QueryRowContext(ctx, s.query(sessionQuery, sessionSQL), HashSecret(token)).
		Scan(&id, &kind, &subjectID, &expiresAt, &revokedAt, &workerStatus, &version)
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
		p.WorkerVersion = version + 1 // 0 means "not read"
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

// matchesSQL reads a worker for their matches in one round trip: the row, the station's code, the
// version, and one joined row per skill ('s'), certificate ('c') and gig with a live (pending or
// accepted) application ('a'). Tags come in the database's order, as loadOneWorker gives them. One
// statement sees one snapshot, so the version is the one of what it read.
const matchesSQL = `SELECT ` + prefixedWorkerColumns + `, st.code, COALESCE(v.version, 0), t.kind, t.value
	FROM workers w
	LEFT JOIN stations st ON st.id = w.station_id
	LEFT JOIN worker_versions v ON v.worker_id = w.id
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
// database. version is the worker's version as their session read it (domain.Principal.WorkerVersion),
// 0 when unknown: with a known version the answer comes from memory when this process read the worker
// at that version before, with no round trip. The map and the worker's slices may be shared with other
// requests: read only.
func (s *Store) WorkerWithLiveApplications(ctx context.Context, id, version int64) (domain.Worker, map[int64]bool, error) {
	_, inTx := ctx.Value(txKey{}).(*gorm.DB)
	if version > 0 && !inTx {
		if w, applied, ok := s.workers.get(id, version); ok {
			return w, applied, nil
		}
	}
	w, applied, read, err := s.workerWithLiveApplications(ctx, id)
	if err == nil && !inTx {
		s.workers.put(id, read, w, applied)
	}
	return w, applied, err
}

// workerWithLiveApplications reads WorkerWithLiveApplications's answer from the database, with the
// version it is at (as Principal.WorkerVersion counts: 1 + the stored number).
func (s *Store) workerWithLiveApplications(ctx context.Context, id int64) (domain.Worker, map[int64]bool, int64, error) {
	rows, err := s.pool(ctx).QueryContext(ctx, s.query(matchesQuery, matchesSQL), id, id, id, id)
	if err != nil {
		return domain.Worker{}, nil, 0, translate(fmt.Errorf("worker %d for matches: %w", id, err), "零工")
	}
	defer rows.Close()
	var (
		r             workerRow
		code          sql.NullString
		kind, value   sql.NullString
		version       int64
		found         bool
		skills, certs = []string{}, []string{}
		applied       = map[int64]bool{}
	)
	dest := append(r.scanDest(), &code, &version, &kind, &value)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return domain.Worker{}, nil, 0, translate(fmt.Errorf("worker %d for matches: %w", id, err), "零工")
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
				return domain.Worker{}, nil, 0, domain.Internal(fmt.Errorf("worker %d: application job id %q", id, value.String))
			}
			applied[jobID] = true
		}
	}
	if err := rows.Err(); err != nil {
		return domain.Worker{}, nil, 0, translate(fmt.Errorf("worker %d for matches: %w", id, err), "零工")
	}
	if !found {
		return domain.Worker{}, nil, 0, domain.NotFound("零工")
	}
	return workerFromRow(r, slices.Clip(skills), slices.Clip(certs), code.String), applied, version + 1, nil
}
