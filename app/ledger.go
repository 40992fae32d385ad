package app

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"lingong/domain"
)

// The wage ledger (结算): employers and station staff append work lines, payments and corrections to an
// active contract (weigh tickets are work lines of piece-rate contracts); the worker confirms payments
// or disputes any line with an SMS code; the issuing station resolves disputes; arrears alerts are
// cleared by hand. Amounts are integer fen and quantities exact thousandths: nothing passes a float.

// Ledger returns a contract's lines (oldest first) with the worker's answers, and the balance, to its
// parties and the station's staff.
func (s *Service) Ledger(ctx context.Context, p domain.Principal, contractID int64) (domain.Contract, []domain.LedgerLine, domain.Balance, error) {
	ct, err := s.visibleContract(ctx, p, contractID)
	if err != nil {
		return domain.Contract{}, nil, domain.Balance{}, err
	}
	lines, bal, err := s.store.Ledger(ctx, ct.ID)
	if err != nil {
		return domain.Contract{}, nil, domain.Balance{}, err
	}
	if lines == nil {
		lines = []domain.LedgerLine{}
	}
	return ct, lines, bal, nil
}

// AppendLedger appends one line to a contract's ledger (its employer, or staff of its station). A
// payment is texted to the worker, with how to confirm it.
func (s *Service) AppendLedger(ctx context.Context, p domain.Principal, contractID int64, in domain.LedgerInput) (domain.LedgerEntry, error) {
	if in.Method == domain.PayGuarantee {
		return domain.LedgerEntry{}, domain.Invalid("method", "保证金垫付只能由工作人员在欠薪预警里办理")
	}
	if in.Kind == domain.LedgerCancellation {
		return domain.LedgerEntry{}, domain.Invalid("kind", "误工补偿由取消合约时按合约条款自动记录")
	}
	return s.appendLedger(ctx, p, contractID, in)
}

// appendLedger is AppendLedger for the use cases that may pay from the wage guarantee.
func (s *Service) appendLedger(ctx context.Context, p domain.Principal, contractID int64, in domain.LedgerInput) (domain.LedgerEntry, error) {
	ct, err := s.visibleContract(ctx, p, contractID)
	if err != nil {
		return domain.LedgerEntry{}, err
	}
	e, err := s.store.AppendLedger(ctx, ct.ID, in, p, p.IP)
	if err != nil {
		return domain.LedgerEntry{}, err
	}
	if e.Kind == domain.LedgerPayment {
		// Pay is the moment a worker most needs to know about: how much, how, and how to confirm.
		s.textWorker(ctx, ct.WorkerID, domain.SMS{Kind: domain.SMSWagePayment, Subject: e.ID, Params: map[string]string{
			"number": ct.Number, "amount": domain.FormatYuan(e.AmountFen), "method": e.Method.Label()}})
	}
	return e, nil
}

// LedgerAnswer is the worker's answer to one of their ledger lines: confirm a payment, or dispute any
// line with a reason; proven by the SMS code from SendConfirmCode.
type LedgerAnswer struct {
	Response string // confirm | dispute
	Code     string
	Reason   string
}

// AnswerLedgerEntry records the calling worker's confirm or dispute of one of their own lines and
// returns the line as it now stands. Another worker's line is not_found (checked before the code, so a
// code is never spent on someone else's line). A dispute goes to the issuing station's queue.
func (s *Service) AnswerLedgerEntry(ctx context.Context, p domain.Principal, entryID int64, a LedgerAnswer) (domain.LedgerLine, error) {
	reason, err := domain.CleanText("reason", a.Reason, 200)
	if err != nil {
		return domain.LedgerLine{}, err
	}
	e, err := s.store.LedgerEntryByID(ctx, entryID)
	if err != nil {
		return domain.LedgerLine{}, err
	}
	ct, _, err := s.store.ContractByID(ctx, e.ContractID)
	if err != nil {
		return domain.LedgerLine{}, err
	}
	if p.Kind != domain.AsWorker || ct.WorkerID != p.ID {
		return domain.LedgerLine{}, domain.NotFound("台账记录")
	}
	switch a.Response {
	case "dispute":
		if reason == "" {
			return domain.LedgerLine{}, domain.Invalid("reason", "请写明有异议的原因，例如“少记了 5 斤”")
		}
	case "confirm":
		if e.Kind != domain.LedgerPayment {
			return domain.LedgerLine{}, domain.Invalid("entry", "只能确认收款记录；对干活记录有异议可以提出")
		}
	default:
		return domain.LedgerLine{}, domain.Invalid("response", "请选择确认或提出异议")
	}
	if a.Code == "" {
		return domain.LedgerLine{}, domain.Invalid("code", "请输入短信确认码")
	}
	otpID, err := s.store.VerifyWorkerConfirmCode(ctx, p.ID, a.Code)
	if err != nil {
		return domain.LedgerLine{}, err
	}
	return s.answerLedger(ctx, p, e.ID, LedgerAnswer{Response: a.Response, Reason: reason}, otpID)
}

// answerLedger records a worker's answer once who they are is proven: by the SMS code (otpID, used up
// with the answer) or, for an SMS reply, by the phone the provider received it from (otpID 0). The
// store checks again that the line is theirs and answers it once.
func (s *Service) answerLedger(ctx context.Context, p domain.Principal, entryID int64, a LedgerAnswer, otpID int64) (domain.LedgerLine, error) {
	e, err := s.store.LedgerEntryByID(ctx, entryID)
	if err != nil {
		return domain.LedgerLine{}, err
	}
	if err := s.store.RespondToLedgerEntry(ctx, e.ID, p.ID, a.Response, a.Reason, otpID, p.IP); err != nil {
		return domain.LedgerLine{}, err
	}
	return s.ledgerLine(ctx, e.ContractID, e.ID)
}

// LedgerEntry returns one ledger line's record to someone who may see its contract.
func (s *Service) LedgerEntry(ctx context.Context, p domain.Principal, entryID int64) (domain.LedgerEntry, domain.Contract, error) {
	e, err := s.store.LedgerEntryByID(ctx, entryID)
	if err != nil {
		return domain.LedgerEntry{}, domain.Contract{}, err
	}
	ct, err := s.visibleContract(ctx, p, e.ContractID)
	if err != nil {
		return domain.LedgerEntry{}, domain.Contract{}, err
	}
	return e, ct, nil
}

// ledgerLine returns one line of a contract's ledger with its answer.
func (s *Service) ledgerLine(ctx context.Context, contractID, entryID int64) (domain.LedgerLine, error) {
	lines, _, err := s.store.Ledger(ctx, contractID)
	if err != nil {
		return domain.LedgerLine{}, err
	}
	for _, l := range lines {
		if l.ID == entryID {
			return l, nil
		}
	}
	return domain.LedgerLine{}, domain.NotFound("台账记录")
}

// Resolution is the station's outcome of a dispute and, when the record was wrong, the correction to
// append (a signed amount in fen and/or quantity in thousandths).
type Resolution struct {
	Resolution string
	Correction *Correction
}

// Correction is the correction a resolution appends to the disputed line.
type Correction struct {
	AmountFen     int64
	QuantityMilli int64
	Note          string
}

// ResolveDispute records the outcome of a worker's dispute of a line (staff of the contract's station,
// admins); the worker is told. It returns the line as it now stands.
func (s *Service) ResolveDispute(ctx context.Context, p domain.Principal, entryID int64, r Resolution) (domain.LedgerLine, error) {
	if !p.IsStaff() {
		return domain.LedgerLine{}, domain.Forbidden("")
	}
	resolution, err := domain.CleanText("resolution", r.Resolution, 200)
	if err != nil {
		return domain.LedgerLine{}, err
	}
	if resolution == "" {
		return domain.LedgerLine{}, domain.Invalid("resolution", "请写明处理结果，零工会收到")
	}
	var corr *domain.LedgerInput
	if r.Correction != nil {
		note, err := domain.CleanText("correction.note", r.Correction.Note, 200)
		if err != nil {
			return domain.LedgerLine{}, err
		}
		corr = &domain.LedgerInput{Note: note, AmountFen: r.Correction.AmountFen, QuantityMilli: r.Correction.QuantityMilli}
		if corr.AmountFen == 0 && corr.QuantityMilli == 0 {
			return domain.LedgerLine{}, domain.Invalid("correction.amount_fen", "更正的金额或数量不能都为 0；不需要更正就只写处理结果")
		}
		if corr.AmountFen < -100_000_000 || corr.AmountFen > 100_000_000 {
			return domain.LedgerLine{}, domain.Invalid("correction.amount_fen", "更正金额不合理，请核对")
		}
	}
	e, _, err := s.LedgerEntry(ctx, p, entryID)
	if err != nil {
		return domain.LedgerLine{}, err
	}
	if err := s.store.ResolveDispute(ctx, e.ID, resolution, corr, p, p.IP); err != nil {
		return domain.LedgerLine{}, err
	}
	return s.ledgerLine(ctx, e.ContractID, e.ID)
}

// Disputes lists workers' disputes of ledger lines, a station's queue (0: every station, admins only),
// oldest first.
func (s *Service) Disputes(ctx context.Context, p domain.Principal, stationID int64, openOnly bool) ([]domain.Dispute, error) {
	if err := s.checkStationScope(p, stationID); err != nil {
		return nil, err
	}
	return s.store.Disputes(ctx, stationID, openOnly)
}

// ArrearsAlerts lists arrears alerts (欠薪预警), oldest due date first: a station's for its staff (0:
// every station, admins only), or the calling employer's own.
func (s *Service) ArrearsAlerts(ctx context.Context, p domain.Principal, f domain.ArrearsFilter) ([]domain.ArrearsAlert, error) {
	if p.Kind == domain.AsEmployer {
		f.EmployerID, f.StationID = p.ID, 0
	} else if err := s.checkStationScope(p, f.StationID); err != nil {
		return nil, err
	}
	return s.store.ArrearsAlerts(ctx, f)
}

// ClearArrears clears an alert by hand (staff of the alert's station, admins), e.g. after seeing proof
// of a payment made outside the platform; it lifts the hold on approving the employer's new gigs.
func (s *Service) ClearArrears(ctx context.Context, p domain.Principal, alertID int64) (domain.ArrearsAlert, error) {
	if !p.IsStaff() {
		return domain.ArrearsAlert{}, domain.Forbidden("")
	}
	if err := s.store.ClearArrearsAlert(ctx, alertID, p, p.IP); err != nil {
		return domain.ArrearsAlert{}, err
	}
	return s.store.ArrearsAlert(ctx, alertID)
}

// SweepArrears raises an alert for earned pay unpaid past its due date plus the grace days, and clears
// the alerts that were paid (the background job).
func (s *Service) SweepArrears(ctx context.Context, graceDays int) (raised, cleared int, err error) {
	return s.store.SweepArrears(ctx, graceDays)
}

// Payroll is a station's monthly 工资支付台账 (staff of the station, admins).
func (s *Service) Payroll(ctx context.Context, p domain.Principal, stationID int64, month string) ([]domain.PayrollLine, error) {
	if !p.CanManageStation(stationID) {
		return nil, domain.Forbidden("只能导出本站点的工资台账")
	}
	return s.store.Payroll(ctx, stationID, month)
}

// RevealIDNumbers returns the full ID numbers of a payroll's workers, for an admin's export; every
// reveal is audited.
func (s *Service) RevealIDNumbers(ctx context.Context, p domain.Principal, stationID int64, month string, workerIDs []int64) (map[int64]string, error) {
	if p.Kind != domain.AsAdmin {
		return nil, domain.Forbidden("只有管理员可以导出完整身份证号")
	}
	return s.store.RevealIDNumbers(ctx, stationID, month, workerIDs, p, p.IP)
}

// checkStationScope lets staff see their own station's lists and admins any station's, or all (0).
func (s *Service) checkStationScope(p domain.Principal, stationID int64) error {
	if !p.IsStaff() || (stationID == 0 && p.Kind != domain.AsAdmin) || (stationID != 0 && !p.CanManageStation(stationID)) {
		return domain.Forbidden("只能查看本站点的数据")
	}
	return nil
}

// StationScope is the station a staff list covers: a staff member's own station (asking for another is
// forbidden), or for an admin the named one, or 0 for all.
func (s *Service) StationScope(ctx context.Context, p domain.Principal, field, code string) (int64, error) {
	if code == "" {
		if p.Kind == domain.AsAdmin {
			return 0, nil
		}
		return p.StationID, nil
	}
	st, err := s.StationField(ctx, field, code)
	if err != nil {
		return 0, err
	}
	if !p.CanManageStation(st.ID) {
		return 0, domain.Forbidden("只能查看本站点的数据")
	}
	return st.ID, nil
}

// --- Weigh tickets (过秤单) ---

// WeighIn is a weigh ticket as the recorder enters it: what the scanner read from the worker card (its
// URL or token) or the worker number, the weight in 斤 (thousandths), the day picked, and the contract
// when the worker has several piece-rate contracts open to the caller.
type WeighIn struct {
	Card       string
	Weight     domain.Milli
	Date       domain.Date // "" is today
	ContractID int64
	Note       string
}

// WeighTicket is a weigh ticket written: the ledger line and what the picker was told.
type WeighTicket struct {
	Entry          domain.LedgerEntry `json:"entry"`
	ContractID     int64              `json:"contract_id"`
	ContractNumber string             `json:"contract_number"`
	WorkerNo       string             `json:"worker_no"`
	WorkerName     string             `json:"worker_name"`
	RateFen        int64              `json:"rate_fen"` // per 斤 (the contract's piece rate)
	// The day's running total of this contract, this ticket included.
	DayTickets   int          `json:"day_tickets"`
	DayWeightJin domain.Milli `json:"day_weight_jin"`
	DayAmountFen int64        `json:"day_amount_fen"`
	SlipURL      string       `json:"slip_url"` // the printable slip, for the console
}

// check validates a weigh ticket's fields.
func (in WeighIn) check(today domain.Date) (WeighIn, error) {
	card, err := domain.CleanText("card", in.Card, 300)
	if err != nil {
		return in, err
	}
	if card == "" {
		return in, domain.Invalid("card", "请扫描零工卡二维码，或输入零工编号（如 LG00000012）")
	}
	in.Card = card
	if in.Weight <= 0 {
		return in, domain.Invalid("weight_jin", "请填写重量（斤），应大于 0")
	}
	if in.Date == "" {
		in.Date = today
	} else if _, err := domain.ParseDate("date", string(in.Date)); err != nil {
		return in, err
	}
	if in.ContractID < 0 {
		return in, domain.Invalid("contract_id", "合约编号不对")
	}
	if in.Note, err = domain.CleanText("note", in.Note, 100); err != nil {
		return in, err
	}
	return in, nil
}

// Weigh writes a weigh ticket as a work line of the picker's piece-rate contract (its employer's
// recorder, or station staff) and texts the picker the weight, the rate, the amount and the day's
// running total.
func (s *Service) Weigh(ctx context.Context, p domain.Principal, raw WeighIn) (WeighTicket, error) {
	if p.Kind != domain.AsEmployer && !p.IsStaff() {
		return WeighTicket{}, domain.Forbidden("")
	}
	in, err := raw.check(s.clock.Today())
	if err != nil {
		return WeighTicket{}, err
	}
	w, err := s.workerByScan(ctx, in.Card)
	if domain.IsCode(err, domain.CodeNotFound) && p.Kind == domain.AsEmployer {
		// An employer learns nothing about workers it has no contract with, not even whether a number exists.
		err = errNoPieceContract
	}
	if err != nil {
		return WeighTicket{}, err
	}
	ct, err := s.weighContract(ctx, p, w, in.ContractID)
	if err != nil {
		return WeighTicket{}, err
	}
	note := "过秤"
	if in.Note != "" {
		note += "：" + in.Note
	}
	e, err := s.store.AppendLedger(ctx, ct.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: in.Date, QuantityMilli: int64(in.Weight), Note: note}, p, p.IP)
	if err != nil {
		return WeighTicket{}, err
	}
	lines, _, err := s.store.Ledger(ctx, ct.ID)
	if err != nil {
		return WeighTicket{}, err
	}
	t := WeighTicket{Entry: e, ContractID: ct.ID, ContractNumber: ct.Number, WorkerNo: w.No, WorkerName: w.Name, RateFen: ct.WageFen,
		SlipURL: fmt.Sprintf("/console/ledger/%d/slip", e.ID)}
	t.DayTickets, t.DayWeightJin, t.DayAmountFen = DayTotal(lines, in.Date, e.ID)
	s.textWorker(ctx, ct.WorkerID, weighSMS(t))
	return t, nil
}

// errNoPieceContract is the answer when the scanned worker has no piece-rate contract the caller may
// record on.
var errNoPieceContract = &domain.Error{Code: domain.CodeNotFound, Field: "card",
	Message: "这位零工没有可以记过秤的有效合约（需按斤计酬、双方已确认，且属于贵单位或本站点）"}

// weighContract picks the worker's active piece-rate contract the caller may record on: with the
// employer's own, or at the staff member's station. contractID, when given, must be one of them. None
// is not_found; several without contractID is a conflict listing them.
func (s *Service) weighContract(ctx context.Context, p domain.Principal, w domain.Worker, contractID int64) (domain.Contract, error) {
	all, err := s.store.ContractsFor(ctx, "worker_id", w.ID, "")
	if err != nil {
		return domain.Contract{}, err
	}
	for _, ct := range all {
		if contractID == 0 || ct.ID != contractID || !domain.RecordsOn(p, ct) {
			continue
		}
		switch {
		case ct.Status != domain.ContractActive:
			return domain.Contract{}, &domain.Error{Code: domain.CodeConflict, Field: "contract_id",
				Message: fmt.Sprintf("合约 %s 不在生效状态，不能记过秤", ct.Number)}
		case !ct.WeighedInJin():
			return domain.Contract{}, &domain.Error{Code: domain.CodeConflict, Field: "contract_id",
				Message: fmt.Sprintf("合约 %s 按%s计酬，不是按斤，请记工作记录而不是过秤", ct.Number, ct.WageUnit.LabelFor(ct.PieceUnit))}
		}
		return ct, nil
	}
	open := pieceRate(p, all)
	switch {
	case contractID != 0:
		return domain.Contract{}, &domain.Error{Code: domain.CodeNotFound, Field: "contract_id", Message: "找不到这位零工的该份合约"}
	case len(open) == 0:
		return domain.Contract{}, errNoPieceContract
	case len(open) > 1:
		choices := make([]string, len(open))
		for i, ct := range open {
			choices[i] = fmt.Sprintf("%d（%s，%s 至 %s，%s）", ct.ID, ct.Number, ct.StartDate, ct.EndDate, ct.WageText())
		}
		return domain.Contract{}, &domain.Error{Code: domain.CodeConflict, Field: "contract_id",
			Message: fmt.Sprintf("这位零工有 %d 份按斤计酬的有效合约，请用 contract_id 指定是哪一份：%s", len(open), strings.Join(choices, "；"))}
	}
	return open[0], nil
}

// pieceRate filters contracts to the active piece-rate ones the caller may record on, oldest first.
func pieceRate(p domain.Principal, all []domain.Contract) []domain.Contract {
	var open []domain.Contract
	for _, ct := range all {
		if domain.RecordsOn(p, ct) && ct.Status == domain.ContractActive && ct.WeighedInJin() {
			open = append(open, ct)
		}
	}
	sort.Slice(open, func(i, j int) bool { return open[i].ID < open[j].ID })
	return open
}

// PieceContracts lists the scanned worker's active piece-rate contracts the caller may record on (the
// choices the weigh desk offers when there are several).
func (s *Service) PieceContracts(ctx context.Context, p domain.Principal, card string) ([]domain.Contract, error) {
	w, err := s.workerByScan(ctx, card)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ContractsFor(ctx, "worker_id", w.ID, "")
	if err != nil {
		return nil, err
	}
	return pieceRate(p, all), nil
}

// DayTotal sums a contract's work on one day up to and including entry upTo: the number of tickets
// (work lines), the quantity and the amount, corrections of that day's lines included.
func DayTotal(lines []domain.LedgerLine, day domain.Date, upTo int64) (tickets int, qty domain.Milli, fen int64) {
	kindOf := map[int64]domain.LedgerKind{}
	for _, l := range lines {
		kindOf[l.ID] = l.Kind
	}
	for _, l := range lines {
		if l.ID > upTo || l.WorkDate != day {
			continue
		}
		switch {
		case l.Kind == domain.LedgerWork:
			tickets++
		case l.Kind == domain.LedgerCorrection && kindOf[l.CorrectsID] == domain.LedgerWork:
		default:
			continue
		}
		qty += domain.Milli(l.QuantityMilli)
		fen += l.AmountFen
	}
	return tickets, qty, fen
}

// weighSMS is the message a picker gets for a ticket: weight, rate, amount, the day's running total;
// N to it disputes the ticket.
func weighSMS(t WeighTicket) domain.SMS {
	d := t.Entry.WorkDate.Start()
	return domain.SMS{Kind: domain.SMSWageWeigh, Subject: t.Entry.ID, Params: map[string]string{
		"day": fmt.Sprintf("%d月%d日", int(d.Month()), d.Day()), "count": fmt.Sprint(t.DayTickets),
		"weight": domain.Milli(t.Entry.QuantityMilli).String(), "rate": domain.FormatYuan(t.RateFen),
		"amount": domain.FormatYuan(t.Entry.AmountFen), "day_weight": fmt.Sprint(t.DayWeightJin),
		"day_amount": domain.FormatYuan(t.DayAmountFen), "number": t.ContractNumber}}
}
