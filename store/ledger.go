package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// AppendLedger appends one entry to an active (or completed) contract's wage ledger, for the contract's
// employer or staff of its station. A work record's amount is computed from the contract's wage and its
// due date from the settlement terms; a correction must point at a work or payment entry of the same
// contract and give a reason. Nothing is ever updated: the ledger only grows.
func (s *Store) AppendLedger(ctx context.Context, contractID int64, in domain.LedgerInput, actor domain.Principal, ip string) (domain.LedgerEntry, error) {
	var out domain.LedgerEntry
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var c contractRow
		if err := tx.Where("id = ?", contractID).Take(&c).Error; err != nil {
			return err
		}
		if err := authorizeContractParty(actor, c, false); err != nil {
			return err
		}
		// The wage, unit and dates a line is computed from must be the signed ones.
		if err := s.usableContract(tx, c); err != nil {
			return err
		}
		if c.Status != string(domain.ContractActive) && c.Status != string(domain.ContractCompleted) && !s.owesCancellation(tx, c, in.Kind) {
			return domain.Conflict("合约生效（双方确认）后才能记账")
		}
		// The status says both signed: the signatures must say so too (a draft set to active in the
		// database has none).
		var signed int64
		if err := tx.Model(&signatureRow{}).Where("contract_id = ? AND terms_hash = ?", c.ID, c.TermsHash).Count(&signed).Error; err != nil {
			return err
		}
		if signed < 2 {
			return domain.Conflict("合约显示已生效，但缺少一方的签署：记录可能被人改动，已停止记账，请联系签发站点核查")
		}
		row, err := s.ledgerRow(tx, c, in, actor)
		if err != nil {
			return err
		}
		if err := s.insertLedgerLine(tx, c, &row, actor, ip); err != nil {
			return err
		}
		out = ledgerEntryFromRow(row)
		return nil
	})
	if err != nil {
		return domain.LedgerEntry{}, translate(fmt.Errorf("ledger of contract %d: %w", contractID, err), "合约")
	}
	return out, nil
}

// ledgerRow validates an input against its contract and builds the row to insert.
func (s *Store) ledgerRow(tx *gorm.DB, c contractRow, in domain.LedgerInput, actor domain.Principal) (ledgerEntryRow, error) {
	now := s.now()
	row := ledgerEntryRow{CityCode: domain.CityCode, ContractID: c.ID, Kind: string(in.Kind), Note: in.Note,
		RecordedByKind: actor.ActorKind(), RecordedByID: actor.ID, CreatedAt: now}
	switch in.Kind {
	case domain.LedgerWork:
		if in.WorkDate == "" || !in.WorkDate.Valid() {
			return row, domain.Invalid("date", "请填写干活的日期")
		}
		if in.WorkDate < domain.Date(c.StartDate) || (c.EndDate != "" && in.WorkDate > domain.Date(c.EndDate)) {
			return row, domain.Invalidf("date", "日期不在合约期限（%s 至 %s）内", c.StartDate, c.EndDate)
		}
		if in.WorkDate > domain.DateOf(now) {
			return row, domain.Invalid("date", "不能记录还没干的活")
		}
		if in.QuantityMilli <= 0 || in.QuantityMilli > 1_000_000_000 {
			return row, domain.Invalid("quantity", "数量应大于 0")
		}
		row.WorkDate, row.QuantityMilli, row.Unit = string(in.WorkDate), in.QuantityMilli, c.WageUnit
		row.AmountFen = domain.EarnedFen(c.WageFen, in.QuantityMilli)
		row.DueDate = string(domain.DueDate(domain.Settlement(c.Settlement), in.WorkDate, domain.Date(c.EndDate)))
	case domain.LedgerPayment:
		if err := domain.CheckPaymentAmount(in.AmountFen); err != nil {
			return row, err
		}
		if !validMethod(in.Method) {
			return row, domain.Invalid("method", "付款方式应为现金、微信、支付宝、银行转账或社保卡")
		}
		paid := in.PaidAt
		if paid.IsZero() {
			paid = now
		}
		if paid.After(now.Add(10 * time.Minute)) {
			return row, domain.Invalid("paid_at", "付款时间不能晚于现在")
		}
		paid = paid.UTC()
		if err := domain.CheckPaymentDate(domain.DateOf(paid), domain.Date(c.StartDate)); err != nil {
			return row, err
		}
		row.AmountFen, row.Method, row.PaidAt, row.Reference = in.AmountFen, string(in.Method), &paid, in.Reference
		row.WorkDate = string(domain.DateOf(paid))
	case domain.LedgerCorrection:
		if in.Note == "" {
			return row, domain.Invalid("note", "更正必须写明原因")
		}
		var target ledgerEntryRow
		if err := tx.Where("id = ? AND contract_id = ?", in.CorrectsID, c.ID).Take(&target).Error; err != nil {
			if isNotFound(err) {
				return row, domain.Invalid("corrects_id", "要更正的记录不在这份合约的台账里")
			}
			return row, err
		}
		if target.Kind == string(domain.LedgerCorrection) {
			return row, domain.Invalid("corrects_id", "请更正原始记录，而不是另一条更正")
		}
		if in.AmountFen == 0 && in.QuantityMilli == 0 {
			return row, domain.Invalid("amount_fen", "更正的金额或数量不能都为 0")
		}
		if target.Kind == string(domain.LedgerPayment) && in.QuantityMilli != 0 {
			return row, domain.Invalid("quantity", "付款记录没有数量，更正时请填金额")
		}
		if target.Kind == string(domain.LedgerWork) && in.QuantityMilli != 0 && in.AmountFen == 0 {
			// Correcting a quantity corrects the money by the contract's wage, as the original did.
			in.AmountFen = domain.EarnedFen(c.WageFen, in.QuantityMilli)
		}
		row.CorrectsID, row.AmountFen, row.QuantityMilli, row.Unit = &target.ID, in.AmountFen, in.QuantityMilli, target.Unit
		row.WorkDate, row.DueDate = target.WorkDate, target.DueDate
	case domain.LedgerCancellation: // written only by CancelContract, from the signed terms
		if in.AmountFen <= 0 || !in.WorkDate.Valid() {
			return row, domain.Invalid("amount_fen", "误工补偿的金额和日期不正确")
		}
		row.AmountFen, row.WorkDate, row.DueDate = in.AmountFen, string(in.WorkDate), string(in.WorkDate)
	default:
		return row, domain.Invalid("kind", "记录类型应为 work、payment 或 correction")
	}
	return row, nil
}

// owesCancellation reports whether a payment (or correction) of kind may still be recorded on a
// contract that is no longer active because the employer cancelled it late and owes its cancellation
// line: the debt is paid on the cancelled contract. Work may not.
func (s *Store) owesCancellation(tx *gorm.DB, c contractRow, kind domain.LedgerKind) bool {
	if kind == domain.LedgerWork || c.Status != string(domain.ContractTerminated) {
		return false
	}
	var n int64
	return tx.Model(&cancellationRow{}).Where("contract_id = ? AND ledger_entry_id IS NOT NULL", c.ID).Count(&n).Error == nil && n > 0
}

func validMethod(m domain.PayMethod) bool {
	if m == domain.PayGuarantee { // app lets only the 先行垫付 use case through
		return true
	}
	for _, v := range domain.PayMethods {
		if m == v {
			return true
		}
	}
	return false
}

func ledgerEntryFromRow(r ledgerEntryRow) domain.LedgerEntry {
	e := domain.LedgerEntry{ID: r.ID, ContractID: r.ContractID, Kind: domain.LedgerKind(r.Kind), WorkDate: domain.Date(r.WorkDate),
		QuantityMilli: r.QuantityMilli, Quantity: domain.Milli(r.QuantityMilli), Unit: domain.WageUnit(r.Unit),
		AmountFen: r.AmountFen, Method: domain.PayMethod(r.Method), PaidAt: r.PaidAt, Reference: r.Reference, Note: r.Note,
		DueDate: domain.Date(r.DueDate), RecordedBy: fmt.Sprintf("%s:%d", r.RecordedByKind, r.RecordedByID),
		CityCode: r.CityCode, CreatedAt: r.CreatedAt}
	if r.CorrectsID != nil {
		e.CorrectsID = *r.CorrectsID
	}
	return e
}

// Ledger returns a contract's lines (oldest first) with the worker's responses, and the balance.
func (s *Store) Ledger(ctx context.Context, contractID int64) ([]domain.LedgerLine, domain.Balance, error) {
	lines, err := ledgersOf(s.conn(ctx), []int64{contractID})
	if err != nil {
		return nil, domain.Balance{}, translate(err, "台账")
	}
	l := lines[contractID]
	if l == nil {
		l = []domain.LedgerLine{} // an empty ledger lists as [], not null
	}
	return l, BalanceOf(l), nil
}

// Ledgers is Ledger for many contracts in two queries per 500: the lines and balances by contract id
// (a contract without lines has none in the map and a zero balance).
func (s *Store) Ledgers(ctx context.Context, contractIDs []int64) (map[int64][]domain.LedgerLine, map[int64]domain.Balance, error) {
	lines, err := ledgersOf(s.conn(ctx), contractIDs)
	if err != nil {
		return nil, nil, translate(err, "台账")
	}
	bal := make(map[int64]domain.Balance, len(lines))
	for id, l := range lines {
		bal[id] = BalanceOf(l)
	}
	return lines, bal, nil
}

// ledgersOf reads the lines of the contracts, oldest first, with the worker's responses.
func ledgersOf(db *gorm.DB, contractIDs []int64) (map[int64][]domain.LedgerLine, error) {
	var rows []ledgerEntryRow
	for _, chunk := range chunks(contractIDs, 500) {
		var part []ledgerEntryRow
		if err := db.Where("contract_id IN ?", chunk).Order("id").Find(&part).Error; err != nil {
			return nil, err
		}
		rows = append(rows, part...)
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	responses := map[int64]ledgerResponseRow{}
	for _, chunk := range chunks(ids, 500) {
		var rs []ledgerResponseRow
		if err := db.Where("entry_id IN ?", chunk).Find(&rs).Error; err != nil {
			return nil, err
		}
		for _, r := range rs {
			responses[r.EntryID] = r
		}
	}
	out := map[int64][]domain.LedgerLine{}
	for _, r := range rows {
		line := domain.LedgerLine{LedgerEntry: ledgerEntryFromRow(r)}
		if resp, ok := responses[r.ID]; ok {
			lr := &domain.LedgerResponse{Response: resp.Response, Reason: resp.Reason, CreatedAt: resp.CreatedAt,
				Resolution: resp.Resolution, ResolvedAt: resp.ResolvedAt}
			if resp.ResolvedBy != nil {
				lr.ResolvedBy = *resp.ResolvedBy
			}
			line.Response = lr
		}
		out[r.ContractID] = append(out[r.ContractID], line)
	}
	return out, nil
}

// BalanceOf sums ledger lines into a balance (see domain.Balance for the definitions).
func BalanceOf(lines []domain.LedgerLine) domain.Balance {
	kindOf := map[int64]domain.LedgerKind{}
	for _, l := range lines {
		kindOf[l.ID] = l.Kind
	}
	var b domain.Balance
	for _, l := range lines {
		kind := l.Kind
		if kind == domain.LedgerCorrection {
			kind = kindOf[l.CorrectsID]
		}
		switch {
		case kind.Owed():
			b.EarnedFen += l.AmountFen
		case kind == domain.LedgerPayment:
			b.PaidFen += l.AmountFen
		}
		if l.Response != nil {
			switch {
			case l.Response.Response == "confirm" && l.Kind == domain.LedgerPayment:
				b.ConfirmedFen += l.AmountFen
			case l.Response.Response == "dispute" && l.Response.ResolvedAt == nil:
				b.DisputedFen += l.AmountFen
			}
		}
	}
	b.OutstandingFen = b.EarnedFen - b.PaidFen
	return b
}

// RespondToLedgerEntry records the worker's confirmation (confirm) or dispute (dispute, with a reason)
// of one line of their own ledger; otpID is the verified SMS code that proved it was them, used up in
// the same transaction (0 when staff record the answer of a worker standing at the desk). Another
// worker's line is not_found. A line is answered once.
func (s *Store) RespondToLedgerEntry(ctx context.Context, entryID, workerID int64, response, reason string, otpID int64, ip string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var e ledgerEntryRow
		if err := tx.Where("id = ?", entryID).Take(&e).Error; err != nil {
			return err
		}
		var c contractRow
		if err := tx.Where("id = ?", e.ContractID).Take(&c).Error; err != nil {
			return err
		}
		if c.WorkerID != workerID {
			return gorm.ErrRecordNotFound
		}
		// worker_id decides whose answer counts: it must be the signed one.
		if err := s.usableContract(tx, c); err != nil {
			return err
		}
		if response == "dispute" && reason == "" {
			return domain.Invalid("reason", "请写明有异议的原因")
		}
		if response == "confirm" && e.Kind != string(domain.LedgerPayment) {
			return domain.Invalid("entry", "只能确认收款记录；对工作记录有异议可以提出")
		}
		if otpID != 0 {
			if err := s.useOTP(tx, otpID); err != nil {
				return err
			}
		}
		row := ledgerResponseRow{EntryID: e.ID, WorkerID: workerID, Response: response, Reason: reason, OtpID: otpID, CreatedAt: s.now()}
		if err := tx.Create(&row).Error; err != nil {
			if isUniqueViolation(err) {
				return domain.Conflict("这条记录已经确认或提出过异议")
			}
			return err
		}
		if response == "dispute" {
			if err := s.insertNotification(tx, domain.Notification{RecipientKind: domain.RecipientStation, RecipientID: c.StationID,
				Kind: "ledger_dispute", Title: "工钱异议：合约 " + c.Number,
				Body: fmt.Sprintf("零工对 %s 的一条记录（%s 元）提出异议：%s", e.WorkDate, domain.FormatYuan(e.AmountFen), reason)}); err != nil {
				return err
			}
		}
		return s.appendAudit(tx, Audit{Actor: domain.Principal{Kind: domain.AsWorker, ID: workerID}, Action: "ledger." + response,
			EntityKind: "contract", EntityID: c.ID, IP: ip, Detail: map[string]any{"entry_id": e.ID, "otp_id": otpID}})
	})
	return translate(err, "台账记录")
}

// ResolveDispute records the station's outcome of a worker's dispute: a resolution note and, when the
// record was wrong, a correction entry appended in the same transaction.
func (s *Store) ResolveDispute(ctx context.Context, entryID int64, resolution string, correction *domain.LedgerInput, actor domain.Principal, ip string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var resp ledgerResponseRow
		if err := tx.Where("entry_id = ? AND response = 'dispute'", entryID).Take(&resp).Error; err != nil {
			return err
		}
		var e ledgerEntryRow
		if err := tx.Where("id = ?", entryID).Take(&e).Error; err != nil {
			return err
		}
		var c contractRow
		if err := tx.Where("id = ?", e.ContractID).Take(&c).Error; err != nil {
			return err
		}
		if !actor.CanManageStation(c.StationID) {
			return domain.Forbidden("只能处理本站点的异议")
		}
		if resp.ResolvedAt != nil {
			return domain.Conflict("这条异议已经处理过")
		}
		if resolution == "" {
			return domain.Invalid("resolution", "请写明处理结果")
		}
		if correction != nil {
			correction.Kind, correction.CorrectsID = domain.LedgerCorrection, entryID
			if correction.Note == "" {
				correction.Note = resolution
			}
			if err := s.usableContract(tx, c); err != nil {
				return err
			}
			row, err := s.ledgerRow(tx, c, *correction, actor)
			if err != nil {
				return err
			}
			if err := s.insertLedgerLine(tx, c, &row, actor, ip); err != nil {
				return err
			}
		}
		now := s.now()
		if err := tx.Model(&ledgerResponseRow{}).Where("id = ?", resp.ID).
			Updates(map[string]any{"resolution": resolution, "resolved_by": actor.ID, "resolved_at": now}).Error; err != nil {
			return err
		}
		if err := s.insertNotification(tx, domain.Notification{RecipientKind: domain.RecipientWorker, RecipientID: c.WorkerID,
			Kind: "ledger_resolved", Title: "异议已处理：合约 " + c.Number, Body: resolution}); err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "ledger.resolve", EntityKind: "contract", EntityID: c.ID, IP: ip,
			Detail: map[string]any{"entry_id": entryID, "corrected": correction != nil}})
	})
	return translate(err, "异议")
}

// SweepArrears raises an alert for every contract whose earned pay is still unpaid more than graceDays
// after its due date (one alert per contract and due date, however often the sweep runs), notifies the
// station and the employer of each new alert, updates the unpaid amount of open alerts, and clears
// alerts that have been paid. It returns how many were raised and cleared.
func (s *Store) SweepArrears(ctx context.Context, graceDays int) (raised, cleared int, err error) {
	today := domain.DateOf(s.now())
	var contracts []contractRow
	if err := s.conn(ctx).Where("status IN ('active', 'completed') OR id IN (SELECT contract_id FROM contract_cancellations WHERE ledger_entry_id IS NOT NULL)").
		Find(&contracts).Error; err != nil {
		return 0, 0, translate(err, "合约")
	}
	for _, c := range contracts {
		r, cl, err := s.sweepContract(ctx, c, today, graceDays)
		if err != nil {
			return raised, cleared, err
		}
		raised, cleared = raised+r, cleared+cl
	}
	return raised, cleared, nil
}

func (s *Store) sweepContract(ctx context.Context, c contractRow, today domain.Date, graceDays int) (raised, cleared int, err error) {
	lines, _, err := s.Ledger(ctx, c.ID)
	if err != nil {
		return 0, 0, err
	}
	unpaid := domain.UnpaidByDueDate(lines)
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var open []arrearsAlertRow
		if err := tx.Where("contract_id = ? AND cleared_at IS NULL", c.ID).Find(&open).Error; err != nil {
			return err
		}
		now := s.now()
		openByDue := map[string]arrearsAlertRow{}
		for _, a := range open {
			openByDue[a.DueDate] = a
			if unpaid[domain.Date(a.DueDate)] == 0 {
				if err := tx.Model(&arrearsAlertRow{}).Where("id = ?", a.ID).Update("cleared_at", now).Error; err != nil {
					return err
				}
				cleared++
			} else if unpaid[domain.Date(a.DueDate)] != a.AmountFen {
				if err := tx.Model(&arrearsAlertRow{}).Where("id = ?", a.ID).Update("amount_fen", unpaid[domain.Date(a.DueDate)]).Error; err != nil {
					return err
				}
			}
		}
		for due, amount := range unpaid {
			if due.AddDays(graceDays) >= today {
				continue // not overdue yet
			}
			if _, ok := openByDue[string(due)]; ok {
				continue
			}
			var existing int64
			if err := tx.Model(&arrearsAlertRow{}).Where("contract_id = ? AND due_date = ?", c.ID, string(due)).Count(&existing).Error; err != nil {
				return err
			}
			if existing > 0 {
				continue // cleared by staff earlier; never raise the same alert twice
			}
			if err := tx.Create(&arrearsAlertRow{CityCode: domain.CityCode, ContractID: c.ID, EmployerID: c.EmployerID,
				StationID: c.StationID, DueDate: string(due), AmountFen: amount, RaisedAt: now}).Error; err != nil {
				return err
			}
			raised++
			body := fmt.Sprintf("合约 %s 在 %s 应付的 %s 元工钱尚未支付。", c.Number, due, domain.FormatYuan(amount))
			for _, n := range []domain.Notification{
				{RecipientKind: domain.RecipientStation, RecipientID: c.StationID},
				{RecipientKind: domain.RecipientEmployer, RecipientID: c.EmployerID},
			} {
				n.Kind, n.Title, n.Body, n.JobID = "arrears", "欠薪预警："+c.Number, body, c.JobID
				if err := s.insertNotification(tx, n); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return raised, cleared, translate(err, "欠薪预警")
}

// ArrearsAlerts lists the alerts the filter selects (one station, one employer, one alert, open ones
// only), oldest due date first, at most 1000, with the age in days on today.
func (s *Store) ArrearsAlerts(ctx context.Context, f domain.ArrearsFilter) ([]domain.ArrearsAlert, error) {
	q := `SELECT a.id, a.contract_id, a.employer_id, a.station_id, a.due_date, a.amount_fen, a.raised_at, a.cleared_at,
			c.number AS contract_number, e.name AS employer_name, w.name AS worker_name
		FROM arrears_alerts a JOIN contracts c ON c.id = a.contract_id JOIN employers e ON e.id = a.employer_id
		JOIN workers w ON w.id = c.worker_id WHERE 1 = 1`
	var args []any
	for _, cond := range []struct {
		sql string
		v   int64
	}{{" AND a.id = ?", f.ID}, {" AND a.station_id = ?", f.StationID}, {" AND a.employer_id = ?", f.EmployerID}} {
		if cond.v != 0 {
			q += cond.sql
			args = append(args, cond.v)
		}
	}
	if f.OpenOnly {
		q += " AND a.cleared_at IS NULL"
	}
	q += " ORDER BY a.due_date, a.id LIMIT 1000"
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
	if err := s.conn(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, translate(err, "欠薪预警")
	}
	today := domain.DateOf(s.now())
	out := make([]domain.ArrearsAlert, len(rows))
	for i, r := range rows {
		out[i] = domain.ArrearsAlert{ID: r.ID, ContractID: r.ContractID, ContractNumber: r.ContractNumber, EmployerID: r.EmployerID,
			EmployerName: r.EmployerName, StationID: r.StationID, WorkerName: r.WorkerName, DueDate: domain.Date(r.DueDate),
			AmountFen: r.AmountFen, AgeDays: domain.Date(r.DueDate).DaysUntil(today), RaisedAt: r.RaisedAt, ClearedAt: r.ClearedAt}
	}
	return out, nil
}

// ArrearsAlert returns one alert, or not_found.
func (s *Store) ArrearsAlert(ctx context.Context, id int64) (domain.ArrearsAlert, error) {
	list, err := s.ArrearsAlerts(ctx, domain.ArrearsFilter{ID: id})
	if err != nil {
		return domain.ArrearsAlert{}, err
	}
	if len(list) == 0 {
		return domain.ArrearsAlert{}, domain.NotFound("欠薪预警")
	}
	return list[0], nil
}

// Disputes lists workers' disputes of ledger lines for one station (0 = all), open ones only when
// openOnly, oldest first (the queue's order), at most 500.
func (s *Store) Disputes(ctx context.Context, stationID int64, openOnly bool) ([]domain.Dispute, error) {
	q := disputeColumns + disputeFrom
	var args []any
	if stationID != 0 {
		q += " AND c.station_id = ?"
		args = append(args, stationID)
	}
	if openOnly {
		q += " AND r.resolved_at IS NULL"
	}
	q += " ORDER BY r.created_at, r.id LIMIT 500"
	var rows []disputeRow
	if err := s.conn(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, translate(err, "异议")
	}
	return disputesFromRows(rows), nil
}

// disputeColumns and disputeFrom are the query of a dispute (a worker's dispute response with its ledger
// line, contract, worker and employer), which Disputes and DisputeList narrow and order.
const (
	disputeColumns = `SELECT r.entry_id, r.reason, r.created_at AS disputed_at, r.resolution, r.resolved_at,
			e.contract_id, e.kind, e.work_date, e.quantity_milli, e.unit, e.amount_fen, e.method,
			c.number AS contract_number, c.piece_unit, c.station_id, w.name AS worker_name, em.name AS employer_name`
	disputeFrom = ` FROM ledger_responses r JOIN ledger_entries e ON e.id = r.entry_id JOIN contracts c ON c.id = e.contract_id
		JOIN workers w ON w.id = c.worker_id JOIN employers em ON em.id = c.employer_id
		WHERE r.response = 'dispute'`
)

// disputeRow is one row of disputeColumns.
type disputeRow struct {
	EntryID                  int64
	Reason                   string
	DisputedAt               time.Time
	Resolution               string
	ResolvedAt               *time.Time
	ContractID               int64
	Kind, WorkDate           string
	QuantityMilli            int64
	Unit, PieceUnit          string
	AmountFen                int64
	Method                   string
	ContractNumber           string
	StationID                int64
	WorkerName, EmployerName string
}

func disputesFromRows(rows []disputeRow) []domain.Dispute {
	out := make([]domain.Dispute, len(rows))
	for i, r := range rows {
		out[i] = domain.Dispute{EntryID: r.EntryID, ContractID: r.ContractID, ContractNumber: r.ContractNumber, StationID: r.StationID,
			WorkerName: r.WorkerName, EmployerName: r.EmployerName, Kind: domain.LedgerKind(r.Kind), Date: domain.Date(r.WorkDate),
			Quantity: domain.Milli(r.QuantityMilli), Unit: domain.WageUnit(r.Unit), PieceUnit: r.PieceUnit, AmountFen: r.AmountFen,
			Method: domain.PayMethod(r.Method), Reason: r.Reason, DisputedAt: r.DisputedAt, Resolution: r.Resolution, ResolvedAt: r.ResolvedAt}
	}
	return out
}

// LedgerEntryByID returns one ledger entry, or not_found. Callers check who may see it through its
// contract.
func (s *Store) LedgerEntryByID(ctx context.Context, id int64) (domain.LedgerEntry, error) {
	var row ledgerEntryRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return domain.LedgerEntry{}, translate(err, "台账记录")
	}
	return ledgerEntryFromRow(row), nil
}

// ClearArrearsAlert lets station staff clear an alert by hand (e.g. paid outside the platform and seen),
// which also lifts the block on approving the employer's new gigs.
func (s *Store) ClearArrearsAlert(ctx context.Context, alertID int64, actor domain.Principal, ip string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var a arrearsAlertRow
		if err := tx.Where("id = ?", alertID).Take(&a).Error; err != nil {
			return err
		}
		if !actor.CanManageStation(a.StationID) {
			return domain.Forbidden("只能处理本站点的欠薪预警")
		}
		if a.ClearedAt != nil {
			return nil
		}
		if err := tx.Model(&arrearsAlertRow{}).Where("id = ?", a.ID).Updates(map[string]any{"cleared_at": s.now(), "cleared_by": actor.ID}).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "arrears.clear", EntityKind: "contract", EntityID: a.ContractID, IP: ip,
			Detail: map[string]any{"alert_id": a.ID, "due_date": a.DueDate, "amount_fen": a.AmountFen}})
	})
	return translate(err, "欠薪预警")
}

// EmployerHasOverdueArrears reports whether the employer has an open alert whose due date is more than
// days old: such an employer's new gigs wait until staff clear it.
func (s *Store) EmployerHasOverdueArrears(ctx context.Context, employerID int64, days int) (bool, error) {
	cutoff := domain.DateOf(s.now()).AddDays(-days)
	var n int64
	err := s.conn(ctx).Model(&arrearsAlertRow{}).Where("employer_id = ? AND cleared_at IS NULL AND due_date < ?", employerID, string(cutoff)).Count(&n).Error
	return n > 0, translate(err, "欠薪预警")
}

// checkNoOverdueArrears refuses (conflict) the approval of a gig whose employer has an open arrears
// alert more than arrearsBlockDays past due, naming the arrears, inside the reviewing transaction.
func (s *Store) checkNoOverdueArrears(tx *gorm.DB, jobID int64, today domain.Date) error {
	if s.arrearsBlockDays < 0 {
		return nil
	}
	var j jobRow
	if err := tx.Select("id, employer_id").Where("id = ?", jobID).Take(&j).Error; err != nil {
		return translate(err, "零工岗位")
	}
	type overdue struct {
		Number    string
		DueDate   string
		AmountFen int64
	}
	var rows []overdue
	err := tx.Raw(`SELECT c.number, a.due_date, a.amount_fen FROM arrears_alerts a JOIN contracts c ON c.id = a.contract_id
		WHERE a.employer_id = ? AND a.cleared_at IS NULL AND a.due_date < ? ORDER BY a.due_date, a.id`,
		j.EmployerID, string(today.AddDays(-s.arrearsBlockDays))).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return err
	}
	var total int64
	for _, r := range rows {
		total += r.AmountFen
	}
	first := rows[0]
	msg := fmt.Sprintf("该用工单位有拖欠超过 %d 天的工钱，暂不能通过新岗位：合约 %s 在 %s 应付的 %s 元至今未付（已逾期 %d 天）",
		s.arrearsBlockDays, first.Number, first.DueDate, domain.FormatYuan(first.AmountFen), domain.Date(first.DueDate).DaysUntil(today))
	if len(rows) > 1 {
		msg += fmt.Sprintf("，共 %d 笔合计 %s 元", len(rows), domain.FormatYuan(total))
	}
	return domain.Conflict(msg + "。请督促付清，或核实后在工作台“欠薪预警”中清除，再审核。")
}

// PurgeLedgerBefore deletes ledger entries created before cutoff, for archiving past the legal
// retention. It refuses any cutoff less than 3 years before now (store clock), and the database's own
// trigger refuses to delete entries younger than 3 years whatever asks.
func (s *Store) PurgeLedgerBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	if cutoff.After(s.now().AddDate(-3, 0, 0)) {
		return 0, domain.Invalid("cutoff", "工资台账至少保存 3 年，不能删除 3 年内的记录")
	}
	var n int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("entry_id IN (SELECT id FROM ledger_entries WHERE created_at < ?)", cutoff).Delete(&ledgerResponseRow{}).Error; err != nil {
			return err
		}
		res := tx.Where("created_at < ?", cutoff).Delete(&ledgerEntryRow{})
		n = res.RowsAffected
		return res.Error
	})
	return n, translate(err, "台账")
}
