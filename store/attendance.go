package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// Attendance events (issue 21): append-only check-ins and check-outs, at most one of each per
// contract-day (UNIQUE in the schema), chained per contract with a keyed hash and anchored in the audit
// chain like ledger lines (see evidence.go).

type attendanceRow struct {
	ID             int64 `gorm:"primaryKey"`
	CityCode       string
	ContractID     int64
	JobID          int64
	WorkerID       int64
	WorkDate       string
	Kind           string
	At             time.Time
	DeviceAt       *time.Time
	Offline        bool
	DistanceM      *int64
	Far            bool
	Source         string
	RecordedByKind string
	RecordedByID   int64
	LedgerEntryID  *int64
	PrevHash       string
	LineHash       string
	CreatedAt      time.Time
}

func (attendanceRow) TableName() string { return "attendance_events" }

func attendanceFromRow(r attendanceRow) domain.AttendanceEvent {
	e := domain.AttendanceEvent{ID: r.ID, ContractID: r.ContractID, JobID: r.JobID, WorkerID: r.WorkerID,
		WorkDate: domain.Date(r.WorkDate), Kind: domain.AttendanceKind(r.Kind), At: r.At.UTC(), DeviceAt: utcPtr(r.DeviceAt),
		Offline: r.Offline, DistanceM: r.DistanceM, Far: r.Far, Source: domain.AttendanceSource(r.Source),
		RecordedBy: fmt.Sprintf("%s:%d", r.RecordedByKind, r.RecordedByID), CreatedAt: r.CreatedAt.UTC()}
	if r.LedgerEntryID != nil {
		e.LedgerEntryID = *r.LedgerEntryID
	}
	return e
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// attendanceMAC is the keyed hash of an event: every column, and the hash of the contract's previous event.
func (s *Store) attendanceMAC(r attendanceRow) string {
	device, dist, entry := "", "", ""
	if r.LedgerEntryID != nil {
		entry = strconv.FormatInt(*r.LedgerEntryID, 10)
	}
	if r.DeviceAt != nil {
		device = domain.Micros(*r.DeviceAt)
	}
	if r.DistanceM != nil {
		dist = strconv.FormatInt(*r.DistanceM, 10)
	}
	return domain.ChainMAC(s.evidenceKey, "attendance", r.PrevHash, r.CityCode, strconv.FormatInt(r.ContractID, 10),
		strconv.FormatInt(r.JobID, 10), strconv.FormatInt(r.WorkerID, 10), r.WorkDate, r.Kind, domain.Micros(r.At), device,
		strconv.FormatBool(r.Offline), dist, strconv.FormatBool(r.Far), r.Source, r.RecordedByKind,
		strconv.FormatInt(r.RecordedByID, 10), entry, domain.Micros(r.CreatedAt))
}

// authorizeAttendance says whether actor may record an event of the given source on contract c: the
// worker themself, the contract's employer (recorder or own clock), staff of the contract's station.
func authorizeAttendance(actor domain.Principal, source domain.AttendanceSource, c contractRow) error {
	switch {
	case source == domain.ByWorker && actor.Kind == domain.AsWorker && actor.ID == c.WorkerID:
		return nil
	case (source == domain.ByRecorder || source == domain.ByEmployerClock) && actor.Kind == domain.AsEmployer && actor.ID == c.EmployerID:
		return nil
	case source == domain.ByStaff && actor.IsStaff():
		if actor.CanManageStation(c.StationID) {
			return nil
		}
		return domain.Forbidden("只能为本站点签发的合约记考勤")
	}
	return domain.NotFound("合约")
}

// RecordAttendance appends a check-in or check-out (ev: contract, kind, source, work date, times,
// distance and flags, decided by the use case) for actor. It returns the event and whether it was
// created: a second check-in (or check-out) of the same contract-day returns the first one unchanged,
// so double taps and retries land once. Refusals change nothing: a contract that is not the actor's
// (not_found), not active, or not running on that date (conflict), a check-out without a check-in or
// before it (conflict).
func (s *Store) RecordAttendance(ctx context.Context, ev domain.AttendanceEvent, actor domain.Principal, ip string) (domain.AttendanceEvent, bool, error) {
	var out domain.AttendanceEvent
	created := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var c contractRow
		if err := tx.Where("id = ?", ev.ContractID).Take(&c).Error; err != nil {
			return err
		}
		if err := authorizeAttendance(actor, ev.Source, c); err != nil {
			return err
		}
		if err := s.lockRow(tx, "contracts", c.ID); err != nil {
			return err
		}
		if err := s.usableContract(tx, c); err != nil {
			return err
		}
		if c.Status != string(domain.ContractActive) {
			return domain.Conflict("这份合约不在履行中（" + domain.ContractStatus(c.Status).Label() + "），不能签到签退")
		}
		if string(ev.WorkDate) < c.StartDate || (c.EndDate != "" && string(ev.WorkDate) > c.EndDate) {
			return domain.Conflict(fmt.Sprintf("%s 不在合约期限（%s 至 %s）内，不能签到签退", ev.WorkDate, c.StartDate, c.EndDate))
		}
		var signed int64
		if err := tx.Model(&signatureRow{}).Where("contract_id = ? AND terms_hash = ?", c.ID, c.TermsHash).Count(&signed).Error; err != nil {
			return err
		}
		if signed < 2 {
			return domain.Conflict("合约显示已生效，但缺少一方的签署：记录可能被人改动，已停止使用，请联系签发站点核查")
		}
		var day []attendanceRow
		if err := tx.Where("contract_id = ? AND work_date = ?", c.ID, string(ev.WorkDate)).Find(&day).Error; err != nil {
			return err
		}
		var in *attendanceRow
		for i := range day {
			if day[i].Kind == string(ev.Kind) {
				out = attendanceFromRow(day[i])
				return nil // already recorded: the same answer again
			}
			if day[i].Kind == string(domain.CheckIn) {
				in = &day[i]
			}
		}
		if ev.Kind == domain.CheckOut {
			if in == nil {
				return domain.Conflict("今天还没有签到，不能签退：请先签到，或请记录员、驿站补记签到")
			}
			if ev.Time().Before(attendanceFromRow(*in).Time()) {
				return domain.Conflict("签退时间早于签到时间，请核对手机时间")
			}
		}
		if ev.Kind == domain.CheckOut {
			id, err := s.attendanceWorkLine(tx, c, attendanceFromRow(*in), ev, ip)
			if err != nil {
				return err
			}
			ev.LedgerEntryID = id
		}
		row, err := s.insertAttendance(tx, c, ev, actor, ip)
		if err != nil {
			return err
		}
		out, created = attendanceFromRow(row), true
		return nil
	})
	if err != nil {
		return domain.AttendanceEvent{}, false, translate(fmt.Errorf("attendance of contract %d: %w", ev.ContractID, err), "合约")
	}
	return out, created, nil
}

// attendanceSystem records the work lines attendance writes: no person typed them (recorded_by "system").
var attendanceSystem = domain.Principal{Kind: "system"}

// attendanceWorkLine writes the day's work line of a check-out (in: the day's check-in) from the
// contract's terms (domain.AttendanceQuantity), through the ledger's own row builder and chain, and
// returns its id; 0 when the terms earn no line from attendance (a piece rate, too short a day).
func (s *Store) attendanceWorkLine(tx *gorm.DB, c contractRow, in, out domain.AttendanceEvent, ip string) (int64, error) {
	day := domain.AttendanceDay{In: &in, Out: &out}
	var terms struct {
		Hours struct {
			DailyMinutes int64 `json:"daily_minutes"`
		} `json:"hours"`
	}
	_ = json.Unmarshal([]byte(c.TermsJSON), &terms) // checked by usableContract; no hours means the default
	qty := domain.AttendanceQuantity(domain.WageUnit(c.WageUnit), terms.Hours.DailyMinutes, day.Minutes())
	if qty == 0 {
		return 0, nil
	}
	note := fmt.Sprintf("考勤：签到 %s，签退 %s", in.Clock(), out.Clock())
	if in.Offline || out.Offline {
		note += "（含离线补交）"
	}
	if in.Far || out.Far {
		note += "（位置离工地较远）"
	}
	if out.Source == domain.ByDayEnd {
		note = fmt.Sprintf("考勤：签到 %s，缺签退，按班次结束 %s 计，请用工方确认", in.Clock(), out.Clock())
	}
	row, err := s.ledgerRow(tx, c, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: out.WorkDate, QuantityMilli: qty, Note: note}, attendanceSystem)
	if err != nil {
		return 0, err
	}
	if err := s.insertLedgerLine(tx, c, &row, attendanceSystem, ip); err != nil {
		return 0, err
	}
	return row.ID, nil
}

// insertAttendance chains the event to the contract's previous one and writes it with its audit event.
func (s *Store) insertAttendance(tx *gorm.DB, c contractRow, ev domain.AttendanceEvent, actor domain.Principal, ip string) (attendanceRow, error) {
	prev := domain.GenesisHash
	var last attendanceRow
	switch err := tx.Select("line_hash").Where("contract_id = ?", c.ID).Order("id DESC").Limit(1).Take(&last).Error; {
	case err == nil:
		prev = last.LineHash
	case !isNotFound(err):
		return attendanceRow{}, err
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	row := attendanceRow{CityCode: domain.CityCode, ContractID: c.ID, JobID: c.JobID, WorkerID: c.WorkerID,
		WorkDate: string(ev.WorkDate), Kind: string(ev.Kind), At: ev.At.UTC().Truncate(time.Microsecond), Offline: ev.Offline,
		DistanceM: ev.DistanceM, Far: ev.Far, Source: string(ev.Source), RecordedByKind: actor.ActorKind(),
		RecordedByID: actor.ID, PrevHash: prev, CreatedAt: now}
	if ev.LedgerEntryID != 0 {
		row.LedgerEntryID = &ev.LedgerEntryID
	}
	if ev.DeviceAt != nil {
		d := ev.DeviceAt.UTC().Truncate(time.Microsecond)
		row.DeviceAt = &d
	}
	row.LineHash = s.attendanceMAC(row)
	if err := tx.Create(&row).Error; err != nil {
		return row, err
	}
	err := s.appendAudit(tx, Audit{Actor: actor, Action: "attendance." + row.Kind, EntityKind: "contract", EntityID: c.ID, IP: ip,
		Detail: map[string]any{"entry_id": row.ID, "date": row.WorkDate, "source": row.Source, "line_hash": row.LineHash}})
	return row, err
}

// verifyAttendance checks a contract's attendance chain against itself and its audit events (all of
// the contract's, oldest first), as verifyLedger does for money.
func (s *Store) verifyAttendance(db *gorm.DB, c contractRow, events []auditRow) ([]string, error) {
	var rows []attendanceRow
	if err := db.Where("contract_id = ?", c.ID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	anchored := map[int64]string{}
	for _, e := range events {
		if (e.Action != "attendance.in" && e.Action != "attendance.out") || !domain.MACEqual(s.auditMAC(e), e.Hash) {
			continue
		}
		var a anchorDetail
		if json.Unmarshal([]byte(e.Detail), &a) == nil && a.LineHash != "" {
			anchored[a.EntryID] = a.LineHash
		}
	}
	var problems []string
	prev := domain.GenesisHash
	present := map[int64]bool{}
	for _, r := range rows {
		present[r.ID] = true
		what := fmt.Sprintf("考勤记录 %d（%s %s）", r.ID, r.WorkDate, domain.AttendanceKind(r.Kind).Label())
		if r.PrevHash != prev {
			problems = append(problems, what+"与前一条接不上：之前的记录被删除、插入或改动")
		}
		if !domain.MACEqual(s.attendanceMAC(r), r.LineHash) {
			problems = append(problems, what+"被改动，或不是经本系统写入的")
		}
		switch h, ok := anchored[r.ID]; {
		case !ok:
			problems = append(problems, what+"没有对应的审计记录：绕过程序直接写入了数据库")
		case h != r.LineHash:
			problems = append(problems, what+"与它的审计记录不符")
		}
		prev = r.LineHash
	}
	ids := make([]int64, 0, len(anchored))
	for id := range anchored {
		if !present[id] {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		problems = append(problems, fmt.Sprintf("审计记录中的考勤记录 %d 不在考勤表中：被删除", id))
	}
	return problems, nil
}

// AttendanceOfJob returns who attends job jobID on day: one AttendanceDay per contract with any event
// that day, ordered by check-in. It is the query rosters, pay and insurance share.
func (s *Store) AttendanceOfJob(ctx context.Context, jobID int64, day domain.Date) ([]domain.AttendanceDay, error) {
	return s.attendanceDays(ctx, "job_id = ? AND work_date = ?", jobID, string(day))
}

// AttendanceOfWorker returns a worker's attendance on day, one AttendanceDay per contract.
func (s *Store) AttendanceOfWorker(ctx context.Context, workerID int64, day domain.Date) ([]domain.AttendanceDay, error) {
	return s.attendanceDays(ctx, "worker_id = ? AND work_date = ?", workerID, string(day))
}

// AttendanceOfContract returns a contract's attendance on day (In and Out nil when none).
func (s *Store) AttendanceOfContract(ctx context.Context, contractID int64, day domain.Date) (domain.AttendanceDay, error) {
	days, err := s.attendanceDays(ctx, "contract_id = ? AND work_date = ?", contractID, string(day))
	if err != nil || len(days) == 0 {
		return domain.AttendanceDay{ContractID: contractID, Date: day}, err
	}
	return days[0], nil
}

func (s *Store) attendanceDays(ctx context.Context, where string, args ...any) ([]domain.AttendanceDay, error) {
	var rows []attendanceRow
	if err := s.conn(ctx).Where(where, args...).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "考勤记录")
	}
	answers := map[int64]string{}
	var clockIDs []int64
	for _, r := range rows {
		if r.Source == string(domain.ByEmployerClock) {
			clockIDs = append(clockIDs, r.ID)
		}
	}
	for _, chunk := range chunks(clockIDs, 500) {
		var as []attendanceAnswerRow
		if err := s.conn(ctx).Where("event_id IN ?", chunk).Find(&as).Error; err != nil {
			return nil, translate(err, "考勤确认")
		}
		for _, a := range as {
			answers[a.EventID] = a.Decision
		}
	}
	byContract := map[int64]*domain.AttendanceDay{}
	var order []int64
	for _, r := range rows {
		d, ok := byContract[r.ContractID]
		if !ok {
			d = &domain.AttendanceDay{ContractID: r.ContractID, JobID: r.JobID, WorkerID: r.WorkerID, Date: domain.Date(r.WorkDate)}
			byContract[r.ContractID] = d
			order = append(order, r.ContractID)
		}
		ev := attendanceFromRow(r)
		ev.WorkerAnswer = answers[r.ID]
		if ev.Kind == domain.CheckIn {
			d.In = &ev
		} else {
			d.Out = &ev
		}
	}
	var entries []int64
	for _, d := range byContract {
		if d.Out != nil && d.Out.LedgerEntryID != 0 {
			entries = append(entries, d.Out.LedgerEntryID)
		}
	}
	lines := map[int64]ledgerEntryRow{}
	reviews := map[int64]string{}
	for _, chunk := range chunks(entries, 500) {
		var ls []ledgerEntryRow
		if err := s.conn(ctx).Select("id, amount_fen, created_at").Where("id IN ?", chunk).Find(&ls).Error; err != nil {
			return nil, translate(err, "台账")
		}
		for _, l := range ls {
			lines[l.ID] = l
		}
		var rs []attendanceReviewRow
		if err := s.conn(ctx).Where("entry_id IN ?", chunk).Find(&rs).Error; err != nil {
			return nil, translate(err, "考勤确认")
		}
		for _, r := range rs {
			reviews[r.EntryID] = r.Decision
		}
	}
	out := make([]domain.AttendanceDay, 0, len(order))
	for _, id := range order {
		d := *byContract[id]
		if d.Out != nil && d.Out.LedgerEntryID != 0 {
			l := lines[d.Out.LedgerEntryID]
			at := l.CreatedAt.UTC()
			d.AmountFen, d.LineAt = l.AmountFen, &at
			switch reviews[l.ID] {
			case "confirm":
				d.Review = domain.ReviewConfirmed
			case "dispute":
				d.Review = domain.ReviewDisputed
			}
		}
		out = append(out, d)
	}
	return out, nil
}

type attendanceReviewRow struct {
	ID         int64 `gorm:"primaryKey"`
	CityCode   string
	EntryID    int64
	ContractID int64
	Decision   string
	Reason     string
	ActorKind  string
	ActorID    int64
	CreatedAt  time.Time
}

func (attendanceReviewRow) TableName() string { return "attendance_reviews" }

// ReviewAttendanceLine records the employer's answer (decision "confirm" or "dispute", with a reason)
// to a work line written from attendance, within window after the line was written. The contract's
// employer or its station's staff answer; once. Refusals: a line not from attendance or not the
// caller's (not_found), past the window or answered already (conflict).
func (s *Store) ReviewAttendanceLine(ctx context.Context, entryID int64, decision, reason string, window time.Duration, actor domain.Principal, ip string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var att attendanceRow
		if err := tx.Where("ledger_entry_id = ?", entryID).Take(&att).Error; err != nil {
			if isNotFound(err) {
				return domain.NotFound("考勤工钱记录")
			}
			return err
		}
		var c contractRow
		if err := tx.Where("id = ?", att.ContractID).Take(&c).Error; err != nil {
			return err
		}
		switch {
		case actor.Kind == domain.AsEmployer && actor.ID == c.EmployerID:
		case actor.IsStaff() && actor.CanManageStation(c.StationID):
		case actor.IsStaff():
			return domain.Forbidden("只能处理本站点签发的合约")
		default:
			return domain.NotFound("考勤工钱记录")
		}
		if err := s.lockRow(tx, "contracts", c.ID); err != nil {
			return err
		}
		var line ledgerEntryRow
		if err := tx.Where("id = ?", entryID).Take(&line).Error; err != nil {
			return err
		}
		if !s.now().Before(line.CreatedAt.Add(window)) {
			return domain.Conflict(fmt.Sprintf("已超过确认期限（记录后 %s），这条按考勤记的工钱已经生效；有问题请联系签发驿站", window))
		}
		var n int64
		if err := tx.Model(&attendanceReviewRow{}).Where("entry_id = ?", entryID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return domain.Conflict("这条记录已经确认或提出过异议")
		}
		row := attendanceReviewRow{CityCode: domain.CityCode, EntryID: entryID, ContractID: c.ID, Decision: decision, Reason: reason,
			ActorKind: actor.ActorKind(), ActorID: actor.ID, CreatedAt: s.now().UTC().Truncate(time.Microsecond)}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "attendance.review", EntityKind: "contract", EntityID: c.ID, IP: ip,
			Detail: map[string]any{"entry_id": entryID, "decision": decision}})
	})
	return translate(err, "考勤工钱记录")
}

type attendanceAnswerRow struct {
	ID        int64 `gorm:"primaryKey"`
	CityCode  string
	EventID   int64
	WorkerID  int64
	Decision  string
	Reason    string
	CreatedAt time.Time
}

func (attendanceAnswerRow) TableName() string { return "attendance_answers" }

// AnswerClockRecord records the worker's answer ("confirm", or "dispute" with a reason) to a check-in or
// check-out the employer's own clock recorded on the worker's contract; once. Another worker's event, or
// one the clock did not record, is not_found; a second answer a conflict.
func (s *Store) AnswerClockRecord(ctx context.Context, eventID, workerID int64, decision, reason, ip string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var ev attendanceRow
		if err := tx.Where("id = ? AND worker_id = ? AND source = ?", eventID, workerID, string(domain.ByEmployerClock)).Take(&ev).Error; err != nil {
			if isNotFound(err) {
				return domain.NotFound("考勤机记录")
			}
			return err
		}
		var n int64
		if err := tx.Model(&attendanceAnswerRow{}).Where("event_id = ?", eventID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return domain.Conflict("这条考勤记录已经确认或提出过异议")
		}
		row := attendanceAnswerRow{CityCode: domain.CityCode, EventID: eventID, WorkerID: workerID, Decision: decision, Reason: reason,
			CreatedAt: s.now().UTC().Truncate(time.Microsecond)}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: domain.Principal{Kind: domain.AsWorker, ID: workerID}, Action: "attendance.answer",
			EntityKind: "contract", EntityID: ev.ContractID, IP: ip, Detail: map[string]any{"event_id": eventID, "decision": decision}})
	})
	return translate(err, "考勤机记录")
}
