package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// The console's lists: one page and the total matching, with a search box (names and titles by any
// part, numbers exactly, phone numbers by their last digits) and filters. Each is one query for the
// page and one for the count, on both engines.

// like is a LIKE pattern matching text anywhere.
func like(text string) string { return "%" + escapeLike(text) + "%" }

// searchCond builds "(a LIKE ? OR b LIKE ? ...)" over text columns, plus exact and phone-tail matches
// when the search is digits; it returns "" when q is empty.
func searchCond(q domain.Search, textCols []string, exactCols []string, phoneCols []string) (string, []any) {
	if q.Text == "" {
		return "", nil
	}
	var parts []string
	var args []any
	for _, c := range textCols {
		parts = append(parts, c+` LIKE ? ESCAPE '\'`)
		args = append(args, like(q.Text))
	}
	for _, c := range exactCols {
		parts = append(parts, "UPPER("+c+") = ?")
		args = append(args, strings.ToUpper(q.Text))
	}
	if q.PhoneTail() {
		for _, c := range phoneCols {
			parts = append(parts, c+` LIKE ? ESCAPE '\'`)
			args = append(args, "%"+escapeLike(q.Digits))
		}
	}
	return " AND (" + strings.Join(parts, " OR ") + ")", args
}

// balanceSQL is a contract's outstanding pay (earned minus paid, corrections counted with the line they
// correct), for contract alias c.
const balanceSQL = `(SELECT COALESCE(SUM(CASE COALESCE(o.kind, l.kind) WHEN 'work' THEN l.amount_fen WHEN 'cancellation' THEN l.amount_fen WHEN 'payment' THEN -l.amount_fen ELSE 0 END), 0)
	FROM ledger_entries l LEFT JOIN ledger_entries o ON o.id = l.corrects_id WHERE l.contract_id = c.id)`

// ContractList is a page of contracts with their ledgers' balances, newest first.
func (s *Store) ContractList(ctx context.Context, f domain.ContractFilter) ([]domain.ContractSummary, int, error) {
	db := s.conn(ctx)
	where := " WHERE 1 = 1" + stationCond(f.StationID, "c.station_id")
	args := stationArgs(f.StationID)
	if len(f.Statuses) > 0 {
		st := make([]string, len(f.Statuses))
		for i, v := range f.Statuses {
			st[i] = string(v)
		}
		where += " AND c.status IN ?"
		args = append(args, st)
	}
	if f.Day != "" {
		where += " AND c.created_at >= ? AND c.created_at < ?"
		args = append(args, f.Day.Start().UTC(), f.Day.AddDays(1).Start().UTC())
	}
	if f.Unpaid {
		where += " AND " + balanceSQL + " > 0"
	}
	cond, cargs := searchCond(domain.ParseSearch(f.Q), []string{"w.name", "e.name", "j.title"}, []string{"c.number", "w.worker_no"}, []string{"w.phone"})
	where += cond
	args = append(args, cargs...)
	from := ` FROM contracts c JOIN jobs j ON j.id = c.job_id JOIN workers w ON w.id = c.worker_id JOIN employers e ON e.id = c.employer_id`
	var total int64
	if err := db.Raw("SELECT count(*)"+from+where, args...).Scan(&total).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("count contracts: %w", err), "合约")
	}
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
		StationID                    int64
		WageFen                      int64
		WageUnit, PieceUnit          string
		StartDate, EndDate           string
	}
	q := `SELECT c.id, c.number, c.status, c.job_id, j.title AS job_title, c.worker_id, w.name AS worker_name,
			w.worker_no AS worker_no, e.name AS employer_name,
			(SELECT count(*) FROM contract_signatures s WHERE s.contract_id = c.id AND s.role = 'worker') AS worker_signed,
			(SELECT count(*) FROM contract_signatures s WHERE s.contract_id = c.id AND s.role = 'employer') AS employer_signed,
			c.created_at, c.station_id, c.wage_fen, c.wage_unit, c.piece_unit, c.start_date, c.end_date` + from + where +
		` ORDER BY c.id DESC LIMIT ? OFFSET ?`
	var rows []flat
	if err := db.Raw(q, append(args, f.Limit(), f.Offset())...).Scan(&rows).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("list contracts: %w", err), "合约")
	}
	out := make([]domain.ContractSummary, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		out[i] = domain.ContractSummary{ContractLine: domain.ContractLine{ID: r.ID, Number: r.Number, Status: domain.ContractStatus(r.Status),
			JobID: r.JobID, JobTitle: r.JobTitle, WorkerID: r.WorkerID, WorkerName: r.WorkerName, WorkerNo: r.WorkerNo,
			EmployerName: r.EmployerName, WorkerSigned: r.WorkerSigned > 0, EmployerSigned: r.EmployerSigned > 0, CreatedAt: r.CreatedAt},
			StationID: r.StationID, WageFen: r.WageFen, WageUnit: domain.WageUnit(r.WageUnit), PieceUnit: r.PieceUnit, StartDate: domain.Date(r.StartDate),
			EndDate: domain.Date(r.EndDate)}
	}
	if err := s.fillBalances(db, ids, out); err != nil {
		return nil, 0, translate(fmt.Errorf("balances: %w", err), "台账")
	}
	return out, int(total), nil
}

// fillBalances adds each listed contract's ledger balance, from two queries for the whole page.
func (s *Store) fillBalances(db *gorm.DB, ids []int64, out []domain.ContractSummary) error {
	if len(ids) == 0 {
		return nil
	}
	var rows []ledgerEntryRow
	if err := db.Where("contract_id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
		return err
	}
	entryIDs := make([]int64, len(rows))
	for i, r := range rows {
		entryIDs[i] = r.ID
	}
	responses := map[int64]ledgerResponseRow{}
	for _, chunk := range chunks(entryIDs, 500) {
		var rs []ledgerResponseRow
		if err := db.Where("entry_id IN ?", chunk).Find(&rs).Error; err != nil {
			return err
		}
		for _, r := range rs {
			responses[r.EntryID] = r
		}
	}
	byContract := map[int64][]domain.LedgerLine{}
	for _, r := range rows {
		l := domain.LedgerLine{LedgerEntry: ledgerEntryFromRow(r)}
		if resp, ok := responses[r.ID]; ok {
			l.Response = &domain.LedgerResponse{Response: resp.Response, Reason: resp.Reason, CreatedAt: resp.CreatedAt,
				Resolution: resp.Resolution, ResolvedAt: resp.ResolvedAt}
		}
		byContract[r.ContractID] = append(byContract[r.ContractID], l)
	}
	for i := range out {
		lines := byContract[out[i].ID]
		out[i].Balance, out[i].Lines = BalanceOf(lines), len(lines)
		for _, l := range lines {
			if l.Response != nil && l.Response.Response == "dispute" && l.Response.ResolvedAt == nil {
				out[i].OpenDisputes++
			}
		}
	}
	return nil
}

// WorkerList is a page of workers, newest first.
func (s *Store) WorkerList(ctx context.Context, f domain.WorkerFilter) ([]domain.Worker, int, error) {
	db := s.conn(ctx)
	q := db.Model(&workerRow{})
	if f.StationID != 0 {
		q = q.Where("station_id = ?", f.StationID)
	}
	if f.Day != "" {
		q = q.Where("created_at >= ? AND created_at < ?", f.Day.Start().UTC(), f.Day.AddDays(1).Start().UTC())
	}
	if cond, args := searchCond(domain.ParseSearch(f.Q), []string{"name"}, []string{"worker_no"}, []string{"phone"}); cond != "" {
		q = q.Where(strings.TrimPrefix(cond, " AND "), args...)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("count workers: %w", err), "零工")
	}
	var rows []workerRow
	if err := q.Order("created_at DESC, id DESC").Offset(f.Offset()).Limit(f.Limit()).Find(&rows).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("list workers: %w", err), "零工")
	}
	ws, err := loadWorkers(db, rows)
	if err != nil {
		return nil, 0, translate(fmt.Errorf("list workers: %w", err), "零工")
	}
	return ws, int(total), nil
}

// DisputeList is a page of workers' disputes: open ones oldest first (the queue's order), resolved
// ones latest first.
func (s *Store) DisputeList(ctx context.Context, f domain.DisputeFilter) ([]domain.Dispute, int, error) {
	from := disputeFrom + stationCond(f.StationID, "c.station_id")
	args := stationArgs(f.StationID)
	order := " ORDER BY r.created_at, r.id"
	if f.Open != nil && *f.Open {
		from += " AND r.resolved_at IS NULL"
	} else if f.Open != nil {
		from += " AND r.resolved_at IS NOT NULL"
		order = " ORDER BY r.resolved_at DESC, r.id DESC"
	}
	cond, cargs := searchCond(domain.ParseSearch(f.Q), []string{"w.name", "em.name"}, []string{"c.number", "w.worker_no"}, []string{"w.phone"})
	from += cond
	args = append(args, cargs...)
	db := s.conn(ctx)
	var total int64
	if err := db.Raw("SELECT count(*)"+from, args...).Scan(&total).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("count disputes: %w", err), "异议")
	}
	var rows []disputeRow
	if err := db.Raw(disputeColumns+from+order+" LIMIT ? OFFSET ?", append(args, f.Limit(), f.Offset())...).Scan(&rows).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("list disputes: %w", err), "异议")
	}
	return disputesFromRows(rows), int(total), nil
}

// ArrearsList is a page of arrears alerts, oldest due date first, searched by contract number, worker
// or employer.
func (s *Store) ArrearsList(ctx context.Context, f domain.ArrearsFilter, q string, page domain.ListPage) ([]domain.ArrearsAlert, int, error) {
	from := ` FROM arrears_alerts a JOIN contracts c ON c.id = a.contract_id JOIN employers e ON e.id = a.employer_id
		JOIN workers w ON w.id = c.worker_id WHERE 1 = 1` + stationCond(f.StationID, "a.station_id")
	args := stationArgs(f.StationID)
	if f.OpenOnly {
		from += " AND a.cleared_at IS NULL"
	}
	cond, cargs := searchCond(domain.ParseSearch(q), []string{"w.name", "e.name"}, []string{"c.number", "w.worker_no"}, []string{"w.phone", "e.contact_phone"})
	from += cond
	args = append(args, cargs...)
	db := s.conn(ctx)
	var total int64
	if err := db.Raw("SELECT count(*)"+from, args...).Scan(&total).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("count arrears: %w", err), "欠薪预警")
	}
	type flat struct {
		ID, ContractID, EmployerID, StationID int64
		DueDate                               string
		AmountFen                             int64
		RaisedAt                              time.Time
		ClearedAt                             *time.Time
		ContractNumber, EmployerName          string
		WorkerName                            string
	}
	var rows []flat
	sel := `SELECT a.id, a.contract_id, a.employer_id, a.station_id, a.due_date, a.amount_fen, a.raised_at, a.cleared_at,
			c.number AS contract_number, e.name AS employer_name, w.name AS worker_name` + from + " ORDER BY a.due_date, a.id LIMIT ? OFFSET ?"
	if err := db.Raw(sel, append(args, page.Limit(), page.Offset())...).Scan(&rows).Error; err != nil {
		return nil, 0, translate(fmt.Errorf("list arrears: %w", err), "欠薪预警")
	}
	today := domain.DateOf(s.now())
	out := make([]domain.ArrearsAlert, len(rows))
	for i, r := range rows {
		out[i] = domain.ArrearsAlert{ID: r.ID, ContractID: r.ContractID, ContractNumber: r.ContractNumber, EmployerID: r.EmployerID,
			EmployerName: r.EmployerName, StationID: r.StationID, WorkerName: r.WorkerName, DueDate: domain.Date(r.DueDate),
			AmountFen: r.AmountFen, AgeDays: domain.Date(r.DueDate).DaysUntil(today), RaisedAt: r.RaisedAt, ClearedAt: r.ClearedAt}
	}
	return out, int(total), nil
}

// EmployerCount is how many employers match f (for the list's pages).
func (s *Store) EmployerCount(ctx context.Context, f domain.EmployerFilter) (int, error) {
	var n int64
	if err := s.employerQuery(ctx, f).Count(&n).Error; err != nil {
		return 0, translate(fmt.Errorf("count employers: %w", err), "用工单位")
	}
	return int(n), nil
}

// StaffList is a page of console accounts: by station, then role and username.
func (s *Store) StaffList(ctx context.Context, f domain.StaffFilter) ([]domain.Staff, int, error) {
	db := s.conn(ctx)
	q := db.Model(&staffRow{})
	if f.StationID != 0 {
		q = q.Where("station_id = ?", f.StationID)
	}
	if f.Role != "" {
		q = q.Where("role = ?", string(f.Role))
	}
	if cond, args := searchCond(domain.ParseSearch(f.Q), []string{"username", "display_name"}, nil, nil); cond != "" {
		q = q.Where(strings.TrimPrefix(cond, " AND "), args...)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "账号")
	}
	var rows []staffRow
	if err := q.Order("station_id, role, username").Offset(f.Offset()).Limit(f.Limit()).Find(&rows).Error; err != nil {
		return nil, 0, translate(err, "账号")
	}
	codes, err := stationCodes(db)
	if err != nil {
		return nil, 0, translate(err, "站点")
	}
	out := make([]domain.Staff, len(rows))
	for i, r := range rows {
		out[i] = staffFromRow(r, codes)
	}
	return out, int(total), nil
}

// SettlementCounts counts what waits in the settlement screen's tabs at a station (0: all) today.
func (s *Store) SettlementCounts(ctx context.Context, stationID int64, day domain.Date) (domain.SettlementCounts, error) {
	db := s.conn(ctx)
	var out domain.SettlementCounts
	sc, sa := stationCond(stationID, "c.station_id"), stationArgs(stationID)
	scan := func(dst any, q string, args ...any) error { return db.Raw(q, append(args, sa...)...).Scan(dst).Error }
	var active struct{ Active, Unpaid int }
	if err := scan(&active, `SELECT count(*) AS active, COALESCE(SUM(CASE WHEN `+balanceSQL+` > 0 THEN 1 ELSE 0 END), 0) AS unpaid
		FROM contracts c WHERE c.status = ?`+sc, string(domain.ContractActive)); err != nil {
		return out, translate(err, "合约")
	}
	out.ActiveContracts, out.UnpaidContracts = active.Active, active.Unpaid
	if err := scan(&out.WeighedToday, `SELECT count(*) FROM ledger_entries l JOIN contracts c ON c.id = l.contract_id
		WHERE l.kind = 'work' AND c.wage_unit = 'piece' AND l.created_at >= ? AND l.created_at < ?`+sc,
		day.Start().UTC(), day.AddDays(1).Start().UTC()); err != nil {
		return out, translate(err, "台账")
	}
	if err := scan(&out.OpenDisputes, `SELECT count(*) FROM ledger_responses r JOIN ledger_entries l ON l.id = r.entry_id
		JOIN contracts c ON c.id = l.contract_id WHERE r.response = 'dispute' AND r.resolved_at IS NULL`+sc); err != nil {
		return out, translate(err, "异议")
	}
	var arrears struct {
		N   int
		Fen int64
	}
	if err := db.Raw(`SELECT count(*) AS n, COALESCE(SUM(a.amount_fen), 0) AS fen FROM arrears_alerts a
		WHERE a.cleared_at IS NULL`+stationCond(stationID, "a.station_id"), sa...).Scan(&arrears).Error; err != nil {
		return out, translate(err, "欠薪预警")
	}
	out.OpenArrears, out.ArrearsFen = arrears.N, arrears.Fen
	if err := scan(&out.Unconfirmed, `SELECT count(*) FROM ledger_entries l JOIN contracts c ON c.id = l.contract_id
		WHERE l.kind = 'payment' AND NOT EXISTS (SELECT 1 FROM ledger_responses r WHERE r.entry_id = l.id)`+sc); err != nil {
		return out, translate(err, "台账")
	}
	return out, nil
}

// CommonSkills are the trades most often named at a station: by its workers' registrations and its
// gigs, most first; when the station has fewer than limit, the district's follow (the station's own
// first). At most limit names.
func (s *Store) CommonSkills(ctx context.Context, stationID int64, district string, limit int) ([]string, error) {
	db := s.conn(ctx)
	count := func(workerCond, jobCond string, arg any) ([]string, error) {
		var rows []struct {
			Skill string
			N     int
		}
		q := `SELECT skill, SUM(n) AS n FROM (
				SELECT ws.skill AS skill, count(*) AS n FROM worker_skills ws JOIN workers w ON w.id = ws.worker_id WHERE ` + workerCond + ` GROUP BY ws.skill
				UNION ALL
				SELECT js.skill AS skill, count(*) AS n FROM job_skills js JOIN jobs j ON j.id = js.job_id WHERE ` + jobCond + ` GROUP BY js.skill
			) t GROUP BY skill ORDER BY SUM(n) DESC, skill LIMIT ?`
		if err := db.Raw(q, arg, arg, limit).Scan(&rows).Error; err != nil {
			return nil, err
		}
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = r.Skill
		}
		return out, nil
	}
	out, err := count("w.station_id = ?", "j.station_id = ?", stationID)
	if err != nil {
		return nil, translate(fmt.Errorf("common skills of station %d: %w", stationID, err), "技能")
	}
	if len(out) >= limit || district == "" {
		return out, nil
	}
	more, err := count("w.district = ?", "j.district = ?", district)
	if err != nil {
		return nil, translate(fmt.Errorf("common skills of %s: %w", district, err), "技能")
	}
	seen := map[string]bool{}
	for _, sk := range out {
		seen[sk] = true
	}
	for _, sk := range more {
		if len(out) == limit {
			break
		}
		if !seen[sk] {
			out = append(out, sk)
		}
	}
	return out, nil
}
