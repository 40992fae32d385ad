package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"lingong/domain"
)

// The station desk: walk-in sign-ins (the fair queue of 现场优先 gigs, see domain/desk.go) and the
// console's "today at my station".

// errOnsiteQueue is the conflict of accepting out of the walk-in queue's order.
func errOnsiteQueue(head onsiteHead) error {
	return domain.Conflict(fmt.Sprintf("现场优先：今天到站签到的零工优先录用。请先处理签到第 %d 位的 %s（%s）的报名（录用或婉拒），再录用其他人",
		head.Position, domain.MaskName(head.WorkerName), head.WorkerNo))
}

// SignInWalkin signs a worker in at the station's desk today (Asia/Shanghai), which puts them in the
// day's walk-in queue. Signing in twice on one day keeps the first sign-in and its place (created ==
// false). The caller must be staff of that station or an admin (forbidden otherwise), and the worker
// must be active.
func (s *Store) SignInWalkin(ctx context.Context, stationID, workerID int64, actor domain.Principal, ip string) (domain.WalkinSignin, bool, error) {
	if !actor.CanManageStation(stationID) {
		return domain.WalkinSignin{}, false, domain.Forbidden("只能为本站点签到")
	}
	var created bool
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var w workerRow
		if err := tx.Select("id, status").Where("id = ?", workerID).Take(&w).Error; err != nil {
			return err
		}
		if w.Status != domain.WorkerActive {
			return domain.Conflict("该零工账号已停用")
		}
		var err error
		created, err = s.signIn(tx, stationID, workerID, actor, ip)
		return err
	})
	if err != nil {
		return domain.WalkinSignin{}, false, translate(fmt.Errorf("sign in worker %d at station %d: %w", workerID, stationID, err), "零工")
	}
	si, err := s.WalkinSigninToday(ctx, stationID, workerID)
	return si, created, err
}

// signIn inserts today's sign-in inside tx (a second one the same day does nothing) and audits a new one.
func (s *Store) signIn(tx *gorm.DB, stationID, workerID int64, actor domain.Principal, ip string) (bool, error) {
	now := s.now()
	row := walkinSigninRow{CityCode: domain.CityCode, StationID: stationID, WorkerID: workerID,
		Day: string(domain.DateOf(now)), SignedInAt: now}
	// UNIQUE(station_id, worker_id, day) keeps one sign-in per day, even for two racing clicks.
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return false, res.Error
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	return true, s.appendAudit(tx, Audit{Actor: actor, Action: "walkin.signin", EntityKind: "worker", EntityID: workerID, IP: ip,
		Detail: map[string]any{"station_id": stationID, "day": row.Day}})
}

// WalkinSigninToday returns the worker's sign-in at the station today with its place in the queue, or
// not_found when they have not signed in.
func (s *Store) WalkinSigninToday(ctx context.Context, stationID, workerID int64) (domain.WalkinSignin, error) {
	list, err := s.walkins(ctx, stationID, domain.DateOf(s.now()), workerID)
	if err != nil {
		return domain.WalkinSignin{}, err
	}
	if len(list) == 0 {
		return domain.WalkinSignin{}, domain.NotFound("今天的签到")
	}
	return list[0], nil
}

// Walkins lists the day's sign-ins at a station in sign-in order (stationID 0: every station, each
// numbered within its own station).
func (s *Store) Walkins(ctx context.Context, stationID int64, day domain.Date) ([]domain.WalkinSignin, error) {
	return s.walkins(ctx, stationID, day, 0)
}

func (s *Store) walkins(ctx context.Context, stationID int64, day domain.Date, onlyWorker int64) ([]domain.WalkinSignin, error) {
	type flat struct {
		ID, StationID, WorkerID int64
		Day                     string
		SignedInAt              time.Time
		Position                int
		WorkerNo, WorkerName    string
		Pending, Accepted       int
	}
	// The position is counted over the whole day's queue before any filter on the worker.
	q := `SELECT q.*, w.worker_no AS worker_no, w.name AS worker_name,
			(SELECT count(*) FROM applications a WHERE a.worker_id = q.worker_id AND a.status = 'pending') AS pending,
			(SELECT count(*) FROM applications a WHERE a.worker_id = q.worker_id AND a.status = 'accepted') AS accepted
		FROM (SELECT s.id, s.station_id, s.worker_id, s.day, s.signed_in_at,
				row_number() OVER (PARTITION BY s.station_id ORDER BY s.signed_in_at, s.id) AS position
			FROM walkin_signins s WHERE s.day = ?` + stationCond(stationID, "s.station_id") + `) q
		JOIN workers w ON w.id = q.worker_id`
	args := []any{string(day)}
	if stationID != 0 {
		args = append(args, stationID)
	}
	if onlyWorker != 0 {
		q += " WHERE q.worker_id = ?"
		args = append(args, onlyWorker)
	}
	q += " ORDER BY q.signed_in_at, q.id LIMIT 1000"
	var rows []flat
	if err := s.conn(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, translate(fmt.Errorf("walk-ins of %s: %w", day, err), "签到")
	}
	out := make([]domain.WalkinSignin, len(rows))
	for i, r := range rows {
		out[i] = domain.WalkinSignin{ID: r.ID, StationID: r.StationID, WorkerID: r.WorkerID, Day: domain.Date(r.Day),
			SignedInAt: r.SignedInAt, Position: r.Position, WorkerNo: r.WorkerNo, WorkerName: r.WorkerName,
			Pending: r.Pending, Accepted: r.Accepted}
	}
	return out, nil
}

// stationCond is " AND col = ?" when a station is chosen (the caller appends its id), "" for all.
func stationCond(stationID int64, col string) string {
	if stationID == 0 {
		return ""
	}
	return " AND " + col + " = ?"
}

// onsiteHead is the first walk-in in a 现场优先 gig's queue: the pending application of the worker who
// signed in first today at the gig's station.
type onsiteHead struct {
	ApplicationID int64
	WorkerName    string
	WorkerNo      string
	Position      int
}

// onsiteQueue returns the pending applications (not the offers, which wait for the worker) to the gig of workers signed in today at the gig's
// station, in sign-in order, each with its worker's place in the day's station queue.
func onsiteQueue(db *gorm.DB, job jobRow, day domain.Date) ([]onsiteHead, error) {
	var rows []onsiteHead
	err := db.Raw(`SELECT a.id AS application_id, w.name AS worker_name, w.worker_no AS worker_no, q.position AS position
		FROM applications a
		JOIN (SELECT worker_id, signed_in_at, id, row_number() OVER (ORDER BY signed_in_at, id) AS position
			FROM walkin_signins WHERE station_id = ? AND day = ?) q ON q.worker_id = a.worker_id
		JOIN workers w ON w.id = a.worker_id
		WHERE a.job_id = ? AND a.status = 'pending' AND a.origin <> 'invited'
		ORDER BY q.signed_in_at, q.id`, job.StationID, string(day), job.ID).Scan(&rows).Error
	return rows, err
}

// checkOnsiteOrder enforces the fair queue (domain/desk.go) when an application to a 现场优先 gig is
// accepted: only the head of the day's walk-in queue may be accepted while the queue is not empty.
func checkOnsiteOrder(tx *gorm.DB, job jobRow, appID int64, day domain.Date) error {
	if !job.OnsiteFirst {
		return nil
	}
	queue, err := onsiteQueue(tx, job, day)
	if err != nil {
		return err
	}
	if len(queue) > 0 && queue[0].ApplicationID != appID {
		return errOnsiteQueue(queue[0])
	}
	return nil
}

// OnsiteQueue returns, for a gig, the day's walk-in place of each pending application whose worker
// signed in today at the gig's station (application id -> place in the station's queue), and the
// application that must be decided first when the gig is 现场优先 (0 when none).
func (s *Store) OnsiteQueue(ctx context.Context, jobID int64) (map[int64]int, int64, error) {
	db := s.conn(ctx)
	var job jobRow
	if err := db.Where("id = ?", jobID).Take(&job).Error; err != nil {
		return nil, 0, translate(err, "零工岗位")
	}
	queue, err := onsiteQueue(db, job, domain.DateOf(s.now()))
	if err != nil {
		return nil, 0, translate(fmt.Errorf("onsite queue of job %d: %w", jobID, err), "零工岗位")
	}
	places := make(map[int64]int, len(queue))
	for _, q := range queue {
		places[q.ApplicationID] = q.Position
	}
	var head int64
	if job.OnsiteFirst && len(queue) > 0 {
		head = queue[0].ApplicationID
	}
	return places, head, nil
}

// dayListLimit bounds each list of the today page; the counts beside them are exact.
const dayListLimit = 100

// StationDay gathers "today at my station" for one station (0: every station): the review queue, the
// walk-in queue, today's registrations, gigs starting today, contracts issued today (to print), and the
// counts of open disputes and arrears alerts.
func (s *Store) StationDay(ctx context.Context, stationID int64, day domain.Date) (domain.StationDay, error) {
	d := domain.StationDay{StationID: stationID, Day: day, ListLimit: dayListLimit}
	if err := s.stationDay(ctx, stationID, day, &d); err != nil {
		return domain.StationDay{}, translate(fmt.Errorf("station %d on %s: %w", stationID, day, err), "站点")
	}
	return d, nil
}

func (s *Store) stationDay(ctx context.Context, stationID int64, day domain.Date, d *domain.StationDay) error {
	db := s.conn(ctx)
	from, to := day.Start().UTC(), day.AddDays(1).Start().UTC()
	scoped := func(q *gorm.DB, col string) *gorm.DB {
		if stationID != 0 {
			return q.Where(col+" = ?", stationID)
		}
		return q
	}
	count := func(q *gorm.DB) (int, error) {
		var n int64
		err := q.Count(&n).Error
		return int(n), err
	}
	var err error

	// Review queue: oldest first, so nothing waits at the bottom.
	pending := scoped(db.Model(&jobRow{}).Where("status = ?", domain.JobPendingReview), "station_id")
	if d.ReviewCount, err = count(pending); err != nil {
		return err
	}
	var jobRows []jobRow
	if err := pending.Order("created_at, id").Limit(dayListLimit).Find(&jobRows).Error; err != nil {
		return err
	}
	if d.ReviewQueue, err = loadJobs(db, jobRows); err != nil {
		return err
	}

	if d.Walkins, err = s.walkins(ctx, stationID, day, 0); err != nil {
		return err
	}

	regs := scoped(db.Model(&workerRow{}).Where("created_at >= ? AND created_at < ?", from, to), "station_id")
	if d.NewWorkerCount, err = count(regs); err != nil {
		return err
	}
	var workerRows []workerRow
	if err := regs.Order("created_at DESC, id DESC").Limit(dayListLimit).Find(&workerRows).Error; err != nil {
		return err
	}
	if d.NewWorkers, err = loadWorkers(db, workerRows); err != nil {
		return err
	}

	starting := scoped(db.Model(&jobRow{}).Where("start_date = ? AND status IN ?", string(day),
		[]string{string(domain.JobOpen), string(domain.JobFilled)}), "station_id")
	if d.StartingTodayCount, err = count(starting); err != nil {
		return err
	}
	jobRows = nil
	if err := starting.Order("id").Limit(dayListLimit).Find(&jobRows).Error; err != nil {
		return err
	}
	if d.StartingToday, err = loadJobs(db, jobRows); err != nil {
		return err
	}

	if d.ContractCount, err = count(scoped(db.Model(&contractRow{}).Where("created_at >= ? AND created_at < ?", from, to), "station_id")); err != nil {
		return err
	}
	if d.Contracts, err = s.contractLines(db, stationID, "c.created_at >= ? AND c.created_at < ?", from, to); err != nil {
		return err
	}
	if d.UnsignedCount, err = count(scoped(db.Model(&contractRow{}).Where("status = ?", domain.ContractDraft), "station_id")); err != nil {
		return err
	}

	var disputes int64
	if err := db.Raw(`SELECT count(*) FROM ledger_responses r JOIN ledger_entries e ON e.id = r.entry_id
		JOIN contracts c ON c.id = e.contract_id WHERE r.response = 'dispute' AND r.resolved_at IS NULL`+stationCond(stationID, "c.station_id"),
		stationArgs(stationID)...).Scan(&disputes).Error; err != nil {
		return err
	}
	d.OpenDisputes = int(disputes)
	var arrears struct {
		N   int64
		Fen int64
	}
	if err := db.Raw(`SELECT count(*) AS n, COALESCE(sum(amount_fen), 0) AS fen FROM arrears_alerts WHERE cleared_at IS NULL`+
		stationCond(stationID, "station_id"), stationArgs(stationID)...).Scan(&arrears).Error; err != nil {
		return err
	}
	d.OpenArrears, d.ArrearsFen = int(arrears.N), arrears.Fen
	var reports int64
	if err := db.Raw(`SELECT (SELECT count(*) FROM offer_reports WHERE handled_at IS NULL`+stationCond(stationID, "station_id")+`)
		+ (SELECT count(*) FROM id_conflicts WHERE resolved_at IS NULL`+stationCond(stationID, "station_id")+`)`,
		append(stationArgs(stationID), stationArgs(stationID)...)...).Scan(&reports).Error; err != nil {
		return err
	}
	d.OpenReports = int(reports)
	return nil
}

func stationArgs(stationID int64) []any {
	if stationID == 0 {
		return nil
	}
	return []any{stationID}
}

// contractLines lists contracts matching cond (on alias c) at the station (0: all), newest first, with
// the gig, the parties' names and which signatures are in.
func (s *Store) contractLines(db *gorm.DB, stationID int64, cond string, args ...any) ([]domain.ContractLine, error) {
	type flat struct {
		ID                           int64
		Number, Status               string
		JobID                        int64
		JobTitle                     string
		WorkerID                     int64
		WorkerName, WorkerNo         string
		EmployerName                 string
		WorkerSigned, EmployerSigned int
		CreatedAt                    time.Time
	}
	q := `SELECT c.id, c.number, c.status, c.job_id, j.title AS job_title, c.worker_id, w.name AS worker_name,
			w.worker_no AS worker_no, e.name AS employer_name,
			(SELECT count(*) FROM contract_signatures s WHERE s.contract_id = c.id AND s.role = 'worker') AS worker_signed,
			(SELECT count(*) FROM contract_signatures s WHERE s.contract_id = c.id AND s.role = 'employer') AS employer_signed,
			c.created_at
		FROM contracts c JOIN jobs j ON j.id = c.job_id JOIN workers w ON w.id = c.worker_id JOIN employers e ON e.id = c.employer_id
		WHERE ` + cond + stationCond(stationID, "c.station_id") + ` ORDER BY c.id DESC LIMIT ?`
	args = append(args, stationArgs(stationID)...)
	args = append(args, dayListLimit)
	var rows []flat
	if err := db.Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]domain.ContractLine, len(rows))
	for i, r := range rows {
		out[i] = domain.ContractLine{ID: r.ID, Number: r.Number, Status: domain.ContractStatus(r.Status), JobID: r.JobID,
			JobTitle: r.JobTitle, WorkerID: r.WorkerID, WorkerName: r.WorkerName, WorkerNo: r.WorkerNo, EmployerName: r.EmployerName,
			WorkerSigned: r.WorkerSigned > 0, EmployerSigned: r.EmployerSigned > 0, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// ContractsOfJob lists a gig's contracts (every version), newest first, as the gig's console page
// shows them.
func (s *Store) ContractsOfJob(ctx context.Context, jobID int64) ([]domain.ContractLine, error) {
	list, err := s.contractLines(s.conn(ctx), 0, "c.job_id = ?", jobID)
	if err != nil {
		return nil, translate(fmt.Errorf("contracts of job %d: %w", jobID, err), "合约")
	}
	return list, nil
}

// ContractsOfWorker lists a worker's contracts, newest first.
func (s *Store) ContractsOfWorker(ctx context.Context, workerID int64) ([]domain.ContractLine, error) {
	list, err := s.contractLines(s.conn(ctx), 0, "c.worker_id = ?", workerID)
	if err != nil {
		return nil, translate(fmt.Errorf("contracts of worker %d: %w", workerID, err), "合约")
	}
	return list, nil
}

// Employers lists employers, newest first: those of one station (StationID), matching a name or
// contact phone (Q, a substring), at most Limit (default 100).
func (s *Store) Employers(ctx context.Context, f domain.EmployerFilter) ([]domain.Employer, error) {
	q := s.employerQuery(ctx, f)
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	var rows []employerRow
	if err := q.Order("id DESC").Offset(max(f.Offset, 0)).Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, translate(fmt.Errorf("list employers: %w", err), "用工单位")
	}
	codes, err := stationCodes(s.conn(ctx))
	if err != nil {
		return nil, translate(err, "站点")
	}
	out := make([]domain.Employer, len(rows))
	for i, r := range rows {
		out[i] = employerFromRow(r, codes[r.StationID])
	}
	return out, nil
}

// employerQuery selects the employers f names (Employers and EmployerCount share it).
func (s *Store) employerQuery(ctx context.Context, f domain.EmployerFilter) *gorm.DB {
	q := s.conn(ctx).Model(&employerRow{})
	if f.StationID != 0 {
		q = q.Where("station_id = ?", f.StationID)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", string(f.Kind))
	}
	if f.Q != "" {
		like := "%" + escapeLike(f.Q) + "%"
		q = q.Where(`(name LIKE ? ESCAPE '\' OR contact_phone LIKE ? ESCAPE '\' OR credit_code LIKE ? ESCAPE '\')`, like, like, like)
	}
	return q
}

// escapeLike escapes the LIKE wildcards of a search text (with \ as the escape character).
func escapeLike(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '%' || r == '_' || r == '\\' {
			out = append(out, '\\')
		}
		out = append(out, r)
	}
	return string(out)
}
